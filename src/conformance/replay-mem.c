// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The replay's locked-memory ops: memlock puts the ops after it under an
 * unprivileged program's memlock limit, mlock locks buffer pages, and
 * locked_memory reads what pinning charged. Both backends skip their
 * limit for a holder of CAP_IPC_LOCK, so memlock takes it out of the
 * effective set (it stays permitted), and replay_mem_restore() puts the
 * capability and the limit back when the backend is done.
 */
#include <errno.h>
#include <linux/capability.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "caps.h"
#include "proc-mem.h"
#include "replay.h"

void replay_mem_open(struct replay *rp)
{
	rp->has_mem_base = !iommu_proc_mem_read(NULL, 0, &rp->mem_base);
}

void replay_memlock(struct replay *rp, const struct trace_opdesc *d,
		    struct op_result *res)
{
	struct rlimit now, want;
	bool was;
	int rc;

	if (getrlimit(RLIMIT_MEMLOCK, &now)) {
		res->err = errno;
		return;
	}
	want.rlim_cur = d->val64 == TRACE_UNLIMITED ? RLIM_INFINITY :
						      (rlim_t)d->val64;
	/* A soft limit above the hard one needs the hard one raised too. */
	want.rlim_max = now.rlim_max;
	if (want.rlim_max != RLIM_INFINITY &&
	    (want.rlim_cur == RLIM_INFINITY || want.rlim_cur > want.rlim_max))
		want.rlim_max = want.rlim_cur;
	if (setrlimit(RLIMIT_MEMLOCK, &want)) {
		res->err = errno;
		return;
	}
	rc = iommu_cap_effective(CAP_IPC_LOCK, &was);
	if (!rc)
		rc = iommu_cap_set_effective(CAP_IPC_LOCK, false);
	if (!rp->memlock_set) {
		rp->memlock_set = true;
		rp->memlock_old = now;
		rp->ipc_lock_was = !rc && was;
	}
	res->err = -rc;
}

void replay_mlock(struct replay *rp, const struct trace_opdesc *d,
		  struct op_result *res)
{
	uint64_t va;

	if (!replay_user_address(rp, d, res, &va))
		return;
	res->err = mlock((void *)(uintptr_t)va, d->size) ? errno : 0;
}

void replay_locked_memory(struct replay *rp, struct op_result *res)
{
	struct iommu_proc_mem m;
	int rc;

	if (!rp->has_mem_base) {
		res->skipped = true;
		res->skip_reason = "/proc/self/status has no VmLck and VmPin";
		return;
	}
	rc = iommu_proc_mem_read(NULL, 0, &m);
	if (rc) {
		res->err = -rc;
		return;
	}
	/* Signed: what was charged before the backend opened may go. */
	rc = field_add_s64(&res->fields, "locked",
			   (int64_t)(m.locked - rp->mem_base.locked));
	if (!rc)
		rc = field_add_s64(&res->fields, "pinned",
				   (int64_t)(m.pinned - rp->mem_base.pinned));
	if (rc) {
		res->skipped = true;
		res->skip_reason = "a result field could not be recorded";
	}
}

void replay_mem_restore(struct replay *rp)
{
	if (!rp->memlock_set)
		return;
	if (setrlimit(RLIMIT_MEMLOCK, &rp->memlock_old))
		fprintf(stderr,
			"iommuctl-conformance: cannot put RLIMIT_MEMLOCK back: %s\n",
			strerror(errno));
	if (rp->ipc_lock_was && iommu_cap_set_effective(CAP_IPC_LOCK, true))
		fprintf(stderr,
			"iommuctl-conformance: cannot take CAP_IPC_LOCK back: %s\n",
			strerror(errno));
	rp->memlock_set = false;
}
