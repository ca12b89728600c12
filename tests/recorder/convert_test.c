// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The binary log's converter (src/recorder/convert.c, delta.c): a log
 * cut short, as SIGKILL leaves it, converts to its published records and
 * stops; a map/unmap loop logged as deltas comes back as the lines of
 * every call.
 */
#include <atf-c.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/vfio.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "binlog.h"
#include "delta.h"

static uint8_t log_buf[4096] __attribute__((aligned(8)));
static size_t log_len;

/* A record at the end of the log; published unless told. */
static void *add(uint16_t type, uint16_t aux, const void *body, size_t n,
		 bool publish)
{
	struct rec_bin_hdr *h = (struct rec_bin_hdr *)(log_buf + log_len);
	size_t len = (sizeof(*h) + n + REC_BIN_ALIGN - 1) &
		     ~(size_t)(REC_BIN_ALIGN - 1);

	ATF_REQUIRE(log_len + len + sizeof(uint32_t) <= sizeof(log_buf));
	memcpy(h + 1, body, n);
	h->type = type;
	h->aux = aux;
	h->len = publish ? (uint32_t)len : 0;
	log_len += len;
	return h;
}

static void add_line(const char *s, bool publish)
{
	add(REC_BIN_LINE, (uint16_t)strlen(s), s, strlen(s), publish);
}

/* A container call with the given parts after the fixed ones. */
static void add_call(uint32_t request, uint16_t flags, uint16_t nin,
		     const void *parts, size_t n)
{
	uint8_t body[256];
	struct rec_bin_call c = { .request = request,
				  .nin = nin,
				  .role = ROLE_CONTAINER };

	memcpy(body, (uint8_t *)&c + sizeof(c.hdr), sizeof(c) - sizeof(c.hdr));
	memcpy(body + sizeof(c) - sizeof(c.hdr), parts, n);
	add(REC_BIN_CALL, flags, body, sizeof(c) - sizeof(c.hdr) + n, true);
}

/* The log converted: 0 and its text in out, or the converter's -errno. */
static int convert(char *out, size_t len)
{
	FILE *f = tmpfile();
	size_t n;
	int rc;

	ATF_REQUIRE(f);
	rc = rec_convert_mem(log_buf, log_len + sizeof(uint32_t), fileno(f));
	rewind(f);
	n = fread(out, 1, len - 1, f);
	out[n] = '\0';
	fclose(f);
	return rc;
}

ATF_TC_WITHOUT_HEAD(stops_at_unpublished);
ATF_TC_BODY(stops_at_unpublished, tc)
{
	char out[1024];

	log_len = 0;
	memset(log_buf, 0, sizeof(log_buf));
	add_line("{\"type\":\"header\"}", true);
	add_call(VFIO_GET_API_VERSION, 0, 0, "", 0);
	add_line("{\"never\":\"published\"}", false);
	add_line("{\"after\":\"it\"}", true);
	ATF_REQUIRE_EQ(convert(out, sizeof(out)), 0);
	ATF_CHECK_STREQ(out, "{\"type\":\"header\"}\n"
			     "{\"type\":\"op\",\"op\":\"get_api_version\","
			     "\"recorded\":{\"ret\":0,\"errno\":null}}\n");
}

