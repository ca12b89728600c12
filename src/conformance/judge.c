// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "judge.h"
#include "names.h"

#define INFO_MINSZ 16

/* Next "key=value" word of a field list; NULL after the last. */
static const char *next_word(const char *p, char *key, size_t klen, char *val,
			     size_t vlen)
{
	size_t n = strcspn(p, " "), k;
	const char *eq = memchr(p, '=', n);

	k = eq ? (size_t)(eq - p) : n;
	snprintf(key, klen, "%.*s", (int)k, p);
	if (eq)
		snprintf(val, vlen, "%.*s", (int)(n - k - 1), eq + 1);
	else
		val[0] = '\0';
	p += n;
	return *p ? p + 1 : NULL;
}

void judge_field(const char *fields, const char *key, char *val, size_t len)
{
	char k[48], v[96];
	const char *p = fields;

	while (p && *p) {
		p = next_word(p, k, sizeof(k), v, sizeof(v));
		if (!strcmp(k, key)) {
			snprintf(val, len, "%s", v);
			return;
		}
	}
	snprintf(val, len, "(absent)");
}

cond_set judge_result_conds(enum trace_op op, bool has_argsz, uint32_t argsz,
			    const struct judge_result *r)
{
	cond_set set = r->err ? COND_BIT(C_FAILED) : 0;
	unsigned long long needed;
	char v[96], *end;

	/*
	 * A GET_INFO whose argsz holds the header but not the chain: the
	 * backend says how much it needed in the argsz it writes back.
	 */
	if (op == OP_GET_INFO && has_argsz && argsz >= INFO_MINSZ) {
		judge_field(r->fields, "argsz", v, sizeof(v));
		needed = strtoull(v, &end, 10);
		if (end != v && !*end && needed > argsz)
			set |= COND_BIT(C_ARGSZ_TOO_SMALL_FOR_CAPS);
	}
	return set;
}

static int add(const struct registry *reg, const struct registry_query *base,
	       int bk, const char *field, const char *v1, const char *v2,
	       struct divergence **div, unsigned int *nr)
{
	struct registry_query q = *base;
	const struct registry_entry *found[JUDGE_MAX_MATCHES];
	struct divergence *d;
	unsigned int i, n;

	d = realloc(*div, (*nr + 1) * sizeof(*d));
	if (!d)
		return -ENOMEM;
	*div = d;
	d = &d[(*nr)++];
	memset(d, 0, sizeof(*d));
	d->bk = bk;
	snprintf(d->field, sizeof(d->field), "%s", field);
	snprintf(d->type1, sizeof(d->type1), "%s", v1);
	snprintf(d->other, sizeof(d->other), "%s", v2);
	q.field = d->field;
	q.type1_value = d->type1;
	q.other_value = d->other;
	n = registry_match(reg, &q, found, JUDGE_MAX_MATCHES);
	d->nr_known = n;
	for (i = 0; i < n && i < JUDGE_MAX_MATCHES; i++) {
		d->known[i] = found[i];
		/* The hit count is the registry's own bookkeeping. */
		((struct registry_entry *)found[i])->hits++;
	}
	return 0;
}

int judge_compare(const struct registry *reg, const struct registry_query *q,
		  const struct judge_result *type1,
		  const struct judge_result *other, int bk,
		  struct divergence **div, unsigned int *nr)
{
	char key[48], v1[96], v2[96];
	const char *p;
	int pass, rc;

	if (type1->err != other->err) {
		rc = add(reg, q, bk, "errno", errno_str(type1->err),
			 errno_str(other->err), div, nr);
		if (rc)
			return rc;
	}
	/* What a failing call wrote back is compared like any output. */
	for (pass = 0; pass < 2; pass++) {
		p = pass ? other->fields : type1->fields;
		while (p && *p) {
			p = next_word(p, key, sizeof(key), v1, sizeof(v1));
			judge_field(type1->fields, key, v1, sizeof(v1));
			judge_field(other->fields, key, v2, sizeof(v2));
			/* A key both have is compared on the first pass. */
			if (pass && strcmp(v1, "(absent)"))
				continue;
			if (strcmp(v1, v2)) {
				rc = add(reg, q, bk, key, v1, v2, div, nr);
				if (rc)
					return rc;
			}
		}
	}
	return 0;
}
