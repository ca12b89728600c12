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
#include "exitcodes.h"
#include "names.h"
#include "out.h"
#include "record.h"
#include "registry.h"
#include "judge.h"
#include "replay.h"
#include "situation.h"
#include "trace.h"

#define EXIT_PARITY IOMMUCTL_EXIT_FAILED
#define EXIT_INTERNAL IOMMUCTL_EXIT_INTERNAL
#define EXIT_USAGE IOMMUCTL_EXIT_USAGE
#define EXIT_UNSUPPORTED IOMMUCTL_EXIT_UNSUPPORTED

static const char *prog = "iommuctl-conformance";

static void usage(FILE *f);

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
	uint64_t page_size = (uint64_t)sysconf(_SC_PAGESIZE);
	const struct trace_buffer *buf;
	struct out *o = NULL;
	char what[192], conds[512];
	struct side sd;
	FILE *f = NULL;
	int err;

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
	side_init(&sd, SIDE_TYPE1, false);
	r = malloc(sizeof(*r));
	rec = malloc(sizeof(*rec));
	o = out_new(fmt, OUT_LIST, stdout);
	if (!r || !rec || !o) {
		status = EXIT_INTERNAL;
		goto out;
	}
	/*
	 * Without a replay the conditions come from a type1 container that
	 * did what the trace recorded (or expects): ops succeed otherwise.
	 */
	trace_reader_init(r, f);
	while ((rc = trace_read(r, rec)) > 0) {
		if (rec->kind == TRACE_HEADER && rec->header.page_size)
			page_size = rec->header.page_size;
		if (rec->kind != TRACE_OP)
			continue;
		buf = rec->op.buffer >= 0 ? &r->buffers[rec->op.buffer] : NULL;
		cond_format(conds, sizeof(conds),
			    side_conditions(&sd, &rec->op, buf, page_size));
		err = rec->op.has_recorded  ? rec->op.recorded.err :
		      rec->op.expect.has_errno ? rec->op.expect.err :
						 0;
		if (side_update(&sd, &rec->op, buf, page_size, err)) {
			status = EXIT_INTERNAL;
			goto out;
		}
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
		out_str(o, "conditions", conds);
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
	side_release(&sd);
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

struct op_row {
	unsigned int line;
	enum trace_op op;
	char ioctl[48]; /* a raw ioctl's name, "" otherwise */
	char name[TRACE_NAME_LEN + 32]; /* TRACE-BASENAME:ID */
	struct op_result res[BK_COUNT];
	/* Each backend's conditions before the op, then with its result. */
	cond_set conds[BK_COUNT];
	uint64_t maps[BK_COUNT]; /* fingerprint of its mappings before the op */
	bool has_argsz;
	uint32_t argsz;
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
	bool mdev;
	char why[BK_COUNT][256];
	char kernel[128];
	struct replay_target target;
	struct registry reg;
	unsigned long counts[BK_COUNT][V_SKIPPED + 1];
	unsigned long totals[V_SKIPPED + 1];
	unsigned long expect_failures;
	unsigned long ambiguous;
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

/* The errno that decides what an op did to the model's state. */
static int effective_err(const struct trace_opdesc *d,
			 const struct op_result *res)
{
	char v[96];

	if (res->err || d->op != OP_PIN)
		return res->err;
	/* A pin's ioctl succeeds; whether pages were pinned is its status. */
	judge_field(res->fields, "status", v, sizeof(v));
	return strcmp(v, "0") ? EIO : 0;
}

static void row_begin(struct op_row *row, const struct trace_run *tr,
		      const struct trace_rec *rec)
{
	const char *n;

	memset(row, 0, sizeof(*row));
	row->line = rec->line;
	row->op = rec->op.op;
	row->has_argsz = rec->op.has_argsz;
	row->argsz = rec->op.argsz;
	row->has_expect = rec->op.expect.has_errno ||
			  rec->op.expect.has_unmapped ||
			  rec->op.expect.has_value;
	if (rec->op.op == OP_IOCTL) {
		n = rec->op.fd == TRACE_FD_DEVICE ?
			    vfio_device_ioctl_name(rec->op.request) :
			    iommu_ioctl_name(rec->op.request);
		snprintf(row->ioctl, sizeof(row->ioctl), "%s", n ? n : "");
	}
	if (rec->op.id[0])
		snprintf(row->name, sizeof(row->name), "%s:%s",
			 basename((char *)tr->path), rec->op.id);
	else
		snprintf(row->name, sizeof(row->name), "%s:line-%u-%s",
			 basename((char *)tr->path), rec->line,
			 trace_op_name(rec->op.op));
}

/*
 * Replay one trace on one backend, filling column bk of the rows (the
 * first pass makes them). Backends run one after the other, each from a
 * fresh state: one VFIO group can be in one container at a time. Each
 * op's conditions come from this backend's model before it runs.
 */
static int replay_trace(struct run *run, struct trace_run *tr, enum backend bk,
			bool first, struct trace_reader *r,
			struct trace_rec *rec)
{
	uint64_t page_size = (uint64_t)sysconf(_SC_PAGESIZE);
	const struct trace_buffer *buf;
	unsigned int i = 0, nbuf = 0;
	bool open_ok = false;
	struct op_row *row;
	struct replay rp;
	struct side sd;
	char why[256];
	int rc;
	FILE *f;

	f = fopen(tr->path, "re");
	if (!f)
		return -errno;
	side_init(&sd, backend_desc(bk)->side, run->mdev);
	if (run->ran[bk]) {
		why[0] = '\0';
		open_ok = !replay_open(&rp, bk, &run->target, why, sizeof(why));
		if (!open_ok)
			snprintf(run->why[bk], sizeof(run->why[bk]), "%s", why);
	}
	trace_reader_init(r, f);
	while ((rc = trace_read(r, rec)) > 0) {
		if (rec->kind == TRACE_HEADER && rec->header.page_size)
			page_size = rec->header.page_size;
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
			row_begin(&tr->rows[tr->nr++], tr, rec);
			for (rc = 0; rc < BK_COUNT; rc++) {
				tr->rows[tr->nr - 1].res[rc].skipped = true;
				tr->rows[tr->nr - 1].res[rc].skip_reason =
					"backend not asked for";
			}
			rc = 0;
		}
		if (i >= tr->nr) {
			rc = -EINVAL;
			break;
		}
		row = &tr->rows[i++];
		buf = rec->op.buffer >= 0 ? &r->buffers[rec->op.buffer] : NULL;
		row->conds[bk] = side_conditions(&sd, &rec->op, buf, page_size);
		row->maps[bk] = side_fingerprint(&sd);
		memset(&row->res[bk], 0, sizeof(row->res[bk]));
		if (!open_ok) {
			row->res[bk].skipped = true;
			row->res[bk].skip_reason = run->why[bk][0] ?
							   run->why[bk] :
							   "backend not run";
		} else {
			replay_op(&rp, &rec->op, &row->res[bk]);
			rc = 0;
			if (!row->res[bk].skipped)
				rc = side_update(&sd, &rec->op, buf, page_size,
						 effective_err(&rec->op,
							       &row->res[bk]));
			if (rc)
				break;
		}
		/* The ops after the wanted case cannot change its result. */
		if (run->only && !strcmp(strchr(row->name, ':') + 1, run->only))
			break;
	}
	if (open_ok)
		replay_close(&rp);
	side_release(&sd);
	fclose(f);
	if (rc > 0) /* stopped after --case */
		rc = 0;
	if (rc < 0 && rc != -ENOMEM) {
		tr->error = strdup(r->error[0] ? r->error : "the trace changed while it was read");
		return tr->error ? -EINVAL : -ENOMEM;
	}
	return rc;
}

/* The two condition sets a divergence on backend bk is judged with. */
static void pair_conds(const struct op_row *row, int bk, cond_set *type1,
		       cond_set *other)
{
	cond_set differ = row->maps[bk] != row->maps[BK_TYPE1] ?
				  COND_BIT(C_MAPPINGS_DIFFER) :
				  0;

	*type1 = row->conds[BK_TYPE1] | differ;
	*other = row->conds[bk] | differ;
}

/* "a type1.b other.c": both sides' conditions, side-marked where they differ. */
static void pair_format(char *buf, size_t len, const struct op_row *row, int bk)
{
	cond_set t1, ot;
	size_t n = 0;
	int c;

	pair_conds(row, bk, &t1, &ot);
	buf[0] = '\0';
	for (c = 0; c < C_COUNT && n < len; c++) {
		if (!((t1 | ot) & COND_BIT(c)))
			continue;
		n += (size_t)snprintf(buf + n, len - n, "%s%s%s",
				      n ? " " : "",
				      !(ot & COND_BIT(c)) ? "type1." :
				      !(t1 & COND_BIT(c)) ? "other." :
							    "",
				      cond_name(c));
	}
}

static int judge(struct run *run, struct op_row *row)
{
	enum verdict v, worst = V_MATCH;
	bool compared = false, expected = false;
	struct registry_query q = { 0 };
	struct judge_result jr[BK_COUNT];
	unsigned int i, before;
	int bk, rc;

	for (bk = 0; bk < BK_COUNT; bk++) {
		op_result_finish(&row->res[bk]);
		jr[bk].err = row->res[bk].err;
		jr[bk].fields = row->res[bk].fields;
		/* Conditions that follow from what the op did there. */
		if (!row->res[bk].skipped)
			row->conds[bk] |= judge_result_conds(
				row->op, row->has_argsz, row->argsz, &jr[bk]);
	}
	for (bk = 0; bk < BK_COUNT; bk++) {
		if (!run->want[bk] || row->res[bk].skipped)
			continue;
		expected |= row->has_expect;
		if (row->res[bk].expect_failed) {
			worst = V_UNEXPECTED;
			run->expect_failures++;
		}
	}
	q.op = trace_op_name(row->op);
	q.ioctl = row->ioctl[0] ? row->ioctl : NULL;
	q.kernel = run->kernel;
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
			q.backend = backend_name(bk);
			pair_conds(row, bk, &q.type1_conds, &q.other_conds);
			rc = judge_compare(&run->reg, &q, &jr[BK_TYPE1],
					   &jr[bk], bk, &row->div,
					   &row->nr_div);
			if (rc)
				return rc;
			v = V_MATCH;
			for (i = before; i < row->nr_div; i++) {
				if (row->div[i].nr_known > 1)
					run->ambiguous++;
				if (!row->div[i].nr_known)
					v = V_UNEXPECTED;
				else if (v == V_MATCH)
					v = V_KNOWN;
			}
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
		snprintf(buf, len, "%s!", errno_str(res->err));
	else
		snprintf(buf, len, "%s",
			 res->err ? errno_str(res->err) : "ok");
}

/* "6.2..6.13" or "6.2.." (still holds). */
static void kernel_range(char *buf, size_t len, const struct registry_entry *e)
{
	snprintf(buf, len, "%s..%s", e->since, e->until ? e->until : "");
}

static void text_divergence(FILE *f, const struct op_row *row,
			    const struct divergence *d)
{
	const struct registry_entry *k = d->known[0];
	const char *bk = backend_name(d->bk);
	char when[512], range[64];
	unsigned int i;

	pair_format(when, sizeof(when), row, d->bk);
	fprintf(f, "      %s %s: type1 %s, %s %s", bk, d->field, d->type1, bk,
	       d->other);
	if (!k) {
		fprintf(f, " - UNEXPECTED\n        conditions: %s\n", when);
		return;
	}
	fprintf(f, " - known: %s", k->name);
	for (i = 1; i < d->nr_known && i < JUDGE_MAX_MATCHES; i++)
		fprintf(f, ", AMBIGUOUS with %s", d->known[i]->name);
	kernel_range(range, sizeof(range), k);
	fprintf(f, "\n        conditions: %s\n        why: %s\n"
	       "        type1: %s\n        %s: %s\n"
	       "        kernels: %s (observed on %s)\n",
	       when, k->why, k->type1_function, bk, k->other_function, range,
	       k->observed);
}

static void report_text(FILE *f, struct run *run, struct trace_run *tr)
{
	char c[BK_COUNT][24], when[512];
	struct op_row *row;
	unsigned int i, j;
	int bk;

	fprintf(f, "%s\n", tr->path);
	fprintf(f, "  %-34s %-16s", "case", "op");
	for (bk = 0; bk < BK_COUNT; bk++)
		if (run->want[bk])
			fprintf(f, " %-14s", backend_name(bk));
	fprintf(f, " verdict\n");
	for (i = 0; i < tr->nr; i++) {
		row = &tr->rows[i];
		for (bk = 0; bk < BK_COUNT; bk++)
			cell(c[bk], sizeof(c[bk]), &row->res[bk]);
		fprintf(f, "  %-34s %-16s", strchr(row->name, ':') + 1,
		       trace_op_name(row->op));
		for (bk = 0; bk < BK_COUNT; bk++)
			if (run->want[bk])
				fprintf(f, " %-14s", c[bk]);
		fprintf(f, " %s\n", verdict_names[row->verdict]);
		for (bk = BK_IOMMUFD; bk < BK_COUNT; bk++) {
			if (!run->want[bk])
				continue;
			pair_format(when, sizeof(when), row, bk);
			fprintf(f, "      when (type1, %s): %s\n", backend_name(bk),
			       when[0] ? when : "-");
		}
		for (j = 0; j < row->nr_div; j++)
			text_divergence(f, row, &row->div[j]);
		for (bk = 0; bk < BK_COUNT; bk++)
			if (run->want[bk] && row->res[bk].expect_failed)
				fprintf(f, "      %s: expectation on %s not met\n",
				       backend_name(bk),
				       row->res[bk].expect_failed);
	}
}

/* A condition set as an array of names. */
static void json_conds(struct out *o, const char *key, cond_set set)
{
	int c;

	out_array_begin(o, key);
	for (c = 0; c < C_COUNT; c++)
		if (set & COND_BIT(c))
			out_str(o, NULL, cond_name(c));
	out_array_end(o);
}

static void json_divergence(struct out *o, const struct op_row *row,
			    const struct divergence *d)
{
	const struct registry_entry *k = d->known[0];
	char when[512];
	unsigned int i;

	pair_format(when, sizeof(when), row, d->bk);
	out_object_begin(o, NULL);
	out_str(o, "backend", backend_name(d->bk));
	out_str(o, "field", d->field);
	out_str(o, "type1", d->type1);
	out_str(o, "other", d->other);
	out_str(o, "conditions", when);
	out_str(o, "class", k ? "known" : "unexpected");
	out_str(o, "registry", k ? k->name : NULL);
	out_array_begin(o, "also_matched");
	for (i = 1; i < d->nr_known && i < JUDGE_MAX_MATCHES; i++)
		out_str(o, NULL, d->known[i]->name);
	out_array_end(o);
	out_str(o, "when", k ? k->when : NULL);
	out_str(o, "type1_function", k ? k->type1_function : NULL);
	out_str(o, "other_function", k ? k->other_function : NULL);
	out_str(o, "since", k ? k->since : NULL);
	out_str(o, "until", k ? k->until : NULL);
	out_str(o, "observed", k ? k->observed : NULL);
	out_str(o, "why", k ? k->why : NULL);
	out_object_end(o);
}

static void report_json_trace(struct out *o, struct run *run,
			      struct trace_run *tr)
{
	struct op_row *row;
	unsigned int i, j;
	cond_set t1, ot;
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
		out_str(o, "ioctl", row->ioctl[0] ? row->ioctl : NULL);
		out_str(o, "verdict", verdict_names[row->verdict]);
		out_str(o, "skip_reason",
			row->verdict == V_SKIPPED ? row->skip_reason : NULL);
		out_object_begin(o, "results");
		for (bk = 0; bk < BK_COUNT; bk++) {
			if (!run->want[bk])
				continue;
			pair_conds(row, bk, &t1, &ot);
			out_object_begin(o, backend_name(bk));
			out_bool(o, "skipped", row->res[bk].skipped);
			out_str(o, "skip_reason", row->res[bk].skip_reason);
			if (row->res[bk].skipped)
				out_null(o, "errno");
			else
				out_str(o, "errno",
					errno_str(row->res[bk].err));
			out_str(o, "fields",
				row->res[bk].fields ? row->res[bk].fields : "");
			out_str(o, "expect_failed", row->res[bk].expect_failed);
			json_conds(o, "conditions", ot);
			out_object_end(o);
		}
		out_object_end(o);
		out_array_begin(o, "divergences");
		for (j = 0; j < row->nr_div; j++)
			json_divergence(o, row, &row->div[j]);
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
	      "hover over a matrix cell for the fields and the evidence.</p>\n",
	      f);
}

