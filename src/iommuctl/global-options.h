/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_GLOBAL_OPTIONS_H
#define IOMMUCTL_GLOBAL_OPTIONS_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

/*
 * iommuctl's global options, in one table that getopt parses with and
 * that --list-opts (bash completion) prints, so the two cannot drift.
 * A short option is its own val; the others get theirs from here.
 */
enum {
	OPT_FD = 256,
	OPT_DEVICE,
	OPT_PID,
	OPT_FORCE,
	/* Completion's own options, not offered by it: from here on. */
	OPT_LIST_CMDS,
	OPT_LIST_OPTS,
};

extern const struct option global_options[];

/* What the global options asked for. */
struct global {
	bool json;
	bool pretty;
	bool help;
	bool version;
	bool list_cmds;
	bool list_opts;
	bool force;
	const char *pid;
	const char *fd;
	const char *device;
	const char *batch;
};

struct ctx;

/*
 * Parse argv's global options into g (from optind; set optind to 0 to
 * start over). All of them are read even after an error, so that -j
 * given after a bad option still puts the error in JSON. 0 or an exit
 * code, with c->err set.
 */
int parse_global(struct ctx *c, int argc, char **argv, struct global *g);

/* The getopt short-option string of the table ("+:jpb:hV"). */
void global_short_options(char *buf, size_t len);

/* Each offered option as an object {"name", "short", "value"}. */
struct out;
void global_options_out(struct out *o);

/* Each offered option, short then long spelling, one a line. */
void global_options_list(FILE *f);

#endif
