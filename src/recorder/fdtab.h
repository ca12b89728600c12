/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_RECORDER_FDTAB_H
#define IOMMUCTL_RECORDER_FDTAB_H

#include "binlog.h"

/* Descriptors above this are not followed (documented limit). */
#define REC_MAX_FD 65536

enum rec_role rec_fd_role(int fd);
void rec_fd_set(int fd, enum rec_role role);
/* What a freshly opened (or received) descriptor is, by its device number. */
enum rec_role rec_classify(int fd);
/* After dup/dup2/dup3/F_DUPFD: newfd is what oldfd is. */
void rec_fd_copy(int oldfd, int newfd);
/*
 * The program lets go of fd (close, or dup2 over it), which stops being
 * followed: the role it had when it was the program's last descriptor
 * of its group or device file (the kernel releases the file), else
 * ROLE_NONE.
 */
enum rec_role rec_fd_release(int fd);

#endif
