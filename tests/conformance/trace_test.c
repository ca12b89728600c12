// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <atf-c.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dirty-bits.h"
#include "trace.h"

#define HEADER                                                              \
	"{\"type\":\"header\",\"format\":\"iommuctl-trace\",\"version\":1," \
	"\"page_size\":4096}\n"

static const char good[] = HEADER
	"{\"type\":\"buffer\",\"name\":\"b0\",\"size\":\"0x4000\",\"align\":\"0x1000\",\"kind\":\"memfd\",\"prot\":\"r\"}\n"
	"\n"
	"{\"type\":\"op\",\"op\":\"attach_group\"}\n"
	"{\"type\":\"op\",\"op\":\"set_iommu\",\"iommu_type\":\"TYPE1v2_IOMMU\",\"expect\":{\"errno\":0}}\n"
	"{\"type\":\"op\",\"op\":\"check_extension\",\"id\":\"ext\",\"extension\":9,\"expect\":{\"value\":1}}\n"
	"{\"type\":\"op\",\"op\":\"map_dma\",\"id\":\"m\",\"buffer\":\"b0\",\"offset\":\"0x1000\",\"iova\":\"0xfffffffffffff000\",\"size\":4096,\"flags\":1,\"argsz\":12}\n"
	"{\"type\":\"op\",\"op\":\"unmap_dma\",\"iova\":\"0x0\",\"size\":\"0x1000\",\"expect\":{\"errno\":\"EINVAL\",\"unmapped\":\"0x1000\"}}\n"
	"{\"type\":\"op\",\"op\":\"ioctl\",\"request\":\"0x3b71\",\"bytes\":\"0800000000fF0000\"}\n"
	"{\"type\":\"op\",\"op\":\"ioctl\",\"request\":15227,\"arg\":3}\n"
	"{\"type\":\"op\",\"op\":\"pin\",\"iova\":\"0x0\",\"npages\":2,\"write\":true}\n"
	"{\"type\":\"op\",\"op\":\"verify\",\"buffer\":\"b0\",\"offset\":\"0x3000\",\"size\":\"0x1000\",\"pattern\":\"0x0123456789abcdef\"}\n"
	/* What iommuctl-conformance record adds. */
	"{\"type\":\"buffer\",\"name\":\"bar\",\"size\":\"0x1000\",\"kind\":\"device_region\",\"region\":2,\"region_offset\":\"0x3000\"}\n"
	"{\"type\":\"op\",\"op\":\"map_dma\",\"buffer\":\"bar\",\"iova\":\"0x40000000\",\"size\":\"0x1000\",\"recorded\":{\"ret\":-1,\"errno\":\"EFAULT\"}}\n"
	"{\"type\":\"op\",\"op\":\"ioctl\",\"fd\":\"device\",\"request\":\"0x3b6e\",\"bytes\":\"1400000024000000\",\"unreplayable\":\"passes eventfds\",\"recorded\":{\"ret\":0,\"errno\":0,\"out\":\"14000000ff\"}}\n"
	"{\"type\":\"op\",\"op\":\"ioctl\",\"fd\":\"group\",\"request\":\"0x3b69\",\"arg\":0}\n";

/* The native ops: names bound by result, referred to by object. */
static const char native[] = HEADER
	"{\"type\":\"op\",\"op\":\"ioas_alloc\",\"result\":\"a\"}\n"
	"{\"type\":\"op\",\"op\":\"fault_queue_alloc\",\"result\":\"f\",\"flags\":1}\n"
	"{\"type\":\"op\",\"op\":\"vfio_ioas\",\"ioas_op\":\"set\",\"object\":\"a\"}\n"
	"{\"type\":\"op\",\"op\":\"vfio_ioas\",\"ioas_op\":\"set\",\"object\":\"0x0\"}\n"
	"{\"type\":\"op\",\"op\":\"vfio_ioas\",\"ioas_op\":\"get\",\"result\":\"got\",\"expect\":{\"errno\":null,\"ioas\":\"a\"}}\n"
	"{\"type\":\"op\",\"op\":\"vfio_ioas\",\"ioas_op\":\"clear\",\"argsz\":20,\"tail\":\"0000000001000000\"}\n"
	"{\"type\":\"op\",\"op\":\"vfio_ioas\",\"ioas_op\":7,\"reserved\":\"0xffff\",\"object\":9}\n"
	"{\"type\":\"op\",\"op\":\"destroy\",\"object\":\"got\",\"needs_device\":true}\n"
	"{\"type\":\"op\",\"op\":\"destroy\",\"object\":0}\n"
	"{\"type\":\"op\",\"op\":\"option\",\"option\":\"huge_pages\",\"option_op\":\"set\",\"object\":\"a\",\"val64\":\"0x1\",\"expect\":{\"val64\":1}}\n"
	"{\"type\":\"op\",\"op\":\"option\",\"option\":9,\"option_op\":2,\"reserved\":1}\n";

/* Dirty bitmaps handed to the kernel, a kernel-thread access, a close. */
static const char bitmaps[] = HEADER
	"{\"type\":\"op\",\"op\":\"dirty_pages\",\"flags\":4,\"iova\":\"0x100000\",\"size\":\"0x40000\",\"pgsize\":4096,\"bitmap_size\":8,\"expect\":{\"dirty\":\"1-2,5,63\"}}\n"
	"{\"type\":\"op\",\"op\":\"dirty_pages\",\"flags\":1}\n"
	"{\"type\":\"op\",\"op\":\"unmap_dma\",\"iova\":\"0x100000\",\"size\":\"0x40000\",\"flags\":1,\"pgsize\":\"0x1000\",\"bitmap_size\":\"0x0\",\"expect\":{\"dirty\":\"none\"}}\n"
	"{\"type\":\"op\",\"op\":\"dma_read\",\"iova\":\"0x100000\",\"size\":8,\"pattern\":0,\"kthread\":true}\n"
	"{\"type\":\"op\",\"op\":\"close_device\"}\n";

static FILE *mem(const char *text)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");

	ATF_REQUIRE(f != NULL);
	return f;
}

/* Reads a whole trace; returns the last trace_read() result. */
static int read_all(const char *text, struct trace_reader *r,
		    unsigned int *nops)
{
	struct trace_rec *rec = malloc(sizeof(*rec));
	FILE *f = mem(text);
	int rc;

	ATF_REQUIRE(rec != NULL);
	trace_reader_init(r, f);
	*nops = 0;
	while ((rc = trace_read(r, rec)) > 0)
		*nops += rec->kind == TRACE_OP;
	fclose(f);
	free(rec);
	return rc;
}

