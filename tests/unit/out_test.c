// SPDX-License-Identifier: GPL-2.0-or-later
#include <atf-c.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"
#include "utf8.h"

/* An output layer writing into memory, and the text it wrote. */
struct capture {
	FILE *f;
	char *buf;
	size_t len;
	struct out *o;
};

static void capture_open(struct capture *c, enum out_format format,
			 unsigned int flags)
{
	memset(c, 0, sizeof(*c));
	c->f = open_memstream(&c->buf, &c->len);
	ATF_REQUIRE(c->f);
	c->o = out_new(format, flags, c->f);
	ATF_REQUIRE(c->o);
}

/* Finish, close, and parse the JSON document the layer wrote. */
static cJSON *capture_json(struct capture *c)
{
	cJSON *doc;

	ATF_REQUIRE_EQ(out_finish(c->o), 0);
	out_free(c->o);
	fclose(c->f);
	doc = cJSON_Parse(c->buf);
	ATF_REQUIRE_MSG(doc, "not JSON: '%s'", c->buf);
	return doc;
}

static void capture_close(struct capture *c)
{
	free(c->buf);
}

static const cJSON *member(const cJSON *obj, const char *key)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(obj, key);

	ATF_REQUIRE_MSG(m, "no key '%s'", key);
	return m;
}

static const char *str_member(const cJSON *obj, const char *key)
{
	const cJSON *m = member(obj, key);

	ATF_REQUIRE_MSG(cJSON_IsString(m), "'%s' is not a string", key);
	return m->valuestring;
}

ATF_TC_WITHOUT_HEAD(types);
ATF_TC_BODY(types, tc)
{
	struct capture c;
	const cJSON *m;
	cJSON *doc;

	capture_open(&c, OUT_JSON, 0);
	out_record_begin(c.o);
	out_u32(c.o, "u32", UINT32_MAX);
	out_s32(c.o, "s32", -22);
	out_u64(c.o, "u64", 5);
	out_u64_hex(c.o, "hex", 0x1000);
	out_str(c.o, "str", "TYPE1_IOMMU");
	out_str(c.o, "nullstr", NULL);
	out_bool(c.o, "yes", true);
	out_null(c.o, "none");
	ATF_REQUIRE_EQ(out_record_end(c.o), 0);
	doc = capture_json(&c);

	m = member(doc, "u32");
	ATF_CHECK(cJSON_IsNumber(m) && m->valuedouble == 4294967295.0);
	m = member(doc, "s32");
	ATF_CHECK(cJSON_IsNumber(m) && m->valuedouble == -22.0);
	/* 64-bit values are strings even when small: the type never varies. */
	ATF_CHECK_STREQ(str_member(doc, "u64"), "5");
	ATF_CHECK_STREQ(str_member(doc, "hex"), "0x1000");
	ATF_CHECK_STREQ(str_member(doc, "str"), "TYPE1_IOMMU");
	ATF_CHECK(cJSON_IsNull(member(doc, "nullstr")));
	ATF_CHECK(cJSON_IsTrue(member(doc, "yes")));
	ATF_CHECK(cJSON_IsNull(member(doc, "none")));
	cJSON_Delete(doc);
	capture_close(&c);
}

ATF_TC_WITHOUT_HEAD(u64_exact);
ATF_TC_BODY(u64_exact, tc)
{
	static const uint64_t values[] = {
		0,
		1,
		(1ULL << 53) - 1,
		(1ULL << 53) + 1,
		0x8000000000000000ULL,
		0xfffffffffffff001ULL,
		UINT64_MAX,
	};
	struct capture c;
	unsigned int i;
	cJSON *doc;

	capture_open(&c, OUT_JSON, 0);
	out_record_begin(c.o);
	out_array_begin(c.o, "hex");
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		out_u64_hex(c.o, NULL, values[i]);
	out_array_end(c.o);
	out_array_begin(c.o, "dec");
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		out_u64(c.o, NULL, values[i]);
	out_array_end(c.o);
	ATF_REQUIRE_EQ(out_record_end(c.o), 0);
	doc = capture_json(&c);

	/* Read back the way a script would, through strings, not doubles. */
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		const cJSON *h = cJSON_GetArrayItem(member(doc, "hex"), i);
		const cJSON *d = cJSON_GetArrayItem(member(doc, "dec"), i);

		ATF_REQUIRE(cJSON_IsString(h) && cJSON_IsString(d));
		ATF_CHECK_EQ_MSG(strncmp(h->valuestring, "0x", 2), 0, "%s",
				 h->valuestring);
		ATF_CHECK_EQ_MSG(strtoull(h->valuestring, NULL, 16), values[i],
				 "%s", h->valuestring);
		ATF_CHECK_EQ_MSG(strtoull(d->valuestring, NULL, 10), values[i],
				 "%s", d->valuestring);
	}
	cJSON_Delete(doc);
	capture_close(&c);
}

