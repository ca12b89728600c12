// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The GET_INFO decoder on hand-made buffers: the chains both providers
 * build, and the malformed ones a buggy or hostile kernel could return.
 */
#include <atf-c.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"

#define BUF_SIZE 512

static unsigned char buf[BUF_SIZE];

static void put16(size_t off, uint16_t v)
{
	memcpy(buf + off, &v, sizeof(v));
}

static void put32(size_t off, uint32_t v)
{
	memcpy(buf + off, &v, sizeof(v));
}

static void put64(size_t off, uint64_t v)
{
	memcpy(buf + off, &v, sizeof(v));
}

static void fixed(uint32_t argsz, uint32_t flags, uint64_t pgsizes,
		  uint32_t cap_offset)
{
	memset(buf, 0, sizeof(buf));
	put32(0, argsz);
	put32(4, flags);
	put64(8, pgsizes);
	put32(16, cap_offset);
}

static void header(size_t off, uint16_t id, uint16_t version, uint32_t next)
{
	put16(off, id);
	put16(off + 2, version);
	put32(off + 4, next);
}

/* IOVA_RANGE at off with n ranges of 0x1000 each, every 0x10000. */
static size_t iova_cap(size_t off, uint32_t n, uint32_t next)
{
	uint32_t i;

	header(off, 1, 1, next);
	put32(off + 8, n);
	for (i = 0; i < n; i++) {
		put64(off + 16 + 16 * i, 0x10000ULL * i);
		put64(off + 24 + 16 * i, 0x10000ULL * i + 0xfff);
	}
	return 16 + 16 * n;
}

static const uint32_t caps = IC_VFIO_IOMMU_INFO_PGSIZES |
			     IC_VFIO_IOMMU_INFO_CAPS;

ATF_TC_WITHOUT_HEAD(iommufd_shape);
ATF_TC_BODY(iommufd_shape, tc)
{
	struct iommu_compat_info info;

	/* iommufd: DMA_AVAIL (12 bytes, padded to 16), then IOVA_RANGE. */
	fixed(24 + 16 + 48, caps, 0x40201000, 24);
	header(24, 3, 1, 40);
	put32(32, UINT32_MAX);
	iova_cap(40, 2, 0);

	ATF_REQUIRE_EQ(iommu_compat_info_decode(buf, sizeof(buf), &info), 0);
	ATF_CHECK_STREQ(info.chain_error, "");
	ATF_CHECK_EQ(info.argsz, 88);
	ATF_CHECK_EQ(info.flags, caps);
	ATF_CHECK_EQ(info.iova_pgsizes, 0x40201000);
	ATF_CHECK_EQ(info.cap_offset, 24);
	ATF_REQUIRE_EQ(info.nr_caps, 2);
	ATF_CHECK(info.caps[0].id == 3 && info.caps[0].offset == 24 &&
		  info.caps[0].next == 40 && info.caps[0].decoded);
	ATF_CHECK(info.caps[1].id == 1 && info.caps[1].offset == 40 &&
		  info.caps[1].decoded);
	ATF_CHECK(info.has_dma_avail && info.dma_avail == UINT32_MAX);
	ATF_REQUIRE(info.has_iova_ranges);
	ATF_REQUIRE_EQ(info.nr_iova_ranges, 2);
	ATF_CHECK_EQ(info.iova_ranges[1].start, 0x10000);
	ATF_CHECK_EQ(info.iova_ranges[1].end, 0x10fff);
	ATF_CHECK(!info.has_migration);
	iommu_compat_info_release(&info);
}

