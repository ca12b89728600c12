/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_RECORDER_LOCK_H
#define IOMMUCTL_RECORDER_LOCK_H

#include <stdbool.h>

/* false: this thread has it already (a signal handler): do not record. */
bool rec_lock(void);
void rec_unlock(void);
/* The lock itself, for fork; reset in the child. */
void rec_lock_raw(void);
void rec_unlock_raw(void);
void rec_lock_reset(void);

#endif
