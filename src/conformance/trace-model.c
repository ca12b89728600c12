// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "trace-model.h"

/*
 * A packed op: the descriptor up to its argument bytes, the nbytes used,
 * the recorded result up to its output bytes, the nout used. The byte
 * arrays are the descriptor's tail; the checks below keep it so.
 */
#define HEAD_LEN offsetof(struct trace_opdesc, bytes)
#define REC_HEAD_LEN offsetof(struct trace_recorded, out)

_Static_assert(offsetof(struct trace_opdesc, recorded) -
			       (HEAD_LEN + TRACE_MAX_BYTES) <
		       _Alignof(struct trace_recorded),
	       "struct trace_opdesc: bytes must come right before recorded");
_Static_assert(offsetof(struct trace_opdesc, recorded) +
			       sizeof(struct trace_recorded) ==
		       sizeof(struct trace_opdesc),
	       "struct trace_opdesc: recorded must be the last member");

static void *pack(const struct trace_opdesc *d)
{
	size_t nout = d->has_recorded ? d->recorded.nout : 0;
	uint8_t *p, *q;

	p = malloc(HEAD_LEN + d->nbytes + REC_HEAD_LEN + nout);
	if (!p)
		return NULL;
	q = p;
	memcpy(q, d, HEAD_LEN);
	q += HEAD_LEN;
	memcpy(q, d->bytes, d->nbytes);
	q += d->nbytes;
	memcpy(q, &d->recorded, REC_HEAD_LEN);
	q += REC_HEAD_LEN;
	memcpy(q, d->recorded.out, nout);
	return p;
}

void trace_model_op(const struct trace_model *m, unsigned int i,
		    struct trace_opdesc *d)
{
	const uint8_t *p = m->ops[i].packed;
	size_t nout;

	/*
	 * No clearing of the whole descriptor (nearly 9 KiB, three pages):
	 * the replay's live pass unpacks each op between two ioctls.
	 */
	memcpy(d, p, HEAD_LEN);
	p += HEAD_LEN;
	memcpy(d->bytes, p, d->nbytes);
	p += d->nbytes;
	memcpy(&d->recorded, p, REC_HEAD_LEN);
	p += REC_HEAD_LEN;
	nout = d->has_recorded ? d->recorded.nout : 0;
	memcpy(d->recorded.out, p, nout);
}

void trace_model_release(struct trace_model *m)
{
	unsigned int i;

	for (i = 0; i < m->nr_ops; i++)
		free(m->ops[i].packed);
	free(m->ops);
	m->ops = NULL;
	m->nr_ops = 0;
}

static int add_op(struct trace_model *m, unsigned int *cap,
		  const struct trace_rec *rec)
{
	struct trace_model_op *ops;
	unsigned int n;

	if (m->nr_ops == *cap) {
		n = *cap ? *cap * 2 : 64;
		ops = realloc(m->ops, n * sizeof(*ops));
		if (!ops)
			return -ENOMEM;
		m->ops = ops;
		*cap = n;
	}
	m->ops[m->nr_ops].packed = pack(&rec->op);
	if (!m->ops[m->nr_ops].packed)
		return -ENOMEM;
	m->ops[m->nr_ops++].line = rec->line;
	return 0;
}

/* An op's id in its packed head, which holds the descriptor's id. */
_Static_assert(offsetof(struct trace_opdesc, id) + TRACE_NAME_LEN <= HEAD_LEN,
	       "struct trace_opdesc: id must come before bytes");

static const char *packed_id(const struct trace_model_op *op)
{
	return (const char *)op->packed + offsetof(struct trace_opdesc, id);
}