ATF_TC_WITHOUT_HEAD(type1_shape);
ATF_TC_BODY(type1_shape, tc)
{
	struct iommu_compat_info info;

	/* type1: MIGRATION, DMA_AVAIL, IOVA_RANGE. */
	fixed(24 + 32 + 16 + 32, caps, 0x1000, 24);
	header(24, 2, 1, 56);
	put32(32, 0);
	put64(40, 0x1000);
	put64(48, 256 << 20);
	header(56, 3, 1, 72);
	put32(64, 65535);
	iova_cap(72, 1, 0);

	ATF_REQUIRE_EQ(iommu_compat_info_decode(buf, sizeof(buf), &info), 0);
	ATF_CHECK_STREQ(info.chain_error, "");
	ATF_CHECK_EQ(info.nr_caps, 3);
	ATF_CHECK(info.has_migration);
	ATF_CHECK_EQ(info.migration_pgsize_bitmap, 0x1000);
	ATF_CHECK_EQ(info.migration_max_dirty_bitmap_size, 256 << 20);
	ATF_CHECK(info.has_dma_avail && info.dma_avail == 65535);
	ATF_CHECK(info.has_iova_ranges && info.nr_iova_ranges == 1);
	iommu_compat_info_release(&info);
}

ATF_TC_WITHOUT_HEAD(no_chain);
ATF_TC_BODY(no_chain, tc)
{
	struct iommu_compat_info info;

	/* A short first call: CAPS set, cap_offset 0, argsz what is needed. */
	fixed(88, caps, 0x1000, 0);
	ATF_REQUIRE_EQ(iommu_compat_info_decode(buf, 24, &info), 0);
	ATF_CHECK_EQ(info.nr_caps, 0);
	ATF_CHECK_EQ(info.argsz, 88);
	ATF_CHECK_STREQ(info.chain_error, "");

	/* No CAPS flag: cap_offset means nothing and is not followed. */
	fixed(88, IC_VFIO_IOMMU_INFO_PGSIZES, 0x1000, 24);
	header(24, 3, 1, 0);
	ATF_REQUIRE_EQ(iommu_compat_info_decode(buf, sizeof(buf), &info), 0);
	ATF_CHECK_EQ(info.nr_caps, 0);
	iommu_compat_info_release(&info);

	ATF_CHECK_EQ(iommu_compat_info_decode(buf, 16, &info), -EINVAL);
}

static void expect_error(size_t len, unsigned int nr_caps, const char *what)
{
	struct iommu_compat_info info;

	ATF_REQUIRE_EQ(iommu_compat_info_decode(buf, len, &info), 0);
	ATF_CHECK_MSG(info.chain_error[0], "%s: no chain_error", what);
	ATF_CHECK_EQ_MSG(info.nr_caps, nr_caps, "%s: %u caps", what,
			 info.nr_caps);
	iommu_compat_info_release(&info);
}

ATF_TC_WITHOUT_HEAD(loops);
ATF_TC_BODY(loops, tc)
{
	fixed(200, caps, 0x1000, 24);
	header(24, 99, 1, 24);
	expect_error(sizeof(buf), 1, "self loop");

	fixed(200, caps, 0x1000, 24);
	header(24, 99, 1, 40);
	header(40, 98, 1, 24);
	expect_error(sizeof(buf), 2, "two-step loop");

	/* Going forward but into the previous capability is overlap. */
	fixed(200, caps, 0x1000, 24);
	iova_cap(24, 2, 48);
	expect_error(sizeof(buf), 1, "next inside the previous payload");
}

ATF_TC_WITHOUT_HEAD(out_of_bounds);
ATF_TC_BODY(out_of_bounds, tc)
{
	fixed(64, caps, 0x1000, 8);
	expect_error(sizeof(buf), 0, "cap_offset inside the fixed part");

	fixed(64, caps, 0x1000, 60);
	expect_error(sizeof(buf), 0, "header crossing argsz");

	fixed(64, caps, 0x1000, UINT32_MAX);
	expect_error(sizeof(buf), 0, "cap_offset at 4G");

	fixed(64, caps, 0x1000, 24);
	header(24, 99, 1, UINT32_MAX - 2);
	expect_error(sizeof(buf), 1, "next at 4G");

	/* argsz claims more than the buffer: the buffer bounds the chain. */
	fixed(4096, caps, 0x1000, 24);
	header(24, 99, 1, BUF_SIZE - 4);
	expect_error(sizeof(buf), 1, "next past the buffer");
}

