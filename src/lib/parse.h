/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_PARSE_H
#define IOMMUCTL_PARSE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Parsers for command-line numbers. Each returns 0, -EINVAL for text that
 * is not what was asked for, or -ERANGE for a value that does not fit, and
 * on error writes a message naming the offending text into msg (msglen
 * bytes, always terminated). Numbers are decimal or 0x-prefixed hex; no
 * sign, no leading blanks, no octal.
 */

/* A plain number up to U64_MAX. */
int parse_u64(const char *s, uint64_t *out, char *msg, size_t msglen);

/* A plain number up to U32_MAX, such as an object ID. */
int parse_u32(const char *s, uint32_t *out, char *msg, size_t msglen);

/*
 * A size: a number with an optional binary suffix K, M, G, T, P or E
 * (either case; 1K = 1024). Zero is accepted; callers that need a
 * non-empty size say so themselves.
 */
int parse_size(const char *s, uint64_t *out, char *msg, size_t msglen);

/* An inclusive interval of 64-bit addresses. */
struct parse_range {
	uint64_t start;
	uint64_t last;
};

/*
 * START-LAST (LAST inclusive, not below START) or START+SIZE (SIZE at
 * least 1, START + SIZE - 1 within 64 bits). Both ends take size suffixes.
 */
int parse_range(const char *s, struct parse_range *out, char *msg,
		size_t msglen);

/*
 * Length of a range in bytes, or -ERANGE for the one range whose length
 * (2^64) does not fit: 0-0xffffffffffffffff.
 */
int parse_range_length(const struct parse_range *r, uint64_t *len);

#endif
