// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iommuctl-conformance: replay VFIO type1 traces on the type1 container
 * and on iommufd's compat layer, and report where they differ.
 * See iommuctl-conformance(8) and iommuctl-trace(5).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "config.h"
#include "diff.h"
#include "names.h"
#include "out.h"
#include "record.h"
#include "registry.h"
#include "replay.h"
#include "trace.h"

#define EXIT_PARITY 1
#define EXIT_INTERNAL 2
#define EXIT_USAGE 3
#define EXIT_UNSUPPORTED 4

static const char *prog = "iommuctl-conformance";

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s validate TRACE...\n"
		"       %s list [-j] TRACE\n"
		"       %s run [-j|--tap] [--backend NAME]... [--group N|--device BDF|--mdev UUID]\n"
		"              [--registry FILE] [--html FILE] TRACE...\n"
		"       %s run [options] --case ID TRACE\n"
		"       %s diff REPORT-A REPORT-B\n"
		"       %s record [-o FILE] [--fork=stop|follow] -- PROGRAM [ARGS...]\n"
		"       %s record --convert FILE.bin [-o FILE]\n"
		"See iommuctl-conformance(8).\n",
		prog, prog, prog, prog, prog, prog, prog);
}

static FILE *open_trace(const char *path)
{
	FILE *f = fopen(path, "re");

	if (!f)
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
	return f;
}

static int cmd_validate(int argc, char **argv)
{
	struct trace_reader *r;
	struct trace_rec *rec;
	int i, rc, status = 0;
	unsigned long n;
	FILE *f;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	r = malloc(sizeof(*r));
	rec = malloc(sizeof(*rec));
	if (!r || !rec) {
		fprintf(stderr, "%s: out of memory\n", prog);
		status = EXIT_INTERNAL;
		goto out;
	}
	for (i = 1; i < argc; i++) {
		f = open_trace(argv[i]);
		if (!f) {
			status = EXIT_PARITY;
			continue;
		}
		trace_reader_init(r, f);
		n = 0;
		while ((rc = trace_read(r, rec)) > 0)
			n += rec->kind == TRACE_OP;
		fclose(f);
		if (rc) {
			fprintf(stderr, "%s: %s: %s\n", prog, argv[i],
				r->error);
			status = EXIT_PARITY;
		} else {
			printf("%s: valid, %lu operations\n", argv[i], n);
		}
	}
out:
	free(r);
	free(rec);
	if (fflush(stdout) || ferror(stdout))
		return EXIT_INTERNAL;
	return status;
}

static void describe(char *buf, size_t len, const struct trace_reader *r,
		     const struct trace_opdesc *d)
{
	const char *ext;

	switch (d->op) {
	case OP_CHECK_EXTENSION:
	case OP_SET_IOMMU:
		ext = vfio_extension_name(d->arg);
		snprintf(buf, len, "%s %u%s%s%s", trace_op_name(d->op), d->arg,
			 ext ? " (" : "", ext ? ext : "", ext ? ")" : "");
		break;
	case OP_MAP_DMA:
		snprintf(buf, len,
			 "map_dma iova 0x%" PRIx64 " size 0x%" PRIx64
			 " from %s+0x%" PRIx64 " flags 0x%x",
			 d->iova, d->size,
			 d->buffer >= 0 ? r->buffers[d->buffer].name : "NULL",
			 d->offset, d->has_flags ? d->flags : 3);
		break;
	case OP_UNMAP_DMA:
	case OP_UNPIN:
	case OP_DMA_WRITE:
	case OP_DMA_READ:
		snprintf(buf, len, "%s iova 0x%" PRIx64 " size 0x%" PRIx64,
			 trace_op_name(d->op), d->iova, d->size);
		break;
	case OP_WRITE:
	case OP_VERIFY:
		snprintf(buf, len, "%s %s+0x%" PRIx64 " size 0x%" PRIx64,
			 trace_op_name(d->op), r->buffers[d->buffer].name,
			 d->offset, d->size);
		break;
	case OP_IOCTL:
		ext = d->fd == TRACE_FD_DEVICE ?
			      vfio_device_ioctl_name(d->request) :
			      iommu_ioctl_name(d->request);
		snprintf(buf, len, "ioctl 0x%lx%s%s%s, %zu bytes", d->request,
			 ext ? " (" : "", ext ? ext : "", ext ? ")" : "",
			 d->nbytes);
		break;
	case OP_PIN:
		snprintf(buf, len, "pin iova 0x%" PRIx64 ", %u pages", d->iova,
			 d->npages);
		break;
	default:
		snprintf(buf, len, "%s", trace_op_name(d->op));
		break;
	}
	if (d->has_argsz) {
		size_t n = strlen(buf);

		snprintf(buf + n, len - n, " argsz %u", d->argsz);
	}
}

