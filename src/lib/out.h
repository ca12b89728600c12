/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_OUT_H
#define IOMMUCTL_OUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/*
 * The one output layer. Commands describe their result with the calls
 * below; the layer builds a tree and renders it either as readable text
 * or as JSON, so the two cannot disagree. Nothing else prints results.
 *
 * The JSON contract (man page, section JSON OUTPUT) is enforced here by
 * type rather than by each caller:
 *  - out_u32()/out_s32(): values of 32 bits or less, JSON numbers;
 *  - out_u64_hex(): addresses, IOVAs, lengths, masks: "0x..." strings;
 *  - out_u64(): other 64-bit quantities: decimal strings, always, so a
 *    value above 2^53 survives a JSON parser that uses doubles;
 *  - out_double(): measurements and ratios, JSON numbers (a double is
 *    what they are; none is an exact count);
 *  - out_str(), out_bool(), out_null(): strings (enums), booleans, null.
 * A NULL string becomes null, so a key is present even when unknown.
 *
 * Each command's result is one record, an object. Single mode keeps one
 * record as the document; list mode (batch) makes the document an array
 * with one element per record. Text is written record by record; JSON is
 * written once by out_finish(), or as it goes with OUT_STREAM.
 *
 * Misuse (a key inside an array, unbalanced begin/end) and allocation
 * failures are remembered and reported by out_record_end()/out_finish(),
 * so callers need not check every call.
 */

enum out_format {
	OUT_TEXT,
	OUT_JSON,
};

#define OUT_PRETTY (1U << 0)
#define OUT_LIST (1U << 1)
/*
 * JSON, one record, written as it is described rather than built first:
 * for a document too large to hold (a report on a long trace). The text
 * is byte for byte what the built document prints unformatted; a misuse
 * or a failure still comes back from out_record_end()/out_finish(), but
 * what was written stays written, so write to a file that is renamed
 * into place only on success. Not with OUT_PRETTY, OUT_LIST or OUT_TEXT.
 */
#define OUT_STREAM (1U << 2)

struct out;

struct out *out_new(enum out_format format, unsigned int flags, FILE *f);
void out_free(struct out *o);

void out_record_begin(struct out *o);
int out_record_end(struct out *o);
void out_record_discard(struct out *o);

void out_object_begin(struct out *o, const char *key);
void out_object_end(struct out *o);
void out_array_begin(struct out *o, const char *key);
void out_array_end(struct out *o);

/* key is the member name inside an object and must be NULL in an array. */
void out_str(struct out *o, const char *key, const char *s);
void out_u32(struct out *o, const char *key, uint32_t v);
void out_s32(struct out *o, const char *key, int32_t v);
void out_u64(struct out *o, const char *key, uint64_t v);
void out_u64_hex(struct out *o, const char *key, uint64_t v);
void out_double(struct out *o, const char *key, double v);
void out_bool(struct out *o, const char *key, bool v);
void out_null(struct out *o, const char *key);
/*
 * A copy of an already parsed JSON value (NULL: null), for a tool that
 * passes another document's values through, as they are.
 */
struct cJSON;
void out_json(struct out *o, const char *key, const struct cJSON *v);

/*
 * What went wrong, for the error object. Unknown parts are NULL or 0 and
 * come out as null.
 */
struct out_error {
	const char *kind; /* "kernel", "usage", "internal", "unsupported" */
	const char *command; /* "ioas map" */
	const char *ioctl; /* "IOMMU_IOAS_MAP" */
	int err; /* positive errno */
	const char *message;
	const char *hint;
	unsigned int line; /* batch line number */
};

/*
 * ioctl, errno (its name, "EINVAL", or null: the one errno encoding of
 * iommuctl, traces and reports), message and hint, into the current
 * object.
 */
void out_error_fields(struct out *o, const struct out_error *e);

/*
 * A whole record {"error": {...}} with every field of struct out_error.
 * In text mode there is no record: the caller writes errors to stderr.
 */
int out_error(struct out *o, const struct out_error *e);

/*
 * Write the JSON document (nothing in text mode if no record was made),
 * then flush and check the stream, so that a full disk is an error.
 * Returns 0 or -errno.
 */
int out_finish(struct out *o);

#endif
