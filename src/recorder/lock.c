// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The recorder's one lock, taken around every recorded call: a futex
 * word, so that the uncontended case is one atomic exchange each way
 * and no call into the C library (Drepper, "Futexes Are Tricky",
 * mutex2). 0 free, 1 held, 2 held and someone may be waiting.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lock.h"

static int word;

/*
 * This thread holds the lock, or is about to take it or has just let it
 * go: a signal handler that interrupts it then must not wait for it. Set
 * before the lock is taken and cleared after it is released, so that
 * no instant leaves the handler thinking the lock is someone else's.
 */
static __thread bool holding __attribute__((tls_model("initial-exec")));

void rec_lock_raw(void)
{
	int c = 0, saved;

	if (__atomic_compare_exchange_n(&word, &c, 1, false, __ATOMIC_ACQUIRE,
					__ATOMIC_RELAXED))
		return;
	saved = errno;
	if (c != 2)
		c = __atomic_exchange_n(&word, 2, __ATOMIC_ACQUIRE);
	while (c) {
		syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 2, NULL, NULL, 0);
		c = __atomic_exchange_n(&word, 2, __ATOMIC_ACQUIRE);
	}
	errno = saved;
}

void rec_unlock_raw(void)
{
	int saved;

	if (__atomic_exchange_n(&word, 0, __ATOMIC_RELEASE) != 2)
		return;
	saved = errno;
	syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	errno = saved;
}

/* In a forked child: only this thread is left. */
void rec_lock_reset(void)
{
	word = 0;
}

bool rec_lock(void)
{
	if (holding)
		return false;
	holding = true;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	rec_lock_raw();
	return true;
}

void rec_unlock(void)
{
	rec_unlock_raw();
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	holding = false;
}
