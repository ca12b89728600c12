// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * timing's statistics and renderers on synthetic measurements: the
 * percentiles, the ratios, and the JSON, text and HTML (inline SVG) made
 * from a run that no kernel measured. The measuring itself is
 * timing_kernel_test's, in the VM.
 */
#include <atf-c.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timing.h"

#define ROUNDS 5

ATF_TC_WITHOUT_HEAD(percentiles);
ATF_TC_BODY(percentiles, tc)
{
	double s[10] = { 10, 9, 8, 7, 6, 5, 4, 3, 2, 1 };
	double one[1] = { 42 };
	double two[2] = { 3, 1 };
	struct timing_stats st;

	/* Type 7 on 1..10: h = 9p/100, between the closest ranks. */
	timing_stats_compute(s, 10, &st);
	ATF_CHECK_EQ(st.n, 10);
	ATF_CHECK_EQ(s[0], 1);
	ATF_CHECK_EQ(st.min, 1);
	ATF_CHECK_EQ(st.max, 10);
	ATF_CHECK_EQ(st.median, 5.5);
	ATF_CHECK_EQ(st.q1, 3.25);
	ATF_CHECK_EQ(st.q3, 7.75);
	ATF_CHECK(st.p10 > 1.899 && st.p10 < 1.901);
	ATF_CHECK(st.p90 > 9.099 && st.p90 < 9.101);

	timing_stats_compute(one, 1, &st);
	ATF_CHECK(st.min == 42 && st.p10 == 42 && st.median == 42 &&
		  st.p90 == 42 && st.max == 42);
	timing_stats_compute(two, 2, &st);
	ATF_CHECK_EQ(st.median, 2);
	ATF_CHECK_EQ(st.q1, 1.5);
	ATF_CHECK_EQ(timing_percentile(two, 2, 100), 3);
	ATF_CHECK_EQ(timing_percentile(two, 2, 0), 1);
}

/*
 * Two sizes, one domain, mode and memory kind: type1 measured at both,
 * iommufd twice as slow at 4 KiB and skipped (with markup in its reason,
 * to be escaped) at 2 MiB.
 */
static void synthetic(struct timing_run *t)
{
	struct timing_cell *c;
	unsigned int i, r;
	int op;

	memset(t, 0, sizeof(*t));
	t->sizes[0] = 4096;
	t->sizes[1] = 2 << 20;
	t->nr_sizes = 2;
	t->rounds = ROUNDS;
	t->want_domain[TD_DEVICE] = true;
	t->want_mode[TMODE_TYPE1V2] = true;
	t->want_memory[TM_ANON] = true;
	t->pci.group = 3;
	snprintf(t->pci.device, sizeof(t->pci.device), "0000:00:03.0");
	t->mdev.group = -1;
	snprintf(t->why_mdev, sizeof(t->why_mdev), "no mdev here");
	snprintf(t->kernel, sizeof(t->kernel), "6.12.117");
	snprintf(t->host, sizeof(t->host), "testhost");
	ATF_REQUIRE_EQ(timing_cells_alloc(t), 0);
	ATF_REQUIRE_EQ(t->nr_cells, 4);
	for (i = 0; i < t->nr_cells; i++) {
		c = &t->cells[i];
		c->batch = c->size == 4096 ? 64 : 1;
		if (c->bk == TB_IOMMUFD && c->size != 4096) {
			c->status = TS_SKIPPED;
			snprintf(c->reason, sizeof(c->reason),
				 "needs <b>huge</b> pages & more");
			continue;
		}
		for (op = 0; op < TOP_COUNT; op++) {
			c->samples[op] = calloc(ROUNDS, sizeof(double));
			ATF_REQUIRE(c->samples[op]);
			for (r = 0; r < ROUNDS; r++)
				c->samples[op][r] =
					(1000.0 + 100 * r) *
					(c->bk == TB_IOMMUFD ? 2 : 1) *
					(op == TOP_UNMAP ? 0.5 : 1);
		}
	}
	timing_summarise(t);
}

ATF_TC_WITHOUT_HEAD(ratios);
ATF_TC_BODY(ratios, tc)
{
	struct timing_run t;
	struct timing_cell *a, *big;

	synthetic(&t);
	a = timing_cell(&t, TB_TYPE1, TD_DEVICE, TMODE_TYPE1V2, TM_ANON, 4096);
	big = timing_cell(&t, TB_TYPE1, TD_DEVICE, TMODE_TYPE1V2, TM_ANON,
			  2 << 20);
	ATF_REQUIRE(a && big);
	ATF_CHECK(!timing_cell(&t, TB_TYPE1, TD_NONE, TMODE_TYPE1V2, TM_ANON,
			       4096));
	ATF_CHECK_EQ(a->stats[TOP_MAP].median, 1200);
	ATF_CHECK_EQ(timing_ratio(&t, a, TOP_MAP), 2);
	ATF_CHECK_EQ(timing_ratio(&t, a, TOP_UNMAP), 2);
	ATF_CHECK(timing_ratio(&t, big, TOP_MAP) < 0);
	/* 4096 bytes in 1200 ns. */
	ATF_CHECK(timing_throughput(a, TOP_MAP) > 3413333333.0 &&
		  timing_throughput(a, TOP_MAP) < 3413333334.0);
	timing_run_release(&t);
}

