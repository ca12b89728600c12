/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_RECORDER_DELTA_H
#define IOMMUCTL_RECORDER_DELTA_H
/*
 * The delta codec's table lookup and its encoder (binlog.h, struct
 * rec_delta), inline: the recorder encodes on the program's clock, and
 * with the request, role and size known at the call (a container's plain
 * map or unmap), the slot and the loops fold into a few compares.
 */
#include <stddef.h>
#include <stdint.h>

#include "binlog.h"

static inline unsigned int rec_delta_slot(uint32_t request, uint8_t role)
{
	return (request ^ (request >> 8) ^ role) % REC_DELTA_SLOTS;
}

/* Inputs of this size go through the table. */
static inline bool rec_delta_fits(size_t nused)
{
	return nused && nused <= REC_DELTA_MAX && !(nused % sizeof(uint32_t));
}

/*
 * Word w of in into out at n when it differs from old's, and into old
 * too; the new n.
 */
static inline size_t rec_delta_put_word(const uint8_t *in, uint8_t *old,
					unsigned int w, uint16_t *mask,
					uint8_t *out, size_t n)
{
	uint32_t a, b;

	__builtin_memcpy(&a, in + w * sizeof(a), sizeof(a));
	__builtin_memcpy(&b, old + w * sizeof(b), sizeof(b));
	if (a == b)
		return n;
	*mask |= (uint16_t)(1U << w);
	__builtin_memcpy(out + n, &a, sizeof(a));
	__builtin_memcpy(old + w * sizeof(a), &a, sizeof(a));
	return n + sizeof(a);
}

/*
 * The encoding of in into out (room for 2 + REC_DELTA_MAX), or 0 with
 * nothing written; when it encodes, the table takes in as
 * rec_delta_update() would (the recorder's record must then be logged,
 * or the slot forgotten). out is written in order, its 2 + 4k bytes
 * only.
 */
static inline size_t rec_delta_encode(struct rec_delta *t, uint32_t request,
				      uint8_t role, const uint8_t *in,
				      size_t nused, uint8_t *out)
{
	unsigned int s = rec_delta_slot(request, role), i;
	uint8_t *old = t->slot[s].in;
	uint64_t a, b;
	uint16_t mask = 0;
	size_t n = sizeof(mask);

	if (!rec_delta_fits(nused) || t->slot[s].request != request ||
	    t->slot[s].role != role || t->slot[s].nused != nused)
		return 0;
	/* Most pairs of words are as they were: compared two at a time. */
#pragma GCC unroll 8
	for (i = 0; i + sizeof(a) <= nused; i += sizeof(a)) {
		__builtin_memcpy(&a, in + i, sizeof(a));
		__builtin_memcpy(&b, old + i, sizeof(b));
		if (a == b)
			continue;
		n = rec_delta_put_word(in, old, i / 4, &mask, out, n);
		n = rec_delta_put_word(in, old, i / 4 + 1, &mask, out, n);
	}
	if (i < nused)
		n = rec_delta_put_word(in, old, i / 4, &mask, out, n);
	__builtin_memcpy(out, &mask, sizeof(mask));
	return n;
}

#endif
