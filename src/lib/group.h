/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_GROUP_H
#define IOMMUCTL_GROUP_H

#include <stdbool.h>
#include <stdint.h>

/*
 * The IOMMU groups of ROOT/sys/kernel/iommu_groups (root "" or NULL for
 * the running system) and their devices. 0 or -errno.
 */

struct iommu_dev_info {
	char *name; /* "0000:00:02.0", an mdev UUID */
	char *bus; /* "pci", "mdev"; NULL when unknown */
	bool has_ids;
	uint16_t vendor;
	uint16_t device;
	char *driver; /* NULL when unbound */
	char *cdev; /* "/dev/vfio/devices/vfio0"; NULL without the node */
};

struct iommu_group_info {
	unsigned int id;
	char *type; /* "DMA", "identity", ...; NULL when unknown */
	char *node; /* "/dev/vfio/5"; NULL when there is none */
	bool viable;
	struct iommu_dev_info *devs; /* sorted by name */
	unsigned int nr_devs;
};

/*
 * The groups, sorted by number. A group is viable for VFIO, by the
 * kernel's rule, when each of its devices is unbound or bound to a
 * driver that leaves DMA to its owner: a VFIO driver, pci-stub or
 * pcieport; an mdev is a VFIO device itself.
 */
int iommu_groups_read(const char *root, struct iommu_group_info **groups,
		      unsigned int *nr);
void iommu_groups_release(struct iommu_group_info *groups, unsigned int nr);
bool iommu_driver_allows_vfio(const char *driver);
/* A driver that binds a device for a VFIO user (vfio-pci, a variant). */
bool iommu_driver_is_vfio(const char *driver);

/*
 * Lookups in what iommu_groups_read() gave, for choosing a device to
 * work on: the group, and the device through *dev (may be NULL); NULL
 * when there is none.
 */
/* Group id; *dev its first device by name, NULL when it has none. */
const struct iommu_group_info *
iommu_groups_find(const struct iommu_group_info *groups, unsigned int nr,
		  unsigned int id, const struct iommu_dev_info **dev);
/* The group of device name on bus ("pci", "mdev"). */
const struct iommu_group_info *
iommu_groups_find_device(const struct iommu_group_info *groups,
			 unsigned int nr, const char *bus, const char *name,
			 const struct iommu_dev_info **dev);
/* The device on bus bound to driver with the smallest name. */
const struct iommu_group_info *
iommu_groups_first_bound(const struct iommu_group_info *groups,
			 unsigned int nr, const char *bus, const char *driver,
			 const struct iommu_dev_info **dev);
/*
 * The group's first device, by name, that a VFIO user can open: an mdev
 * with its driver, or a device bound to a VFIO driver. NULL when none.
 */
const struct iommu_dev_info *
iommu_group_first_vfio_dev(const struct iommu_group_info *g);

#endif
