/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_COMMANDS_H
#define IOMMUCTL_COMMANDS_H

#include <errno.h>
#include <getopt.h>

#include "exitcodes.h"

/* The runner's commands (main.c's table) and what they share. */

#define EXIT_PARITY IOMMUCTL_EXIT_FAILED
#define EXIT_INTERNAL IOMMUCTL_EXIT_INTERNAL
#define EXIT_USAGE IOMMUCTL_EXIT_USAGE
#define EXIT_UNSUPPORTED IOMMUCTL_EXIT_UNSUPPORTED

extern const char *const prog;

int cmd_validate(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_timing(int argc, char **argv);

extern const struct option timing_options[];

/* The usage on stderr; returns EXIT_USAGE. */
int usage_error(void);

/* "PROG: PATH: WHY" on stderr, path and reason made printable. */
void trace_complain(const char *path, const char *why);

/* "PROG: WHAT: the error of -rc" on stderr; returns EXIT_INTERNAL. */
int output_failed(const char *what, int rc);

/* Say standard output's error -rc, once per run; returns EXIT_INTERNAL. */
int stdout_failed(int rc);

/*
 * Flush standard output: a write that failed (a full disk, a closed
 * pipe) is said on stderr and turns status into EXIT_INTERNAL.
 */
int finish_stdout(int status);

#endif
