/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_RECORDER_LOCK_H
#define IOMMUCTL_RECORDER_LOCK_H

#include <stdbool.h>

#if __has_include(<sys/single_threaded.h>)
#include <sys/single_threaded.h>
#define rec_single_threaded() __libc_single_threaded
#else
#define rec_single_threaded() 0
#endif

/* The lock itself, for fork; reset in the child. */
void rec_lock_raw(void);
void rec_unlock_raw(void);
void rec_lock_reset(void);

/* Taken while the process had one thread (lock.c). */
extern bool rec_single_held;
bool rec_lock_threads(void);

/* false: this thread has it already (a signal handler): do not record. */
static inline bool rec_lock(void)
{
	if (!rec_single_threaded())
		return rec_lock_threads();
	if (rec_single_held)
		return false;
	rec_single_held = true;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	return true;
}

static inline void rec_unlock(void)
{
	if (rec_single_held) {
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		rec_single_held = false;
		return;
	}
	rec_unlock_raw();
}

#endif