ATF_TC_WITHOUT_HEAD(nesting_and_arrays);
ATF_TC_BODY(nesting_and_arrays, tc)
{
	const cJSON *ranges, *empty, *inner;
	struct capture c;
	cJSON *doc;

	capture_open(&c, OUT_JSON, OUT_PRETTY);
	out_record_begin(c.o);
	out_array_begin(c.o, "ranges");
	out_object_begin(c.o, NULL);
	out_u64_hex(c.o, "start", 0);
	out_u64_hex(c.o, "last", UINT64_MAX);
	out_object_end(c.o);
	out_array_end(c.o);
	out_array_begin(c.o, "empty");
	out_array_end(c.o);
	out_object_begin(c.o, "inner");
	out_u32(c.o, "n", 1);
	out_object_end(c.o);
	ATF_REQUIRE_EQ(out_record_end(c.o), 0);
	doc = capture_json(&c);

	/* One element is still an array, and no elements too. */
	ranges = member(doc, "ranges");
	ATF_REQUIRE(cJSON_IsArray(ranges));
	ATF_CHECK_EQ(cJSON_GetArraySize(ranges), 1);
	ATF_CHECK_STREQ(str_member(cJSON_GetArrayItem(ranges, 0), "last"),
			"0xffffffffffffffff");
	empty = member(doc, "empty");
	ATF_CHECK(cJSON_IsArray(empty) && cJSON_GetArraySize(empty) == 0);
	inner = member(doc, "inner");
	ATF_CHECK(cJSON_IsObject(inner));
	cJSON_Delete(doc);
	capture_close(&c);
}

ATF_TC_WITHOUT_HEAD(list_mode);
ATF_TC_BODY(list_mode, tc)
{
	struct out_error e = {
		.kind = "kernel",
		.command = "ioas destroy",
		.ioctl = "IOMMU_DESTROY",
		.err = ENOENT,
		.message = "No such file or directory",
		.line = 3,
	};
	struct capture c;
	const cJSON *err;
	cJSON *doc;
	int i;

	capture_open(&c, OUT_JSON, OUT_LIST);
	for (i = 0; i < 2; i++) {
		out_record_begin(c.o);
		out_u32(c.o, "ioas_id", i);
		ATF_REQUIRE_EQ(out_record_end(c.o), 0);
	}
	/* A record cut short by an error leaves no trace but the error. */
	out_record_begin(c.o);
	out_u32(c.o, "half", 1);
	ATF_REQUIRE_EQ(out_error(c.o, &e), 0);
	doc = capture_json(&c);

	ATF_REQUIRE(cJSON_IsArray(doc));
	ATF_REQUIRE_EQ(cJSON_GetArraySize(doc), 3);
	ATF_CHECK_EQ(member(cJSON_GetArrayItem(doc, 1), "ioas_id")->valuedouble,
		     1);
	err = member(cJSON_GetArrayItem(doc, 2), "error");
	ATF_CHECK_STREQ(str_member(err, "kind"), "kernel");
	ATF_CHECK_STREQ(str_member(err, "command"), "ioas destroy");
	ATF_CHECK_STREQ(str_member(err, "ioctl"), "IOMMU_DESTROY");
	ATF_CHECK_STREQ(str_member(err, "errno"), "ENOENT");
	ATF_CHECK_STREQ(str_member(err, "message"),
			"No such file or directory");
	ATF_CHECK(cJSON_IsNull(member(err, "hint")));
	ATF_CHECK_EQ(member(err, "line")->valuedouble, 3);
	ATF_CHECK_EQ(cJSON_GetArraySize(err), 7);
	cJSON_Delete(doc);
	capture_close(&c);
}

