// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The HTML report: one self-contained page. What a migrating user reads
 * first comes first: the verdicts per trace, the divergences grouped by
 * cause, then the matrix of ops by backends.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "html.h"
#include "report.h"

static const char *const verdict_css[V_COUNT] = {
	[V_MATCH] = "m",
	[V_KNOWN] = "k",
	[V_UNEXPECTED] = "u",
	[V_SKIPPED] = "s",
};

static void begin(FILE *f)
{
	struct utsname u;

	uname(&u);
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<title>VFIO type1 vs iommufd parity</title>\n<style>\n"
	      "body{font-family:sans-serif;margin:1em}\n"
	      "table{border-collapse:collapse;margin-bottom:1.5em}\n"
	      "td,th{border:1px solid #999;padding:2px 6px;font-size:90%}\n"
	      "td.m{background:#bfe6bf}td.k{background:#f3e39a}\n"
	      "td.u{background:#f2a0a0}td.s{background:#ddd;color:#555}\n"
	      "</style></head><body>\n<h1>VFIO type1 vs iommufd parity</h1>\n<p>Kernel ",
	      f);
	html_escape(f, u.release);
	fputs(". Colours: <span style=\"background:#bfe6bf\">match</span> "
	      "<span style=\"background:#f3e39a\">known divergence</span> "
	      "<span style=\"background:#f2a0a0\">unexpected divergence</span> "
	      "<span style=\"background:#ddd\">skipped</span>; "
	      "hover over a matrix cell for the fields and the evidence.</p>\n",
	      f);
}

static void evidence(FILE *f, const struct op_row *row, int bk,
		     const struct registry_entry *e)
{
	char when[512], range[64];

	report_pair_format(when, sizeof(when), row, bk);
	report_kernel_range(range, sizeof(range), e);
	fputs(" - known: ", f);
	html_escape(f, e->name);
	fputs("&#10;  conditions: ", f);
	html_escape(f, when);
	fputs("&#10;  why: ", f);
	html_escape(f, e->why);
	fputs("&#10;  type1: ", f);
	html_escape(f, e->type1_function);
	fputs("&#10;  here: ", f);
	html_escape(f, e->other_function);
	fputs("&#10;  kernels: ", f);
	html_escape(f, range);
}

static void cell(FILE *f, const struct op_row *row, int bk)
{
	const struct op_result *res = &row->res[bk];
	const struct divergence *d;
	unsigned int j;
	char c[24], *fields;

	fprintf(f, "<td class=\"%s\" title=\"",
		verdict_css[row->bk_verdict[bk]]);
	if (res->skipped) {
		html_escape(f, res->skip_reason);
	} else {
		fields = field_list_join(&res->fields);
		html_escape(f, fields);
		free(fields);
	}
	for (j = 0; j < row->nr_div; j++) {
		d = &row->div[j];
		if (d->bk != bk)
			continue;
		fprintf(f, "&#10;%s: type1 ", d->field);
		html_escape(f, d->type1);
		fputs(", here ", f);
		html_escape(f, d->other);
		if (d->known[0])
			evidence(f, row, bk, d->known[0]);
		else
			fputs(" - UNEXPECTED", f);
	}
	if (res->expect_failed)
		fprintf(f, "&#10;expectation on %s not met",
			res->expect_failed);
	report_cell(c, sizeof(c), res);
	fprintf(f, "\">%s</td>", c);
}

