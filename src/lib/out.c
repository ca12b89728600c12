// SPDX-License-Identifier: GPL-2.0-or-later
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdbool.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "out.h"
#include "out-text.h"
#include "utf8.h"

/* Deeper than any result we describe; a bound keeps the stack static. */
#define OUT_MAX_DEPTH 16

struct out {
	enum out_format format;
	unsigned int flags;
	FILE *f;
	cJSON *doc;
	cJSON *stack[OUT_MAX_DEPTH];
	unsigned int depth;
	unsigned int records;
	int err;
	/* OUT_STREAM: each open container's kind, and whether it has items. */
	bool stream;
	bool is_obj[OUT_MAX_DEPTH];
	bool has_items[OUT_MAX_DEPTH];
};

struct out *out_new(enum out_format format, unsigned int flags, FILE *f)
{
	struct out *o;

	o = calloc(1, sizeof(*o));
	if (!o)
		return NULL;
	o->format = format;
	o->flags = flags;
	o->f = f;
	if (flags & OUT_STREAM) {
		if (format != OUT_JSON || (flags & (OUT_LIST | OUT_PRETTY)))
			goto err_free;
		o->stream = true;
	}
	if (flags & OUT_LIST) {
		o->doc = cJSON_CreateArray();
		if (!o->doc)
			goto err_free;
	}
	return o;

err_free:
	free(o);
	return NULL;
}

void out_free(struct out *o)
{
	if (!o)
		return;
	if (o->depth && !o->stream)
		cJSON_Delete(o->stack[0]);
	cJSON_Delete(o->doc);
	free(o);
}

static void out_fail(struct out *o, int err)
{
	if (!o->err)
		o->err = err;
}

/* Text as cJSON prints it unformatted, written out; frees text. */
static bool stream_put(struct out *o, char *text)
{
	if (!text) {
		out_fail(o, -ENOMEM);
		return false;
	}
	if (fputs(text, o->f) == EOF)
		out_fail(o, -errno);
	cJSON_free(text);
	return !o->err;
}

/*
 * OUT_STREAM: what comes before an item in the innermost container (a
 * comma, then "key": in an object); false on a misuse or a failure,
 * which then voids the rest of the record.
 */
static bool stream_lead(struct out *o, const char *key)
{
	unsigned int top = o->depth - 1;
	cJSON *name;

	if (o->err)
		return false;
	if (!o->depth || o->is_obj[top] != (key != NULL)) {
		out_fail(o, -EINVAL);
		return false;
	}
	if (o->has_items[top] && fputc(',', o->f) == EOF) {
		out_fail(o, -errno);
		return false;
	}
	o->has_items[top] = true;
	if (!key)
		return true;
	name = cJSON_CreateString(key);
	if (!name) {
		out_fail(o, -ENOMEM);
		return false;
	}
	if (!stream_put(o, cJSON_PrintUnformatted(name)) ||
	    fputc(':', o->f) == EOF) {
		out_fail(o, -errno);
		cJSON_Delete(name);
		return false;
	}
	cJSON_Delete(name);
	return true;
}

/* OUT_STREAM: a container's opening, its kind kept until its end. */
static void stream_open(struct out *o, const char *key, bool obj)
{
	if (o->depth == OUT_MAX_DEPTH) {
		out_fail(o, -EINVAL);
		return;
	}
	/* A misuse still takes the slot, so begin/end calls stay paired. */
	if ((!o->depth || stream_lead(o, key)) && !o->err &&
	    fputc(obj ? '{' : '[', o->f) == EOF)
		out_fail(o, -errno);
	o->is_obj[o->depth] = obj;
	o->has_items[o->depth] = false;
	o->stack[o->depth++] = NULL;
}

static void stream_close(struct out *o, bool obj)
{
	if (o->depth <= 1 || o->is_obj[o->depth - 1] != obj) {
		out_fail(o, -EINVAL);
		return;
	}
	o->depth--;
	if (!o->err && fputc(obj ? '}' : ']', o->f) == EOF)
		out_fail(o, -errno);
}