ATF_TC_WITHOUT_HEAD(deltas);
ATF_TC_BODY(deltas, tc)
{
	struct vfio_iommu_type1_dma_unmap u = { .argsz = sizeof(u),
						.iova = 0x100000,
						.size = 0x1000 };
	uint8_t enc[2 + REC_DELTA_MAX], parts[64];
	struct rec_delta t = { 0 };
	uint32_t word = 0x101000;
	uint16_t mask;
	char out[1024];
	size_t n;

	log_len = 0;
	memset(log_buf, 0, sizeof(log_buf));
	/* The first unmap in full, the second as its changed word. */
	add_call(VFIO_IOMMU_UNMAP_DMA, REC_CALL_OUT_IS_IN, sizeof(u), &u,
		 sizeof(u));
	ATF_CHECK_EQ(rec_delta_encode(&t, VFIO_IOMMU_UNMAP_DMA, ROLE_CONTAINER,
				      (uint8_t *)&u, sizeof(u), enc),
		     0);
	rec_delta_update(&t, VFIO_IOMMU_UNMAP_DMA, ROLE_CONTAINER,
			 (uint8_t *)&u, sizeof(u));
	u.iova = word;
	n = rec_delta_encode(&t, VFIO_IOMMU_UNMAP_DMA, ROLE_CONTAINER,
			     (uint8_t *)&u, sizeof(u), enc);
	mask = 1 << 2; /* the iova's low word */
	ATF_REQUIRE_EQ(n, sizeof(mask) + sizeof(word));
	ATF_CHECK(!memcmp(enc, &mask, sizeof(mask)));
	ATF_CHECK(!memcmp(enc + sizeof(mask), &word, sizeof(word)));
	memcpy(parts, enc, n);
	add_call(VFIO_IOMMU_UNMAP_DMA, REC_CALL_DELTA | REC_CALL_OUT_IS_IN,
		 sizeof(u), parts, n);
	/* The encoder's table took the input: the same again is no word. */
	ATF_CHECK_EQ(rec_delta_encode(&t, VFIO_IOMMU_UNMAP_DMA, ROLE_CONTAINER,
				      (uint8_t *)&u, sizeof(u), enc),
		     sizeof(mask));
	/* A call that was not logged: the next one goes in full. */
	rec_delta_forget(&t, VFIO_IOMMU_UNMAP_DMA, ROLE_CONTAINER);
	ATF_CHECK_EQ(rec_delta_encode(&t, VFIO_IOMMU_UNMAP_DMA, ROLE_CONTAINER,
				      (uint8_t *)&u, sizeof(u), enc),
		     0);
	ATF_REQUIRE_EQ(convert(out, sizeof(out)), 0);
	ATF_CHECK_STREQ(
		out,
		"{\"type\":\"op\",\"op\":\"unmap_dma\",\"iova\":\"0x100000\","
		"\"size\":\"0x1000\",\"flags\":0,\"recorded\":{\"ret\":0,"
		"\"errno\":null,\"out\":\"180000000000000000001000000000000010000000000000\"}}\n"
		"{\"type\":\"op\",\"op\":\"unmap_dma\",\"iova\":\"0x101000\","
		"\"size\":\"0x1000\",\"flags\":0,\"recorded\":{\"ret\":0,"
		"\"errno\":null,\"out\":\"180000000000000000101000000000000010000000000000\"}}\n");
}

/*
 * An unmap that asks for the dirty bitmap replays with a bitmap of the
 * same size; its address stays out of the trace, also out of what the
 * kernel wrote back.
 */
ATF_TC_WITHOUT_HEAD(dirty_bitmap_unmap);
ATF_TC_BODY(dirty_bitmap_unmap, tc)
{
	struct {
		struct vfio_iommu_type1_dma_unmap u;
		struct vfio_bitmap b;
	} a = {
		.u = { .argsz = sizeof(a), .flags = 1, .iova = 0x100000,
		       .size = 0x40000 },
		.b = { .pgsize = 0x1000, .size = 8,
		       .data = (__u64 *)(uintptr_t)0x7fff12345678ULL },
	};
	/* As the recorder logs it: all of the input, the struct out. */
	uint16_t sizes[2] = { sizeof(a), sizeof(a.u) };
	uint8_t parts[sizeof(sizes) + sizeof(a)];
	char out[1024];

	memcpy(parts, sizes, sizeof(sizes));
	memcpy(parts + sizeof(sizes), &a, sizeof(a));
	log_len = 0;
	memset(log_buf, 0, sizeof(log_buf));
	add_call(VFIO_IOMMU_UNMAP_DMA, REC_CALL_SIZES | REC_CALL_OUT_IS_IN,
		 sizeof(a), parts, sizeof(parts));
	ATF_REQUIRE_EQ(convert(out, sizeof(out)), 0);
	ATF_CHECK_STREQ(
		out,
		"{\"type\":\"op\",\"op\":\"unmap_dma\",\"iova\":\"0x100000\","
		"\"size\":\"0x40000\",\"flags\":1,\"pgsize\":\"0x1000\","
		"\"bitmap_size\":\"0x8\",\"recorded\":{\"ret\":0,"
		"\"errno\":null,\"out\":\"300000000100000000001000000000000000040000000000\"}}\n");
}

ATF_TC_WITHOUT_HEAD(bad_record);
ATF_TC_BODY(bad_record, tc)
{
	char out[256];

	log_len = 0;
	memset(log_buf, 0, sizeof(log_buf));
	/* A delta with nothing before it to be a delta of. */
	add_call(VFIO_IOMMU_UNMAP_DMA, REC_CALL_DELTA, 24, "\0\0", 2);
	ATF_CHECK_EQ(convert(out, sizeof(out)), -EBADMSG);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, stops_at_unpublished);
	ATF_TP_ADD_TC(tp, deltas);
	ATF_TP_ADD_TC(tp, dirty_bitmap_unmap);
	ATF_TP_ADD_TC(tp, bad_record);
	return atf_no_error();
}