ATF_TC_WITHOUT_HEAD(reads_every_record);
ATF_TC_BODY(reads_every_record, tc)
{
	struct trace_reader *r = malloc(sizeof(*r));
	struct trace_rec *rec = malloc(sizeof(*rec));
	FILE *f = mem(good);
	int rc;

	ATF_REQUIRE(r && rec);
	trace_reader_init(r, f);
	ATF_REQUIRE_EQ(trace_read(r, rec), 1);
	ATF_CHECK_EQ(rec->kind, TRACE_HEADER);
	ATF_CHECK_EQ(rec->header.page_size, 4096);

	ATF_REQUIRE_EQ(trace_read(r, rec), 1);
	ATF_CHECK_EQ(rec->kind, TRACE_BUFFER);
	ATF_CHECK_EQ(rec->buffer.size, 0x4000);
	ATF_CHECK_EQ(rec->buffer.kind, TRACE_BUF_MEMFD);
	ATF_CHECK_EQ(rec->buffer.prot, TRACE_PROT_READ);

	ATF_REQUIRE_EQ(trace_read(r, rec), 1);
	ATF_CHECK_EQ(rec->op.op, OP_ATTACH_GROUP);
	/* The blank line counts: line numbers are the file's. */
	ATF_CHECK_EQ(rec->line, 4);

	ATF_REQUIRE_EQ(trace_read(r, rec), 1);
	ATF_CHECK_EQ(rec->op.op, OP_SET_IOMMU);
	ATF_CHECK_EQ(rec->op.arg, 3);
	ATF_CHECK(rec->op.expect.has_errno);
	ATF_CHECK_EQ(rec->op.expect.err, 0);

	ATF_REQUIRE_EQ(trace_read(r, rec), 1);
	ATF_CHECK_STREQ(rec->op.id, "ext");
	ATF_CHECK_EQ(rec->op.arg, 9);
	ATF_CHECK(rec->op.expect.has_value && rec->op.expect.value == 1);

	ATF_REQUIRE_EQ(trace_read(r, rec), 1);
	ATF_CHECK_EQ(rec->op.op, OP_MAP_DMA);
	ATF_CHECK_EQ(rec->op.buffer, 0);
	ATF_CHECK_EQ(rec->op.offset, 0x1000);
	/* Above 2^53: exact only because it came as a string. */
	ATF_CHECK_EQ(rec->op.iova, 0xfffffffffffff000ULL);
	ATF_CHECK_EQ(rec->op.size, 4096);
	ATF_CHECK(rec->op.has_argsz && rec->op.argsz == 12);
	ATF_CHECK(rec->op.has_flags && rec->op.flags == 1);

	ATF_REQUIRE_EQ(trace_read(r, rec), 1);
	ATF_CHECK_EQ(rec->op.expect.err, EINVAL);
	ATF_CHECK(rec->op.expect.has_unmapped &&
		  rec->op.expect.unmapped == 0x1000);
	ATF_CHECK(!rec->op.has_flags);

	ATF_REQUIRE_EQ(trace_read(r, rec), 1);
	ATF_CHECK_EQ(rec->op.request, 0x3b71);
	ATF_REQUIRE_EQ(rec->op.nbytes, 8);
	ATF_CHECK_EQ(rec->op.bytes[0], 8);
	ATF_CHECK_EQ(rec->op.bytes[5], 0xff);

	ATF_REQUIRE_EQ(trace_read(r, rec), 1);
	ATF_CHECK(!rec->op.has_bytes);
	ATF_CHECK_EQ(rec->op.arg, 3);

	ATF_REQUIRE_EQ(trace_read(r, rec), 1);
	ATF_CHECK_EQ(rec->op.npages, 2);
	ATF_CHECK(rec->op.write);

	ATF_REQUIRE_EQ(trace_read(r, rec), 1);
	ATF_CHECK_EQ(rec->op.pattern, 0x0123456789abcdefULL);
	ATF_CHECK(!rec->op.has_recorded);
	ATF_CHECK_EQ(rec->op.unreplayable[0], '\0');

	ATF_REQUIRE_EQ(trace_read(r, rec), 1);
	ATF_CHECK_EQ(rec->buffer.kind, TRACE_BUF_DEVICE_REGION);
	ATF_CHECK_EQ(rec->buffer.region, 2);
	ATF_CHECK_EQ(rec->buffer.region_offset, 0x3000);

	ATF_REQUIRE_EQ(trace_read(r, rec), 1);
	ATF_CHECK_EQ(rec->op.buffer, 1);
	ATF_CHECK(rec->op.has_recorded);
	ATF_CHECK_EQ(rec->op.recorded.ret, -1);
	ATF_CHECK_EQ(rec->op.recorded.err, EFAULT);
	ATF_CHECK_EQ(rec->op.recorded.nout, 0);

	ATF_REQUIRE_EQ(trace_read(r, rec), 1);
	ATF_CHECK_EQ(rec->op.fd, TRACE_FD_DEVICE);
	ATF_CHECK_STREQ(rec->op.unreplayable, "passes eventfds");
	ATF_CHECK_EQ(rec->op.recorded.err, 0);
	ATF_REQUIRE_EQ(rec->op.recorded.nout, 5);
	ATF_CHECK_EQ(rec->op.recorded.out[4], 0xff);

	ATF_REQUIRE_EQ(trace_read(r, rec), 1);
	ATF_CHECK_EQ(rec->op.fd, TRACE_FD_GROUP);
	ATF_CHECK(!rec->op.has_bytes);

	rc = trace_read(r, rec);
	ATF_CHECK_EQ_MSG(rc, 0, "%d: %s", rc, r->error);
	fclose(f);
	free(r);
	free(rec);
}

/* Writing every record and reading the result gives the same records. */
/* The next op of a trace, read into rec. */
static void next_op(struct trace_reader *r, struct trace_rec *rec)
{
	ATF_REQUIRE_EQ_MSG(trace_read(r, rec), 1, "%s", r->error);
	ATF_REQUIRE_EQ(rec->kind, TRACE_OP);
}

ATF_TC_WITHOUT_HEAD(reads_native_ops);
ATF_TC_BODY(reads_native_ops, tc)
{
	struct trace_reader *r = malloc(sizeof(*r));
	struct trace_rec *rec = malloc(sizeof(*rec));
	FILE *f = mem(native);

	ATF_REQUIRE(r && rec);
	trace_reader_init(r, f);
	ATF_REQUIRE_EQ(trace_read(r, rec), 1);

	next_op(r, rec);
	ATF_CHECK_EQ(rec->op.op, OP_IOAS_ALLOC);
	ATF_CHECK(trace_op_native(rec->op.op));
	ATF_CHECK_EQ(rec->op.result, 0);
	ATF_CHECK_EQ(rec->op.object, -1);
	ATF_CHECK_STREQ(r->objects[0], "a");

	next_op(r, rec);
	ATF_CHECK_EQ(rec->op.op, OP_FAULT_QUEUE_ALLOC);
	ATF_CHECK_EQ(rec->op.result, 1);
	ATF_CHECK_EQ(rec->op.flags, 1);

	next_op(r, rec);
	ATF_CHECK_EQ(rec->op.op, OP_VFIO_IOAS);
	ATF_CHECK_EQ(rec->op.ioas_op, 1);
	ATF_CHECK_EQ(rec->op.object, 0);
	ATF_CHECK_EQ(rec->op.result, -1);

	/* A number is taken as it is: an id no object has. */
	next_op(r, rec);
	ATF_CHECK_EQ(rec->op.object, -1);
	ATF_CHECK_EQ(rec->op.object_id, 0);

	next_op(r, rec);
	ATF_CHECK_EQ(rec->op.ioas_op, 0);
	ATF_CHECK_EQ(rec->op.result, 2);
	ATF_CHECK_EQ(rec->op.expect.ioas, 0);
	ATF_CHECK(rec->op.expect.has_errno);

	next_op(r, rec);
	ATF_CHECK_EQ(rec->op.ioas_op, 2);
	ATF_CHECK_EQ(rec->op.argsz, 20);
	ATF_CHECK_EQ(rec->op.ntail, 8);
	ATF_CHECK_EQ(rec->op.tail[4], 1);
	ATF_CHECK_EQ(rec->op.expect.ioas, -1);

	next_op(r, rec);
	ATF_CHECK_EQ(rec->op.ioas_op, 7);
	ATF_CHECK_EQ(rec->op.reserved, 0xffff);
	ATF_CHECK_EQ(rec->op.object_id, 9);

	next_op(r, rec);
	ATF_CHECK_EQ(rec->op.op, OP_DESTROY);
	ATF_CHECK_EQ(rec->op.object, 2);
	ATF_CHECK(rec->op.needs_device);

	next_op(r, rec);
	ATF_CHECK_EQ(rec->op.object, -1);
	ATF_CHECK(!rec->op.needs_device);

	next_op(r, rec);
	ATF_CHECK_EQ(rec->op.op, OP_OPTION);
	ATF_CHECK_EQ(rec->op.option, 1);
	ATF_CHECK_EQ(rec->op.ioas_op, 0);
	ATF_CHECK_EQ(rec->op.object, 0);
	ATF_CHECK_EQ(rec->op.val64, 1);
	ATF_CHECK(rec->op.expect.has_val64);
	ATF_CHECK_EQ(rec->op.expect.val64, 1);

	next_op(r, rec);
	ATF_CHECK_EQ(rec->op.option, 9);
	ATF_CHECK_EQ(rec->op.ioas_op, 2);
	ATF_CHECK_EQ(rec->op.reserved, 1);
	ATF_CHECK_EQ(trace_read(r, rec), 0);
	ATF_CHECK_EQ(r->nr_objects, 3);
	ATF_CHECK_EQ(trace_native_size(OP_VFIO_IOAS), 12);
	ATF_CHECK_EQ(trace_native_size(OP_DESTROY), 8);
	ATF_CHECK_EQ(trace_native_size(OP_MAP_DMA), 0);
	fclose(f);
	free(r);
	free(rec);
}