/* Attach item under the innermost open container; takes ownership. */
static bool out_add(struct out *o, const char *key, cJSON *item)
{
	cJSON *parent = o->depth ? o->stack[o->depth - 1] : NULL;

	if (o->stream) {
		if (!item) {
			out_fail(o, -ENOMEM);
			return false;
		}
		if (stream_lead(o, key))
			stream_put(o, cJSON_PrintUnformatted(item));
		cJSON_Delete(item);
		return !o->err;
	}

	if (!item) {
		out_fail(o, -ENOMEM);
		return false;
	}
	/* A NULL parent is a container that failed earlier: o->err is set. */
	if (!parent || cJSON_IsObject(parent) != (key != NULL)) {
		out_fail(o, -EINVAL);
		goto err_delete;
	}
	if (key ? !cJSON_AddItemToObject(parent, key, item) :
		  !cJSON_AddItemToArray(parent, item)) {
		out_fail(o, -ENOMEM);
		goto err_delete;
	}
	return true;

err_delete:
	cJSON_Delete(item);
	return false;
}

/*
 * Open a container. A container that could not be made still takes a
 * (NULL) slot, so that the caller's begin/end calls stay paired; the
 * error is already recorded and voids the record.
 */
static void out_push(struct out *o, const char *key, cJSON *item)
{
	if (o->depth == OUT_MAX_DEPTH) {
		out_fail(o, -EINVAL);
		cJSON_Delete(item);
		return;
	}
	if (o->depth && !out_add(o, key, item))
		item = NULL;
	o->stack[o->depth++] = item;
}

static void out_pop(struct out *o, int (*is_kind)(const cJSON *))
{
	if (o->depth <= 1 ||
	    (o->stack[o->depth - 1] && !is_kind(o->stack[o->depth - 1]))) {
		out_fail(o, -EINVAL);
		return;
	}
	o->depth--;
}

static int is_object(const cJSON *item)
{
	return cJSON_IsObject(item);
}

static int is_array(const cJSON *item)
{
	return cJSON_IsArray(item);
}

void out_record_begin(struct out *o)
{
	cJSON *record;

	if (o->depth || (o->stream && o->records)) {
		out_fail(o, -EINVAL);
		return;
	}
	if (o->stream) {
		stream_open(o, NULL, true);
		return;
	}
	record = cJSON_CreateObject();
	if (!record)
		out_fail(o, -ENOMEM);
	out_push(o, NULL, record);
}

/* With OUT_STREAM what was written stays: the record is void (EINVAL). */
void out_record_discard(struct out *o)
{
	if (o->stream && o->depth)
		out_fail(o, -EINVAL);
	else if (o->depth)
		cJSON_Delete(o->stack[0]);
	o->depth = 0;
}

static int out_keep(struct out *o, cJSON *record)
{
	int rc;

	if (o->format == OUT_TEXT) {
		rc = 0;
		if (o->records && (o->flags & OUT_LIST))
			rc = fputc('\n', o->f) == EOF ? -errno : 0;
		if (!rc)
			rc = out_text_render(o->f, record);
		cJSON_Delete(record);
		if (rc)
			out_fail(o, rc);
	} else if (o->flags & OUT_LIST) {
		if (!cJSON_AddItemToArray(o->doc, record)) {
			cJSON_Delete(record);
			out_fail(o, -ENOMEM);
		}
	} else {
		cJSON_Delete(o->doc);
		o->doc = record;
	}
	o->records++;
	return o->err;
}

int out_record_end(struct out *o)
{
	cJSON *record;

	if (o->depth != 1) {
		out_fail(o, -EINVAL);
		out_record_discard(o);
		return o->err;
	}
	if (o->stream) {
		o->depth = 0;
		o->records++;
		if (!o->err && (fputc('}', o->f) == EOF || fputc('\n', o->f) == EOF))
			out_fail(o, -errno);
		return o->err;
	}
	record = o->stack[0];
	o->depth = 0;
	if (o->err) {
		cJSON_Delete(record);
		return o->err;
	}
	return out_keep(o, record);
}