/* What happened when the op was recorded: "ret N" or the errno name. */
static void recorded(char *buf, size_t len, const struct trace_opdesc *d)
{
	const char *n = errno_name(d->recorded.err);

	if (!d->recorded.err)
		snprintf(buf, len, "ret %" PRId64 ", %zu bytes out",
			 d->recorded.ret, d->recorded.nout);
	else if (n)
		snprintf(buf, len, "%s", n);
	else
		snprintf(buf, len, "errno %d", d->recorded.err);
}

static int cmd_list(int argc, char **argv)
{
	struct trace_reader *r = NULL;
	struct trace_rec *rec = NULL;
	enum out_format fmt = OUT_TEXT;
	int rc, status = 0;
	struct out *o = NULL;
	char what[192];
	FILE *f = NULL;

	if (argc == 3 && !strcmp(argv[1], "-j")) {
		fmt = OUT_JSON;
		argv++;
		argc--;
	}
	if (argc != 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	f = open_trace(argv[1]);
	if (!f)
		return EXIT_PARITY;
	r = malloc(sizeof(*r));
	rec = malloc(sizeof(*rec));
	o = out_new(fmt, OUT_LIST, stdout);
	if (!r || !rec || !o) {
		status = EXIT_INTERNAL;
		goto out;
	}
	trace_reader_init(r, f);
	while ((rc = trace_read(r, rec)) > 0) {
		if (rec->kind != TRACE_OP)
			continue;
		describe(what, sizeof(what), r, &rec->op);
		out_record_begin(o);
		out_u32(o, "line", rec->line);
		out_str(o, "id", rec->op.id[0] ? rec->op.id : NULL);
		out_str(o, "op", trace_op_name(rec->op.op));
		out_str(o, "what", what);
		out_str(o, "fd",
			rec->op.op == OP_IOCTL ?
				trace_fd_role_name(rec->op.fd) :
				NULL);
		recorded(what, sizeof(what), &rec->op);
		out_str(o, "recorded", rec->op.has_recorded ? what : NULL);
		out_str(o, "unreplayable",
			rec->op.unreplayable[0] ? rec->op.unreplayable : NULL);
		if (out_record_end(o)) {
			status = EXIT_INTERNAL;
			goto out;
		}
	}
	if (rc) {
		/* Nothing half-written: the listing goes out only when whole. */
		fprintf(stderr, "%s: %s: %s\n", prog, argv[1], r->error);
		status = EXIT_PARITY;
		goto out;
	}
	if (out_finish(o))
		status = EXIT_INTERNAL;
out:
	out_free(o);
	free(r);
	free(rec);
	fclose(f);
	return status;
}

/* The run: every trace on every backend, then the comparison. */

enum verdict {
	V_MATCH,
	V_KNOWN,
	V_UNEXPECTED,
	V_SKIPPED,
};

static const char *const verdict_names[] = {
	[V_MATCH] = "match",
	[V_KNOWN] = "known-divergence",
	[V_UNEXPECTED] = "unexpected-divergence",
	[V_SKIPPED] = "skipped",
};

struct divergence {
	enum backend bk;
	char field[48];
	char type1[96];
	char other[96];
	const struct registry_entry *known;
};

struct op_row {
	unsigned int line;
	enum trace_op op;
	char name[TRACE_NAME_LEN + 32]; /* TRACE-BASENAME:ID */
	struct op_result res[BK_COUNT];
	bool has_expect;
	enum verdict verdict;
	enum verdict bk_verdict[BK_COUNT]; /* against type1; type1's own */
	const char *skip_reason;
	unsigned int nr_div;
	struct divergence *div;
};

struct run {
	bool want[BK_COUNT];
	bool ran[BK_COUNT];
	char why[BK_COUNT][256];
	struct replay_target target;
	struct registry reg;
	unsigned long counts[BK_COUNT][V_SKIPPED + 1];
	unsigned long totals[V_SKIPPED + 1];
	unsigned long expect_failures;
	const char *only; /* --case: the one case to replay and report */
};

struct trace_run {
	const char *path;
	char *error;
	unsigned int nr;
	unsigned int cap;
	struct op_row *rows;
};

static int grow_rows(struct trace_run *tr)
{
	struct op_row *rows;
	unsigned int cap;

	if (tr->nr < tr->cap)
		return 0;
	cap = tr->cap ? tr->cap * 2 : 64;
	rows = realloc(tr->rows, cap * sizeof(*rows));
	if (!rows)
		return -ENOMEM;
	tr->rows = rows;
	tr->cap = cap;
	return 0;
}

/* Replay one trace on one backend, filling column bk of the rows. */
static int replay_trace(struct run *run, struct trace_run *tr, enum backend bk,
			bool first, struct trace_reader *r,
			struct trace_rec *rec)
{
	char why[256] = "";
	bool open_ok;
	struct replay rp;
	unsigned int i = 0, nbuf = 0;
	struct op_row *row;
	FILE *f;
	int rc;

	f = fopen(tr->path, "re");
	if (!f)
		return -errno;
	open_ok = run->ran[bk] &&
		  !replay_open(&rp, bk, &run->target, why, sizeof(why));
	if (run->ran[bk] && !open_ok)
		snprintf(run->why[bk], sizeof(run->why[bk]), "%s", why);
	trace_reader_init(r, f);
	while ((rc = trace_read(r, rec)) > 0) {
		if (rec->kind == TRACE_BUFFER) {
			if (open_ok)
				replay_buffer(&rp, nbuf, &rec->buffer);
			nbuf++;
			continue;
		}
		if (rec->kind != TRACE_OP)
			continue;
		if (first) {
			rc = grow_rows(tr);
			if (rc)
				break;
			row = &tr->rows[tr->nr++];
			memset(row, 0, sizeof(*row));
			row->line = rec->line;
			row->op = rec->op.op;
			row->has_expect = rec->op.expect.has_errno ||
					  rec->op.expect.has_unmapped ||
					  rec->op.expect.has_value;
			if (rec->op.id[0])
				snprintf(row->name, sizeof(row->name), "%s:%s",
					 basename((char *)tr->path),
					 rec->op.id);
			else
				snprintf(row->name, sizeof(row->name),
					 "%s:line-%u-%s",
					 basename((char *)tr->path), rec->line,
					 trace_op_name(rec->op.op));
		}
		row = &tr->rows[i++];
		if (open_ok) {
			replay_op(&rp, &rec->op, &row->res[bk]);
		} else {
			row->res[bk].skipped = true;
			row->res[bk].skip_reason = run->why[bk][0] ?
							   run->why[bk] :
							   "backend not run";
		}
		/* The ops after the wanted case cannot change its result. */
		if (run->only && !strcmp(strchr(row->name, ':') + 1, run->only))
			break;
	}
	if (open_ok)
		replay_close(&rp);
	fclose(f);
	if (rc > 0) /* stopped after --case */
		rc = 0;
	if (rc < 0 && rc != -ENOMEM) {
		tr->error = strdup(r->error);
		return tr->error ? -EINVAL : -ENOMEM;
	}
	return rc;
}

static const char *errstr(int err)
{
	const char *n = errno_name(err);

	return err ? (n ? n : "E?") : "0";
}

/* Next "key=value" word of a field list. */
static const char *next_word(const char *p, char *key, size_t klen, char *val,
			     size_t vlen)
{
	size_t n = strcspn(p, " "), k;
	const char *eq = memchr(p, '=', n);

	k = eq ? (size_t)(eq - p) : n;
	snprintf(key, klen, "%.*s", (int)k, p);
	if (eq)
		snprintf(val, vlen, "%.*s", (int)(n - k - 1), eq + 1);
	else
		val[0] = '\0';
	p += n;
	return *p ? p + 1 : NULL;
}

/* Value of key in a field list, "(absent)" when the backend had none. */
static void lookup_word(const char *fields, const char *key, char *val,
			size_t vlen)
{
	char k[48], v[96];
	const char *p = fields;

	while (p) {
		p = next_word(p, k, sizeof(k), v, sizeof(v));
		if (!strcmp(k, key)) {
			snprintf(val, vlen, "%s", v);
			return;
		}
	}
	snprintf(val, vlen, "(absent)");
}

static int add_div(struct run *run, struct op_row *row, enum backend bk,
		   const char *field, const char *v1, const char *v2)
{
	struct divergence *d;

	d = realloc(row->div, (row->nr_div + 1) * sizeof(*d));
	if (!d)
		return -ENOMEM;
	row->div = d;
	d = &row->div[row->nr_div++];
	memset(d, 0, sizeof(*d));
	d->bk = bk;
	snprintf(d->field, sizeof(d->field), "%s", field);
	snprintf(d->type1, sizeof(d->type1), "%s", v1);
	snprintf(d->other, sizeof(d->other), "%s", v2);
	d->known = registry_match(&run->reg, row->name, backend_name(bk), field,
				  v1, v2);
	return 0;
}

/* Every field either side has, compared by key. */
static int compare_fields(struct run *run, struct op_row *row, enum backend bk)
{
	const struct op_result *a = &row->res[BK_TYPE1], *b = &row->res[bk];
	char key[48], v1[96], v2[96];
	const char *p;
	int pass, rc;

	/* Output fields of a call that failed on one side mean nothing. */
	if (a->err != b->err)
		return add_div(run, row, bk, "errno", errstr(a->err),
			       errstr(b->err));
	for (pass = 0; pass < 2; pass++) {
		p = pass ? b->fields : a->fields;
		while (p) {
			p = next_word(p, key, sizeof(key), v1, sizeof(v1));
			lookup_word(a->fields, key, v1, sizeof(v1));
			lookup_word(b->fields, key, v2, sizeof(v2));
			/* A key both have is compared on the first pass. */
			if (pass && strcmp(v1, "(absent)"))
				continue;
			if (strcmp(v1, v2)) {
				rc = add_div(run, row, bk, key, v1, v2);
				if (rc)
					return rc;
			}
		}
	}
	return 0;
}

static int judge(struct run *run, struct op_row *row)
{
	enum verdict v, worst = V_MATCH;
	bool compared = false, expected = false;
	unsigned int i, before;
	int bk, rc;

	for (bk = 0; bk < BK_COUNT; bk++)
		op_result_finish(&row->res[bk]);
	for (bk = 0; bk < BK_COUNT; bk++) {
		if (!run->want[bk] || row->res[bk].skipped)
			continue;
		expected |= row->has_expect;
		if (row->res[bk].expect_failed) {
			worst = V_UNEXPECTED;
			run->expect_failures++;
		}
	}
	for (bk = BK_IOMMUFD; bk < BK_COUNT; bk++) {
		if (!run->want[bk])
			continue;
		if (row->res[BK_TYPE1].skipped || row->res[bk].skipped) {
			v = V_SKIPPED;
			row->skip_reason =
				row->res[BK_TYPE1].skipped ?
					row->res[BK_TYPE1].skip_reason :
					row->res[bk].skip_reason;
		} else {
			before = row->nr_div;
			rc = compare_fields(run, row, bk);
			if (rc)
				return rc;
			v = V_MATCH;
			for (i = before; i < row->nr_div; i++)
				if (!row->div[i].known)
					v = V_UNEXPECTED;
				else if (v == V_MATCH)
					v = V_KNOWN;
			compared = true;
		}
		run->counts[bk][v]++;
		row->bk_verdict[bk] = v;
		if (v != V_SKIPPED && v > worst)
			worst = v;
	}
	/* type1 is the reference: only its own expectations judge it. */
	row->bk_verdict[BK_TYPE1] = row->res[BK_TYPE1].skipped ? V_SKIPPED :
				    row->res[BK_TYPE1].expect_failed ?
								 V_UNEXPECTED :
								 V_MATCH;
	/* With one backend only the trace's own expectations can speak. */
	if (!compared && !expected) {
		worst = V_SKIPPED;
		if (!row->skip_reason)
			row->skip_reason = "no second backend ran";
	}
	row->verdict = worst;
	run->totals[worst]++;
	return 0;
}

static void cell(char *buf, size_t len, const struct op_result *res)
{
	if (res->skipped)
		snprintf(buf, len, "skip");
	else if (res->expect_failed)
		snprintf(buf, len, "%s!", errstr(res->err));
	else
		snprintf(buf, len, "%s", res->err ? errstr(res->err) : "ok");
}

static void report_text(struct run *run, struct trace_run *tr)
{
	char c[BK_COUNT][24];
	struct op_row *row;
	unsigned int i, j;
	int bk;

	printf("%s\n", tr->path);
	printf("  %-34s %-16s", "case", "op");
	for (bk = 0; bk < BK_COUNT; bk++)
		if (run->want[bk])
			printf(" %-14s", backend_name(bk));
	printf(" verdict\n");
	for (i = 0; i < tr->nr; i++) {
		row = &tr->rows[i];
		for (bk = 0; bk < BK_COUNT; bk++)
			cell(c[bk], sizeof(c[bk]), &row->res[bk]);
		printf("  %-34s %-16s", strchr(row->name, ':') + 1,
		       trace_op_name(row->op));
		for (bk = 0; bk < BK_COUNT; bk++)
			if (run->want[bk])
				printf(" %-14s", c[bk]);
		printf(" %s\n", verdict_names[row->verdict]);
		for (j = 0; j < row->nr_div; j++)
			printf("      %s %s: type1 %s, %s %s%s%s\n",
			       backend_name(row->div[j].bk), row->div[j].field,
			       row->div[j].type1, backend_name(row->div[j].bk),
			       row->div[j].other,
			       row->div[j].known ? " - known: " : "",
			       row->div[j].known ? row->div[j].known->name :
						   "");
		for (bk = 0; bk < BK_COUNT; bk++)
			if (run->want[bk] && row->res[bk].expect_failed)
				printf("      %s: expectation on %s not met\n",
				       backend_name(bk),
				       row->res[bk].expect_failed);
	}
}

static void report_json_trace(struct out *o, struct run *run,
			      struct trace_run *tr)
{
	const struct registry_entry *k;
	struct op_row *row;
	unsigned int i, j;
	int bk;

	out_object_begin(o, NULL);
	out_str(o, "trace", tr->path);
	out_str(o, "error", tr->error);
	out_array_begin(o, "ops");
	for (i = 0; i < tr->nr; i++) {
		row = &tr->rows[i];
		out_object_begin(o, NULL);
		out_str(o, "case", row->name);
		out_u32(o, "line", row->line);
		out_str(o, "op", trace_op_name(row->op));
		out_str(o, "verdict", verdict_names[row->verdict]);
		out_str(o, "skip_reason",
			row->verdict == V_SKIPPED ? row->skip_reason : NULL);
		out_object_begin(o, "results");
		for (bk = 0; bk < BK_COUNT; bk++) {
			if (!run->want[bk])
				continue;
			out_object_begin(o, backend_name(bk));
			out_bool(o, "skipped", row->res[bk].skipped);
			out_str(o, "skip_reason", row->res[bk].skip_reason);
			if (row->res[bk].skipped)
				out_null(o, "errno");
			else
				out_str(o, "errno", errstr(row->res[bk].err));
			out_str(o, "fields",
				row->res[bk].fields ? row->res[bk].fields : "");
			out_str(o, "expect_failed", row->res[bk].expect_failed);
			out_object_end(o);
		}
		out_object_end(o);
		out_array_begin(o, "divergences");
		for (j = 0; j < row->nr_div; j++) {
			k = row->div[j].known;
			out_object_begin(o, NULL);
			out_str(o, "backend", backend_name(row->div[j].bk));
			out_str(o, "field", row->div[j].field);
			out_str(o, "type1", row->div[j].type1);
			out_str(o, "other", row->div[j].other);
			out_str(o, "class", k ? "known" : "unexpected");
			out_str(o, "registry", k ? k->name : NULL);
			out_str(o, "type1_function",
				k ? k->type1_function : NULL);
			out_str(o, "other_function",
				k ? k->other_function : NULL);
			out_str(o, "kernels", k ? k->kernels : NULL);
			out_str(o, "why", k ? k->why : NULL);
			out_object_end(o);
		}
		out_array_end(o);
		out_object_end(o);
	}
	out_array_end(o);
	out_object_end(o);
}

/* HTML: one self-contained page, a matrix of ops by backends. */

static void html_text(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '&':
			fputs("&amp;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		default:
			fputc(*s, f);
		}
	}
}