/* Write every record of text and read it back: the same records. */
static void round_trip(const char *text);

ATF_TC_WITHOUT_HEAD(writer_round_trip);
ATF_TC_BODY(writer_round_trip, tc)
{
	round_trip(good);
}

ATF_TC_WITHOUT_HEAD(writer_round_trip_bitmaps);
ATF_TC_BODY(writer_round_trip_bitmaps, tc)
{
	round_trip(bitmaps);
}

ATF_TC_WITHOUT_HEAD(reads_bitmaps);
ATF_TC_BODY(reads_bitmaps, tc)
{
	struct trace_reader *r = malloc(sizeof(*r));
	struct trace_rec *rec = malloc(sizeof(*rec));
	FILE *f = mem(bitmaps);

	ATF_REQUIRE(r && rec);
	trace_reader_init(r, f);
	ATF_REQUIRE_EQ(trace_read(r, rec), 1);

	next_op(r, rec);
	ATF_CHECK_EQ(rec->op.op, OP_DIRTY_PAGES);
	ATF_CHECK(rec->op.has_bitmap);
	ATF_CHECK_EQ(rec->op.iova, 0x100000);
	ATF_CHECK_EQ(rec->op.size, 0x40000);
	ATF_CHECK_EQ(rec->op.pgsize, 4096);
	ATF_CHECK_EQ(rec->op.bitmap_size, 8);
	ATF_CHECK_STREQ(rec->op.expect.dirty, "1-2,5,63");

	next_op(r, rec);
	ATF_CHECK(!rec->op.has_bitmap);
	ATF_CHECK_STREQ(rec->op.expect.dirty, "");

	next_op(r, rec);
	ATF_CHECK_EQ(rec->op.op, OP_UNMAP_DMA);
	ATF_CHECK(rec->op.has_bitmap);
	ATF_CHECK_EQ(rec->op.bitmap_size, 0);
	ATF_CHECK_STREQ(rec->op.expect.dirty, "none");

	next_op(r, rec);
	ATF_CHECK(rec->op.kthread);
	next_op(r, rec);
	ATF_CHECK_EQ(rec->op.op, OP_CLOSE_DEVICE);
	ATF_CHECK_EQ(trace_read(r, rec), 0);
	fclose(f);
	free(r);
	free(rec);
}

/* The text of a bitmap: ascending indexes, runs as ranges, u64 words. */
ATF_TC_WITHOUT_HEAD(dirty_bits_text);
ATF_TC_BODY(dirty_bits_text, tc)
{
	uint64_t w[2] = { 0 };
	char buf[64];

	ATF_CHECK_EQ(dirty_bits_format(w, 2, buf, sizeof(buf)), 0);
	ATF_CHECK_STREQ(buf, "none");
	w[0] = 0x8000000000000016ULL;
	w[1] = 0x3;
	ATF_CHECK_EQ(dirty_bits_format(w, 2, buf, sizeof(buf)), 0);
	ATF_CHECK_STREQ(buf, "1-2,4,63-65");
	ATF_CHECK_EQ(dirty_bits_format(w, 2, buf, 8), -ENOSPC);

	ATF_CHECK_EQ(dirty_bits_parse("1-2,4,63-65", w, 2), 0);
	ATF_CHECK_EQ(w[0], 0x8000000000000016ULL);
	ATF_CHECK_EQ(w[1], 0x3);
	ATF_CHECK_EQ(dirty_bits_parse("none", w, 2), 0);
	ATF_CHECK(!w[0] && !w[1]);
	ATF_CHECK_EQ(dirty_bits_parse("128", w, 2), -EINVAL);
	ATF_CHECK_EQ(dirty_bits_parse("4,2", w, 2), -EINVAL);
	ATF_CHECK_EQ(dirty_bits_parse("3-1", w, 2), -EINVAL);
	ATF_CHECK_EQ(dirty_bits_parse("1,,2", w, 2), -EINVAL);
	ATF_CHECK_EQ(dirty_bits_parse("", w, 2), -EINVAL);
	ATF_CHECK_EQ(dirty_bits_parse("1-", w, 2), -EINVAL);
}

ATF_TC_WITHOUT_HEAD(writer_round_trip_native);
ATF_TC_BODY(writer_round_trip_native, tc)
{
	round_trip(native);
}

/* A trace body after the header, and the reader's error for it (NULL: any). */
struct bad_body {
	const char *body;
	const char *error;
};

/* Each body is refused, with its error where one is given. */
static void check_refused(const struct bad_body *bad, size_t nr)
{
	struct trace_reader *r = malloc(sizeof(*r));
	char text[1024];
	unsigned int n;
	size_t i;

	ATF_REQUIRE(r);
	for (i = 0; i < nr; i++) {
		snprintf(text, sizeof(text), "%s%s", HEADER, bad[i].body);
		ATF_CHECK_EQ_MSG(read_all(text, r, &n), -EINVAL, "%s",
				 bad[i].body);
		if (bad[i].error)
			ATF_CHECK_STREQ(r->error, bad[i].error);
	}
	free(r);
}

/* A module parameter: read, written back, and nothing off the list. */
ATF_TC_WITHOUT_HEAD(module_param_op);
ATF_TC_BODY(module_param_op, tc)
{
	static const char params[] = HEADER
		"{\"type\":\"op\",\"id\":\"limit\",\"op\":\"module_param\",\"param\":\"vfio_iommu_type1.dma_entry_limit\",\"value\":3}\n"
		"{\"type\":\"op\",\"op\":\"module_param\",\"param\":\"iommufd.allow_unsafe_interrupts\",\"value\":\"0x1\"}\n";
	static const struct bad_body bad[] = {
		{ "{\"type\":\"op\",\"op\":\"module_param\",\"param\":\"kernel.panic\",\"value\":1}\n",
		  "line 2: param: \"kernel.panic\" is not one a trace may set: vfio_iommu_type1.dma_entry_limit, vfio_iommu_type1.allow_unsafe_interrupts, iommufd.allow_unsafe_interrupts or vfio_iommu_type1.disable_hugepages" },
		{ "{\"type\":\"op\",\"op\":\"module_param\",\"param\":\"vfio_iommu_type1.dma_entry_limit\",\"value\":\"0x100000000\"}\n",
		  "line 2: value: 0x100000000 does not fit in 32 bits" },
		{ "{\"type\":\"op\",\"op\":\"module_param\",\"param\":\"vfio_iommu_type1.dma_entry_limit\"}\n",
		  "line 2: value: missing (module_param needs it)" },
		{ "{\"type\":\"op\",\"op\":\"module_param\",\"param\":7,\"value\":1}\n",
		  "line 2: param: expected a parameter's name" },
	};
	struct trace_reader *r = malloc(sizeof(*r));
	struct trace_rec *rec = malloc(sizeof(*rec));
	FILE *f;

	ATF_REQUIRE(r && rec);
	f = mem(params);
	trace_reader_init(r, f);
	ATF_REQUIRE_EQ(trace_read(r, rec), 1);
	ATF_REQUIRE_EQ_MSG(trace_read(r, rec), 1, "%s", r->error);
	ATF_CHECK_EQ(rec->op.op, OP_MODULE_PARAM);
	ATF_CHECK_EQ(rec->op.param, TRACE_PARAM_DMA_ENTRY_LIMIT);
	ATF_CHECK_EQ(rec->op.val64, 3);
	ATF_REQUIRE_EQ_MSG(trace_read(r, rec), 1, "%s", r->error);
	ATF_CHECK_EQ(rec->op.param, TRACE_PARAM_IOMMUFD_UNSAFE_INTERRUPTS);
	ATF_CHECK_EQ(rec->op.val64, 1);
	fclose(f);
	round_trip(params);
	check_refused(bad, sizeof(bad) / sizeof(bad[0]));
	free(r);
	free(rec);
}

