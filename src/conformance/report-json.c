// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The JSON report (report.schema.json), through the library's output
 * layer, which keeps the project's JSON contract.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/utsname.h>

#include "config.h"
#include "names.h"
#include "out.h"
#include "report.h"

/* A condition set as an array of names. */
static void conds(struct out *o, const char *key, cond_set set)
{
	int c;

	out_array_begin(o, key);
	for (c = 0; c < C_COUNT; c++)
		if (set & COND_BIT(c))
			out_str(o, NULL, cond_name(c));
	out_array_end(o);
}

static void divergence(struct out *o, const struct op_row *row,
		       const struct divergence *d)
{
	const struct registry_entry *k = d->known[0];
	char when[512];
	unsigned int i;

	report_pair_format(when, sizeof(when), row, d->bk);
	out_object_begin(o, NULL);
	out_str(o, "backend", backend_name(d->bk));
	out_str(o, "field", d->field);
	out_str(o, "type1", d->type1);
	out_str(o, "other", d->other);
	out_str(o, "conditions", when);
	out_str(o, "class", k ? "known" : "unexpected");
	out_str(o, "registry", k ? k->name : NULL);
	out_array_begin(o, "also_matched");
	for (i = 1; i < d->nr_known && i < JUDGE_MAX_MATCHES; i++)
		out_str(o, NULL, d->known[i]->name);
	out_array_end(o);
	out_str(o, "when", k ? k->when : NULL);
	out_str(o, "type1_function", k ? k->type1_function : NULL);
	out_str(o, "other_function", k ? k->other_function : NULL);
	out_str(o, "since", k ? k->since : NULL);
	out_str(o, "until", k ? k->until : NULL);
	out_str(o, "observed", k ? k->observed : NULL);
	out_str(o, "why", k ? k->why : NULL);
	out_object_end(o);
}

static void result(struct out *o, const struct op_row *row, int bk)
{
	const struct op_result *res = &row->res[bk];
	cond_set t1, ot;
	char *fields;

	report_pair_conds(row, bk, &t1, &ot);
	out_object_begin(o, backend_name(bk));
	out_bool(o, "skipped", res->skipped);
	out_str(o, "skip_reason", res->skip_reason);
	/* One encoding with iommuctl and traces: a name, null for none. */
	out_str(o, "errno",
		res->skipped || !res->err ? NULL : errno_str(res->err));
	fields = field_list_join(&res->fields);
	out_str(o, "fields", fields ? fields : "");
	free(fields);
	out_str(o, "expect_failed", res->expect_failed);
	conds(o, "conditions", ot);
	out_object_end(o);
}

static void op(struct out *o, const struct run *run,
	       const struct trace_run *tr, const struct op_row *row)
{
	char name[NAME_MAX + CASE_ID_LEN + 2];
	unsigned int j;
	int bk;

	snprintf(name, sizeof(name), "%s:%s", tr->base, row->id);
	out_object_begin(o, NULL);
	out_str(o, "case", name);
	out_u32(o, "line", row->line);
	out_str(o, "op", trace_op_name(row->op));
	out_str(o, "ioctl", row->ioctl[0] ? row->ioctl : NULL);
	out_str(o, "verdict", verdict_names[row->verdict]);
	out_str(o, "skip_reason",
		row->verdict == V_SKIPPED ? row->skip_reason : NULL);
	out_object_begin(o, "results");
	for (bk = 0; bk < BK_COUNT; bk++)
		if (run->want[bk])
			result(o, row, bk);
	out_object_end(o);
	out_array_begin(o, "divergences");
	for (j = 0; j < row->nr_div; j++)
		divergence(o, row, &row->div[j]);
	out_array_end(o);
	out_object_end(o);
}

