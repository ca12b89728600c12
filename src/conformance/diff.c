// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * diff: N saved JSON reports (kernels, hosts, before and after a patch)
 * as one matrix, case by case. Each case is looked up once per report
 * through a hash index, so the cost grows with the cases, not with their
 * square. Results are compared as JSON values, whatever fields they hold.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "diff.h"
#include "exitcodes.h"
#include "html.h"
#include "out.h"

/* A report of a million ops stays well below this. */
#define REPORT_MAX_BYTES (256U << 20)
#define PROG "iommuctl-conformance"

struct report {
	const char *path;
	char label[16];
	cJSON *doc;
	const char *kernel;
	const char *host;
	/* Open-addressing index of the report's ops by case name. */
	const cJSON **slots;
	size_t nslots;
	unsigned long nops;
};

/* One row of the matrix: a case and its op in each report (or NULL). */
struct row {
	const char *name;
	const cJSON **ops;
	bool changed; /* verdict or a backend's result differs */
	bool partial; /* missing from some report */
};

struct matrix {
	struct report *reps;
	unsigned int nr;
	struct row *rows;
	size_t nrows, cap;
	/* Backend names in order of first appearance. */
	const char **backends;
	unsigned int nbackends;
	unsigned long changed, partial;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

static const char *str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const cJSON *member(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

/*
 * The whole file, NUL-terminated, grown as it is read up to the bound: a
 * small report costs a small buffer. NULL with errno set; EFBIG past the
 * bound.
 */
static char *read_text(FILE *f, size_t *len)
{
	size_t cap = 0, n = 0, got;
	char *text = NULL, *grown;

	for (;;) {
		if (n == cap) {
			if (cap > REPORT_MAX_BYTES) {
				errno = EFBIG;
				goto err_free;
			}
			cap = cap ? 2 * cap : 65536;
			if (cap > REPORT_MAX_BYTES)
				cap = REPORT_MAX_BYTES + 1;
			grown = realloc(text, cap + 1);
			if (!grown) {
				errno = ENOMEM;
				goto err_free;
			}
			text = grown;
		}
		got = fread(text + n, 1, cap - n, f);
		n += got;
		if (got)
			continue;
		if (ferror(f)) {
			errno = errno ? errno : EIO;
			goto err_free;
		}
		break;
	}
	text[n] = '\0';
	*len = n;
	return text;

err_free:
	free(text);
	return NULL;
}

/*
 * Reports before the one errno encoding wrote "0" for success where they
 * now write null: read both as null, so the two compare as equal.
 */
static int normalize_op(cJSON *op)
{
	cJSON *res, *e, *null;

	cJSON_ArrayForEach(res, cJSON_GetObjectItemCaseSensitive(op, "results")) {
		e = cJSON_GetObjectItemCaseSensitive(res, "errno");
		if (!cJSON_IsString(e) || strcmp(e->valuestring, "0"))
			continue;
		null = cJSON_CreateNull();
		if (!null ||
		    !cJSON_ReplaceItemInObjectCaseSensitive(res, "errno", null)) {
			cJSON_Delete(null);
			return -ENOMEM;
		}
	}
	return 0;
}

static int normalize(cJSON *doc)
{
	cJSON *t, *op;
	int rc;

	cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(doc, "traces"))
		cJSON_ArrayForEach(op, cJSON_GetObjectItemCaseSensitive(t, "ops")) {
			rc = normalize_op(op);
			if (rc)
				return rc;
		}
	return 0;
}

static int load_report(struct report *r)
{
	const cJSON *fmt;
	struct stat st;
	char *text;
	size_t n;
	FILE *f;
	int rc;

	f = fopen(r->path, "re");
	if (!f) {
		rc = -errno;
		fprintf(stderr, "%s: %s: %s\n", PROG, r->path, strerror(-rc));
		return rc;
	}
	if (!fstat(fileno(f), &st) && S_ISDIR(st.st_mode)) {
		fprintf(stderr, "%s: %s: is a directory, not a report\n", PROG,
			r->path);
		fclose(f);
		return -EISDIR;
	}
	errno = 0;
	text = read_text(f, &n);
	rc = text ? 0 : -errno;
	fclose(f);
	if (rc) {
		fprintf(stderr, "%s: %s: %s\n", PROG, r->path,
			rc == -EFBIG ? "larger than 256 MiB" : strerror(-rc));
		return rc;
	}
	r->doc = cJSON_ParseWithLength(text, n);
	free(text);
	fmt = member(r->doc, "format");
	if (!cJSON_IsString(fmt) ||
	    strcmp(fmt->valuestring, "iommuctl-conformance-report") ||
	    !cJSON_IsArray(member(r->doc, "traces"))) {
		fprintf(stderr,
			"%s: %s: not a report of iommuctl-conformance run -j\n",
			PROG, r->path);
		return -EINVAL;
	}
	r->kernel = str(r->doc, "kernel");
	r->host = str(r->doc, "host");
	return normalize(r->doc);
}

/* The slot of name in r's index: its op, or the empty slot it would take. */
static const cJSON **slot(const struct report *r, const char *name)
{
	size_t i = hash_str(name) & (r->nslots - 1);
	const char *c;

	while (r->slots[i]) {
		c = str(r->slots[i], "case");
		if (c && !strcmp(c, name))
			break;
		i = (i + 1) & (r->nslots - 1);
	}
	return &r->slots[i];
}

static int index_report(struct report *r)
{
	const cJSON *t, *op, **s;
	unsigned long n = 0;

	cJSON_ArrayForEach(t, member(r->doc, "traces"))
		n += (unsigned long)cJSON_GetArraySize(member(t, "ops"));
	for (r->nslots = 16; r->nslots < 2 * n; r->nslots *= 2)
		;
	r->slots = calloc(r->nslots, sizeof(*r->slots));
	if (!r->slots)
		return -ENOMEM;
	cJSON_ArrayForEach(t, member(r->doc, "traces"))
		cJSON_ArrayForEach(op, member(t, "ops")) {
			if (!str(op, "case"))
				continue;
			s = slot(r, str(op, "case"));
			/* A case named twice: the first one stands. */
			if (!*s) {
				*s = op;
				r->nops++;
			}
		}
	return 0;
}

static const cJSON *lookup(const struct report *r, const char *name)
{
	return *slot(r, name);
}

static int add_backend(struct matrix *m, const char *name)
{
	const char **b;
	unsigned int i;

	for (i = 0; i < m->nbackends; i++)
		if (!strcmp(m->backends[i], name))
			return 0;
	b = realloc(m->backends, (m->nbackends + 1) * sizeof(*b));
	if (!b)
		return -ENOMEM;
	m->backends = b;
	m->backends[m->nbackends++] = name;
	return 0;
}

static bool same_json(const cJSON *a, const cJSON *b)
{
	if (!a || !b)
		return a == b;
	return cJSON_Compare(a, b, true);
}

/* Whether the present ops disagree on the verdict or on a backend. */
static bool row_changed(const struct matrix *m, const struct row *row)
{
	const cJSON *first = NULL, *op;
	unsigned int i, b;

	for (i = 0; i < m->nr; i++) {
		op = row->ops[i];
		if (!op)
			continue;
		if (!first) {
			first = op;
			continue;
		}
		if (!same_json(member(op, "verdict"), member(first, "verdict")))
			return true;
		for (b = 0; b < m->nbackends; b++)
			if (!same_json(member(member(op, "results"),
					      m->backends[b]),
				       member(member(first, "results"),
					      m->backends[b])))
				return true;
	}
	return false;
}

static int add_row(struct matrix *m, const char *name)
{
	const cJSON *op, *res;
	struct row *row;
	unsigned int i;
	int rc;

	if (m->nrows == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 256;

		row = realloc(m->rows, cap * sizeof(*row));
		if (!row)
			return -ENOMEM;
		m->rows = row;
		m->cap = cap;
	}
	row = &m->rows[m->nrows];
	row->name = name;
	row->ops = calloc(m->nr, sizeof(*row->ops));
	if (!row->ops)
		return -ENOMEM;
	m->nrows++;
	row->partial = false;
	for (i = 0; i < m->nr; i++) {
		op = lookup(&m->reps[i], name);
		row->ops[i] = op;
		row->partial |= !op;
		cJSON_ArrayForEach(res, member(op, "results")) {
			rc = add_backend(m, res->string);
			if (rc)
				return rc;
		}
	}
	return 0;
}

/* Every case once, in order of first appearance across the reports. */
static int build(struct matrix *m)
{
	const cJSON *t, *op;
	unsigned int i, j;
	const char *name;
	bool seen;
	size_t r;
	int rc;

	for (i = 0; i < m->nr; i++)
		cJSON_ArrayForEach(t, member(m->reps[i].doc, "traces"))
			cJSON_ArrayForEach(op, member(t, "ops")) {
				name = str(op, "case");
				/* Skip duplicates and cases an earlier report has. */
				if (!name || lookup(&m->reps[i], name) != op)
					continue;
				for (seen = false, j = 0; j < i && !seen; j++)
					seen = lookup(&m->reps[j], name) != NULL;
				if (seen)
					continue;
				rc = add_row(m, name);
				if (rc)
					return rc;
			}
	for (r = 0; r < m->nrows; r++) {
		m->rows[r].changed = row_changed(m, &m->rows[r]);
		m->changed += m->rows[r].changed;
		m->partial += m->rows[r].partial;
	}
	return 0;
}

static void matrix_release(struct matrix *m)
{
	unsigned int i;
	size_t r;

	for (r = 0; r < m->nrows; r++)
		free(m->rows[r].ops);
	free(m->rows);
	for (i = 0; i < m->nr; i++) {
		free(m->reps[i].slots);
		cJSON_Delete(m->reps[i].doc);
	}
	free(m->reps);
	free(m->backends);
}

/* A value as one line of text: strings bare, the rest as JSON. */
static void value_text(FILE *f, const cJSON *v)
{
	char *s;

	if (!v || cJSON_IsNull(v)) {
		fputs("-", f);
		return;
	}
	if (cJSON_IsString(v)) {
		fputs(v->valuestring, f);
		return;
	}
	s = cJSON_PrintUnformatted(v);
	fputs(s ? s : "?", f);
	free(s);
}

static void result_text(FILE *f, const cJSON *res)
{
	const cJSON *fields;

	if (!res) {
		fputs("(not run)", f);
		return;
	}
	if (cJSON_IsTrue(member(res, "skipped"))) {
		fputs("skipped: ", f);
		value_text(f, member(res, "skip_reason"));
		return;
	}
	fputs("errno ", f);
	if (cJSON_IsNull(member(res, "errno")))
		fputs("0", f); /* success */
	else
		value_text(f, member(res, "errno"));
	fields = member(res, "fields");
	if (fields && !cJSON_IsNull(fields) &&
	    !(cJSON_IsString(fields) && !*fields->valuestring)) {
		fputc(' ', f);
		value_text(f, fields);
	}
}

/*
 * What a report says of its divergences on the op: each registry entry
 * with the kernel range it holds for, or that none explains it.
 */
/* Whether an earlier divergence of the op than d names the same entry
 * (an entry explains the op on each backend it holds for). */
static bool explained_before(const cJSON *op, const cJSON *d)
{
	const cJSON *e;

	if (!str(d, "registry"))
		return false;
	cJSON_ArrayForEach(e, member(op, "divergences")) {
		if (e == d)
			return false;
		if (str(e, "registry") && !strcmp(str(e, "registry"), str(d, "registry")))
			return true;
	}
	return false;
}

static void explain(FILE *f, const cJSON *op)
{
	const cJSON *d;
	bool first = true;

	cJSON_ArrayForEach(d, member(op, "divergences")) {
		if (explained_before(op, d))
			continue;
		fputs(first ? "" : "; ", f);
		first = false;
		if (!str(d, "registry")) {
			fprintf(f, "unexpected (%s %s)",
				str(d, "backend") ? str(d, "backend") : "?",
				str(d, "field") ? str(d, "field") : "?");
			continue;
		}
		fprintf(f, "%s (", str(d, "registry"));
		if (str(d, "since"))
			fprintf(f, "since %s", str(d, "since"));
		if (str(d, "until"))
			fprintf(f, "%suntil %s", str(d, "since") ? ", " : "",
				str(d, "until"));
		if (!str(d, "since") && !str(d, "until"))
			fputs("every kernel", f);
		fputc(')', f);
	}
}

/* The labels of the reports that hold the case, "A, C". */
static void labels_where(FILE *f, const struct matrix *m,
			 const struct row *row, bool present)
{
	bool first = true;
	unsigned int i;

	for (i = 0; i < m->nr; i++) {
		if (!row->ops[i] != !present)
			continue;
		fprintf(f, "%s%s", first ? "" : ", ", m->reps[i].label);
		first = false;
	}
}

static void text_row(FILE *f, const struct matrix *m, const struct row *row)
{
	const cJSON *res, *other;
	unsigned int i, j, b;
	bool differs, shown;

	fprintf(f, "%s:", row->name);
	if (row->partial) {
		fputs(" only in ", f);
		labels_where(f, m, row, true);
	}
	fputc('\n', f);
	if (!row->changed)
		return;
	fputs("    verdict:", f);
	for (shown = false, i = 0; i < m->nr; i++)
		if (row->ops[i]) {
			fprintf(f, "%s %s ", shown ? "," : "", m->reps[i].label);
			value_text(f, member(row->ops[i], "verdict"));
			shown = true;
		}
	fputc('\n', f);
	for (i = 0; i < m->nr; i++)
		if (row->ops[i] && cJSON_GetArraySize(member(row->ops[i],
							    "divergences"))) {
			fprintf(f, "    explained in %s: ", m->reps[i].label);
			explain(f, row->ops[i]);
			fputc('\n', f);
		}
	for (b = 0; b < m->nbackends; b++) {
		differs = false;
		other = NULL;
		shown = false;
		for (i = 0; i < m->nr; i++) {
			if (!row->ops[i])
				continue;
			res = member(member(row->ops[i], "results"),
				     m->backends[b]);
			if (shown && !same_json(res, other))
				differs = true;
			other = res;
			shown = true;
		}
		if (!differs)
			continue;
		/* Reports with the same result share a line. */
		for (i = 0; i < m->nr; i++) {
			if (!row->ops[i])
				continue;
			res = member(member(row->ops[i], "results"),
				     m->backends[b]);
			for (j = 0; j < i; j++)
				if (row->ops[j] &&
				    same_json(res, member(member(row->ops[j],
								 "results"),
							  m->backends[b])))
					break;
			if (j < i)
				continue;
			fprintf(f, "    %s", m->backends[b]);
			fputs(" ", f);
			for (j = i; j < m->nr; j++)
				if (row->ops[j] &&
				    same_json(res, member(member(row->ops[j],
								 "results"),
							  m->backends[b])))
					fprintf(f, "%s%s", j == i ? "" : ",",
						m->reps[j].label);
			fputs(": ", f);
			result_text(f, res);
			fputc('\n', f);
		}
	}
}

static void write_text(FILE *f, const struct matrix *m)
{
	unsigned int i;
	size_t r;

	for (i = 0; i < m->nr; i++)
		fprintf(f, "%s: %s, kernel %s%s%s\n", m->reps[i].label,
			m->reps[i].path,
			m->reps[i].kernel ? m->reps[i].kernel : "unknown",
			m->reps[i].host ? ", host " : "",
			m->reps[i].host ? m->reps[i].host : "");
	for (r = 0; r < m->nrows; r++)
		if (m->rows[r].changed || m->rows[r].partial)
			text_row(f, m, &m->rows[r]);
	fprintf(f, "%zu cases, %zu in every report, %lu changed, %lu not in every report\n",
		m->nrows, m->nrows - m->partial, m->changed, m->partial);
}

static int write_json(FILE *f, const struct matrix *m)
{
	struct out *o = out_new(OUT_JSON, OUT_PRETTY, f);
	unsigned int i, b;
	size_t r;
	int rc;

	if (!o)
		return -ENOMEM;
	out_record_begin(o);
	out_str(o, "format", "iommuctl-conformance-diff");
	out_u32(o, "version", 1);
	out_array_begin(o, "reports");
	for (i = 0; i < m->nr; i++) {
		out_object_begin(o, NULL);
		out_str(o, "label", m->reps[i].label);
		out_str(o, "path", m->reps[i].path);
		out_str(o, "kernel", m->reps[i].kernel);
		out_str(o, "host", m->reps[i].host);
		out_u32(o, "cases", (uint32_t)m->reps[i].nops);
		out_json(o, "summary", member(m->reps[i].doc, "summary"));
		out_object_end(o);
	}
	out_array_end(o);
	out_object_begin(o, "summary");
	out_u32(o, "cases", (uint32_t)m->nrows);
	out_u32(o, "in_every_report", (uint32_t)(m->nrows - m->partial));
	out_u32(o, "changed", (uint32_t)m->changed);
	out_u32(o, "not_in_every_report", (uint32_t)m->partial);
	out_object_end(o);
	/* The cases that differ, each with every report's column. */
	out_array_begin(o, "cases");
	for (r = 0; r < m->nrows; r++) {
		const struct row *row = &m->rows[r];

		if (!row->changed && !row->partial)
			continue;
		out_object_begin(o, NULL);
		out_str(o, "case", row->name);
		out_bool(o, "changed", row->changed);
		out_array_begin(o, "verdicts");
		for (i = 0; i < m->nr; i++)
			out_json(o, NULL, member(row->ops[i], "verdict"));
		out_array_end(o);
		/* Each report's divergences, with their entries and ranges. */
		out_array_begin(o, "divergences");
		for (i = 0; i < m->nr; i++)
			out_json(o, NULL, member(row->ops[i], "divergences"));
		out_array_end(o);
		out_object_begin(o, "results");
		for (b = 0; b < m->nbackends; b++) {
			out_array_begin(o, m->backends[b]);
			for (i = 0; i < m->nr; i++)
				out_json(o, NULL,
					 member(member(row->ops[i], "results"),
						m->backends[b]));
			out_array_end(o);
		}
		out_object_end(o);
		out_object_end(o);
	}
	out_array_end(o);
	rc = out_record_end(o);
	if (!rc)
		rc = out_finish(o);
	out_free(o);
	return rc;
}

/* What a text writer writes of v, escaped for HTML. */
static void html_of(FILE *f, void (*text)(FILE *, const cJSON *),
		    const cJSON *v)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);

	if (!mem)
		return;
	text(mem, v);
	fclose(mem);
	html_escape(f, buf);
	free(buf);
}