/* The locked-memory ops: a limit in bytes or "unlimited", a buffer's bytes. */
ATF_TC_WITHOUT_HEAD(memlock_ops);
ATF_TC_BODY(memlock_ops, tc)
{
	static const char ops[] = HEADER
		"{\"type\":\"buffer\",\"name\":\"b0\",\"size\":\"0x4000\"}\n"
		"{\"type\":\"op\",\"op\":\"memlock\",\"limit\":\"0x4000\"}\n"
		"{\"type\":\"op\",\"op\":\"memlock\",\"limit\":\"unlimited\"}\n"
		"{\"type\":\"op\",\"op\":\"mlock\",\"buffer\":\"b0\",\"offset\":\"0x1000\",\"size\":\"0x2000\"}\n"
		"{\"type\":\"op\",\"op\":\"locked_memory\"}\n"
		"{\"type\":\"op\",\"op\":\"peer_map\",\"size\":\"0x4000\"}\n";
	static const struct bad_body bad[] = {
		{ "{\"type\":\"op\",\"op\":\"peer_map\"}\n",
		  "line 2: size: missing (peer_map needs it)" },
		{ "{\"type\":\"op\",\"op\":\"peer_map\",\"size\":\"0x1000\",\"buffer\":\"b0\"}\n",
		  NULL },
		{ "{\"type\":\"op\",\"op\":\"memlock\"}\n",
		  "line 2: limit: missing (memlock needs it)" },
		{ "{\"type\":\"op\",\"op\":\"memlock\",\"limit\":\"lots\"}\n",
		  NULL },
		{ "{\"type\":\"op\",\"op\":\"memlock\",\"limit\":-1}\n",
		  NULL },
		{ "{\"type\":\"op\",\"op\":\"mlock\",\"size\":\"0x1000\"}\n",
		  "line 2: buffer: missing (mlock needs it)" },
		{ "{\"type\":\"op\",\"op\":\"locked_memory\",\"size\":\"0x1000\"}\n",
		  NULL },
	};
	struct trace_reader *r = malloc(sizeof(*r));
	struct trace_rec *rec = malloc(sizeof(*rec));
	FILE *f;

	ATF_REQUIRE(r && rec);
	f = mem(ops);
	trace_reader_init(r, f);
	ATF_REQUIRE_EQ(trace_read(r, rec), 1);
	ATF_REQUIRE_EQ_MSG(trace_read(r, rec), 1, "%s", r->error);
	ATF_REQUIRE_EQ_MSG(trace_read(r, rec), 1, "%s", r->error);
	ATF_CHECK_EQ(rec->op.op, OP_MEMLOCK);
	ATF_CHECK_EQ(rec->op.val64, 0x4000);
	ATF_REQUIRE_EQ_MSG(trace_read(r, rec), 1, "%s", r->error);
	ATF_CHECK_EQ(rec->op.val64, TRACE_UNLIMITED);
	ATF_REQUIRE_EQ_MSG(trace_read(r, rec), 1, "%s", r->error);
	ATF_CHECK_EQ(rec->op.op, OP_MLOCK);
	ATF_CHECK_EQ(rec->op.buffer, 0);
	ATF_CHECK_EQ(rec->op.offset, 0x1000);
	ATF_CHECK_EQ(rec->op.size, 0x2000);
	ATF_REQUIRE_EQ_MSG(trace_read(r, rec), 1, "%s", r->error);
	ATF_CHECK_EQ(rec->op.op, OP_LOCKED_MEMORY);
	ATF_REQUIRE_EQ_MSG(trace_read(r, rec), 1, "%s", r->error);
	ATF_CHECK_EQ(rec->op.op, OP_PEER_MAP);
	ATF_CHECK_EQ(rec->op.size, 0x4000);
	fclose(f);
	round_trip(ops);
	check_refused(bad, sizeof(bad) / sizeof(bad[0]));
	free(r);
	free(rec);
}

/* map_dma's vaddr: the address itself, only where no buffer gives one. */
ATF_TC_WITHOUT_HEAD(map_vaddr);
ATF_TC_BODY(map_vaddr, tc)
{
	static const char ok[] = HEADER
		"{\"type\":\"op\",\"op\":\"map_dma\",\"buffer\":null,\"vaddr\":\"0xfffffffffffff000\",\"iova\":\"0x1000\",\"size\":\"0x2000\"}\n";
	static const char bad[] = HEADER
		"{\"type\":\"buffer\",\"name\":\"b0\",\"size\":\"0x1000\"}\n"
		"{\"type\":\"op\",\"op\":\"map_dma\",\"buffer\":\"b0\",\"vaddr\":\"0x1000\",\"iova\":\"0x1000\",\"size\":\"0x1000\"}\n";
	struct trace_reader *r = malloc(sizeof(*r));
	struct trace_rec *rec = malloc(sizeof(*rec));
	unsigned int n;
	FILE *f;

	ATF_REQUIRE(r && rec);
	f = mem(ok);
	trace_reader_init(r, f);
	ATF_REQUIRE_EQ(trace_read(r, rec), 1);
	ATF_REQUIRE_EQ_MSG(trace_read(r, rec), 1, "%s", r->error);
	ATF_CHECK_EQ(rec->op.buffer, -1);
	ATF_CHECK_EQ(rec->op.offset, 0xfffffffffffff000ULL);
	fclose(f);
	round_trip(ok);
	ATF_CHECK_EQ(read_all(bad, r, &n), -EINVAL);
	ATF_CHECK_STREQ(r->error,
			"line 3: vaddr: only without a buffer (it is the address)");
	free(r);
	free(rec);
}

