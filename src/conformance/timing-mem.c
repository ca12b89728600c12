// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * timing's buffers: anonymous memory in base pages or hugetlb pages,
 * touched before the clock starts, or the precise reason this machine
 * cannot give them (no huge pages reserved, not enough memory).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "names.h"
#include "timing-mem.h"

/* Headroom kept free when deciding whether anonymous memory fits. */
#define SPARE_KB (64 * 1024)

/* A /proc/meminfo value in kB, or -1 when the key is absent. */
static long long meminfo_kb(const char *key)
{
	char line[128];
	size_t n = strlen(key);
	long long v = -1;
	FILE *f;

	f = fopen("/proc/meminfo", "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':' &&
		    sscanf(line + n + 1, "%lld", &v) == 1)
			break;
	fclose(f);
	return v;
}

/* A number in a sysfs or procfs file, or -1. */
static long long read_number(const char *path)
{
	long long v = -1;
	FILE *f;

	f = fopen(path, "re");
	if (!f)
		return -1;
	if (fscanf(f, "%lld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

uint64_t timing_hugepage_size(void)
{
	long long kb = meminfo_kb("Hugepagesize");

	return kb > 0 ? (uint64_t)kb * 1024 : 0;
}

static int hugetlb_fits(size_t len, uint64_t hp, char *why, size_t wlen)
{
	long long need = (long long)(len / hp), nfree, total;
	char path[128];

	snprintf(path, sizeof(path),
		 "/sys/kernel/mm/hugepages/hugepages-%" PRIu64 "kB/free_hugepages",
		 hp / 1024);
	nfree = read_number(path);
	total = read_number("/proc/sys/vm/nr_hugepages");
	if (nfree >= need)
		return 0;
	if (nfree < 0)
		nfree = 0;
	if (total < 0)
		total = 0;
	snprintf(why, wlen,
		 "needs %lld huge pages of %" PRIu64
		 " kB, %lld free (vm.nr_hugepages=%lld): reserve them with `sysctl vm.nr_hugepages=%lld` or boot with hugepages=%lld",
		 need, hp / 1024, nfree, total, total + need - nfree,
		 total + need - nfree);
	return -ENOMEM;
}

static int anon_fits(size_t len, char *why, size_t wlen)
{
	long long avail = meminfo_kb("MemAvailable");

	if (avail < 0 || (long long)(len / 1024) + SPARE_KB <= avail)
		return 0;
	snprintf(why, wlen,
		 "not enough memory: %zu MiB of anonymous memory and %d MiB spare, MemAvailable is %lld MiB",
		 len >> 20, SPARE_KB / 1024, avail / 1024);
	return -ENOMEM;
}

int timing_buf_alloc(struct timing_buf *b, enum timing_memory mem,
		     size_t len, char *why, size_t wlen)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS;
	size_t step = (size_t)sysconf(_SC_PAGESIZE), i;
	uint64_t hp = 0;
	void *p;

	memset(b, 0, sizeof(*b));
	if (mem == TM_HUGETLB) {
		hp = timing_hugepage_size();
		if (!hp) {
			snprintf(why, wlen,
				 "this kernel has no hugetlb pages (no Hugepagesize in /proc/meminfo: CONFIG_HUGETLBFS)");
			return -EOPNOTSUPP;
		}
		len = (len + hp - 1) / hp * hp;
		if (hugetlb_fits(len, hp, why, wlen))
			return -ENOMEM;
		flags |= MAP_HUGETLB;
		step = hp;
	} else if (anon_fits(len, why, wlen)) {
		return -ENOMEM;
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, -1, 0);
	if (p == MAP_FAILED) {
		snprintf(why, wlen, "mmap of %zu bytes%s: %s (%s)", len,
			 hp ? " with MAP_HUGETLB" : "", strerror(errno),
			 errno_name(errno));
		return -errno;
	}
	/* Base pages for "anon", whatever transparent huge pages do. */
	if (!hp)
		madvise(p, len, MADV_NOHUGEPAGE);
	/* Every page present, so no round pays for the first touch. */
	for (i = 0; i < len; i += step)
		((volatile char *)p)[i] = 1;
	b->va = p;
	b->len = len;
	return 0;
}

void timing_buf_free(struct timing_buf *b)
{
	if (b->va)
		munmap(b->va, b->len);
	b->va = NULL;
}