static const char *const verdict_css[] = {
	[V_MATCH] = "m",
	[V_KNOWN] = "k",
	[V_UNEXPECTED] = "u",
	[V_SKIPPED] = "s",
};

static void html_begin(FILE *f)
{
	struct utsname u;

	uname(&u);
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<title>VFIO type1 vs iommufd parity</title>\n<style>\n"
	      "body{font-family:sans-serif;margin:1em}\n"
	      "table{border-collapse:collapse;margin-bottom:1.5em}\n"
	      "td,th{border:1px solid #999;padding:2px 6px;font-size:90%}\n"
	      "td.m{background:#bfe6bf}td.k{background:#f3e39a}\n"
	      "td.u{background:#f2a0a0}td.s{background:#ddd;color:#555}\n"
	      "</style></head><body>\n<h1>VFIO type1 vs iommufd parity</h1>\n<p>Kernel ",
	      f);
	html_text(f, u.release);
	fputs(". Colours: <span style=\"background:#bfe6bf\">match</span> "
	      "<span style=\"background:#f3e39a\">known divergence</span> "
	      "<span style=\"background:#f2a0a0\">unexpected divergence</span> "
	      "<span style=\"background:#ddd\">skipped</span>; "
	      "hover over a cell for the fields and the evidence.</p>\n",
	      f);
}