/* Render into a string with one of the renderers. */
static char *render(int (*fn)(FILE *, const struct timing_run *),
		    const struct timing_run *t)
{
	size_t len;
	char *buf;
	FILE *f;

	f = open_memstream(&buf, &len);
	ATF_REQUIRE(f);
	ATF_REQUIRE_EQ(fn(f, t), 0);
	ATF_REQUIRE_EQ(fclose(f), 0);
	return buf;
}

static const cJSON *member(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!v)
		atf_tc_fail("no \"%s\"", key);
	return v;
}

ATF_TC_WITHOUT_HEAD(json);
ATF_TC_BODY(json, tc)
{
	const cJSON *cfgs, *c, *map, *lat, *ratios, *r, *sum;
	struct timing_run t;
	cJSON *doc;
	char *s;

	synthetic(&t);
	s = render(timing_json, &t);
	doc = cJSON_Parse(s);
	ATF_REQUIRE_MSG(doc, "not JSON: %s", s);
	ATF_CHECK_STREQ(member(doc, "format")->valuestring,
			"iommuctl-conformance-timing");
	ATF_CHECK_EQ(member(doc, "version")->valuedouble, 1);
	ATF_CHECK(strstr(member(doc, "note")->valuestring,
			 "only meaningful on the host that ran them"));
	ATF_CHECK_EQ(member(doc, "rounds")->valuedouble, ROUNDS);
	ATF_CHECK(cJSON_IsNull(member(doc, "hugepage_size")));
	ATF_CHECK_STREQ(member(member(member(doc, "targets"), "device"),
			       "device")->valuestring,
			"0000:00:03.0");
	ATF_CHECK_STREQ(member(member(member(doc, "targets"), "none"),
			       "reason")->valuestring,
			"no mdev here");

	cfgs = member(doc, "configurations");
	ATF_REQUIRE_EQ(cJSON_GetArraySize(cfgs), 4);
	c = cJSON_GetArrayItem(cfgs, 0);
	ATF_CHECK_STREQ(member(c, "backend")->valuestring, "type1");
	ATF_CHECK_STREQ(member(c, "domain")->valuestring, "device");
	ATF_CHECK_STREQ(member(c, "mode")->valuestring, "type1v2");
	ATF_CHECK_STREQ(member(c, "memory")->valuestring, "anon");
	ATF_CHECK_STREQ(member(c, "size")->valuestring, "0x1000");
	ATF_CHECK_STREQ(member(c, "size_label")->valuestring, "4 KiB");
	ATF_CHECK_STREQ(member(c, "status")->valuestring, "measured");
	ATF_CHECK(cJSON_IsNull(member(c, "reason")));
	ATF_CHECK_EQ(member(c, "batch")->valuedouble, 64);
	map = member(c, "map");
	lat = member(map, "latency_ns");
	ATF_CHECK_EQ(member(lat, "median")->valuedouble, 1200);
	ATF_CHECK_EQ(member(lat, "min")->valuedouble, 1000);
	ATF_CHECK_EQ(member(lat, "max")->valuedouble, 1400);
	ATF_CHECK_EQ(member(lat, "q1")->valuedouble, 1100);
	ATF_CHECK_EQ(member(lat, "p90")->valuedouble, 1360);
	ATF_CHECK_EQ(cJSON_GetArraySize(member(map, "samples_ns")), ROUNDS);
	ATF_CHECK_EQ(member(map, "throughput_bytes_per_s")->valuedouble,
		     3413333333.0);

	/* The skipped one: its reason, and null ops. */
	c = cJSON_GetArrayItem(cfgs, 3);
	ATF_CHECK_STREQ(member(c, "backend")->valuestring, "iommufd");
	ATF_CHECK_STREQ(member(c, "status")->valuestring, "skipped");
	ATF_CHECK_STREQ(member(c, "reason")->valuestring,
			"needs <b>huge</b> pages & more");
	ATF_CHECK(cJSON_IsNull(member(c, "map")));
	ATF_CHECK(cJSON_IsNull(member(c, "unmap")));

	ratios = member(doc, "ratios");
	ATF_REQUIRE_EQ(cJSON_GetArraySize(ratios), 2);
	r = cJSON_GetArrayItem(ratios, 0);
	ATF_CHECK_EQ(member(r, "map")->valuedouble, 2);
	ATF_CHECK_EQ(member(r, "unmap")->valuedouble, 2);
	ATF_CHECK(cJSON_IsNull(member(r, "reason")));
	r = cJSON_GetArrayItem(ratios, 1);
	ATF_CHECK(cJSON_IsNull(member(r, "map")));
	ATF_CHECK_STREQ(member(r, "reason")->valuestring,
			"iommufd not measured");

	sum = member(doc, "summary");
	ATF_CHECK_EQ(member(sum, "configurations")->valuedouble, 4);
	ATF_CHECK_EQ(member(sum, "measured")->valuedouble, 3);
	ATF_CHECK_EQ(member(sum, "skipped")->valuedouble, 1);
	ATF_CHECK_EQ(member(sum, "failed")->valuedouble, 0);
	cJSON_Delete(doc);
	free(s);
	timing_run_release(&t);
}

