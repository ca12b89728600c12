// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The replay loop: a trace read once (trace-model.c), replayed on each
 * backend in turn, each op's row filled with every backend's result and
 * conditions, then judged against the registry (judge.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "names.h"
#include "run.h"

/* The errno that decides what an op did to the model's state. */
static int effective_err(const struct trace_opdesc *d,
			 const struct op_result *res)
{
	const struct field *status;

	if (res->err || d->op != OP_PIN)
		return res->err;
	/* A pin's ioctl succeeds; whether pages were pinned is its status. */
	status = field_find(&res->fields, "status");
	return status && status->kind == FIELD_ERRNO && !status->err ? 0 : EIO;
}

static void row_begin(struct op_row *row, unsigned int line,
		      const struct trace_opdesc *d)
{
	const char *n;
	int bk;

	memset(row, 0, sizeof(*row));
	row->line = line;
	row->op = d->op;
	row->has_argsz = d->has_argsz;
	row->argsz = d->argsz;
	row->has_expect = trace_expect_any(&d->expect);
	if (d->op == OP_IOCTL) {
		n = d->fd == TRACE_FD_DEVICE ? vfio_device_ioctl_name(d->request) :
					       iommu_ioctl_name(d->request);
		snprintf(row->ioctl, sizeof(row->ioctl), "%s", n ? n : "");
	}
	if (d->id[0])
		snprintf(row->id, sizeof(row->id), "%s", d->id);
	else
		snprintf(row->id, sizeof(row->id), "line-%u-%s", line,
			 trace_op_name(d->op));
	for (bk = 0; bk < BK_COUNT; bk++) {
		row->res[bk].skipped = true;
		row->res[bk].skip_reason = "backend not asked for";
	}
}

/*
 * Replay ops [0, nr) of the trace on backend bk, filling column bk of the
 * rows. Backends run one after the other, each from a fresh state: one
 * VFIO group can be in one container at a time. The ops run first, alone
 * (replay_prepare, replay_pass); then each op's conditions come from this
 * backend's model as it stood before the op, and what the op did moves
 * the model on: its errno, and the IOVA ranges GET_INFO reported after it.
 */
static int replay_backend(struct run *run, struct trace_run *tr,
			  enum backend bk, unsigned int nr,
			  struct trace_opdesc *d)
{
	const struct trace_model *m = &tr->model;
	uint64_t page_size = m->header.page_size ?
				     m->header.page_size :
				     (uint64_t)sysconf(_SC_PAGESIZE);
	struct replay_step *steps, *st;
	struct replay_prep *prep;
	const struct trace_buffer *buf;
	bool open_ok = false, msi_unisolated, unsafe_interrupts;
	struct op_row *row;
	struct replay rp;
	struct side sd;
	unsigned int i;
	char why[256];
	int rc = 0;

	steps = calloc(nr ? nr : 1, sizeof(*steps));
	prep = calloc(nr ? nr : 1, sizeof(*prep));
	if (!steps || !prep) {
		free(steps);
		free(prep);
		return -ENOMEM;
	}
	/* As the kernel stands before this backend's ops run. */
	msi_unisolated = replay_msi_unisolated(NULL);
	unsafe_interrupts = replay_unsafe_interrupts(
		NULL, bk == BK_TYPE1 ? "vfio_iommu_type1" : "iommufd");
	if (run->ran[bk] &&
	    !replay_boot_missing(NULL, m->header.boot, tr->skip_why,
				 sizeof(tr->skip_why))) {
		why[0] = '\0';
		open_ok = !replay_open(&rp, bk, &run->target, why, sizeof(why));
		if (!open_ok)
			snprintf(run->why[bk], sizeof(run->why[bk]), "%s", why);
	}
	if (open_ok) {
		for (i = 0; i < m->nr_buffers; i++)
			replay_buffer(&rp, i, &m->buffers[i]);
		replay_names(&rp, m->objects, m->nr_objects);
		replay_prepare(&rp, m, 0, nr, d, prep);
		rc = replay_pass(&rp, m, prep, 0, nr, d, steps);
		replay_close(&rp);
	}

	side_init(&sd, backend_desc(bk)->side, run->mdev);
	side_set_interrupts(&sd, msi_unisolated, unsafe_interrupts);
	for (i = 0; i < nr && !rc; i++) {
		row = &tr->rows[i];
		st = &steps[i];
		trace_model_op(m, i, d);
		buf = d->buffer >= 0 ? &m->buffers[d->buffer] : NULL;
		row->conds[bk] = side_conditions(&sd, d, buf, page_size);
		row->maps[bk] = side_fingerprint(&sd);
		if (!open_ok) {
			memset(&row->res[bk], 0, sizeof(row->res[bk]));
			row->res[bk].skipped = true;
			row->res[bk].skip_reason =
				tr->skip_why[0] ? tr->skip_why :
				run->why[bk][0] ? run->why[bk] :
						  "backend not run";
			continue;
		}
		/* The row owns the result (and its fields) from here. */
		row->res[bk] = st->res;
		memset(&st->res, 0, sizeof(st->res));
		if (!row->res[bk].skipped)
			rc = side_update(&sd, d, buf, page_size,
					 effective_err(d, &row->res[bk]));
		if (!rc && st->asked)
			rc = side_set_valid(&sd, st->valid, st->nr_valid);
	}
	side_release(&sd);
	for (i = 0; i < nr; i++)
		replay_step_release(&steps[i]);
	free(steps);
	free(prep);
	return rc;
}

static int judge_row(struct run *run, struct op_row *row)
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
		jr[bk].fields = &row->res[bk].fields;
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
			report_pair_conds(row, bk, &q.type1_conds,
					  &q.other_conds);
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

static void release_row(struct op_row *row)
{
	int bk;

	for (bk = 0; bk < BK_COUNT; bk++)
		op_result_release(&row->res[bk]);
	free(row->div);
}

void trace_run_release(struct trace_run *tr)
{
	unsigned int i;

	for (i = 0; i < tr->nr; i++)
		release_row(&tr->rows[i]);
	free(tr->rows);
	tr->rows = NULL;
	tr->nr = 0;
	free(tr->error);
	tr->error = NULL;
	trace_model_release(&tr->model);
}

/* The file name part of a path; the path itself when it ends in '/'. */
static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash && slash[1] ? slash + 1 : path;
}

