// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The trace reader on any bytes, and its writer: a trace that reads must
 * write, and what was written must read back to the same records. The
 * input is read twice, once beside its written form.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "trace.h"

#define REQUIRE(cond)                                                     \
	do {                                                              \
		if (!(cond)) {                                            \
			fprintf(stderr, "round trip: %s, line %u\n",      \
				#cond, a->line);                          \
			abort();                                          \
		}                                                         \
	} while (0)

static void same_op(const struct trace_rec *a, const struct trace_opdesc *x,
		    const struct trace_opdesc *y)
{
	REQUIRE(x->op == y->op);
	REQUIRE(x->has_flags == y->has_flags && x->flags == y->flags);
	REQUIRE(x->has_argsz == y->has_argsz && x->argsz == y->argsz);
	REQUIRE(x->arg == y->arg);
	REQUIRE(x->buffer == y->buffer && x->offset == y->offset);
	REQUIRE(x->iova == y->iova && x->size == y->size);
	REQUIRE(x->pattern == y->pattern && x->npages == y->npages);
	REQUIRE(x->write == y->write);
	REQUIRE(x->expect.has_errno == y->expect.has_errno &&
		x->expect.err == y->expect.err);
	REQUIRE(x->expect.has_unmapped == y->expect.has_unmapped &&
		x->expect.unmapped == y->expect.unmapped);
	REQUIRE(x->expect.has_value == y->expect.has_value &&
		x->expect.value == y->expect.value);
	REQUIRE(!strcmp(x->unreplayable, y->unreplayable));
	REQUIRE(x->fd == y->fd && x->request == y->request);
	REQUIRE(x->has_bytes == y->has_bytes && x->nbytes == y->nbytes);
	REQUIRE(!memcmp(x->bytes, y->bytes, x->has_bytes ? x->nbytes : 0));
	REQUIRE(!strcmp(x->id, y->id) && !strcmp(x->note, y->note));
	REQUIRE(x->has_recorded == y->has_recorded);
	if (x->has_recorded) {
		REQUIRE(x->recorded.ret == y->recorded.ret);
		REQUIRE(x->recorded.err == y->recorded.err);
		REQUIRE(x->recorded.nout == y->recorded.nout);
		REQUIRE(!memcmp(x->recorded.out, y->recorded.out,
				x->recorded.nout));
	}
}

static void same_rec(const struct trace_rec *a, const struct trace_rec *b)
{
	REQUIRE(a->kind == b->kind);
	switch (a->kind) {
	case TRACE_HEADER:
		REQUIRE(a->header.version == b->header.version);
		REQUIRE(a->header.page_size == b->header.page_size);
		REQUIRE(!strcmp(a->header.source, b->header.source));
		REQUIRE(!strcmp(a->header.kernel, b->header.kernel));
		break;
	case TRACE_BUFFER:
		REQUIRE(!strcmp(a->buffer.name, b->buffer.name));
		REQUIRE(a->buffer.size == b->buffer.size);
		REQUIRE(a->buffer.align == b->buffer.align);
		REQUIRE(a->buffer.kind == b->buffer.kind);
		REQUIRE(a->buffer.prot == b->buffer.prot);
		REQUIRE(a->buffer.region == b->buffer.region);
		REQUIRE(a->buffer.region_offset == b->buffer.region_offset);
		break;
	case TRACE_OP:
		same_op(a, &a->op, &b->op);
		break;
	}
}

/* Big: a reader holds a line and every buffer, a record an op's bytes. */
static struct trace_reader ra, rb;
static struct trace_rec rec_a, rec_b;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = NULL;
	unsigned int n = 0, i;
	size_t len = 0;
	FILE *in, *out;
	int rc;

	if (!size)
		return 0;
	in = fmemopen((void *)data, size, "r");
	out = open_memstream(&text, &len);
	if (!in || !out)
		abort();
	trace_reader_init(&ra, in);
	while ((rc = trace_read(&ra, &rec_a)) > 0) {
		if (trace_write(out, &ra, &rec_a)) {
			fprintf(stderr, "line %u read but does not write\n",
				rec_a.line);
			abort();
		}
		n++;
	}
	/* An error names its line. */
	if (rc < 0 && strncmp(ra.error, "line ", 5)) {
		fprintf(stderr, "error without a line: %s\n", ra.error);
		abort();
	}
	fclose(out);

	rewind(in);
	trace_reader_init(&ra, in);
	out = fmemopen(text, len ? len : 1, "r");
	if (!out)
		abort();
	trace_reader_init(&rb, out);
	for (i = 0; i < n; i++) {
		if (trace_read(&ra, &rec_a) != 1)
			abort();
		if (trace_read(&rb, &rec_b) != 1) {
			fprintf(stderr, "written line %u does not read: %s\n",
				i + 1, rb.error);
			abort();
		}
		same_rec(&rec_a, &rec_b);
	}
	if (n && len && trace_read(&rb, &rec_b) != 0) {
		fprintf(stderr, "written trace does not end: %s\n", rb.error);
		abort();
	}
	fclose(out);
	fclose(in);
	free(text);
	return 0;
}
