// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <string.h>

#include "global-options.h"
#include "iommuctl.h"

static const struct option map_opts[] = {
	{ "iova", required_argument, NULL, 'i' },
	{ "prot", required_argument, NULL, 'p' },
	{ "hugepages", no_argument, NULL, 'H' },
	{ NULL, 0, NULL, 0 },
};

static const struct option copy_opts[] = {
	{ "iova", required_argument, NULL, 'i' },
	{ "prot", required_argument, NULL, 'p' },
	{ NULL, 0, NULL, 0 },
};

static const struct option compat_map_opts[] = {
	{ "prot", required_argument, NULL, 'p' },
	{ "hugepages", no_argument, NULL, 'H' },
	{ NULL, 0, NULL, 0 },
};

/*
 * Every command there is, flat: object, verb, handler. Names match
 * exactly (no abbreviations), so adding a row never changes what an
 * existing command line means. Each object has a "help" row.
 */
const struct cmd commands[] = {
	{ "ioas", "create", cmd_ioas_create, "",
	  "allocate an IOAS (IOMMU_IOAS_ALLOC)", NULL, 0 },
	{ "ioas", "destroy", cmd_ioas_destroy, "ID",
	  "destroy an object (IOMMU_DESTROY)", NULL, 0 },
	{ "ioas", "ranges", cmd_ioas_ranges, "ID",
	  "usable IOVA ranges (IOMMU_IOAS_IOVA_RANGES)", NULL, CMD_READ_ONLY },
	{ "ioas", "allow", cmd_ioas_allow, "ID [RANGE...]",
	  "set allowed ranges (IOMMU_IOAS_ALLOW_IOVAS)", NULL, 0 },
	{ "ioas", "map", cmd_ioas_map, "ID SIZE",
	  "map new memory (IOMMU_IOAS_MAP)", map_opts, 0 },
	{ "ioas", "unmap", cmd_ioas_unmap, "ID RANGE|all",
	  "unmap (IOMMU_IOAS_UNMAP)", NULL, 0 },
	{ "ioas", "copy", cmd_ioas_copy, "DST_ID SRC_ID SRC_RANGE",
	  "copy a mapping (IOMMU_IOAS_COPY)", copy_opts, 0 },
	{ "ioas", "option", cmd_ioas_option, "ID OPTION [VALUE]",
	  "huge-pages on|off (IOMMU_OPTION)", NULL, 0 },
	{ "ioas", "get", cmd_ioas_get, "",
	  "show the compat IOAS (IOMMU_VFIO_IOAS GET)", NULL, CMD_READ_ONLY },
	{ "ioas", "set", cmd_ioas_set, "ID",
	  "make ID the compat IOAS (IOMMU_VFIO_IOAS SET)", NULL, 0 },
	{ "ioas", "clear", cmd_ioas_clear, "",
	  "unset the compat IOAS (IOMMU_VFIO_IOAS CLEAR)", NULL, 0 },
	{ "ioas", "help", cmd_help, "", "list the ioas commands", NULL,
	  CMD_READ_ONLY },
	{ "option", "rlimit-mode", cmd_option_rlimit_mode, "[MODE]",
	  "memlock accounting user|process", NULL, 0 },
	{ "option", "help", cmd_help, "", "list the option commands", NULL,
	  CMD_READ_ONLY },
	{ "compat", "info", cmd_compat_info, "", "what a VFIO application sees",
	  NULL, CMD_READ_ONLY },
	{ "compat", "set-iommu", cmd_compat_set_iommu, "TYPE",
	  "select the model (VFIO_SET_IOMMU)", NULL, 0 },
	{ "compat", "map", cmd_compat_map, "RANGE",
	  "map new memory (VFIO_IOMMU_MAP_DMA)", compat_map_opts, 0 },
	{ "compat", "unmap", cmd_compat_unmap, "RANGE|all",
	  "unmap (VFIO_IOMMU_UNMAP_DMA)", NULL, 0 },
	{ "compat", "check-extension", cmd_compat_check_extension,
	  "EXTENSION...", "VFIO_CHECK_EXTENSION", NULL, CMD_READ_ONLY },
	{ "compat", "help", cmd_help, "", "list the compat commands", NULL,
	  CMD_READ_ONLY },
	{ "status", "show", cmd_status_show, "",
	  "modules, groups, devices and their users", NULL, CMD_READ_ONLY },
	{ "status", "help", cmd_help, "", "list the status commands", NULL,
	  CMD_READ_ONLY },
};

const unsigned int nr_commands = sizeof(commands) / sizeof(commands[0]);

const struct cmd *cmd_find(const char *object, const char *verb)
{
	unsigned int i;

	for (i = 0; i < nr_commands; i++)
		if (!strcmp(commands[i].object, object) &&
		    !strcmp(commands[i].verb, verb))
			return &commands[i];
	return NULL;
}

bool cmd_object_exists(const char *object)
{
	unsigned int i;

	for (i = 0; i < nr_commands; i++)
		if (!strcmp(commands[i].object, object))
			return true;
	return false;
}

static void print_cmd_line(FILE *f, const struct cmd *cmd)
{
	char usage[128];

	print_cmd_usage(usage, sizeof(usage), cmd);
	if (strlen(usage) <= 26)
		fprintf(f, "  %-26s %s\n", usage, cmd->summary);
	else
		fprintf(f, "  %s\n  %-26s %s\n", usage, "", cmd->summary);
}

