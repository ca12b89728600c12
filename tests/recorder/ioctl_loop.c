// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A loop of VFIO_IOMMU_MAP_DMA + VFIO_IOMMU_UNMAP_DMA pairs on whatever
 * PATH is, their results ignored: the recorder's per-call path without
 * a VFIO group. On /dev/null (or any descriptor the recorder does not
 * follow) it is the pass-through path; on a node the recorder takes for
 * a container (record_test.sh mounts one as /dev/iommu in a namespace
 * of its own) every call is recorded and fails with ENOTTY.
 *
 * Usage: ioctl_loop PATH PAIRS [then]
 *   then: "kill"  SIGKILL itself after the loop
 *         "pause" print "ready PID" and wait for a signal
 *         "fork"  a forked child makes one more pair, then exits
 * Exits 0, 2 on a setup failure.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/vfio.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static void pairs(int fd, void *buf, long n)
{
	struct vfio_iommu_type1_dma_map map = { .argsz = sizeof(map) };
	struct vfio_iommu_type1_dma_unmap unmap = { .argsz = sizeof(unmap) };
	long i;

	map.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
	map.vaddr = (uintptr_t)buf;
	map.size = unmap.size = 4096;
	for (i = 0; i < n; i++) {
		map.iova = unmap.iova = 0x100000 + (uint64_t)(i % 256) * 4096;
		ioctl(fd, VFIO_IOMMU_MAP_DMA, &map);
		ioctl(fd, VFIO_IOMMU_UNMAP_DMA, &unmap);
	}
}

int main(int argc, char **argv)
{
	const char *then = argc > 3 ? argv[3] : "";
	void *buf;
	pid_t pid;
	int fd;

	if (argc < 3) {
		fprintf(stderr, "usage: ioctl_loop PATH PAIRS [kill|pause|fork]\n");
		return 2;
	}
	fd = open(argv[1], O_RDWR);
	buf = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fd < 0 || buf == MAP_FAILED) {
		perror("ioctl_loop: setup");
		return 2;
	}
	pairs(fd, buf, atol(argv[2]));
	if (!strcmp(then, "kill"))
		raise(SIGKILL);
	if (!strcmp(then, "pause")) {
		printf("ready %d\n", (int)getpid());
		fflush(stdout);
		pause();
	}
	if (!strcmp(then, "fork")) {
		pid = fork();
		if (pid == 0) {
			pairs(fd, buf, 1);
			_exit(0);
		}
		if (pid < 0 || waitpid(pid, NULL, 0) != pid)
			return 2;
	}
	return 0;
}
