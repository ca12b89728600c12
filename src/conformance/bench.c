// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iommuctl-conformance-bench: what the runner costs per operation.
 *
 * Writes a trace of N 4 KiB MAP_DMA + UNMAP_DMA ops, then in one process
 * and on one backend: reads it without replaying (trace loading), replays
 * it the way `run` does (reading, replaying, recording each result), and
 * runs a hand-written loop of the same ioctls. Only replaying is on the
 * replay phase's clock (records are parsed a batch ahead); its ratio to
 * the loop is the runner's per-op overhead. Also prints the parse rate
 * and the peak RSS after parsing the long trace.
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

/* Records parsed ahead of a timed batch: the clock reads stay rare. */
#define BATCH 64

/*
 * Replay as `run` does, every result recorded and kept to the end, with
 * only the replaying on the clock: records are parsed a batch ahead.
 * The replay stays open for the loop, so both use one container.
 */
static long replay(const char *path, struct replay *rp, struct trace_reader *r,
		   struct trace_rec *batch, struct op_result *res, long max,
		   long *failed, double *t_replay)
{
	unsigned int nbuf = 0, k = 0, j;
	long n = 0;
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
		if (rc > 0 && batch[k].kind == TRACE_BUFFER)
			replay_buffer(rp, nbuf++, &batch[k].buffer);
		else if (rc > 0 && batch[k].kind == TRACE_OP && n + k < max)
			k++;
		if (k < BATCH && rc > 0)
			continue;
		t0 = now();
		for (j = 0; j < k; j++, n++)
			replay_op(rp, &batch[j].op, &res[n]);
		*t_replay += now() - t0;
		for (j = 0; j < k; j++)
			*failed += res[n - k + j].err || res[n - k + j].skipped;
		k = 0;
	} while (rc > 0);
	fclose(f);
	return rc < 0 ? rc : n;
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
	double t0, t_load, t_replay = 0, t_loop, t_parse;
	struct replay_target target = { .group = -1 };
	int bk = BK_IOMMUFD_NODEV, c, rc, status = 2;
	struct op_result *res = NULL;
	struct trace_rec *rec, *batch;
	struct trace_reader *r;
	long n, failed = 0, setup;
	char path[4096], why[256];
	struct rusage ru;
	struct replay rp;
	uint64_t unmapped;
	bool opened = false;
	void *va;

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

	if (bk != BK_IOMMUFD_NODEV &&
	    replay_target_resolve(&target, false, why, sizeof(why))) {
		fprintf(stderr, "%s\n", why);
		status = 4;
		goto out;
	}
	snprintf(path, sizeof(path), "%s/bench-replay.jsonl", argv[optind]);
	rc = write_trace(path, ops, bk != BK_IOMMUFD_NODEV);
	if (rc) {
		fprintf(stderr, "%s: %s\n", path, strerror(-rc));
		goto out;
	}
	setup = bk != BK_IOMMUFD_NODEV ? 3 : 2;
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
	n = replay(path, &rp, r, batch, res, (long)ops + setup, &failed,
		   &t_replay);
	if (n < 0 || failed) {
		fprintf(stderr, "replay: %ld of %ld ops failed\n", failed, n);
		goto out_remove;
	}

	/* The same ioctls by hand, on the container the replay set up. */
	va = rp.buf[0];
	t0 = now();
	for (i = 0; i < ops / 2; i++) {
		rc = iommu_compat_map_dma(rp.container,
					  IC_VFIO_DMA_MAP_FLAG_READ |
						  IC_VFIO_DMA_MAP_FLAG_WRITE,
					  va, BENCH_IOVA, BENCH_SIZE);
		if (!rc)
			rc = iommu_compat_unmap_dma(rp.container, 0, BENCH_IOVA,
						    BENCH_SIZE, &unmapped);
		if (rc) {
			fprintf(stderr, "loop: %s\n", strerror(-rc));
			goto out_remove;
		}
	}
	t_loop = now() - t0;

	printf("backend %s, %lu ops\n", backend_name(bk), ops);
	printf("trace loading: %.3f s\n", t_load);
	printf("replay phase:  %.3f s (%.2f us/op)\n", t_replay,
	       t_replay * 1e6 / ops);
	printf("ioctl loop:    %.3f s (%.2f us/op)\n", t_loop,
	       t_loop * 1e6 / ops);
	printf("ratio replay/loop: %.3f\n", t_replay / t_loop);
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
