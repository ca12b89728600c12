/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_MISCDEV_H
#define IOMMUCTL_MISCDEV_H

/*
 * The "MAJOR:MINOR" of misc device name (ROOT/sys/class/misc/NAME/dev;
 * root "" or NULL for the running system). Misc devices get dynamic
 * minors: this is how a node is recognised as iommufd's or VFIO's.
 * 0 or -errno.
 */
int iommu_misc_devt(const char *root, const char *name, unsigned int *major,
		    unsigned int *minor);

#endif
