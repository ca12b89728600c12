// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What a mediated device can reach through the VFIO emulated-IOMMU path,
 * run once against the legacy type1 container (/dev/vfio/vfio) and once
 * against iommufd's compat container (/dev/iommu), with an
 * iommuctl_dmaprobe mdev doing the DMA. Where the two backends may answer
 * differently, the test prints an "observed <backend>:" line and checks
 * only what must hold for both; kyua's verbose report carries them.
 */
#include "config.h"

#include <errno.h>
#include <linux/vfio.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dmaprobe_helpers.h"

#define IOVA_A 0x100000ULL
#define IOVA_B 0x200000ULL
#define IOVA_C 0x400000ULL
#define PATTERN 0x0123456789abcdefULL

static size_t pg(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

/* Defines the test case for both backends, with a cleanup for the mdevs. */
#define DP_TC(name, descr, timeout)                      \
	ATF_TC_WITH_CLEANUP(type1_##name);               \
	ATF_TC_HEAD(type1_##name, tc)                    \
	{                                                \
		dp_head(tc, DP_TYPE1, descr, timeout);   \
	}                                                \
	ATF_TC_BODY(type1_##name, tc)                    \
	{                                                \
		name(DP_TYPE1);                          \
	}                                                \
	ATF_TC_CLEANUP(type1_##name, tc)                 \
	{                                                \
		dp_cleanup();                            \
	}                                                \
	ATF_TC_WITH_CLEANUP(iommufd_##name);             \
	ATF_TC_HEAD(iommufd_##name, tc)                  \
	{                                                \
		dp_head(tc, DP_IOMMUFD, descr, timeout); \
	}                                                \
	ATF_TC_BODY(iommufd_##name, tc)                  \
	{                                                \
		name(DP_IOMMUFD);                        \
	}                                                \
	ATF_TC_CLEANUP(iommufd_##name, tc)               \
	{                                                \
		dp_cleanup();                            \
	}

#define DP_ADD_TC(tp, name)                        \
	do {                                       \
		ATF_TP_ADD_TC(tp, type1_##name);   \
		ATF_TP_ADD_TC(tp, iommufd_##name); \
	} while (0)

static void check_pattern(const uint8_t *p, size_t len, uint64_t pattern,
			  uint64_t start)
{
	size_t i;

	for (i = 0; i < len; i++)
		ATF_REQUIRE_EQ_MSG(p[i], dp_pattern_byte(pattern, start + i),
				   "byte %zu of the transfer: 0x%02x",
				   start + i, p[i]);
}

static void check_fill(const uint8_t *p, size_t len, uint8_t val)
{
	size_t i;

	for (i = 0; i < len; i++)
		ATF_REQUIRE_EQ_MSG(p[i], val,
				   "byte %zu: 0x%02x, expected 0x%02x", i, p[i],
				   val);
}

static uint64_t errors_total(const struct dmaprobe_counters *cnt)
{
	uint64_t n = 0;
	unsigned int i;

	for (i = 0; i < DMAPROBE_ERRNO_SLOTS; i++)
		n += cnt->errors[i];
	return n;
}

static void write_visible(enum dp_backend b)
{
	const size_t size = 16 * pg();
	struct dmaprobe_counters cnt;
	uint8_t *buf, *next;
	struct dp_ctx c;
	int st;

	dp_open(&c, b, VFIO_TYPE1v2_IOMMU);
	buf = dp_buffer(size);
	next = dp_buffer(size);
	dp_map_ok(&c, buf, IOVA_A, size, true);
	/* Adjacent in IOVA, unrelated in the process. */
	dp_map_ok(&c, next, IOVA_A + size, size, true);

	st = dp_dma_write(&c, IOVA_A + 123, 1000, PATTERN);
	ATF_REQUIRE_EQ_MSG(st, 0, "DMA write: %s", dp_errname(st));
	check_fill(buf, 123, 0);
	check_pattern(buf + 123, 1000, PATTERN, 0);
	check_fill(buf + 1123, size - 1123, 0);
	check_fill(next, size, 0);

	st = dp_dma_write(&c, IOVA_A + size - 100, 300, PATTERN);
	dp_observe(&c, "DMA write across two adjacent mappings: %s",
		   dp_errname(st));
	ATF_REQUIRE_EQ(st, 0);
	check_pattern(buf + size - 100, 100, PATTERN, 0);
	check_pattern(next, 200, PATTERN, 100);
	check_fill(next + 200, size - 200, 0);

	dp_counters(&c, &cnt);
	ATF_CHECK_EQ(cnt.dma_writes, 2);
	ATF_CHECK_EQ(cnt.bytes_written, 1300);
	ATF_CHECK_EQ(cnt.dma_errors, 0);
	ATF_CHECK_EQ(errors_total(&cnt), 0);
	dp_close(&c);
}
DP_TC(write_visible,
      "a device DMA write lands in the user's buffer, "
      "exactly where the IOVA says",
      120)

static void read_back(enum dp_backend b)
{
	static const struct {
		size_t off, len;
	} reads[] = { { 0, 4096 }, { 4095, 2 }, { 5, 1 }, { 12305, 5000 } };
	const size_t size = 16 * pg();
	struct dmaprobe_counters cnt;
	uint64_t total = 0;
	struct dp_ctx c;
	uint8_t *buf;
	size_t i;
	int st;

	dp_open(&c, b, VFIO_TYPE1v2_IOMMU);
	buf = dp_buffer(size);
	for (i = 0; i < size; i++)
		buf[i] = (uint8_t)(i * 7 + 3);
	dp_map_ok(&c, buf, IOVA_A, size, true);

	for (i = 0; i < sizeof(reads) / sizeof(reads[0]); i++) {
		uint8_t *out = malloc(reads[i].len);

		ATF_REQUIRE(out);
		memset(out, 0xaa, reads[i].len);
		st = dp_dma_read(&c, IOVA_A + reads[i].off, reads[i].len, out);
		ATF_REQUIRE_EQ_MSG(st, 0, "DMA read at +%zu: %s", reads[i].off,
				   dp_errname(st));
		ATF_REQUIRE_MSG(!memcmp(out, buf + reads[i].off, reads[i].len),
				"DMA read at +%zu returned other bytes",
				reads[i].off);
		total += reads[i].len;
		free(out);
	}
	st = dp_dma_read(&c, IOVA_A, size, buf);
	ATF_REQUIRE_EQ(st, 0);
	total += size;

	dp_counters(&c, &cnt);
	ATF_CHECK_EQ(cnt.dma_reads, 5);
	ATF_CHECK_EQ(cnt.bytes_read, total);
	ATF_CHECK_EQ(cnt.bytes_written, 0);
	dp_close(&c);
}
DP_TC(read_back, "a device DMA read returns the bytes the user wrote", 120)

/* One DMA request with flags; the ioctl's own result must be success. */
static int kthread_dma(struct dp_ctx *c, unsigned long req, uint64_t iova,
		       uint64_t len, uint64_t pattern, void *data)
{
	struct dmaprobe_dma r = {
		.argsz = sizeof(r),
		.flags = DMAPROBE_DMA_KTHREAD,
		.iova = iova,
		.length = len,
		.pattern = pattern,
		.data = (uintptr_t)data,
	};

	ATF_REQUIRE_MSG(ioctl(c->device, req, &r) == 0, "DMA from a kthread: %s",
			strerror(errno));
	return r.status;
}

static void kthread_access(enum dp_backend b)
{
	const size_t size = 4 * pg();
	struct dmaprobe_counters cnt;
	uint8_t *buf, out[100];
	struct dp_ctx c;
	int st;

	dp_open(&c, b, VFIO_TYPE1v2_IOMMU);
	buf = dp_buffer(size);
	memset(buf, 0x3c, size);
	dp_map_ok(&c, buf, IOVA_A, size, true);

	st = kthread_dma(&c, DMAPROBE_DMA_WRITE, IOVA_A + pg() - 50, 100,
			 PATTERN, NULL);
	ATF_REQUIRE_EQ_MSG(st, 0, "kthread write across a page: %s",
			   dp_errname(st));
	check_pattern(buf + pg() - 50, 100, PATTERN, 0);
	memset(out, 0, sizeof(out));
	st = kthread_dma(&c, DMAPROBE_DMA_READ, IOVA_A + pg() - 50, 100, 0,
			 out);
	ATF_REQUIRE_EQ_MSG(st, 0, "kthread read: %s", dp_errname(st));
	ATF_CHECK(!memcmp(out, buf + pg() - 50, sizeof(out)));
	st = kthread_dma(&c, DMAPROBE_DMA_READ, IOVA_A + size - 8, 16, 0, out);
	dp_observe(&c, "kthread read past the mapping: %s", dp_errname(st));
	ATF_CHECK(st != 0);

	dp_counters(&c, &cnt);
	ATF_CHECK_EQ(cnt.dma_writes, 1);
	ATF_CHECK_EQ(cnt.dma_reads, 1);
	ATF_CHECK_EQ(cnt.dma_errors, 1);
	dp_close(&c);
}
DP_TC(kthread_access,
      "DMA from a kernel thread (DMAPROBE_DMA_KTHREAD) reaches the "
      "mapping owner's memory and no further",
      120)

static void readonly_write(enum dp_backend b)
{
	const size_t size = 4 * pg();
	struct dmaprobe_counters cnt;
	uint8_t *buf, out[64];
	struct dp_ctx c;
	int st, pin_st;

	dp_open(&c, b, VFIO_TYPE1v2_IOMMU);
	buf = dp_buffer(size);
	memset(buf, 0x5a, size);
	dp_map_ok(&c, buf, IOVA_A, size, false);

	st = dp_dma_read(&c, IOVA_A, sizeof(out), out);
	ATF_REQUIRE_EQ_MSG(st, 0, "DMA read of a read-only mapping: %s",
			   dp_errname(st));
	check_fill(out, sizeof(out), 0x5a);

	st = dp_dma_write(&c, IOVA_A + 10, 64, PATTERN);
	dp_observe(&c, "DMA write to a read-only mapping: %s", dp_errname(st));
	ATF_REQUIRE_MSG(st != 0, "the device wrote to a read-only mapping");
	check_fill(buf, size, 0x5a);

	pin_st = dp_pin(&c, IOVA_A, 1, DMAPROBE_PIN_WRITE);
	dp_observe(&c, "write pin of a read-only mapping: %s",
		   dp_errname(pin_st));
	ATF_REQUIRE_MSG(pin_st != 0, "a read-only mapping was pinned writable");
	ATF_REQUIRE_EQ(dp_pin(&c, IOVA_A, 1, 0), 0);

	dp_counters(&c, &cnt);
	ATF_CHECK_EQ(cnt.dma_errors, 1);
	ATF_CHECK_EQ(cnt.pin_errors, 1);
	ATF_CHECK_EQ(cnt.pins, 1);
	ATF_CHECK_EQ(errors_total(&cnt), 2);
	ATF_CHECK(cnt.errors[st] >= 1 && cnt.errors[pin_st] >= 1);
	ATF_CHECK_EQ(dp_unpin(&c, 0, ~0ULL), 1);
	dp_close(&c);
}
DP_TC(readonly_write,
      "a read-only mapping refuses device writes and write "
      "pins, and stays intact",
      120)

static void unmap_dma_fails(enum dp_backend b)
{
	const size_t size = 4 * pg();
	struct dmaprobe_counters cnt;
	uint64_t unmapped;
	struct dp_ctx c;
	uint8_t *buf, out[16];
	int st;

	dp_open(&c, b, VFIO_TYPE1v2_IOMMU);
	buf = dp_buffer(size);
	dp_map_ok(&c, buf, IOVA_A, size, true);
	ATF_REQUIRE_EQ(dp_dma_write(&c, IOVA_A, 100, PATTERN), 0);

	ATF_REQUIRE_EQ(dp_unmap(&c, IOVA_A, size, 0, &unmapped), 0);
	ATF_CHECK_EQ(unmapped, size);

	st = dp_dma_write(&c, IOVA_A + 2000, 64, PATTERN);
	dp_observe(&c, "DMA write after unmap: %s", dp_errname(st));
	ATF_REQUIRE_MSG(st != 0, "the device wrote through an unmapped IOVA");
	check_pattern(buf, 100, PATTERN, 0);
	check_fill(buf + 100, size - 100, 0);

	st = dp_dma_read(&c, IOVA_A, sizeof(out), out);
	dp_observe(&c, "DMA read after unmap: %s", dp_errname(st));
	ATF_REQUIRE_MSG(st != 0, "the device read through an unmapped IOVA");

	dp_counters(&c, &cnt);
	dp_observe(&c, "dma_unmap callbacks for an unmap with no pins: %llu",
		   (unsigned long long)cnt.unmap_callbacks);
	ATF_CHECK_EQ(cnt.dma_errors, 2);
	ATF_CHECK_EQ(cnt.dma_writes, 1);
	dp_close(&c);
}
DP_TC(unmap_dma_fails,
      "after an unmap the device can neither read nor "
      "write the IOVA",
      120)

static void pin_unmap(enum dp_backend b)
{
	const size_t size = 16 * pg();
	struct dmaprobe_counters cnt;
	uint64_t callbacks;
	uint8_t *a, *bb;
	struct dp_ctx c;
	int st;

	dp_open(&c, b, VFIO_TYPE1v2_IOMMU);
	a = dp_buffer(size);
	bb = dp_buffer(size);
	dp_map_ok(&c, a, IOVA_A, size, true);
	dp_map_ok(&c, bb, IOVA_B, size, true);

	ATF_REQUIRE_EQ(dp_pin(&c, IOVA_A + 4 * pg(), 4, DMAPROBE_PIN_WRITE), 0);
	ATF_REQUIRE_EQ(dp_pin(&c, IOVA_B, 2, 0), 0);
	dp_counters(&c, &cnt);
	ATF_CHECK_EQ(cnt.pins_outstanding, 2);
	ATF_CHECK_EQ(cnt.pages_pinned, 6);
	ATF_CHECK_EQ(dp_mdev_gauge(&c.mdev, "pins_outstanding"), 2);
	ATF_CHECK_EQ(dp_mdev_gauge(&c.mdev, "pages_pinned"), 6);

	ATF_REQUIRE_EQ(dp_unmap(&c, IOVA_A, size, 0, NULL), 0);
	dp_counters(&c, &cnt);
	dp_observe(
		&c,
		"unmap of a mapping holding a pin: %llu dma_unmap callback(s), "
		"last iova 0x%llx length 0x%llx",
		(unsigned long long)cnt.unmap_callbacks,
		(unsigned long long)cnt.last_unmap_iova,
		(unsigned long long)cnt.last_unmap_length);
	ATF_REQUIRE_MSG(cnt.unmap_callbacks >= 1,
			"no dma_unmap callback for a pinned range");
	ATF_CHECK(cnt.last_unmap_iova <= IOVA_A + 4 * pg() &&
		  cnt.last_unmap_iova + cnt.last_unmap_length >=
			  IOVA_A + 8 * pg());
	ATF_CHECK_EQ(cnt.unmap_released, 1);
	ATF_CHECK_EQ(cnt.pins_outstanding, 1);
	ATF_CHECK_EQ(cnt.pages_pinned, 2);

	st = dp_dma_write(&c, IOVA_A + 4 * pg(), 8, PATTERN);
	dp_observe(&c, "DMA write to a formerly pinned, now unmapped IOVA: %s",
		   dp_errname(st));
	ATF_REQUIRE(st != 0);
	check_fill(a, size, 0);
	st = dp_pin(&c, IOVA_A, 1, 0);
	dp_observe(&c, "pin of an unmapped IOVA: %s", dp_errname(st));
	ATF_REQUIRE(st != 0);
	ATF_REQUIRE_EQ(dp_dma_write(&c, IOVA_B, 8, PATTERN), 0);
	check_pattern(bb, 8, PATTERN, 0);

	ATF_CHECK_EQ(dp_unpin(&c, IOVA_B, size), 1);
	callbacks = cnt.unmap_callbacks;
	ATF_REQUIRE_EQ(dp_unmap(&c, IOVA_B, size, 0, NULL), 0);
	dp_counters(&c, &cnt);
	dp_observe(&c, "dma_unmap callbacks for an unmap after the unpin: %llu",
		   (unsigned long long)(cnt.unmap_callbacks - callbacks));
	ATF_CHECK_EQ(cnt.unpins, 1);
	ATF_CHECK_EQ(cnt.pins_outstanding, 0);
	ATF_CHECK_EQ(cnt.pages_pinned, 0);
	ATF_CHECK_EQ(dp_mdev_gauge(&c.mdev, "pins_outstanding"), 0);
	ATF_CHECK_EQ(dp_mdev_gauge(&c.mdev, "pages_pinned"), 0);
	dp_close(&c);
}
DP_TC(pin_unmap,
      "unmapping a pinned range calls dma_unmap, which releases "
      "the pin and only that one",
      120)

static void unmap_all(enum dp_backend b)
{
	const uint64_t iovas[] = { IOVA_A, IOVA_B, IOVA_C };
	const size_t size = 8 * pg();
	struct dmaprobe_counters cnt;
	uint64_t unmapped;
	struct dp_ctx c;
	unsigned int i;
	int st;

	dp_open(&c, b, VFIO_TYPE1v2_IOMMU);
	ATF_REQUIRE_EQ_MSG(ioctl(c.container, VFIO_CHECK_EXTENSION,
				 VFIO_UNMAP_ALL),
			   1, "VFIO_UNMAP_ALL not supported");
	for (i = 0; i < 3; i++)
		dp_map_ok(&c, dp_buffer(size), iovas[i], size, true);
	ATF_REQUIRE_EQ(dp_pin(&c, IOVA_A, 2, DMAPROBE_PIN_WRITE), 0);
	ATF_REQUIRE_EQ(dp_pin(&c, IOVA_C + pg(), 1, 0), 0);

	ATF_REQUIRE_EQ(dp_unmap(&c, 0, 0, VFIO_DMA_UNMAP_FLAG_ALL, &unmapped),
		       0);
	dp_counters(&c, &cnt);
	dp_observe(&c,
		   "unmap-all: %llu bytes reported unmapped, %llu dma_unmap "
		   "callback(s)",
		   (unsigned long long)unmapped,
		   (unsigned long long)cnt.unmap_callbacks);
	ATF_CHECK_EQ(unmapped, 3 * size);
	ATF_CHECK(cnt.unmap_callbacks >= 2);
	ATF_CHECK_EQ(cnt.unmap_released, 2);
	ATF_CHECK_EQ(cnt.pins_outstanding, 0);
	ATF_CHECK_EQ(cnt.pages_pinned, 0);
	for (i = 0; i < 3; i++) {
		st = dp_dma_write(&c, iovas[i], 8, PATTERN);
		ATF_CHECK_MSG(st != 0, "DMA to 0x%llx after unmap-all",
			      (unsigned long long)iovas[i]);
	}
	dp_close(&c);
}
DP_TC(unmap_all,
      "VFIO_DMA_UNMAP_FLAG_ALL releases every pin and ends all "
      "DMA",
      120)

static void close_releases_pins(enum dp_backend b)
{
	const size_t size = 8 * pg();
	struct dmaprobe_counters cnt, zero;
	struct dp_ctx c;

	dp_open(&c, b, VFIO_TYPE1v2_IOMMU);
	dp_map_ok(&c, dp_buffer(size), IOVA_A, size, true);
	ATF_REQUIRE_EQ(dp_pin(&c, IOVA_A, 1, 0), 0);
	ATF_REQUIRE_EQ(dp_pin(&c, IOVA_A + pg(), 2, DMAPROBE_PIN_WRITE), 0);
	ATF_REQUIRE_EQ(dp_pin(&c, IOVA_A, 8, 0), 0);
	ATF_REQUIRE_EQ(dp_dma_write(&c, IOVA_A, 10, PATTERN), 0);
	ATF_CHECK_EQ(dp_mdev_gauge(&c.mdev, "pins_outstanding"), 3);
	ATF_CHECK_EQ(dp_mdev_gauge(&c.mdev, "pages_pinned"), 11);

	close(c.device);
	c.device = -1;
	ATF_CHECK_EQ(dp_mdev_gauge(&c.mdev, "pins_outstanding"), 0);
	ATF_CHECK_EQ(dp_mdev_gauge(&c.mdev, "pages_pinned"), 0);

	dp_reopen_device(&c);
	dp_counters(&c, &cnt);
	memset(&zero, 0, sizeof(zero));
	zero.argsz = cnt.argsz;
	ATF_CHECK_MSG(!memcmp(&cnt, &zero, sizeof(cnt)),
		      "counters did not start from zero on reopen");
	ATF_REQUIRE_EQ(dp_dma_write(&c, IOVA_A, 10, PATTERN), 0);
	ATF_REQUIRE_EQ(dp_unmap(&c, IOVA_A, size, 0, NULL), 0);
	dp_counters(&c, &cnt);
	ATF_CHECK_EQ(cnt.unmap_callbacks, 0);
	dp_close(&c);
}
DP_TC(close_releases_pins,
      "closing the device releases its pins; a reopened "
      "device starts from zero counters",
      120)

static void other_process(enum dp_backend b)
{
	const size_t size = 4 * pg();
	struct dp_ctx c;
	uint8_t *buf;
	int status, st;
	pid_t pid;

	dp_open(&c, b, VFIO_TYPE1v2_IOMMU);
	buf = dp_buffer(size);
	dp_map_ok(&c, buf, IOVA_A, size, true);

	pid = fork();
	ATF_REQUIRE(pid >= 0);
	if (pid == 0) {
		struct dmaprobe_dma r = {
			.argsz = sizeof(r),
			.iova = IOVA_A + 64,
			.length = 256,
			.pattern = PATTERN,
		};

		if (ioctl(c.device, DMAPROBE_DMA_WRITE, &r))
			_exit(255);
		_exit((int)r.status);
	}
	ATF_REQUIRE(waitpid(pid, &status, 0) == pid);
	ATF_REQUIRE(WIFEXITED(status) && WEXITSTATUS(status) != 255);
	st = WEXITSTATUS(status);
	dp_observe(&c,
		   "DMA write requested by a forked child (another mm) into "
		   "the parent's mapping: %s",
		   dp_errname(st));
	if (st == 0) {
		check_fill(buf, 64, 0);
		check_pattern(buf + 64, 256, PATTERN, 0);
		check_fill(buf + 320, size - 320, 0);
	} else {
		check_fill(buf, size, 0);
	}
	dp_close(&c);
}
DP_TC(other_process,
      "a DMA requested by another process lands in the "
      "mapping owner's memory or nowhere",
      120)

static void partial_dma(enum dp_backend b)
{
	const size_t size = 4 * pg();
	size_t landed, i;
	uint8_t *buf, *out;
	struct dp_ctx c;
	int st;

	dp_open(&c, b, VFIO_TYPE1v2_IOMMU);
	buf = dp_buffer(size);
	dp_map_ok(&c, buf, IOVA_A, size, true);

	st = dp_dma_write(&c, IOVA_A + size - 100, 300, PATTERN);
	for (landed = 0; landed < 100; landed++)
		if (buf[size - 100 + landed] !=
		    dp_pattern_byte(PATTERN, landed))
			break;
	dp_observe(&c,
		   "DMA write running 200 bytes past the end of a mapping: %s, "
		   "%zu of its 100 mapped bytes stored",
		   dp_errname(st), landed);
	ATF_REQUIRE_MSG(st != 0, "a write past the mapping succeeded");
	check_fill(buf, size - 100, 0);

	memset(buf, 0, size);
	st = dp_dma_write(&c, IOVA_A - 100, 300, PATTERN);
	for (landed = 0, i = 0; i < 200; i++)
		landed += buf[i] == dp_pattern_byte(PATTERN, 100 + i);
	dp_observe(&c,
		   "DMA write starting 100 bytes before a mapping: %s, %zu of "
		   "its 200 mapped bytes stored",
		   dp_errname(st), landed);
	ATF_REQUIRE_MSG(st != 0, "a write from before the mapping succeeded");
	check_fill(buf + 200, size - 200, 0);

	out = malloc(300);
	ATF_REQUIRE(out);
	st = dp_dma_read(&c, IOVA_A + size - 100, 300, out);
	dp_observe(&c, "DMA read running past the end of a mapping: %s",
		   dp_errname(st));
	ATF_REQUIRE(st != 0);
	free(out);
	dp_close(&c);
}
DP_TC(partial_dma,
      "a transfer that leaves the mapping fails; how much of "
      "it was stored is recorded",
      120)

static void pin_limits(enum dp_backend b)
{
	const uint32_t npages = 2 * DMAPROBE_MAX_PINS + 2;
	const size_t size = npages * pg();
	struct dmaprobe_pin r;
	struct dmaprobe_counters cnt;
	struct dp_ctx c;
	unsigned int i;
	int st;

	dp_open(&c, b, VFIO_TYPE1v2_IOMMU);
	dp_map_ok(&c, dp_buffer(size), IOVA_A, size, true);

	/* VFIO_PIN_PAGES_MAX_ENTRIES: PAGE_SIZE / sizeof(unsigned long). */
	st = dp_pin(&c, IOVA_A, pg() / sizeof(long), DMAPROBE_PIN_WRITE);
	ATF_REQUIRE_EQ_MSG(st, 0, "pin of %zu pages: %s", pg() / sizeof(long),
			   dp_errname(st));
	ATF_CHECK_EQ(dp_unpin(&c, 0, ~0ULL), 1);
	st = dp_pin(&c, IOVA_A, pg() / sizeof(long) + 1, DMAPROBE_PIN_WRITE);
	dp_observe(&c, "pin of VFIO_PIN_PAGES_MAX_ENTRIES + 1 = %zu pages: %s",
		   pg() / sizeof(long) + 1, dp_errname(st));
	dp_counters(&c, &cnt);
	ATF_CHECK_EQ(cnt.pins_outstanding, st == 0 ? 1 : 0);
	dp_unpin(&c, 0, ~0ULL);

	/* The device's own limits fail the ioctl itself. */
	memset(&r, 0, sizeof(r));
	r.argsz = sizeof(r);
	r.iova = IOVA_A;
	ATF_CHECK_ERRNO(EINVAL, ioctl(c.device, DMAPROBE_PIN, &r) < 0);
	r.npages = DMAPROBE_MAX_PIN_PAGES + 1;
	ATF_CHECK_ERRNO(E2BIG, ioctl(c.device, DMAPROBE_PIN, &r) < 0);
	r.npages = 1;
	r.iova = IOVA_A + 1;
	ATF_CHECK_ERRNO(EINVAL, ioctl(c.device, DMAPROBE_PIN, &r) < 0);
	r.iova = -(uint64_t)pg();
	r.npages = 2;
	ATF_CHECK_ERRNO(EOVERFLOW, ioctl(c.device, DMAPROBE_PIN, &r) < 0);
	r.iova = IOVA_A;
	r.flags = 1U << 31;
	ATF_CHECK_ERRNO(EINVAL, ioctl(c.device, DMAPROBE_PIN, &r) < 0);
	r.flags = 0;
	r.argsz = sizeof(r) - 1;
	ATF_CHECK_ERRNO(EINVAL, ioctl(c.device, DMAPROBE_PIN, &r) < 0);

	for (i = 0; i < DMAPROBE_MAX_PINS; i++)
		ATF_REQUIRE_EQ(dp_pin(&c, IOVA_A + i * pg(), 1, 0), 0);
	r.argsz = sizeof(r);
	r.iova = IOVA_A + i * pg();
	r.npages = 1;
	ATF_CHECK_ERRNO(ENOSPC, ioctl(c.device, DMAPROBE_PIN, &r) < 0);
	ATF_CHECK_EQ(dp_mdev_gauge(&c.mdev, "pins_outstanding"),
		     DMAPROBE_MAX_PINS);
	ATF_CHECK_EQ(dp_unpin(&c, IOVA_A, size), DMAPROBE_MAX_PINS);
	ATF_CHECK_EQ(dp_mdev_gauge(&c.mdev, "pins_outstanding"), 0);
	dp_close(&c);
}
DP_TC(pin_limits,
      "pin sizes at the VFIO core's limit and the device's own "
      "bounds",
      300)

static void bad_requests(enum dp_backend b)
{
	const size_t size = DMAPROBE_MAX_TRANSFER;
	struct vfio_device_info vinfo = { .argsz = sizeof(vinfo) };
	struct dmaprobe_info info = { .argsz = sizeof(info) };
	struct dmaprobe_counters cnt;
	struct dmaprobe_unpin u;
	struct dmaprobe_dma r;
	struct dp_ctx c;

	dp_open(&c, b, VFIO_TYPE1v2_IOMMU);
	dp_map_ok(&c, dp_buffer(size), IOVA_A, size, true);

	ATF_REQUIRE(ioctl(c.device, DMAPROBE_GET_INFO, &info) == 0);
	ATF_CHECK_EQ(info.api_version, DMAPROBE_API_VERSION);
	ATF_CHECK_EQ(info.page_size, pg());
	ATF_CHECK_EQ(info.max_transfer, DMAPROBE_MAX_TRANSFER);
	ATF_CHECK_EQ(info.max_pin_pages, DMAPROBE_MAX_PIN_PAGES);
	ATF_CHECK_EQ(info.max_pins, DMAPROBE_MAX_PINS);
	ATF_CHECK_EQ(info.errno_slots, DMAPROBE_ERRNO_SLOTS);
	ATF_REQUIRE(ioctl(c.device, VFIO_DEVICE_GET_INFO, &vinfo) == 0);
	ATF_CHECK_EQ(vinfo.num_regions, 0);
	ATF_CHECK_EQ(vinfo.num_irqs, 0);
	ATF_CHECK_ERRNO(ENOTTY,
			ioctl(c.device, _IO(DMAPROBE_IOCTL_TYPE, 99), &r) < 0);

	/* The largest transfer is allowed, one byte more is not. */
	ATF_REQUIRE_EQ(dp_dma_write(&c, IOVA_A, DMAPROBE_MAX_TRANSFER, PATTERN),
		       0);
	memset(&r, 0, sizeof(r));
	r.argsz = sizeof(r);
	r.iova = IOVA_A;
	r.length = DMAPROBE_MAX_TRANSFER + 1;
	ATF_CHECK_ERRNO(E2BIG, ioctl(c.device, DMAPROBE_DMA_WRITE, &r) < 0);
	r.length = 0;
	ATF_CHECK_ERRNO(EINVAL, ioctl(c.device, DMAPROBE_DMA_WRITE, &r) < 0);
	r.iova = ~0ULL - 10;
	r.length = 100;
	ATF_CHECK_ERRNO(EOVERFLOW, ioctl(c.device, DMAPROBE_DMA_READ, &r) < 0);
	r.iova = IOVA_A;
	r.flags = ~DMAPROBE_DMA_KTHREAD;
	ATF_CHECK_ERRNO(EINVAL, ioctl(c.device, DMAPROBE_DMA_WRITE, &r) < 0);
	r.flags = 0;
	r.reserved = 1;
	ATF_CHECK_ERRNO(EINVAL, ioctl(c.device, DMAPROBE_DMA_WRITE, &r) < 0);
	r.reserved = 0;
	r.data = (uintptr_t)&info;
	ATF_CHECK_ERRNO(EINVAL, ioctl(c.device, DMAPROBE_DMA_WRITE, &r) < 0);
	r.data = 0;
	r.pattern = 1;
	ATF_CHECK_ERRNO(EINVAL, ioctl(c.device, DMAPROBE_DMA_READ, &r) < 0);
	r.pattern = 0;
	r.argsz = 8;
	ATF_CHECK_ERRNO(EINVAL, ioctl(c.device, DMAPROBE_DMA_READ, &r) < 0);
	/* The DMA happens; handing the bytes to an unmapped address fails. */
	r.argsz = sizeof(r);
	r.data = 8;
	ATF_CHECK_ERRNO(EFAULT, ioctl(c.device, DMAPROBE_DMA_READ, &r) < 0);

	memset(&u, 0, sizeof(u));
	u.argsz = sizeof(u);
	ATF_CHECK_ERRNO(EINVAL, ioctl(c.device, DMAPROBE_UNPIN, &u) < 0);
	u.iova = 2;
	u.length = ~0ULL;
	ATF_CHECK_ERRNO(EOVERFLOW, ioctl(c.device, DMAPROBE_UNPIN, &u) < 0);

	memset(&cnt, 0, sizeof(cnt));
	cnt.argsz = sizeof(cnt) - 8;
	ATF_CHECK_ERRNO(EINVAL,
			ioctl(c.device, DMAPROBE_GET_COUNTERS, &cnt) < 0);
	cnt.argsz = sizeof(cnt);
	cnt.flags = 1;
	ATF_CHECK_ERRNO(EINVAL,
			ioctl(c.device, DMAPROBE_GET_COUNTERS, &cnt) < 0);

	dp_counters(&c, &cnt);
	ATF_CHECK_EQ(cnt.dma_writes, 1);
	ATF_CHECK_EQ(cnt.bytes_written, DMAPROBE_MAX_TRANSFER);
	ATF_CHECK_EQ(cnt.dma_reads, 1);
	ATF_CHECK_EQ(cnt.dma_errors, 0);
	dp_close(&c);
}
DP_TC(bad_requests,
      "the device rejects malformed requests before they "
      "reach the VFIO core",
      120)

static void type1v1(enum dp_backend b)
{
	const size_t size = 4 * pg();
	struct dmaprobe_counters cnt;
	uint64_t unmapped;
	struct dp_ctx c;
	uint8_t *buf;
	int st;

	dp_open(&c, b, VFIO_TYPE1_IOMMU);
	buf = dp_buffer(size);
	dp_map_ok(&c, buf, IOVA_A, size, true);

	st = dp_dma_write(&c, IOVA_A, 16, PATTERN);
	ATF_REQUIRE_EQ_MSG(st, 0, "DMA write with VFIO_TYPE1_IOMMU: %s",
			   dp_errname(st));
	check_pattern(buf, 16, PATTERN, 0);

	st = dp_pin(&c, IOVA_A + pg(), 1, 0);
	dp_observe(&c, "pin with VFIO_TYPE1_IOMMU (v1): %s", dp_errname(st));
	dp_unpin(&c, 0, ~0ULL);

	/* v1 lets an unmap cover part of a mapping; what does it take? */
	st = dp_unmap(&c, IOVA_A, pg(), 0, &unmapped);
	dp_observe(&c,
		   "v1 unmap of the first page of a 4-page mapping: %s, "
		   "%llu bytes reported unmapped",
		   dp_errname(st), (unsigned long long)unmapped);
	if (st == 0) {
		ATF_CHECK(dp_dma_write(&c, IOVA_A, 8, PATTERN) != 0);
		st = dp_dma_write(&c, IOVA_A + 2 * pg(), 8, PATTERN);
		dp_observe(&c,
			   "DMA to a page of that mapping beyond the unmapped "
			   "range: %s",
			   dp_errname(st));
		ATF_CHECK_EQ(st == 0, unmapped < size);
	}
	ATF_REQUIRE_EQ(dp_unmap(&c, 0, 0, VFIO_DMA_UNMAP_FLAG_ALL, NULL), 0);
	dp_counters(&c, &cnt);
	ATF_CHECK_EQ(cnt.pins_outstanding, 0);
	ATF_CHECK_EQ(cnt.unpins, cnt.pins);
	dp_close(&c);
}
DP_TC(type1v1, "the device behind a VFIO_TYPE1_IOMMU (v1) container", 120)

/* Concurrent DMA against map/unmap */

#define STRESS_SLOTS 8
#define STRESS_SLOT_SIZE (64 * 1024)
#define STRESS_DMA_THREADS 3
#define STRESS_MAX_LEN 8192

struct stress {
	struct dp_ctx *c;
	atomic_bool stop;
	pthread_mutex_t lock;
	/* Totals of the DMA and pin threads, merged under lock. */
	uint64_t dma_ok, dma_bytes, dma_failed, pins, pin_failed;
	uint64_t errs[DMAPROBE_ERRNO_SLOTS];
	/* errno of an ioctl the device itself refused: a test failure. */
	int fatal;
};

static uint64_t stress_iova(unsigned int slot)
{
	return IOVA_A + (uint64_t)slot * STRESS_SLOT_SIZE;
}

static void stress_merge(struct stress *s, const uint64_t *errs, uint64_t ok,
			 uint64_t bytes, uint64_t failed, uint64_t pins,
			 uint64_t pin_failed, int fatal)
{
	unsigned int i;

	pthread_mutex_lock(&s->lock);
	for (i = 0; i < DMAPROBE_ERRNO_SLOTS; i++)
		s->errs[i] += errs[i];
	s->dma_ok += ok;
	s->dma_bytes += bytes;
	s->dma_failed += failed;
	s->pins += pins;
	s->pin_failed += pin_failed;
	if (fatal)
		s->fatal = fatal;
	pthread_mutex_unlock(&s->lock);
}

static unsigned int errno_slot(unsigned int err)
{
	return err < DMAPROBE_ERRNO_SLOTS ? err : 0;
}

static void *stress_dma(void *arg)
{
	uint64_t errs[DMAPROBE_ERRNO_SLOTS] = { 0 };
	uint64_t ok = 0, bytes = 0, failed = 0;
	unsigned int seed = (unsigned int)(uintptr_t)&seed ^ getpid();
	struct stress *s = arg;
	uint8_t *tmp = malloc(STRESS_MAX_LEN);
	int fatal = tmp ? 0 : ENOMEM;

	while (!fatal && !atomic_load(&s->stop)) {
		unsigned int slot = rand_r(&seed) % STRESS_SLOTS;
		uint64_t off = rand_r(&seed) % (STRESS_SLOT_SIZE - 1);
		uint64_t len = 1 + rand_r(&seed) % STRESS_MAX_LEN;
		bool write = rand_r(&seed) & 1;
		struct dmaprobe_dma r = {
			.argsz = sizeof(r),
			.iova = stress_iova(slot) + off,
			.length = len,
		};

		if (write)
			r.pattern = PATTERN;
		else
			r.data = (uintptr_t)tmp;
		if (ioctl(s->c->device,
			  write ? DMAPROBE_DMA_WRITE : DMAPROBE_DMA_READ, &r)) {
			fatal = errno;
		} else if (r.status) {
			failed++;
			errs[errno_slot(r.status)]++;
		} else {
			ok++;
			bytes += len;
		}
	}
	free(tmp);
	stress_merge(s, errs, ok, bytes, failed, 0, 0, fatal);
	return NULL;
}

/* Pins and unpins in the one slot the mapper never unmaps. */
static void *stress_pin(void *arg)
{
	uint64_t errs[DMAPROBE_ERRNO_SLOTS] = { 0 };
	unsigned int seed = (unsigned int)(uintptr_t)&seed;
	const uint32_t slot_pages = STRESS_SLOT_SIZE / pg();
	uint64_t pins = 0, failed = 0;
	struct stress *s = arg;
	int fatal = 0;

	while (!fatal && !atomic_load(&s->stop)) {
		uint32_t first = rand_r(&seed) % slot_pages;
		struct dmaprobe_pin p = {
			.argsz = sizeof(p),
			.iova = stress_iova(STRESS_SLOTS) + first * pg(),
			.npages = 1 + rand_r(&seed) % (slot_pages - first),
		};
		struct dmaprobe_unpin u = {
			.argsz = sizeof(u),
			.iova = p.iova,
			.length = 1,
		};

		if (ioctl(s->c->device, DMAPROBE_PIN, &p)) {
			fatal = errno;
		} else if (p.status) {
			failed++;
			errs[errno_slot(p.status)]++;
		} else {
			pins++;
			if (ioctl(s->c->device, DMAPROBE_UNPIN, &u))
				fatal = errno;
			else if (u.released != 1)
				fatal = EBADE;
		}
	}
	stress_merge(s, errs, 0, 0, 0, pins, failed, fatal);
	return NULL;
}

static void stress(enum dp_backend b)
{
	const char *env = getenv("DMAPROBE_STRESS_SECONDS");
	const int seconds = env ? atoi(env) : 10;
	uint64_t maps = 0, unmaps = 0, pinned_unmaps = 0, pin_failed = 0;
	pthread_t threads[STRESS_DMA_THREADS + 1];
	bool mapped[STRESS_SLOTS];
	struct dmaprobe_counters cnt;
	unsigned int seed = 1, i;
	struct stress s = { 0 };
	uint64_t errs[DMAPROBE_ERRNO_SLOTS] = { 0 };
	struct dp_ctx c;
	uint8_t *buf;
	time_t end;
	int st;

	dp_open(&c, b, VFIO_TYPE1v2_IOMMU);
	s.c = &c;
	pthread_mutex_init(&s.lock, NULL);
	buf = dp_buffer((STRESS_SLOTS + 1) * STRESS_SLOT_SIZE);
	for (i = 0; i <= STRESS_SLOTS; i++)
		dp_map_ok(&c, buf + i * STRESS_SLOT_SIZE, stress_iova(i),
			  STRESS_SLOT_SIZE, true);
	for (i = 0; i < STRESS_SLOTS; i++)
		mapped[i] = true;

	for (i = 0; i < STRESS_DMA_THREADS; i++)
		ATF_REQUIRE(pthread_create(&threads[i], NULL, stress_dma, &s) ==
			    0);
	ATF_REQUIRE(pthread_create(&threads[i], NULL, stress_pin, &s) == 0);

	/*
	 * This thread maps and unmaps; half of its unmaps hold a pin of its
	 * own, so dma_unmap callbacks run while the other threads DMA and pin.
	 */
	end = time(NULL) + (seconds > 0 ? seconds : 1);
	while (time(NULL) < end && !s.fatal) {
		unsigned int slot = rand_r(&seed) % STRESS_SLOTS;
		uint8_t *va = buf + slot * STRESS_SLOT_SIZE;

		if (!mapped[slot]) {
			st = dp_map(&c, va, stress_iova(slot), STRESS_SLOT_SIZE,
				    true);
			ATF_REQUIRE_EQ_MSG(st, 0, "map: %s", dp_errname(st));
			mapped[slot] = true;
			maps++;
			continue;
		}
		if (rand_r(&seed) & 1) {
			st = dp_pin(&c, stress_iova(slot), 1,
				    DMAPROBE_PIN_WRITE);
			if (st) {
				pin_failed++;
				errs[errno_slot(st)]++;
			} else {
				pinned_unmaps++;
			}
		}
		st = dp_unmap(&c, stress_iova(slot), STRESS_SLOT_SIZE, 0, NULL);
		ATF_REQUIRE_EQ_MSG(st, 0, "unmap: %s", dp_errname(st));
		mapped[slot] = false;
		unmaps++;
	}
	atomic_store(&s.stop, true);
	for (i = 0; i <= STRESS_DMA_THREADS; i++)
		pthread_join(threads[i], NULL);
	stress_merge(&s, errs, 0, 0, 0, pinned_unmaps, pin_failed, 0);
	ATF_REQUIRE_MSG(!s.fatal, "a device ioctl failed under stress: %s",
			strerror(s.fatal));

	ATF_REQUIRE_EQ(dp_unmap(&c, 0, 0, VFIO_DMA_UNMAP_FLAG_ALL, NULL), 0);
	dp_counters(&c, &cnt);
	dp_observe(&c,
		   "stress %d s: %llu DMA ok (%llu bytes), %llu DMA failed, "
		   "%llu maps, %llu unmaps (%llu holding a pin), %llu pins, "
		   "%llu dma_unmap callbacks",
		   seconds, (unsigned long long)s.dma_ok,
		   (unsigned long long)s.dma_bytes,
		   (unsigned long long)s.dma_failed, (unsigned long long)maps,
		   (unsigned long long)unmaps,
		   (unsigned long long)pinned_unmaps,
		   (unsigned long long)s.pins,
		   (unsigned long long)cnt.unmap_callbacks);
	for (i = 0; i < DMAPROBE_ERRNO_SLOTS; i++)
		if (s.errs[i])
			dp_observe(&c, "stress failures with %s: %llu",
				   i ? dp_errname(i) : "errno >= 256",
				   (unsigned long long)s.errs[i]);

	ATF_CHECK(s.dma_ok > 0);
	ATF_CHECK_EQ(cnt.bytes_written + cnt.bytes_read, s.dma_bytes);
	ATF_CHECK_EQ(cnt.dma_writes + cnt.dma_reads, s.dma_ok);
	ATF_CHECK_EQ(cnt.dma_errors, s.dma_failed);
	ATF_CHECK_EQ(cnt.pins, s.pins);
	ATF_CHECK_EQ(cnt.pin_errors, s.pin_failed);
	ATF_CHECK_MSG(!memcmp(cnt.errors, s.errs, sizeof(s.errs)),
		      "the device's errno counters differ from what the "
		      "requests saw");
	ATF_CHECK(cnt.unmap_callbacks >= pinned_unmaps);
	ATF_CHECK_EQ(cnt.unmap_released, pinned_unmaps);
	ATF_CHECK_EQ(cnt.pins_outstanding, 0);
	ATF_CHECK_EQ(cnt.pages_pinned, 0);
	ATF_CHECK_EQ(dp_mdev_gauge(&c.mdev, "pins_outstanding"), 0);
	pthread_mutex_destroy(&s.lock);
	dp_close(&c);
}
DP_TC(stress,
      "DMA, pins and map/unmap from several threads at once, "
      "bounded by DMAPROBE_STRESS_SECONDS (10)",
      300)

ATF_TP_ADD_TCS(tp)
{
	DP_ADD_TC(tp, write_visible);
	DP_ADD_TC(tp, kthread_access);
	DP_ADD_TC(tp, read_back);
	DP_ADD_TC(tp, readonly_write);
	DP_ADD_TC(tp, unmap_dma_fails);
	DP_ADD_TC(tp, pin_unmap);
	DP_ADD_TC(tp, unmap_all);
	DP_ADD_TC(tp, close_releases_pins);
	DP_ADD_TC(tp, other_process);
	DP_ADD_TC(tp, partial_dma);
	DP_ADD_TC(tp, pin_limits);
	DP_ADD_TC(tp, bad_requests);
	DP_ADD_TC(tp, type1v1);
	DP_ADD_TC(tp, stress);
	return atf_no_error();
}
