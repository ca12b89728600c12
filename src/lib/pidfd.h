/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_PIDFD_H
#define IOMMUCTL_PIDFD_H

#include "fd.h"

/*
 * Duplicate file descriptor fd of process pid into f with pidfd_open()
 * and pidfd_getfd(), so that the kernel's ptrace access check decides
 * who may look. f owns the duplicate; f->path is where the target's fd
 * points. 0 or -errno (-ESRCH no such process, -EBADF no such fd,
 * -EPERM refused by the ptrace check, -ENOSYS a kernel before 5.6).
 */
int iommu_fd_borrow(struct iommu_fd *f, int pid, int fd);

#endif
