// SPDX-License-Identifier: GPL-2.0-or-later
/* TAP: one test per op, numbered across the traces of the report. */
#include <limits.h>
#include <stdio.h>

#include "report.h"
#include "utf8.h"

int report_tap(FILE *f, const struct run *run, const struct trace_run *trs,
	       unsigned int nr)
{
	char base[NAME_MAX * 4], text[CASE_ID_LEN * 4];
	const struct trace_run *tr;
	const struct op_row *row;
	unsigned long n = 0;
	unsigned int t, i, j;

	for (t = 0; t < nr; t++) {
		tr = &trs[t];
		/* A trace's strings go to a terminal or a TAP reader escaped. */
		utf8_printable(base, sizeof(base), tr->base);
		if (tr->error)
			fprintf(f, "not ok %lu - %s # %s\n", ++n, base,
				utf8_printable(text, sizeof(text), tr->error));
		for (i = 0; i < tr->nr; i++) {
			row = &tr->rows[i];
			fprintf(f, "%s %lu - %s:%s",
				row->verdict == V_UNEXPECTED ? "not ok" : "ok",
				++n, base,
				utf8_printable(text, sizeof(text), row->id));
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
