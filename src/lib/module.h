/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_MODULE_H
#define IOMMUCTL_MODULE_H

/*
 * A kernel module as ROOT/sys/module shows it (root "" or NULL for the
 * running system). What we may not read for lack of permission is part
 * of the result, not an error: status must work without root and say
 * what it missed. 0 or -errno.
 */

/* Loaded, built in, or neither. */
enum iommu_module_state {
	IOMMU_MODULE_NOT_LOADED, /* no /sys/module/NAME */
	IOMMU_MODULE_LIVE,
	IOMMU_MODULE_COMING,
	IOMMU_MODULE_GOING,
	IOMMU_MODULE_BUILTIN, /* directory without initstate */
};

struct iommu_param {
	char *name;
	char *value; /* NULL when the file is not readable by us */
};

struct iommu_module_info {
	enum iommu_module_state state;
	int refcnt; /* -1 when unknown (built in, not loaded) */
	char *taint; /* "OE"; NULL when unknown */
	struct iommu_param *params;
	unsigned int nr_params;
	char **holders;
	unsigned int nr_holders;
};

/* name as sysfs spells it: underscores ("vfio_pci"). */
int iommu_module_read(const char *root, const char *name,
		      struct iommu_module_info *m);
void iommu_module_release(struct iommu_module_info *m);
const char *iommu_module_state_name(enum iommu_module_state state);

/*
 * One parameter of a loaded or built-in module: its value as the kernel
 * shows it (the first line, bools as Y or N), and a new value written to
 * it (root only, and only where the parameter is writable: -EACCES or
 * -EPERM otherwise; -ENOENT where the module or parameter is missing).
 */
int iommu_module_param_get(const char *root, const char *module,
			   const char *param, char **value);
int iommu_module_param_set(const char *root, const char *module,
			   const char *param, const char *value);

#endif