static void round_trip(const char *text_in)
{
	struct trace_reader *r = malloc(sizeof(*r)), *r2 = malloc(sizeof(*r2));
	struct trace_rec *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	char *text = NULL;
	size_t len = 0;
	FILE *in = mem(text_in), *out, *back;
	int rc;

	ATF_REQUIRE(r && r2 && a && b);
	out = open_memstream(&text, &len);
	ATF_REQUIRE(out != NULL);
	trace_reader_init(r, in);
	while ((rc = trace_read(r, a)) > 0)
		ATF_REQUIRE_EQ(trace_write(out, r, a), 0);
	ATF_REQUIRE_EQ_MSG(rc, 0, "%s", r->error);
	fclose(out);

	rewind(in);
	trace_reader_init(r, in);
	back = mem(text);
	trace_reader_init(r2, back);
	while ((rc = trace_read(r, a)) > 0) {
		ATF_REQUIRE_EQ_MSG(trace_read(r2, b), 1, "%s", r2->error);
		ATF_REQUIRE_EQ(a->kind, b->kind);
		if (a->kind == TRACE_HEADER) {
			ATF_CHECK_EQ(a->header.page_size, b->header.page_size);
			ATF_CHECK_STREQ(a->header.boot, b->header.boot);
		} else if (a->kind == TRACE_BUFFER) {
			ATF_CHECK_STREQ(a->buffer.name, b->buffer.name);
			ATF_CHECK_EQ(a->buffer.size, b->buffer.size);
			ATF_CHECK_EQ(a->buffer.align, b->buffer.align);
			ATF_CHECK_EQ(a->buffer.kind, b->buffer.kind);
			ATF_CHECK_EQ(a->buffer.prot, b->buffer.prot);
			ATF_CHECK_EQ(a->buffer.region, b->buffer.region);
			ATF_CHECK_EQ(a->buffer.region_offset,
				     b->buffer.region_offset);
		} else {
			ATF_CHECK_EQ(a->op.op, b->op.op);
			ATF_CHECK_STREQ(a->op.id, b->op.id);
			ATF_CHECK_EQ(a->op.arg, b->op.arg);
			ATF_CHECK_EQ(a->op.has_argsz, b->op.has_argsz);
			ATF_CHECK_EQ(a->op.argsz, b->op.argsz);
			ATF_CHECK_EQ(a->op.has_flags, b->op.has_flags);
			ATF_CHECK_EQ(a->op.flags, b->op.flags);
			ATF_CHECK_EQ(a->op.buffer, b->op.buffer);
			ATF_CHECK_EQ(a->op.offset, b->op.offset);
			ATF_CHECK_EQ(a->op.iova, b->op.iova);
			ATF_CHECK_EQ(a->op.size, b->op.size);
			ATF_CHECK_EQ(a->op.pattern, b->op.pattern);
			ATF_CHECK_EQ(a->op.npages, b->op.npages);
			ATF_CHECK_EQ(a->op.write, b->op.write);
			ATF_CHECK_EQ(a->op.request, b->op.request);
			ATF_CHECK_EQ(a->op.nbytes, b->op.nbytes);
			ATF_CHECK(!memcmp(a->op.bytes, b->op.bytes,
					  a->op.nbytes));
			ATF_CHECK(!memcmp(&a->op.expect, &b->op.expect,
					  sizeof(a->op.expect)));
			ATF_CHECK_EQ(a->op.fd, b->op.fd);
			ATF_CHECK_EQ(a->op.result, b->op.result);
			ATF_CHECK_EQ(a->op.object, b->op.object);
			ATF_CHECK_EQ(a->op.object_id, b->op.object_id);
			ATF_CHECK_EQ(a->op.ioas_op, b->op.ioas_op);
			ATF_CHECK_EQ(a->op.reserved, b->op.reserved);
			ATF_CHECK_EQ(a->op.option, b->op.option);
			ATF_CHECK_EQ(a->op.param, b->op.param);
			ATF_CHECK_EQ(a->op.val64, b->op.val64);
			ATF_CHECK_EQ(a->op.needs_device, b->op.needs_device);
			ATF_CHECK_EQ(a->op.kthread, b->op.kthread);
			ATF_CHECK_EQ(a->op.has_bitmap, b->op.has_bitmap);
			ATF_CHECK_EQ(a->op.pgsize, b->op.pgsize);
			ATF_CHECK_EQ(a->op.bitmap_size, b->op.bitmap_size);
			ATF_CHECK_EQ(a->op.ntail, b->op.ntail);
			ATF_CHECK(!memcmp(a->op.tail, b->op.tail, a->op.ntail));
			ATF_CHECK_STREQ(a->op.unreplayable, b->op.unreplayable);
			ATF_CHECK_EQ(a->op.has_recorded, b->op.has_recorded);
			ATF_CHECK_EQ(a->op.recorded.ret, b->op.recorded.ret);
			ATF_CHECK_EQ(a->op.recorded.err, b->op.recorded.err);
			ATF_CHECK_EQ(a->op.recorded.nout, b->op.recorded.nout);
			ATF_CHECK(!memcmp(a->op.recorded.out,
					  b->op.recorded.out,
					  a->op.recorded.nout));
		}
	}
	ATF_CHECK_EQ(trace_read(r2, b), 0);
	fclose(in);
	fclose(back);
	free(text);
	free(r);
	free(r2);
	free(a);
	free(b);
}

struct bad {
	const char *body; /* after the header */
	unsigned int line;
	const char *field; /* NULL: a line-level error */
};

