// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The native ops: iommufd's own ioctls on the backend's /dev/iommu fd,
 * for the compat IOAS's control (IOMMU_VFIO_IOAS) and the objects it is
 * chosen among. A trace names the objects these ops make or find; this
 * keeps, per backend, the id each name stands for there.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "replay.h"
#include "uapi-iommufd.h"

/* Per op: the ioctl, and why a VFIO container cannot replay it. */
static const struct {
	unsigned long request;
	const char *no_native;
} natives[OP_COUNT] = {
	[OP_IOAS_ALLOC] = {
		IC_IOMMU_IOAS_ALLOC,
		"IOMMU_IOAS_ALLOC is iommufd's own ioctl: a VFIO container has no IOAS",
	},
	[OP_VFIO_IOAS] = {
		IC_IOMMU_VFIO_IOAS,
		"IOMMU_VFIO_IOAS is iommufd's own ioctl: a VFIO container has no compat IOAS to choose",
	},
	[OP_DESTROY] = {
		IC_IOMMU_DESTROY,
		"IOMMU_DESTROY is iommufd's own ioctl: a VFIO container has no objects to destroy",
	},
	[OP_FAULT_QUEUE_ALLOC] = {
		IC_IOMMU_FAULT_QUEUE_ALLOC,
		"IOMMU_FAULT_QUEUE_ALLOC is iommufd's own ioctl: a VFIO container has no fault queues",
	},
	[OP_OPTION] = {
		IC_IOMMU_OPTION,
		"IOMMU_OPTION is iommufd's own ioctl: a VFIO container has no options to get or set",
	},
};

void replay_names(struct replay *rp, const char (*names)[TRACE_NAME_LEN],
		  unsigned int nr)
{
	rp->obj_names = names;
	rp->nr_obj_names = nr;
}

const char *native_skip_reason(const struct backend_desc *desc,
			       const struct trace_opdesc *d, bool device_open)
{
	if (!trace_op_native(d->op))
		return NULL;
	if (!desc->native)
		return natives[d->op].no_native;
	if (!d->needs_device || device_open)
		return NULL;
	return desc->uses_group ?
		       "the op needs a device and no device fd is open" :
		       desc->no_device;
}

/* The name an object found here goes by: the first live one bound to id. */
static const char *name_of(const struct replay *rp, uint32_t id)
{
	unsigned int i;

	for (i = 0; i < rp->nr_obj_names; i++)
		if (rp->obj_made[i] && !rp->obj_gone[i] && rp->obj_id[i] == id)
			return rp->obj_names[i];
	return "unnamed";
}

static void bind(struct replay *rp, int result, uint32_t id)
{
	if (result < 0 || result >= TRACE_MAX_OBJECTS)
		return;
	rp->obj_id[result] = id;
	rp->obj_made[result] = true;
	rp->obj_gone[result] = false;
}

/* The id the op's object stands for here; false when it was never made. */
static bool object_id(const struct replay *rp, const struct trace_opdesc *d,
		      uint32_t *id)
{
	if (d->object < 0) {
		*id = d->object_id;
		return true;
	}
	*id = rp->obj_id[d->object];
	return rp->obj_made[d->object];
}

/* A destroyed object's id can be handed out again: forget the name's. */
static void forget(struct replay *rp, uint32_t id)
{
	unsigned int i;

	for (i = 0; i < rp->nr_obj_names; i++)
		if (rp->obj_made[i] && rp->obj_id[i] == id)
			rp->obj_gone[i] = true;
}

void replay_native(struct replay *rp, const struct trace_opdesc *d,
		   struct op_result *res)
{
	size_t size = trace_native_size(d->op);
	const struct ic_iommu_vfio_ioas *got;
	union {
		struct ic_iommu_ioas_alloc alloc;
		struct ic_iommu_vfio_ioas vfio_ioas;
		struct ic_iommu_destroy destroy;
		struct ic_iommu_fault_alloc fault;
		struct ic_iommu_option option;
		uint8_t raw[TRACE_MAX_BYTES];
	} a;
	uint32_t id = 0;
	const char *name;

	res->skip_reason = native_skip_reason(rp->desc, d, rp->device >= 0);
	if (!res->skip_reason && !object_id(rp, d, &id))
		res->skip_reason =
			"the op's object was not made on this backend (the op naming it failed or was skipped)";
	if (res->skip_reason) {
		res->skipped = true;
		return;
	}
	/* The struct, the tail after it, zeros up to argsz. */
	memset(&a, 0, sizeof(a));
	memcpy(a.raw + size, d->tail, d->ntail);
	a.alloc.size = d->has_argsz ? d->argsz : (uint32_t)(size + d->ntail);
	switch (d->op) {
	case OP_IOAS_ALLOC:
	case OP_FAULT_QUEUE_ALLOC:
		/* flags is the second word of both. */
		a.alloc.flags = d->flags;
		break;
	case OP_VFIO_IOAS:
		a.vfio_ioas.ioas_id = id;
		a.vfio_ioas.op = (uint16_t)d->ioas_op;
		a.vfio_ioas.reserved = (uint16_t)d->reserved;
		break;
	case OP_OPTION:
		a.option.option_id = d->option;
		a.option.op = (uint16_t)d->ioas_op;
		a.option.reserved = (uint16_t)d->reserved;
		a.option.object_id = id;
		a.option.val64 = d->val64;
		break;
	default:
		a.destroy.id = id;
		break;
	}
	if (ioctl(rp->container, natives[d->op].request, &a)) {
		res->err = errno;
		return;
	}
	switch (d->op) {
	case OP_IOAS_ALLOC:
		bind(rp, d->result, a.alloc.out_ioas_id);
		break;
	case OP_FAULT_QUEUE_ALLOC:
		/* The object outlives its fd: the trace wants the object. */
		close((int)a.fault.out_fault_fd);
		bind(rp, d->result, a.fault.out_fault_id);
		break;
	case OP_VFIO_IOAS:
		if (d->ioas_op != IC_IOMMU_VFIO_IOAS_GET)
			break;
		got = &a.vfio_ioas;
		name = name_of(rp, got->ioas_id);
		if (field_add_str(&res->fields, "ioas", name)) {
			res->skipped = true;
			res->skip_reason = "a result field could not be recorded";
			return;
		}
		if (d->expect.ioas >= 0 &&
		    (!rp->obj_made[d->expect.ioas] ||
		     rp->obj_id[d->expect.ioas] != got->ioas_id))
			res->expect_failed = "ioas";
		bind(rp, d->result, got->ioas_id);
		break;
	case OP_OPTION:
		/* What the kernel writes back: the value, got or set. */
		if (field_add_hex(&res->fields, "val64", a.option.val64)) {
			res->skipped = true;
			res->skip_reason = "a result field could not be recorded";
			return;
		}
		if (d->expect.has_val64 && d->expect.val64 != a.option.val64)
			res->expect_failed = "val64";
		break;
	default:
		forget(rp, id);
		break;
	}
}
