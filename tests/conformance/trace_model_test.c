// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The trace read once into memory (trace-model.c), and the one errno
 * encoding of traces: null for success, a name for an error, the old 0
 * still read. No kernel.
 */
#define _GNU_SOURCE
#include <atf-c.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trace-model.h"

#define HEADER                                                              \
	"{\"type\":\"header\",\"format\":\"iommuctl-trace\",\"version\":1," \
	"\"page_size\":4096}\n"

static const char trace[] = HEADER
	"{\"type\":\"buffer\",\"name\":\"b0\",\"size\":\"0x4000\"}\n"
	"{\"type\":\"op\",\"op\":\"attach_group\",\"id\":\"a\"}\n"
	"\n"
	"{\"type\":\"op\",\"op\":\"map_dma\",\"buffer\":\"b0\",\"iova\":\"0x1000\",\"size\":\"0x1000\",\"expect\":{\"errno\":null}}\n"
	"{\"type\":\"op\",\"op\":\"ioctl\",\"request\":\"0x3b71\",\"bytes\":\"0800000000ff0000\",\"recorded\":{\"ret\":0,\"errno\":null,\"out\":\"0800000001ff0000\"}}\n"
	"{\"type\":\"op\",\"op\":\"unmap_dma\",\"iova\":\"0x1000\",\"size\":\"0x1000\",\"expect\":{\"errno\":\"EINVAL\"},\"recorded\":{\"ret\":-1,\"errno\":0}}\n";

static FILE *mem(const char *text)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");

	ATF_REQUIRE(f != NULL);
	return f;
}

/* Every op comes back from the model as the streaming reader gives it. */
ATF_TC_WITHOUT_HEAD(model_holds_every_op);
ATF_TC_BODY(model_holds_every_op, tc)
{
	struct trace_model *m = malloc(sizeof(*m));
	struct trace_reader *r = malloc(sizeof(*r));
	struct trace_rec *rec = malloc(sizeof(*rec));
	struct trace_opdesc *d = malloc(sizeof(*d));
	unsigned int i = 0;
	FILE *f;

	ATF_REQUIRE(m && r && rec && d);
	f = mem(trace);
	ATF_REQUIRE_EQ_MSG(trace_model_read(m, f), 0, "%s", m->error);
	fclose(f);
	ATF_CHECK_EQ(m->nr_ops, 4);
	ATF_CHECK_EQ(m->nr_buffers, 1);
	ATF_CHECK_EQ(m->header.page_size, 4096);
	ATF_CHECK_STREQ(m->buffers[0].name, "b0");
	f = mem(trace);
	trace_reader_init(r, f);
	while (trace_read(r, rec) > 0) {
		if (rec->kind != TRACE_OP)
			continue;
		ATF_REQUIRE(i < m->nr_ops);
		trace_model_op(m, i, d);
		ATF_CHECK_EQ(m->ops[i].line, rec->line);
		ATF_CHECK_EQ(d->op, rec->op.op);
		ATF_CHECK_STREQ(d->id, rec->op.id);
		ATF_CHECK_EQ(d->iova, rec->op.iova);
		ATF_CHECK_EQ(d->nbytes, rec->op.nbytes);
		ATF_CHECK(!memcmp(d->bytes, rec->op.bytes, d->nbytes));
		ATF_CHECK_EQ(d->has_recorded, rec->op.has_recorded);
		ATF_CHECK_EQ(d->recorded.nout, rec->op.recorded.nout);
		ATF_CHECK(!memcmp(d->recorded.out, rec->op.recorded.out,
				  d->recorded.nout));
		ATF_CHECK_EQ(d->expect.err, rec->op.expect.err);
		i++;
	}
	ATF_CHECK_EQ(i, m->nr_ops);
	fclose(f);
	trace_model_release(m);
	free(m);
	free(r);
	free(rec);
	free(d);
}

