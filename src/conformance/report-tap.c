// SPDX-License-Identifier: GPL-2.0-or-later
/* TAP: one test per op, numbered across the traces of the report. */
#include <stdio.h>

#include "report.h"

int report_tap(FILE *f, const struct run *run, const struct trace_run *trs,
	       unsigned int nr)
{
	const struct trace_run *tr;
	const struct op_row *row;
	unsigned long n = 0;
	unsigned int t, i, j;

	for (t = 0; t < nr; t++) {
		tr = &trs[t];
		if (tr->error)
			fprintf(f, "not ok %lu - %s # %s\n", ++n, tr->base,
				tr->error);
		for (i = 0; i < tr->nr; i++) {
			row = &tr->rows[i];
			fprintf(f, "%s %lu - %s:%s",
				row->verdict == V_UNEXPECTED ? "not ok" : "ok",
				++n, tr->base, row->id);
			if (row->verdict == V_SKIPPED)
				fprintf(f, " # SKIP %s", row->skip_reason);
			fprintf(f, "\n");
			for (j = 0; j < row->nr_div; j++)
				fprintf(f, "# %s %s: type1 %s, other %s (%s)\n",
					backend_name(row->div[j].bk),
					row->div[j].field, row->div[j].type1,
					row->div[j].other,
					row->div[j].known[0] ?
						row->div[j].known[0]->name :
						"unexpected");
		}
	}
	if (n)
		fprintf(f, "1..%lu\n", n);
	else
		fprintf(f, "1..0 # SKIP %s\n",
			run->why[BK_TYPE1][0] ? run->why[BK_TYPE1] :
						run->why[BK_IOMMUFD_NODEV]);
	return report_flush(f);
}
