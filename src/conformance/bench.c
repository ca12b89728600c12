// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iommuctl-conformance-bench: what the runner costs per operation.
 *
 * Writes a trace of N 4 KiB MAP_DMA + UNMAP_DMA ops, then in one process
 * and on one backend: reads it without replaying (the trace reader alone,
 * timed on its own, with the peak RSS after it), loads it as `run` does
 * (trace-model.c), and then, ROUNDS times one after the other on one
 * container, replays the map/unmap ops with the runner's own live pass
 * (replay_pass(), every result kept to the end; the ops made ready
 * before, off the clock, as `run` does before its pass) and runs a
 * hand-written loop of the same ioctls. The setup ops are replayed once,
 * off the clock. The median of the per-round ratios replay/loop is the runner's
 * per-op overhead on the kernel's path.
 *
 * Usage: iommuctl-conformance-bench [--backend NAME] [--ops N] [--parse-ops N] DIR
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "compat.h"
#include "replay.h"
#include "trace.h"
#include "trace-model.h"

#define BENCH_IOVA 0x100000ULL
#define BENCH_SIZE 0x1000ULL
#define ROUNDS 5

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The setup a VMM does, then n alternating map and unmap ops. */
static int write_trace(const char *path, unsigned long n, bool group)
{
	unsigned long i;
	FILE *f;

	f = fopen(path, "we");
	if (!f)
		return -errno;
	fprintf(f,
		"{\"type\":\"header\",\"format\":\"iommuctl-trace\",\"version\":1,\"page_size\":4096,\"source\":\"iommuctl-conformance-bench\"}\n"
		"{\"type\":\"buffer\",\"name\":\"b\",\"size\":\"0x1000\"}\n"
		"{\"type\":\"op\",\"op\":\"attach_group\"}\n"
		"{\"type\":\"op\",\"op\":\"set_iommu\",\"iommu_type\":\"TYPE1v2_IOMMU\"}\n");
	if (group)
		fprintf(f, "{\"type\":\"op\",\"op\":\"open_device\"}\n");
	for (i = 0; i < n; i++)
		if (i % 2 == 0)
			fprintf(f,
				"{\"type\":\"op\",\"op\":\"map_dma\",\"buffer\":\"b\",\"iova\":\"0x%llx\",\"size\":\"0x%llx\"}\n",
				BENCH_IOVA, BENCH_SIZE);
		else
			fprintf(f,
				"{\"type\":\"op\",\"op\":\"unmap_dma\",\"iova\":\"0x%llx\",\"size\":\"0x%llx\"}\n",
				BENCH_IOVA, BENCH_SIZE);
	if (fflush(f) || ferror(f)) {
		fclose(f);
		return -EIO;
	}
	return fclose(f) ? -errno : 0;
}

/* Read every record; returns the number of ops or -errno. */
static long load(const char *path, struct trace_reader *r,
		 struct trace_rec *rec)
{
	long n = 0;
	FILE *f;
	int rc;

	f = fopen(path, "re");
	if (!f)
		return -errno;
	trace_reader_init(r, f);
	while ((rc = trace_read(r, rec)) > 0)
		n += rec->kind == TRACE_OP;
	fclose(f);
	if (rc) {
		fprintf(stderr, "%s: %s\n", path, r->error);
		return rc;
	}
	return n;
}

