// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iommufd's own ioctls as the recorder writes them (src/recorder/native.c)
 * and as the trace reader reads them back: the objects a program made are
 * named in its order and referred to by name, an id no recorded call made
 * stays a number, a destroyed object's id taken again gets a new name,
 * and what a trace cannot carry stays a raw, unreplayable ioctl.
 */
#define _GNU_SOURCE
#include <atf-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binlog.h"
#include "trace.h"
#include "uapi-iommufd.h"

#define HEADER                                                              \
	"{\"type\":\"header\",\"format\":\"iommuctl-trace\",\"version\":1," \
	"\"page_size\":4096}\n"

static char text[16384];
static size_t text_len;

/* A call on a container descriptor: its argument before and after. */
static void call(unsigned long request, const void *in, size_t nin,
		 const void *out, int ret)
{
	static char line[2048];
	struct rec_call c;
	struct rec_line l;

	memset(&c, 0, sizeof(c));
	c.role = ROLE_CONTAINER;
	c.request = request;
	rec_call_classify(&c);
	ATF_REQUIRE(nin <= sizeof(c.in));
	memcpy(c.in, in, nin);
	c.nin = nin;
	c.ret = ret;
	c.err = ret < 0 ? 2 : 0;
	if (ret >= 0) {
		memcpy(c.out, out ? out : in, nin);
		c.nout = rec_call_used_output(&c);
	}
	c.unreplayable = rec_call_unreplayable(&c);
	line_init(&l, line, sizeof(line) - 1);
	rec_format_call(&l, &c);
	ATF_REQUIRE(!l.overflow);
	ATF_REQUIRE(text_len + l.len + 1 < sizeof(text));
	memcpy(text + text_len, l.buf, l.len);
	text_len += l.len;
	text[text_len++] = '\n';
	text[text_len] = '\0';
}

static void start(void)
{
	rec_native_reset();
	strcpy(text, HEADER);
	text_len = strlen(text);
}

/* Line n (from 1, the header being 0) of what was written. */
static const char *line_of(unsigned int n)
{
	static char one[2048];
	const char *p = text;
	size_t len;

	while (n-- && p)
		p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL;
	ATF_REQUIRE(p && *p);
	len = strcspn(p, "\n");
	ATF_REQUIRE(len < sizeof(one));
	memcpy(one, p, len);
	one[len] = '\0';
	return one;
}

#define CHECK_HAS(n, s)                                                 \
	ATF_CHECK_MSG(strstr(line_of(n), s) != NULL, "line %d: %s lacks %s", \
		      (n), line_of(n), (s))
#define CHECK_LACKS(n, s)                                            \
	ATF_CHECK_MSG(strstr(line_of(n), s) == NULL, "line %d: %s has %s", \
		      (n), line_of(n), (s))

/* Every line read back; the ops into ops (at most max). */
static unsigned int read_back(struct trace_rec *ops, unsigned int max,
			      struct trace_reader *r)
{
	struct trace_rec rec;
	unsigned int n = 0;
	FILE *f = fmemopen(text, text_len, "r");
	int rc;

	ATF_REQUIRE(f != NULL);
	trace_reader_init(r, f);
	while ((rc = trace_read(r, &rec)) > 0)
		if (rec.kind == TRACE_OP && n < max)
			ops[n++] = rec;
	ATF_CHECK_EQ_MSG(rc, 0, "%s", r->error);
	fclose(f);
	return n;
}

