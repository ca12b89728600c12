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
 * so. Each -o DIR adds a column: the program run under
 * `iommuctl-conformance record -o DIR/FILE`, so that where -o points (a
 * network file system, tmpfs) can be compared in one run. Each -L LIB
 * adds a column too: the program with that build of the library
 * preloaded (an older one, say), timed in the same rounds. Besides the
 * ratio of the medians it prints the median of each round's own ratio,
 * which drift between rounds moves less. Built, not
 * installed; it needs a VFIO group, so run it in the VM:
 *
 *   tests/vm/run -- build/tests/recorder/record_bench [-n PAIRS]
 *       [-r ROUNDS] [-o DIR]... [-L LIB]...
 *
 * The library is $IOMMUCTL_RECORD_LIB or the build tree's, the runner
 * $IOMMUCTL_CONFORMANCE or the build tree's; the group is
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

enum kind { PLAIN, RECORDED, STRACED, RECORD_CMD };

/* A way to run the worker: the columns of the table. */
struct mode {
	enum kind kind;
	const char *name;
	const char *dir;	/* RECORD_CMD: where -o points; RECORDED: the
				 * library, NULL for the build tree's */
};

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

struct tools {
	const char *self, *lib, *trace, *strace, *record;
};

/* One timed child in a mode; ns per pair, 0 on failure. */
static uint64_t run(const struct tools *t, int group, long pairs,
		    const struct mode *mode)
{
	char g[16], n[24], fd[16], out[PATH_MAX];
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
		switch (mode->kind) {
		case RECORDED:
			unlink(t->trace);
			setenv("LD_PRELOAD", mode->dir ? mode->dir : t->lib, 1);
			setenv("IOMMUCTL_RECORD_FILE", t->trace, 1);
			break;
		case STRACED:
			execl(t->strace, t->strace, "-f", "-e", "trace=ioctl",
			      "-o", "/dev/null", t->self, "--worker", g, n, fd,
			      (char *)NULL);
			_exit(127);
		case RECORD_CMD:
			/* The worker times its own loop: the conversion
			 * that follows it is not counted. */
			snprintf(out, sizeof(out), "%s/record_bench.%d.jsonl",
				 mode->dir, (int)getppid());
			unlink(out);
			setenv("IOMMUCTL_RECORD_LIB", t->lib, 1);
			execl(t->record, t->record, "record", "-o", out, "--",
			      t->self, "--worker", g, n, fd, (char *)NULL);
			_exit(127);
		default:
			break;
		}
		execl(t->self, t->self, "--worker", g, n, fd, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	if (pid > 0 && (read(p[0], &ns, sizeof(ns)) != sizeof(ns)))
		ns = 0;
	close(p[0]);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		ns = 0;
	if (mode->kind == RECORD_CMD) {
		snprintf(out, sizeof(out), "%s/record_bench.%d.jsonl",
			 mode->dir, (int)getpid());
		unlink(out);
	}
	return ns;
}

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

#define MAX_MODES 8
#define MAX_ROUNDS 64

int main(int argc, char **argv)
{
	const char *env = getenv("ICTL_VM_VFIO_GROUPS");
	static uint64_t ns[MAX_MODES][MAX_ROUNDS];
	struct mode modes[MAX_MODES] = {
		{ PLAIN, "plain", NULL },
		{ RECORDED, "recorded", NULL },
	};
	char self[PATH_MAX], lib[PATH_MAX + 64], trace[64], strace[PATH_MAX];
	char record[PATH_MAX + 64], *dirs[MAX_MODES], *libs[MAX_MODES];
	struct tools t = { self, lib, trace, NULL, NULL };
	long pairs = 20000;
	int rounds = 7, group = env ? atoi(env) : -1, c, i, m, nr = 2;
	int nr_dirs = 0, nr_libs = 0;
	double paired[MAX_ROUNDS], paired_median[MAX_MODES];
	ssize_t len;

	if (argc == 5 && !strcmp(argv[1], "--worker"))
		return worker(atoi(argv[2]), atol(argv[3]), atoi(argv[4]));
	while ((c = getopt(argc, argv, "n:r:g:o:L:")) != -1) {
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
		case 'o':
		case 'L':
			if (nr_dirs + nr_libs == MAX_MODES - 3) {
				fprintf(stderr,
					"record_bench: at most %d -o and -L\n",
					MAX_MODES - 3);
				return 3;
			}
			if (c == 'o')
				dirs[nr_dirs++] = optarg;
			else
				libs[nr_libs++] = optarg;
			break;
		default:
			fprintf(stderr,
				"usage: record_bench [-n PAIRS] [-r ROUNDS] [-g GROUP] [-o DIR]... [-L LIB]...\n");
			return 3;
		}
	}
	if (group < 0 || pairs < 1 || rounds < 1 || rounds > MAX_ROUNDS) {
		fprintf(stderr,
			"record_bench: need a VFIO group (-g N or $ICTL_VM_VFIO_GROUPS), PAIRS >= 1, 1 <= ROUNDS <= %d\n",
			MAX_ROUNDS);
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
	if (getenv("IOMMUCTL_CONFORMANCE"))
		snprintf(record, sizeof(record), "%s",
			 getenv("IOMMUCTL_CONFORMANCE"));
	else
		snprintf(record, sizeof(record),
			 "%s/../../src/conformance/iommuctl-conformance",
			 dirname(strdup(self)));
	/* The log beside it: /tmp, local like record's own live logs. */
	snprintf(trace, sizeof(trace), "/tmp/record_bench.%d.jsonl",
		 (int)getpid());
	if (find_prog("strace", strace, sizeof(strace))) {
		strace[0] = '\0';
		printf("strace is not in PATH: its column is skipped (Debian: apt-get install strace)\n");
	} else {
		modes[nr++] = (struct mode){ STRACED, "strace", NULL };
	}
	t.strace = strace;
	t.record = record;
	/* `record -o DIR/...`: where -o points must not change the cost. */
	for (i = 0; i < nr_dirs; i++) {
		if (access(record, X_OK)) {
			fprintf(stderr, "record_bench: %s: %s\n", record,
				strerror(errno));
			return 2;
		}
		modes[nr++] = (struct mode){ RECORD_CMD, dirs[i], dirs[i] };
	}
	/* Another build of the library beside this one. */
	for (i = 0; i < nr_libs; i++) {
		if (access(libs[i], R_OK)) {
			fprintf(stderr, "record_bench: %s: %s\n", libs[i],
				strerror(errno));
			return 2;
		}
		modes[nr++] = (struct mode){ RECORDED, libs[i], libs[i] };
	}
	for (i = 0; i < rounds; i++) {
		printf("round %d:", i);
		for (m = 0; m < nr; m++) {
			ns[m][i] = run(&t, group, pairs, &modes[m]);
			/*
			 * An untimed plain run after strace: in the TCG guest
			 * the mode timed after strace measured 1.45 against
			 * 1.18 without strace in the rounds (2026-12-03), most
			 * likely the emulator translating code again that
			 * strace's run pushed out.
			 */
			if (modes[m].kind == STRACED)
				run(&t, group, pairs, &modes[0]);
			if (!ns[m][i]) {
				fprintf(stderr, "record_bench: round %d, %s, failed\n",
					i, modes[m].name);
				return 2;
			}
			printf(" %s%s %llu ns/pair",
			       modes[m].kind == RECORD_CMD ? "record -o " : "",
			       modes[m].name, (unsigned long long)ns[m][i]);
		}
		printf("\n");
		fflush(stdout);
	}
	unlink(trace);
	/* Each round's own ratios, before the sort parts the pairs. */
	for (m = 1; m < nr; m++) {
		for (i = 0; i < rounds; i++)
			paired[i] = (double)ns[m][i] / (double)ns[0][i];
		qsort(paired, (size_t)rounds, sizeof(paired[0]), cmp_double);
		paired_median[m] = paired[rounds / 2];
	}
	for (m = 0; m < nr; m++)
		qsort(ns[m], (size_t)rounds, sizeof(ns[m][0]), cmp);
	printf("pairs %ld, rounds %d, median ns per pair:", pairs, rounds);
	for (m = 0; m < nr; m++)
		printf(" %s%s %llu", modes[m].kind == RECORD_CMD ? "record -o " : "",
		       modes[m].name, (unsigned long long)ns[m][rounds / 2]);
	printf("\nratios to plain (median):");
	for (m = 1; m < nr; m++)
		printf(" %s%s/plain %.3f",
		       modes[m].kind == RECORD_CMD ? "record -o " : "",
		       modes[m].name,
		       (double)ns[m][rounds / 2] / (double)ns[0][rounds / 2]);
	if (!*t.strace)
		printf(" strace/plain skipped (no strace)");
	printf("\nratios to plain (median of each round's own):");
	for (m = 1; m < nr; m++)
		printf(" %s%s/plain %.3f",
		       modes[m].kind == RECORD_CMD ? "record -o " : "",
		       modes[m].name, paired_median[m]);
	printf("\n");
	return 0;
}
