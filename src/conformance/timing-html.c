// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * timing's HTML page: the ratios iommufd / type1 plotted first (the
 * headline), then each backend's latency per domain, memory kind and op
 * with its p10-p90 spread, then every number and what was not measured.
 * One self-contained file: inline SVG, no script, no external font.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "html.h"
#include "timing-svg.h"
#include "timing.h"

static const char *const backend_color[TB_COUNT] = { "#1f77b4", "#d95f02" };
static const char *const pair_color[TD_COUNT][TM_COUNT] = {
	{ "#1b9e77", "#7570b3" },
	{ "#e7298a", "#66a61e" },
};

static void x_axis(struct svg_chart *c, const struct timing_run *t)
{
	unsigned int s;

	c->nr_x = t->nr_sizes;
	for (s = 0; s < t->nr_sizes; s++)
		timing_size_label(c->x_labels[s], sizeof(c->x_labels[s]),
				  t->sizes[s]);
}

static void ratio_chart(FILE *f, const struct timing_run *t,
			enum timing_op op)
{
	static struct svg_chart c;
	const struct timing_cell *cell;
	struct svg_series *ser;
	unsigned int s;
	int d, m, mem;

	memset(&c, 0, sizeof(c));
	c.title = op == TOP_MAP ? "map: iommufd / type1" :
				  "unmap: iommufd / type1";
	c.y_label = "ratio of medians (1 = same)";
	c.y_kind = SVG_Y_RATIO;
	c.ref = 1;
	x_axis(&c, t);
	for (d = 0; d < TD_COUNT; d++)
		for (mem = 0; mem < TM_COUNT; mem++)
			for (m = TMODE_COUNT - 1; m >= 0; m--) {
				if (!t->want_domain[d] || !t->want_memory[mem] ||
				    !t->want_mode[m])
					continue;
				ser = &c.series[c.nr_series++];
				snprintf(ser->name, sizeof(ser->name),
					 "%s, %s, %s", timing_domain_names[d],
					 timing_memory_names[mem],
					 timing_mode_names[m]);
				ser->color = pair_color[d][mem];
				ser->dashed = m == TMODE_TYPE1;
				for (s = 0; s < t->nr_sizes; s++) {
					cell = timing_cell(t, TB_TYPE1, d, m,
							   mem, t->sizes[s]);
					ser->y[s] = cell ? timing_ratio(t, cell,
									op) :
							   -1;
				}
			}
	svg_chart(f, &c);
}

static void latency_chart(FILE *f, const struct timing_run *t,
			  enum timing_domain d, enum timing_memory mem,
			  enum timing_op op)
{
	static struct svg_chart c;
	const struct timing_cell *cell;
	struct svg_series *ser;
	char title[96];
	unsigned int s;
	int bk, m;

	memset(&c, 0, sizeof(c));
	snprintf(title, sizeof(title), "%s, domain %s, %s memory",
		 timing_op_names[op], timing_domain_names[d],
		 timing_memory_names[mem]);
	c.title = title;
	c.y_label = "latency per op (median, p10-p90)";
	c.y_kind = SVG_Y_TIME;
	x_axis(&c, t);
	for (bk = 0; bk < TB_COUNT; bk++)
		for (m = TMODE_COUNT - 1; m >= 0; m--) {
			if (!t->want_mode[m])
				continue;
			ser = &c.series[c.nr_series++];
			snprintf(ser->name, sizeof(ser->name), "%s, %s",
				 timing_backend_names[bk], timing_mode_names[m]);
			ser->color = backend_color[bk];
			ser->dashed = m == TMODE_TYPE1;
			for (s = 0; s < t->nr_sizes; s++) {
				cell = timing_cell(t, bk, d, m, mem,
						   t->sizes[s]);
				if (!cell || cell->status != TS_MEASURED) {
					ser->y[s] = -1;
					continue;
				}
				ser->y[s] = cell->stats[op].median;
				ser->lo[s] = cell->stats[op].p10;
				ser->hi[s] = cell->stats[op].p90;
			}
		}
	svg_chart(f, &c);
}

static void td_side(FILE *f, const struct timing_cell *c, enum timing_op op)
{
	char spread[64], rate[24];

	if (!c || c->status != TS_MEASURED) {
		fprintf(f, "<td class=\"s\">%s</td>",
			c ? timing_status_names[c->status] : "-");
		return;
	}
	timing_fmt_spread(spread, sizeof(spread), &c->stats[op]);
	timing_fmt_rate(rate, sizeof(rate), timing_throughput(c, op));
	fprintf(f, "<td>%s<br><small>%s</small></td>", spread, rate);
}

