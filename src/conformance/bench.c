// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iommuctl-conformance-bench: what the runner costs per operation.
 *
 * Writes a trace of N 4 KiB MAP_DMA + UNMAP_DMA ops, then in one process
 * and on one backend: reads it without replaying (trace loading, timed on
 * its own), and then, ROUNDS times one after the other on one container,
 * replays it the way `run` does (reading, replaying, recording each
 * result) and runs a hand-written loop of the same ioctls. Only the
 * replaying of the map/unmap ops is on the replay phase's clock (records
 * are parsed a small batch ahead, the setup ops are not timed); the median
 * of the per-round ratios replay/loop is the runner's per-op overhead.
 * Also prints the parse rate and the peak RSS after parsing the long
 * trace.
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

/*
 * Records parsed ahead of a timed batch, so the clock reads stay rare. A
 * record is over 4 KiB (it can carry raw ioctl bytes), so a small batch
 * keeps the records being replayed in cache, as `run` keeps its one.
 */
#define BATCH 8

/*
 * Replay as `run` does, every result recorded and kept to the end, with
 * only the replaying of the map/unmap ops on the clock: the setup ops (the
 * first nsetup) are replayed untimed on the first round and passed over on
 * later ones, and records are parsed a batch ahead. The replay stays open
 * across rounds and for the loop, so all of them use one container.
 */
static long replay(const char *path, struct replay *rp, struct trace_reader *r,
		   struct trace_rec *batch, struct op_result *res, long nsetup,
		   bool first, long *failed, double *t_replay)
{
	unsigned int nbuf = 0, k = 0, j;
	long n = 0, seen = 0;
	double t0;
	FILE *f;
	int rc;

	f = fopen(path, "re");
	if (!f)
		return -errno;
	trace_reader_init(r, f);
	*t_replay = 0;
	do {
		rc = trace_read(r, &batch[k]);
		if (rc > 0 && batch[k].kind == TRACE_BUFFER && first)
			replay_buffer(rp, nbuf++, &batch[k].buffer);
		if (rc > 0 && batch[k].kind == TRACE_OP && seen++ < nsetup) {
			if (first) {
				op_result_release(&res[n]);
				replay_op(rp, &batch[k].op, &res[n]);
				*failed += res[n].err || res[n].skipped;
				n++;
			}
			continue;
		}
		if (rc > 0 && batch[k].kind == TRACE_OP)
			k++;
		if (k < BATCH && rc > 0)
			continue;
		for (j = 0; j < k; j++)
			op_result_release(&res[n + j]);
		t0 = now();
		for (j = 0; j < k; j++)
			replay_op(rp, &batch[j].op, &res[n + j]);
		*t_replay += now() - t0;
		for (j = 0; j < k; j++, n++)
			*failed += res[n].err || res[n].skipped;
		k = 0;
	} while (rc > 0);
	fclose(f);
	return rc < 0 ? rc : n;
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
	unsigned long ops = 100000, parse_ops = 1000000, i;
	double t0, t_load, t_replay = 0, t_loop, t_parse, ratio[ROUNDS];
	struct replay_target target = { .group = -1 };
	int bk = BK_IOMMUFD_NODEV, c, rc, status = 2;
	bool group;
	struct op_result *res = NULL;
	struct trace_rec *rec, *batch;
	struct trace_reader *r;
	long n, failed = 0, setup;
	char path[4096], why[256];
	struct rusage ru;
	struct replay rp;
	bool opened = false;
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
	batch = calloc(BATCH, sizeof(*batch));
	if (!r || !rec || !batch)
		goto out;

	/* Parsing alone, on the long trace, before anything else grows RSS. */
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
	setup = group ? 3 : 2;
	res = calloc(ops + 3, sizeof(*res));
	if (!res)
		goto out_remove;

	t0 = now();
	n = load(path, r, rec);
	t_load = now() - t0;
	if (n < 0)
		goto out_remove;

	if (replay_open(&rp, bk, &target, why, sizeof(why))) {
		fprintf(stderr, "%s: %s\n", backend_name(bk), why);
		status = 4;
		goto out_remove;
	}
	opened = true;
	/*
	 * Rounds of replay then loop, one after the other on one container,
	 * so that a slow spell of this shared machine hits both; the median
	 * of the per-round ratios is the result.
	 */
	printf("backend %s, %lu map/unmap ops, %d rounds\n", backend_name(bk),
	       ops, ROUNDS);
	printf("trace loading: %.3f s\n", t_load);
	for (round = 0; round < ROUNDS; round++) {
		n = replay(path, &rp, r, batch, res, setup, round == 0, &failed,
			   &t_replay);
		if (n < 0 || failed) {
			fprintf(stderr, "replay: %ld of %ld ops failed\n",
				failed, n);
			goto out_remove;
		}
		rc = loop(rp.container, rp.buf[0], ops, &t_loop);
		if (rc) {
			fprintf(stderr, "loop: %s\n", strerror(-rc));
			goto out_remove;
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
out_remove:
	remove(path);
out:
	if (opened)
		replay_close(&rp);
	if (res)
		for (i = 0; i < ops + 3; i++)
			op_result_release(&res[i]);
	free(res);
	free(r);
	free(rec);
	free(batch);
	if (fflush(stdout) || ferror(stdout))
		return 2;
	return status;
}