static int invalid(struct run *run, struct trace_run *tr, const char *why)
{
	tr->error = strdup(why);
	if (!tr->error)
		return -ENOMEM;
	run->invalid++;
	return 0;
}

/*
 * --case: keep the wanted row only; the ops after it cannot change its
 * result, so the replay stopped there.
 */
static void keep_last(struct trace_run *tr)
{
	unsigned int i;

	for (i = 0; i + 1 < tr->nr; i++)
		release_row(&tr->rows[i]);
	if (tr->nr > 1)
		tr->rows[0] = tr->rows[tr->nr - 1];
	tr->nr = 1;
}

int run_trace(struct run *run, struct trace_run *tr, const char *path)
{
	struct trace_opdesc *d;
	unsigned int i, nr;
	int bk, rc;

	memset(tr, 0, sizeof(*tr));
	tr->path = path;
	tr->base = base_name(path);
	rc = trace_model_load(&tr->model, path);
	if (rc == -ENOMEM)
		return rc;
	if (rc)
		return invalid(run, tr, tr->model.error);
	d = malloc(sizeof(*d));
	tr->rows = calloc(tr->model.nr_ops ? tr->model.nr_ops : 1,
			  sizeof(*tr->rows));
	if (!d || !tr->rows) {
		rc = -ENOMEM;
		goto out;
	}
	for (i = 0; i < tr->model.nr_ops; i++) {
		trace_model_op(&tr->model, i, d);
		row_begin(&tr->rows[i], tr->model.ops[i].line, d);
	}
	tr->nr = tr->model.nr_ops;
	nr = tr->nr;
	if (run->only) {
		for (nr = 0; nr < tr->nr && strcmp(tr->rows[nr].id, run->only);
		     nr++)
			;
		if (nr == tr->nr) {
			rc = -ENOENT;
			goto out;
		}
		nr++;
	}
	for (bk = 0, rc = 0; bk < BK_COUNT && !rc; bk++)
		if (run->want[bk])
			rc = replay_backend(run, tr, bk, nr, d);
	if (rc)
		goto out;
	tr->nr = nr;
	if (run->only)
		keep_last(tr);
	for (i = 0; i < tr->nr && !rc; i++)
		rc = judge_row(run, &tr->rows[i]);
out:
	free(d);
	return rc;
}
