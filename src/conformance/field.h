/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_FIELD_H
#define IOMMUCTL_FIELD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * One output field of an op's result, typed: what the kernel wrote back
 * (an unmap's size, GET_INFO's flags and capabilities, a DMA status).
 * replay.c fills them; the judge compares them by value and the reports
 * print them. The text form of a field is "key=value", and a result's
 * fields joined by single spaces, in the order the op writes them.
 */

enum field_kind {
	FIELD_U64, /* decimal: counts, sizes in bytes */
	FIELD_S64, /* signed decimal: an ioctl's return value */
	FIELD_HEX, /* "0x...": addresses, masks, flags */
	FIELD_ERRNO, /* a positive errno by name, "0" for none */
	FIELD_RANGE, /* "0xSTART-0xEND" */
	FIELD_STR, /* anything else, as text */
};

#define FIELD_KEY_LEN 32

struct field {
	char key[FIELD_KEY_LEN];
	enum field_kind kind;
	union {
		uint64_t u; /* FIELD_U64, FIELD_HEX */
		int64_t s; /* FIELD_S64 */
		int err; /* FIELD_ERRNO */
		uint64_t range[2]; /* FIELD_RANGE */
		char *str; /* FIELD_STR, owned */
	};
};

/* A result's fields, in the order they were added. */
struct field_list {
	unsigned int nr;
	struct field *f;
};

/*
 * Append a field; 0, -ENOMEM, or -EINVAL for a key longer than
 * FIELD_KEY_LEN - 1.
 */
int field_add_u64(struct field_list *l, const char *key, uint64_t v);
int field_add_s64(struct field_list *l, const char *key, int64_t v);
int field_add_hex(struct field_list *l, const char *key, uint64_t v);
int field_add_errno(struct field_list *l, const char *key, int err);
int field_add_range(struct field_list *l, const char *key, uint64_t start,
		    uint64_t end);
int field_add_str(struct field_list *l, const char *key, const char *s);

void field_list_release(struct field_list *l);

/* The field named key, or NULL. */
const struct field *field_find(const struct field_list *l, const char *key);

/* Same kind and value. */
bool field_equal(const struct field *a, const struct field *b);

/* The value as text ("0x1000", "EINVAL", "v1"). */
void field_format(const struct field *f, char *buf, size_t len);

/* "key=value key=value", allocated ("" for none), NULL without memory. */
char *field_list_join(const struct field_list *l);

#endif