static void trace(struct out *o, const struct run *run,
		  const struct trace_run *tr)
{
	unsigned int i;

	out_object_begin(o, NULL);
	out_str(o, "trace", tr->path);
	out_str(o, "verdict", report_trace_verdict(tr));
	out_str(o, "error", tr->error);
	out_array_begin(o, "ops");
	for (i = 0; i < tr->nr; i++)
		op(o, run, tr, &tr->rows[i]);
	out_array_end(o);
	out_object_end(o);
}

static void head(struct out *o)
{
	struct utsname u;

	uname(&u);
	out_str(o, "format", "iommuctl-conformance-report");
	out_u32(o, "version", 2);
	out_str(o, "tool_version", PACKAGE_VERSION);
	out_str(o, "kernel", u.release);
	out_str(o, "host", u.nodename);
}

/* After the run: a backend can fail to open on the first trace. */
static void backends(struct out *o, const struct run *run)
{
	int bk;

	out_array_begin(o, "backends");
	for (bk = 0; bk < BK_COUNT; bk++) {
		if (!run->want[bk])
			continue;
		out_object_begin(o, NULL);
		out_str(o, "name", backend_name(bk));
		out_bool(o, "ran", run->ran[bk] && !run->why[bk][0]);
		out_str(o, "reason", run->why[bk][0] ? run->why[bk] : NULL);
		out_object_end(o);
	}
	out_array_end(o);
	out_object_begin(o, "device");
	out_s32(o, "group", run->target.group);
	out_str(o, "name", run->target.device[0] ? run->target.device : NULL);
	out_object_end(o);
}

static void summary(struct out *o, const struct run *run)
{
	int bk, v;

	out_object_begin(o, "summary");
	for (v = 0; v < V_COUNT; v++)
		out_u32(o, verdict_names[v], (uint32_t)run->totals[v]);
	out_u32(o, "invalid_traces", (uint32_t)run->invalid);
	out_u32(o, "expectation_failures", (uint32_t)run->expect_failures);
	out_u32(o, "ambiguous", (uint32_t)run->ambiguous);
	out_object_begin(o, "per_backend");
	for (bk = BK_IOMMUFD; bk < BK_COUNT; bk++) {
		if (!run->want[bk])
			continue;
		out_object_begin(o, backend_name(bk));
		for (v = 0; v < V_COUNT; v++)
			out_u32(o, verdict_names[v],
				(uint32_t)run->counts[bk][v]);
		out_object_end(o);
	}
	out_object_end(o);
	out_object_end(o);
}

/* Which entries this run used: one that matched nothing may be stale. */
static void registry(struct out *o, const struct run *run)
{
	unsigned int i;

	out_object_begin(o, "registry");
	out_array_begin(o, "entries");
	for (i = 0; i < run->reg.nr; i++) {
		out_object_begin(o, NULL);
		out_str(o, "name", run->reg.entries[i].name);
		out_u32(o, "hits", (uint32_t)run->reg.entries[i].hits);
		out_object_end(o);
	}
	out_array_end(o);
	out_array_begin(o, "unmatched");
	for (i = 0; i < run->reg.nr; i++)
		if (!run->reg.entries[i].hits)
			out_str(o, NULL, run->reg.entries[i].name);
	out_array_end(o);
	out_object_end(o);
}

int report_json(FILE *f, const struct run *run, const struct trace_run *trs,
		unsigned int nr)
{
	/*
	 * Streamed: a report holds several objects an op, and built whole it
	 * took 8 GiB for a trace of a million ops. outputs.c writes files
	 * aside and renames them only when whole.
	 */
	struct out *o = out_new(OUT_JSON, OUT_STREAM, f);
	unsigned int i;
	int rc;

	if (!o)
		return -ENOMEM;
	out_record_begin(o);
	head(o);
	out_array_begin(o, "traces");
	for (i = 0; i < nr; i++)
		trace(o, run, &trs[i]);
	out_array_end(o);
	backends(o, run);
	registry(o, run);
	summary(o, run);
	rc = out_record_end(o);
	if (!rc)
		rc = out_finish(o);
	out_free(o);
	return rc;
}
