/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_KCONFIG_H
#define IOMMUCTL_KCONFIG_H

#include <stddef.h>

/*
 * A symbol of a kernel's build configuration, from ROOT/proc/config.gz
 * or ROOT/boot/config-RELEASE (root "" or NULL for the running system).
 * A file that cannot be read to its end, or that holds not a single
 * CONFIG_ line (cut off, corrupt, not a config), proves nothing: the
 * answer is then unknown, never "not set".
 */

enum iommu_config_state {
	IOMMU_CONFIG_UNKNOWN, /* no readable kernel config */
	IOMMU_CONFIG_NO,
	IOMMU_CONFIG_YES,
	IOMMU_CONFIG_MODULE,
};

/* CONFIG_<symbol> in one config file, plain or gzip-compressed. */
enum iommu_config_state iommu_config_file_read(const char *path,
					       const char *symbol);

/*
 * CONFIG_<symbol> of the running kernel, whose release is release
 * (NULL: uname -r): /proc/config.gz, then /boot/config-RELEASE. The
 * file that answered, or the last one asked, into source (may be NULL).
 */
enum iommu_config_state iommu_config_running(const char *root,
					     const char *release,
					     const char *symbol, char *source,
					     size_t len);

/*
 * CONFIG_<symbol> of kernel release (NULL: the running one, as
 * iommu_config_running() finds it; another: its /boot/config-RELEASE).
 */
enum iommu_config_state iommu_config_read(const char *root, const char *release,
					  const char *symbol);

#endif
