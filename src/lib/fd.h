/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_FD_H
#define IOMMUCTL_FD_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#define IOMMU_DEFAULT_DEVICE "/dev/iommu"

enum iommu_fd_kind {
	IOMMU_FD_IOMMUFD, /* the "iommu" misc device */
	IOMMU_FD_VFIO, /* the "vfio" misc device, /dev/vfio/vfio */
	IOMMU_FD_OTHER,
};

/*
 * The file iommuctl works on: opened from a path or inherited, with what
 * fstat() says it is, so that an ioctl that fails on the wrong kind of
 * file can say so.
 */
struct iommu_fd {
	int fd;
	bool owned;
	enum iommu_fd_kind kind;
	char path[PATH_MAX]; /* as opened, or where /proc says the fd points */
	char what[64]; /* "character device 10:124", "regular file", ... */
};

/* Open path read-write. 0 or -errno from open(2). */
int iommu_fd_open(struct iommu_fd *f, const char *path);

/* Use an inherited descriptor; -EBADF when fd is not open. */
int iommu_fd_inherit(struct iommu_fd *f, int fd);

/* Close what iommu_fd_open() opened; inherited fds stay open. */
void iommu_fd_close(struct iommu_fd *f);

/* "iommufd", "vfio" or "other". */
const char *iommu_fd_kind_name(enum iommu_fd_kind kind);

#endif
