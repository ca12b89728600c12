// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which descriptors are VFIO's. A descriptor is classified once, when
 * the program opens (or receives) it, by the device number it refers to,
 * so /dev/vfio/vfio as a symlink to /dev/iommu, or a device node under
 * another name, is what it is. The table is read without the lock on
 * every ioctl: one byte per fd, written with atomic stores.
 *
 * A group or device file is also known as a file: each one the program
 * opens gets a number, which dup(2) and the like share, with a count of
 * the program's descriptors that refer to it. So the recorder can tell
 * when the program lets go of its last descriptor of the file, which is
 * when the kernel releases it (as far as this process goes: a child of a
 * fork or the receiver of a passed descriptor holds it too, unseen).
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
/* Group and device files: which one a descriptor is, and its count. */
#define NR_FILES 65536
static uint16_t file_of[REC_MAX_FD];
static uint16_t file_refs[NR_FILES];
static uint16_t last_file;

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

/* A number for a newly opened file, not one a descriptor still holds. */
static uint16_t new_file(void)
{
	uint16_t f;
	unsigned int tries;

	for (tries = 0; tries < NR_FILES; tries++) {
		f = __atomic_add_fetch(&last_file, 1, __ATOMIC_RELAXED);
		if (f && !__atomic_load_n(&file_refs[f], __ATOMIC_RELAXED))
			break;
	}
	__atomic_store_n(&file_refs[f], 1, __ATOMIC_RELAXED);
	return f;
}

void rec_fd_set(int fd, enum rec_role role)
{
	uint16_t f = 0;

	if (fd < 0 || fd >= REC_MAX_FD)
		return;
	if (role == ROLE_GROUP || role == ROLE_DEVICE)
		f = new_file();
	__atomic_store_n(&file_of[fd], f, __ATOMIC_RELAXED);
	__atomic_store_n(&roles[fd], (unsigned char)role, __ATOMIC_RELAXED);
}

void rec_fd_copy(int oldfd, int newfd)
{
	uint16_t f;

	if (oldfd < 0 || oldfd >= REC_MAX_FD || newfd < 0 ||
	    newfd >= REC_MAX_FD)
		return;
	f = __atomic_load_n(&file_of[oldfd], __ATOMIC_RELAXED);
	if (f)
		__atomic_add_fetch(&file_refs[f], 1, __ATOMIC_RELAXED);
	__atomic_store_n(&file_of[newfd], f, __ATOMIC_RELAXED);
	__atomic_store_n(&roles[newfd], (unsigned char)rec_fd_role(oldfd),
			 __ATOMIC_RELAXED);
}

enum rec_role rec_fd_release(int fd)
{
	enum rec_role role = rec_fd_role(fd);
	uint16_t f;

	if (role == ROLE_NONE)
		return ROLE_NONE;
	f = __atomic_exchange_n(&file_of[fd], 0, __ATOMIC_RELAXED);
	__atomic_store_n(&roles[fd], ROLE_NONE, __ATOMIC_RELAXED);
	if (f && !__atomic_sub_fetch(&file_refs[f], 1, __ATOMIC_RELAXED))
		return role;
	return ROLE_NONE;
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
