/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_TIMING_SVG_H
#define IOMMUCTL_TIMING_SVG_H

#include <stdbool.h>
#include <stdio.h>

#include "timing.h"

/*
 * A line chart as inline SVG: categories along x (timing's sizes, evenly
 * spaced), a linear or logarithmic y axis, lines with optional whiskers.
 * No script, no external font: the page shows it as it is.
 */

#define SVG_MAX_SERIES 8

struct svg_series {
	char name[64];
	const char *color;
	bool dashed;
	/* Per category; a value <= 0 is no point (nothing measured). */
	double y[TIMING_MAX_SIZES];
	double lo[TIMING_MAX_SIZES];
	double hi[TIMING_MAX_SIZES];
};

struct svg_chart {
	const char *title;
	const char *y_label;
	/*
	 * Logarithmic y: nanoseconds, ticks at decades labelled as times;
	 * or ratios, ticks at powers of two, so 1/2 and 2 lie as far from 1.
	 */
	enum { SVG_Y_TIME, SVG_Y_RATIO } y_kind;
	double ref; /* a horizontal line at this y (ratio 1), or 0 */
	unsigned int nr_x;
	char x_labels[TIMING_MAX_SIZES][24];
	unsigned int nr_series;
	struct svg_series series[SVG_MAX_SERIES];
};

void svg_chart(FILE *f, const struct svg_chart *c);

#endif
