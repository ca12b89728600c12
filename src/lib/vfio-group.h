/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_VFIO_GROUP_H
#define IOMMUCTL_VFIO_GROUP_H

#include <stdint.h>

#include "uapi-vfio.h"

/*
 * The VFIO group ioctls a VMM uses to put a group in a container and get
 * its device fds, Linux 6.12 layouts. VFIO_GROUP_SET_CONTAINER takes a
 * /dev/vfio/vfio fd or a /dev/iommu fd alike, which is what lets one
 * program compare the two. Same 0/-errno convention as compat.h.
 */

#define IC_VFIO_GROUP_GET_STATUS _IO(IC_VFIO_TYPE, IC_VFIO_BASE + 3)
#define IC_VFIO_GROUP_SET_CONTAINER _IO(IC_VFIO_TYPE, IC_VFIO_BASE + 4)
#define IC_VFIO_GROUP_GET_DEVICE_FD _IO(IC_VFIO_TYPE, IC_VFIO_BASE + 6)
/* A container ioctl, but one only the conformance runner issues. */
#define IC_VFIO_IOMMU_DIRTY_PAGES _IO(IC_VFIO_TYPE, IC_VFIO_BASE + 17)

#define IC_VFIO_GROUP_FLAGS_VIABLE (1U << 0)
#define IC_VFIO_GROUP_FLAGS_CONTAINER_SET (1U << 1)

struct ic_vfio_group_status {
	uint32_t argsz;
	uint32_t flags;
};

/* Open /dev/vfio/GROUP; *fd on success. */
int iommu_vfio_group_open(unsigned int group, int *fd);

/* IC_VFIO_GROUP_FLAGS_* into *flags. */
int iommu_vfio_group_status(int group_fd, uint32_t *flags);

int iommu_vfio_group_set_container(int group_fd, int container_fd);

/* Device fd (close-on-exec, as the kernel makes it) for a device name. */
int iommu_vfio_group_device_fd(int group_fd, const char *name, int *fd);

#endif
