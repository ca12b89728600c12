// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "fuzz.h"

static void error_record(struct ctx *c)
{
	struct out_error e = ctx_out_error(c);

	out_error(c->out, &e);
}

int fuzz_cli_line(struct ctx *c, int argc, char **argv)
{
	struct parse_range r;
	struct cmd_args a;
	uint64_t u64, len;
	uint32_t u32;
	bool all;
	int i, rc;

	rc = cmd_prepare(c, argc, argv, &a);
	if (rc) {
		error_record(c);
		return rc;
	}
	out_record_begin(c->out);
	out_str(c->out, "command", c->cmd_name);
	out_array_begin(c->out, "args");
	for (i = 0; i < a.argc; i++) {
		out_object_begin(c->out, NULL);
		out_str(c->out, "text", a.argv[i]);
		if (!arg_id(c, "ID", a.argv[i], &u32))
			out_u32(c->out, "id", u32);
		else
			out_str(c->out, "id", c->err.message);
		if (!arg_size(c, "SIZE", a.argv[i], &u64))
			out_u64_hex(c->out, "size", u64);
		else
			out_str(c->out, "size", c->err.message);
		if (!arg_range(c, "RANGE", a.argv[i], &r)) {
			if (r.last < r.start)
				abort();
			out_iova_range(c->out, "range", r.start, r.last);
		} else {
			out_str(c->out, "range", c->err.message);
		}
		if (!arg_range_or_all(c, "RANGE", a.argv[i], &all, &u64,
				      &len) &&
		    !all && len == 0)
			abort();
		out_object_end(c->out);
	}
	out_array_end(c->out);
	if (out_record_end(c->out))
		abort();
	return 0;
}

void fuzz_cli_finish(struct ctx *c, FILE *f, char **text, size_t *len)
{
	if (out_finish(c->out))
		abort();
	out_free(c->out);
	c->out = NULL;
	fclose(f);
	if (*len)
		fuzz_require_json(*text, *len, "iommuctl -j");
	free(*text);
}
