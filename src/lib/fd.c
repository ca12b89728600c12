// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "fd.h"
#include "miscdev.h"

/* Whether rdev is the node of the misc device name on this system. */
static bool is_misc_device(dev_t rdev, const char *name)
{
	unsigned int maj, min;

	return !iommu_misc_devt(NULL, name, &maj, &min) &&
	       major(rdev) == maj && minor(rdev) == min;
}

static void describe(struct iommu_fd *f)
{
	struct stat st;
	const char *type;

	f->kind = IOMMU_FD_OTHER;
	if (fstat(f->fd, &st)) {
		snprintf(f->what, sizeof(f->what), "unknown (fstat: %s)",
			 strerror(errno));
		return;
	}
	if (S_ISCHR(st.st_mode)) {
		snprintf(f->what, sizeof(f->what), "character device %u:%u",
			 major(st.st_rdev), minor(st.st_rdev));
		if (is_misc_device(st.st_rdev, "iommu"))
			f->kind = IOMMU_FD_IOMMUFD;
		else if (is_misc_device(st.st_rdev, "vfio"))
			f->kind = IOMMU_FD_VFIO;
		return;
	}
	if (S_ISREG(st.st_mode))
		type = "regular file";
	else if (S_ISDIR(st.st_mode))
		type = "directory";
	else if (S_ISBLK(st.st_mode))
		type = "block device";
	else if (S_ISFIFO(st.st_mode))
		type = "pipe";
	else if (S_ISSOCK(st.st_mode))
		type = "socket";
	else
		type = "special file";
	snprintf(f->what, sizeof(f->what), "%s", type);
}

int iommu_fd_open(struct iommu_fd *f, const char *path)
{
	memset(f, 0, sizeof(*f));
	f->fd = open(path, O_RDWR | O_CLOEXEC);
	if (f->fd < 0)
		return -errno;
	f->owned = true;
	snprintf(f->path, sizeof(f->path), "%s", path);
	describe(f);
	return 0;
}

int iommu_fd_inherit(struct iommu_fd *f, int fd)
{
	char link[64];
	ssize_t n;

	memset(f, 0, sizeof(*f));
	if (fd < 0 || fcntl(fd, F_GETFD) < 0)
		return -EBADF;
	f->fd = fd;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, f->path, sizeof(f->path) - 1);
	if (n < 0)
		snprintf(f->path, sizeof(f->path), "fd %d", fd);
	else
		f->path[n] = '\0';
	describe(f);
	return 0;
}

void iommu_fd_close(struct iommu_fd *f)
{
	if (f->owned && f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	f->owned = false;
}

const char *iommu_fd_kind_name(enum iommu_fd_kind kind)
{
	switch (kind) {
	case IOMMU_FD_IOMMUFD:
		return "iommufd";
	case IOMMU_FD_VFIO:
		return "vfio";
	case IOMMU_FD_OTHER:
		break;
	}
	return "other";
}
