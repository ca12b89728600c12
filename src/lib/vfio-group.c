// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "ioctl.h"
#include "vfio-group.h"

int iommu_vfio_group_open(unsigned int group, int *fd)
{
	char path[32];
	int rc;

	snprintf(path, sizeof(path), "/dev/vfio/%u", group);
	rc = open(path, O_RDWR | O_CLOEXEC);
	if (rc < 0)
		return -errno;
	*fd = rc;
	return 0;
}

int iommu_vfio_group_status(int group_fd, uint32_t *flags)
{
	struct ic_vfio_group_status st = { .argsz = sizeof(st) };
	int rc;

	rc = ic_ioctl(group_fd, IC_VFIO_GROUP_GET_STATUS, &st);
	if (rc)
		return rc;
	*flags = st.flags;
	return 0;
}

int iommu_vfio_group_set_container(int group_fd, int container_fd)
{
	return ic_ioctl(group_fd, IC_VFIO_GROUP_SET_CONTAINER, &container_fd);
}

int iommu_vfio_group_unset_container(int group_fd)
{
	return ic_ioctl(group_fd, IC_VFIO_GROUP_UNSET_CONTAINER, NULL);
}

int iommu_vfio_group_device_fd(int group_fd, const char *name, int *fd)
{
	int rc;

	/* The argument is the name itself, not a pointer to a struct. */
	rc = ic_ioctl_val(group_fd, IC_VFIO_GROUP_GET_DEVICE_FD,
			  (unsigned long)name);
	if (rc < 0)
		return rc;
	*fd = rc;
	return 0;
}
