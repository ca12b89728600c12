// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The recorder's safe read (src/recorder/safemem.c): what it copies and
 * compares, and that a page it trusted without asking the kernel (one of
 * the two it tries first) is asked about again once the program unmaps
 * it, whether the program's munmap() told it (rec_safe_forget()) or the
 * page had left its table first, so that the recorder's own test
 * (rec_safe_overlaps()) no longer saw it. A wrong answer here is the
 * recorder faulting in the program.
 */
#define _GNU_SOURCE
#include <atf-c.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "safemem.h"

#define KNOWN 16 /* pages the table holds */
#define PAGES (KNOWN + 1)

static uint8_t *area(size_t pages)
{
	uint8_t *p = mmap(NULL, pages * 4096, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t i;

	ATF_REQUIRE(p != MAP_FAILED);
	for (i = 0; i < pages * 4096; i++)
		p[i] = (uint8_t)(i * 7 + i / 4096);
	return p;
}

/*
 * The kernel can read this process's memory for it (process_vm_readv(2);
 * CONFIG_CROSS_MEMORY_ATTACH=n has none): without it the safe read can
 * test no pointer and trusts each one, as the kernel's ioctl will.
 */
static bool kernel_checks(void)
{
	char a = 1, b = 0;
	struct iovec local = { &b, 1 }, remote = { &a, 1 };

	return syscall(SYS_process_vm_readv, getpid(), &local, 1UL, &remote,
		       1UL, 0UL) == 1 && b == 1;
}

#define REQUIRE_KERNEL_CHECKS()                                     \
	do {                                                        \
		if (!kernel_checks())                               \
			atf_tc_skip("this kernel has no "           \
				    "process_vm_readv(2) "          \
				    "(CONFIG_CROSS_MEMORY_ATTACH=n): " \
				    "the safe read trusts every "   \
				    "pointer");                     \
	} while (0)

/* Read page i of p twice, so that it is known and the hot page. */
static void touch(const uint8_t *p, size_t i)
{
	uint64_t w[4];

	ATF_REQUIRE_EQ(rec_safe_read(w, p + i * 4096 + 64, sizeof(w)),
		       (ssize_t)sizeof(w));
	ATF_REQUIRE_EQ(rec_safe_read(w, p + i * 4096 + 64, sizeof(w)),
		       (ssize_t)sizeof(w));
	ATF_REQUIRE(memcmp(w, p + i * 4096 + 64, sizeof(w)) == 0);
}

ATF_TC_WITHOUT_HEAD(reads_and_compares);
ATF_TC_BODY(reads_and_compares, tc)
{
	uint8_t *p = area(2), buf[64];
	uint64_t w[4];

	rec_safe_init();
	/* Across a page boundary, and of 1 to 64 bytes. */
	ATF_CHECK_EQ(rec_safe_read(buf, p + 4096 - 20, 40), 40);
	ATF_CHECK(memcmp(buf, p + 4096 - 20, 40) == 0);
	ATF_CHECK_EQ(rec_safe_read(buf, p + 3, 1), 1);
	ATF_CHECK_EQ(buf[0], p[3]);
	ATF_CHECK_EQ(rec_safe_read(buf, p + 100, 0), 0);
	memcpy(w, p + 128, sizeof(w));
	ATF_CHECK(rec_safe_same(p + 128, w, sizeof(w)));
	ATF_CHECK(rec_safe_same(p + 128, w, 24));
	w[3] ^= 1;
	ATF_CHECK(!rec_safe_same(p + 128, w, sizeof(w)));
	ATF_CHECK(rec_safe_same(p + 128, w, 24));
	/* Not whole words, or more than 64 bytes: no answer but false. */
	ATF_CHECK(!rec_safe_same(p + 128, w, 20));
	ATF_CHECK(!rec_safe_same(p + 128, w, 72));
	munmap(p, 2 * 4096);
}

ATF_TC_WITHOUT_HEAD(unreadable);
ATF_TC_BODY(unreadable, tc)
{
	uint8_t *p = area(2), buf[8];
	uint64_t w[1] = { 0 };

	REQUIRE_KERNEL_CHECKS();
	rec_safe_init();
	/* A NULL pointer and an unmapped page read as nothing. */
	ATF_CHECK_EQ(rec_safe_read(buf, NULL, 8), -1);
	ATF_CHECK(rec_safe_read(buf, p + 4096 + 8, 8) == 8);
	ATF_REQUIRE_EQ(munmap(p + 4096, 4096), 0);
	rec_safe_forget((uintptr_t)p + 4096, 4096);
	ATF_CHECK_EQ(rec_safe_read(buf, p + 4096 + 8, 8), -1);
	ATF_CHECK(!rec_safe_same(p + 4096 + 8, w, 8));
	munmap(p, 4096);
}

ATF_TC_WITHOUT_HEAD(hot_page_forgotten);
ATF_TC_BODY(hot_page_forgotten, tc)
{
	uint8_t *p = area(3);
	uint64_t w[4] = { 0 };
	size_t i;

	REQUIRE_KERNEL_CHECKS();
	rec_safe_init();
	/* Both pages tried first (the map and the unmap of a loop, say). */
	touch(p, 0);
	touch(p, 1);
	touch(p, 2);
	touch(p, 1);
	ATF_REQUIRE(rec_safe_overlaps((uintptr_t)p, 3 * 4096));
	/* The one tried second, then the one tried first. */
	for (i = 2; i > 0; i--) {
		ATF_REQUIRE_EQ(munmap(p + i * 4096, 4096), 0);
		rec_safe_forget((uintptr_t)p + i * 4096, 4096);
		ATF_CHECK(!rec_safe_overlaps((uintptr_t)p + i * 4096, 4096));
		ATF_CHECK_EQ(rec_safe_read(w, p + i * 4096 + 64, sizeof(w)),
			     -1);
		ATF_CHECK(!rec_safe_same(p + i * 4096 + 64, w, sizeof(w)));
	}
	/* The other one is still read. */
	touch(p, 0);
	munmap(p, 4096);
}

ATF_TC_WITHOUT_HEAD(hot_page_evicted);
ATF_TC_BODY(hot_page_evicted, tc)
{
	uint8_t *p = area(PAGES);
	uint64_t w[4] = { 0 };
	size_t i;

	REQUIRE_KERNEL_CHECKS();
	rec_safe_init();
	/* Each read of a new page makes it known and the one tried first. */
	for (i = 0; i < KNOWN; i++)
		ATF_REQUIRE_EQ(rec_safe_read(w, p + i * 4096, sizeof(w)),
			       (ssize_t)sizeof(w));
	/*
	 * Page 0, the oldest in the table, read again: tried first now.
	 * The next new page takes its place in the table, and it is the
	 * one tried second then.
	 */
	touch(p, 0);
	touch(p, KNOWN);
	/*
	 * What the munmap() wrapper does: no known page in the range, so
	 * it does not tell the safe read. Page 0 must be asked about
	 * again, not copied from on trust.
	 */
	ATF_REQUIRE(!rec_safe_overlaps((uintptr_t)p, 4096));
	ATF_REQUIRE_EQ(munmap(p, 4096), 0);
	ATF_CHECK_EQ(rec_safe_read(w, p + 64, sizeof(w)), -1);
	ATF_CHECK(!rec_safe_same(p + 64, w, sizeof(w)));
	munmap(p + 4096, (PAGES - 1) * 4096);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, reads_and_compares);
	ATF_TP_ADD_TC(tp, unreadable);
	ATF_TP_ADD_TC(tp, hot_page_forgotten);
	ATF_TP_ADD_TC(tp, hot_page_evicted);
	return atf_no_error();
}