ATF_TC_WITHOUT_HEAD(names_follow_the_program);
ATF_TC_BODY(names_follow_the_program, tc)
{
	struct ic_iommu_ioas_alloc alloc = { sizeof(alloc), 0, 0 };
	struct ic_iommu_ioas_alloc made = { sizeof(alloc), 0, 5 };
	struct ic_iommu_vfio_ioas set = { sizeof(set), 5,
					  IC_IOMMU_VFIO_IOAS_SET, 0 };
	struct ic_iommu_vfio_ioas get = { sizeof(get), 0,
					  IC_IOMMU_VFIO_IOAS_GET, 0 };
	struct ic_iommu_vfio_ioas got5 = get, got2 = get;
	struct ic_iommu_destroy destroy = { sizeof(destroy), 5 };
	struct ic_iommu_option huge = { sizeof(huge), IC_IOMMU_OPTION_HUGE_PAGES,
					IC_IOMMU_OPTION_OP_SET, 0, 5, 0 };
	struct ic_iommu_option rlimit = { sizeof(rlimit),
					  IC_IOMMU_OPTION_RLIMIT_MODE,
					  IC_IOMMU_OPTION_OP_GET, 0, 0, 0 };
	struct trace_rec *ops = calloc(16, sizeof(*ops));
	struct trace_reader r;

	ATF_REQUIRE(ops != NULL);
	got5.ioas_id = 5;
	got2.ioas_id = 2;
	start();
	call(IC_IOMMU_IOAS_ALLOC, &alloc, sizeof(alloc), &made, 0); /* 1 */
	call(IC_IOMMU_VFIO_IOAS, &set, sizeof(set), NULL, 0);
	call(IC_IOMMU_VFIO_IOAS, &get, sizeof(get), &got5, 0);
	call(IC_IOMMU_OPTION, &huge, sizeof(huge), NULL, 0);
	call(IC_IOMMU_OPTION, &rlimit, sizeof(rlimit), NULL, 0); /* 5 */
	call(IC_IOMMU_DESTROY, &destroy, sizeof(destroy), NULL, 0);
	/* The id again, no longer the object that had it. */
	call(IC_IOMMU_DESTROY, &destroy, sizeof(destroy), NULL, -1);
	/* The compat IOAS, made by the kernel: get names it. */
	call(IC_IOMMU_VFIO_IOAS, &get, sizeof(get), &got2, 0);
	destroy.id = 2;
	call(IC_IOMMU_DESTROY, &destroy, sizeof(destroy), NULL, 0);
	/* A new IOAS that the kernel gives the freed id 5: a new name. */
	call(IC_IOMMU_IOAS_ALLOC, &alloc, sizeof(alloc), &made, 0); /* 10 */
	alloc.flags = 0x10;
	call(IC_IOMMU_IOAS_ALLOC, &alloc, sizeof(alloc), NULL, -1);

	CHECK_HAS(1, "\"op\":\"ioas_alloc\",\"result\":\"ioas1\"");
	CHECK_HAS(2, "\"ioas_op\":\"set\",\"object\":\"ioas1\"");
	CHECK_HAS(3, "\"ioas_op\":\"get\"");
	CHECK_LACKS(3, "\"result\"");
	CHECK_HAS(4, "\"option\":\"huge_pages\",\"option_op\":\"set\",\"object\":\"ioas1\"");
	CHECK_LACKS(4, "val64");
	CHECK_HAS(5, "\"option\":\"rlimit_mode\",\"option_op\":\"get\"");
	CHECK_LACKS(5, "object");
	CHECK_HAS(6, "\"op\":\"destroy\",\"object\":\"ioas1\"");
	CHECK_HAS(7, "\"op\":\"destroy\",\"object\":5");
	CHECK_HAS(8, "\"ioas_op\":\"get\",\"result\":\"compat2\"");
	CHECK_HAS(9, "\"object\":\"compat2\"");
	CHECK_HAS(10, "\"result\":\"ioas3\"");
	CHECK_HAS(11, "\"flags\":16");
	CHECK_LACKS(11, "\"result\"");
	CHECK_LACKS(11, "unreplayable");

	ATF_REQUIRE_EQ(read_back(ops, 16, &r), 11);
	ATF_CHECK_EQ(ops[0].op.op, OP_IOAS_ALLOC);
	ATF_CHECK_STREQ(r.objects[ops[0].op.result], "ioas1");
	ATF_CHECK_EQ(ops[1].op.op, OP_VFIO_IOAS);
	ATF_CHECK_EQ(ops[1].op.object, ops[0].op.result);
	ATF_CHECK_EQ(ops[3].op.option, IC_IOMMU_OPTION_HUGE_PAGES);
	ATF_CHECK_EQ(ops[3].op.object, ops[0].op.result);
	ATF_CHECK_EQ(ops[6].op.object, -1);
	ATF_CHECK_EQ(ops[6].op.object_id, 5);
	ATF_CHECK_STREQ(r.objects[ops[7].op.result], "compat2");
	ATF_CHECK_EQ(ops[8].op.object, ops[7].op.result);
	ATF_CHECK_EQ(ops[10].op.flags, 0x10);
	free(ops);
}

