// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The program the recorder tests record: what a VMM does with a type1
 * container, with every kind of buffer, a dup()ed container, a fork,
 * threads, and the device and group let go of and taken back. It prints one line per step, "STEP ERRNO" (0 or the errno's
 * name), so that a test can hold the trace against what the program saw.
 *
 * Usage: vfio_workload CONTAINER GROUP DEVICE [kill|let-go]
 * CONTAINER is /dev/vfio/vfio or /dev/iommu; GROUP a group number; DEVICE
 * a device of the group ("-": no device steps). With "kill" the program
 * SIGKILLs itself after the first mapping; with "let-go" it maps no
 * BAR page (a replay keeps a device region mapped, so the device file
 * open, until it ends) and lets go of the device and the group before
 * the end, and takes the group back. Lines "va NAME 0x..." give the
 * addresses, which a trace must not contain. Exit status 77 when the
 * group cannot be used, 2 when a setup step fails.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <linux/vfio.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define EXIT_UNUSABLE 77

static int container = -1;

static void step(const char *what, int rc)
{
	const char *name = rc < 0 ? strerrorname_np(errno) : NULL;

	printf("%s %s\n", what, rc < 0 ? (name ? name : "E?") : "0");
	fflush(stdout);
}

static int map(uint64_t iova, void *va, uint64_t size)
{
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uintptr_t)va,
		.iova = iova,
		.size = size,
	};

	return ioctl(container, VFIO_IOMMU_MAP_DMA, &m);
}

static int unmap(uint64_t iova, uint64_t size)
{
	struct vfio_iommu_type1_dma_unmap u = {
		.argsz = sizeof(u),
		.iova = iova,
		.size = size,
	};

	return ioctl(container, VFIO_IOMMU_UNMAP_DMA, &u);
}

static void *thread_main(void *arg)
{
	uint64_t iova = (uintptr_t)arg;
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int i;

	for (i = 0; i < 4 && p != MAP_FAILED; i++) {
		if (map(iova, p, 4096) || unmap(iova, 4096))
			return (void *)1;
	}
	return NULL;
}

/* The device's steps; the device fd, left open, or -1. */
static int device_steps(int group, const char *device, bool with_bar)
{
	struct vfio_region_info ri = { .argsz = sizeof(ri),
				       .index = VFIO_PCI_BAR0_REGION_INDEX };
	int dev = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, device);
	void *bar;

	step("open_device", dev);
	if (dev < 0)
		return -1;
	step("region_info", ioctl(dev, VFIO_DEVICE_GET_REGION_INFO, &ri));
	if (!with_bar || !(ri.flags & VFIO_REGION_INFO_FLAG_MMAP) ||
	    ri.size < 8192) {
		printf("bar_mmap skipped\n");
		return dev;
	}
	/* The second page of BAR0: the region offset must show up. */
	bar = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, dev,
		   (off_t)(ri.offset + 4096));
	step("bar_mmap", bar == MAP_FAILED ? -1 : 0);
	if (bar == MAP_FAILED)
		return dev;
	printf("va bar %p\n", bar);
	step("map_bar", map(0x40000000, bar, 4096));
	step("unmap_bar", unmap(0x40000000, 4096));
	munmap(bar, 4096);
	return dev;
}

