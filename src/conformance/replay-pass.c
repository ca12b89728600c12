// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The live pass of a replay: a trace's ops one after the other on one
 * backend. Plain maps and unmaps are made ready first (their ioctl
 * arguments built), so between two of them there is nothing but the
 * next ioctl; other ops are unpacked and run by replay_op, and after one
 * that may change them GET_INFO is asked for the IOVA ranges.
 * The situation model, the conditions and the judging all run after it
 * on what it kept (run.c), so the kernel sees the ops as close together
 * as the trace's program made them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "replay.h"

/* Ops after which a backend's IOVA ranges may be others. */
bool replay_may_change_ranges(enum trace_op op)
{
	switch (op) {
	case OP_SET_IOMMU:
	case OP_ATTACH_GROUP:
	case OP_OPEN_DEVICE:
	case OP_CLOSE_DEVICE:
	case OP_DETACH_GROUP:
	case OP_CLOSE_GROUP:
	case OP_IOCTL:
	case OP_IOAS_ALLOC:
	case OP_VFIO_IOAS:
	case OP_DESTROY:
	case OP_OPTION:
		return true;
	default:
		return false;
	}
}

/*
 * The IOVA ranges the backend accepts, as GET_INFO on its container says
 * now (a read, which changes nothing there); none where it answers none
 * or fails. 0 or -ENOMEM.
 */
static int ask_ranges(struct replay *rp, struct replay_step *s)
{
	struct iommu_compat_info info;
	unsigned int i;
	int rc = 0;

	s->asked = true;
	if (iommu_compat_get_info(rp->container, &info))
		return 0;
	if (info.has_iova_ranges && info.nr_iova_ranges) {
		s->valid = calloc(info.nr_iova_ranges, sizeof(*s->valid));
		if (s->valid) {
			for (i = 0; i < info.nr_iova_ranges; i++) {
				s->valid[i].first = info.iova_ranges[i].start;
				s->valid[i].last = info.iova_ranges[i].end;
			}
			s->nr_valid = info.nr_iova_ranges;
		} else {
			rc = -ENOMEM;
		}
	}
	iommu_compat_info_release(&info);
	return rc;
}

void replay_prepare(struct replay *rp, const struct trace_model *m,
		    unsigned int from, unsigned int to,
		    struct trace_opdesc *d, struct replay_prep *prep)
{
	unsigned int i;

	for (i = from; i < to; i++) {
		trace_model_op(m, i, d);
		replay_prepare_op(rp, d, &prep[i]);
	}
}

int replay_pass(struct replay *rp, const struct trace_model *m,
		const struct replay_prep *prep, unsigned int from,
		unsigned int to, struct trace_opdesc *d,
		struct replay_step *steps)
{
	unsigned int i;
	int rc = 0;

	for (i = from; i < to && !rc; i++) {
		if (prep[i].request) {
			replay_prepared(rp, &prep[i], &steps[i].res);
			continue;
		}
		trace_model_op(m, i, d);
		replay_op(rp, d, &steps[i].res);
		if (replay_may_change_ranges(d->op))
			rc = ask_ranges(rp, &steps[i]);
	}
	return rc;
}

void replay_step_release(struct replay_step *s)
{
	op_result_release(&s->res);
	free(s->valid);
	s->valid = NULL;
	s->nr_valid = 0;
	s->asked = false;
}
