// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pidfd.h"

/*
 * glibc 2.36 (Debian 12) has no wrappers. Syscalls from 424 on have one
 * number on every architecture but alpha.
 */
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif

int iommu_fd_borrow(struct iommu_fd *f, int pid, int fd)
{
	char link[64];
	ssize_t n;
	int pidfd, dup, rc;

	pidfd = syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return -errno;
	dup = syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	rc = dup < 0 ? -errno : 0;
	close(pidfd);
	if (rc)
		return rc;
	rc = iommu_fd_inherit(f, dup);
	if (rc) {
		close(dup);
		return rc;
	}
	f->owned = true;
	/* Our duplicate has the same target; the target's fd names it. */
	snprintf(link, sizeof(link), "/proc/%d/fd/%d", pid, fd);
	n = readlink(link, f->path, sizeof(f->path) - 1);
	if (n >= 0)
		f->path[n] = '\0';
	return 0;
}