int main(int argc, char **argv)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };
	char path[64], info[1024];
	struct vfio_iommu_type1_info *hdr = (void *)info;
	pthread_t t[2];
	void *anon, *mfd, *huge;
	int group, fd, hfd, dupfd, dev = -1, i;
	pid_t pid;
	bool kill_self = argc == 5 && !strcmp(argv[4], "kill");
	bool let_go = argc == 5 && !strcmp(argv[4], "let-go");

	if (argc != 4 && !kill_self && !let_go) {
		fprintf(stderr,
			"usage: vfio_workload CONTAINER GROUP DEVICE [kill|let-go]\n");
		return 2;
	}
	container = open(argv[1], O_RDWR);
	if (container < 0) {
		perror(argv[1]);
		return EXIT_UNUSABLE;
	}
	snprintf(path, sizeof(path), "/dev/vfio/%s", argv[2]);
	group = open(path, O_RDWR);
	if (group < 0) {
		perror(path);
		return EXIT_UNUSABLE;
	}
	step("get_api_version", ioctl(container, VFIO_GET_API_VERSION));
	step("check_extension",
	     ioctl(container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) > 0 ?
		     0 :
		     -1);
	if (ioctl(group, VFIO_GROUP_GET_STATUS, &st) ||
	    !(st.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		fprintf(stderr, "group %s is not viable\n", argv[2]);
		return EXIT_UNUSABLE;
	}
	step("attach_group",
	     ioctl(group, VFIO_GROUP_SET_CONTAINER, &container));
	step("set_iommu", ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU));
	memset(info, 0, sizeof(info));
	hdr->argsz = sizeof(info);
	step("get_info", ioctl(container, VFIO_IOMMU_GET_INFO, info));
	if (strcmp(argv[3], "-"))
		dev = device_steps(group, argv[3], !let_go);

	anon = mmap(NULL, 16 * 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	fd = memfd_create("vfio_workload", MFD_CLOEXEC);
	if (anon == MAP_FAILED || fd < 0 || ftruncate(fd, 4 * 4096))
		return 2;
	mfd = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (mfd == MAP_FAILED)
		return 2;
	printf("va anon %p\nva memfd %p\n", anon, mfd);
	step("map_anon", map(0x100000, (char *)anon + 0x2000, 0x4000));
	if (kill_self)
		raise(SIGKILL);
	step("map_memfd", map(0x200000, mfd, 4 * 4096));
	/* An IOVA taken twice: the recorded errno must be the kernel's. */
	step("map_overlap", map(0x100000, anon, 0x1000));
	huge = mmap(NULL, 2 << 20, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	if (huge != MAP_FAILED) {
		printf("va hugetlb %p\n", huge);
		step("map_hugetlb", map(0x400000, huge, 2 << 20));
		step("unmap_hugetlb", unmap(0x400000, 2 << 20));
	} else {
		printf("map_hugetlb skipped\n");
	}
	/* DPDK's memory: a memfd on hugetlbfs, which looks like any memfd. */
	hfd = memfd_create("vfio_workload_huge", MFD_CLOEXEC | MFD_HUGETLB);
	huge = hfd < 0 || ftruncate(hfd, 2 << 20) ?
		       MAP_FAILED :
		       mmap(NULL, 2 << 20, PROT_READ | PROT_WRITE, MAP_SHARED,
			    hfd, 0);
	if (huge != MAP_FAILED) {
		printf("va hugetlb_memfd %p\n", huge);
		step("map_hugetlb_memfd", map(0x600000, huge, 2 << 20));
		step("unmap_hugetlb_memfd", unmap(0x600000, 2 << 20));
	} else {
		printf("map_hugetlb_memfd skipped\n");
	}
	step("unmap_anon", unmap(0x100000, 0x4000));
	step("unmap_memfd", unmap(0x200000, 4 * 4096));

	/* Through a duplicate: still the container. */
	dupfd = dup(container);
	step("dup_check_extension",
	     ioctl(dupfd, VFIO_CHECK_EXTENSION, VFIO_UNMAP_ALL) >= 0 ? 0 : -1);
	close(dupfd);

	pid = fork();
	if (pid == 0)
		_exit(ioctl(container, VFIO_GET_API_VERSION) ==
				      VFIO_API_VERSION ?
			      0 :
			      1);
	if (pid < 0 || waitpid(pid, &i, 0) != pid || !WIFEXITED(i) ||
	    WEXITSTATUS(i))
		return 2;
	printf("fork_child 0\n");

	for (i = 0; i < 2; i++)
		if (pthread_create(&t[i], NULL, thread_main,
				   (void *)(uintptr_t)(0x800000 + i * 0x100000)))
			return 2;
	for (i = 0; i < 2; i++) {
		void *res;

		pthread_join(t[i], &res);
		if (res)
			return 2;
	}
	printf("threads 0\n");

	/*
	 * The device and the group let go of and taken back. The kernel
	 * releases a file with its last descriptor: closing the group while
	 * a dup of it is open releases nothing, dup2 over the dup does.
	 */
	if (!let_go)
		goto close_all;
	if (dev >= 0)
		step("close_device", close(dev));
	dupfd = dup(group);
	step("close_group_kept", close(group));
	step("dup2_over_group", dup2(container, dupfd) < 0 ? -1 : 0);
	group = open(path, O_RDWR);
	step("reopen_group", group);
	if (group < 0)
		return 2;
	step("reattach_group",
	     ioctl(group, VFIO_GROUP_SET_CONTAINER, &container));
	step("set_iommu_again",
	     ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU));

close_all:
	/* Closing every fd must leave the recorder's trace open. */
	close_range(3, ~0U, 0);
	container = open(argv[1], O_RDWR);
	step("after_close_range",
	     ioctl(container, VFIO_CHECK_EXTENSION, VFIO_TYPE1_IOMMU) >= 0 ?
		     0 :
		     -1);
	return 0;
}