ATF_TC_WITHOUT_HEAD(error_all_keys);
ATF_TC_BODY(error_all_keys, tc)
{
	static const char *const keys[] = {
		"kind", "command", "ioctl", "errno", "message", "hint", "line",
	};
	struct out_error e = { .kind = "usage", .message = "bad" };
	struct capture c;
	const cJSON *err;
	unsigned int i;
	cJSON *doc;

	capture_open(&c, OUT_JSON, 0);
	ATF_REQUIRE_EQ(out_error(c.o, &e), 0);
	doc = capture_json(&c);
	ATF_CHECK_EQ(cJSON_GetArraySize(doc), 1);
	err = member(doc, "error");
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		member(err, keys[i]);
	ATF_CHECK(cJSON_IsNull(member(err, "errno")));
	ATF_CHECK(!cJSON_GetObjectItemCaseSensitive(err, "errno_name"));
	ATF_CHECK(cJSON_IsNull(member(err, "line")));
	cJSON_Delete(doc);
	capture_close(&c);
}

/*
 * Bytes that are not UTF-8 (a user's argument, a file's name) never reach
 * the JSON text: each becomes U+FFFD, in a string or in an error.
 */
ATF_TC_WITHOUT_HEAD(not_utf8);
ATF_TC_BODY(not_utf8, tc)
{
	struct out_error e = { .kind = "usage", .message = "'\xff\xfe': bad" };
	struct capture c;
	cJSON *doc;

	capture_open(&c, OUT_JSON, OUT_LIST);
	out_record_begin(c.o);
	out_str(c.o, "arg", "a\xc3(\xed\xa0\x80\xc3\xa9");
	ATF_REQUIRE_EQ(out_record_end(c.o), 0);
	ATF_REQUIRE_EQ(out_error(c.o, &e), 0);
	ATF_REQUIRE_EQ(out_finish(c.o), 0);
	out_free(c.o);
	fclose(c.f);
	ATF_CHECK_MSG(utf8_valid(c.buf, c.len, NULL), "not UTF-8: %s", c.buf);
	doc = cJSON_Parse(c.buf);
	ATF_REQUIRE_MSG(doc, "not JSON: '%s'", c.buf);
	ATF_CHECK_STREQ(str_member(cJSON_GetArrayItem(doc, 0), "arg"),
			"a\xef\xbf\xbd(\xef\xbf\xbd\xef\xbf\xbd"
			"\xef\xbf\xbd\xc3\xa9");
	ATF_CHECK_STREQ(str_member(member(cJSON_GetArrayItem(doc, 1), "error"),
				   "message"),
			"'\xef\xbf\xbd\xef\xbf\xbd': bad");
	cJSON_Delete(doc);
	capture_close(&c);
}

/*
 * The misuses every JSON mode reports, built or streamed (flags): a key
 * in an array, none in an object, a container left open, one closed that
 * was never opened; the failure sticks to the end.
 */
static void check_misuse(FILE *f, unsigned int flags)
{
	struct out *o;

	o = out_new(OUT_JSON, flags, f);
	out_record_begin(o);
	out_array_begin(o, "a");
	out_u32(o, "keyed", 1);
	out_array_end(o);
	ATF_CHECK_EQ(out_record_end(o), -EINVAL);
	out_free(o);

	o = out_new(OUT_JSON, flags, f);
	out_record_begin(o);
	out_u32(o, NULL, 1);
	ATF_CHECK_EQ(out_record_end(o), -EINVAL);
	out_free(o);

	o = out_new(OUT_JSON, flags, f);
	out_record_begin(o);
	out_object_begin(o, "open");
	ATF_CHECK_EQ(out_record_end(o), -EINVAL);
	out_free(o);

	o = out_new(OUT_JSON, flags, f);
	out_record_begin(o);
	out_object_end(o);
	ATF_CHECK_EQ(out_record_end(o), -EINVAL);
	/* The failure sticks: nothing half-made is written later. */
	ATF_CHECK_EQ(out_finish(o), -EINVAL);
	out_free(o);
}

ATF_TC_WITHOUT_HEAD(misuse);
ATF_TC_BODY(misuse, tc)
{
	FILE *f;

	f = fopen("/dev/null", "w");
	ATF_REQUIRE(f);
	check_misuse(f, 0);
	fclose(f);
}