static void html_cell(FILE *f, const struct op_row *row, enum backend bk)
{
	const struct op_result *res = &row->res[bk];
	const struct divergence *d;
	char c[24];
	unsigned int j;

	fprintf(f, "<td class=\"%s\" title=\"",
		verdict_css[row->bk_verdict[bk]]);
	if (res->skipped)
		html_text(f, res->skip_reason);
	else
		html_text(f, res->fields ? res->fields : "");
	for (j = 0; j < row->nr_div; j++) {
		d = &row->div[j];
		if (d->bk != bk)
			continue;
		fprintf(f, "&#10;%s: type1 ", d->field);
		html_text(f, d->type1);
		fputs(", here ", f);
		html_text(f, d->other);
		if (d->known) {
			fputs(" (", f);
			html_text(f, d->known->name);
			fputs(": ", f);
			html_text(f, d->known->type1_function);
			fputs(" vs ", f);
			html_text(f, d->known->other_function);
			fputs(")", f);
		}
	}
	if (res->expect_failed)
		fprintf(f, "&#10;expectation on %s not met",
			res->expect_failed);
	cell(c, sizeof(c), res);
	fprintf(f, "\">%s</td>", c);
}

static void html_trace(FILE *f, struct run *run, struct trace_run *tr)
{
	struct op_row *row;
	unsigned int i;
	int bk;

	fputs("<h2>", f);
	html_text(f, tr->path);
	fputs("</h2>\n", f);
	if (tr->error) {
		fputs("<p>Invalid trace: ", f);
		html_text(f, tr->error);
		fputs("</p>\n", f);
		return;
	}
	fputs("<table><tr><th>case</th><th>op</th>", f);
	for (bk = 0; bk < BK_COUNT; bk++)
		if (run->want[bk])
			fprintf(f, "<th>%s</th>", backend_name(bk));
	fputs("</tr>\n", f);
	for (i = 0; i < tr->nr; i++) {
		row = &tr->rows[i];
		fputs("<tr><td>", f);
		html_text(f, strchr(row->name, ':') + 1);
		fprintf(f, "</td><td>%s</td>", trace_op_name(row->op));
		for (bk = 0; bk < BK_COUNT; bk++)
			if (run->want[bk])
				html_cell(f, row, bk);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

/* The backends last: one can fail to open on the first trace. */
static int html_end(FILE *f, struct run *run)
{
	int bk, rc;

	fputs("<h2>Backends</h2>\n<ul>\n", f);
	for (bk = 0; bk < BK_COUNT; bk++) {
		if (!run->want[bk])
			continue;
		fprintf(f, "<li>%s: ", backend_name(bk));
		html_text(f, run->why[bk][0] ? run->why[bk] : "ran");
		fputs("</li>\n", f);
	}
	fprintf(f,
		"</ul>\n<p>%lu match, %lu known divergences, %lu unexpected divergences, %lu skipped.</p>\n</body></html>\n",
		run->totals[V_MATCH], run->totals[V_KNOWN],
		run->totals[V_UNEXPECTED], run->totals[V_SKIPPED]);
	rc = fflush(f) || ferror(f) ? -EIO : 0;
	if (fclose(f))
		rc = -EIO;
	return rc;
}

static unsigned long tap_n;

static void report_tap(struct trace_run *tr)
{
	struct op_row *row;
	unsigned int i, j;

	if (tr->error)
		printf("not ok %lu - %s # %s\n", ++tap_n,
		       basename((char *)tr->path), tr->error);
	for (i = 0; i < tr->nr; i++) {
		row = &tr->rows[i];
		printf("%s %lu - %s",
		       row->verdict == V_UNEXPECTED ? "not ok" : "ok", ++tap_n,
		       row->name);
		if (row->verdict == V_SKIPPED)
			printf(" # SKIP %s", row->skip_reason);
		printf("\n");
		for (j = 0; j < row->nr_div; j++)
			printf("# %s %s: type1 %s, other %s (%s)\n",
			       backend_name(row->div[j].bk), row->div[j].field,
			       row->div[j].type1, row->div[j].other,
			       row->div[j].known ? row->div[j].known->name :
						   "unexpected");
	}
}

static void trace_run_release(struct trace_run *tr)
{
	unsigned int i;
	int bk;

	for (i = 0; i < tr->nr; i++) {
		for (bk = 0; bk < BK_COUNT; bk++)
			op_result_release(&tr->rows[i].res[bk]);
		free(tr->rows[i].div);
	}
	free(tr->rows);
	free(tr->error);
}

/*
 * --case: keep the wanted row only. Every backend stopped right after it,
 * so it is the last row. -ENOENT when the trace has no such case.
 */
static int keep_only(struct trace_run *tr, const char *id)
{
	struct op_row *last;
	unsigned int i;
	int bk;

	if (tr->error)
		return 0;
	if (!tr->nr)
		return -ENOENT;
	last = &tr->rows[tr->nr - 1];
	if (strcmp(strchr(last->name, ':') + 1, id))
		return -ENOENT;
	for (i = 0; i + 1 < tr->nr; i++) {
		for (bk = 0; bk < BK_COUNT; bk++)
			op_result_release(&tr->rows[i].res[bk]);
		free(tr->rows[i].div);
	}
	tr->rows[0] = *last;
	tr->nr = 1;
	return 0;
}

enum report_kind {
	REPORT_TEXT,
	REPORT_JSON,
	REPORT_TAP,
};

static int parse_run_args(int argc, char **argv, struct run *run,
			  enum report_kind *kind, const char **registry,
			  const char **html, bool *mdev)
{
	static const struct option longopts[] = {
		{ "backend", required_argument, NULL, 'b' },
		{ "group", required_argument, NULL, 'g' },
		{ "device", required_argument, NULL, 'd' },
		{ "mdev", required_argument, NULL, 'm' },
		{ "registry", required_argument, NULL, 'r' },
		{ "html", required_argument, NULL, 'H' },
		{ "tap", no_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ "case", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	bool any = false;
	char *end;
	long g;
	int c, bk;

	run->target.group = -1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+jb:", longopts, NULL)) != -1) {
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
			any = true;
			break;
		case 'g':
			g = strtol(optarg, &end, 10);
			if (*end || !*optarg || g < 0 || g > INT32_MAX) {
				fprintf(stderr,
					"%s: --group %s: not a group number\n",
					prog, optarg);
				return -EINVAL;
			}
			run->target.group = (int)g;
			break;
		case 'd':
		case 'm':
			if (strlen(optarg) >= sizeof(run->target.device) ||
			    strchr(optarg, '/') || !*optarg) {
				fprintf(stderr, "%s: %s: not a device name\n",
					prog, optarg);
				return -EINVAL;
			}
			snprintf(run->target.device, sizeof(run->target.device),
				 "%s", optarg);
			*mdev = c == 'm';
			break;
		case 'r':
			*registry = optarg;
			break;
		case 'H':
			*html = optarg;
			break;
		case 't':
			*kind = REPORT_TAP;
			break;
		case 'j':
			*kind = REPORT_JSON;
			break;
		case 'c':
			if (!*optarg) {
				fprintf(stderr, "%s: --case: empty name\n",
					prog);
				return -EINVAL;
			}
			run->only = optarg;
			break;
		default:
			return -EINVAL;
		}
	}
	if (!any)
		for (bk = 0; bk < BK_COUNT; bk++)
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
	return optind;
}

static void json_head(struct out *o)
{
	struct utsname u;

	uname(&u);
	out_str(o, "format", "iommuctl-conformance-report");
	out_u32(o, "version", 1);
	out_str(o, "tool_version", PACKAGE_VERSION);
	out_str(o, "kernel", u.release);
}

/* After the run: a backend can fail to open on the first trace. */
static void json_backends(struct out *o, struct run *run)
{
	int bk;

	out_array_begin(o, "backends");
	for (bk = 0; bk < BK_COUNT; bk++) {
		if (!run->want[bk])
			continue;
		out_object_begin(o, NULL);
		out_str(o, "name", backend_name(bk));
		out_bool(o, "ran", run->ran[bk] && !run->why[bk][0]);
		out_str(o, "reason", run->why[bk][0] ? run->why[bk] : NULL);
		out_object_end(o);
	}
	out_array_end(o);
	out_object_begin(o, "device");
	out_s32(o, "group", run->target.group);
	out_str(o, "name", run->target.device[0] ? run->target.device : NULL);
	out_object_end(o);
}

static void json_summary(struct out *o, struct run *run)
{
	int bk, v;

	out_object_begin(o, "summary");
	for (v = 0; v <= V_SKIPPED; v++)
		out_u64(o, verdict_names[v], run->totals[v]);
	out_u64(o, "expectation_failures", run->expect_failures);
	out_object_begin(o, "per_backend");
	for (bk = BK_IOMMUFD; bk < BK_COUNT; bk++) {
		if (!run->want[bk])
			continue;
		out_object_begin(o, backend_name(bk));
		for (v = 0; v <= V_SKIPPED; v++)
			out_u64(o, verdict_names[v], run->counts[bk][v]);
		out_object_end(o);
	}
	out_object_end(o);
	out_object_end(o);
}

static int cmd_run(int argc, char **argv)
{
	enum report_kind kind = REPORT_TEXT;
	const char *registry = REGISTRY_PATH, *html_path = NULL;
	char html_tmp[PATH_MAX] = "";
	struct trace_reader *r = NULL;
	FILE *html = NULL;
	struct trace_rec *rec = NULL;
	struct trace_run tr;
	struct out *o = NULL;
	struct run *run;
	int first, i, bk, rc, status = 0;
	bool mdev = false, any;
	char msg[256];

	run = calloc(1, sizeof(*run));
	if (!run)
		return EXIT_INTERNAL;
	first = parse_run_args(argc, argv, run, &kind, &registry, &html_path,
			       &mdev);
	if (first < 0) {
		usage(stderr);
		free(run);
		return EXIT_USAGE;
	}
	rc = registry_load(&run->reg, registry, msg, sizeof(msg));
	if (rc) {
		fprintf(stderr, "%s: registry: %s\n", prog, msg);
		free(run);
		return EXIT_INTERNAL;
	}
	if ((run->want[BK_TYPE1] || run->want[BK_IOMMUFD]) &&
	    replay_target_resolve(&run->target, mdev, msg, sizeof(msg))) {
		for (bk = BK_TYPE1; bk <= BK_IOMMUFD; bk++)
			snprintf(run->why[bk], sizeof(run->why[bk]), "%s", msg);
		if (kind != REPORT_TAP)
			fprintf(stderr, "%s: %s\n", prog, msg);
	}
	any = false;
	for (bk = 0; bk < BK_COUNT; bk++) {
		run->ran[bk] = run->want[bk] && !run->why[bk][0];
		any |= run->ran[bk];
	}
	r = malloc(sizeof(*r));
	rec = malloc(sizeof(*rec));
	if (kind == REPORT_JSON)
		o = out_new(OUT_JSON, 0, stdout);
	if (!r || !rec || (kind == REPORT_JSON && !o)) {
		status = EXIT_INTERNAL;
		goto out;
	}
	/* Written aside and renamed at the end: never a half page. */
	if (html_path) {
		snprintf(html_tmp, sizeof(html_tmp), "%s.tmp", html_path);
		html = fopen(html_tmp, "we");
		if (!html) {
			fprintf(stderr, "%s: %s: %s\n", prog, html_tmp,
				strerror(errno));
			html_tmp[0] = '\0';
			status = EXIT_INTERNAL;
			goto out;
		}
		html_begin(html);
	}
	if (o) {
		out_record_begin(o);
		json_head(o);
		out_array_begin(o, "traces");
	}
	for (i = first; i < argc; i++) {
		memset(&tr, 0, sizeof(tr));
		tr.path = argv[i];
		for (bk = 0; bk < BK_COUNT; bk++) {
			if (!run->want[bk])
				continue;
			rc = replay_trace(run, &tr, bk, !tr.rows && !tr.error,
					  r, rec);
			if (rc == -EINVAL)
				break;
			if (rc) {
				fprintf(stderr, "%s: %s: %s\n", prog, tr.path,
					strerror(-rc));
				trace_run_release(&tr);
				status = EXIT_INTERNAL;
				goto out;
			}
		}
		if (run->only && keep_only(&tr, run->only)) {
			fprintf(stderr, "%s: %s: no case \"%s\" (see list)\n",
				prog, tr.path, run->only);
			trace_run_release(&tr);
			status = EXIT_USAGE;
			goto out;
		}
		for (rc = 0; !tr.error && (unsigned int)rc < tr.nr; rc++)
			if (judge(run, &tr.rows[rc])) {
				trace_run_release(&tr);
				status = EXIT_INTERNAL;
				goto out;
			}
		if (tr.error) {
			run->totals[V_UNEXPECTED]++;
			if (kind != REPORT_TAP)
				fprintf(stderr, "%s: %s: %s\n", prog, tr.path,
					tr.error);
			tr.nr = 0;
		}
		if (kind == REPORT_TEXT)
			report_text(run, &tr);
		else if (kind == REPORT_TAP)
			report_tap(&tr);
		else
			report_json_trace(o, run, &tr);
		if (html)
			html_trace(html, run, &tr);
		trace_run_release(&tr);
	}
	if (kind == REPORT_TAP) {
		if (tap_n)
			printf("1..%lu\n", tap_n);
		else
			printf("1..0 # SKIP %s\n",
			       run->why[BK_TYPE1][0] ?
				       run->why[BK_TYPE1] :
				       run->why[BK_IOMMUFD_NODEV]);
	} else if (kind == REPORT_TEXT) {
		for (bk = 0; bk < BK_COUNT; bk++)
			if (run->want[bk] && run->why[bk][0])
				printf("%s: not run: %s\n", backend_name(bk),
				       run->why[bk]);
		printf("%lu match, %lu known divergences, %lu unexpected divergences, %lu skipped\n",
		       run->totals[V_MATCH], run->totals[V_KNOWN],
		       run->totals[V_UNEXPECTED], run->totals[V_SKIPPED]);
	} else {
		out_array_end(o);
		json_backends(o, run);
		json_summary(o, run);
		if (out_record_end(o) || out_finish(o))
			status = EXIT_INTERNAL;
	}
	if (html) {
		rc = html_end(html, run);
		html = NULL;
		if (rc || rename(html_tmp, html_path)) {
			fprintf(stderr, "%s: %s: %s\n", prog, html_path,
				strerror(rc ? -rc : errno));
			status = EXIT_INTERNAL;
		} else {
			html_tmp[0] = '\0';
		}
	}
	any = false;
	for (bk = 0; bk < BK_COUNT; bk++)
		any |= run->ran[bk] && !run->why[bk][0];
	if (!status && run->totals[V_UNEXPECTED])
		status = EXIT_PARITY;
	if (!status && !any && kind != REPORT_TAP)
		status = EXIT_UNSUPPORTED;
out:
	if (html)
		fclose(html);
	if (html_tmp[0])
		unlink(html_tmp);
	out_free(o);
	registry_release(&run->reg);
	free(run);
	free(r);
	free(rec);
	if (fflush(stdout) || ferror(stdout))
		return EXIT_INTERNAL;
	return status;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "validate"))
		return cmd_validate(argc - 1, argv + 1);
	if (!strcmp(argv[1], "list"))
		return cmd_list(argc - 1, argv + 1);
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(argv[1], "diff"))
		return cmd_diff(argc - 1, argv + 1);
	if (!strcmp(argv[1], "record"))
		return cmd_record(argc - 1, argv + 1);
	fprintf(stderr, "%s: unknown command \"%s\"\n", prog, argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