static const struct bad bads[] = {
	{ "{\"type\":\"op\",\"op\":\"dirty_pages\",\"flags\":4,\"pgsize\":4096}\n",
	  2, "bitmap_size" },
	{ "{\"type\":\"op\",\"op\":\"dirty_pages\",\"flags\":4,\"iova\":0}\n",
	  2, "iova" },
	{ "{\"type\":\"op\",\"op\":\"unmap_dma\",\"iova\":0,\"size\":1,\"pgsize\":1,\"bitmap_size\":4097}\n",
	  2, "bitmap_size" },
	{ "{\"type\":\"op\",\"op\":\"unmap_dma\",\"iova\":0,\"size\":1,\"expect\":{\"dirty\":\"1\"}}\n",
	  2, "expect.dirty" },
	{ "{\"type\":\"op\",\"op\":\"unmap_dma\",\"iova\":0,\"size\":1,\"pgsize\":1,\"bitmap_size\":8,\"expect\":{\"dirty\":\"64\"}}\n",
	  2, "expect.dirty" },
	{ "{\"type\":\"op\",\"op\":\"unmap_dma\",\"iova\":0,\"size\":1,\"pgsize\":1,\"bitmap_size\":8,\"expect\":{\"dirty\":\"1,2\"}}\n",
	  2, "expect.dirty" },
	{ "{\"type\":\"op\",\"op\":\"pin\",\"iova\":0,\"npages\":1,\"kthread\":true}\n",
	  2, "kthread" },
	{ "{\"type\":\"op\",\"op\":\"dma_read\",\"iova\":0,\"size\":1,\"pattern\":0,\"kthread\":1}\n",
	  2, "kthread" },
	{ "{\"type\":\"op\",\"op\":\"map_dma\",\"iova\":1}\n", 2, "size" },
	{ "{\"type\":\"op\",\"op\":\"map_dma\",\"iova\":1,\"size\":-4}\n", 2,
	  "size" },
	{ "{\"type\":\"op\",\"op\":\"map_dma\",\"iova\":1.5,\"size\":4}\n", 2,
	  "iova" },
	{ "{\"type\":\"op\",\"op\":\"map_dma\",\"iova\":1e300,\"size\":4}\n", 2,
	  "iova" },
	{ "{\"type\":\"op\",\"op\":\"map_dma\",\"iova\":\"0x10000000000000000\",\"size\":4}\n",
	  2, "iova" },
	{ "{\"type\":\"op\",\"op\":\"map_dma\",\"iova\":1,\"size\":4,\"buffer\":\"nope\"}\n",
	  2, "buffer" },
	{ "{\"type\":\"op\",\"op\":\"map_dma\",\"iova\":1,\"size\":4,\"argsz\":\"0x100000000\"}\n",
	  2, "argsz" },
	{ "{\"type\":\"op\",\"op\":\"map_dma\",\"iova\":1,\"size\":4,\"pattern\":1}\n",
	  2, "pattern" },
	{ "{\"type\":\"op\",\"op\":\"frobnicate\"}\n", 2, "op" },
	{ "{\"type\":\"op\"}\n", 2, "op" },
	{ "{\"type\":\"op\",\"op\":\"get_info\",\"extra\":1}\n", 2, "extra" },
	{ "{\"type\":\"op\",\"op\":\"check_extension\",\"extension\":\"NOPE\"}\n",
	  2, "extension" },
	{ "{\"type\":\"op\",\"op\":\"ioctl\",\"request\":1,\"bytes\":\"abc\"}\n",
	  2, "bytes" },
	{ "{\"type\":\"op\",\"op\":\"ioctl\",\"request\":1,\"bytes\":\"zz\"}\n",
	  2, "bytes" },
	{ "{\"type\":\"op\",\"op\":\"ioctl\",\"request\":1,\"bytes\":\"00\",\"arg\":1}\n",
	  2, "arg" },
	{ "{\"type\":\"op\",\"op\":\"ioctl\",\"request\":\"0x100000000\"}\n", 2,
	  "request" },
	{ "{\"type\":\"op\",\"op\":\"pin\",\"iova\":0,\"npages\":1,\"write\":1}\n",
	  2, "write" },
	{ "{\"type\":\"op\",\"op\":\"get_info\",\"expect\":{\"errno\":\"EWHAT\"}}\n",
	  2, "expect.errno" },
	{ "{\"type\":\"op\",\"op\":\"get_info\",\"expect\":{\"value\":1.5}}\n",
	  2, "expect.value" },
	{ "{\"type\":\"op\",\"op\":\"get_info\",\"expect\":{\"unmapped\":true}}\n",
	  2, "expect.unmapped" },
	{ "{\"type\":\"op\",\"op\":\"get_info\",\"expect\":[]}\n", 2,
	  "expect" },
	{ "{\"type\":\"buffer\",\"name\":\"a\",\"size\":0}\n", 2, "size" },
	{ "{\"type\":\"buffer\",\"name\":\"a\",\"size\":1,\"align\":3}\n", 2,
	  "align" },
	{ "{\"type\":\"buffer\",\"name\":\"a\",\"size\":1,\"kind\":\"huge\"}\n",
	  2, "kind" },
	{ "{\"type\":\"buffer\",\"name\":\"a\",\"size\":1,\"prot\":\"x\"}\n", 2,
	  "prot" },
	{ "{\"type\":\"buffer\",\"name\":\"a\",\"size\":1}\n"
	  "{\"type\":\"buffer\",\"name\":\"a\",\"size\":1}\n",
	  3, "name" },
	{ "{\"type\":\"buffer\",\"name\":\"a\",\"size\":16}\n"
	  "{\"type\":\"op\",\"op\":\"write\",\"buffer\":\"a\",\"offset\":8,\"size\":9,\"pattern\":0}\n",
	  3, "size" },
	{ "{\"type\":\"header\",\"format\":\"iommuctl-trace\",\"version\":1,\"page_size\":4096}\n",
	  2, "type" },
	{ "{\"type\":\"thing\"}\n", 2, "type" },
	{ "[1,2]\n", 2, NULL },
	{ "{\"type\":\"op\",\n", 2, NULL },
	{ "\n\n{\"type\":\"op\",\"op\":\"get_info\"}x\n", 4, NULL },
	/* The members of recorded traces. */
	{ "{\"type\":\"buffer\",\"name\":\"a\",\"size\":1,\"kind\":\"device_region\"}\n",
	  2, "region" },
	{ "{\"type\":\"buffer\",\"name\":\"a\",\"size\":1,\"region\":0}\n", 2,
	  "region" },
	{ "{\"type\":\"buffer\",\"name\":\"a\",\"size\":1,\"region_offset\":0}\n",
	  2, "region_offset" },
	{ "{\"type\":\"buffer\",\"name\":\"a\",\"size\":1,\"kind\":\"device_region\",\"region\":-1}\n",
	  2, "region" },
	{ "{\"type\":\"op\",\"op\":\"ioctl\",\"request\":1,\"fd\":\"socket\"}\n",
	  2, "fd" },
	{ "{\"type\":\"op\",\"op\":\"get_info\",\"fd\":\"group\"}\n", 2, "fd" },
	{ "{\"type\":\"op\",\"op\":\"get_info\",\"unreplayable\":7}\n", 2,
	  "unreplayable" },
	{ "{\"type\":\"op\",\"op\":\"get_info\",\"recorded\":1}\n", 2,
	  "recorded" },
	{ "{\"type\":\"op\",\"op\":\"get_info\",\"recorded\":{\"errno\":0}}\n",
	  2, "recorded.ret" },
	{ "{\"type\":\"op\",\"op\":\"get_info\",\"recorded\":{\"ret\":0.5,\"errno\":0}}\n",
	  2, "recorded.ret" },
	{ "{\"type\":\"op\",\"op\":\"get_info\",\"recorded\":{\"ret\":0}}\n", 2,
	  "recorded.errno" },
	{ "{\"type\":\"op\",\"op\":\"get_info\",\"recorded\":{\"ret\":-1,\"errno\":\"ENOPE\"}}\n",
	  2, "recorded.errno" },
	{ "{\"type\":\"op\",\"op\":\"get_info\",\"recorded\":{\"ret\":0,\"errno\":0,\"out\":\"0g\"}}\n",
	  2, "recorded.out" },
	{ "{\"type\":\"op\",\"op\":\"get_info\",\"recorded\":{\"ret\":0,\"errno\":0,\"size\":1}}\n",
	  2, "size" },
	/* A key twice: one reader takes the first, another the last. */
	{ "{\"type\":\"op\",\"op\":\"get_info\",\"op\":\"map_dma\"}\n", 2,
	  "op" },
	{ "{\"type\":\"op\",\"op\":\"get_info\",\"expect\":{\"errno\":0,\"errno\":\"EINVAL\"}}\n",
	  2, "errno" },
	{ "{\"type\":\"buffer\",\"name\":\"a\",\"size\":1,\"size\":2}\n", 2,
	  "size" },
	/* A map reaching past its buffer would pin the runner's memory. */
	{ "{\"type\":\"buffer\",\"name\":\"a\",\"size\":16}\n"
	  "{\"type\":\"op\",\"op\":\"map_dma\",\"buffer\":\"a\",\"offset\":8,\"iova\":0,\"size\":9}\n",
	  3, "size" },
	{ "{\"type\":\"buffer\",\"name\":\"a\",\"size\":16}\n"
	  "{\"type\":\"op\",\"op\":\"map_dma\",\"buffer\":\"a\",\"iova\":0,\"size\":\"0xffffffffffffffff\"}\n",
	  3, "size" },
	/* Found by the trace fuzzer: the writer dropped such an offset. */
	{ "{\"type\":\"op\",\"op\":\"map_dma\",\"buffer\":null,\"offset\":5,\"iova\":0,\"size\":1}\n",
	  2, "offset" },
	{ "{\"type\":\"op\",\"op\":\"map_dma\",\"offset\":0,\"iova\":0,\"size\":1}\n",
	  2, "offset" },
	/* The native ops: names, their binding, the raw fields. */
	{ "{\"type\":\"op\",\"op\":\"vfio_ioas\"}\n", 2, "ioas_op" },
	{ "{\"type\":\"op\",\"op\":\"vfio_ioas\",\"ioas_op\":\"frob\"}\n", 2,
	  "ioas_op" },
	{ "{\"type\":\"op\",\"op\":\"vfio_ioas\",\"ioas_op\":65536}\n", 2,
	  "ioas_op" },
	{ "{\"type\":\"op\",\"op\":\"vfio_ioas\",\"ioas_op\":\"set\"}\n", 2,
	  "object" },
	{ "{\"type\":\"op\",\"op\":\"vfio_ioas\",\"ioas_op\":\"set\",\"object\":\"a\"}\n",
	  2, "object" },
	{ "{\"type\":\"op\",\"op\":\"vfio_ioas\",\"ioas_op\":\"get\",\"object\":1}\n",
	  2, "object" },
	{ "{\"type\":\"op\",\"op\":\"vfio_ioas\",\"ioas_op\":\"set\",\"object\":true}\n",
	  2, "object" },
	{ "{\"type\":\"op\",\"op\":\"vfio_ioas\",\"ioas_op\":\"clear\",\"result\":\"x\"}\n",
	  2, "result" },
	{ "{\"type\":\"op\",\"op\":\"vfio_ioas\",\"ioas_op\":\"get\",\"reserved\":65536}\n",
	  2, "reserved" },
	{ "{\"type\":\"op\",\"op\":\"ioas_alloc\",\"result\":\"a\"}\n"
	  "{\"type\":\"op\",\"op\":\"ioas_alloc\",\"result\":\"a\"}\n",
	  3, "result" },
	{ "{\"type\":\"op\",\"op\":\"ioas_alloc\",\"result\":\"1a\"}\n", 2,
	  "result" },
	{ "{\"type\":\"op\",\"op\":\"ioas_alloc\",\"result\":7}\n", 2,
	  "result" },
	{ "{\"type\":\"op\",\"op\":\"ioas_alloc\",\"object\":1}\n", 2,
	  "object" },
	{ "{\"type\":\"op\",\"op\":\"destroy\"}\n", 2, "object" },
	{ "{\"type\":\"op\",\"op\":\"destroy\",\"object\":\"a\",\"needs_device\":1}\n",
	  2, "object" },
	{ "{\"type\":\"op\",\"op\":\"ioas_alloc\",\"result\":\"a\"}\n"
	  "{\"type\":\"op\",\"op\":\"destroy\",\"object\":\"a\",\"needs_device\":1}\n",
	  3, "needs_device" },
	{ "{\"type\":\"op\",\"op\":\"map_dma\",\"iova\":0,\"size\":1,\"needs_device\":true}\n",
	  2, "needs_device" },
	{ "{\"type\":\"op\",\"op\":\"vfio_ioas\",\"ioas_op\":\"clear\",\"argsz\":16,\"tail\":\"0000000000\"}\n",
	  2, "tail" },
	{ "{\"type\":\"op\",\"op\":\"vfio_ioas\",\"ioas_op\":\"clear\",\"argsz\":4097}\n",
	  2, "argsz" },
	{ "{\"type\":\"op\",\"op\":\"vfio_ioas\",\"ioas_op\":\"get\",\"expect\":{\"ioas\":\"a\"}}\n",
	  2, "expect.ioas" },
	{ "{\"type\":\"op\",\"op\":\"ioas_alloc\",\"result\":\"a\"}\n"
	  "{\"type\":\"op\",\"op\":\"vfio_ioas\",\"ioas_op\":\"clear\",\"expect\":{\"ioas\":\"a\"}}\n",
	  3, "expect.ioas" },
	{ "{\"type\":\"op\",\"op\":\"ioas_alloc\",\"result\":\"a\",\"expect\":{\"ioas\":\"a\"}}\n",
	  2, "expect.ioas" },
	{ "{\"type\":\"op\",\"op\":\"option\",\"option_op\":\"get\"}\n", 2,
	  "option" },
	{ "{\"type\":\"op\",\"op\":\"option\",\"option\":\"dirty\",\"option_op\":\"get\"}\n",
	  2, "option" },
	{ "{\"type\":\"op\",\"op\":\"option\",\"option\":0,\"option_op\":\"put\"}\n",
	  2, "option_op" },
	{ "{\"type\":\"op\",\"op\":\"option\",\"option\":0,\"option_op\":0,\"val64\":-1}\n",
	  2, "val64" },
	{ "{\"type\":\"op\",\"op\":\"destroy\",\"object\":0,\"expect\":{\"val64\":0}}\n",
	  2, "expect.val64" },
	{ "{\"type\":\"op\",\"op\":\"option\",\"option\":0,\"option_op\":0,\"expect\":{\"val64\":\"x\"}}\n",
	  2, "expect.val64" },
	/* Text a JSON parser passes but a trace must not hold. */
	{ "{\"type\":\"op\",\"op\":\"get_info\",\"id\":\"\xff\"}\n", 2, NULL },
	{ "{\"type\":\"op\",\"op\":\"get_info\",\"id\":\"\xc0\xaf\"}\n", 2,
	  NULL },
	{ "{\"type\":\"op\",\"op\":\"get_info\",\"id\":\"a\\u0000b\"}\n", 2,
	  NULL },
};

