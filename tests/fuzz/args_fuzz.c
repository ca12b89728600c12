// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iommuctl's command line on any words (the input split at NUL bytes):
 * the global options, the command and its arguments, as iommuctl parses
 * them up to where a command would open the device, and the number and
 * range parsers (src/lib/parse.c) on every word, whose results must
 * print and parse back to the same values.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fuzz.h"
#include "global-options.h"

#define MAX_WORDS 64

static void numbers(const char *s)
{
	struct parse_range r, r2;
	char msg[256], buf[64];
	uint64_t v, v2, len;
	uint32_t u32;

	if (!parse_u64(s, &v, msg, sizeof(msg))) {
		snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
		if (parse_u64(buf, &v2, msg, sizeof(msg)) || v2 != v)
			abort();
		snprintf(buf, sizeof(buf), "%" PRIu64, v);
		if (parse_size(buf, &v2, msg, sizeof(msg)) || v2 != v)
			abort();
		if (parse_u32(s, &u32, msg, sizeof(msg)) != (v > UINT32_MAX ? -ERANGE : 0))
			abort();
	}
	if (!parse_range(s, &r, msg, sizeof(msg))) {
		if (r.last < r.start)
			abort();
		snprintf(buf, sizeof(buf), "0x%" PRIx64 "-0x%" PRIx64, r.start,
			 r.last);
		if (parse_range(buf, &r2, msg, sizeof(msg)) ||
		    r2.start != r.start || r2.last != r.last)
			abort();
		if (!parse_range_length(&r, &len)) {
			snprintf(buf, sizeof(buf), "0x%" PRIx64 "+0x%" PRIx64,
				 r.start, len);
			if (parse_range(buf, &r2, msg, sizeof(msg)) ||
			    r2.start != r.start || r2.last != r.last)
				abort();
		}
	}
	parse_size(s, &v, msg, sizeof(msg));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ctx c;
	char *argv[MAX_WORDS + 2], *words, *text = NULL;
	struct global g = { 0 };
	int argc = 0, rc;
	size_t i, len = 0;
	FILE *out;

	words = malloc(size + 1);
	if (!words)
		return 0;
	memcpy(words, data, size);
	words[size] = '\0';
	argv[argc++] = "iommuctl";
	for (i = 0; i <= size && argc < MAX_WORDS + 1;) {
		argv[argc++] = words + i;
		numbers(words + i);
		i += strlen(words + i) + 1;
	}
	argv[argc] = NULL;

	memset(&c, 0, sizeof(c));
	c.device = "/nonexistent";
	c.fd.fd = -1;
	out = open_memstream(&text, &len);
	if (!out)
		abort();
	c.out = out_new(OUT_JSON, OUT_LIST, out);
	if (!c.out)
		abort();
	optind = 0;
	rc = parse_global(&c, argc, argv, &g);
	if (rc) {
		struct out_error e = { .kind = c.err.kind,
				       .message = c.err.message };

		out_error(c.out, &e);
	} else if (optind < argc) {
		fuzz_cli_line(&c, argc - optind, argv + optind);
	}
	fuzz_cli_finish(&c, out, &text, &len);
	free(words);
	return 0;
}
