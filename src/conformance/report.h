/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_REPORT_H
#define IOMMUCTL_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "judge.h"
#include "registry.h"
#include "replay.h"
#include "situation.h"
#include "trace-model.h"

/*
 * The report model: traces x ops x backends, filled once by the replay
 * (run.c) and the judge, then read by one renderer per format
 * (report-text.c, report-json.c, report-tap.c, report-html.c).
 */

enum verdict {
	V_MATCH,
	V_KNOWN,
	V_UNEXPECTED,
	V_SKIPPED,
	V_COUNT,
};

/* "match", "known-divergence", ... as every format spells them. */
extern const char *const verdict_names[V_COUNT];

/* A trace's own verdict when it could not be read or replayed. */
#define VERDICT_INVALID "invalid"

/* Longest case id: a trace's id, or "line-N-OP" for an op without one. */
#define CASE_ID_LEN (TRACE_NAME_LEN + 32)

struct op_row {
	unsigned int line;
	enum trace_op op;
	char ioctl[48]; /* a raw ioctl's name, "" otherwise */
	char id[CASE_ID_LEN]; /* the case, without the trace's name */
	struct op_result res[BK_COUNT];
	/* Each backend's conditions before the op, then with its result. */
	cond_set conds[BK_COUNT];
	uint64_t maps[BK_COUNT]; /* fingerprint of its mappings before the op */
	bool has_argsz;
	uint32_t argsz;
	bool has_expect;
	enum verdict verdict;
	enum verdict bk_verdict[BK_COUNT]; /* against type1; type1's own */
	const char *skip_reason;
	unsigned int nr_div;
	struct divergence *div;
};

struct run {
	bool want[BK_COUNT];
	bool ran[BK_COUNT];
	bool mdev;
	char why[BK_COUNT][256];
	char kernel[128];
	struct replay_target target;
	struct registry reg;
	unsigned long counts[BK_COUNT][V_COUNT];
	unsigned long totals[V_COUNT];
	unsigned long invalid; /* traces that could not be read */
	unsigned long expect_failures;
	unsigned long ambiguous;
	const char *only; /* --case: the one case to replay and report */
};

struct trace_run {
	const char *path;
	const char *base; /* the file name part of path */
	char *error; /* NULL, or why the trace is invalid */
	/* Why no backend replayed it (its header's boot words), or "". */
	char skip_why[256];
	struct trace_model model;
	unsigned int nr;
	struct op_row *rows;
};

/* The two condition sets a divergence on backend bk is judged with. */
void report_pair_conds(const struct op_row *row, int bk, cond_set *type1,
		       cond_set *other);

/*
 * "a type1.b other.c": both sides' conditions, side-marked where they
 * differ.
 */
void report_pair_format(char *buf, size_t len, const struct op_row *row,
			int bk);

/* A matrix cell: "skip", "ok", the errno's name, "!" when unexpected. */
void report_cell(char *buf, size_t len, const struct op_result *res);

/* "6.2..6.13" or "6.2.." (still holds). */
void report_kernel_range(char *buf, size_t len,
			 const struct registry_entry *e);

/* Flush f and say whether every write to it worked: 0 or -errno. */
int report_flush(FILE *f);

/* A trace's verdict: VERDICT_INVALID, or the worst of its ops'. */
const char *report_trace_verdict(const struct trace_run *tr);

/* Each renders the whole report to f; 0 or -errno (a write error). */
int report_text(FILE *f, const struct run *run, const struct trace_run *trs,
		unsigned int nr);
int report_json(FILE *f, const struct run *run, const struct trace_run *trs,
		unsigned int nr);
int report_tap(FILE *f, const struct run *run, const struct trace_run *trs,
	       unsigned int nr);
int report_html(FILE *f, const struct run *run, const struct trace_run *trs,
		unsigned int nr);

#endif
