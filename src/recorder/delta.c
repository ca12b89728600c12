// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Inputs logged as what changed since the same call last: a program that
 * maps and unmaps in a loop passes the same structure with a new IOVA,
 * and each byte logged is a byte of page the kernel must clear on the
 * program's clock. Used by the recorder and the converter alike, so
 * both tables see the same calls in the same order.
 */
#include <string.h>

#include "binlog.h"

static unsigned int slot_of(uint32_t request, uint8_t role)
{
	return (request ^ (request >> 8) ^ role) % REC_DELTA_SLOTS;
}

static bool fits(size_t nused)
{
	return nused && nused <= REC_DELTA_MAX && !(nused % sizeof(uint32_t));
}

/*
 * Word w of in into out at n when it differs from old's, and into old
 * too; the new n.
 */
static size_t put_word(const uint8_t *in, uint8_t *old, unsigned int w,
		       uint16_t *mask, uint8_t *out, size_t n)
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

size_t rec_delta_encode(struct rec_delta *t, uint32_t request, uint8_t role,
			const uint8_t *in, size_t nused, uint8_t *out)
{
	unsigned int s = slot_of(request, role), i;
	uint8_t *old = t->slot[s].in;
	uint64_t a, b;
	uint16_t mask = 0;
	size_t n = sizeof(mask);

	if (!fits(nused) || t->slot[s].request != request ||
	    t->slot[s].role != role || t->slot[s].nused != nused)
		return 0;
	/* Most pairs of words are as they were: compared two at a time. */
#pragma GCC unroll 8
	for (i = 0; i + sizeof(a) <= nused; i += sizeof(a)) {
		__builtin_memcpy(&a, in + i, sizeof(a));
		__builtin_memcpy(&b, old + i, sizeof(b));
		if (a == b)
			continue;
		n = put_word(in, old, i / 4, &mask, out, n);
		n = put_word(in, old, i / 4 + 1, &mask, out, n);
	}
	if (i < nused)
		n = put_word(in, old, i / 4, &mask, out, n);
	__builtin_memcpy(out, &mask, sizeof(mask));
	return n;
}

size_t rec_delta_decode(const struct rec_delta *t, uint32_t request,
			uint8_t role, const uint8_t *p, size_t avail,
			uint8_t *in, size_t nused)
{
	unsigned int s = slot_of(request, role), i;
	uint16_t mask;
	size_t n = sizeof(mask);

	if (!fits(nused) || t->slot[s].request != request ||
	    t->slot[s].role != role || t->slot[s].nused != nused ||
	    avail < sizeof(mask))
		return 0;
	memcpy(&mask, p, sizeof(mask));
	memcpy(in, t->slot[s].in, nused);
	for (i = 0; i < nused / sizeof(uint32_t); i++) {
		if (!(mask & (1U << i)))
			continue;
		if (n + sizeof(uint32_t) > avail)
			return 0;
		memcpy(in + i * sizeof(uint32_t), p + n, sizeof(uint32_t));
		n += sizeof(uint32_t);
	}
	return n;
}

void rec_delta_update(struct rec_delta *t, uint32_t request, uint8_t role,
		      const uint8_t *in, size_t nused)
{
	unsigned int s = slot_of(request, role);

	if (!fits(nused))
		return;
	t->slot[s].request = request;
	t->slot[s].role = role;
	t->slot[s].nused = (uint16_t)nused;
	memcpy(t->slot[s].in, in, nused);
}

void rec_delta_forget(struct rec_delta *t, uint32_t request, uint8_t role)
{
	t->slot[slot_of(request, role)].nused = 0;
}
