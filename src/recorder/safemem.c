// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading an ioctl's argument without trusting the pointer: a program
 * that passes a bad one must get EFAULT from the kernel, not SIGSEGV
 * from the recorder. process_vm_readv() on ourselves reads or fails
 * cleanly, but costs a system call; pages it has read once are kept
 * (a VMM passes the same few stack and heap structs again and again)
 * and read directly after that, until the program unmaps them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "safemem.h"

#define PAGE \
	4096UL /* the smallest page: a smaller unit than the real one is safe */
#define KNOWN 16

static uintptr_t known[KNOWN]; /* page addresses, 0: free */
static unsigned int next_slot;
/*
 * The known pages that answered last and the time before, tried first
 * (NONE: no page): a program whose map and unmap structures lie on two
 * pages (two stack frames, a page boundary between them) alternates
 * between them. Each is in known[] while it is set.
 */
#define NONE 1UL /* never a page's address */
static uintptr_t hot_page = NONE, warm_page = NONE;
static pid_t self;
/* process_vm_readv() said it never will (ENOSYS, EPERM): not asked again. */
static bool untestable;

void rec_safe_init(void)
{
	self = (pid_t)syscall(SYS_getpid);
	memset(known, 0, sizeof(known));
	hot_page = warm_page = NONE;
}

static bool is_known(uintptr_t page)
{
	unsigned int i;

	if (page == hot_page)
		return true;
	for (i = 0; i < KNOWN; i++)
		if (known[i] == page) {
			warm_page = hot_page;
			hot_page = page;
			return true;
		}
	return false;
}

/* Page leaves known[] (slot reused, or unmapped). */
static void drop(unsigned int slot)
{
	if (known[slot] == hot_page)
		hot_page = NONE;
	if (known[slot] == warm_page)
		warm_page = NONE;
	__atomic_store_n(&known[slot], 0, __ATOMIC_RELAXED);
}

static void remember(uintptr_t page)
{
	if (is_known(page))
		return;
	drop(next_slot);
	__atomic_store_n(&known[next_slot], page, __ATOMIC_RELAXED);
	next_slot = (next_slot + 1) % KNOWN;
}

/* A page not known yet: read through the kernel, which checks it. */
static __attribute__((noinline)) ssize_t read_checked(void *dst,
						      const void *src,
						      size_t len)
{
	uintptr_t first = (uintptr_t)src & ~(PAGE - 1);
	uintptr_t last = ((uintptr_t)src + len - 1) & ~(PAGE - 1);
	struct iovec local = { dst, len }, remote = { (void *)src, len };
	ssize_t n;

	n = syscall(SYS_process_vm_readv, self, &local, 1UL, &remote, 1UL, 0UL);
	if (n < 0 && (errno == ENOSYS || errno == EPERM)) {
		/* No way to test the pointer: trust it, as the kernel will. */
		untestable = true;
		rec_copy(dst, src, len);
		return (ssize_t)len;
	}
	if (n == (ssize_t)len && len <= PAGE) {
		remember(first);
		remember(last);
	}
	return n;
}

static __attribute__((noinline)) ssize_t read_slow(void *dst, const void *src,
						   size_t len)
{
	uintptr_t first = (uintptr_t)src & ~(PAGE - 1);
	uintptr_t last = ((uintptr_t)src + len - 1) & ~(PAGE - 1);

	if (!len)
		return 0;
	if (untestable || (len <= PAGE && first && is_known(first) &&
			   (last == first || is_known(last)))) {
		rec_copy(dst, src, len);
		return (ssize_t)len;
	}
	return read_checked(dst, src, len);
}

/*
 * Within one of the two pages that answered last, or nothing can be
 * checked (no process_vm_readv(): CONFIG_CROSS_MEMORY_ATTACH=n): the
 * common cases, inline.
 */
bool rec_safe_hot(const void *src, size_t len)
{
	uintptr_t first = (uintptr_t)src & ~(PAGE - 1);
	bool hot = len && (((first == hot_page || first == warm_page) &&
			    (uintptr_t)src - first + len <= PAGE) ||
			   untestable);

	return __builtin_expect(hot, 1);
}

ssize_t rec_safe_read(void *dst, const void *src, size_t len)
{
	if (rec_safe_hot(src, len)) {
		rec_copy(dst, src, len);
		return (ssize_t)len;
	}
	return read_slow(dst, src, len);
}

bool rec_safe_same(const void *src, const uint64_t *words, size_t len)
{
	uint64_t copy[8];

	if (len % sizeof(copy[0]) || len > sizeof(copy))
		return false;
	if (__builtin_expect(!rec_safe_hot(src, len), 0)) {
		if (read_slow(copy, src, len) != (ssize_t)len)
			return false;
		src = copy;
	}
	return rec_same_words(src, words, len);
}

bool rec_safe_overlaps(uintptr_t start, size_t len)
{
	uintptr_t page;
	unsigned int i;

	for (i = 0; i < KNOWN; i++) {
		page = __atomic_load_n(&known[i], __ATOMIC_RELAXED);
		if (page && page < start + len && start < page + PAGE)
			return true;
	}
	return false;
}

void rec_safe_forget(uintptr_t start, size_t len)
{
	unsigned int i;

	for (i = 0; i < KNOWN; i++)
		if (known[i] && known[i] < start + len &&
		    start < known[i] + PAGE)
			drop(i);
}
