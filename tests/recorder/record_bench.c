// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The recorder's overhead on a map/unmap-heavy program: N pairs of 4 KiB
 * VFIO_IOMMU_MAP_DMA + VFIO_IOMMU_UNMAP_DMA on a type1 container with a
 * group attached, timed in a child run plain, in a child run with
 * libiommuctl-record.so preloaded and, as a peer, in a child run under
 * strace -f -e trace=ioctl -o /dev/null, alternating for several rounds
 * so that drift hits all alike. Prints the median time per pair of each
 * and the ratios recorder/plain (the target is 1.05 or less) and
 * strace/plain; without strace in PATH its column is skipped, and said
 * so. Built, not installed; it needs a VFIO group, so run it in the VM:
 *
 *   tests/vm/run -- build/tests/recorder/record_bench [-n PAIRS] [-r ROUNDS]
 *
 * The library is $IOMMUCTL_RECORD_LIB or the build tree's; the group is
 * the first of $ICTL_VM_VFIO_GROUPS or -g N.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <linux/vfio.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* The timed part, in a child: writes ns per pair to the pipe. */
static int worker(int group_nr, long pairs, int out)
{
	struct vfio_iommu_type1_dma_map map = { .argsz = sizeof(map) };
	struct vfio_iommu_type1_dma_unmap unmap = { .argsz = sizeof(unmap) };
	int container, group;
	char path[32];
	uint64_t t0, ns;
	void *buf;
	long i;

	container = open("/dev/vfio/vfio", O_RDWR);
	snprintf(path, sizeof(path), "/dev/vfio/%d", group_nr);
	group = open(path, O_RDWR);
	buf = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (container < 0 || group < 0 || buf == MAP_FAILED ||
	    ioctl(group, VFIO_GROUP_SET_CONTAINER, &container) ||
	    ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU)) {
		perror("record_bench: VFIO setup");
		return 2;
	}
	map.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
	map.vaddr = (uintptr_t)buf;
	map.size = unmap.size = 4096;
	t0 = now_ns();
	for (i = 0; i < pairs; i++) {
		map.iova = unmap.iova = 0x100000 + (uint64_t)(i % 256) * 4096;
		if (ioctl(container, VFIO_IOMMU_MAP_DMA, &map) ||
		    ioctl(container, VFIO_IOMMU_UNMAP_DMA, &unmap)) {
			perror("record_bench: map/unmap");
			return 2;
		}
	}
	ns = (now_ns() - t0) / (uint64_t)pairs;
	return write(out, &ns, sizeof(ns)) == sizeof(ns) ? 0 : 2;
}

enum mode { PLAIN, RECORDED, STRACED, NR_MODES };

static const char *const mode_names[] = { "plain", "recorded", "strace" };

/* An executable name in $PATH, into out; 0 or -1. */
static int find_prog(const char *name, char *out, size_t len)
{
	const char *path = getenv("PATH"), *p, *end;

	for (p = path ? path : "/usr/bin:/bin"; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, ':');
		snprintf(out, len, "%.*s/%s", (int)(end - p), p, name);
		if (end > p && !access(out, X_OK))
			return 0;
	}
	return -1;
}

