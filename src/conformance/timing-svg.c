// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * timing's charts: one line chart as inline SVG (timing-svg.h).
 */
#include <math.h>
#include <stdio.h>

#include "html.h"
#include "timing-svg.h"

#define W 600
#define H 320
#define LEFT 72
#define RIGHT 215
#define TOP 34
#define BOTTOM 48
#define PW (W - LEFT - RIGHT)
#define PH (H - TOP - BOTTOM)

/* Both axes are logarithmic: decades of time, or powers of two. */
struct scale {
	bool ratio;
	double lo, hi; /* in axis units: log10 or log2 of the value */
};

static double axis_value(const struct scale *s, double v)
{
	return s->ratio ? log2(v) : log10(v);
}

static double value_at(const struct scale *s, double a)
{
	return s->ratio ? exp2(a) : pow(10, a);
}

static double px_y(const struct scale *s, double v)
{
	return TOP + PH - (axis_value(s, v) - s->lo) / (s->hi - s->lo) * PH;
}

static double px_x(const struct svg_chart *c, unsigned int i)
{
	if (c->nr_x < 2)
		return LEFT + PW / 2.0;
	return LEFT + 16 + (double)i * (PW - 32) / (c->nr_x - 1);
}

static void widen(double *lo, double *hi, double v)
{
	if (v <= 0)
		return;
	if (*lo <= 0 || v < *lo)
		*lo = v;
	if (v > *hi)
		*hi = v;
}

/* The y range over every point, whisker and the reference line. */
static bool y_range(const struct svg_chart *c, struct scale *s)
{
	const struct svg_series *ser;
	double lo = 0, hi = 0;
	unsigned int i, j;

	for (i = 0; i < c->nr_series; i++) {
		ser = &c->series[i];
		for (j = 0; j < c->nr_x; j++) {
			if (ser->y[j] <= 0)
				continue;
			widen(&lo, &hi, ser->y[j]);
			widen(&lo, &hi, ser->lo[j]);
			widen(&lo, &hi, ser->hi[j]);
		}
	}
	if (lo <= 0)
		return false;
	widen(&lo, &hi, c->ref);
	s->ratio = c->y_kind == SVG_Y_RATIO;
	s->lo = floor(axis_value(s, lo));
	s->hi = ceil(axis_value(s, hi));
	if (s->hi <= s->lo)
		s->hi = s->lo + 1;
	return true;
}

/* Decades of nanoseconds as "10 us", "1 ms"; ratios as "0.5", "4". */
static void tick_label(char *buf, size_t len, const struct scale *s, double v)
{
	static const char *const units[] = { "ns", "us", "ms", "s" };
	unsigned int u = 0;

	if (s->ratio) {
		snprintf(buf, len, "%g", v);
		return;
	}
	while (v >= 1000 && u + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1000;
		u++;
	}
	snprintf(buf, len, "%g %s", v, units[u]);
}

static void tick(FILE *f, const struct scale *s, double v)
{
	char label[32];
	double y = px_y(s, v);

	tick_label(label, sizeof(label), s, v);
	fprintf(f,
		"<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
		"<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" font-size=\"11\">%s</text>\n",
		LEFT, y, LEFT + PW, y, LEFT - 4, y + 4, label);
}

static void y_axis(FILE *f, const struct scale *s)
{
	int e;

	for (e = (int)s->lo; e <= (int)s->hi; e++)
		tick(f, s, value_at(s, e));
}

