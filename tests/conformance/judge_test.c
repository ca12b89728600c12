// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Registry format 2 and the judge: loading, condition expressions,
 * matching, typed result fields, and the comparison of two backends'
 * results. No kernel.
 */
#include <atf-c.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "judge.h"
#include "registry.h"

#define HEAD "{\"format\":\"iommuctl-known-divergences\",\"version\":2,\"entries\":["
#define TAIL "]}"
#define EVIDENCE                                                    \
	"\"since\":\"6.2\",\"until\":null,\"observed\":\"6.12.117\"," \
	"\"type1_function\":\"f1\",\"other_function\":\"f2\",\"why\":\"w\""

/* Typed result fields as replay.c makes them. */
#define HEX(k, v) { .key = k, .kind = FIELD_HEX, .u = v }
#define U64(k, v) { .key = k, .kind = FIELD_U64, .u = v }
#define FIELDS(...)                                                      \
	(&(const struct field_list){                                     \
		sizeof((struct field[]){ __VA_ARGS__ }) /                \
			sizeof(struct field),                            \
		(struct field[]){ __VA_ARGS__ } })

/* Two entries on unmap_dma, one on a raw ioctl, one ranged in kernels. */
static const char reg_text[] = HEAD
	"{\"name\":\"partial\",\"op\":\"unmap_dma\",\"backends\":[\"iommufd\"],"
	"\"when\":\"range-cuts-mapping !unaligned\",\"field\":\"errno\","
	"\"type1\":\"EINVAL\",\"other\":\"ENOENT\"," EVIDENCE "},"
	"{\"name\":\"size-back\",\"op\":\"unmap_dma\",\"backends\":[\"iommufd\",\"iommufd-nodev\"],"
	"\"when\":\"other.failed\",\"field\":\"unmapped\","
	"\"type1\":\"*\",\"other\":\"0x0\"," EVIDENCE "},"
	"{\"name\":\"destroy\",\"op\":\"IOMMU_DESTROY\",\"backends\":\"iommufd\","
	"\"when\":\"\",\"field\":\"errno\",\"type1\":\"ENOTTY\",\"other\":\"ENOENT\","
	EVIDENCE "},"
	"{\"name\":\"ranges\",\"op\":\"get_info\",\"backends\":\"iommufd\","
	"\"when\":\"type1.before-device-open|other.no-domain\",\"field\":\"iova_range[]\","
	"\"type1\":\"*\",\"other\":[\"0x0-0xffffffffffffffff\"],"
	"\"since\":\"6.2\",\"until\":\"6.13\",\"observed\":\"6.12.117\","
	"\"type1_function\":\"f1\",\"other_function\":\"f2\",\"why\":\"w\"}"
	TAIL;

static void load(struct registry *reg, const char *text)
{
	char msg[256];
	int rc;

	rc = registry_parse(reg, text, "test", msg, sizeof(msg));
	if (rc)
		atf_tc_fail("registry_parse: %s", msg);
}

static struct registry_query query(const char *op, const char *field,
				   const char *v1, const char *v2)
{
	struct registry_query q;

	memset(&q, 0, sizeof(q));
	q.op = op;
	q.backend = "iommufd";
	q.field = field;
	q.type1_value = v1;
	q.other_value = v2;
	q.kernel = "6.12.117+deb12-amd64";
	return q;
}

static const char *first(const struct registry *reg,
			 const struct registry_query *q)
{
	const struct registry_entry *found[4];

	return registry_match(reg, q, found, 4) ? found[0]->name : NULL;
}

ATF_TC_WITHOUT_HEAD(loads_entries);
ATF_TC_BODY(loads_entries, tc)
{
	struct registry reg;

	load(&reg, reg_text);
	ATF_REQUIRE_EQ(reg.nr, 4);
	ATF_CHECK_STREQ(reg.entries[0].name, "partial");
	ATF_CHECK_EQ(reg.entries[0].nr_terms, 2);
	ATF_CHECK(reg.entries[0].terms[1].negated);
	ATF_CHECK_EQ(reg.entries[1].backends.nr, 2);
	ATF_CHECK_EQ(reg.entries[2].nr_terms, 0);
	ATF_CHECK(reg.entries[2].until == NULL);
	ATF_CHECK_STREQ(reg.entries[3].until, "6.13");
	registry_release(&reg);
}

