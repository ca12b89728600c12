/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_IOCTL_H
#define IOMMUCTL_IOCTL_H

#include <errno.h>
#include <sys/ioctl.h>

/* ioctl() in the library's 0/-errno convention, for struct arguments. */
static inline int ic_ioctl(int fd, unsigned long request, void *arg)
{
	return ioctl(fd, request, arg) < 0 ? -errno : 0;
}

/*
 * For the VFIO container ioctls that take a plain integer and return a
 * non-negative value (CHECK_EXTENSION, GET_API_VERSION, SET_IOMMU).
 */
static inline int ic_ioctl_val(int fd, unsigned long request, unsigned long arg)
{
	int rc = ioctl(fd, request, arg);

	return rc < 0 ? -errno : rc;
}

#endif
