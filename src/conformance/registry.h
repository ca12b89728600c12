/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_REGISTRY_H
#define IOMMUCTL_REGISTRY_H

/*
 * The known-divergence registry (known-divergences.json): differences
 * between type1 and an iommufd backend that were observed and traced to
 * the kernel code deciding each side. An entry changes a divergence's
 * class in the report, never hides it.
 */

struct registry_entry {
	char *name;
	char *case_glob; /* TRACE-BASENAME:OP-ID, fnmatch(3) pattern */
	char *backend; /* fnmatch(3) pattern */
	char *field; /* "errno" or output fields, fnmatch(3) pattern */
	char *type1; /* fnmatch(3) patterns of the two values */
	char *other;
	char *type1_function;
	char *other_function;
	char *kernels;
	char *why;
};

struct registry {
	unsigned int nr;
	struct registry_entry *entries;
};

/* Load path; -errno, with msg naming the entry and field on -EINVAL. */
int registry_load(struct registry *reg, const char *path, char *msg,
		  size_t len);
void registry_release(struct registry *reg);

const struct registry_entry *
registry_match(const struct registry *reg, const char *case_name,
	       const char *backend, const char *field, const char *type1_value,
	       const char *other_value);

#endif
