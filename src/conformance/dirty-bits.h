/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_DIRTY_BITS_H
#define IOMMUCTL_DIRTY_BITS_H

#include <stddef.h>
#include <stdint.h>

/*
 * A VFIO dirty bitmap as text, one form for what a replay reports and
 * what a trace expects: "none", or the indexes of the set bits in
 * ascending order, runs written as ranges ("0,2-5,64"). Bit i stands for
 * the page at iova + i * pgsize and lives in u64 word i / 64, bit i % 64,
 * as linux/vfio.h lays the bitmap out.
 */

/* 0, or -ENOSPC when the text does not fit in len bytes. */
int dirty_bits_format(const uint64_t *words, size_t nwords, char *buf,
		      size_t len);

/*
 * Set the bits text names in words (cleared first). -EINVAL when text is
 * malformed, not ascending, or names a bit at nwords * 64 or beyond.
 */
int dirty_bits_parse(const char *text, uint64_t *words, size_t nwords);

#endif