static int by_id(const void *a, const void *b)
{
	const struct trace_model_op *x = *(const struct trace_model_op *const *)a;
	const struct trace_model_op *y = *(const struct trace_model_op *const *)b;
	int c = strcmp(packed_id(x), packed_id(y));

	if (c)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

/*
 * An op id names one op (`run --case ID` picks it, a report row carries
 * it): a second op with the same id makes the trace malformed. 0,
 * -EINVAL with m->error naming both lines, or -ENOMEM.
 */
static int check_ids(struct trace_model *m)
{
	const struct trace_model_op **v;
	unsigned int i, n = 0;
	int rc = 0;

	v = malloc((m->nr_ops ? m->nr_ops : 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (i = 0; i < m->nr_ops; i++)
		if (packed_id(&m->ops[i])[0])
			v[n++] = &m->ops[i];
	qsort(v, n, sizeof(*v), by_id);
	for (i = 1; i < n && !rc; i++) {
		if (strcmp(packed_id(v[i - 1]), packed_id(v[i])))
			continue;
		snprintf(m->error, sizeof(m->error),
			 "line %u: id: \"%s\" is the id of line %u too",
			 v[i]->line, packed_id(v[i]), v[i - 1]->line);
		rc = -EINVAL;
	}
	free(v);
	return rc;
}

int trace_model_read(struct trace_model *m, FILE *f)
{
	struct trace_reader *r;
	struct trace_rec *rec;
	unsigned int cap = 0;
	int rc = -ENOMEM;

	memset(m, 0, sizeof(*m));
	r = malloc(sizeof(*r));
	rec = malloc(sizeof(*rec));
	if (!r || !rec)
		goto out;
	trace_reader_init(r, f);
	while ((rc = trace_read(r, rec)) > 0) {
		rc = 0;
		if (rec->kind == TRACE_HEADER)
			m->header = rec->header;
		else if (rec->kind == TRACE_BUFFER &&
			 m->nr_buffers < TRACE_MAX_BUFFERS)
			m->buffers[m->nr_buffers++] = rec->buffer;
		else if (rec->kind == TRACE_BUFFER)
			rc = -E2BIG;
		else
			rc = add_op(m, &cap, rec);
		if (rc)
			break;
	}
	if (!rc) {
		m->nr_objects = r->nr_objects;
		memcpy(m->objects, r->objects, sizeof(m->objects));
		rc = check_ids(m);
		if (rc)
			goto out;
	}
	if (rc == -E2BIG) {
		snprintf(m->error, sizeof(m->error),
			 "line %u: more than %d buffers", rec->line,
			 TRACE_MAX_BUFFERS);
		rc = -EINVAL;
	} else if (rc && r->error[0]) {
		snprintf(m->error, sizeof(m->error), "%s", r->error);
	}
out:
	if (rc == -ENOMEM)
		snprintf(m->error, sizeof(m->error), "%s", strerror(ENOMEM));
	if (rc)
		trace_model_release(m);
	free(r);
	free(rec);
	return rc;
}

/*
 * What a trace path may be: a file, or a stream read once (a pipe, a
 * terminal). A directory or a socket reads as an I/O error: say what it
 * is instead.
 */
static const char *not_a_trace(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory, not a trace file";
	if (S_ISSOCK(mode))
		return "a socket, not a trace file";
	if (S_ISBLK(mode))
		return "a block device, not a trace file";
	return NULL;
}

int trace_model_load(struct trace_model *m, const char *path)
{
	const char *what;
	struct stat st;
	FILE *f;
	int rc;

	memset(m, 0, sizeof(*m));
	f = fopen(path, "re");
	if (!f) {
		rc = -errno;
		snprintf(m->error, sizeof(m->error), "%s", strerror(-rc));
		return rc;
	}
	if (fstat(fileno(f), &st)) {
		rc = -errno;
		snprintf(m->error, sizeof(m->error), "%s", strerror(-rc));
		goto out;
	}
	what = not_a_trace(st.st_mode);
	if (what) {
		snprintf(m->error, sizeof(m->error), "%s", what);
		rc = -EINVAL;
		goto out;
	}
	rc = trace_model_read(m, f);
out:
	fclose(f);
	return rc;
}
