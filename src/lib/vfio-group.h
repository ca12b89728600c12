/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_VFIO_GROUP_H
#define IOMMUCTL_VFIO_GROUP_H

#include <stdint.h>

#include "uapi-vfio.h"

/*
 * The VFIO group ioctls a VMM uses to put a group in a container and get
 * its device fds, Linux 6.12 layouts. VFIO_GROUP_SET_CONTAINER takes a
 * /dev/vfio/vfio fd or a /dev/iommu fd alike, which is what lets one
 * program compare the two. Same 0/-errno convention as compat.h. The
 * numbers and layouts are uapi-vfio.h's.
 */

/* Open /dev/vfio/GROUP; *fd on success. */
int iommu_vfio_group_open(unsigned int group, int *fd);

/* IC_VFIO_GROUP_FLAGS_* into *flags. */
int iommu_vfio_group_status(int group_fd, uint32_t *flags);

int iommu_vfio_group_set_container(int group_fd, int container_fd);
/* VFIO_GROUP_UNSET_CONTAINER: the group leaves its container. */
int iommu_vfio_group_unset_container(int group_fd);

/* Device fd (close-on-exec, as the kernel makes it) for a device name. */
int iommu_vfio_group_device_fd(int group_fd, const char *name, int *fd);

#endif
