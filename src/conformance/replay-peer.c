// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The peer_map op: a second process of the same user, on the same
 * backend (its own container on the backend's node), with another
 * device's group, maps memory of its own and holds it until the backend's
 * replay ends. It is forked at the first peer_map, with the limit and
 * capabilities the replay has then (a memlock op before it applies to
 * both processes), and asked for each further map over a pipe, so that
 * both processes hold pins at once: what one user's two programs do.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "replay.h"
#include "target.h"
#include "uapi-vfio.h"

/* Where the peer's mappings start, each on a 1 GiB boundary of its own. */
#define PEER_IOVA 0x40000000ULL
#define PEER_STEP 0x40000000ULL

/* What the peer answers: the step its setup failed at (0: none), errno. */
struct peer_answer {
	int step;
	int err;
};

/* The peer's setup steps, the skip reasons when one fails. */
static const char *const peer_steps[] = {
	NULL,
	"peer_map: the second process cannot open the backend's node",
	"peer_map: the second process cannot open the second device's group",
	"peer_map: VFIO_GROUP_SET_CONTAINER of the second group failed",
	"peer_map: VFIO_SET_IOMMU (TYPE1v2) in the second process failed",
	"peer_map: VFIO_GROUP_GET_DEVICE_FD of the second device failed",
};

/* The second process's setup: 0, or the step that failed (errno set). */
static int peer_setup(const char *path, const struct replay_target *o,
		      int *container)
{
	int group, device;
	char node[32];

	*container = open(path, O_RDWR | O_CLOEXEC);
	if (*container < 0)
		return 1;
	snprintf(node, sizeof(node), "/dev/vfio/%d", o->group);
	group = open(node, O_RDWR | O_CLOEXEC);
	if (group < 0)
		return 2;
	if (ioctl(group, IC_VFIO_GROUP_SET_CONTAINER, container))
		return 3;
	if (ioctl(*container, IC_VFIO_SET_IOMMU, IC_VFIO_TYPE1v2_IOMMU))
		return 4;
	/* iommufd attaches the domain, and pins, only with the device open. */
	device = ioctl(group, IC_VFIO_GROUP_GET_DEVICE_FD, o->device);
	if (device < 0)
		return 5;
	return 0;
}

static __attribute__((noreturn)) void peer_main(const char *path,
						const struct replay_target *o,
						int cmd, int ans)
{
	struct ic_vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = IC_VFIO_DMA_MAP_FLAG_READ | IC_VFIO_DMA_MAP_FLAG_WRITE,
	};
	struct peer_answer a = { 0, 0 };
	uint64_t size, iova = PEER_IOVA;
	int container = -1;
	void *buf;

	a.step = peer_setup(path, o, &container);
	a.err = a.step ? errno : 0;
	while (read(cmd, &size, sizeof(size)) == sizeof(size)) {
		if (!a.step) {
			buf = mmap(NULL, size, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			map.vaddr = (uintptr_t)buf;
			map.iova = iova;
			map.size = size;
			a.err = 0;
			if (buf == MAP_FAILED)
				a.err = errno;
			else if (ioctl(container, IC_VFIO_IOMMU_MAP_DMA, &map))
				a.err = errno;
			else
				iova += PEER_STEP;
		}
		if (write(ans, &a, sizeof(a)) != sizeof(a))
			break;
	}
	_exit(0);
}

/* Fork the peer: 0, or the skip reason in res. */
static int peer_start(struct replay *rp, struct op_result *res)
{
	struct replay_target o = { .group = -1 };
	int to[2], from[2];
	char why[160];
	pid_t pid;

	if (replay_target_other(NULL, rp->target, &o, why, sizeof(why))) {
		res->skipped = true;
		res->skip_reason =
			"peer_map needs a second device bound to vfio-pci, in another IOMMU group than the replay's";
		return -ENODEV;
	}
	if (pipe2(to, O_CLOEXEC))
		goto fail;
	if (pipe2(from, O_CLOEXEC))
		goto close_to;
	pid = fork();
	if (pid == 0) {
		/* Nothing of the replay's VFIO state stays held by the peer. */
		if (rp->device >= 0)
			close(rp->device);
		if (rp->group >= 0)
			close(rp->group);
		close(rp->container);
		close(to[1]);
		close(from[0]);
		peer_main(rp->desc->path, &o, to[0], from[1]);
	}
	if (pid < 0)
		goto close_from;
	close(to[0]);
	close(from[1]);
	rp->peer_pid = pid;
	rp->peer_cmd = to[1];
	rp->peer_ans = from[0];
	return 0;
close_from:
	close(from[0]);
	close(from[1]);
close_to:
	close(to[0]);
	close(to[1]);
fail:
	/* The runner's failure, not the kernel's answer to the op. */
	res->skipped = true;
	res->skip_reason = "peer_map: the runner could not start the second process (pipe2 or fork failed)";
	return -ENOMEM;
}

void replay_peer_map(struct replay *rp, const struct trace_opdesc *d,
		     struct op_result *res)
{
	struct peer_answer a;
	uint64_t size = d->size;

	if (!rp->peer_pid && peer_start(rp, res))
		return;
	if (write(rp->peer_cmd, &size, sizeof(size)) != sizeof(size) ||
	    read(rp->peer_ans, &a, sizeof(a)) != sizeof(a)) {
		res->skipped = true;
		res->skip_reason = "peer_map: the second process did not answer";
		return;
	}
	if (a.step > 0 &&
	    a.step < (int)(sizeof(peer_steps) / sizeof(peer_steps[0]))) {
		res->skipped = true;
		res->skip_reason = peer_steps[a.step];
		return;
	}
	res->err = a.err;
}

void replay_peer_stop(struct replay *rp)
{
	if (!rp->peer_pid)
		return;
	/* End of its commands: it exits, and its pins go with its files. */
	close(rp->peer_cmd);
	close(rp->peer_ans);
	while (waitpid(rp->peer_pid, NULL, 0) < 0 && errno == EINTR)
		;
	rp->peer_pid = 0;
	rp->peer_cmd = rp->peer_ans = -1;
}