/* The same ioctls by hand: ops/2 MAP_DMA + UNMAP_DMA pairs. */
static int loop(int container, void *va, unsigned long ops, double *t_loop)
{
	uint64_t unmapped;
	unsigned long i;
	double t0;
	int rc = 0;

	t0 = now();
	for (i = 0; i < ops / 2 && !rc; i++) {
		rc = iommu_compat_map_dma(container,
					  IC_VFIO_DMA_MAP_FLAG_READ |
						  IC_VFIO_DMA_MAP_FLAG_WRITE,
					  va, BENCH_IOVA, BENCH_SIZE);
		if (!rc)
			rc = iommu_compat_unmap_dma(container, 0, BENCH_IOVA,
						    BENCH_SIZE, &unmapped);
	}
	*t_loop = now() - t0;
	return rc;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: iommuctl-conformance-bench [--backend NAME] [--ops N] [--parse-ops N] DIR\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "backend", required_argument, NULL, 'b' },
		{ "ops", required_argument, NULL, 'n' },
		{ "parse-ops", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long ops = 100000, parse_ops = 1000000;
	double t0, t_load, t_replay, t_loop, t_parse, ratio[ROUNDS];
	struct replay_target target = { .group = -1 };
	int bk = BK_IOMMUFD_NODEV, c, rc, status = 2;
	struct replay_step *steps = NULL;
	struct replay_prep *prep = NULL;
	struct trace_model *m = NULL;
	struct trace_opdesc *d = NULL;
	struct trace_rec *rec = NULL;
	struct trace_reader *r = NULL;
	unsigned int i, setup;
	bool opened = false, group;
	char path[4096], why[256];
	long n, failed;
	struct rusage ru;
	struct replay rp;
	int round;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'b':
			bk = backend_lookup(optarg);
			if (bk < 0) {
				usage();
				return 3;
			}
			break;
		case 'n':
			ops = strtoul(optarg, NULL, 0) & ~1UL;
			break;
		case 'p':
			parse_ops = strtoul(optarg, NULL, 0) & ~1UL;
			break;
		default:
			usage();
			return 3;
		}
	}
	if (optind != argc - 1 || !ops || !parse_ops) {
		usage();
		return 3;
	}
	r = malloc(sizeof(*r));
	rec = malloc(sizeof(*rec));
	m = calloc(1, sizeof(*m));
	d = malloc(sizeof(*d));
	if (!r || !rec || !m || !d)
		goto out;

	/* The reader alone, on the long trace, before anything grows RSS. */
	snprintf(path, sizeof(path), "%s/bench-parse.jsonl", argv[optind]);
	rc = write_trace(path, parse_ops, true);
	if (rc) {
		fprintf(stderr, "%s: %s\n", path, strerror(-rc));
		goto out;
	}
	t0 = now();
	n = load(path, r, rec);
	t_parse = now() - t0;
	remove(path);
	if (n < 0)
		goto out;
	getrusage(RUSAGE_SELF, &ru);
	printf("parse: %ld ops in %.3f s, %.0f ops/s, peak RSS %.1f MiB\n", n,
	       t_parse, n / t_parse, ru.ru_maxrss / 1024.0);

	group = backend_desc(bk)->uses_group;
	if (group &&
	    replay_target_resolve(NULL, &target, false, why, sizeof(why))) {
		fprintf(stderr, "%s\n", why);
		status = 4;
		goto out;
	}
	snprintf(path, sizeof(path), "%s/bench-replay.jsonl", argv[optind]);
	rc = write_trace(path, ops, group);
	if (rc) {
		fprintf(stderr, "%s: %s\n", path, strerror(-rc));
		goto out;
	}
	t0 = now();
	rc = trace_model_load(m, path);
	t_load = now() - t0;
	remove(path);
	if (rc) {
		fprintf(stderr, "%s: %s\n", path, m->error);
		goto out;
	}
	setup = group ? 3 : 2;
	steps = calloc(m->nr_ops, sizeof(*steps));
	prep = calloc(m->nr_ops, sizeof(*prep));
	if (!steps || !prep)
		goto out;

	if (replay_open(&rp, bk, &target, why, sizeof(why))) {
		fprintf(stderr, "%s: %s\n", backend_name(bk), why);
		status = 4;
		goto out;
	}
	opened = true;
	for (i = 0; i < m->nr_buffers; i++)
		replay_buffer(&rp, i, &m->buffers[i]);
	replay_prepare(&rp, m, 0, m->nr_ops, d, prep);
	if (replay_pass(&rp, m, prep, 0, setup, d, steps))
		goto out;
	for (i = 0; i < setup; i++)
		if (steps[i].res.err || steps[i].res.skipped) {
			fprintf(stderr, "setup op %u: %s\n", i,
				steps[i].res.skipped ? steps[i].res.skip_reason :
						       strerror(steps[i].res.err));
			goto out;
		}
	/*
	 * Rounds of replay then loop, one after the other on one container,
	 * so that a slow spell of this shared machine hits both; the median
	 * of the per-round ratios is the result.
	 */
	printf("backend %s, %lu map/unmap ops, %d rounds\n", backend_name(bk),
	       ops, ROUNDS);
	printf("trace loading (the runner's model): %.3f s\n", t_load);
	for (round = 0; round < ROUNDS; round++) {
		for (i = setup; i < m->nr_ops; i++)
			replay_step_release(&steps[i]);
		t0 = now();
		rc = replay_pass(&rp, m, prep, setup, m->nr_ops, d, steps);
		t_replay = now() - t0;
		for (i = setup, failed = 0; i < m->nr_ops; i++)
			failed += steps[i].res.err || steps[i].res.skipped;
		if (rc || failed) {
			fprintf(stderr, "replay: %ld of %lu ops failed\n", failed,
				ops);
			goto out;
		}
		rc = loop(rp.container, rp.buf[0], ops, &t_loop);
		if (rc) {
			fprintf(stderr, "loop: %s\n", strerror(-rc));
			goto out;
		}
		ratio[round] = t_replay / t_loop;
		printf("round %d: replay %.3f s (%.2f us/op), loop %.3f s (%.2f us/op), ratio %.3f\n",
		       round + 1, t_replay, t_replay * 1e6 / ops, t_loop,
		       t_loop * 1e6 / ops, ratio[round]);
	}
	qsort(ratio, ROUNDS, sizeof(ratio[0]), cmp_double);
	printf("ratio replay/loop: %.3f (median of %d rounds; min %.3f, max %.3f)\n",
	       ratio[ROUNDS / 2], ROUNDS, ratio[0], ratio[ROUNDS - 1]);
	status = 0;
out:
	if (opened)
		replay_close(&rp);
	if (steps)
		for (i = 0; i < m->nr_ops; i++)
			replay_step_release(&steps[i]);
	free(steps);
	free(prep);
	if (m)
		trace_model_release(m);
	free(m);
	free(d);
	free(r);
	free(rec);
	if (fflush(stdout) || ferror(stdout))
		return 2;
	return status;
}