static void expect_error(const char *entry, const char *want)
{
	struct registry reg;
	char text[2048], msg[256];

	snprintf(text, sizeof(text), HEAD "%s" TAIL, entry);
	ATF_REQUIRE(registry_parse(&reg, text, "t", msg, sizeof(msg)) < 0);
	if (!strstr(msg, want))
		atf_tc_fail("\"%s\" does not say \"%s\"", msg, want);
}

ATF_TC_WITHOUT_HEAD(strict_loader);
ATF_TC_BODY(strict_loader, tc)
{
	expect_error("{\"name\":\"a\",\"case\":\"*\"}",
		     "entry 1 (a): case: unknown key");
	/* A misspelt key is refused, not read as a missing optional one. */
	expect_error("{\"name\":\"a\",\"op\":\"map_dma\",\"backend\":\"iommufd\"}",
		     "entry 1 (a): backend: unknown key");
	expect_error("{\"name\":\"a\",\"op\":\"map_dma\",\"backends\":\"iommufd\","
		     "\"when\":\"\",\"field\":\"errno\",\"type1\":\"*\",\"other\":\"*\","
		     "\"since\":\"6.2\",\"untill\":null}",
		     "entry 1 (a): untill: unknown key");
	expect_error("{\"name\":\"a\",\"op\":\"map_dma\",\"op\":\"unmap_dma\"}",
		     "entry 1 (a): op: given twice");
	expect_error("{\"name\":\"b\",\"op\":\"map\",\"backends\":\"iommufd\"}",
		     "entry 1 (b): op: not a value");
	expect_error("{\"name\":\"c\",\"op\":\"map_dma\",\"backends\":\"iommufd\","
		     "\"when\":\"wraps type1.v1-mode|other.bogus\"}",
		     "(c): when: \"other.bogus\" is no condition");
	expect_error("{\"name\":\"d\",\"op\":\"map_dma\",\"backends\":\"iommufd\","
		     "\"when\":\"other.mappings-differ\"}",
		     "(d): when:");
	expect_error("{\"name\":\"e\",\"op\":\"map_dma\",\"backends\":\"iommufd\","
		     "\"when\":\"\",\"field\":\"errno\",\"type1\":1}",
		     "(e): type1:");
	expect_error("{\"name\":\"f\",\"op\":\"map_dma\",\"backends\":\"iommufd\","
		     "\"when\":\"\",\"field\":\"errno\",\"type1\":\"*\",\"other\":\"*\","
		     "\"since\":\"six\"}",
		     "(f): since:");
	expect_error("{\"name\":\"g\",\"op\":\"map_dma\",\"backends\":\"iommufd\","
		     "\"when\":\"\",\"field\":\"errno\",\"type1\":\"*\",\"other\":\"*\","
		     "\"since\":\"6.2\",\"until\":null,\"observed\":\"x\","
		     "\"type1_function\":\"f\",\"other_function\":\"g\"}",
		     "(g): why:");
}

/* Outside the entries: the top level's keys, and the text itself. */
ATF_TC_WITHOUT_HEAD(strict_document);
ATF_TC_BODY(strict_document, tc)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "{\"format\":\"iommuctl-known-divergences\",\"version\":2,"
		  "\"entrys\":[]}",
		  "expected the keys format, version and entries" },
		{ "{\"format\":\"iommuctl-known-divergences\",\"version\":2,"
		  "\"entries\":[],\"note\":1}",
		  "expected the keys format, version and entries" },
		{ "{\"formt\":\"iommuctl-known-divergences\",\"version\":2,"
		  "\"entries\":[]}",
		  "format: expected" },
		{ "{\"format\":\"iommuctl-known-divergences\",\"version\":\"2\","
		  "\"entries\":[]}",
		  "version: expected 2" },
		{ "{\"format\":\"iommuctl-known-divergences\",\"version\":2,"
		  "\"entries\":[{\"name\":\"\xff\"}]}",
		  "t: not UTF-8 at byte 72" },
	};
	struct registry reg;
	char msg[256];
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ATF_CHECK_EQ_MSG(registry_parse(&reg, cases[i].text, "t", msg,
						sizeof(msg)),
				 -EINVAL, "case %u", i);
		ATF_CHECK_MSG(strstr(msg, cases[i].want),
			      "case %u: \"%s\" does not say \"%s\"", i, msg,
			      cases[i].want);
	}
}