static void html_cell(FILE *f, const struct op_row *row, enum backend bk)
{
	const struct op_result *res = &row->res[bk];
	const struct divergence *d;
	char c[24], when[512], range[64];
	unsigned int j;

	fprintf(f, "<td class=\"%s\" title=\"",
		verdict_css[row->bk_verdict[bk]]);
	if (res->skipped)
		html_text(f, res->skip_reason);
	else
		html_text(f, res->fields ? res->fields : "");
	for (j = 0; j < row->nr_div; j++) {
		d = &row->div[j];
		if (d->bk != (int)bk)
			continue;
		fprintf(f, "&#10;%s: type1 ", d->field);
		html_text(f, d->type1);
		fputs(", here ", f);
		html_text(f, d->other);
		if (d->known[0]) {
			pair_format(when, sizeof(when), row, bk);
			kernel_range(range, sizeof(range), d->known[0]);
			fputs(" - known: ", f);
			html_text(f, d->known[0]->name);
			fputs("&#10;  conditions: ", f);
			html_text(f, when);
			fputs("&#10;  why: ", f);
			html_text(f, d->known[0]->why);
			fputs("&#10;  type1: ", f);
			html_text(f, d->known[0]->type1_function);
			fputs("&#10;  here: ", f);
			html_text(f, d->known[0]->other_function);
			fputs("&#10;  kernels: ", f);
			html_text(f, range);
		} else {
			fputs(" - UNEXPECTED", f);
		}
	}
	if (res->expect_failed)
		fprintf(f, "&#10;expectation on %s not met",
			res->expect_failed);
	cell(c, sizeof(c), res);
	fprintf(f, "\">%s</td>", c);
}

