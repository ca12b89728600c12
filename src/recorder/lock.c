// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The recorder's one lock, taken around every recorded call. The lock
 * word holds the thread that has it, so that one atomic exchange each
 * way takes and gives it and tells a signal handler that interrupted
 * the holder (the same thread) not to wait for itself. Threads that
 * find it taken sleep on a separate futex word (Drepper, "Futexes Are
 * Tricky", with the owner in the lock word).
 *
 * The thread is named by the address of a thread-local byte: one read
 * of the thread pointer, no store. Under emulation (the VM tier's TCG)
 * every store to thread-local memory and every call costs: the earlier
 * version, a flag set and cleared around a three-state futex word,
 * measured 1.07 against 1.02 for the bare futex in record_bench.
 *
 * While the C library says the process has one thread
 * (__libc_single_threaded, glibc 2.32 and later), there is nobody to
 * wait for and no atomic instruction is needed: a plain flag stands for
 * the lock, which a signal handler that interrupted the holder sees set.
 * The C library clears its word before it starts a second thread, which
 * happens outside the lock (the recorder starts none, and a signal
 * handler may not), so the one thread is never inside it then.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lock.h"

bool rec_single_held;
static uintptr_t owner; /* 0: free */
static unsigned int waiters;
static unsigned int wake_seq; /* the futex word the waiters sleep on */

static __thread char me __attribute__((tls_model("initial-exec")));

static inline uintptr_t self(void)
{
	return (uintptr_t)&me;
}

static bool try_take(uintptr_t id)
{
	uintptr_t free_word = 0;

	return __atomic_compare_exchange_n(&owner, &free_word, id, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/* Taken by another thread: sleep until it is given back, then take it. */
static __attribute__((noinline)) void wait_take(uintptr_t id)
{
	int saved = errno;
	unsigned int seq;

	__atomic_add_fetch(&waiters, 1, __ATOMIC_SEQ_CST);
	for (;;) {
		seq = __atomic_load_n(&wake_seq, __ATOMIC_SEQ_CST);
		if (try_take(id))
			break;
		syscall(SYS_futex, &wake_seq, FUTEX_WAIT_PRIVATE, seq, NULL,
			NULL, 0);
	}
	__atomic_sub_fetch(&waiters, 1, __ATOMIC_SEQ_CST);
	errno = saved;
}

static __attribute__((noinline)) void wake_one(void)
{
	int saved = errno;

	__atomic_add_fetch(&wake_seq, 1, __ATOMIC_SEQ_CST);
	syscall(SYS_futex, &wake_seq, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	errno = saved;
}

void rec_lock_raw(void)
{
	uintptr_t id = self();

	if (!try_take(id))
		wait_take(id);
}

void rec_unlock_raw(void)
{
	/* The exchange is a full barrier: the waiter count read after it
	 * sees any thread that went to sleep before the lock was free. */
	__atomic_exchange_n(&owner, 0, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&waiters, __ATOMIC_SEQ_CST))
		wake_one();
}

/* In a forked child: only this thread is left. */
void rec_lock_reset(void)
{
	rec_single_held = false;
	owner = 0;
	waiters = 0;
}

bool rec_lock_threads(void)
{
	uintptr_t id = self();

	if (try_take(id))
		return true;
	/* Only this thread stores its own id: it holds the lock below us. */
	if (__atomic_load_n(&owner, __ATOMIC_RELAXED) == id)
		return false;
	wait_take(id);
	return true;
}
