/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_RECORDER_SAFEMEM_H
#define IOMMUCTL_RECORDER_SAFEMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Under the lock: read memory that may not be mapped; bytes read, or -1.
 * rec_safe_init() at start and in a forked child; the program's munmap
 * makes pages unknown again (rec_safe_overlaps() is the lock-free test).
 */
void rec_safe_init(void);
ssize_t rec_safe_read(void *dst, const void *src, size_t len);
/*
 * Under the lock: the len bytes at src (whole words, 64 at most) are
 * readable and hold words; false when they differ or cannot be read.
 */
bool rec_safe_same(const void *src, const uint64_t *words, size_t len);
/*
 * Under the lock: the len bytes at src lie in a page read from lately,
 * or no pointer can be tested: they may be read directly; false (no
 * system call made, errno kept) when that is not known.
 */
bool rec_safe_hot(const void *src, size_t len);
bool rec_safe_overlaps(uintptr_t start, size_t len);
void rec_safe_forget(uintptr_t start, size_t len);

/*
 * memcpy() for the few bytes of a call: the C library's is tuned for
 * large copies with vector instructions, slow to start (and under
 * emulation) for 32. Words, then at most one of each smaller size: a
 * guest under emulation pays for every load and store.
 */
static inline void rec_copy(void *dst, const void *src, size_t len)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
	uint64_t w;
	uint32_t h;
	uint16_t q;

#pragma GCC unroll 8
	for (; len >= sizeof(w); len -= sizeof(w)) {
		__builtin_memcpy(&w, s, sizeof(w));
		__builtin_memcpy(d, &w, sizeof(w));
		s += sizeof(w);
		d += sizeof(w);
	}
	if (len & sizeof(h)) {
		__builtin_memcpy(&h, s, sizeof(h));
		__builtin_memcpy(d, &h, sizeof(h));
		s += sizeof(h);
		d += sizeof(h);
	}
	if (len & sizeof(q)) {
		__builtin_memcpy(&q, s, sizeof(q));
		__builtin_memcpy(d, &q, sizeof(q));
		s += sizeof(q);
		d += sizeof(q);
	}
	if (len & 1)
		*d = *s;
}

/*
 * The len bytes at src (whole words) are words: every word loaded and
 * compared, no branch between them. src must be readable.
 */
static inline bool rec_same_words(const void *src, const uint64_t *words,
				  size_t len)
{
	uint64_t w;
	bool same = true;
	size_t i;

#pragma GCC unroll 8
	for (i = 0; i < len / sizeof(w); i++) {
		__builtin_memcpy(&w, (const uint8_t *)src + i * sizeof(w),
				 sizeof(w));
		same &= w == words[i];
	}
	return same;
}

#endif