ATF_TC_WITHOUT_HEAD(errors_name_line_and_field);
ATF_TC_BODY(errors_name_line_and_field, tc)
{
	struct trace_reader *r = malloc(sizeof(*r));
	char text[1024], want[64];
	unsigned int i, n;

	ATF_REQUIRE(r != NULL);
	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		snprintf(text, sizeof(text), "%s%s", HEADER, bads[i].body);
		ATF_CHECK_EQ_MSG(read_all(text, r, &n), -EINVAL, "case %u", i);
		if (bads[i].field)
			snprintf(want, sizeof(want),
				 "line %u: %s: ", bads[i].line, bads[i].field);
		else
			snprintf(want, sizeof(want), "line %u: ", bads[i].line);
		ATF_CHECK_MSG(!strncmp(r->error, want, strlen(want)),
			      "case %u: wanted \"%s...\", got \"%s\"", i, want,
			      r->error);
	}
	free(r);
}

/* What a reader of the error needs: the wrong value and what is wanted. */
ATF_TC_WITHOUT_HEAD(native_errors_say_what);
ATF_TC_BODY(native_errors_say_what, tc)
{
	static const struct {
		const char *body;
		const char *error;
	} cases[] = {
		{ "{\"type\":\"op\",\"op\":\"destroy\",\"object\":\"ghost\"}\n",
		  "line 2: object: \"ghost\" is not named by an op before this line" },
		{ "{\"type\":\"op\",\"op\":\"vfio_ioas\",\"ioas_op\":\"put\"}\n",
		  "line 2: ioas_op: \"put\": expected get, set, clear or a number" },
		{ "{\"type\":\"op\",\"op\":\"ioas_alloc\",\"result\":\"a\"}\n"
		  "{\"type\":\"op\",\"op\":\"ioas_alloc\",\"result\":\"a\"}\n",
		  "line 3: result: \"a\" is named twice" },
		{ "{\"type\":\"op\",\"op\":\"vfio_ioas\",\"ioas_op\":\"set\"}\n",
		  "line 2: object: missing (vfio_ioas set needs it)" },
		{ "{\"type\":\"op\",\"op\":\"vfio_ioas\",\"ioas_op\":\"get\",\"argsz\":14,\"tail\":\"0000000000\"}\n",
		  "line 2: tail: argsz 14 leaves it out: the struct is 12 bytes, the tail 5" },
	};
	struct trace_reader *r = malloc(sizeof(*r));
	char text[1024];
	unsigned int i, n;

	ATF_REQUIRE(r != NULL);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), "%s%s", HEADER, cases[i].body);
		ATF_CHECK_EQ(read_all(text, r, &n), -EINVAL);
		ATF_CHECK_STREQ(r->error, cases[i].error);
	}
	free(r);
}

ATF_TC_WITHOUT_HEAD(header_rules);
ATF_TC_BODY(header_rules, tc)
{
	struct trace_reader *r = malloc(sizeof(*r));
	unsigned int n;

	ATF_REQUIRE(r != NULL);
	ATF_CHECK_EQ(read_all("", r, &n), -EINVAL);
	ATF_CHECK_STREQ(r->error, "line 1: empty trace: no header");
	ATF_CHECK_EQ(read_all("{\"type\":\"op\",\"op\":\"get_info\"}\n", r, &n),
		     -EINVAL);
	ATF_CHECK(strstr(r->error, "first record must be the header"));
	ATF_CHECK_EQ(
		read_all(
			"{\"type\":\"header\",\"format\":\"iommuctl-trace\",\"version\":2,\"page_size\":4096}\n",
			r, &n),
		-EINVAL);
	ATF_CHECK(!strncmp(r->error, "line 1: version: ", 17));
	ATF_CHECK_EQ(
		read_all(
			"{\"type\":\"header\",\"format\":\"iommuctl-trace\",\"version\":1,\"page_size\":4095}\n",
			r, &n),
		-EINVAL);
	ATF_CHECK(!strncmp(r->error, "line 1: page_size: ", 19));
	/* The version is a number, not text that reads as one. */
	ATF_CHECK_EQ(
		read_all(
			"{\"type\":\"header\",\"format\":\"iommuctl-trace\",\"version\":\"1\",\"page_size\":4096}\n",
			r, &n),
		-EINVAL);
	ATF_CHECK_STREQ(r->error, "line 1: version: expected the number 1");
	ATF_CHECK_EQ(read_all(HEADER, r, &n), 0);
	ATF_CHECK_EQ(n, 0);
	free(r);
}

