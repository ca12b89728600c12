// SPDX-License-Identifier: GPL-2.0-or-later
/* What every renderer of the report model shares. */
#include <errno.h>
#include <stdio.h>

#include "names.h"
#include "report.h"

const char *const verdict_names[V_COUNT] = {
	[V_MATCH] = "match",
	[V_KNOWN] = "known-divergence",
	[V_UNEXPECTED] = "unexpected-divergence",
	[V_SKIPPED] = "skipped",
};

void report_pair_conds(const struct op_row *row, int bk, cond_set *type1,
		       cond_set *other)
{
	cond_set differ = row->maps[bk] != row->maps[BK_TYPE1] ?
				  COND_BIT(C_MAPPINGS_DIFFER) :
				  0;

	*type1 = row->conds[BK_TYPE1] | differ;
	*other = row->conds[bk] | differ;
}

void report_pair_format(char *buf, size_t len, const struct op_row *row,
			int bk)
{
	cond_set t1, ot;
	size_t n = 0;
	int c;

	report_pair_conds(row, bk, &t1, &ot);
	buf[0] = '\0';
	for (c = 0; c < C_COUNT && n < len; c++) {
		if (!((t1 | ot) & COND_BIT(c)))
			continue;
		n += (size_t)snprintf(buf + n, len - n, "%s%s%s",
				      n ? " " : "",
				      !(ot & COND_BIT(c)) ? "type1." :
				      !(t1 & COND_BIT(c)) ? "other." :
							    "",
				      cond_name(c));
	}
}

void report_cell(char *buf, size_t len, const struct op_result *res)
{
	if (res->skipped)
		snprintf(buf, len, "skip");
	else if (res->expect_failed)
		snprintf(buf, len, "%s!", errno_str(res->err));
	else
		snprintf(buf, len, "%s", res->err ? errno_str(res->err) : "ok");
}

void report_kernel_range(char *buf, size_t len,
			 const struct registry_entry *e)
{
	snprintf(buf, len, "%s..%s", e->since, e->until ? e->until : "");
}

int report_flush(FILE *f)
{
	if (fflush(f) == EOF)
		return -errno;
	return ferror(f) ? -EIO : 0;
}

const char *report_trace_verdict(const struct trace_run *tr)
{
	static const enum verdict worst_first[] = { V_UNEXPECTED, V_KNOWN,
						    V_MATCH };
	unsigned int i, j;

	if (tr->error)
		return VERDICT_INVALID;
	for (j = 0; j < sizeof(worst_first) / sizeof(worst_first[0]); j++)
		for (i = 0; i < tr->nr; i++)
			if (tr->rows[i].verdict == worst_first[j])
				return verdict_names[worst_first[j]];
	return verdict_names[V_SKIPPED];
}
