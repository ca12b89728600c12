/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_DIAGNOSE_H
#define IOMMUCTL_DIAGNOSE_H

#include <stddef.h>

enum iommu_missing {
	IOMMU_MISSING_NODE, /* iommufd is in the kernel, no /dev node */
	IOMMU_MISSING_NOT_LOADED, /* built as a module, not loaded */
	IOMMU_MISSING_NOT_BUILT, /* the kernel lacks CONFIG_IOMMUFD */
	IOMMU_MISSING_UNKNOWN, /* nothing to tell from */
};

/*
 * Why /dev/iommu does not exist, in a sentence written to buf. Looks at
 * /sys/module/iommufd, /sys/class/misc/iommu, the kernel config
 * (/proc/config.gz, then /boot/config-RELEASE) and, without a config,
 * the module indexes (modules.builtin, modules.dep in /lib/modules/RELEASE).
 * root prefixes every path (NULL or
 * "" for the running system) and release replaces uname -r (NULL for
 * the running kernel), so tests can point it at a fake tree.
 */
enum iommu_missing iommu_diagnose_missing(const char *root, const char *release,
					  char *buf, size_t len);

#endif
