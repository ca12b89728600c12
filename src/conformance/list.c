// SPDX-License-Identifier: GPL-2.0-or-later
/* validate and list: what a trace holds, without replaying it. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "names.h"
#include "out.h"
#include "situation.h"
#include "trace-model.h"
#include "utf8.h"

/* "PROG: PATH: WHY" on stderr, the path and the reason made printable. */
void trace_complain(const char *path, const char *why)
{
	fprintf(stderr, "%s: ", prog);
	fputs_printable(path, stderr);
	fputs(": ", stderr);
	fputs_printable(why, stderr);
	fputc('\n', stderr);
}

int cmd_validate(int argc, char **argv)
{
	struct trace_model *m;
	int i, rc, status = 0;

	if (argc < 2)
		return usage_error();
	m = malloc(sizeof(*m));
	if (!m) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return EXIT_INTERNAL;
	}
	for (i = 1; i < argc; i++) {
		rc = trace_model_load(m, argv[i]);
		if (rc) {
			trace_complain(argv[i], m->error);
			status = rc == -ENOMEM ? EXIT_INTERNAL : EXIT_PARITY;
			continue;
		}
		fputs_printable(argv[i], stdout);
		printf(": valid, %u operations\n", m->nr_ops);
		trace_model_release(m);
	}
	free(m);
	return finish_stdout(status);
}

/* "vfio_ioas set a", "destroy 0", "ioas_alloc -> a", and the raw fields. */
static void describe_native(char *buf, size_t len, const struct trace_model *m,
			    const struct trace_opdesc *d)
{
	static const char *const ioas_ops[] = { "get", "set", "clear" };
	size_t n;

	n = (size_t)snprintf(buf, len, "%s", trace_op_name(d->op));
	if (d->op == OP_VFIO_IOAS && d->ioas_op < 3)
		n += (size_t)snprintf(buf + n, len - n, " %s",
				      ioas_ops[d->ioas_op]);
	else if (d->op == OP_VFIO_IOAS)
		n += (size_t)snprintf(buf + n, len - n, " op %u", d->ioas_op);
	if (d->op == OP_OPTION)
		n += (size_t)snprintf(buf + n, len - n,
				      " %u op %u val64 0x%" PRIx64, d->option,
				      d->ioas_op, d->val64);
	if (n < len && d->object >= 0)
		n += (size_t)snprintf(buf + n, len - n, " %s",
				      m->objects[d->object]);
	else if (n < len && (d->op == OP_DESTROY || d->object_id ||
			     (d->op == OP_VFIO_IOAS && d->ioas_op == 1)))
		n += (size_t)snprintf(buf + n, len - n, " %u", d->object_id);
	if (n < len && d->result >= 0)
		n += (size_t)snprintf(buf + n, len - n, " -> %s",
				      m->objects[d->result]);
	if (n < len && d->reserved)
		n += (size_t)snprintf(buf + n, len - n, " reserved 0x%x",
				      d->reserved);
	if (n < len && d->ntail)
		n += (size_t)snprintf(buf + n, len - n, " tail %zu bytes",
				      d->ntail);
	if (n < len && d->needs_device)
		snprintf(buf + n, len - n, ", needs a device");
}

/* What any op may add: a bitmap, a kernel thread, an argsz. */
static void describe_extras(char *buf, size_t len,
			    const struct trace_opdesc *d)
{
	size_t n = strlen(buf);

	if (n < len && d->has_bitmap)
		n += (size_t)snprintf(buf + n, len - n,
				      ", bitmap pgsize 0x%" PRIx64
				      " of %" PRIu64 " bytes",
				      d->pgsize, d->bitmap_size);
	if (n < len && d->kthread)
		n += (size_t)snprintf(buf + n, len - n,
				      ", from a kernel thread");
	if (n < len && d->has_argsz)
		snprintf(buf + n, len - n, " argsz %u", d->argsz);
}

