// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A map/unmap loop whose calls vary the way a VMM's do, so that the
 * recorder's records of a loop (plain maps and unmaps captured with their
 * sizes known, the rest the general way; the delta of each against the
 * one before) can be held against what the program did: the
 * IOVA in its low and its high half, the size and the flags change from
 * pair to pair, the buffer and the offset in it every few pairs, some
 * unmaps cover more than was mapped (the kernel writes back a smaller
 * size), some maps and unmaps fail. Each call prints one line:
 *
 *   map IOVA SIZE FLAGS BUF OFFSET ERRNO
 *   unmap IOVA SIZE ERRNO UNMAPPED
 *
 * with BUF A or B, ERRNO 0 or the errno's name and UNMAPPED the size the
 * kernel wrote back (16 hex digits) or "-" when the call failed.
 *
 * Usage: map_loop GROUP PAIRS
 * Exit status 77 when the group cannot be used, 2 when a setup step
 * fails, else 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/vfio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define BUF_SIZE (64 * 1024)
#define GUARD 4096

static const char *err_name(int rc)
{
	const char *name;

	if (!rc)
		return "0";
	name = strerrorname_np(errno);
	return name ? name : "E?";
}

static int unmap(int container, uint64_t iova, uint64_t size)
{
	struct vfio_iommu_type1_dma_unmap u = {
		.argsz = sizeof(u), .iova = iova, .size = size,
	};
	int rc = ioctl(container, VFIO_IOMMU_UNMAP_DMA, &u);
	char done[24] = "-";

	if (!rc)
		snprintf(done, sizeof(done), "%016" PRIx64, (uint64_t)u.size);
	printf("unmap 0x%" PRIx64 " 0x%" PRIx64 " %s %s\n", iova, size,
	       err_name(rc), done);
	return rc;
}

static void map(int container, struct vfio_iommu_type1_dma_map *m, char buf,
		uint64_t offset)
{
	int rc = ioctl(container, VFIO_IOMMU_MAP_DMA, m);

	printf("map 0x%" PRIx64 " 0x%" PRIx64 " %u %c 0x%" PRIx64 " %s\n",
	       (uint64_t)m->iova, (uint64_t)m->size, m->flags, buf, offset,
	       err_name(rc));
}

int main(int argc, char **argv)
{
	struct vfio_iommu_type1_dma_map m = { .argsz = sizeof(m) };
	int container, group;
	char *area, *buf[2], path[32];
	long pairs, i;

	if (argc != 3 || (pairs = atol(argv[2])) < 1) {
		fprintf(stderr, "usage: map_loop GROUP PAIRS\n");
		return 2;
	}
	snprintf(path, sizeof(path), "/dev/vfio/%s", argv[1]);
	container = open("/dev/vfio/vfio", O_RDWR);
	group = open(path, O_RDWR);
	if (container < 0 || group < 0 ||
	    ioctl(group, VFIO_GROUP_SET_CONTAINER, &container)) {
		perror("map_loop: group");
		return 77;
	}
	if (ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU)) {
		perror("map_loop: VFIO_SET_IOMMU");
		return 2;
	}
	/*
	 * The recorder names the mapping an address lies in, and the kernel
	 * merges an anonymous mapping into a neighbour of the same kind
	 * wherever the program's libraries leave room for one: each buffer
	 * is kept a mapping of its own between inaccessible pages.
	 */
	area = mmap(NULL, 2 * BUF_SIZE + 3 * GUARD, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED) {
		perror("map_loop: mmap");
		return 2;
	}
	for (i = 0; i < 2; i++) {
		buf[i] = area + GUARD + i * (BUF_SIZE + GUARD);
		if (mprotect(buf[i], BUF_SIZE, PROT_READ | PROT_WRITE)) {
			perror("map_loop: mprotect");
			return 2;
		}
	}
	for (i = 0; i < pairs; i++) {
		int b = (int)((i / 3) % 2);
		uint64_t offset = (uint64_t)((i / 2) % 4) * 4096;

		m.vaddr = (uintptr_t)buf[b] + offset;
		m.size = i % 5 == 4 ? 8192 : 4096;
		m.iova = 0x100000 + (uint64_t)(i % 64) * 0x10000 +
			 (i % 7 == 6 ? 1ULL << 32 : 0);
		m.flags = VFIO_DMA_MAP_FLAG_READ |
			  (i % 4 == 3 ? 0 : VFIO_DMA_MAP_FLAG_WRITE);
		map(container, &m, 'A' + b, offset);
		/* Mapped already: EEXIST. */
		if (i % 17 == 16)
			map(container, &m, 'A' + b, offset);
		/*
		 * The page after the mapping's first: nothing there (0 bytes
		 * unmapped) or, in an 8 KiB mapping, a split TYPE1v2 refuses.
		 */
		if (i % 13 == 12)
			unmap(container, m.iova + 4096, 4096);
		/* Past its end: what was mapped goes, and size says how much. */
		unmap(container, m.iova, m.size + (i % 11 == 10 ? 4096 : 0));
	}
	return 0;
}
