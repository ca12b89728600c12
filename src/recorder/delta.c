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
#include "delta.h"

size_t rec_delta_decode(const struct rec_delta *t, uint32_t request,
			uint8_t role, const uint8_t *p, size_t avail,
			uint8_t *in, size_t nused)
{
	unsigned int s = rec_delta_slot(request, role), i;
	uint16_t mask;
	size_t n = sizeof(mask);

	if (!rec_delta_fits(nused) || t->slot[s].request != request ||
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
	unsigned int s = rec_delta_slot(request, role);

	if (!rec_delta_fits(nused))
		return;
	t->slot[s].request = request;
	t->slot[s].role = role;
	t->slot[s].nused = (uint16_t)nused;
	memcpy(t->slot[s].in, in, nused);
}

void rec_delta_forget(struct rec_delta *t, uint32_t request, uint8_t role)
{
	t->slot[rec_delta_slot(request, role)].nused = 0;
}