static void describe(char *buf, size_t len, const struct trace_model *m,
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
			 d->buffer >= 0 ? m->buffers[d->buffer].name : "NULL",
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
			 trace_op_name(d->op), m->buffers[d->buffer].name,
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
	case OP_MODULE_PARAM:
		snprintf(buf, len, "module_param %s = %" PRIu64,
			 trace_module_param_name(d->param), d->val64);
		break;
	case OP_MEMLOCK:
		if (d->val64 == TRACE_UNLIMITED)
			snprintf(buf, len, "memlock unlimited");
		else
			snprintf(buf, len, "memlock 0x%" PRIx64, d->val64);
		break;
	case OP_MLOCK:
		snprintf(buf, len, "mlock %s+0x%" PRIx64 " size 0x%" PRIx64,
			 m->buffers[d->buffer].name, d->offset, d->size);
		break;
	case OP_PEER_MAP:
		snprintf(buf, len, "peer_map size 0x%" PRIx64, d->size);
		break;
	case OP_PIN:
		snprintf(buf, len, "pin iova 0x%" PRIx64 ", %u pages", d->iova,
			 d->npages);
		break;
	case OP_IOAS_ALLOC:
	case OP_VFIO_IOAS:
	case OP_DESTROY:
	case OP_FAULT_QUEUE_ALLOC:
	case OP_OPTION:
		describe_native(buf, len, m, d);
		break;
	case OP_DIRTY_PAGES:
		snprintf(buf, len, "dirty_pages flags 0x%x", d->flags);
		if (d->has_bitmap) {
			size_t n = strlen(buf);

			snprintf(buf + n, len - n,
				 " iova 0x%" PRIx64 " size 0x%" PRIx64, d->iova,
				 d->size);
		}
		break;
	default:
		snprintf(buf, len, "%s", trace_op_name(d->op));
		break;
	}
	describe_extras(buf, len, d);
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

/*
 * Without a replay the conditions come from a type1 container that did
 * what the trace recorded (or expects): ops succeed otherwise.
 */
static int list_ops(struct out *o, const struct trace_model *m,
		    struct trace_opdesc *d)
{
	uint64_t page_size = m->header.page_size ?
				     m->header.page_size :
				     (uint64_t)sysconf(_SC_PAGESIZE);
	const struct trace_buffer *buf;
	char what[192], conds[512];
	struct side sd;
	unsigned int i;
	int err, rc = 0;

	side_init(&sd, SIDE_TYPE1, false);
	for (i = 0; i < m->nr_ops && !rc; i++) {
		trace_model_op(m, i, d);
		buf = d->buffer >= 0 ? &m->buffers[d->buffer] : NULL;
		cond_format(conds, sizeof(conds),
			    side_conditions(&sd, d, buf, page_size));
		err = d->has_recorded	     ? d->recorded.err :
		      d->expect.has_errno ? d->expect.err :
					    0;
		rc = side_update(&sd, d, buf, page_size, err);
		if (rc)
			break;
		describe(what, sizeof(what), m, d);
		out_record_begin(o);
		out_u32(o, "line", m->ops[i].line);
		out_str(o, "id", d->id[0] ? d->id : NULL);
		out_str(o, "op", trace_op_name(d->op));
		out_str(o, "what", what);
		out_str(o, "fd",
			d->op == OP_IOCTL ? trace_fd_role_name(d->fd) : NULL);
		recorded(what, sizeof(what), d);
		out_str(o, "recorded", d->has_recorded ? what : NULL);
		out_str(o, "unreplayable",
			d->unreplayable[0] ? d->unreplayable : NULL);
		out_str(o, "conditions", conds);
		rc = out_record_end(o);
	}
	side_release(&sd);
	return rc;
}

int cmd_list(int argc, char **argv)
{
	enum out_format fmt = OUT_TEXT;
	struct trace_opdesc *d = NULL;
	struct trace_model *m;
	struct out *o = NULL;
	int rc, status = 0;

	if (argc == 3 && !strcmp(argv[1], "-j")) {
		fmt = OUT_JSON;
		argv++;
		argc--;
	}
	if (argc != 2)
		return usage_error();
	m = malloc(sizeof(*m));
	if (!m)
		return EXIT_INTERNAL;
	rc = trace_model_load(m, argv[1]);
	if (rc) {
		trace_complain(argv[1], m->error);
		free(m);
		return rc == -ENOMEM ? EXIT_INTERNAL : EXIT_PARITY;
	}
	d = malloc(sizeof(*d));
	o = out_new(fmt, OUT_LIST, stdout);
	if (!d || !o) {
		status = EXIT_INTERNAL;
		goto out;
	}
	rc = list_ops(o, m, d);
	if (!rc)
		rc = out_finish(o);
	if (rc)
		status = stdout_failed(rc);
out:
	out_free(o);
	free(d);
	trace_model_release(m);
	free(m);
	return finish_stdout(status);
}
