// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * timing's model: the axes' names, the cells of the configurations asked
 * for, and how a cell is found.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timing.h"

const char *const timing_backend_names[TB_COUNT] = { "type1", "iommufd" };
const char *const timing_domain_names[TD_COUNT] = { "device", "none" };
const char *const timing_mode_names[TMODE_COUNT] = { "type1", "type1v2" };
const char *const timing_mode_iommu[TMODE_COUNT] = { "TYPE1_IOMMU",
						     "TYPE1v2_IOMMU" };
const char *const timing_memory_names[TM_COUNT] = { "anon", "hugetlb" };
const char *const timing_op_names[TOP_COUNT] = { "map", "unmap" };
const char *const timing_status_names[3] = { "measured", "skipped",
					     "failed" };

int timing_lookup(const char *const *names, int count, const char *s)
{
	int i;

	for (i = 0; i < count; i++)
		if (!strcmp(names[i], s))
			return i;
	return -ENOENT;
}

int timing_cells_alloc(struct timing_run *t)
{
	unsigned int n = 0, s;
	struct timing_cell *c;
	int d, m, mem, bk;

	t->cells = calloc((size_t)TD_COUNT * TMODE_COUNT * TM_COUNT *
				  TIMING_MAX_SIZES * TB_COUNT,
			  sizeof(*t->cells));
	if (!t->cells)
		return -ENOMEM;
	for (d = 0; d < TD_COUNT; d++)
		for (m = 0; m < TMODE_COUNT; m++)
			for (mem = 0; mem < TM_COUNT; mem++)
				for (s = 0; s < t->nr_sizes; s++)
					for (bk = 0; bk < TB_COUNT; bk++) {
						if (!t->want_domain[d] ||
						    !t->want_mode[m] ||
						    !t->want_memory[mem])
							continue;
						c = &t->cells[n++];
						c->bk = bk;
						c->domain = d;
						c->mode = m;
						c->memory = mem;
						c->size = t->sizes[s];
					}
	t->nr_cells = n;
	return 0;
}

void timing_run_release(struct timing_run *t)
{
	unsigned int i;
	int op;

	for (i = 0; t->cells && i < t->nr_cells; i++)
		for (op = 0; op < TOP_COUNT; op++)
			free(t->cells[i].samples[op]);
	free(t->cells);
	t->cells = NULL;
	t->nr_cells = 0;
}

struct timing_cell *timing_cell(const struct timing_run *t,
				enum timing_backend bk,
				enum timing_domain domain,
				enum timing_mode mode,
				enum timing_memory memory, uint64_t size)
{
	struct timing_cell *c;
	unsigned int i;

	for (i = 0; i < t->nr_cells; i++) {
		c = &t->cells[i];
		if (c->bk == bk && c->domain == domain && c->mode == mode &&
		    c->memory == memory && c->size == size)
			return c;
	}
	return NULL;
}

void timing_size_label(char *buf, size_t len, uint64_t size)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	unsigned int u = 0;

	while (u + 1 < sizeof(units) / sizeof(units[0]) && size >= 1024 &&
	       !(size % 1024)) {
		size /= 1024;
		u++;
	}
	snprintf(buf, len, "%" PRIu64 " %s", size, units[u]);
}

void timing_domain_desc(char *buf, size_t len, const struct timing_run *t,
			enum timing_domain d)
{
	if (d == TD_DEVICE && t->pci.group >= 0 && !t->why_pci[0])
		snprintf(buf, len, "type1 and iommufd on %s (IOMMU group %d)",
			 t->pci.device, t->pci.group);
	else if (d == TD_DEVICE)
		snprintf(buf, len, "no device: %s", t->why_pci);
	else if (t->mdev.group >= 0 && !t->why_mdev[0])
		snprintf(buf, len,
			 "type1 on mdev %s (IOMMU group %d, emulated IOMMU), iommufd with no device",
			 t->mdev.device, t->mdev.group);
	else
		snprintf(buf, len,
			 "type1: no mdev (%s); iommufd with no device",
			 t->why_mdev);
}

/* The unit that keeps ns in three or four digits, and its size in ns. */
static const char *time_unit(double ns, double *div)
{
	*div = ns < 1e6 ? 1e3 : ns < 1e9 ? 1e6 : 1e9;
	return ns < 1e6 ? "us" : ns < 1e9 ? "ms" : "s";
}

void timing_fmt_time(char *buf, size_t len, double ns)
{
	double div;
	const char *u = time_unit(ns, &div);

	snprintf(buf, len, "%.2f %s", ns / div, u);
}

void timing_fmt_spread(char *buf, size_t len, const struct timing_stats *st)
{
	double div;
	const char *u = time_unit(st->median, &div);

	snprintf(buf, len, "%.2f [%.2f-%.2f] %s", st->median / div,
		 st->p10 / div, st->p90 / div, u);
}

void timing_fmt_rate(char *buf, size_t len, double bytes_per_s)
{
	if (bytes_per_s >= 1099511627776.0)
		snprintf(buf, len, "%.2f TiB/s", bytes_per_s / 1099511627776.0);
	else if (bytes_per_s >= 1073741824.0)
		snprintf(buf, len, "%.2f GiB/s", bytes_per_s / 1073741824.0);
	else
		snprintf(buf, len, "%.1f MiB/s", bytes_per_s / 1048576.0);
}

void timing_cell_label(char *buf, size_t len, const struct timing_cell *c)
{
	char size[24];

	timing_size_label(size, sizeof(size), c->size);
	snprintf(buf, len, "%s, domain %s, %s, %s, %s",
		 timing_backend_names[c->bk], timing_domain_names[c->domain],
		 timing_mode_names[c->mode], timing_memory_names[c->memory],
		 size);
}

unsigned int timing_list_unmeasured(FILE *f, const struct timing_run *t,
			    const char *const fmt[3],
			    void (*text)(FILE *f, const char *s))
{
	const struct timing_cell *c;
	unsigned int i, n = 0;
	char label[128];

	for (i = 0; i < t->nr_cells; i++) {
		c = &t->cells[i];
		if (c->status == TS_MEASURED)
			continue;
		if (!n++)
			fputs(fmt[0], f);
		timing_cell_label(label, sizeof(label), c);
		fputs(fmt[1], f);
		fprintf(f, "%s: %s: ", label, timing_status_names[c->status]);
		text(f, c->reason);
		fputs(fmt[2], f);
	}
	return n;
}
