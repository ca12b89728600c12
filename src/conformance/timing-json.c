// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * timing's JSON (timing.schema.json), through the library's output layer:
 * every configuration with its status and, when measured, each op's
 * latency statistics, throughput and per-round samples; then the ratios
 * iommufd / type1, the headline.
 */
#include <errno.h>

#include "config.h"
#include "out.h"
#include "timing.h"

#define NOTE \
	"absolute times are only meaningful on the host that ran them; compare the ratios"
#define STATISTICS \
	"per-op latency of each round (a batch of ops timed together, divided by its size); min, p10, q1, median, q3, p90, max over the rounds, percentiles interpolated linearly between closest ranks (type 7)"

/* Nanoseconds to 0.1, ratios to 0.0001: what the clocks can tell. */
static double round_to(double v, double step)
{
	return (double)(long long)(v / step + 0.5) * step;
}

static void target(struct out *o, const char *key,
		   const struct replay_target *tg, const char *why)
{
	bool have = tg->group >= 0 && !why[0];

	out_object_begin(o, key);
	out_str(o, "device", have ? tg->device : NULL);
	if (have)
		out_u32(o, "group", (uint32_t)tg->group);
	else
		out_null(o, "group");
	out_str(o, "reason", have ? NULL : why);
	out_object_end(o);
}

static void op_stats(struct out *o, const struct timing_run *t,
		     const struct timing_cell *c, enum timing_op op)
{
	const struct timing_stats *st = &c->stats[op];
	unsigned int r;

	if (c->status != TS_MEASURED) {
		out_null(o, timing_op_names[op]);
		return;
	}
	out_object_begin(o, timing_op_names[op]);
	out_object_begin(o, "latency_ns");
	out_double(o, "min", round_to(st->min, 0.1));
	out_double(o, "p10", round_to(st->p10, 0.1));
	out_double(o, "q1", round_to(st->q1, 0.1));
	out_double(o, "median", round_to(st->median, 0.1));
	out_double(o, "q3", round_to(st->q3, 0.1));
	out_double(o, "p90", round_to(st->p90, 0.1));
	out_double(o, "max", round_to(st->max, 0.1));
	out_object_end(o);
	out_double(o, "throughput_bytes_per_s",
		   round_to(timing_throughput(c, op), 1));
	out_array_begin(o, "samples_ns");
	for (r = 0; r < t->rounds; r++)
		out_double(o, NULL, round_to(c->samples[op][r], 0.1));
	out_array_end(o);
	out_object_end(o);
}

static void axes(struct out *o, const struct timing_cell *c)
{
	char size[24];

	timing_size_label(size, sizeof(size), c->size);
	out_str(o, "domain", timing_domain_names[c->domain]);
	out_str(o, "mode", timing_mode_names[c->mode]);
	out_str(o, "memory", timing_memory_names[c->memory]);
	out_u64_hex(o, "size", c->size);
	out_str(o, "size_label", size);
}

static void configuration(struct out *o, const struct timing_run *t,
			  const struct timing_cell *c)
{
	int op;

	out_object_begin(o, NULL);
	out_str(o, "backend", timing_backend_names[c->bk]);
	axes(o, c);
	out_str(o, "status", timing_status_names[c->status]);
	out_str(o, "reason", c->status == TS_MEASURED ? NULL : c->reason);
	out_u32(o, "batch", c->batch);
	for (op = 0; op < TOP_COUNT; op++)
		op_stats(o, t, c, op);
	out_object_end(o);
}

/* One ratio entry per configuration; null ratios say which side is missing. */
static void ratio(struct out *o, const struct timing_run *t,
		  const struct timing_cell *a)
{
	const struct timing_cell *b;
	double r;
	int op;

	b = timing_cell(t, TB_IOMMUFD, a->domain, a->mode, a->memory, a->size);
	out_object_begin(o, NULL);
	axes(o, a);
	for (op = 0; op < TOP_COUNT; op++) {
		r = timing_ratio(t, a, op);
		if (r < 0)
			out_null(o, timing_op_names[op]);
		else
			out_double(o, timing_op_names[op], round_to(r, 0.0001));
	}
	if (a->status != TS_MEASURED)
		out_str(o, "reason", "type1 not measured");
	else if (!b || b->status != TS_MEASURED)
		out_str(o, "reason", "iommufd not measured");
	else
		out_null(o, "reason");
	out_object_end(o);
}

int timing_json(FILE *f, const struct timing_run *t)
{
	unsigned int i, n[3] = { 0 };
	struct out *o;
	int rc;

	o = out_new(OUT_JSON, OUT_PRETTY, f);
	if (!o)
		return -ENOMEM;
	out_record_begin(o);
	out_str(o, "format", "iommuctl-conformance-timing");
	out_u32(o, "version", 1);
	out_str(o, "tool_version", PACKAGE_VERSION);
	out_str(o, "kernel", t->kernel);
	out_str(o, "host", t->host);
	out_str(o, "note", NOTE);
	out_str(o, "statistics", STATISTICS);
	out_u32(o, "rounds", t->rounds);
	out_u32(o, "warmup_rounds", 1);
	if (t->hugepage_size)
		out_u64_hex(o, "hugepage_size", t->hugepage_size);
	else
		out_null(o, "hugepage_size");
	out_object_begin(o, "targets");
	target(o, "device", &t->pci, t->why_pci);
	target(o, "none", &t->mdev, t->why_mdev);
	out_object_end(o);
	out_array_begin(o, "configurations");
	for (i = 0; i < t->nr_cells; i++) {
		configuration(o, t, &t->cells[i]);
		n[t->cells[i].status]++;
	}
	out_array_end(o);
	out_array_begin(o, "ratios");
	for (i = 0; i < t->nr_cells; i++)
		if (t->cells[i].bk == TB_TYPE1)
			ratio(o, t, &t->cells[i]);
	out_array_end(o);
	out_object_begin(o, "summary");
	out_u32(o, "configurations", t->nr_cells);
	out_u32(o, "measured", n[TS_MEASURED]);
	out_u32(o, "skipped", n[TS_SKIPPED]);
	out_u32(o, "failed", n[TS_FAILED]);
	out_object_end(o);
	rc = out_record_end(o);
	if (!rc)
		rc = out_finish(o);
	out_free(o);
	return rc;
}