static void html_trace(FILE *f, struct run *run, struct trace_run *tr,
		       size_t strip)
{
	char when[512];
	struct op_row *row;
	unsigned int i;
	int bk;

	fprintf(f, "<h2 id=\"t-%s\">", tr->path + strip);
	html_text(f, tr->path + strip);
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
	fputs("<th>conditions (type1 against each backend)</th></tr>\n", f);
	for (i = 0; i < tr->nr; i++) {
		row = &tr->rows[i];
		fputs("<tr><td>", f);
		html_text(f, strchr(row->name, ':') + 1);
		fprintf(f, "</td><td>%s</td>", trace_op_name(row->op));
		for (bk = 0; bk < BK_COUNT; bk++)
			if (run->want[bk])
				html_cell(f, row, bk);
		fputs("<td>", f);
		for (bk = BK_IOMMUFD; bk < BK_COUNT; bk++) {
			if (!run->want[bk])
				continue;
			pair_format(when, sizeof(when), row, bk);
			fprintf(f, "%s: ", backend_name(bk));
			html_text(f, when[0] ? when : "-");
			fputs("<br>", f);
		}
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
}

/* Length of the directory part the trace paths share, to show them short. */
static size_t common_dir(struct trace_run *trs, unsigned int nr)
{
	size_t n, k;
	unsigned int i;

	if (!nr)
		return 0;
	n = strlen(trs[0].path);
	for (i = 1; i < nr; i++) {
		for (k = 0; k < n && trs[i].path[k] == trs[0].path[k]; k++)
			;
		n = k;
	}
	while (n && trs[0].path[n - 1] != '/')
		n--;
	return n;
}

/* What a migrating user reads first: each trace's verdicts. */
static void html_summary(FILE *f, struct trace_run *trs, unsigned int nr,
			 size_t strip)
{
	unsigned long c[V_SKIPPED + 1];
	unsigned int i, j;

	fputs("<h2>Verdicts per trace</h2>\n<table><tr><th>trace</th>"
	      "<th>match</th><th>known divergence</th>"
	      "<th>unexpected divergence</th><th>skipped</th></tr>\n",
	      f);
	for (i = 0; i < nr; i++) {
		memset(c, 0, sizeof(c));
		for (j = 0; j < trs[i].nr; j++)
			c[trs[i].rows[j].verdict]++;
		if (trs[i].error)
			c[V_UNEXPECTED]++;
		fprintf(f, "<tr class=\"t\"><td><a href=\"#t-%s\">",
			trs[i].path + strip);
		html_text(f, trs[i].path + strip);
		fprintf(f,
			"</a></td><td class=\"m\">%lu</td><td class=\"k\">%lu</td>"
			"<td class=\"%s\">%lu</td><td class=\"s\">%lu</td></tr>\n",
			c[V_MATCH], c[V_KNOWN], c[V_UNEXPECTED] ? "u" : "m",
			c[V_UNEXPECTED], c[V_SKIPPED]);
	}
	fputs("</table>\n", f);
}

/* One cause: every divergence whose first entry is e (NULL: unexpected). */
static void html_cause(FILE *f, const struct registry_entry *e,
		       struct trace_run *trs, unsigned int nr, size_t strip)
{
	const struct divergence *d;
	const struct op_row *row;
	char when[512], range[64];
	unsigned int i, j, k;

	fputs("<tr><td colspan=\"6\" class=\"cause\">", f);
	if (e) {
		kernel_range(range, sizeof(range), e);
		fputs("<b>", f);
		html_text(f, e->name);
		fputs("</b>: ", f);
		html_text(f, e->why);
		fputs("<br>type1: <code>", f);
		html_text(f, e->type1_function);
		fputs("</code>; iommufd: <code>", f);
		html_text(f, e->other_function);
		fputs("</code>; kernels ", f);
		html_text(f, range);
		fputs(" (observed on ", f);
		html_text(f, e->observed);
		fputs(")", f);
	} else {
		fputs("<b>UNEXPECTED</b>: in no registry entry", f);
	}
	fputs("</td></tr>\n", f);
	for (i = 0; i < nr; i++) {
		for (j = 0; j < trs[i].nr; j++) {
			row = &trs[i].rows[j];
			for (k = 0; k < row->nr_div; k++) {
				d = &row->div[k];
				if (d->known[0] != e)
					continue;
				pair_format(when, sizeof(when), row, d->bk);
				fputs("<tr class=\"d\"><td>", f);
				html_text(f, strchr(row->name, ':') + 1);
				fprintf(f, " (%s)</td><td>%s</td><td>",
					trs[i].path + strip,
					backend_name(d->bk));
				html_text(f, d->field);
				fputs("</td><td>", f);
				html_text(f, d->type1);
				fputs("</td><td>", f);
				html_text(f, d->other);
				fputs("</td><td>", f);
				html_text(f, when);
				fputs("</td></tr>\n", f);
			}
		}
	}
}

/* The divergences grouped by cause, unexpected ones first. */
static void html_by_cause(FILE *f, struct run *run, struct trace_run *trs,
			  unsigned int nr, size_t strip)
{
	unsigned int i;

	fputs("<h2>Divergences by cause</h2>\n"
	      "<table class=\"divergences\"><tr><th>op</th><th>backend</th>"
	      "<th>field</th><th>type1</th><th>backend's</th>"
	      "<th>conditions that held</th></tr>\n",
	      f);
	if (run->totals[V_UNEXPECTED])
		html_cause(f, NULL, trs, nr, strip);
	for (i = 0; i < run->reg.nr; i++)
		if (run->reg.entries[i].hits)
			html_cause(f, &run->reg.entries[i], trs, nr, strip);
	fputs("</table>\n<h2>Every op</h2>\n", f);
}

/* The backends last: one can fail to open on the first trace. */
static void html_end(FILE *f, struct run *run)
{
	int bk;

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
}

/* TAP numbers tests across the traces of one report. */
static unsigned long tap_n;

static void report_tap(FILE *f, struct trace_run *tr)
{
	struct op_row *row;
	unsigned int i, j;

	if (tr->error)
		fprintf(f, "not ok %lu - %s # %s\n", ++tap_n,
		       basename((char *)tr->path), tr->error);
	for (i = 0; i < tr->nr; i++) {
		row = &tr->rows[i];
		fprintf(f, "%s %lu - %s",
		       row->verdict == V_UNEXPECTED ? "not ok" : "ok", ++tap_n,
		       row->name);
		if (row->verdict == V_SKIPPED)
			fprintf(f, " # SKIP %s", row->skip_reason);
		fprintf(f, "\n");
		for (j = 0; j < row->nr_div; j++)
			fprintf(f, "# %s %s: type1 %s, other %s (%s)\n",
			       backend_name(row->div[j].bk), row->div[j].field,
			       row->div[j].type1, row->div[j].other,
			       row->div[j].known[0] ?
				       row->div[j].known[0]->name :
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
	REPORT_HTML,
};

static const char *const report_kinds[] = {
	[REPORT_TEXT] = "text",
	[REPORT_JSON] = "json",
	[REPORT_TAP] = "tap",
	[REPORT_HTML] = "html",
};

/* One rendering of the report: a format and a file ("-": stdout). */
struct output {
	enum report_kind kind;
	const char *path;
	FILE *f; /* the file's temporary copy, open for the run */
	char tmp[PATH_MAX];
};

#define MAX_OUTPUTS 8

struct outputs {
	unsigned int nr;
	struct output o[MAX_OUTPUTS];
};

static int add_output(struct outputs *outs, enum report_kind kind,
		      const char *path)
{
	if (outs->nr == MAX_OUTPUTS) {
		fprintf(stderr, "%s: run: at most %d outputs\n", prog,
			MAX_OUTPUTS);
		return -EINVAL;
	}
	outs->o[outs->nr].kind = kind;
	outs->o[outs->nr++].path = path;
	return 0;
}

/* -o FORMAT:FILE */
static int parse_output(struct outputs *outs, const char *arg)
{
	const char *colon = strchr(arg, ':');
	unsigned int k;

	for (k = 0; colon && colon[1] && k < sizeof(report_kinds) /
						   sizeof(report_kinds[0]);
	     k++)
		if (strlen(report_kinds[k]) == (size_t)(colon - arg) &&
		    !strncmp(arg, report_kinds[k], (size_t)(colon - arg)))
			return add_output(outs, k, colon + 1);
	fprintf(stderr,
		"%s: -o %s: expected FORMAT:FILE, FORMAT text, json, tap or html, FILE - for standard output\n",
		prog, arg);
	return -EINVAL;
}

/* run's options; --list-opts reads them too. */
static const struct option run_options[] = {
	{ "backend", required_argument, NULL, 'b' },
	{ "group", required_argument, NULL, 'g' },
	{ "device", required_argument, NULL, 'd' },
	{ "mdev", required_argument, NULL, 'm' },
	{ "registry", required_argument, NULL, 'r' },
	{ "html", required_argument, NULL, 'H' },
	{ "tap", no_argument, NULL, 't' },
	{ "json", no_argument, NULL, 'j' },
	{ "case", required_argument, NULL, 'c' },
	{ "output", required_argument, NULL, 'o' },
	{ NULL, 0, NULL, 0 },
};

static int parse_run_args(int argc, char **argv, struct run *run,
			  struct outputs *outs, const char **registry,
			  bool *mdev)
{
	bool any = false;
	char *end;
	long g;
	int c, bk;

	run->target.group = -1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+jb:o:", run_options, NULL)) != -1) {
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
			if (add_output(outs, REPORT_HTML, optarg))
				return -EINVAL;
			break;
		case 't':
		case 'j':
			if (add_output(outs, c == 't' ? REPORT_TAP : REPORT_JSON,
				       "-"))
				return -EINVAL;
			break;
		case 'o':
			if (parse_output(outs, optarg))
				return -EINVAL;
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
	out_u32(o, "version", 2);
	out_str(o, "tool_version", PACKAGE_VERSION);
	out_str(o, "kernel", u.release);
	out_str(o, "host", u.nodename);
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
		out_u32(o, verdict_names[v], (uint32_t)run->totals[v]);
	out_u32(o, "expectation_failures", (uint32_t)run->expect_failures);
	out_u32(o, "ambiguous", (uint32_t)run->ambiguous);
	out_object_begin(o, "per_backend");
	for (bk = BK_IOMMUFD; bk < BK_COUNT; bk++) {
		if (!run->want[bk])
			continue;
		out_object_begin(o, backend_name(bk));
		for (v = 0; v <= V_SKIPPED; v++)
			out_u32(o, verdict_names[v],
				(uint32_t)run->counts[bk][v]);
		out_object_end(o);
	}
	out_object_end(o);
	out_object_end(o);
}

/* Which entries this run used: one that matched nothing may be stale. */
static void json_registry(struct out *o, struct run *run)
{
	unsigned int i;

	out_object_begin(o, "registry");
	out_array_begin(o, "entries");
	for (i = 0; i < run->reg.nr; i++) {
		out_object_begin(o, NULL);
		out_str(o, "name", run->reg.entries[i].name);
		out_u32(o, "hits", (uint32_t)run->reg.entries[i].hits);
		out_object_end(o);
	}
	out_array_end(o);
	out_array_begin(o, "unmatched");
	for (i = 0; i < run->reg.nr; i++)
		if (!run->reg.entries[i].hits)
			out_str(o, NULL, run->reg.entries[i].name);
	out_array_end(o);
	out_object_end(o);
}

static void text_registry(FILE *f, struct run *run)
{
	unsigned int i, n = 0;

	for (i = 0; i < run->reg.nr; i++)
		if (!run->reg.entries[i].hits)
			fprintf(f, "%s%s", n++ ? ", " : "registry entries that matched nothing: ",
			       run->reg.entries[i].name);
	if (n)
		fprintf(f, "\n");
	fprintf(f, "%lu divergences matched by more than one registry entry\n",
	       run->ambiguous);
}

/* The whole report in one format, from the model the replay filled. */
static int render(FILE *f, enum report_kind kind, struct run *run,
		  struct trace_run *trs, unsigned int nr)
{
	size_t strip = common_dir(trs, nr);
	struct out *o;
	unsigned int i;
	int bk, rc = 0;

	switch (kind) {
	case REPORT_TEXT:
		for (i = 0; i < nr; i++)
			report_text(f, run, &trs[i]);
		for (bk = 0; bk < BK_COUNT; bk++)
			if (run->want[bk] && run->why[bk][0])
				fprintf(f, "%s: not run: %s\n",
					backend_name(bk), run->why[bk]);
		text_registry(f, run);
		fprintf(f,
			"%lu match, %lu known divergences, %lu unexpected divergences, %lu skipped\n",
			run->totals[V_MATCH], run->totals[V_KNOWN],
			run->totals[V_UNEXPECTED], run->totals[V_SKIPPED]);
		break;
	case REPORT_TAP:
		tap_n = 0;
		for (i = 0; i < nr; i++)
			report_tap(f, &trs[i]);
		if (tap_n)
			fprintf(f, "1..%lu\n", tap_n);
		else
			fprintf(f, "1..0 # SKIP %s\n",
				run->why[BK_TYPE1][0] ?
					run->why[BK_TYPE1] :
					run->why[BK_IOMMUFD_NODEV]);
		break;
	case REPORT_JSON:
		o = out_new(OUT_JSON, 0, f);
		if (!o)
			return -ENOMEM;
		out_record_begin(o);
		json_head(o);
		out_array_begin(o, "traces");
		for (i = 0; i < nr; i++)
			report_json_trace(o, run, &trs[i]);
		out_array_end(o);
		json_backends(o, run);
		json_registry(o, run);
		json_summary(o, run);
		if (out_record_end(o) || out_finish(o))
			rc = -EIO;
		out_free(o);
		break;
	case REPORT_HTML:
		html_begin(f);
		html_summary(f, trs, nr, strip);
		html_by_cause(f, run, trs, nr, strip);
		for (i = 0; i < nr; i++)
			html_trace(f, run, &trs[i], strip);
		html_end(f, run);
		break;
	}
	return rc;
}

/*
 * A file is written aside and renamed when whole: never half a report.
 * Each is opened before the replay, so a path that cannot be written
 * fails the run before anything is printed.
 */
static int open_output(struct output *out)
{
	if (!strcmp(out->path, "-")) {
		out->f = stdout;
		return 0;
	}
	if ((size_t)snprintf(out->tmp, sizeof(out->tmp), "%s.tmp",
			     out->path) >= sizeof(out->tmp)) {
		fprintf(stderr, "%s: %s: %s\n", prog, out->path,
			strerror(ENAMETOOLONG));
		out->tmp[0] = '\0';
		return -ENAMETOOLONG;
	}
	out->f = fopen(out->tmp, "we");
	if (!out->f) {
		fprintf(stderr, "%s: %s: %s\n", prog, out->tmp,
			strerror(errno));
		out->tmp[0] = '\0';
		return -EIO;
	}
	return 0;
}

/* Close an output; keep it (rename into place) only when whole. */
static int close_output(struct output *out, bool keep)
{
	int rc = 0;

	if (!out->f || out->f == stdout)
		return 0;
	if (fflush(out->f) || ferror(out->f))
		rc = -EIO;
	if (fclose(out->f))
		rc = -EIO;
	out->f = NULL;
	if (keep && !rc && rename(out->tmp, out->path))
		rc = -errno;
	if (rc)
		fprintf(stderr, "%s: %s: %s\n", prog, out->path,
			strerror(-rc));
	if (!keep || rc)
		unlink(out->tmp);
	return rc;
}

/*
 * An error that stops the run: on stderr, and with JSON on standard
 * output also as the one document there, an error object as iommuctl
 * writes it (iommuctl(8), JSON OUTPUT).
 */
static int run_error(const struct outputs *outs, int status, const char *kind,
		     const char *message)
{
	struct out_error e = { .kind = kind, .command = "run",
			       .message = message };
	unsigned int i;
	struct out *o;

	fprintf(stderr, "%s: %s\n", prog, message);
	for (i = 0; i < outs->nr; i++) {
		if (outs->o[i].kind != REPORT_JSON || strcmp(outs->o[i].path, "-"))
			continue;
		o = out_new(OUT_JSON, 0, stdout);
		if (!o || out_error(o, &e) || out_finish(o))
			status = EXIT_INTERNAL;
		out_free(o);
		break;
	}
	return status;
}

static void release_traces(struct trace_run *trs, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		trace_run_release(&trs[i]);
	free(trs);
}

static int cmd_run(int argc, char **argv)
{
	const char *registry = REGISTRY_PATH;
	struct trace_reader *r = NULL;
	struct trace_rec *rec = NULL;
	struct trace_run *trs = NULL, *tr;
	struct outputs outs = { 0 };
	unsigned int nr = 0, i, j;
	int first, bk, rc, status = 0;
	bool mdev = false, any, quiet = false, any_group = false;
	char msg[256], what[PATH_MAX + 300];
	struct utsname u;
	struct run *run;

	run = calloc(1, sizeof(*run));
	if (!run)
		return EXIT_INTERNAL;
	first = parse_run_args(argc, argv, run, &outs, &registry, &mdev);
	if (first < 0) {
		usage(stderr);
		free(run);
		return EXIT_USAGE;
	}
	/* Without an output on standard output, the text report goes there. */
	for (i = 0; i < outs.nr && strcmp(outs.o[i].path, "-"); i++)
		;
	if (i == outs.nr)
		add_output(&outs, REPORT_TEXT, "-");
	/* TAP on standard output: diagnostics only as TAP comments. */
	for (i = 0; i < outs.nr; i++)
		quiet |= outs.o[i].kind == REPORT_TAP &&
			 !strcmp(outs.o[i].path, "-");
	rc = registry_load(&run->reg, registry, msg, sizeof(msg));
	if (rc) {
		snprintf(what, sizeof(what), "registry: %s", msg);
		free(run);
		return run_error(&outs, EXIT_INTERNAL, "internal", what);
	}
	for (i = 0; i < outs.nr; i++)
		if (open_output(&outs.o[i])) {
			status = EXIT_INTERNAL;
			goto out;
		}
	for (bk = 0; bk < BK_COUNT; bk++)
		any_group |= run->want[bk] && backend_desc(bk)->uses_group;
	if (any_group &&
	    replay_target_resolve(NULL, &run->target, mdev, msg,
				  sizeof(msg))) {
		for (bk = 0; bk < BK_COUNT; bk++)
			if (backend_desc(bk)->uses_group)
				snprintf(run->why[bk], sizeof(run->why[bk]),
					 "%s", msg);
		if (!quiet)
			fprintf(stderr, "%s: %s\n", prog, msg);
	}
	run->mdev = replay_target_emulated(&run->target);
	if (!uname(&u))
		snprintf(run->kernel, sizeof(run->kernel), "%s", u.release);
	for (bk = 0; bk < BK_COUNT; bk++)
		run->ran[bk] = run->want[bk] && !run->why[bk][0];
	r = malloc(sizeof(*r));
	rec = malloc(sizeof(*rec));
	trs = calloc((size_t)(argc - first), sizeof(*trs));
	if (!r || !rec || !trs) {
		status = EXIT_INTERNAL;
		goto out;
	}
	/* The replay fills the model, once; the renderers only read it. */
	for (nr = 0; nr < (unsigned int)(argc - first);) {
		tr = &trs[nr++];
		tr->path = argv[first + nr - 1];
		for (bk = 0, rc = 0; bk < BK_COUNT && !rc; bk++)
			if (run->want[bk])
				rc = replay_trace(run, tr, bk,
						  !tr->rows && !tr->error, r,
						  rec);
		if (rc && rc != -EINVAL) {
			snprintf(what, sizeof(what), "%s: %s", tr->path,
				 strerror(-rc));
			status = run_error(&outs, EXIT_INTERNAL, "internal",
					   what);
			goto out;
		}
		if (run->only && keep_only(tr, run->only)) {
			snprintf(what, sizeof(what),
				 "%s: no case \"%s\" (see list)", tr->path,
				 run->only);
			status = run_error(&outs, EXIT_USAGE, "usage", what);
			goto out;
		}
		for (j = 0; !tr->error && j < tr->nr; j++)
			if (judge(run, &tr->rows[j])) {
				status = EXIT_INTERNAL;
				goto out;
			}
		if (tr->error) {
			run->totals[V_UNEXPECTED]++;
			if (!quiet)
				fprintf(stderr, "%s: %s: %s\n", prog, tr->path,
					tr->error);
			tr->nr = 0;
		}
	}
	for (i = 0; i < outs.nr; i++)
		if (render(outs.o[i].f, outs.o[i].kind, run, trs, nr) ||
		    close_output(&outs.o[i], true))
			status = EXIT_INTERNAL;
	any = false;
	for (bk = 0; bk < BK_COUNT; bk++)
		any |= run->ran[bk] && !run->why[bk][0];
	if (!status && run->totals[V_UNEXPECTED])
		status = EXIT_PARITY;
	if (!status && !any && !quiet)
		status = EXIT_UNSUPPORTED;
out:
	for (i = 0; i < outs.nr; i++)
		close_output(&outs.o[i], false);
	if (trs)
		release_traces(trs, nr);
	registry_release(&run->reg);
	free(run);
	free(r);
	free(rec);
	if (fflush(stdout) || ferror(stdout))
		return EXIT_INTERNAL;
	return status;
}

static const struct option no_options[] = {
	{ NULL, 0, NULL, 0 },
};

/*
 * The commands: dispatch, usage, --list-cmds and --list-opts (which
 * bash completion reads) come from this table, so none can drift.
 */
static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *const *usage; /* the usage lines after the name */
	const struct option *options;
	const char *short_options; /* as getopt takes them */
} commands[] = {
	{ "validate", cmd_validate, (const char *const[]){ "TRACE...", NULL },
	  no_options, "" },
	{ "list", cmd_list, (const char *const[]){ "[-j] TRACE", NULL },
	  no_options, "j" },
	{ "run", cmd_run,
	  (const char *const[]){
		  "[-j|--tap] [--backend NAME]... [--group N|--device BDF|--mdev UUID]\n"
		  "              [--registry FILE] [--html FILE] [-o FORMAT:FILE]... TRACE...",
		  "[options] --case ID TRACE", NULL },
	  run_options, "jb:o:" },
	{ "diff", cmd_diff,
	  (const char *const[]){ "[-j] [--html FILE] REPORT REPORT [REPORT...]",
				 NULL },
	  diff_options, "jh" },
	{ "record", cmd_record,
	  (const char *const[]){
		  "[-o FILE] [--fork=stop|follow] -- PROGRAM [ARGS...]",
		  "--convert FILE.bin [-o FILE]", NULL },
	  record_options, "o:" },
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	const char *const *u;
	unsigned int i;
	bool first = true;

	for (i = 0; i < NR_COMMANDS; i++)
		for (u = commands[i].usage; *u; u++) {
			fprintf(f, "%s %s %s %s\n", first ? "usage:" : "      ",
				prog, commands[i].name, *u);
			first = false;
		}
	fprintf(f, "       %s --list-cmds | --list-opts COMMAND\n"
		   "See iommuctl-conformance(8).\n",
		prog);
}

static const struct command *command_lookup(const char *name)
{
	unsigned int i;

	for (i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/* One option a line: "-x" for each short one, "--name" for each long one. */
static int list_opts(const struct command *c)
{
	const struct option *o;
	const char *s;

	for (s = c->short_options; *s; s++)
		if (*s != ':')
			printf("-%c\n", *s);
	for (o = c->options; o->name; o++)
		if (strcmp(o->name, "help"))
			printf("--%s\n", o->name);
	return 0;
}

int main(int argc, char **argv)
{
	const struct command *c;
	unsigned int i;
	int status;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		status = 0;
	} else if (!strcmp(argv[1], "--list-cmds") && argc == 2) {
		for (i = 0; i < NR_COMMANDS; i++)
			printf("%s\n", commands[i].name);
		status = 0;
	} else if (!strcmp(argv[1], "--list-opts") && argc == 3 &&
		   (c = command_lookup(argv[2]))) {
		status = list_opts(c);
	} else if ((c = command_lookup(argv[1]))) {
		return c->fn(argc - 1, argv + 1);
	} else {
		fprintf(stderr, "%s: unknown %s \"%s\"\n", prog,
			argv[1][0] == '-' ? "option or use of it" : "command",
			argv[1]);
		usage(stderr);
		return EXIT_USAGE;
	}
	if (fflush(stdout) || ferror(stdout))
		return EXIT_INTERNAL;
	return status;
}
