/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_MDEV_H
#define IOMMUCTL_MDEV_H

/*
 * The mediated-device parents of ROOT/sys/class/mdev_bus (root "" or
 * NULL for the running system) and their types. 0 or -errno.
 */

struct iommu_mdev_type {
	char *id; /* directory name: "mtty-2" */
	char *name; /* its name attribute; NULL when absent */
	char *device_api;
	int available; /* available_instances; -1 when unknown */
	char **devices; /* UUIDs of the mdevs of this type, sorted */
	unsigned int nr_devices;
};

struct iommu_mdev_parent {
	char *name;
	struct iommu_mdev_type *types;
	unsigned int nr_types;
};

/* The parents and their types, sorted. */
int iommu_mdev_parents_read(const char *root, struct iommu_mdev_parent **p,
			    unsigned int *nr);
void iommu_mdev_parents_release(struct iommu_mdev_parent *p, unsigned int nr);

#endif
