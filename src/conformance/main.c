// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iommuctl-conformance: replay VFIO type1 traces on the type1 container
 * and on iommufd's compat layer, and report where they differ.
 * See iommuctl-conformance(8) and iommuctl-trace(5).
 *
 * This file is the command line: the command table, usage, and run's
 * arguments. The replay is run.c's, the reports report-*.c's.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "commands.h"
#include "config.h"
#include "diff.h"
#include "out.h"
#include "outputs.h"
#include "record.h"
#include "run.h"

static void usage(FILE *f);

int usage_error(void)
{
	usage(stderr);
	return EXIT_USAGE;
}

/* run's options; --list-opts reads them too. */
static const struct option run_options[] = {
	{ "backend", required_argument, NULL, 'b' },
	{ "group", required_argument, NULL, 'g' },
	{ "device", required_argument, NULL, 'd' },
	{ "mdev", required_argument, NULL, 'm' },
	{ "registry", required_argument, NULL, 'r' },
	{ "html", required_argument, NULL, 'H' },
	{ "tap", no_argument, NULL, 't' },
	{ "json", no_argument, NULL, 'j' },
	{ "case", required_argument, NULL, 'c' },
	{ "output", required_argument, NULL, 'o' },
	{ NULL, 0, NULL, 0 },
};

struct run_args {
	struct outputs outs;
	const char *registry;
	bool mdev;
	int first; /* argv index of the first trace */
};

static int parse_device(struct run *run, const char *arg)
{
	if (strlen(arg) >= sizeof(run->target.device) || strchr(arg, '/') ||
	    !*arg) {
		fprintf(stderr,
			"%s: %s: not a device name: give a PCI address (0000:00:03.0) or an mdev UUID, not a path\n",
			prog, arg);
		return -EINVAL;
	}
	snprintf(run->target.device, sizeof(run->target.device), "%s", arg);
	return 0;
}

static int parse_group(struct run *run, const char *arg)
{
	char *end;
	long g;

	g = strtol(arg, &end, 10);
	if (*end || !*arg || g < 0 || g > INT32_MAX) {
		fprintf(stderr, "%s: --group %s: not a group number\n", prog,
			arg);
		return -EINVAL;
	}
	run->target.group = (int)g;
	return 0;
}

static int parse_run_option(struct run *run, struct run_args *a, int c)
{
	int bk;

	switch (c) {
	case 'b':
		bk = backend_lookup(optarg);
		if (bk < 0) {
			fprintf(stderr,
				"%s: --backend %s: expected type1, iommufd or iommufd-nodev\n",
				prog, optarg);
			return -EINVAL;
		}
		run->want[bk] = true;
		return 0;
	case 'g':
		return parse_group(run, optarg);
	case 'd':
	case 'm':
		a->mdev = c == 'm';
		return parse_device(run, optarg);
	case 'r':
		a->registry = optarg;
		return 0;
	case 'H':
		return outputs_add(&a->outs, REPORT_HTML, optarg);
	case 't':
	case 'j':
		return outputs_add(&a->outs,
				   c == 't' ? REPORT_TAP : REPORT_JSON, "-");
	case 'o':
		return outputs_parse(&a->outs, optarg);
	case 'c':
		if (!*optarg) {
			fprintf(stderr, "%s: --case: empty name\n", prog);
			return -EINVAL;
		}
		run->only = optarg;
		return 0;
	default:
		return -EINVAL;
	}
}

static int parse_run_args(int argc, char **argv, struct run *run,
			  struct run_args *a)
{
	bool any = false;
	int c, bk;

	run->target.group = -1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+jb:o:", run_options, NULL)) !=
	       -1) {
		if (parse_run_option(run, a, c))
			return -EINVAL;
		any |= c == 'b';
	}
	for (bk = 0; !any && bk < BK_COUNT; bk++)
		run->want[bk] = true;
	if (optind == argc) {
		fprintf(stderr, "%s: run: no trace given\n", prog);
		return -EINVAL;
	}
	if (run->only && optind + 1 != argc) {
		fprintf(stderr, "%s: run: --case takes exactly one trace\n",
			prog);
		return -EINVAL;
	}
	/* Without an output on standard output, the text report goes there. */
	if (!outputs_on_stdout(&a->outs, -1) &&
	    outputs_add(&a->outs, REPORT_TEXT, "-"))
		return -EINVAL;
	a->first = optind;
	return 0;
}

