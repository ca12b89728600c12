// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * timing's measurements. Each backend is set up as the runner's backends
 * are (replay.c): with a device domain, a vfio-pci device's group put in
 * the container and its device opened; without one, type1 on an mdev's
 * group (an emulated IOMMU: no domain) and iommufd with no device at all
 * (iommufd-nodev's compat IOAS). Then, per memory kind and size, a
 * warm-up round and the asked-for rounds, each mapping a batch of ranges
 * (timed together) and unmapping them (timed together).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "compat.h"
#include "names.h"
#include "replay.h"
#include "timing-mem.h"
#include "timing.h"

/* Where the batches go: 4 GiB up, inside every IOMMU's IOVA ranges here. */
#define TIMING_IOVA 0x100000000ULL
/* Small sizes are timed in batches of up to this many bytes and ops. */
#define BATCH_BYTES (1U << 20)
#define MAX_BATCH 64

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static unsigned int batch_of(uint64_t size)
{
	uint64_t b = size >= BATCH_BYTES ? 1 : BATCH_BYTES / size;

	return b > MAX_BATCH ? MAX_BATCH : (unsigned int)b;
}

/* The runner's backend a timing backend and domain stand for. */
static enum backend replay_backend(enum timing_backend bk,
				   enum timing_domain d)
{
	if (bk == TB_TYPE1)
		return BK_TYPE1;
	return d == TD_DEVICE ? BK_IOMMUFD : BK_IOMMUFD_NODEV;
}

static void resolve_targets(struct timing_run *t)
{
	t->pci.group = t->pci_given ? t->pci.group : -1;
	t->mdev.group = t->mdev_given ? t->mdev.group : -1;
	if (t->want_domain[TD_DEVICE]) {
		if (t->pci_given ? replay_target_resolve(NULL, &t->pci, false,
							 t->why_pci,
							 sizeof(t->why_pci)) :
				   replay_target_pick(NULL, &t->pci, false,
						      t->why_pci,
						      sizeof(t->why_pci)))
			t->pci.group = -1;
		else if (replay_target_emulated(&t->pci))
			snprintf(t->why_pci, sizeof(t->why_pci),
				 "%s is an mdev: its emulated IOMMU gives no device domain; name a vfio-pci device with --device",
				 t->pci.device);
	}
	if (t->want_domain[TD_NONE] &&
	    (t->mdev_given ? replay_target_resolve(NULL, &t->mdev, true,
						   t->why_mdev,
						   sizeof(t->why_mdev)) :
			     replay_target_pick(NULL, &t->mdev, true,
						t->why_mdev,
						sizeof(t->why_mdev))))
		t->mdev.group = -1;
}

/* Why a backend cannot be set up here before trying, or NULL. */
static const char *not_here(struct timing_run *t, enum timing_backend bk,
			    enum timing_domain d, char *why, size_t len)
{
	const struct backend_desc *desc = backend_desc(replay_backend(bk, d));

	if (access(desc->path, F_OK)) {
		snprintf(why, len, "no %s: %s", desc->path,
			 desc->vfio_container ?
				 "this kernel has no VFIO container (CONFIG_VFIO_CONTAINER, module vfio)" :
				 "this kernel has no iommufd (CONFIG_IOMMUFD)");
		return why;
	}
	if (!desc->uses_group)
		return NULL;
	if (d == TD_DEVICE && t->why_pci[0])
		return t->why_pci;
	if (d == TD_NONE && t->why_mdev[0]) {
		snprintf(why, len,
			 "type1 needs a VFIO group before SET_IOMMU, and a group without an IOMMU domain is an mdev's: %.200s",
			 t->why_mdev);
		return why;
	}
	return NULL;
}

/* One setup step through the replay engine; 0, or the cell status. */
static int step(struct replay *rp, struct trace_opdesc *d, const char *name,
		char *why, size_t len)
{
	struct op_result res;

	replay_op(rp, d, &res);
	op_result_release(&res);
	if (res.skipped) {
		snprintf(why, len, "%s: %s", name, res.skip_reason);
		return TS_SKIPPED;
	}
	if (res.err) {
		snprintf(why, len, "%s: %s (%s)", name, errno_name(res.err),
			 strerror(res.err));
		return TS_FAILED;
	}
	return 0;
}

/*
 * Open and set up the container as a VMM does. 0, or the status every
 * cell of this backend, domain and mode gets, with why.
 */
static int setup(struct timing_run *t, struct replay *rp,
		 enum timing_backend bk, enum timing_domain d,
		 enum timing_mode m, char *why, size_t len)
{
	static struct trace_opdesc op = { .buffer = -1 };
	enum backend rbk = replay_backend(bk, d);
	const char *reason;
	int rc;

	reason = not_here(t, bk, d, why, len);
	if (reason) {
		if (reason != why)
			snprintf(why, len, "%s", reason);
		return TS_SKIPPED;
	}
	if (replay_open(rp, rbk, d == TD_DEVICE ? &t->pci : &t->mdev, why,
			len))
		return TS_SKIPPED;
	op.op = OP_ATTACH_GROUP;
	rc = step(rp, &op, backend_desc(rbk)->uses_group ?
				   "VFIO_GROUP_SET_CONTAINER" :
				   "IOMMU_VFIO_IOAS",
		  why, len);
	op.op = OP_SET_IOMMU;
	op.arg = m == TMODE_TYPE1 ? IC_VFIO_TYPE1_IOMMU : IC_VFIO_TYPE1v2_IOMMU;
	if (!rc)
		rc = step(rp, &op, "VFIO_SET_IOMMU", why, len);
	op.op = OP_OPEN_DEVICE;
	if (!rc && backend_desc(rbk)->uses_group)
		rc = step(rp, &op, "VFIO_GROUP_GET_DEVICE_FD", why, len);
	if (rc)
		replay_close(rp);
	return rc;
}

static void cell_failed(struct timing_cell *c, const char *what, uint64_t iova,
			int rc)
{
	c->status = TS_FAILED;
	snprintf(c->reason, sizeof(c->reason),
		 "%s at IOVA 0x%" PRIx64 " of 0x%" PRIx64 " bytes: %s (%s)",
		 what, iova, c->size, errno_name(-rc), strerror(-rc));
}

/* One round: map the batch, then unmap it; false when a call failed. */
static bool round_once(int fd, struct timing_cell *c, void *va, double *map,
		       double *unmap)
{
	uint64_t iova = TIMING_IOVA, unmapped = 0;
	unsigned int i, k;
	double t0, t1;
	int rc = 0;

	t0 = now_ns();
	for (i = 0; i < c->batch && !rc; i++)
		rc = iommu_compat_map_dma(fd,
					  IC_VFIO_DMA_MAP_FLAG_READ |
						  IC_VFIO_DMA_MAP_FLAG_WRITE,
					  (char *)va + (size_t)i * c->size,
					  TIMING_IOVA + i * c->size, c->size);
	t1 = now_ns();
	if (rc) {
		cell_failed(c, "VFIO_IOMMU_MAP_DMA",
			    TIMING_IOVA + (i - 1) * c->size, rc);
		/* Leave the container empty for the next configuration. */
		for (k = 0; k + 1 < i; k++)
			iommu_compat_unmap_dma(fd, 0, TIMING_IOVA + k * c->size,
					       c->size, &unmapped);
		return false;
	}
	*map = (t1 - t0) / c->batch;
	t0 = now_ns();
	for (i = 0; i < c->batch && !rc; i++) {
		iova = TIMING_IOVA + i * c->size;
		rc = iommu_compat_unmap_dma(fd, 0, iova, c->size, &unmapped);
		if (!rc && unmapped != c->size)
			rc = -EFAULT;
	}
	t1 = now_ns();
	if (rc) {
		cell_failed(c, "VFIO_IOMMU_UNMAP_DMA", iova, rc);
		if (rc == -EFAULT)
			snprintf(c->reason, sizeof(c->reason),
				 "VFIO_IOMMU_UNMAP_DMA at IOVA 0x%" PRIx64
				 " unmapped 0x%" PRIx64 " of 0x%" PRIx64
				 " bytes",
				 iova, unmapped, c->size);
		iommu_compat_unmap_dma(fd, 0, TIMING_IOVA,
				       (uint64_t)c->batch * c->size,
				       &unmapped);
		return false;
	}
	*unmap = (t1 - t0) / c->batch;
	return true;
}

static int measure_cell(struct timing_run *t, int fd, struct timing_cell *c)
{
	struct timing_buf b;
	double map, unmap;
	unsigned int r;
	int op;

	c->batch = batch_of(c->size);
	for (op = 0; op < TOP_COUNT; op++) {
		c->samples[op] = calloc(t->rounds, sizeof(double));
		if (!c->samples[op])
			return -ENOMEM;
	}
	if (timing_buf_alloc(&b, c->memory, (size_t)c->batch * c->size,
			     c->reason, sizeof(c->reason))) {
		c->status = TS_SKIPPED;
		c->batch = 0;
		return 0;
	}
	/* A warm-up round first: the IOMMU's page tables get allocated. */
	c->status = TS_MEASURED;
	for (r = 0; r <= t->rounds && round_once(fd, c, b.va, &map, &unmap);
	     r++) {
		if (!r)
			continue;
		c->samples[TOP_MAP][r - 1] = map;
		c->samples[TOP_UNMAP][r - 1] = unmap;
	}
	timing_buf_free(&b);
	return 0;
}

/* Every cell of one backend, domain and mode, on one container. */
static int measure_container(struct timing_run *t, enum timing_backend bk,
			     enum timing_domain d, enum timing_mode m)
{
	char why[TIMING_REASON_LEN];
	struct timing_cell *c;
	struct replay rp;
	unsigned int i;
	int status, rc = 0;

	status = setup(t, &rp, bk, d, m, why, sizeof(why));
	for (i = 0; i < t->nr_cells && !rc; i++) {
		c = &t->cells[i];
		if (c->bk != bk || c->domain != d || c->mode != m)
			continue;
		if (status) {
			c->status = status;
			snprintf(c->reason, sizeof(c->reason), "%s", why);
			continue;
		}
		rc = measure_cell(t, rp.container, c);
	}
	if (!status)
		replay_close(&rp);
	return rc;
}

int timing_measure(struct timing_run *t)
{
	struct utsname u;
	int d, m, bk, rc;

	if (!uname(&u)) {
		snprintf(t->kernel, sizeof(t->kernel), "%s", u.release);
		snprintf(t->host, sizeof(t->host), "%s", u.nodename);
	}
	t->hugepage_size = timing_hugepage_size();
	resolve_targets(t);
	for (d = 0; d < TD_COUNT; d++)
		for (m = 0; m < TMODE_COUNT; m++)
			for (bk = 0; bk < TB_COUNT; bk++) {
				if (!t->want_domain[d] || !t->want_mode[m])
					continue;
				rc = measure_container(t, bk, d, m);
				if (rc)
					return rc;
			}
	timing_summarise(t);
	return 0;
}
