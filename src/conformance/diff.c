// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * diff: two saved JSON reports (two kernels, two machines, before and
 * after a patch), case by case.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "diff.h"

/* A report of a million ops stays well below this. */
#define REPORT_MAX_BYTES (256U << 20)

static cJSON *load_report(const char *path)
{
	const cJSON *fmt;
	struct stat st;
	char *text = NULL;
	cJSON *doc = NULL;
	size_t n;
	FILE *f;

	f = fopen(path, "re");
	if (!f) {
		fprintf(stderr, "iommuctl-conformance: %s: %s\n", path,
			strerror(errno));
		return NULL;
	}
	if (!fstat(fileno(f), &st) && S_ISDIR(st.st_mode)) {
		fprintf(stderr,
			"iommuctl-conformance: %s: a directory, not a report\n",
			path);
		goto out;
	}
	text = malloc(REPORT_MAX_BYTES + 1);
	if (!text) {
		fprintf(stderr, "iommuctl-conformance: out of memory\n");
		goto out;
	}
	n = fread(text, 1, REPORT_MAX_BYTES + 1, f);
	if (ferror(f) || n > REPORT_MAX_BYTES) {
		fprintf(stderr, "iommuctl-conformance: %s: %s\n", path,
			ferror(f) ? strerror(EIO) : "larger than 256 MiB");
		goto out;
	}
	text[n] = '\0';
	doc = cJSON_Parse(text);
	fmt = cJSON_GetObjectItemCaseSensitive(doc, "format");
	if (!cJSON_IsString(fmt) ||
	    strcmp(fmt->valuestring, "iommuctl-conformance-report") ||
	    !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(doc, "traces"))) {
		fprintf(stderr,
			"iommuctl-conformance: %s: not a report of iommuctl-conformance run -j\n",
			path);
		cJSON_Delete(doc);
		doc = NULL;
	}
out:
	free(text);
	fclose(f);
	return doc;
}

static const char *str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* The op of a report whose case is name, or NULL. */
static const cJSON *find_case(const cJSON *report, const char *name)
{
	const cJSON *t, *op;

	cJSON_ArrayForEach(t,
			   cJSON_GetObjectItemCaseSensitive(report, "traces"))
		cJSON_ArrayForEach(
			op, cJSON_GetObjectItemCaseSensitive(
				    t, "ops")) if (same_str(str(op, "case"),
							    name)) return op;
	return NULL;
}

/* The errno's name, NULL for success ("0" in reports before null). */
static const char *err_of(const cJSON *res)
{
	const char *e = str(res, "errno");

	return e && strcmp(e, "0") ? e : NULL;
}

static void result_text(const cJSON *res, char *buf, size_t len)
{
	const char *fields = str(res, "fields");

	if (!res)
		snprintf(buf, len, "(not run)");
	else if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(res, "skipped")))
		snprintf(buf, len, "skipped: %s",
			 str(res, "skip_reason") ? str(res, "skip_reason") :
						   "");
	else
		snprintf(buf, len, "errno %s%s%s",
			 err_of(res) ? err_of(res) : "0",
			 fields && *fields ? " " : "", fields ? fields : "");
}

static bool same_result(const cJSON *a, const cJSON *b)
{
	if (!a || !b)
		return a == b;
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(a, "skipped")) ==
		       cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
			       b, "skipped")) &&
	       same_str(err_of(a), err_of(b)) &&
	       same_str(str(a, "fields"), str(b, "fields"));
}

/* Print how one case changed; true when it did. */
static bool diff_case(const cJSON *a, const cJSON *b)
{
	static const char *const backends[] = { "type1", "iommufd",
						"iommufd-nodev" };
	const cJSON *ra, *rb;
	char ta[1024], tb[1024];
	bool changed = false;
	unsigned int i;

	if (!same_str(str(a, "verdict"), str(b, "verdict"))) {
		printf("%s: %s -> %s\n", str(a, "case"), str(a, "verdict"),
		       str(b, "verdict"));
		changed = true;
	}
	for (i = 0; i < sizeof(backends) / sizeof(backends[0]); i++) {
		ra = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(a, "results"),
			backends[i]);
		rb = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(b, "results"),
			backends[i]);
		if (same_result(ra, rb))
			continue;
		if (!changed)
			printf("%s: %s\n", str(a, "case"), str(a, "verdict"));
		changed = true;
		result_text(ra, ta, sizeof(ta));
		result_text(rb, tb, sizeof(tb));
		printf("    %s: %s\n    %*s  -> %s\n", backends[i], ta,
		       (int)strlen(backends[i]), "", tb);
	}
	return changed;
}

int cmd_diff(int argc, char **argv)
{
	unsigned long compared = 0, changed = 0, only_a = 0, only_b = 0;
	const cJSON *t, *op, *other;
	cJSON *a, *b = NULL;
	int status = 2;

	if (argc != 3) {
		fprintf(stderr,
			"usage: iommuctl-conformance diff REPORT-A REPORT-B\n");
		return 3;
	}
	a = load_report(argv[1]);
	if (a)
		b = load_report(argv[2]);
	if (!a || !b)
		goto out;
	printf("A: %s, kernel %s\nB: %s, kernel %s\n", argv[1],
	       str(a, "kernel"), argv[2], str(b, "kernel"));
	cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(a, "traces"))
		cJSON_ArrayForEach(op,
				   cJSON_GetObjectItemCaseSensitive(t, "ops"))
	{
		other = find_case(b, str(op, "case"));
		if (!other) {
			printf("only in A: %s\n", str(op, "case"));
			only_a++;
			continue;
		}
		compared++;
		changed += diff_case(op, other);
	}
	cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(b, "traces"))
		cJSON_ArrayForEach(
			op,
			cJSON_GetObjectItemCaseSensitive(
				t, "ops")) if (!find_case(a, str(op, "case")))
	{
		printf("only in B: %s\n", str(op, "case"));
		only_b++;
	}
	printf("%lu cases in both, %lu changed, %lu only in A, %lu only in B\n",
	       compared, changed, only_a, only_b);
	status = changed || only_a || only_b ? 1 : 0;
out:
	cJSON_Delete(a);
	cJSON_Delete(b);
	return finish_stdout(status);
}
