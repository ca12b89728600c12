// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "judge.h"
#include "names.h"

#define INFO_MINSZ 16

static const struct field *find(const struct field_list *fields,
			       const char *key)
{
	return fields ? field_find(fields, key) : NULL;
}

void judge_value(const struct field_list *fields, const char *key, char *val,
		 size_t len)
{
	const struct field *f = find(fields, key);

	if (f)
		field_format(f, val, len);
	else
		snprintf(val, len, "(absent)");
}

cond_set judge_result_conds(enum trace_op op, bool has_argsz, uint32_t argsz,
			    const struct judge_result *r)
{
	cond_set set = r->err ? COND_BIT(C_FAILED) : 0;
	const struct field *needed;

	/*
	 * A GET_INFO whose argsz holds the header but not the chain: the
	 * backend says how much it needed in the argsz it writes back.
	 */
	if (op == OP_GET_INFO && has_argsz && argsz >= INFO_MINSZ) {
		needed = find(r->fields, "argsz");
		if (needed && needed->kind == FIELD_U64 && needed->u > argsz)
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

/* Every field of one side the other lacks or holds another value of. */
static int compare_side(const struct registry *reg,
			const struct registry_query *q,
			const struct judge_result *type1,
			const struct judge_result *other, bool from_other,
			int bk, struct divergence **div, unsigned int *nr)
{
	const struct field_list *l = from_other ? other->fields : type1->fields;
	const struct field *a, *b;
	char v1[96], v2[96];
	unsigned int i;
	int rc;

	for (i = 0; l && i < l->nr; i++) {
		a = find(type1->fields, l->f[i].key);
		b = find(other->fields, l->f[i].key);
		/* A key both have is compared from type1's side. */
		if (from_other && a)
			continue;
		if (a && b && field_equal(a, b))
			continue;
		judge_value(type1->fields, l->f[i].key, v1, sizeof(v1));
		judge_value(other->fields, l->f[i].key, v2, sizeof(v2));
		/* Two kinds can still print the same: that is no finding. */
		if (!strcmp(v1, v2))
			continue;
		rc = add(reg, q, bk, l->f[i].key, v1, v2, div, nr);
		if (rc)
			return rc;
	}
	return 0;
}

int judge_compare(const struct registry *reg, const struct registry_query *q,
		  const struct judge_result *type1,
		  const struct judge_result *other, int bk,
		  struct divergence **div, unsigned int *nr)
{
	int rc;

	if (type1->err != other->err) {
		rc = add(reg, q, bk, "errno", errno_str(type1->err),
			 errno_str(other->err), div, nr);
		if (rc)
			return rc;
	}
	/* What a failing call wrote back is compared like any output. */
	rc = compare_side(reg, q, type1, other, false, bk, div, nr);
	if (!rc)
		rc = compare_side(reg, q, type1, other, true, bk, div, nr);
	return rc;
}
