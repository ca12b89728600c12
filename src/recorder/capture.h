/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_RECORDER_CAPTURE_H
#define IOMMUCTL_RECORDER_CAPTURE_H

#include "binlog.h"

/*
 * Under the lock, with the log open: make an ioctl on a followed fd and
 * log it. Returns what the real ioctl returned, errno as it left it.
 */
int rec_capture_ioctl(int fd, enum rec_role role, unsigned long request,
		      void *arg);

/* A new log: its records cannot refer to an earlier log's. */
void rec_capture_reset(void);

#endif
