// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A VFIO program whose signal handler makes VFIO calls: two threads map
 * and unmap while a 200 us interval timer interrupts them with a handler
 * that asks the container its API version. Under the recorder this must
 * neither deadlock (the handler can interrupt a thread inside the
 * recorder) nor lose any of the threads' maps.
 *
 * Usage: vfio_signals CONTAINER GROUP PAIRS
 * Prints "handled N" (handler calls) and exits 0; 77 when the group
 * cannot be used, 2 on failure.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/vfio.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <unistd.h>

static int container;
static long pairs;
static volatile sig_atomic_t handled;

static void on_alarm(int sig)
{
	if (ioctl(container, VFIO_GET_API_VERSION) == VFIO_API_VERSION)
		handled++;
}

static void *mapper(void *arg)
{
	struct vfio_iommu_type1_dma_map map = { .argsz = sizeof(map) };
	struct vfio_iommu_type1_dma_unmap unmap = { .argsz = sizeof(unmap) };
	uint64_t base = (uintptr_t)arg;
	void *buf;
	long i;

	buf = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		return (void *)1;
	map.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
	map.vaddr = (uintptr_t)buf;
	map.size = unmap.size = 4096;
	for (i = 0; i < pairs; i++) {
		map.iova = unmap.iova = base + (uint64_t)(i % 16) * 4096;
		if (ioctl(container, VFIO_IOMMU_MAP_DMA, &map) ||
		    ioctl(container, VFIO_IOMMU_UNMAP_DMA, &unmap)) {
			perror("vfio_signals: map/unmap");
			return (void *)1;
		}
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct itimerval every = { { 0, 200 }, { 0, 200 } }, off = { 0 };
	struct sigaction sa = { .sa_handler = on_alarm,
				.sa_flags = SA_RESTART };
	char path[64];
	pthread_t t[2];
	void *res;
	int group, i;

	if (argc != 4) {
		fprintf(stderr, "usage: vfio_signals CONTAINER GROUP PAIRS\n");
		return 2;
	}
	pairs = atol(argv[3]);
	container = open(argv[1], O_RDWR);
	snprintf(path, sizeof(path), "/dev/vfio/%s", argv[2]);
	group = open(path, O_RDWR);
	if (container < 0 || group < 0 ||
	    ioctl(group, VFIO_GROUP_SET_CONTAINER, &container)) {
		perror("vfio_signals: setup");
		return 77;
	}
	if (ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		return 2;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL) ||
	    setitimer(ITIMER_REAL, &every, NULL))
		return 2;
	for (i = 0; i < 2; i++)
		if (pthread_create(&t[i], NULL, mapper,
				   (void *)(uintptr_t)(0x100000 + i * 0x100000)))
			return 2;
	for (i = 0; i < 2; i++)
		if (pthread_join(t[i], &res) || res)
			return 2;
	setitimer(ITIMER_REAL, &off, NULL);
	printf("handled %d\n", (int)handled);
	return 0;
}