/* One timed child in a mode; ns per pair, 0 on failure. */
static uint64_t run(const char *self, int group, long pairs, enum mode mode,
		    const char *lib, const char *trace, const char *strace)
{
	char g[16], n[24], fd[16];
	uint64_t ns = 0;
	int p[2], status;
	pid_t pid;

	if (pipe(p))
		return 0;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		snprintf(g, sizeof(g), "%d", group);
		snprintf(n, sizeof(n), "%ld", pairs);
		snprintf(fd, sizeof(fd), "%d", p[1]);
		if (mode == RECORDED) {
			unlink(trace);
			setenv("LD_PRELOAD", lib, 1);
			setenv("IOMMUCTL_RECORD_FILE", trace, 1);
		}
		if (mode == STRACED)
			execl(strace, strace, "-f", "-e", "trace=ioctl", "-o",
			      "/dev/null", self, "--worker", g, n, fd,
			      (char *)NULL);
		else
			execl(self, self, "--worker", g, n, fd, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	if (pid > 0 && (read(p[0], &ns, sizeof(ns)) != sizeof(ns)))
		ns = 0;
	close(p[0]);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return 0;
	return ns;
}

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	const char *env = getenv("ICTL_VM_VFIO_GROUPS");
	uint64_t ns[NR_MODES][64];
	char self[PATH_MAX], lib[PATH_MAX + 64], trace[64], strace[PATH_MAX];
	long pairs = 20000;
	int rounds = 7, group = env ? atoi(env) : -1, c, i, m, modes;
	ssize_t len;

	if (argc == 5 && !strcmp(argv[1], "--worker"))
		return worker(atoi(argv[2]), atol(argv[3]), atoi(argv[4]));
	while ((c = getopt(argc, argv, "n:r:g:")) != -1) {
		switch (c) {
		case 'n':
			pairs = atol(optarg);
			break;
		case 'r':
			rounds = atoi(optarg);
			break;
		case 'g':
			group = atoi(optarg);
			break;
		default:
			fprintf(stderr,
				"usage: record_bench [-n PAIRS] [-r ROUNDS] [-g GROUP]\n");
			return 3;
		}
	}
	if (group < 0 || pairs < 1 || rounds < 1 || rounds > 64) {
		fprintf(stderr,
			"record_bench: need a VFIO group (-g N or $ICTL_VM_VFIO_GROUPS), PAIRS >= 1, 1 <= ROUNDS <= 64\n");
		return 3;
	}
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len < 0)
		return 2;
	self[len] = '\0';
	if (getenv("IOMMUCTL_RECORD_LIB"))
		snprintf(lib, sizeof(lib), "%s", getenv("IOMMUCTL_RECORD_LIB"));
	else
		snprintf(lib, sizeof(lib),
			 "%s/../../src/recorder/libiommuctl-record.so",
			 dirname(strdup(self)));
	/* The log beside it: /tmp, local like record's own live logs. */
	snprintf(trace, sizeof(trace), "/tmp/record_bench.%d.jsonl",
		 (int)getpid());
	modes = NR_MODES;
	if (find_prog("strace", strace, sizeof(strace))) {
		printf("strace is not in PATH: its column is skipped (Debian: apt-get install strace)\n");
		modes = STRACED;
	}
	for (i = 0; i < rounds; i++) {
		printf("round %d:", i);
		for (m = 0; m < modes; m++) {
			ns[m][i] = run(self, group, pairs, (enum mode)m, lib,
				       trace, strace);
			if (!ns[m][i]) {
				fprintf(stderr, "record_bench: round %d, %s, failed\n",
					i, mode_names[m]);
				return 2;
			}
			printf(" %s %llu ns/pair", mode_names[m],
			       (unsigned long long)ns[m][i]);
		}
		printf("\n");
		fflush(stdout);
	}
	unlink(trace);
	for (m = 0; m < modes; m++)
		qsort(ns[m], (size_t)rounds, sizeof(ns[m][0]), cmp);
	printf("pairs %ld, rounds %d, median plain %llu ns, recorded %llu ns",
	       pairs, rounds, (unsigned long long)ns[PLAIN][rounds / 2],
	       (unsigned long long)ns[RECORDED][rounds / 2]);
	if (modes > STRACED)
		printf(", strace %llu ns",
		       (unsigned long long)ns[STRACED][rounds / 2]);
	printf("\nratio recorder/plain %.3f",
	       (double)ns[RECORDED][rounds / 2] / (double)ns[PLAIN][rounds / 2]);
	if (modes > STRACED)
		printf(", strace/plain %.3f",
		       (double)ns[STRACED][rounds / 2] /
			       (double)ns[PLAIN][rounds / 2]);
	else
		printf(", strace/plain skipped (no strace)");
	printf("\n");
	return 0;
}
