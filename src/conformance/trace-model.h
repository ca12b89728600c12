/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_TRACE_MODEL_H
#define IOMMUCTL_TRACE_MODEL_H

#include <stddef.h>
#include <stdio.h>

#include "trace.h"

/*
 * A whole trace in memory, read once: the runner replays it on every
 * backend from here, so a pipe, /dev/stdin or a file that changes under
 * the run is read exactly once and every backend sees the same ops.
 *
 * An op is kept packed (its descriptor without the unused tails of the
 * argument and output byte arrays): a long recording costs what its
 * lines hold, not two 4 KiB arrays per op.
 */

struct trace_model_op {
	unsigned int line;
	void *packed;
};

struct trace_model {
	struct trace_header header;
	unsigned int nr_buffers;
	struct trace_buffer buffers[TRACE_MAX_BUFFERS];
	unsigned int nr_ops;
	struct trace_model_op *ops;
	/* The names ops bind with result, which their object refers to. */
	unsigned int nr_objects;
	char objects[TRACE_MAX_OBJECTS][TRACE_NAME_LEN];
	/* Why the trace could not be read: "line N: field: what", or why not. */
	char error[256];
};

/*
 * Read path into m. 0; -EINVAL for a malformed trace or a path that is
 * no trace (a directory, a socket); -ENOENT, -EACCES, -ELOOP... when it
 * cannot be opened; -ENOMEM. On any error m->error says what was wrong
 * and m holds nothing to release.
 */
int trace_model_load(struct trace_model *m, const char *path);

/* The same from an open stream, read to its end; f stays open. */
int trace_model_read(struct trace_model *m, FILE *f);

/*
 * Op i, unpacked into d; its line number is m->ops[i].line. Only the
 * first nbytes of d->bytes and the first recorded.nout of
 * d->recorded.out are the op's: what lies past them is left as it was.
 */
void trace_model_op(const struct trace_model *m, unsigned int i,
		    struct trace_opdesc *d);

void trace_model_release(struct trace_model *m);

#endif