/* What cannot be a trace says so, and leaves nothing to release. */
/* The names native ops bind stay with the model, for the reports. */
ATF_TC_WITHOUT_HEAD(model_keeps_object_names);
ATF_TC_BODY(model_keeps_object_names, tc)
{
	static const char native[] = HEADER
		"{\"type\":\"op\",\"op\":\"ioas_alloc\",\"result\":\"a\"}\n"
		"{\"type\":\"op\",\"op\":\"vfio_ioas\",\"ioas_op\":\"get\",\"result\":\"compat\",\"expect\":{\"ioas\":\"a\"}}\n"
		"{\"type\":\"op\",\"op\":\"destroy\",\"object\":\"compat\",\"tail\":\"00ff\",\"needs_device\":true}\n";
	struct trace_model *m = malloc(sizeof(*m));
	struct trace_opdesc *d = malloc(sizeof(*d));
	FILE *f;

	ATF_REQUIRE(m && d);
	f = mem(native);
	ATF_REQUIRE_EQ_MSG(trace_model_read(m, f), 0, "%s", m->error);
	fclose(f);
	ATF_REQUIRE_EQ(m->nr_objects, 2);
	ATF_CHECK_STREQ(m->objects[0], "a");
	ATF_CHECK_STREQ(m->objects[1], "compat");
	trace_model_op(m, 1, d);
	ATF_CHECK_EQ(d->result, 1);
	ATF_CHECK_EQ(d->expect.ioas, 0);
	/* The packed op keeps the native fields, the tail among them. */
	trace_model_op(m, 2, d);
	ATF_CHECK_EQ(d->op, OP_DESTROY);
	ATF_CHECK_EQ(d->object, 1);
	ATF_CHECK_EQ(d->ntail, 2);
	ATF_CHECK_EQ(d->tail[1], 0xff);
	ATF_CHECK(d->needs_device);
	trace_model_release(m);

	/* A failed read leaves no names behind. */
	f = mem(HEADER "{\"type\":\"op\",\"op\":\"ioas_alloc\",\"result\":\"a\"}\n"
		       "{\"type\":\"op\",\"op\":\"destroy\",\"object\":\"b\"}\n");
	ATF_CHECK_EQ(trace_model_read(m, f), -EINVAL);
	fclose(f);
	ATF_CHECK_EQ(m->nr_objects, 0);
	ATF_CHECK_STREQ(m->error,
			"line 3: object: \"b\" is not named by an op before this line");
	free(m);
	free(d);
}

/*
 * An op id names one op: a second op with it is an error that names both
 * lines, however far apart; ops without ids never clash.
 */
ATF_TC_WITHOUT_HEAD(model_ids_unique);
ATF_TC_BODY(model_ids_unique, tc)
{
	struct trace_model *m = malloc(sizeof(*m));
	FILE *f;

	ATF_REQUIRE(m);
	f = mem(HEADER "{\"type\":\"op\",\"op\":\"attach_group\",\"id\":\"b\"}\n"
		       "{\"type\":\"op\",\"op\":\"get_api_version\"}\n"
		       "{\"type\":\"op\",\"op\":\"get_api_version\",\"id\":\"a\"}\n"
		       "{\"type\":\"op\",\"op\":\"get_api_version\"}\n"
		       "{\"type\":\"op\",\"op\":\"get_api_version\",\"id\":\"b\"}\n");
	ATF_CHECK_EQ(trace_model_read(m, f), -EINVAL);
	fclose(f);
	ATF_CHECK_EQ(m->nr_ops, 0);
	ATF_CHECK_STREQ(m->error, "line 6: id: \"b\" is the id of line 2 too");
	f = mem(HEADER "{\"type\":\"op\",\"op\":\"attach_group\",\"id\":\"b\"}\n"
		       "{\"type\":\"op\",\"op\":\"get_api_version\"}\n"
		       "{\"type\":\"op\",\"op\":\"get_api_version\"}\n"
		       "{\"type\":\"op\",\"op\":\"get_api_version\",\"id\":\"a\"}\n");
	ATF_CHECK_EQ_MSG(trace_model_read(m, f), 0, "%s", m->error);
	fclose(f);
	ATF_CHECK_EQ(m->nr_ops, 4);
	trace_model_release(m);
	free(m);
}