void print_help(FILE *f)
{
	unsigned int i;

	fputs("Usage: iommuctl [OPTIONS] OBJECT COMMAND [ARGS]\n"
	      "       iommuctl [OPTIONS] -b FILE\n"
	      "\n"
	      "Options:\n"
	      "  -j, --json          JSON output\n"
	      "  -p, --pretty        indented JSON output (implies --json)\n"
	      "      --fd N          work on inherited file descriptor N\n"
	      "      --device PATH   open PATH instead of /dev/iommu\n"
	      "      --pid PID       work on a copy of process PID's iommufd or VFIO\n"
	      "                      container (its fd N with --fd N); read-only\n"
	      "                      commands only, unless --force\n"
	      "      --force         allow state changes on a --pid fd\n"
	      "  -b, --batch FILE    run the commands in FILE (- for stdin), one per\n"
	      "                      line, on one fd; stops at the first error\n"
	      "  -h, --help          show this help\n"
	      "  -V, --version       show the version\n"
	      "\n"
	      "Commands:\n",
	      f);
	for (i = 0; i < nr_commands; i++)
		print_cmd_line(f, &commands[i]);
	fputs("\n"
	      "IDs are decimal or 0x-hex. SIZE takes K, M, G, T suffixes (1K = 1024).\n"
	      "RANGE is START-LAST (LAST inclusive) or START+SIZE. --prot is r, w or "
	      "rw.\n"
	      "Objects live as long as the fd: use --fd or -b to keep them between\n"
	      "commands, and -b to keep mapped memory alive.\n"
	      "\n"
	      "Exit status: 0 success, 1 the kernel refused, 2 internal error,\n"
	      "3 usage error, 4 not supported here. See iommuctl(8).\n",
	      f);
}

void print_object_help(FILE *f, const char *object)
{
	unsigned int i;

	fprintf(f, "Usage: iommuctl [OPTIONS] %s COMMAND [ARGS]\n\nCommands:\n",
		object);
	for (i = 0; i < nr_commands; i++)
		if (!strcmp(commands[i].object, object))
			print_cmd_line(f, &commands[i]);
}

int help_record(struct ctx *c, const char *object)
{
	const struct option *opt;
	const struct cmd *cmd;
	char name[32];
	unsigned int i;

	out_record_begin(c->out);
	out_str(c->out, "object", object);
	out_array_begin(c->out, "options");
	if (!object)
		global_options_out(c->out);
	out_array_end(c->out);
	out_array_begin(c->out, "commands");
	for (i = 0; i < nr_commands; i++) {
		cmd = &commands[i];
		if (object && strcmp(cmd->object, object))
			continue;
		out_object_begin(c->out, NULL);
		out_str(c->out, "object", cmd->object);
		out_str(c->out, "command", cmd->verb);
		out_str(c->out, "args", cmd->args);
		out_array_begin(c->out, "options");
		for (opt = cmd->opts; opt && opt->name; opt++) {
			snprintf(name, sizeof(name), "--%s", opt->name);
			out_str(c->out, NULL, name);
		}
		out_array_end(c->out);
		out_str(c->out, "summary", cmd->summary);
		out_object_end(c->out);
	}
	out_array_end(c->out);
	return record_done(c);
}

int list_cmds(FILE *f)
{
	unsigned int i;

	for (i = 0; i < nr_commands; i++)
		fprintf(f, "%s %s\n", commands[i].object, commands[i].verb);
	return 0;
}

int list_opts(FILE *f, const char *object, const char *verb)
{
	const struct option *o;
	const struct cmd *cmd;

	if (!object) {
		global_options_list(f);
		return 0;
	}
	cmd = cmd_find(object, verb ? verb : "");
	if (!cmd)
		return -1;
	for (o = cmd->opts; o && o->name; o++)
		fprintf(f, "--%s\n", o->name);
	return 0;
}

int cmd_help(struct ctx *c, const struct cmd_args *a)
{
	if (c->batch)
		return usage_error(c, "help is not available in batch mode");
	if (c->json)
		return help_record(c, c->cmd->object);
	print_object_help(stdout, c->cmd->object);
	return EXIT_OK;
}

int cmd_prepare(struct ctx *c, int argc, char **argv, struct cmd_args *a)
{
	const struct cmd *cmd;
	bool implicit;
	int rc;

	c->cmd = NULL;
	c->cmd_name[0] = '\0';
	if (!cmd_object_exists(argv[0]))
		return usage_error(c, "unknown object '%s'", argv[0]);
	/*
	 * An object that can show itself does so when no command is given;
	 * its options may follow the object then. The object stands in
	 * for the command word that option parsing skips.
	 */
	implicit = (argc < 2 || argv[1][0] == '-') && cmd_find(argv[0], "show");
	if (argc < 2 && !implicit)
		return usage_error(
			c, "%s: missing command (try 'iommuctl %s help')",
			argv[0], argv[0]);
	cmd = cmd_find(argv[0], implicit ? "show" : argv[1]);
	if (!cmd)
		return usage_error(
			c, "%s: unknown command '%s' (try 'iommuctl %s help')",
			argv[0], argv[1], argv[0]);
	c->cmd = cmd;
	snprintf(c->cmd_name, sizeof(c->cmd_name), "%s %s", cmd->object,
		 cmd->verb);
	if (implicit)
		rc = parse_cmd_args(c, argc, argv, a);
	else
		rc = parse_cmd_args(c, argc - 1, argv + 1, a);
	if (rc)
		return rc;
	if (c->pid && !c->force && !(cmd->flags & CMD_READ_ONLY)) {
		rc = usage_error(
			c, "refused on a file borrowed from process %d (--pid)",
			c->pid);
		snprintf(
			c->err.hint, sizeof(c->err.hint),
			"the process owns that iommufd state and does not expect it to "
			"change under it; --force does it anyway");
		return rc;
	}
	return 0;
}

int run_command(struct ctx *c, int argc, char **argv)
{
	struct cmd_args a;
	int rc;

	rc = cmd_prepare(c, argc, argv, &a);
	if (rc)
		return rc;
	return c->cmd->fn(c, &a);
}
