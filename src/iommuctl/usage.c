// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A command's usage line, for the help text and for usage errors: a
 * leaf, so that reporting an error needs nothing of the command table.
 */
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>

#include "iommuctl.h"

void print_cmd_usage(char *buf, size_t len, const struct cmd *cmd)
{
	const struct option *o;
	size_t n;

	n = snprintf(buf, len, "%s %s%s%s", cmd->object, cmd->verb,
		     cmd->args[0] ? " " : "", cmd->args);
	for (o = cmd->opts; o && o->name && n < len; o++) {
		char meta[16];
		size_t i;

		/* The value's placeholder is the option's name in capitals. */
		for (i = 0; o->name[i] && i < sizeof(meta) - 1; i++)
			meta[i] = toupper((unsigned char)o->name[i]);
		meta[i] = '\0';
		n += snprintf(buf + n, len - n, " [--%s%s%s]", o->name,
			      o->has_arg ? " " : "", o->has_arg ? meta : "");
	}
}