ATF_TC_WITHOUT_HEAD(text_mirrors_tree);
ATF_TC_BODY(text_mirrors_tree, tc)
{
	struct capture c;

	capture_open(&c, OUT_TEXT, 0);
	out_record_begin(c.o);
	out_u32(c.o, "ioas_id", 7);
	out_u64_hex(c.o, "iova", 0x1000);
	out_null(c.o, "hint");
	out_array_begin(c.o, "sizes");
	out_u64_hex(c.o, NULL, 0x1000);
	out_u64_hex(c.o, NULL, 0x200000);
	out_array_end(c.o);
	out_array_begin(c.o, "ranges");
	out_object_begin(c.o, NULL);
	out_u64_hex(c.o, "start", 0);
	out_u64_hex(c.o, "last", 0xfff);
	out_object_end(c.o);
	out_array_end(c.o);
	out_object_begin(c.o, "sub");
	out_bool(c.o, "flag", false);
	out_object_end(c.o);
	ATF_REQUIRE_EQ(out_record_end(c.o), 0);
	ATF_REQUIRE_EQ(out_finish(c.o), 0);
	out_free(c.o);
	fclose(c.f);

	/* Every fact appears as "key: value", nested ones indented. */
	ATF_CHECK_MATCH("(^|\n)ioas_id: 7\n", c.buf);
	ATF_CHECK_MATCH("(^|\n)iova: 0x1000\n", c.buf);
	ATF_CHECK_MATCH("(^|\n)hint: none\n", c.buf);
	ATF_CHECK_MATCH("(^|\n)sizes: 0x1000 0x200000\n", c.buf);
	ATF_CHECK_MATCH("\n  - start: 0x0\n    last: 0xfff\n", c.buf);
	ATF_CHECK_MATCH("\nsub:\n  flag: false\n", c.buf);
	ATF_CHECK_MSG(!strchr(c.buf, '{') && !strchr(c.buf, '"'),
		      "JSON in text output: %s", c.buf);
	capture_close(&c);
}

ATF_TC_WITHOUT_HEAD(text_error_silent);
ATF_TC_BODY(text_error_silent, tc)
{
	struct out_error e = { .kind = "usage", .message = "bad" };
	struct capture c;

	/* Text errors go to stderr from the caller, never into the output. */
	capture_open(&c, OUT_TEXT, 0);
	ATF_REQUIRE_EQ(out_error(c.o, &e), 0);
	ATF_REQUIRE_EQ(out_finish(c.o), 0);
	out_free(c.o);
	fclose(c.f);
	ATF_CHECK_EQ(c.len, 0);
	capture_close(&c);
}

ATF_TC_WITHOUT_HEAD(full_disk);
ATF_TC_BODY(full_disk, tc)
{
	struct out *o;
	FILE *f;

	f = fopen("/dev/full", "w");
	if (!f)
		atf_tc_skip("no /dev/full to write to");
	o = out_new(OUT_JSON, 0, f);
	ATF_REQUIRE(o);
	out_record_begin(o);
	out_str(o, "k", "v");
	ATF_REQUIRE_EQ(out_record_end(o), 0);
	ATF_CHECK_EQ(out_finish(o), -ENOSPC);
	out_free(o);
	fclose(f);
}

/* One document described through o: every kind, nested both ways. */
static void describe(struct out *o)
{
	int i;

	out_record_begin(o);
	out_str(o, "format", "x\"y\\z\n\t\x01");
	out_u32(o, "u32", UINT32_MAX);
	out_s32(o, "s32", -22);
	out_u64(o, "u64", UINT64_MAX);
	out_u64_hex(o, "hex", 0x1000);
	out_double(o, "ratio", 1.0 / 3.0);
	out_double(o, "whole", 2.0);
	out_str(o, "bad", "a\xff b");
	out_str(o, "none", NULL);
	out_bool(o, "t", true);
	out_bool(o, "f", false);
	out_null(o, "n");
	out_array_begin(o, "empty");
	out_array_end(o);
	out_object_begin(o, "obj");
	out_object_end(o);
	out_array_begin(o, "rows");
	for (i = 0; i < 3; i++) {
		out_object_begin(o, NULL);
		out_u32(o, "i", (uint32_t)i);
		out_array_begin(o, "names");
		out_str(o, NULL, "a");
		out_str(o, NULL, "b");
		out_array_begin(o, NULL);
		out_array_end(o);
		out_array_end(o);
		out_object_end(o);
	}
	out_array_end(o);
	out_object_begin(o, "tail");
	out_str(o, "k\u00e9", "v");
	out_object_end(o);
}

ATF_TC_WITHOUT_HEAD(stream_same_text);
ATF_TC_BODY(stream_same_text, tc)
{
	struct capture built, streamed;

	capture_open(&built, OUT_JSON, 0);
	describe(built.o);
	ATF_REQUIRE_EQ(out_record_end(built.o), 0);
	ATF_REQUIRE_EQ(out_finish(built.o), 0);
	out_free(built.o);
	fclose(built.f);

	capture_open(&streamed, OUT_JSON, OUT_STREAM);
	describe(streamed.o);
	ATF_REQUIRE_EQ(out_record_end(streamed.o), 0);
	ATF_REQUIRE_EQ(out_finish(streamed.o), 0);
	out_free(streamed.o);
	fclose(streamed.f);

	ATF_CHECK_STREQ(streamed.buf, built.buf);
	capture_close(&built);
	capture_close(&streamed);
}