void out_object_begin(struct out *o, const char *key)
{
	if (o->stream)
		stream_open(o, key, true);
	else
		out_push(o, key, cJSON_CreateObject());
}

void out_object_end(struct out *o)
{
	if (o->stream)
		stream_close(o, true);
	else
		out_pop(o, is_object);
}

void out_array_begin(struct out *o, const char *key)
{
	if (o->stream)
		stream_open(o, key, false);
	else
		out_push(o, key, cJSON_CreateArray());
}

void out_array_end(struct out *o)
{
	if (o->stream)
		stream_close(o, false);
	else
		out_pop(o, is_array);
}

/*
 * JSON text is UTF-8, and a string may hold anything a user typed or a
 * file held: bytes that are not UTF-8 become U+FFFD, here, so that no
 * writer can put them on standard output.
 */
void out_str(struct out *o, const char *key, const char *s)
{
	char *clean;

	if (!s) {
		out_add(o, key, cJSON_CreateNull());
		return;
	}
	if (utf8_valid(s, strlen(s), NULL)) {
		out_add(o, key, cJSON_CreateString(s));
		return;
	}
	clean = utf8_sanitize(s);
	if (!clean) {
		out_fail(o, -ENOMEM);
		return;
	}
	out_add(o, key, cJSON_CreateString(clean));
	free(clean);
}

void out_u32(struct out *o, const char *key, uint32_t v)
{
	out_add(o, key, cJSON_CreateNumber(v));
}

void out_s32(struct out *o, const char *key, int32_t v)
{
	out_add(o, key, cJSON_CreateNumber(v));
}

void out_u64(struct out *o, const char *key, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	out_add(o, key, cJSON_CreateString(buf));
}

void out_u64_hex(struct out *o, const char *key, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	out_add(o, key, cJSON_CreateString(buf));
}

void out_double(struct out *o, const char *key, double v)
{
	out_add(o, key, cJSON_CreateNumber(v));
}

void out_bool(struct out *o, const char *key, bool v)
{
	out_add(o, key, cJSON_CreateBool(v));
}

void out_null(struct out *o, const char *key)
{
	out_add(o, key, cJSON_CreateNull());
}

void out_json(struct out *o, const char *key, const struct cJSON *v)
{
	out_add(o, key, v ? cJSON_Duplicate(v, true) : cJSON_CreateNull());
}

void out_error_fields(struct out *o, const struct out_error *e)
{
	out_str(o, "ioctl", e->ioctl);
	/* As traces and reports have it: the name, null for none. */
	out_str(o, "errno", e->err ? errno_str(e->err) : NULL);
	out_str(o, "message", e->message);
	out_str(o, "hint", e->hint);
}

int out_error(struct out *o, const struct out_error *e)
{
	out_record_discard(o);
	if (o->format == OUT_TEXT)
		return o->err;
	out_record_begin(o);
	out_object_begin(o, "error");
	out_str(o, "kind", e->kind);
	out_str(o, "command", e->command);
	out_error_fields(o, e);
	if (e->line)
		out_u32(o, "line", e->line);
	else
		out_null(o, "line");
	out_object_end(o);
	return out_record_end(o);
}

static int out_write_json(struct out *o)
{
	char *text;
	int rc = 0;

	if (!o->doc)
		return 0;
	text = (o->flags & OUT_PRETTY) ? cJSON_Print(o->doc) :
					 cJSON_PrintUnformatted(o->doc);
	if (!text)
		return -ENOMEM;
	if (fputs(text, o->f) == EOF || fputc('\n', o->f) == EOF)
		rc = -errno;
	cJSON_free(text);
	return rc;
}

int out_finish(struct out *o)
{
	int rc = o->err;

	if (!rc && o->format == OUT_JSON)
		rc = out_write_json(o);
	if (fflush(o->f) == EOF && !rc)
		rc = -errno;
	if (ferror(o->f) && !rc)
		rc = -EIO;
	return rc;
}
