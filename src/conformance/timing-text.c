// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * timing's text table: per configuration and op, each backend's median
 * latency with its p10-p90 spread and its throughput, and the ratio
 * iommufd / type1; then what was not measured and why.
 */
#include <errno.h>
#include <stdio.h>

#include "timing.h"

/* "5.12 [4.90-5.60] us  0.76 GiB/s", or the status. */
static void side(FILE *f, const struct timing_cell *c, enum timing_op op)
{
	char spread[64], rate[24];

	if (!c || c->status != TS_MEASURED) {
		fprintf(f, "  %-36s", c ? timing_status_names[c->status] : "-");
		return;
	}
	timing_fmt_spread(spread, sizeof(spread), &c->stats[op]);
	timing_fmt_rate(rate, sizeof(rate), timing_throughput(c, op));
	fprintf(f, "  %-24s %11s", spread, rate);
}

static void rows(FILE *f, const struct timing_run *t,
		 const struct timing_cell *a)
{
	const struct timing_cell *b;
	char size[24];
	double r;
	int op;

	b = timing_cell(t, TB_IOMMUFD, a->domain, a->mode, a->memory, a->size);
	timing_size_label(size, sizeof(size), a->size);
	for (op = 0; op < TOP_COUNT; op++) {
		fprintf(f, "%-7s %-8s %-8s %-8s %-5s", timing_domain_names[a->domain],
			timing_mode_names[a->mode],
			timing_memory_names[a->memory], size,
			timing_op_names[op]);
		side(f, a, op);
		side(f, b, op);
		r = timing_ratio(t, a, op);
		if (r < 0)
			fprintf(f, "  %6s\n", "-");
		else
			fprintf(f, "  %6.3f\n", r);
	}
}

static void plain(FILE *f, const char *s)
{
	fputs(s, f);
}

int timing_text(FILE *f, const struct timing_run *t)
{
	unsigned int i, n[3] = { 0 };
	char desc[2 * TIMING_REASON_LEN];
	int d;

	fprintf(f,
		"VFIO map/unmap timing, type1 container (/dev/vfio/vfio) against iommufd's compat container (/dev/iommu)\n"
		"kernel %s, host %s; %u rounds per configuration after one warm-up round\n"
		"latency per op: median [p10-p90] unit; throughput at the median; ratio: iommufd median / type1 median\n"
		"Absolute times are only meaningful on the host that ran them; compare the ratios.\n",
		t->kernel, t->host, t->rounds);
	for (d = 0; d < TD_COUNT; d++) {
		if (!t->want_domain[d])
			continue;
		timing_domain_desc(desc, sizeof(desc), t, d);
		fprintf(f, "domain %s: %s\n", timing_domain_names[d], desc);
	}
	fputc('\n', f);
	fprintf(f, "%-7s %-8s %-8s %-8s %-5s  %-36s  %-36s  %6s\n", "domain",
		"mode", "memory", "size", "op", "type1", "iommufd", "ratio");
	for (i = 0; i < t->nr_cells; i++)
		if (t->cells[i].bk == TB_TYPE1)
			rows(f, t, &t->cells[i]);
	timing_list_unmeasured(f, t,
			       (const char *const[3]){ "\nnot measured:\n",
						       "  ", "\n" },
			       plain);
	for (i = 0; i < t->nr_cells; i++)
		n[t->cells[i].status]++;
	fprintf(f, "\n%u configurations: %u measured, %u skipped, %u failed\n",
		t->nr_cells, n[TS_MEASURED], n[TS_SKIPPED], n[TS_FAILED]);
	if (fflush(f) == EOF || ferror(f))
		return -EIO;
	return 0;
}
