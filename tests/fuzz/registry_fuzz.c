// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The known-divergence registry's loader on any text, and the matcher on
 * what it loaded: each entry asked about its own op, backend, field and
 * values, under condition sets taken from the input, and about values
 * no entry lists.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "registry.h"

static void ask(const struct registry *reg, const struct registry_entry *e,
		cond_set type1, cond_set other)
{
	const struct registry_entry *found[4];
	struct registry_query q = {
		.op = e->ops.nr ? e->ops.v[0] : "map_dma",
		.ioctl = e->ops.nr ? e->ops.v[e->ops.nr - 1] : NULL,
		.backend = e->backends.nr ? e->backends.v[0] : "iommufd",
		.type1_conds = type1,
		.other_conds = other,
		.field = e->field ? e->field : "errno",
		.type1_value = e->type1.nr ? e->type1.v[0] : "(absent)",
		.other_value = e->other.nr ? e->other.v[0] : "(absent)",
		.kernel = e->since,
	};
	unsigned int n;

	n = registry_match(reg, &q, found, 4);
	/*
	 * Asked with its own values, under conditions its expression holds
	 * for, at its first release, an entry is among those found.
	 */
	if (registry_when(e, type1, other) && registry_in_range(e, e->since)) {
		bool seen = false;
		unsigned int i;

		for (i = 0; i < n && i < 4; i++)
			seen |= found[i] == e;
		if (!seen && n <= 4) {
			fprintf(stderr, "entry %s does not match itself\n",
				e->name);
			abort();
		}
	}
	q.type1_value = "no such value";
	q.kernel = "";
	registry_match(reg, &q, found, 4);
	registry_in_range(e, "6.12.117+deb12-amd64");
	registry_in_range(e, "7");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cond_set type1 = 0, other = 0;
	struct registry reg;
	char msg[512], *text;
	unsigned int i;

	/* Condition sets from the first bytes; the whole input is the text. */
	memcpy(&type1, data, size < sizeof(type1) ? size : sizeof(type1));
	if (size > sizeof(type1))
		memcpy(&other, data + sizeof(type1),
		       size - sizeof(type1) < sizeof(other) ?
			       size - sizeof(type1) :
			       sizeof(other));
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	msg[0] = '\0';
	if (registry_parse(&reg, text, "fuzz", msg, sizeof(msg))) {
		if (!msg[0]) {
			fprintf(stderr, "a refused registry without a message\n");
			abort();
		}
	} else {
		for (i = 0; i < reg.nr; i++) {
			ask(&reg, &reg.entries[i], type1, other);
			ask(&reg, &reg.entries[i], ~(cond_set)0, ~(cond_set)0);
			ask(&reg, &reg.entries[i], 0, 0);
		}
		registry_release(&reg);
	}
	free(text);
	return 0;
}