static void write_html(FILE *f, const struct matrix *m)
{
	unsigned int i, b;
	size_t r;

	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<title>iommuctl-conformance diff</title>\n<style>\n"
	      "body{font-family:sans-serif;margin:1.5em}\n"
	      "table{border-collapse:collapse;margin:1em 0}\n"
	      "td,th{border:1px solid #bbb;padding:.25em .5em;vertical-align:top;text-align:left}\n"
	      "td.v{font-family:monospace;font-size:90%}\n"
	      ".missing{color:#888;font-style:italic}\n"
	      ".differs{background:#ffe0b3}\n"
	      "</style></head><body>\n<h1>Reports side by side</h1>\n",
	      f);
	fprintf(f, "<p>%zu cases: %zu in every report, %lu changed between reports, %lu not in every report.</p>\n",
		m->nrows, m->nrows - m->partial, m->changed, m->partial);
	fputs("<table><tr><th>report</th><th>kernel</th><th>host</th><th>file</th><th>cases</th></tr>\n",
	      f);
	for (i = 0; i < m->nr; i++) {
		fprintf(f, "<tr><td>%s</td><td>", m->reps[i].label);
		html_escape(f, m->reps[i].kernel ? m->reps[i].kernel : "unknown");
		fputs("</td><td>", f);
		html_escape(f, m->reps[i].host ? m->reps[i].host : "unknown");
		fputs("</td><td>", f);
		html_escape(f, m->reps[i].path);
		fprintf(f, "</td><td>%lu</td></tr>\n", m->reps[i].nops);
	}
	fputs("</table>\n<h2>Cases that differ</h2>\n<table><tr><th>case</th><th>what</th>",
	      f);
	for (i = 0; i < m->nr; i++) {
		fprintf(f, "<th>%s: ", m->reps[i].label);
		html_escape(f, m->reps[i].kernel ? m->reps[i].kernel : "unknown");
		fputs("</th>", f);
	}
	fputs("</tr>\n", f);
	for (r = 0; r < m->nrows; r++) {
		const struct row *row = &m->rows[r];

		if (!row->changed && !row->partial)
			continue;
		fprintf(f, "<tr><td rowspan=\"%u\">", 1 + m->nbackends);
		html_escape(f, row->name);
		fputs("</td><td>verdict</td>", f);
		for (i = 0; i < m->nr; i++) {
			if (!row->ops[i]) {
				fputs("<td class=\"missing\">not in this report</td>", f);
				continue;
			}
			fputs("<td>", f);
			html_escape(f, str(row->ops[i], "verdict"));
			if (cJSON_GetArraySize(member(row->ops[i],
						      "divergences"))) {
				fputs("<br><small>", f);
				html_of(f, explain, row->ops[i]);
				fputs("</small>", f);
			}
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
		for (b = 0; b < m->nbackends; b++) {
			const cJSON *first = NULL, *res;
			bool differs = false, seen = false;

			for (i = 0; i < m->nr; i++) {
				if (!row->ops[i])
					continue;
				res = member(member(row->ops[i], "results"),
					     m->backends[b]);
				if (seen && !same_json(res, first))
					differs = true;
				if (!seen)
					first = res;
				seen = true;
			}
			fputs("<tr><td>", f);
			html_escape(f, m->backends[b]);
			fputs("</td>", f);
			for (i = 0; i < m->nr; i++) {
				if (!row->ops[i]) {
					fputs("<td class=\"missing\"></td>", f);
					continue;
				}
				fprintf(f, "<td class=\"v%s\">",
					differs ? " differs" : "");
				html_of(f, result_text,
					member(member(row->ops[i], "results"),
					       m->backends[b]));
				fputs("</td>", f);
			}
			fputs("</tr>\n", f);
		}
	}
	fputs("</table>\n</body></html>\n", f);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s diff [-j] [--html FILE] REPORT REPORT [REPORT...]\n",
		PROG);
}

