/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_OUTPUTS_H
#define IOMMUCTL_OUTPUTS_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

#include "report.h"

/* run's reports: each a format and a file ("-": standard output). */

enum report_kind {
	REPORT_TEXT,
	REPORT_JSON,
	REPORT_TAP,
	REPORT_HTML,
};

struct output {
	enum report_kind kind;
	const char *path;
	FILE *f; /* the file's temporary copy, open for the run */
	char tmp[PATH_MAX];
};

#define MAX_OUTPUTS 8

struct outputs {
	unsigned int nr;
	struct output o[MAX_OUTPUTS];
};

/*
 * One file: written aside (FILE.tmp; a device or FIFO in place) and
 * renamed over FILE by output_close() only when keep and whole; errors
 * are said on stderr with the path. 0 or -errno.
 */
int output_open(struct output *out);
int output_close(struct output *out, bool keep);

/* 0, or -EINVAL with the reason on stderr. */
int outputs_add(struct outputs *outs, enum report_kind kind,
		const char *path);
/* -o FORMAT:FILE */
int outputs_parse(struct outputs *outs, const char *arg);

/* Whether an output of this kind (any, with kind < 0) goes to stdout. */
bool outputs_on_stdout(const struct outputs *outs, int kind);

/*
 * Open every output before the replay, so a path that cannot be written
 * fails the run before anything is printed. 0 or -errno, reported.
 */
int outputs_open(struct outputs *outs);

/*
 * Render the model into every output and put each file in place when
 * whole. 0 or -errno, each failure reported with its path.
 */
int outputs_write(struct outputs *outs, const struct run *run,
		  const struct trace_run *trs, unsigned int nr);

/* Drop what was not put in place. */
void outputs_close(struct outputs *outs);

#endif
