// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iommuctl -j -b FILE on any file: the batch reader (line bounds, NUL
 * bytes, words and comments) and each line's command and arguments,
 * parsed as iommuctl parses them, up to where a command would open the
 * device. The JSON document it makes must be UTF-8 JSON.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fuzz.h"

/* Every line is parsed, not only up to the first bad one. */
static int parse_line(struct ctx *c, int argc, char **argv)
{
	fuzz_cli_line(c, argc, argv);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ctx c;
	char *text = NULL;
	size_t len = 0;
	FILE *in, *out;
	int rc;

	if (!size)
		return 0;
	memset(&c, 0, sizeof(c));
	c.device = "/nonexistent";
	c.fd.fd = -1;
	in = fmemopen((void *)data, size, "r");
	out = open_memstream(&text, &len);
	if (!in || !out)
		abort();
	c.out = out_new(OUT_JSON, OUT_LIST, out);
	if (!c.out)
		abort();
	rc = batch_run(&c, in, "fuzz", parse_line);
	if (rc) {
		struct out_error e = { .kind = c.err.kind,
				       .message = c.err.message,
				       .line = c.line };

		if (!c.err.message[0])
			abort();
		out_error(c.out, &e);
	}
	fclose(in);
	fuzz_cli_finish(&c, out, &text, &len);
	return 0;
}
