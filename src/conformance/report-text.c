// SPDX-License-Identifier: GPL-2.0-or-later
/* The text report: a table per trace, each divergence under its op. */
#include <stdio.h>

#include "report.h"
#include "utf8.h"

static void divergence(FILE *f, const struct op_row *row,
		       const struct divergence *d)
{
	const struct registry_entry *k = d->known[0];
	const char *bk = backend_name(d->bk);
	char when[512], range[64];
	unsigned int i;

	report_pair_format(when, sizeof(when), row, d->bk);
	fprintf(f, "      %s %s: type1 %s, %s %s", bk, d->field, d->type1, bk,
		d->other);
	if (!k) {
		fprintf(f, " - UNEXPECTED\n        conditions: %s\n", when);
		return;
	}
	fprintf(f, " - known: %s", k->name);
	for (i = 1; i < d->nr_known && i < JUDGE_MAX_MATCHES; i++)
		fprintf(f, ", AMBIGUOUS with %s", d->known[i]->name);
	report_kernel_range(range, sizeof(range), k);
	fprintf(f,
		"\n        conditions: %s\n        why: %s\n"
		"        type1: %s\n        %s: %s\n"
		"        kernels: %s (observed on %s)\n",
		when, k->why, k->type1_function, bk, k->other_function, range,
		k->observed);
}

static void trace(FILE *f, const struct run *run, const struct trace_run *tr)
{
	char c[BK_COUNT][24], when[512], id[CASE_ID_LEN * 4];
	const struct op_row *row;
	unsigned int i, j;
	int bk;

	/* What comes from the trace goes to a terminal escaped. */
	fputs_printable(tr->path, f);
	fputc('\n', f);
	if (tr->error) {
		fprintf(f, "  %s: ", VERDICT_INVALID);
		fputs_printable(tr->error, f);
		fputc('\n', f);
		return;
	}
	fprintf(f, "  %-34s %-16s", "case", "op");
	for (bk = 0; bk < BK_COUNT; bk++)
		if (run->want[bk])
			fprintf(f, " %-14s", backend_name(bk));
	fprintf(f, " verdict\n");
	for (i = 0; i < tr->nr; i++) {
		row = &tr->rows[i];
		for (bk = 0; bk < BK_COUNT; bk++)
			report_cell(c[bk], sizeof(c[bk]), &row->res[bk]);
		fprintf(f, "  %-34s %-16s", utf8_printable(id, sizeof(id), row->id),
			trace_op_name(row->op));
		for (bk = 0; bk < BK_COUNT; bk++)
			if (run->want[bk])
				fprintf(f, " %-14s", c[bk]);
		fprintf(f, " %s\n", verdict_names[row->verdict]);
		for (bk = BK_IOMMUFD; bk < BK_COUNT; bk++) {
			if (!run->want[bk])
				continue;
			report_pair_format(when, sizeof(when), row, bk);
			fprintf(f, "      when (type1, %s): %s\n",
				backend_name(bk), when[0] ? when : "-");
		}
		for (j = 0; j < row->nr_div; j++)
			divergence(f, row, &row->div[j]);
		for (bk = 0; bk < BK_COUNT; bk++)
			if (run->want[bk] && row->res[bk].expect_failed)
				fprintf(f, "      %s: expectation on %s not met\n",
					backend_name(bk),
					row->res[bk].expect_failed);
	}
}

static void registry(FILE *f, const struct run *run)
{
	unsigned int i, n = 0;

	for (i = 0; i < run->reg.nr; i++)
		if (!run->reg.entries[i].hits)
			fprintf(f, "%s%s",
				n++ ? ", " :
				      "registry entries that matched nothing: ",
				run->reg.entries[i].name);
	if (n)
		fprintf(f, "\n");
	fprintf(f, "%lu divergences matched by more than one registry entry\n",
		run->ambiguous);
}

int report_text(FILE *f, const struct run *run, const struct trace_run *trs,
		unsigned int nr)
{
	unsigned int i;
	int bk;

	for (i = 0; i < nr; i++)
		trace(f, run, &trs[i]);
	for (bk = 0; bk < BK_COUNT; bk++)
		if (run->want[bk] && run->why[bk][0])
			fprintf(f, "%s: not run: %s\n", backend_name(bk),
				run->why[bk]);
	registry(f, run);
	fprintf(f,
		"%lu match, %lu known divergences, %lu unexpected divergences, %lu skipped",
		run->totals[V_MATCH], run->totals[V_KNOWN],
		run->totals[V_UNEXPECTED], run->totals[V_SKIPPED]);
	if (run->invalid)
		fprintf(f, ", %lu invalid traces", run->invalid);
	fputc('\n', f);
	return report_flush(f);
}