static void table(FILE *f, const struct timing_run *t)
{
	const struct timing_cell *a, *b;
	char size[24];
	unsigned int i;
	double r;
	int op;

	fputs("<h2>Every configuration</h2>\n<table>\n<tr><th>domain</th><th>mode</th>"
	      "<th>memory</th><th>size</th><th>op</th><th>type1 median [p10 &ndash; p90]</th>"
	      "<th>iommufd median [p10 &ndash; p90]</th><th>ratio</th></tr>\n",
	      f);
	for (i = 0; i < t->nr_cells; i++) {
		a = &t->cells[i];
		if (a->bk != TB_TYPE1)
			continue;
		b = timing_cell(t, TB_IOMMUFD, a->domain, a->mode, a->memory,
				a->size);
		timing_size_label(size, sizeof(size), a->size);
		for (op = 0; op < TOP_COUNT; op++) {
			fprintf(f,
				"<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>",
				timing_domain_names[a->domain],
				timing_mode_names[a->mode],
				timing_memory_names[a->memory], size,
				timing_op_names[op]);
			td_side(f, a, op);
			td_side(f, b, op);
			r = timing_ratio(t, a, op);
			if (r < 0)
				fputs("<td class=\"s\">-</td></tr>\n", f);
			else
				fprintf(f, "<td><b>%.3f</b></td></tr>\n", r);
		}
	}
	fputs("</table>\n", f);
}

static void head(FILE *f, const struct timing_run *t)
{
	char desc[2 * TIMING_REASON_LEN];
	int d;

	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<title>VFIO map/unmap timing: type1 vs iommufd</title>\n<style>\n"
	      "body{font-family:sans-serif;margin:1em;max-width:1240px}\n"
	      "table{border-collapse:collapse;margin-bottom:1.5em}\n"
	      "td,th{border:1px solid #999;padding:2px 6px;font-size:90%;text-align:left}\n"
	      "td.s{background:#ddd;color:#555}\n"
	      ".note{background:#fff3c4;padding:.4em .6em;border-left:4px solid #e0b000}\n"
	      "svg{margin:0 6px 6px 0;border:1px solid #ccc}\n"
	      "</style></head><body>\n"
	      "<h1>VFIO map/unmap timing: type1 container vs iommufd compat</h1>\n<p>Kernel ",
	      f);
	html_escape(f, t->kernel);
	fputs(", host ", f);
	html_escape(f, t->host);
	fprintf(f,
		"; %u rounds per configuration after one warm-up round. Latency is per op; "
		"small sizes are timed in batches of ops. Spread: p10 &ndash; p90 over the rounds "
		"(percentiles interpolated linearly).</p>\n"
		"<p class=\"note\"><b>Absolute times are only meaningful on the host that ran them.</b> "
		"The ratios iommufd / type1 (medians, same size, memory, domain and mode) are the result "
		"to compare between machines.</p>\n<ul>\n",
		t->rounds);
	for (d = 0; d < TD_COUNT; d++) {
		if (!t->want_domain[d])
			continue;
		timing_domain_desc(desc, sizeof(desc), t, d);
		fprintf(f, "<li>domain <b>%s</b>: ", timing_domain_names[d]);
		html_escape(f, desc);
		fputs("</li>\n", f);
	}
	fputs("</ul>\n", f);
}

int timing_html(FILE *f, const struct timing_run *t)
{
	int d, mem, op;

	head(f, t);
	fputs("<h2>Ratios iommufd / type1</h2>\n<p>Above the dotted line iommufd is slower. "
	      "Dashed lines: TYPE1 (v1) mode.</p>\n<div>\n",
	      f);
	for (op = 0; op < TOP_COUNT; op++)
		ratio_chart(f, t, op);
	fputs("</div>\n<h2>Latency per op</h2>\n<div>\n", f);
	for (d = 0; d < TD_COUNT; d++)
		for (mem = 0; mem < TM_COUNT; mem++)
			for (op = 0; op < TOP_COUNT; op++)
				if (t->want_domain[d] && t->want_memory[mem])
					latency_chart(f, t, d, mem, op);
	fputs("</div>\n", f);
	table(f, t);
	if (timing_list_unmeasured(f, t,
				   (const char *const[3]){
					   "<h2>Not measured</h2>\n<ul>\n",
					   "<li>", "</li>\n" },
				   html_escape))
		fputs("</ul>\n", f);
	fputs("</body></html>\n", f);
	if (fflush(f) == EOF || ferror(f))
		return -EIO;
	return 0;
}