/* The header's boot words: kernel parameters, one space apart. */
ATF_TC_WITHOUT_HEAD(header_boot);
ATF_TC_BODY(header_boot, tc)
{
	static const char *const bad[] = {
		"intremap=off  iommu=pt", " intremap=off", "intremap=off ",
		"intremap=\\\"off\\\"", "a;b", "a\\tb",
	};
	struct trace_reader *r = malloc(sizeof(*r));
	char text[512];
	unsigned int n, i;

	ATF_REQUIRE(r != NULL);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text),
			 "{\"type\":\"header\",\"format\":\"iommuctl-trace\",\"version\":1,\"page_size\":4096,\"boot\":\"%s\"}\n",
			 bad[i]);
		ATF_CHECK_EQ_MSG(read_all(text, r, &n), -EINVAL, "%s", bad[i]);
		ATF_CHECK_MSG(!strncmp(r->error, "line 1: boot: ", 14), "%s",
			      r->error);
	}
	ATF_CHECK_EQ(
		read_all(
			"{\"type\":\"header\",\"format\":\"iommuctl-trace\",\"version\":1,\"page_size\":4096,\"boot\":7}\n",
			r, &n),
		-EINVAL);
	ATF_CHECK_STREQ(r->error, "line 1: boot: expected a string");
	free(r);
	round_trip("{\"type\":\"header\",\"format\":\"iommuctl-trace\",\"version\":1,\"page_size\":4096,\"boot\":\"intremap=off iommu.strict=1 a_b,c:d-e\"}\n"
		   "{\"type\":\"op\",\"op\":\"get_info\"}\n");
}

ATF_TC_WITHOUT_HEAD(long_lines_and_nul);
ATF_TC_BODY(long_lines_and_nul, tc)
{
	struct trace_reader *r = malloc(sizeof(*r));
	size_t hl = strlen(HEADER);
	char *text = malloc(hl + TRACE_MAX_LINE + 8);
	unsigned int n;
	FILE *f;

	ATF_REQUIRE(r && text);
	memcpy(text, HEADER, hl);
	memset(text + hl, ' ', TRACE_MAX_LINE + 1);
	strcpy(text + hl + TRACE_MAX_LINE + 1, "\n");
	ATF_CHECK_EQ(read_all(text, r, &n), -EINVAL);
	ATF_CHECK_MSG(strstr(r->error, "line 2: longer than"), "%s", r->error);

	memcpy(text, HEADER, hl);
	memcpy(text + hl, "{\"a\0\n", 5);
	f = fmemopen(text, hl + 5, "r");
	ATF_REQUIRE(f != NULL);
	trace_reader_init(r, f);
	{
		struct trace_rec *rec = malloc(sizeof(*rec));

		ATF_REQUIRE(rec != NULL);
		ATF_CHECK_EQ(trace_read(r, rec), 1);
		ATF_CHECK_EQ(trace_read(r, rec), -EINVAL);
		ATF_CHECK_MSG(strstr(r->error, "line 2: contains a NUL byte"),
			      "%s", r->error);
		/* After an error the reader stays stopped. */
		ATF_CHECK_EQ(trace_read(r, rec), -EINVAL);
		free(rec);
	}
	fclose(f);
	free(text);
	free(r);
}

/* The text errors say what and where; an escaped backslash is no NUL. */
ATF_TC_WITHOUT_HEAD(text_rules);
ATF_TC_BODY(text_rules, tc)
{
	struct trace_reader *r = malloc(sizeof(*r));
	unsigned int n;

	ATF_REQUIRE(r != NULL);
	ATF_CHECK_EQ(read_all(HEADER "{\"type\":\"op\",\"op\":\"get_info\",\"id\":\"ab\xe2\x82\"}\n",
			      r, &n),
		     -EINVAL);
	ATF_CHECK_STREQ(r->error, "line 2: not UTF-8 at column 38");
	ATF_CHECK_EQ(read_all(HEADER "{\"type\":\"op\",\"op\":\"get_info\",\"id\":\"a\\u0000\"}\n",
			      r, &n),
		     -EINVAL);
	ATF_CHECK_MSG(strstr(r->error, "line 2: \\u0000 at column 37"), "%s",
		      r->error);
	ATF_CHECK_EQ(read_all(HEADER "{\"type\":\"op\",\"op\":\"get_info\",\"id\":\"a\\\\u0000 \\\"\\u00e9\xc3\xa9\"}\n",
			      r, &n),
		     0);
	ATF_CHECK_EQ(n, 1);
	ATF_CHECK_EQ(read_all(HEADER "{\"type\":\"op\",\"op\":\"get_info\",\"op\":\"get_info\"}\n",
			      r, &n),
		     -EINVAL);
	ATF_CHECK_STREQ(r->error, "line 2: op: given twice");
	free(r);
}

/*
 * Mutated traces: every outcome must be a record, the end, or an error
 * that names a line; never a crash (ASan builds watch the memory).
 */
ATF_TC_WITHOUT_HEAD(mutations_never_crash);
ATF_TC_BODY(mutations_never_crash, tc)
{
	static const char alphabet[] = "{}[]\":,0x-9aez\\ \n\t";
	struct trace_reader *r = malloc(sizeof(*r));
	size_t len = strlen(good), i, pos;
	char *text = malloc(len + 1);
	unsigned int n, round, errors = 0;
	int rc;

	ATF_REQUIRE(r && text);
	srand(12345);
	for (round = 0; round < 3000; round++) {
		memcpy(text, good, len + 1);
		for (i = 0; i < 1 + (unsigned int)rand() % 4; i++) {
			pos = (size_t)rand() % len;
			text[pos] = alphabet[rand() % (sizeof(alphabet) - 1)];
		}
		/* Some rounds also cut the trace short anywhere. */
		if (round % 3 == 0)
			text[(size_t)rand() % len] = '\0';
		rc = read_all(text, r, &n);
		ATF_REQUIRE_MSG(rc == 0 || rc == -EINVAL, "round %u: %d", round,
				rc);
		if (rc) {
			errors++;
			ATF_REQUIRE_MSG(!strncmp(r->error, "line ", 5),
					"round %u: %s", round, r->error);
		}
	}
	/* The mutations must really have broken traces, or this proves little. */
	ATF_CHECK(errors > 1000);
	free(text);
	free(r);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, reads_every_record);
	ATF_TP_ADD_TC(tp, writer_round_trip);
	ATF_TP_ADD_TC(tp, reads_native_ops);
	ATF_TP_ADD_TC(tp, writer_round_trip_native);
	ATF_TP_ADD_TC(tp, module_param_op);
	ATF_TP_ADD_TC(tp, memlock_ops);
	ATF_TP_ADD_TC(tp, map_vaddr);
	ATF_TP_ADD_TC(tp, writer_round_trip_bitmaps);
	ATF_TP_ADD_TC(tp, reads_bitmaps);
	ATF_TP_ADD_TC(tp, dirty_bits_text);
	ATF_TP_ADD_TC(tp, native_errors_say_what);
	ATF_TP_ADD_TC(tp, errors_name_line_and_field);
	ATF_TP_ADD_TC(tp, header_rules);
	ATF_TP_ADD_TC(tp, header_boot);
	ATF_TP_ADD_TC(tp, long_lines_and_nul);
	ATF_TP_ADD_TC(tp, text_rules);
	ATF_TP_ADD_TC(tp, mutations_never_crash);
	return atf_no_error();
}