ATF_TC_WITHOUT_HEAD(short_payloads);
ATF_TC_BODY(short_payloads, tc)
{
	fixed(24 + 16 + 16, caps, 0x1000, 24);
	iova_cap(24, 2, 0);
	expect_error(sizeof(buf), 1, "ranges beyond argsz");

	fixed(200, caps, 0x1000, 24);
	header(24, 1, 1, 0);
	put32(32, UINT32_MAX);
	expect_error(sizeof(buf), 1, "nr_iovas 0xffffffff");

	fixed(24 + 20, caps, 0x1000, 24);
	header(24, 2, 1, 0);
	expect_error(sizeof(buf), 1, "short MIGRATION");

	fixed(24 + 10, caps, 0x1000, 24);
	header(24, 3, 1, 0);
	expect_error(sizeof(buf), 1, "short DMA_AVAIL");
}

ATF_TC_WITHOUT_HEAD(duplicates);
ATF_TC_BODY(duplicates, tc)
{
	struct iommu_compat_info info;

	fixed(200, caps, 0x1000, 24);
	header(24, 3, 1, 40);
	put32(32, 1);
	header(40, 3, 1, 0);
	put32(48, 2);
	ATF_REQUIRE_EQ(iommu_compat_info_decode(buf, sizeof(buf), &info), 0);
	ATF_CHECK(info.chain_error[0]);
	/* The first one counts; the second is listed but not believed. */
	ATF_CHECK_EQ(info.dma_avail, 1);
	ATF_CHECK_EQ(info.nr_caps, 2);
	iommu_compat_info_release(&info);
}

ATF_TC_WITHOUT_HEAD(unknown_and_versions);
ATF_TC_BODY(unknown_and_versions, tc)
{
	struct iommu_compat_info info;

	/* Unknown id, a known id at version 2, then a misaligned DMA_AVAIL. */
	fixed(200, caps, 0x1000, 24);
	header(24, 0x1234, 7, 40);
	header(40, 1, 2, 57);
	header(57, 3, 1, 0);
	put32(65, 42);
	ATF_REQUIRE_EQ(iommu_compat_info_decode(buf, sizeof(buf), &info), 0);
	ATF_CHECK_STREQ(info.chain_error, "");
	ATF_REQUIRE_EQ(info.nr_caps, 3);
	ATF_CHECK(info.caps[0].id == 0x1234 && info.caps[0].version == 7 &&
		  !info.caps[0].decoded);
	ATF_CHECK(info.caps[1].id == 1 && !info.caps[1].decoded);
	ATF_CHECK(!info.has_iova_ranges);
	ATF_CHECK(info.caps[2].decoded && info.dma_avail == 42);
	iommu_compat_info_release(&info);
}

ATF_TC_WITHOUT_HEAD(empty_ranges);
ATF_TC_BODY(empty_ranges, tc)
{
	struct iommu_compat_info info;

	fixed(24 + 16, caps, 0x1000, 24);
	iova_cap(24, 0, 0);
	ATF_REQUIRE_EQ(iommu_compat_info_decode(buf, sizeof(buf), &info), 0);
	ATF_CHECK_STREQ(info.chain_error, "");
	ATF_CHECK(info.has_iova_ranges);
	ATF_CHECK_EQ(info.nr_iova_ranges, 0);
	iommu_compat_info_release(&info);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, iommufd_shape);
	ATF_TP_ADD_TC(tp, type1_shape);
	ATF_TP_ADD_TC(tp, no_chain);
	ATF_TP_ADD_TC(tp, loops);
	ATF_TP_ADD_TC(tp, out_of_bounds);
	ATF_TP_ADD_TC(tp, short_payloads);
	ATF_TP_ADD_TC(tp, duplicates);
	ATF_TP_ADD_TC(tp, unknown_and_versions);
	ATF_TP_ADD_TC(tp, empty_ranges);
	return atf_no_error();
}
