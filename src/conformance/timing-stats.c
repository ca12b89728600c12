// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * timing's statistics: the order statistics of one configuration's
 * rounds, and the ratios and rates the renderers show.
 */
#include <stdlib.h>

#include "timing.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double timing_percentile(const double *sorted, unsigned int n, double p)
{
	double h = (n - 1) * p / 100.0;
	unsigned int lo = (unsigned int)h;

	if (lo + 1 >= n)
		return sorted[n - 1];
	return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
}

void timing_stats_compute(double *samples, unsigned int n,
			  struct timing_stats *st)
{
	qsort(samples, n, sizeof(*samples), cmp_double);
	st->n = n;
	st->min = samples[0];
	st->max = samples[n - 1];
	st->p10 = timing_percentile(samples, n, 10);
	st->q1 = timing_percentile(samples, n, 25);
	st->median = timing_percentile(samples, n, 50);
	st->q3 = timing_percentile(samples, n, 75);
	st->p90 = timing_percentile(samples, n, 90);
}

void timing_summarise(struct timing_run *t)
{
	struct timing_cell *c;
	unsigned int i;
	int op;

	for (i = 0; i < t->nr_cells; i++) {
		c = &t->cells[i];
		if (c->status != TS_MEASURED)
			continue;
		for (op = 0; op < TOP_COUNT; op++)
			timing_stats_compute(c->samples[op], t->rounds,
					     &c->stats[op]);
	}
}

double timing_ratio(const struct timing_run *t, const struct timing_cell *c,
		    enum timing_op op)
{
	const struct timing_cell *a, *b;

	a = timing_cell(t, TB_TYPE1, c->domain, c->mode, c->memory, c->size);
	b = timing_cell(t, TB_IOMMUFD, c->domain, c->mode, c->memory, c->size);
	if (!a || !b || a->status != TS_MEASURED ||
	    b->status != TS_MEASURED || a->stats[op].median <= 0)
		return -1;
	return b->stats[op].median / a->stats[op].median;
}

double timing_throughput(const struct timing_cell *c, enum timing_op op)
{
	if (c->status != TS_MEASURED || c->stats[op].median <= 0)
		return 0;
	return (double)c->size * 1e9 / c->stats[op].median;
}
