/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_RUN_H
#define IOMMUCTL_RUN_H

#include "report.h"

/*
 * One trace through the run: read it once, replay it on every backend
 * the run wants, each from a fresh state, and judge each op, filling tr.
 *
 * A trace that cannot be read or is malformed is not an error of the
 * run: tr->error says why, run->invalid counts it, and 0 is returned so
 * the other traces are still replayed and reported. Returns -ENOENT when
 * run->only names no case of the trace, -ENOMEM or another -errno when
 * the run itself cannot go on.
 */
int run_trace(struct run *run, struct trace_run *tr, const char *path);

void trace_run_release(struct trace_run *tr);

#endif
