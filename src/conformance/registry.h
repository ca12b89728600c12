/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_REGISTRY_H
#define IOMMUCTL_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "situation.h"

/*
 * The known-divergence registry, format 2 (known-divergences.json,
 * iommuctl-conformance(8), KNOWN DIVERGENCES): differences between type1
 * and an iommufd backend that were observed and traced to the kernel code
 * deciding each side. An entry matches on what an op is and did (its op or
 * raw ioctl name, the conditions that held, the field and the two values),
 * never on a trace's names for its ops. An entry changes a divergence's
 * class in the report, never hides it.
 */

#define REGISTRY_MAX_LIST 16
#define REGISTRY_MAX_TERMS 12

enum cond_side {
	SIDE_BOTH, /* "name": held on type1 and on the other backend */
	SIDE_ONLY_TYPE1, /* "type1.name" */
	SIDE_ONLY_OTHER, /* "other.name" */
};

struct cond_atom {
	enum cond_side side;
	enum cond cond;
};

/* One term of a "when" expression: a negatable choice of atoms. */
struct cond_term {
	bool negated;
	unsigned int nr;
	struct cond_atom atoms[REGISTRY_MAX_LIST];
};

/* A value list: any listed string; "*" matches any value but "(absent)". */
struct value_list {
	unsigned int nr;
	char *v[REGISTRY_MAX_LIST];
};

struct registry_entry {
	char *name;
	struct value_list ops; /* trace op names or raw ioctl names */
	struct value_list backends;
	char *when; /* as written, for reports */
	unsigned int nr_terms;
	struct cond_term terms[REGISTRY_MAX_TERMS];
	char *field; /* a field, "name[]" for every index, or "*" */
	struct value_list type1;
	struct value_list other;
	char *since; /* first kernel release it holds for */
	char *until; /* first release it no longer holds for, or NULL */
	char *observed;
	char *type1_function;
	char *other_function;
	char *why;
	/* Divergences it matched in this run. */
	unsigned long hits;
};

struct registry {
	unsigned int nr;
	struct registry_entry *entries;
};

/* Load path; -errno, with msg naming the entry and key on -EINVAL. */
int registry_load(struct registry *reg, const char *path, char *msg,
		  size_t len);
/* The same from a string (name only labels the messages). */
int registry_parse(struct registry *reg, const char *text, const char *name,
		   char *msg, size_t len);
void registry_release(struct registry *reg);

/* What a divergence is, for matching. */
struct registry_query {
	const char *op; /* trace op name */
	const char *ioctl; /* raw ioctl's name, or NULL */
	const char *backend;
	cond_set type1_conds;
	cond_set other_conds;
	const char *field;
	const char *type1_value;
	const char *other_value;
	const char *kernel; /* release as uname -r gives it */
};

/* Whether an expression holds for the two condition sets. */
bool registry_when(const struct registry_entry *e, cond_set type1,
		   cond_set other);

/* Whether a kernel release lies in [since, until). */
bool registry_in_range(const struct registry_entry *e, const char *kernel);

/*
 * Every entry that matches q, up to max, in registry order; returns how
 * many matched (more than max are counted, not stored).
 */
unsigned int registry_match(const struct registry *reg,
			    const struct registry_query *q,
			    const struct registry_entry **found,
			    unsigned int max);

#endif