/*
 * An error that stops the run: on stderr, and with JSON on standard
 * output also as the one document there, an error object as iommuctl
 * writes it (iommuctl(8), JSON OUTPUT).
 */
static int run_error(const struct outputs *outs, int status, const char *kind,
		     const char *message)
{
	struct out_error e = { .kind = kind, .command = "run",
			       .message = message };
	struct out *o;

	fprintf(stderr, "%s: %s\n", prog, message);
	if (!outputs_on_stdout(outs, REPORT_JSON))
		return status;
	o = out_new(OUT_JSON, 0, stdout);
	if (!o || out_error(o, &e) || out_finish(o))
		status = EXIT_INTERNAL;
	out_free(o);
	return status;
}

/* Choose the group and device; without one the group backends skip. */
static void resolve_target(struct run *run, bool mdev, bool quiet)
{
	char msg[256];
	bool any = false;
	struct utsname u;
	int bk;

	for (bk = 0; bk < BK_COUNT; bk++)
		any |= run->want[bk] && backend_desc(bk)->uses_group;
	if (any && replay_target_resolve(NULL, &run->target, mdev, msg,
					 sizeof(msg))) {
		for (bk = 0; bk < BK_COUNT; bk++)
			if (backend_desc(bk)->uses_group)
				snprintf(run->why[bk], sizeof(run->why[bk]),
					 "%s", msg);
		if (!quiet)
			fprintf(stderr, "%s: %s\n", prog, msg);
	}
	run->mdev = replay_target_emulated(&run->target);
	if (!uname(&u))
		snprintf(run->kernel, sizeof(run->kernel), "%s", u.release);
	for (bk = 0; bk < BK_COUNT; bk++)
		run->ran[bk] = run->want[bk] && !run->why[bk][0];
}

/* Replay every trace into trs; 0 or an exit status. */
static int replay_all(struct run *run, const struct run_args *a,
		      char **paths, unsigned int nr, struct trace_run *trs,
		      bool quiet)
{
	char what[PATH_MAX + 300];
	unsigned int i;
	int rc;

	for (i = 0; i < nr; i++) {
		rc = run_trace(run, &trs[i], paths[i]);
		if (rc == -ENOENT) {
			snprintf(what, sizeof(what),
				 "%s: no case \"%s\" (see list)", paths[i],
				 run->only);
			return run_error(&a->outs, EXIT_USAGE, "usage", what);
		}
		if (rc) {
			snprintf(what, sizeof(what), "%s: %s", paths[i],
				 strerror(-rc));
			return run_error(&a->outs, EXIT_INTERNAL, "internal",
					 what);
		}
		if (trs[i].error && !quiet)
			trace_complain(paths[i], trs[i].error);
	}
	return 0;
}

int cmd_run(int argc, char **argv)
{
	struct run_args a = { .registry = REGISTRY_PATH };
	struct trace_run *trs = NULL;
	unsigned int nr = 0, i;
	char msg[256], what[PATH_MAX + 300];
	int bk, status = 0;
	bool quiet, any;
	struct run *run;

	run = calloc(1, sizeof(*run));
	if (!run)
		return EXIT_INTERNAL;
	if (parse_run_args(argc, argv, run, &a)) {
		free(run);
		return usage_error();
	}
	/* TAP on standard output: diagnostics only as TAP comments. */
	quiet = outputs_on_stdout(&a.outs, REPORT_TAP);
	if (registry_load(&run->reg, a.registry, msg, sizeof(msg))) {
		snprintf(what, sizeof(what), "registry: %s", msg);
		free(run);
		return run_error(&a.outs, EXIT_INTERNAL, "internal", what);
	}
	if (outputs_open(&a.outs)) {
		status = EXIT_INTERNAL;
		goto out;
	}
	resolve_target(run, a.mdev, quiet);
	nr = (unsigned int)(argc - a.first);
	trs = calloc(nr, sizeof(*trs));
	if (!trs) {
		status = EXIT_INTERNAL;
		goto out;
	}
	/* The replay fills the model, once; the renderers only read it. */
	status = replay_all(run, &a, argv + a.first, nr, trs, quiet);
	if (status)
		goto out;
	if (outputs_write(&a.outs, run, trs, nr))
		status = EXIT_INTERNAL;
	any = false;
	for (bk = 0; bk < BK_COUNT; bk++)
		any |= run->ran[bk] && !run->why[bk][0];
	if (!status && (run->totals[V_UNEXPECTED] || run->invalid))
		status = EXIT_PARITY;
	if (!status && !any && !quiet)
		status = EXIT_UNSUPPORTED;
out:
	outputs_close(&a.outs);
	for (i = 0; trs && i < nr; i++)
		trace_run_release(&trs[i]);
	free(trs);
	registry_release(&run->reg);
	free(run);
	return finish_stdout(status);
}

