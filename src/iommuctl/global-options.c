// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdbool.h>

#include "global-options.h"
#include "iommuctl.h"
#include "out.h"

const struct option global_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "pretty", no_argument, NULL, 'p' },
	{ "fd", required_argument, NULL, OPT_FD },
	{ "device", required_argument, NULL, OPT_DEVICE },
	{ "pid", required_argument, NULL, OPT_PID },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "batch", required_argument, NULL, 'b' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "list-cmds", no_argument, NULL, OPT_LIST_CMDS },
	{ "list-opts", no_argument, NULL, OPT_LIST_OPTS },
	{ NULL, 0, NULL, 0 },
};

static bool has_short(const struct option *o)
{
	return o->val < OPT_FD;
}

void global_short_options(char *buf, size_t len)
{
	const struct option *o;
	size_t n = 0;

	/*
	 * '+': parsing stops at OBJECT; what follows is the command's. ':':
	 * a missing value is told from an unknown option.
	 */
	if (n + 2 < len) {
		buf[n++] = '+';
		buf[n++] = ':';
	}
	for (o = global_options; o->name; o++) {
		if (!has_short(o) || n + 2 >= len)
			continue;
		buf[n++] = (char)o->val;
		if (o->has_arg == required_argument)
			buf[n++] = ':';
	}
	buf[n] = '\0';
}

void global_options_list(FILE *f)
{
	const struct option *o;

	for (o = global_options; o->name && o->val < OPT_LIST_CMDS; o++) {
		if (has_short(o))
			fprintf(f, "-%c\n", o->val);
		fprintf(f, "--%s\n", o->name);
	}
}

void global_options_out(struct out *o)
{
	const struct option *opt;
	char name[32];

	for (opt = global_options; opt->name && opt->val < OPT_LIST_CMDS;
	     opt++) {
		out_object_begin(o, NULL);
		snprintf(name, sizeof(name), "--%s", opt->name);
		out_str(o, "name", name);
		if (has_short(opt)) {
			snprintf(name, sizeof(name), "-%c", opt->val);
			out_str(o, "short", name);
		} else {
			out_null(o, "short");
		}
		out_bool(o, "value", opt->has_arg == required_argument);
		out_object_end(o);
	}
}

int parse_global(struct ctx *c, int argc, char **argv, struct global *g)
{
	char shortopts[32];
	int opt, rc = 0;

	global_short_options(shortopts, sizeof(shortopts));
	opterr = 0;
	for (;;) {
		char culprit[64];

		opt = getopt_long(argc, argv, shortopts, global_options, NULL);
		if (opt == -1)
			break;
		if (opt == ':' || opt == '?')
			option_culprit(culprit, sizeof(culprit), global_options,
				       argv, opt);
		switch (opt) {
		case 'j':
			g->json = true;
			break;
		case 'p':
			g->json = true;
			g->pretty = true;
			break;
		case 'b':
			g->batch = optarg;
			break;
		case 'h':
			g->help = true;
			break;
		case 'V':
			g->version = true;
			break;
		case OPT_FD:
			g->fd = optarg;
			break;
		case OPT_DEVICE:
			g->device = optarg;
			break;
		case OPT_PID:
			g->pid = optarg;
			break;
		case OPT_FORCE:
			g->force = true;
			break;
		case OPT_LIST_CMDS:
			g->list_cmds = true;
			break;
		case OPT_LIST_OPTS:
			g->list_opts = true;
			break;
		case ':':
			if (!rc)
				rc = usage_error(c, "option '%s' needs a value",
						 culprit);
			break;
		default:
			if (rc)
				break;
			if (option_given_value(global_options, argv[optind - 1]))
				rc = usage_error(c, "option '%s' takes no value",
						 culprit);
			else
				rc = usage_error(c, "unknown option '%s'",
						 culprit);
		}
	}
	return rc;
}
