/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_JUDGE_H
#define IOMMUCTL_JUDGE_H

#include <stdbool.h>
#include <stdint.h>

#include "field.h"
#include "registry.h"
#include "situation.h"
#include "trace.h"

/*
 * The judge: two backends' results of one op, with the conditions that
 * held on each, against the registry. Pure: no kernel, no I/O, so host
 * unit tests drive it (tests/conformance/judge_test.c).
 */

/* Entries one divergence may match; more than one is an ambiguity. */
#define JUDGE_MAX_MATCHES 4

struct divergence {
	int bk; /* the backend compared with type1 */
	char field[48];
	char type1[96];
	char other[96];
	unsigned int nr_known; /* entries that matched */
	const struct registry_entry *known[JUDGE_MAX_MATCHES];
};

/* One backend's result: errno and typed output fields (field.h). */
struct judge_result {
	int err; /* positive errno, 0 for success */
	const struct field_list *fields; /* NULL: none */
};

/* A value as divergences show it: the field's text, or "(absent)". */
void judge_value(const struct field_list *fields, const char *key, char *val,
		 size_t len);

/*
 * Conditions that follow from what an op did: failed, and for GET_INFO
 * argsz-too-small-for-caps. argsz is the op's, when has_argsz.
 */
cond_set judge_result_conds(enum trace_op op, bool has_argsz, uint32_t argsz,
			    const struct judge_result *r);

/*
 * Compare every field either side has, whatever the errnos (errno is the
 * field "errno"), and append one divergence per differing field to *div,
 * matched against reg with q's op, backend, conditions and kernel. 0 or
 * -ENOMEM.
 */
int judge_compare(const struct registry *reg, const struct registry_query *q,
		  const struct judge_result *type1,
		  const struct judge_result *other, int bk,
		  struct divergence **div, unsigned int *nr);

#endif