static void trace(FILE *f, const struct run *run, const struct trace_run *tr,
		  size_t strip)
{
	const struct op_row *row;
	char when[512];
	unsigned int i;
	int bk;

	fputs("<h2 id=\"t-", f);
	html_escape(f, tr->path + strip);
	fputs("\">", f);
	html_escape(f, tr->path + strip);
	fputs("</h2>\n", f);
	if (tr->error) {
		fputs("<p>Invalid trace: ", f);
		html_escape(f, tr->error);
		fputs("</p>\n", f);
		return;
	}
	fputs("<table><tr><th>case</th><th>op</th>", f);
	for (bk = 0; bk < BK_COUNT; bk++)
		if (run->want[bk])
			fprintf(f, "<th>%s</th>", backend_name(bk));
	fputs("<th>conditions (type1 against each backend)</th></tr>\n", f);
	for (i = 0; i < tr->nr; i++) {
		row = &tr->rows[i];
		fputs("<tr><td>", f);
		html_escape(f, row->id);
		fprintf(f, "</td><td>%s</td>", trace_op_name(row->op));
		for (bk = 0; bk < BK_COUNT; bk++)
			if (run->want[bk])
				cell(f, row, bk);
		fputs("<td>", f);
		for (bk = BK_IOMMUFD; bk < BK_COUNT; bk++) {
			if (!run->want[bk])
				continue;
			report_pair_format(when, sizeof(when), row, bk);
			fprintf(f, "%s: ", backend_name(bk));
			html_escape(f, when[0] ? when : "-");
			fputs("<br>", f);
		}
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
}

/* Length of the directory part the trace paths share, to show them short. */
static size_t common_dir(const struct trace_run *trs, unsigned int nr)
{
	size_t n, k;
	unsigned int i;

	if (!nr)
		return 0;
	n = strlen(trs[0].path);
	for (i = 1; i < nr; i++) {
		for (k = 0; k < n && trs[i].path[k] == trs[0].path[k]; k++)
			;
		n = k;
	}
	while (n && trs[0].path[n - 1] != '/')
		n--;
	return n;
}

/* What a migrating user reads first: each trace's verdicts. */
static void summary(FILE *f, const struct trace_run *trs, unsigned int nr,
		    size_t strip)
{
	unsigned long c[V_COUNT];
	unsigned int i, j;

	fputs("<h2>Verdicts per trace</h2>\n<table><tr><th>trace</th>"
	      "<th>match</th><th>known divergence</th>"
	      "<th>unexpected divergence</th><th>skipped</th></tr>\n",
	      f);
	for (i = 0; i < nr; i++) {
		fputs("<tr class=\"t\"><td><a href=\"#t-", f);
		html_escape(f, trs[i].path + strip);
		fputs("\">", f);
		html_escape(f, trs[i].path + strip);
		fputs("</a></td>", f);
		if (trs[i].error) {
			fputs("<td class=\"u\" colspan=\"4\">" VERDICT_INVALID
			      ": ",
			      f);
			html_escape(f, trs[i].error);
			fputs("</td></tr>\n", f);
			continue;
		}
		memset(c, 0, sizeof(c));
		for (j = 0; j < trs[i].nr; j++)
			c[trs[i].rows[j].verdict]++;
		fprintf(f,
			"<td class=\"m\">%lu</td><td class=\"k\">%lu</td>"
			"<td class=\"%s\">%lu</td><td class=\"s\">%lu</td></tr>\n",
			c[V_MATCH], c[V_KNOWN], c[V_UNEXPECTED] ? "u" : "m",
			c[V_UNEXPECTED], c[V_SKIPPED]);
	}
	fputs("</table>\n", f);
}

static void cause_head(FILE *f, const struct registry_entry *e)
{
	char range[64];

	fputs("<tr><td colspan=\"6\" class=\"cause\">", f);
	if (!e) {
		fputs("<b>UNEXPECTED</b>: in no registry entry</td></tr>\n", f);
		return;
	}
	report_kernel_range(range, sizeof(range), e);
	fputs("<b>", f);
	html_escape(f, e->name);
	fputs("</b>: ", f);
	html_escape(f, e->why);
	fputs("<br>type1: <code>", f);
	html_escape(f, e->type1_function);
	fputs("</code>; iommufd: <code>", f);
	html_escape(f, e->other_function);
	fputs("</code>; kernels ", f);
	html_escape(f, range);
	fputs(" (observed on ", f);
	html_escape(f, e->observed);
	fputs(")</td></tr>\n", f);
}

/* One cause: every divergence whose first entry is e (NULL: unexpected). */
static void cause(FILE *f, const struct registry_entry *e,
		  const struct trace_run *trs, unsigned int nr, size_t strip)
{
	const struct divergence *d;
	const struct op_row *row;
	unsigned int i, j, k;
	char when[512];

	cause_head(f, e);
	for (i = 0; i < nr; i++) {
		for (j = 0; j < trs[i].nr; j++) {
			row = &trs[i].rows[j];
			for (k = 0; k < row->nr_div; k++) {
				d = &row->div[k];
				if (d->known[0] != e)
					continue;
				report_pair_format(when, sizeof(when), row,
						   d->bk);
				fputs("<tr class=\"d\"><td>", f);
				html_escape(f, row->id);
				fputs(" (", f);
				html_escape(f, trs[i].path + strip);
				fprintf(f, ")</td><td>%s</td><td>",
					backend_name(d->bk));
				html_escape(f, d->field);
				fputs("</td><td>", f);
				html_escape(f, d->type1);
				fputs("</td><td>", f);
				html_escape(f, d->other);
				fputs("</td><td>", f);
				html_escape(f, when);
				fputs("</td></tr>\n", f);
			}
		}
	}
}

/* The divergences grouped by cause, unexpected ones first. */
static void by_cause(FILE *f, const struct run *run,
		     const struct trace_run *trs, unsigned int nr, size_t strip)
{
	unsigned int i;

	fputs("<h2>Divergences by cause</h2>\n"
	      "<table class=\"divergences\"><tr><th>op</th><th>backend</th>"
	      "<th>field</th><th>type1</th><th>backend's</th>"
	      "<th>conditions that held</th></tr>\n",
	      f);
	if (run->totals[V_UNEXPECTED])
		cause(f, NULL, trs, nr, strip);
	for (i = 0; i < run->reg.nr; i++)
		if (run->reg.entries[i].hits)
			cause(f, &run->reg.entries[i], trs, nr, strip);
	fputs("</table>\n<h2>Every op</h2>\n", f);
}

/* The backends last: one can fail to open on the first trace. */
static void end(FILE *f, const struct run *run)
{
	int bk;

	fputs("<h2>Backends</h2>\n<ul>\n", f);
	for (bk = 0; bk < BK_COUNT; bk++) {
		if (!run->want[bk])
			continue;
		fprintf(f, "<li>%s: ", backend_name(bk));
		html_escape(f, run->why[bk][0] ? run->why[bk] : "ran");
		fputs("</li>\n", f);
	}
	fprintf(f,
		"</ul>\n<p>%lu match, %lu known divergences, %lu unexpected divergences, %lu skipped",
		run->totals[V_MATCH], run->totals[V_KNOWN],
		run->totals[V_UNEXPECTED], run->totals[V_SKIPPED]);
	if (run->invalid)
		fprintf(f, ", %lu invalid traces", run->invalid);
	fputs(".</p>\n</body></html>\n", f);
}

int report_html(FILE *f, const struct run *run, const struct trace_run *trs,
		unsigned int nr)
{
	size_t strip = common_dir(trs, nr);
	unsigned int i;

	begin(f);
	summary(f, trs, nr, strip);
	by_cause(f, run, trs, nr, strip);
	for (i = 0; i < nr; i++)
		trace(f, run, &trs[i], strip);
	end(f, run);
	return report_flush(f);
}
