// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which descriptors are VFIO's. A descriptor is classified once, when
 * the program opens (or receives) it, by the device number it refers to,
 * so /dev/vfio/vfio as a symlink to /dev/iommu, or a device node under
 * another name, is what it is. The table is read without the lock on
 * every ioctl: one byte per fd, written with atomic stores.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "fdtab.h"

#define MISC_MAJOR 10
#define VFIO_MINOR 196

static unsigned char roles[REC_MAX_FD];

/* Found once: the iommufd node and the majors of groups and devices. */
static bool looked;
static dev_t iommu_rdev;
static unsigned int group_major, device_major;

enum rec_role rec_fd_role(int fd)
{
	if (fd < 0 || fd >= REC_MAX_FD)
		return ROLE_NONE;
	return __atomic_load_n(&roles[fd], __ATOMIC_RELAXED);
}

void rec_fd_set(int fd, enum rec_role role)
{
	if (fd >= 0 && fd < REC_MAX_FD)
		__atomic_store_n(&roles[fd], (unsigned char)role,
				 __ATOMIC_RELAXED);
}

void rec_fd_copy(int oldfd, int newfd)
{
	rec_fd_set(newfd, rec_fd_role(oldfd));
}

/* The major of a character device driver named in /proc/devices. */
static unsigned int major_of(const char *text, const char *name)
{
	const char *p = strstr(text, "Character devices:");
	const char *end = p ? strstr(p, "Block devices:") : NULL;
	size_t n = strlen(name);
	unsigned int major;

	while (p && (!end || p < end)) {
		p = strchr(p, '\n');
		if (!p++)
			break;
		major = 0;
		while (*p == ' ')
			p++;
		while (*p >= '0' && *p <= '9')
			major = major * 10 + (unsigned int)(*p++ - '0');
		if (*p == ' ' && !strncmp(p + 1, name, n) && p[1 + n] == '\n')
			return major;
	}
	return 0;
}

static void look(void)
{
	char text[8192];
	struct stat st;
	ssize_t n, got = 0;
	int fd;

	if (!syscall(SYS_newfstatat, AT_FDCWD, "/dev/iommu", &st, 0) &&
	    S_ISCHR(st.st_mode))
		iommu_rdev = st.st_rdev;
	fd = (int)syscall(SYS_openat, AT_FDCWD, "/proc/devices",
			  O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		while ((n = read(fd, text + got, sizeof(text) - 1 - got)) > 0)
			got += n;
		syscall(SYS_close, fd);
	}
	text[got] = '\0';
	group_major = major_of(text, "vfio");
	device_major = major_of(text, "vfio-dev");
	__atomic_store_n(&looked, true, __ATOMIC_RELEASE);
}

enum rec_role rec_classify(int fd)
{
	struct stat st;

	if (syscall(SYS_fstat, fd, &st) || !S_ISCHR(st.st_mode))
		return ROLE_NONE;
	if (major(st.st_rdev) == MISC_MAJOR && minor(st.st_rdev) == VFIO_MINOR)
		return ROLE_CONTAINER;
	if (!__atomic_load_n(&looked, __ATOMIC_ACQUIRE))
		look();
	if (iommu_rdev && st.st_rdev == iommu_rdev)
		return ROLE_CONTAINER;
	if (group_major && major(st.st_rdev) == group_major)
		return ROLE_GROUP;
	if (device_major && major(st.st_rdev) == device_major)
		return ROLE_DEVICE;
	return ROLE_NONE;
}