static unsigned int count(const char *s, const char *what)
{
	unsigned int n = 0;

	for (s = strstr(s, what); s; s = strstr(s + 1, what))
		n++;
	return n;
}

ATF_TC_WITHOUT_HEAD(html);
ATF_TC_BODY(html, tc)
{
	struct timing_run t;
	const char *p;
	char *s;

	synthetic(&t);
	s = render(timing_html, &t);
	/* Two ratio charts, one latency chart per op. */
	ATF_CHECK_EQ(count(s, "<svg "), 4);
	ATF_CHECK_EQ(count(s, "</svg>"), 4);
	ATF_CHECK(strstr(s, "only meaningful on the host that ran them"));
	/* Self-contained: no script, no fetched font, style or image. */
	ATF_CHECK(!strstr(s, "<script"));
	ATF_CHECK(!strstr(s, "@font-face"));
	ATF_CHECK(!strstr(s, "url("));
	ATF_CHECK(!strstr(s, "<link"));
	ATF_CHECK(!strstr(s, "<img"));
	for (p = strstr(s, "http"); p; p = strstr(p + 1, "http"))
		ATF_CHECK_MSG(!strncmp(p, "http://www.w3.org/2000/svg", 26),
			      "a reference out of the page: %.40s", p);
	/* The reason escaped, the ratio in the table, 1 = same drawn. */
	ATF_CHECK(strstr(s, "needs &lt;b&gt;huge&lt;/b&gt; pages &amp; more"));
	ATF_CHECK(!strstr(s, "<b>huge"));
	ATF_CHECK(strstr(s, "<b>2.000</b>"));
	ATF_CHECK(strstr(s, "stroke-dasharray=\"2 3\""));
	/* The 4 KiB ratio is a point; 2 MiB has none, so no line. */
	ATF_CHECK(count(s, "<polyline") >= 1);
	ATF_CHECK(strstr(s, "<text x=\"") && strstr(s, ">2 MiB</text>"));
	ATF_CHECK(strstr(s, "none, anon, type1v2") == NULL);
	free(s);
	timing_run_release(&t);
}

ATF_TC_WITHOUT_HEAD(text);
ATF_TC_BODY(text, tc)
{
	struct timing_run t;
	char *s;

	synthetic(&t);
	s = render(timing_text, &t);
	ATF_CHECK(strstr(s, "Absolute times are only meaningful"));
	ATF_CHECK(strstr(s, "domain device: type1 and iommufd on 0000:00:03.0 (IOMMU group 3)"));
	ATF_CHECK(strstr(s, "1.20 [1.04-1.36] us"));
	ATF_CHECK(strstr(s, "2.000\n"));
	ATF_CHECK(strstr(s, "  iommufd, domain device, type1v2, anon, 2 MiB: skipped: needs <b>huge</b> pages & more\n"));
	ATF_CHECK(strstr(s, "4 configurations: 3 measured, 1 skipped, 0 failed\n"));
	free(s);
	timing_run_release(&t);
}

ATF_TC_WITHOUT_HEAD(sizes);
ATF_TC_BODY(sizes, tc)
{
	char b[24];

	timing_size_label(b, sizeof(b), 4096);
	ATF_CHECK_STREQ(b, "4 KiB");
	timing_size_label(b, sizeof(b), 1ULL << 30);
	ATF_CHECK_STREQ(b, "1 GiB");
	timing_size_label(b, sizeof(b), 12288 + 1024 * 1024);
	ATF_CHECK_STREQ(b, "1036 KiB");
	timing_size_label(b, sizeof(b), 100);
	ATF_CHECK_STREQ(b, "100 B");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, percentiles);
	ATF_TP_ADD_TC(tp, ratios);
	ATF_TP_ADD_TC(tp, json);
	ATF_TP_ADD_TC(tp, html);
	ATF_TP_ADD_TC(tp, text);
	ATF_TP_ADD_TC(tp, sizes);
	return atf_no_error();
}