ATF_TC_WITHOUT_HEAD(condition_expressions);
ATF_TC_BODY(condition_expressions, tc)
{
	const cond_set cut = COND_BIT(C_RANGE_CUTS_MAPPING);
	const cond_set unal = COND_BIT(C_UNALIGNED);
	const cond_set nodom = COND_BIT(C_NO_DOMAIN);
	const cond_set before = COND_BIT(C_BEFORE_DEVICE_OPEN);
	struct registry reg;

	load(&reg, reg_text);
	/* A bare name holds when it holds on both sides. */
	ATF_CHECK(registry_when(&reg.entries[0], cut, cut));
	ATF_CHECK(!registry_when(&reg.entries[0], cut, 0));
	ATF_CHECK(!registry_when(&reg.entries[0], cut | unal, cut | unal));
	/* "!unaligned" is "not on both": one side's is not enough. */
	ATF_CHECK(registry_when(&reg.entries[0], cut | unal, cut));
	/* Alternatives, each on its own side. */
	ATF_CHECK(registry_when(&reg.entries[3], before, 0));
	ATF_CHECK(registry_when(&reg.entries[3], 0, nodom));
	ATF_CHECK(!registry_when(&reg.entries[3], nodom, before));
	/* An empty expression always holds. */
	ATF_CHECK(registry_when(&reg.entries[2], 0, 0));
	registry_release(&reg);
}

ATF_TC_WITHOUT_HEAD(matching);
ATF_TC_BODY(matching, tc)
{
	struct registry_query q;
	struct registry reg;

	load(&reg, reg_text);
	q = query("unmap_dma", "errno", "EINVAL", "ENOENT");
	q.type1_conds = q.other_conds = COND_BIT(C_RANGE_CUTS_MAPPING);
	ATF_CHECK_STREQ(first(&reg, &q), "partial");
	/* Not for another op, backend, field or values. */
	q.op = "map_dma";
	ATF_CHECK(first(&reg, &q) == NULL);
	q.op = "unmap_dma";
	q.backend = "iommufd-nodev";
	ATF_CHECK(first(&reg, &q) == NULL);
	q.backend = "iommufd";
	q.other_value = "EBUSY";
	ATF_CHECK(first(&reg, &q) == NULL);

	/* "*" is any value written, never a value left out. */
	q = query("unmap_dma", "unmapped", "0x1000", "0x0");
	q.other_conds = COND_BIT(C_FAILED);
	ATF_CHECK_STREQ(first(&reg, &q), "size-back");
	q.type1_value = "(absent)";
	ATF_CHECK(first(&reg, &q) == NULL);

	/* A raw ioctl by its name; its op is "ioctl". */
	q = query("ioctl", "errno", "ENOTTY", "ENOENT");
	ATF_CHECK(first(&reg, &q) == NULL);
	q.ioctl = "IOMMU_DESTROY";
	ATF_CHECK_STREQ(first(&reg, &q), "destroy");

	/* "name[]" is every index of a field; the kernel range applies. */
	q = query("get_info", "iova_range[1]", "0x0-0xfedfffff",
		  "0x0-0xffffffffffffffff");
	q.other_conds = COND_BIT(C_NO_DOMAIN);
	ATF_CHECK_STREQ(first(&reg, &q), "ranges");
	q.field = "iova_ranges";
	ATF_CHECK(first(&reg, &q) == NULL);
	q.field = "iova_range[0]";
	q.kernel = "6.13.0";
	ATF_CHECK(first(&reg, &q) == NULL);
	q.kernel = "6.1.158";
	ATF_CHECK(first(&reg, &q) == NULL);
	q.kernel = "6.2";
	ATF_CHECK_STREQ(first(&reg, &q), "ranges");
	registry_release(&reg);
}

