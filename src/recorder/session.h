/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_RECORDER_SESSION_H
#define IOMMUCTL_RECORDER_SESSION_H

#include <stdbool.h>

/*
 * A recording's life in this process: set up from the environment,
 * the log created with the first VFIO descriptor, reset in a forked
 * child, converted at exit.
 */

/* Recording is on in this process. */
bool rec_enabled(void);
/* Create the log now (the first VFIO descriptor exists). */
void rec_start(void);
/*
 * Take the lock with the log open (when it can be: otherwise records
 * are dropped); false when this thread holds it already, which means
 * do not record. errno is kept.
 */
bool rec_session_lock(void);

#endif