static int write_file(const char *path, const struct matrix *m)
{
	FILE *f = fopen(path, "we");
	int rc;

	if (!f) {
		rc = -errno;
		fprintf(stderr, "%s: %s: %s\n", PROG, path, strerror(-rc));
		return rc;
	}
	write_html(f, m);
	rc = ferror(f) ? -EIO : 0;
	if (fclose(f) && !rc)
		rc = -errno;
	if (rc) {
		fprintf(stderr, "%s: %s: %s\n", PROG, path, strerror(-rc));
		remove(path);
	}
	return rc;
}

const struct option diff_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "html", required_argument, NULL, 'H' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int cmd_diff(int argc, char **argv)
{
	struct matrix m = { 0 };
	const char *html = NULL;
	int status = IOMMUCTL_EXIT_INTERNAL;
	bool json = false;
	unsigned int i;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "jh", diff_options, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'H':
			html = optarg;
			break;
		case 'h':
			usage(stdout);
			return IOMMUCTL_EXIT_OK;
		default:
			usage(stderr);
			return IOMMUCTL_EXIT_USAGE;
		}
	}
	if (argc - optind < 2) {
		usage(stderr);
		return IOMMUCTL_EXIT_USAGE;
	}
	m.nr = (unsigned int)(argc - optind);
	m.reps = calloc(m.nr, sizeof(*m.reps));
	if (!m.reps)
		goto out;
	for (i = 0; i < m.nr; i++) {
		struct report *r = &m.reps[i];

		r->path = argv[optind + (int)i];
		if (i < 26)
			snprintf(r->label, sizeof(r->label), "%c", 'A' + i);
		else
			snprintf(r->label, sizeof(r->label), "R%u", i + 1);
		if (load_report(r))
			goto out;
		if (index_report(r))
			goto out_nomem;
	}
	if (build(&m))
		goto out_nomem;
	if (html && write_file(html, &m))
		goto out;
	if (json) {
		if (write_json(stdout, &m))
			goto out;
	} else {
		write_text(stdout, &m);
	}
	status = m.changed || m.partial ? IOMMUCTL_EXIT_FAILED : IOMMUCTL_EXIT_OK;
	goto out;
out_nomem:
	fprintf(stderr, "%s: out of memory\n", PROG);
out:
	matrix_release(&m);
	return finish_stdout(status);
}
