/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_REPLAY_H
#define IOMMUCTL_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "field.h"
#include "proc-mem.h"
#include "situation.h"
#include "target.h"
#include "trace.h"
#include "trace-model.h"
#include "uapi-vfio.h"

enum backend {
	BK_TYPE1,
	BK_IOMMUFD,
	BK_IOMMUFD_NODEV,
	BK_COUNT,
};

/*
 * A backend is a row: what it opens, whether it works on the VFIO group
 * and its device, which rules the situation model applies, and the
 * reasons its ops are skipped when it has no group or device.
 */
struct backend_desc {
	const char *name;
	const char *path;
	bool vfio_container; /* the legacy container, else iommufd */
	bool native; /* has iommufd's own ioctls (native ops run) */
	bool uses_group; /* attaches the group and opens the device */
	enum side_kind side;
	const char *no_group; /* skip reasons without group or device */
	const char *no_device;
	const char *no_region;
	const char *no_second_attach;
};

const struct backend_desc *backend_desc(enum backend bk);
const char *backend_name(enum backend bk);
/* -ENOENT for a name that is no backend. */
int backend_lookup(const char *name);

/*
 * What one op did on one backend: its errno and the typed output fields
 * (field.h), in a fixed order per op, so that two backends' results
 * compare field by field.
 */
struct op_result {
	bool skipped;
	const char *skip_reason;
	int err; /* positive errno, 0 for success */
	struct field_list fields;
	const char *expect_failed; /* NULL, or which expectation failed */
	bool has_unmapped; /* an unmap's size, until op_result_finish() */
	uint64_t unmapped;
};

/* Put every output into fields; call before comparing or reporting. */
void op_result_finish(struct op_result *res);
void op_result_release(struct op_result *res);

struct replay {
	enum backend bk;
	const struct backend_desc *desc;
	const struct replay_target *target;
	int container;
	int group; /* opened by attach_group or a group ioctl before it */
	bool group_set; /* VFIO_GROUP_SET_CONTAINER succeeded */
	bool group_was_set; /* ... once: the group was usable then */
	int device;
	bool probe; /* the device answers the DMA-probe ioctls */
	bool attached; /* iommufd-nodev: the compat IOAS is set */
	bool device_skipped; /* a DMA-probe step could not run */
	uint64_t page_size;
	void *buf[TRACE_MAX_BUFFERS];
	size_t buf_len[TRACE_MAX_BUFFERS];
	void *map_base[TRACE_MAX_BUFFERS];
	size_t map_len[TRACE_MAX_BUFFERS];
	unsigned int buf_prot[TRACE_MAX_BUFFERS];
	int buf_err[TRACE_MAX_BUFFERS];
	/* device_region buffers: mapped at first use, after open_device. */
	bool buf_pending[TRACE_MAX_BUFFERS];
	uint32_t buf_region[TRACE_MAX_BUFFERS];
	uint64_t buf_region_offset[TRACE_MAX_BUFFERS];
	/* The trace's object names and, here, the ids they stand for. */
	const char (*obj_names)[TRACE_NAME_LEN];
	unsigned int nr_obj_names;
	uint32_t obj_id[TRACE_MAX_OBJECTS];
	bool obj_made[TRACE_MAX_OBJECTS]; /* the op that names it succeeded */
	bool obj_gone[TRACE_MAX_OBJECTS]; /* destroyed: its id may come back */
	/* What a module_param op replaced (NULL: not written), put back. */
	char *param_old[TRACE_NR_PARAMS];
	/* What a memlock op changed, put back by replay_mem_restore(). */
	bool memlock_set;
	bool ipc_lock_was; /* CAP_IPC_LOCK was effective */
	struct rlimit memlock_old;
	/* VmLck and VmPin when the backend was opened. */
	bool has_mem_base;
	struct iommu_proc_mem mem_base;
	/* peer_map's second process (0: none) and the pipes to and from it. */
	pid_t peer_pid;
	int peer_cmd, peer_ans;
};

/*
 * Open the backend's container, fresh. 0, or -errno with why filled in
 * (the reason every op of the trace is skipped on this backend).
 */
int replay_open(struct replay *rp, enum backend bk,
		const struct replay_target *t, char *why, size_t len);
void replay_close(struct replay *rp);

/*
 * Allocate a declared buffer; failures surface in the ops that use it. A
 * device_region buffer is mapped from the replay's device when an op
 * first uses it, so it needs open_device before that op.
 */