/* A streamed document is on its way out as it is described. */
ATF_TC_WITHOUT_HEAD(stream_writes_early);
ATF_TC_BODY(stream_writes_early, tc)
{
	struct capture c;

	capture_open(&c, OUT_JSON, OUT_STREAM);
	out_record_begin(c.o);
	out_array_begin(c.o, "ops");
	out_u32(c.o, NULL, 7);
	fflush(c.f);
	ATF_CHECK_STREQ(c.buf, "{\"ops\":[7");
	out_array_end(c.o);
	ATF_CHECK_EQ(out_record_end(c.o), 0);
	ATF_CHECK_EQ(out_finish(c.o), 0);
	out_free(c.o);
	fclose(c.f);
	ATF_CHECK_STREQ(c.buf, "{\"ops\":[7]}\n");
	capture_close(&c);
}

ATF_TC_WITHOUT_HEAD(stream_misuse);
ATF_TC_BODY(stream_misuse, tc)
{
	struct out *o;
	FILE *f;

	f = fopen("/dev/null", "w");
	ATF_REQUIRE(f);

	/* Only JSON, one record, unformatted. */
	ATF_CHECK(!out_new(OUT_TEXT, OUT_STREAM, f));
	ATF_CHECK(!out_new(OUT_JSON, OUT_STREAM | OUT_LIST, f));
	ATF_CHECK(!out_new(OUT_JSON, OUT_STREAM | OUT_PRETTY, f));

	check_misuse(f, OUT_STREAM);

	/* A key-less item then a container, in an object. */
	o = out_new(OUT_JSON, OUT_STREAM, f);
	out_record_begin(o);
	out_u32(o, NULL, 1);
	out_object_begin(o, NULL);
	out_object_end(o);
	ATF_CHECK_EQ(out_record_end(o), -EINVAL);
	out_free(o);

	/* One record: a second is a misuse. */
	o = out_new(OUT_JSON, OUT_STREAM, f);
	out_record_begin(o);
	ATF_CHECK_EQ(out_record_end(o), 0);
	out_record_begin(o);
	ATF_CHECK_EQ(out_record_end(o), -EINVAL);
	out_free(o);

	/* Nothing can be taken back: a discard voids the record. */
	o = out_new(OUT_JSON, OUT_STREAM, f);
	out_record_begin(o);
	out_record_discard(o);
	ATF_CHECK_EQ(out_finish(o), -EINVAL);
	out_free(o);

	fclose(f);
}

ATF_TC_WITHOUT_HEAD(stream_full_disk);
ATF_TC_BODY(stream_full_disk, tc)
{
	struct out *o;
	FILE *f;
	int i;

	f = fopen("/dev/full", "w");
	if (!f)
		atf_tc_skip("no /dev/full to write to");
	setvbuf(f, NULL, _IONBF, 0);
	o = out_new(OUT_JSON, OUT_STREAM, f);
	ATF_REQUIRE(o);
	out_record_begin(o);
	for (i = 0; i < 100; i++)
		out_str(o, "k", "v");
	ATF_CHECK_EQ(out_record_end(o), -ENOSPC);
	ATF_CHECK_EQ(out_finish(o), -ENOSPC);
	out_free(o);
	fclose(f);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, types);
	ATF_TP_ADD_TC(tp, u64_exact);
	ATF_TP_ADD_TC(tp, nesting_and_arrays);
	ATF_TP_ADD_TC(tp, list_mode);
	ATF_TP_ADD_TC(tp, error_all_keys);
	ATF_TP_ADD_TC(tp, not_utf8);
	ATF_TP_ADD_TC(tp, misuse);
	ATF_TP_ADD_TC(tp, text_mirrors_tree);
	ATF_TP_ADD_TC(tp, text_error_silent);
	ATF_TP_ADD_TC(tp, full_disk);
	ATF_TP_ADD_TC(tp, stream_same_text);
	ATF_TP_ADD_TC(tp, stream_writes_early);
	ATF_TP_ADD_TC(tp, stream_misuse);
	ATF_TP_ADD_TC(tp, stream_full_disk);
	return atf_no_error();
}