ATF_TC_WITHOUT_HEAD(sizes_and_odd_values);
ATF_TC_BODY(sizes_and_odd_values, tc)
{
	uint8_t big[40] = { 0 };
	struct ic_iommu_vfio_ioas odd = { sizeof(odd), 9, 7, 0xffff };
	struct ic_iommu_option set = { sizeof(set), 9, 2, 1, 0, 0x1234 };
	struct ic_iommu_vfio_ioas clear = { 20, 0, IC_IOMMU_VFIO_IOAS_CLEAR,
					    0 };
	struct trace_rec *ops = calloc(8, sizeof(*ops));
	struct trace_reader r;

	ATF_REQUIRE(ops != NULL);
	start();
	memcpy(big, &clear, sizeof(clear));
	big[16] = 1;
	call(IC_IOMMU_VFIO_IOAS, big, 20, NULL, -1); /* 1: E2BIG's case */
	call(IC_IOMMU_VFIO_IOAS, &odd, sizeof(odd), NULL, -1);
	call(IC_IOMMU_OPTION, &set, sizeof(set), NULL, -1);
	clear.size = 8;
	call(IC_IOMMU_VFIO_IOAS, &clear, 8, NULL, -1);

	CHECK_HAS(1, "\"ioas_op\":\"clear\",\"argsz\":20,\"tail\":\"0000000001\"");
	CHECK_HAS(2, "\"ioas_op\":7,\"object\":9,\"reserved\":65535");
	CHECK_HAS(3, "\"option\":9,\"option_op\":2,\"val64\":\"0x1234\",\"reserved\":1");
	CHECK_HAS(4, "\"argsz\":8");
	CHECK_LACKS(4, "tail");

	ATF_REQUIRE_EQ(read_back(ops, 8, &r), 4);
	ATF_CHECK_EQ(ops[0].op.argsz, 20);
	ATF_CHECK_EQ(ops[0].op.ntail, 5);
	ATF_CHECK_EQ(ops[1].op.ioas_op, 7);
	ATF_CHECK_EQ(ops[1].op.object_id, 9);
	ATF_CHECK_EQ(ops[1].op.reserved, 0xffff);
	ATF_CHECK_EQ(ops[2].op.val64, 0x1234);
	ATF_CHECK_EQ(ops[3].op.argsz, 8);
	free(ops);
}

ATF_TC_WITHOUT_HEAD(what_stays_raw);
ATF_TC_BODY(what_stays_raw, tc)
{
	struct ic_iommu_ioas_map map = { sizeof(map), 0, 1, 0, 0x1000, 0x1000,
					 0 };
	uint8_t big[REC_MAX_BYTES] = { 0 };
	struct ic_iommu_destroy *d = (struct ic_iommu_destroy *)big;
	struct trace_rec *ops = calloc(8, sizeof(*ops));
	struct trace_reader r;

	ATF_REQUIRE(ops != NULL);
	start();
	call(IC_IOMMU_IOAS_MAP, &map, sizeof(map), NULL, 0);
	/* Past what a trace carries: bytes 64 past the struct, or a size. */
	d->size = 128;
	big[sizeof(*d) + 64] = 1;
	call(IC_IOMMU_DESTROY, big, 128, NULL, -1);
	d->size = 8192;
	big[sizeof(*d) + 64] = 0;
	call(IC_IOMMU_DESTROY, big, 64, NULL, -1);

	CHECK_HAS(1, "\"op\":\"ioctl\"");
	CHECK_HAS(1, "\"unreplayable\":\"an iommufd ioctl the trace has no op for");
	CHECK_HAS(2, "\"op\":\"ioctl\"");
	CHECK_HAS(2, "past the 64 a trace holds");
	CHECK_HAS(3, "larger than a trace passes");
	ATF_REQUIRE_EQ(read_back(ops, 8, &r), 3);
	ATF_CHECK_EQ(ops[0].op.op, OP_IOCTL);
	ATF_CHECK(ops[0].op.unreplayable[0] != '\0');
	free(ops);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, names_follow_the_program);
	ATF_TP_ADD_TC(tp, sizes_and_odd_values);
	ATF_TP_ADD_TC(tp, what_stays_raw);
	return atf_no_error();
}