ATF_TC_WITHOUT_HEAD(model_load_errors);
ATF_TC_BODY(model_load_errors, tc)
{
	struct trace_model *m = malloc(sizeof(*m));
	FILE *f;

	ATF_REQUIRE(m);
	ATF_CHECK_EQ(trace_model_load(m, "nosuch.jsonl"), -ENOENT);
	ATF_CHECK_STREQ(m->error, "No such file or directory");
	ATF_REQUIRE_EQ(mkdir("dir", 0755), 0);
	ATF_CHECK_EQ(trace_model_load(m, "dir"), -EINVAL);
	ATF_CHECK_STREQ(m->error, "a directory, not a trace file");
	ATF_REQUIRE_EQ(symlink("loop", "loop"), 0);
	ATF_CHECK_EQ(trace_model_load(m, "loop"), -ELOOP);
	f = mem(HEADER "{\"type\":\"op\",\"op\":\"frob\"}\n");
	ATF_CHECK_EQ(trace_model_read(m, f), -EINVAL);
	ATF_CHECK(strstr(m->error, "line 2: ") == m->error);
	ATF_CHECK_EQ(m->nr_ops, 0);
	fclose(f);
	f = mem("");
	ATF_CHECK_EQ(trace_model_read(m, f), -EINVAL);
	ATF_CHECK(strstr(m->error, "empty trace") != NULL);
	fclose(f);
	free(m);
}

/* null for success, a name for an error; 0 read as success; written as null. */
ATF_TC_WITHOUT_HEAD(errno_encoding);
ATF_TC_BODY(errno_encoding, tc)
{
	struct trace_model *m = malloc(sizeof(*m));
	struct trace_reader *r = malloc(sizeof(*r));
	struct trace_rec *rec = malloc(sizeof(*rec));
	char *text = NULL;
	size_t len = 0;
	FILE *f, *out;

	ATF_REQUIRE(m && r && rec);
	f = mem(trace);
	ATF_REQUIRE_EQ_MSG(trace_model_read(m, f), 0, "%s", m->error);
	fclose(f);
	trace_model_op(m, 1, &rec->op);
	ATF_CHECK(rec->op.expect.has_errno);
	ATF_CHECK_EQ(rec->op.expect.err, 0);
	trace_model_op(m, 3, &rec->op);
	ATF_CHECK_EQ(rec->op.expect.err, EINVAL);
	ATF_CHECK_EQ(rec->op.recorded.err, 0);
	trace_model_release(m);

	f = mem(HEADER "{\"type\":\"op\",\"op\":\"get_info\",\"expect\":{\"errno\":22}}\n");
	ATF_CHECK_EQ(trace_model_read(m, f), -EINVAL);
	ATF_CHECK(strstr(m->error, "expect.errno: expected null or an errno name"));
	fclose(f);

	f = mem(trace);
	out = open_memstream(&text, &len);
	ATF_REQUIRE(out != NULL);
	trace_reader_init(r, f);
	while (trace_read(r, rec) > 0)
		ATF_REQUIRE_EQ(trace_write(out, r, rec), 0);
	fclose(out);
	fclose(f);
	ATF_CHECK(strstr(text, "\"errno\":null") != NULL);
	ATF_CHECK(strstr(text, "\"errno\":\"EINVAL\"") != NULL);
	ATF_CHECK(strstr(text, "\"errno\":0") == NULL);
	free(text);
	free(m);
	free(r);
	free(rec);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, model_holds_every_op);
	ATF_TP_ADD_TC(tp, model_keeps_object_names);
	ATF_TP_ADD_TC(tp, model_ids_unique);
	ATF_TP_ADD_TC(tp, model_load_errors);
	ATF_TP_ADD_TC(tp, errno_encoding);
	return atf_no_error();
}