static void frame(FILE *f, const struct svg_chart *c)
{
	unsigned int i;

	fprintf(f,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" role=\"img\">\n"
		"<title>",
		W, H, W, H);
	html_escape(f, c->title);
	fprintf(f,
		"</title>\n<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n"
		"<text x=\"%d\" y=\"18\" font-size=\"14\" font-weight=\"bold\">",
		W, H, LEFT);
	html_escape(f, c->title);
	fprintf(f,
		"</text>\n<text x=\"14\" y=\"%d\" font-size=\"11\" transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\">",
		TOP + PH / 2, TOP + PH / 2);
	html_escape(f, c->y_label);
	fputs("</text>\n", f);
	for (i = 0; i < c->nr_x; i++) {
		fprintf(f,
			"<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">",
			px_x(c, i), TOP + PH + 16);
		html_escape(f, c->x_labels[i]);
		fputs("</text>\n", f);
	}
	fprintf(f,
		"<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">size of each map and unmap</text>\n",
		LEFT + PW / 2, TOP + PH + 36);
}

/* Each series a little apart, so whiskers do not hide one another. */
static double offset(const struct svg_chart *c, unsigned int k)
{
	return ((double)k - (c->nr_series - 1) / 2.0) * 3;
}

static void series(FILE *f, const struct svg_chart *c, const struct scale *s,
		   const struct svg_series *ser, unsigned int k)
{
	bool open = false;
	unsigned int j;
	double x;

	for (j = 0; j < c->nr_x; j++) {
		if (ser->y[j] <= 0) {
			if (open)
				fputs("\"/>\n", f);
			open = false;
			continue;
		}
		if (!open)
			fprintf(f,
				"<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"",
				ser->color,
				ser->dashed ? " stroke-dasharray=\"6 4\"" : "");
		open = true;
		fprintf(f, "%.1f,%.1f ", px_x(c, j) + offset(c, k),
			px_y(s, ser->y[j]));
	}
	if (open)
		fputs("\"/>\n", f);
	for (j = 0; j < c->nr_x; j++) {
		if (ser->y[j] <= 0)
			continue;
		x = px_x(c, j) + offset(c, k);
		if (ser->lo[j] > 0 && ser->hi[j] > 0)
			fprintf(f,
				"<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>",
				x, px_y(s, ser->lo[j]), x, px_y(s, ser->hi[j]),
				ser->color);
		fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n",
			x, px_y(s, ser->y[j]), ser->color);
	}
}

static bool has_points(const struct svg_chart *c, const struct svg_series *ser)
{
	unsigned int j;

	for (j = 0; j < c->nr_x; j++)
		if (ser->y[j] > 0)
			return true;
	return false;
}

static void legend(FILE *f, const struct svg_chart *c)
{
	const struct svg_series *ser;
	unsigned int i;
	int y;

	for (i = 0; i < c->nr_series; i++) {
		ser = &c->series[i];
		y = TOP + 8 + (int)i * 18;
		fprintf(f,
			"<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>"
			"<text x=\"%d\" y=\"%d\" font-size=\"11\">",
			LEFT + PW + 12, y, LEFT + PW + 36, y, ser->color,
			ser->dashed ? " stroke-dasharray=\"6 4\"" : "",
			LEFT + PW + 42, y + 4);
		html_escape(f, ser->name);
		fputs(has_points(c, ser) ? "</text>\n" :
					   " (not measured)</text>\n",
		      f);
	}
}

void svg_chart(FILE *f, const struct svg_chart *c)
{
	struct scale s;
	unsigned int i;
	double y;

	frame(f, c);
	fprintf(f,
		"<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>\n",
		LEFT, TOP, PW, PH);
	if (!y_range(c, &s)) {
		fprintf(f,
			"<text x=\"%d\" y=\"%d\" font-size=\"13\" text-anchor=\"middle\">nothing measured</text>\n</svg>\n",
			LEFT + PW / 2, TOP + PH / 2);
		return;
	}
	y_axis(f, &s);
	if (c->ref > 0) {
		y = px_y(&s, c->ref);
		fprintf(f,
			"<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#000\" stroke-dasharray=\"2 3\"/>\n",
			LEFT, y, LEFT + PW, y);
	}
	for (i = 0; i < c->nr_series; i++)
		series(f, c, &s, &c->series[i], i);
	legend(f, c);
	fputs("</svg>\n", f);
}