void replay_buffer(struct replay *rp, unsigned int index,
		   const struct trace_buffer *b);

/* The trace's object names, which results report found objects by. */
void replay_names(struct replay *rp, const char (*names)[TRACE_NAME_LEN],
		  unsigned int nr);

/*
 * Why native op d is skipped on a backend (desc) with or without an open
 * device, or NULL when it runs: a VFIO container has none of iommufd's
 * own ioctls; needs_device wants a device.
 */
const char *native_skip_reason(const struct backend_desc *desc,
			       const struct trace_opdesc *d, bool device_open);

/*
 * The address op d names (its buffer plus offset, 0 without one) into
 * *va; false when res says why the op cannot run (the buffer is missing).
 */
bool replay_user_address(struct replay *rp, const struct trace_opdesc *d,
			 struct op_result *res, uint64_t *va);

/* The locked-memory ops and their undoing (replay-mem.c). */
void replay_mem_open(struct replay *rp);
void replay_memlock(struct replay *rp, const struct trace_opdesc *d,
		    struct op_result *res);
void replay_mlock(struct replay *rp, const struct trace_opdesc *d,
		  struct op_result *res);
void replay_locked_memory(struct replay *rp, struct op_result *res);
void replay_mem_restore(struct replay *rp);

/* peer_map (replay-peer.c) and the end of its process. */
void replay_peer_map(struct replay *rp, const struct trace_opdesc *d,
		     struct op_result *res);
void replay_peer_stop(struct replay *rp);

/* Run native op d (replay_op's part for iommufd's own ioctls). */
void replay_native(struct replay *rp, const struct trace_opdesc *d,
		   struct op_result *res);

/*
 * Run one op; res is always filled in (release with op_result_release).
 * A raw ioctl runs on the descriptor its fd role names; an op the trace
 * marks unreplayable is skipped with the trace's reason.
 */
void replay_op(struct replay *rp, const struct trace_opdesc *d,
	       struct op_result *res);

/*
 * An op made ready before the live pass (request 0: not made ready, it
 * runs through replay_op): a map or unmap with no expectation, no bitmap
 * and no argsz past the struct, its argument built as replay_op builds
 * it, so that the pass does nothing for it but the ioctl.
 */
struct replay_prep {
	unsigned long request;
	union replay_prep_arg {
		struct ic_vfio_iommu_type1_dma_map map;
		struct ic_vfio_iommu_type1_dma_unmap unmap;
	} arg;
};

/*
 * Make op d ready in *p, where it can be: after the replay's buffers are
 * allocated, before the pass. true when it was.
 */
bool replay_prepare_op(struct replay *rp, const struct trace_opdesc *d,
		       struct replay_prep *p);
/* Run a ready op: the same result as replay_op on its descriptor. */
void replay_prepared(struct replay *rp, const struct replay_prep *p,
		     struct op_result *res);

/*
 * What the live pass kept of op i: its result and, after an op that may
 * change them, the IOVA ranges GET_INFO reported then (asked; none when
 * the backend reports none).
 */
struct replay_step {
	struct op_result res;
	bool asked;
	unsigned int nr_valid;
	struct side_span *valid;
};

/* Ops after which a backend's IOVA ranges may be others. */
bool replay_may_change_ranges(enum trace_op op);

/*
 * Make ops [from, to) of m ready (replay-pass.c) into prep[from..to),
 * each unpacked into d on the way. An op whose buffer is not mapped yet
 * (a device region, mapped at its first use) is left to replay_op.
 */
void replay_prepare(struct replay *rp, const struct trace_model *m,
		    unsigned int from, unsigned int to,
		    struct trace_opdesc *d, struct replay_prep *prep);

/*
 * Replay ops [from, to) of m one after the other (replay-pass.c) into
 * steps[from..to): a ready op (prep, from replay_prepare) by its ioctl
 * alone, any other unpacked into d and run by replay_op. Nothing else
 * runs between two ops but GET_INFO after an op that may change the IOVA
 * ranges. 0, or -ENOMEM (the steps so far are filled in).
 */
int replay_pass(struct replay *rp, const struct trace_model *m,
		const struct replay_prep *prep, unsigned int from,
		unsigned int to, struct trace_opdesc *d,
		struct replay_step *steps);
void replay_step_release(struct replay_step *s);

#endif