static const struct option no_options[] = {
	{ NULL, 0, NULL, 0 },
};

/*
 * The commands: dispatch, usage, --list-cmds and --list-opts (which
 * bash completion reads) come from this table, so none can drift.
 */
static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *const *usage; /* the usage lines after the name */
	const struct option *options;
	const char *short_options; /* as getopt takes them */
} commands[] = {
	{ "validate", cmd_validate, (const char *const[]){ "TRACE...", NULL },
	  no_options, "" },
	{ "list", cmd_list, (const char *const[]){ "[-j] TRACE", NULL },
	  no_options, "j" },
	{ "run", cmd_run,
	  (const char *const[]){
		  "[-j|--tap] [--backend NAME]... [--group N|--device BDF|--mdev UUID]\n"
		  "              [--registry FILE] [--html FILE] [-o FORMAT:FILE]... TRACE...",
		  "[options] --case ID TRACE", NULL },
	  run_options, "jb:o:" },
	{ "diff", cmd_diff,
	  (const char *const[]){ "[-j] [--html FILE] REPORT REPORT [REPORT...]",
				 NULL },
	  diff_options, "jh" },
	{ "record", cmd_record,
	  (const char *const[]){
		  "[-o FILE] [--fork=stop|follow] -- PROGRAM [ARGS...]",
		  "--convert FILE.bin [-o FILE]", NULL },
	  record_options, "o:" },
	{ "timing", cmd_timing,
	  (const char *const[]){
		  "[-j] [--html FILE] [--sizes LIST] [--rounds N] [--domain device|none]...\n"
		  "              [--mode type1|type1v2]... [--memory anon|hugetlb]...\n"
		  "              [--device BDF|--group N] [--mdev UUID]",
		  NULL },
	  timing_options, "j" },
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	const char *const *u;
	unsigned int i;
	bool first = true;

	for (i = 0; i < NR_COMMANDS; i++)
		for (u = commands[i].usage; *u; u++) {
			fprintf(f, "%s %s %s %s\n", first ? "usage:" : "      ",
				prog, commands[i].name, *u);
			first = false;
		}
	fprintf(f,
		"       %s --list-cmds | --list-opts COMMAND\n"
		"See iommuctl-conformance(8).\n",
		prog);
}

static const struct command *command_lookup(const char *name)
{
	unsigned int i;

	for (i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/* One option a line: "-x" for each short one, "--name" for each long one. */
static void list_opts(const struct command *c)
{
	const struct option *o;
	const char *s;

	for (s = c->short_options; *s; s++)
		if (*s != ':')
			printf("-%c\n", *s);
	for (o = c->options; o->name; o++)
		if (strcmp(o->name, "help"))
			printf("--%s\n", o->name);
}

int main(int argc, char **argv)
{
	const struct command *c;
	unsigned int i;

	if (argc < 2)
		return usage_error();
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
	} else if (!strcmp(argv[1], "--list-cmds") && argc == 2) {
		for (i = 0; i < NR_COMMANDS; i++)
			printf("%s\n", commands[i].name);
	} else if (!strcmp(argv[1], "--list-opts") && argc == 3 &&
		   (c = command_lookup(argv[2]))) {
		list_opts(c);
	} else if ((c = command_lookup(argv[1]))) {
		return c->fn(argc - 1, argv + 1);
	} else {
		fprintf(stderr, "%s: unknown %s \"%s\"\n", prog,
			argv[1][0] == '-' ? "option or use of it" : "command",
			argv[1]);
		return usage_error();
	}
	return finish_stdout(0);
}
