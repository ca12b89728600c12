// SPDX-License-Identifier: GPL-2.0-or-later
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"
#include "utf8.h"

void fuzz_require_json(const char *text, size_t len, const char *what)
{
	size_t bad;
	cJSON *doc;

	if (!utf8_valid(text, len, &bad)) {
		fprintf(stderr, "%s: not UTF-8 at byte %zu: %.*s\n", what, bad,
			(int)len, text);
		abort();
	}
	doc = cJSON_ParseWithLength(text, len);
	if (!doc) {
		fprintf(stderr, "%s: not JSON: %.*s\n", what, (int)len, text);
		abort();
	}
	cJSON_Delete(doc);
}
