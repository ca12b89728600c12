/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_TIMING_MEM_H
#define IOMMUCTL_TIMING_MEM_H

#include <stddef.h>
#include <stdint.h>

#include "timing.h"

struct timing_buf {
	void *va;
	size_t len;
};

/* The default hugetlb page size in bytes, 0 when there is none. */
uint64_t timing_hugepage_size(void);

/*
 * At least len bytes of memory of the kind, every page touched; a
 * hugetlb buffer is a whole number of huge pages. 0, or -errno with why
 * saying what is missing and how to get it.
 */
int timing_buf_alloc(struct timing_buf *b, enum timing_memory mem,
		     size_t len, char *why, size_t wlen);
void timing_buf_free(struct timing_buf *b);

#endif