/* What a failed unmap wrote back is compared, whatever the errnos. */
ATF_TC_WITHOUT_HEAD(judge_compares_every_field);
ATF_TC_BODY(judge_compares_every_field, tc)
{
	struct judge_result t1 = { 22, FIELDS(HEX("unmapped", 0x1000)) };
	struct judge_result fd = { 2, FIELDS(HEX("unmapped", 0)) };
	struct divergence *div = NULL;
	struct registry_query q;
	struct registry reg;
	unsigned int nr = 0;

	load(&reg, reg_text);
	q = query("unmap_dma", NULL, NULL, NULL);
	q.type1_conds = COND_BIT(C_RANGE_CUTS_MAPPING) |
			judge_result_conds(OP_UNMAP_DMA, false, 0, &t1);
	q.other_conds = COND_BIT(C_RANGE_CUTS_MAPPING) |
			judge_result_conds(OP_UNMAP_DMA, false, 0, &fd);
	ATF_REQUIRE_EQ(judge_compare(&reg, &q, &t1, &fd, 1, &div, &nr), 0);
	ATF_REQUIRE_EQ(nr, 2);
	ATF_CHECK_STREQ(div[0].field, "errno");
	ATF_CHECK_STREQ(div[0].type1, "EINVAL");
	ATF_CHECK_STREQ(div[0].other, "ENOENT");
	ATF_CHECK_EQ(div[0].nr_known, 1);
	ATF_CHECK_STREQ(div[0].known[0]->name, "partial");
	ATF_CHECK_STREQ(div[1].field, "unmapped");
	ATF_CHECK_EQ(div[1].nr_known, 1);
	ATF_CHECK_STREQ(div[1].known[0]->name, "size-back");
	ATF_CHECK_EQ(reg.entries[0].hits, 1);
	ATF_CHECK_EQ(reg.entries[2].hits, 0);
	free(div);
	registry_release(&reg);
}

ATF_TC_WITHOUT_HEAD(judge_unknown_and_ambiguous);
ATF_TC_BODY(judge_unknown_and_ambiguous, tc)
{
	static const char two[] = HEAD
		"{\"name\":\"one\",\"op\":\"get_info\",\"backends\":\"iommufd\","
		"\"when\":\"\",\"field\":\"pgsizes\",\"type1\":\"*\",\"other\":\"*\","
		EVIDENCE "},"
		"{\"name\":\"two\",\"op\":\"get_info\",\"backends\":\"iommufd\","
		"\"when\":\"other.no-domain\",\"field\":\"*\",\"type1\":\"*\","
		"\"other\":\"*\"," EVIDENCE "}" TAIL;
	struct judge_result t1 = {
		0, FIELDS(HEX("pgsizes", 0x40201000), HEX("flags", 1))
	};
	struct judge_result fd = {
		0, FIELDS(HEX("flags", 1), HEX("pgsizes", 0xfffffffffffff000),
			  U64("dma_avail", 4294967295))
	};
	struct divergence *div = NULL;
	struct registry_query q;
	struct registry reg;
	unsigned int nr = 0;

	load(&reg, two);
	q = query("get_info", NULL, NULL, NULL);
	ATF_REQUIRE_EQ(judge_compare(&reg, &q, &t1, &fd, 1, &div, &nr), 0);
	/* Equal flags are no divergence; a key one side lacks is one. */
	ATF_REQUIRE_EQ(nr, 2);
	ATF_CHECK_STREQ(div[0].field, "pgsizes");
	ATF_CHECK_EQ(div[0].nr_known, 1);
	ATF_CHECK_STREQ(div[1].field, "dma_avail");
	ATF_CHECK_STREQ(div[1].type1, "(absent)");
	ATF_CHECK_EQ(div[1].nr_known, 0);
	free(div);
	div = NULL;
	nr = 0;
	q.other_conds = COND_BIT(C_NO_DOMAIN);
	ATF_REQUIRE_EQ(judge_compare(&reg, &q, &t1, &fd, 1, &div, &nr), 0);
	ATF_REQUIRE_EQ(nr, 2);
	ATF_CHECK_EQ(div[0].nr_known, 2);
	ATF_CHECK_STREQ(div[0].known[1]->name, "two");
	free(div);
	registry_release(&reg);
}

ATF_TC_WITHOUT_HEAD(result_conditions);
ATF_TC_BODY(result_conditions, tc)
{
	struct judge_result small = {
		0, FIELDS(U64("written", 16), U64("argsz", 96), HEX("flags", 3))
	};
	struct judge_result roomy = {
		0, FIELDS(U64("written", 96), U64("argsz", 96), HEX("flags", 3))
	};
	struct judge_result failed = { 22, NULL };

	ATF_CHECK(judge_result_conds(OP_GET_INFO, true, 20, &small) &
		  COND_BIT(C_ARGSZ_TOO_SMALL_FOR_CAPS));
	ATF_CHECK(!(judge_result_conds(OP_GET_INFO, true, 128, &roomy) &
		    COND_BIT(C_ARGSZ_TOO_SMALL_FOR_CAPS)));
	/* Below the minimum is argsz-below-minimum, not this. */
	ATF_CHECK(!(judge_result_conds(OP_GET_INFO, true, 8, &small) &
		    COND_BIT(C_ARGSZ_TOO_SMALL_FOR_CAPS)));
	ATF_CHECK_EQ(judge_result_conds(OP_MAP_DMA, false, 0, &failed),
		     COND_BIT(C_FAILED));
}

/* Fields compare by kind and value, and print as the reports show them. */
ATF_TC_WITHOUT_HEAD(typed_fields);
ATF_TC_BODY(typed_fields, tc)
{
	struct field_list l = { 0 };
	char v[64], *joined;

	ATF_REQUIRE_EQ(field_add_hex(&l, "unmapped", 0x1000), 0);
	ATF_REQUIRE_EQ(field_add_s64(&l, "value", -1), 0);
	ATF_REQUIRE_EQ(field_add_errno(&l, "status", 14), 0);
	ATF_REQUIRE_EQ(field_add_range(&l, "iova_range[0]", 0, 0xfedfffff), 0);
	ATF_REQUIRE_EQ(field_add_str(&l, "cap.IOVA_RANGE", "v1"), 0);
	ATF_REQUIRE_EQ(field_add_u64(&l, "written", 16), 0);
	ATF_CHECK_EQ(field_add_u64(&l, "a-key-longer-than-the-bound-allows", 1),
		     -EINVAL);
	joined = field_list_join(&l);
	ATF_REQUIRE(joined);
	ATF_CHECK_STREQ(joined, "unmapped=0x1000 value=-1 status=EFAULT "
				"iova_range[0]=0x0-0xfedfffff cap.IOVA_RANGE=v1 "
				"written=16");
	free(joined);
	field_format(field_find(&l, "status"), v, sizeof(v));
	ATF_CHECK_STREQ(v, "EFAULT");
	ATF_CHECK(field_find(&l, "nothing") == NULL);
	ATF_CHECK(field_equal(&l.f[0], &l.f[0]));
	ATF_CHECK(!field_equal(&l.f[0], &l.f[5]));
	field_list_release(&l);
	joined = field_list_join(&l);
	ATF_REQUIRE(joined);
	ATF_CHECK_STREQ(joined, "");
	free(joined);
}

/* Values that print the same are no divergence, whatever their kinds. */
ATF_TC_WITHOUT_HEAD(judge_compares_values);
ATF_TC_BODY(judge_compares_values, tc)
{
	struct judge_result t1 = { 0, FIELDS(U64("argsz", 16)) };
	struct judge_result same = { 0, FIELDS(U64("argsz", 16)) };
	struct judge_result other = { 0, FIELDS(HEX("argsz", 16)) };
	struct divergence *div = NULL;
	struct registry_query q;
	struct registry reg;
	unsigned int nr = 0;

	load(&reg, reg_text);
	q = query("get_info", NULL, NULL, NULL);
	ATF_REQUIRE_EQ(judge_compare(&reg, &q, &t1, &same, 1, &div, &nr), 0);
	ATF_CHECK_EQ(nr, 0);
	ATF_REQUIRE_EQ(judge_compare(&reg, &q, &t1, &other, 1, &div, &nr), 0);
	ATF_REQUIRE_EQ(nr, 1);
	ATF_CHECK_STREQ(div[0].type1, "16");
	ATF_CHECK_STREQ(div[0].other, "0x10");
	free(div);
	registry_release(&reg);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, typed_fields);
	ATF_TP_ADD_TC(tp, judge_compares_values);
	ATF_TP_ADD_TC(tp, loads_entries);
	ATF_TP_ADD_TC(tp, strict_loader);
	ATF_TP_ADD_TC(tp, strict_document);
	ATF_TP_ADD_TC(tp, condition_expressions);
	ATF_TP_ADD_TC(tp, matching);
	ATF_TP_ADD_TC(tp, judge_compares_every_field);
	ATF_TP_ADD_TC(tp, judge_unknown_and_ambiguous);
	ATF_TP_ADD_TC(tp, result_conditions);
	return atf_no_error();
}
