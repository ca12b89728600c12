// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Decoding of the VFIO_IOMMU_GET_INFO capability chain. The buffer comes
 * from a kernel under audit, so nothing in it steers a read outside it:
 * every access is bounds-checked, values are copied out with memcpy (the
 * offsets need not be aligned), and each capability must start after the
 * end of the previous one, which also rules out loops.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "names.h"

struct chain {
	const unsigned char *buf;
	uint64_t end; /* bytes of buf the kernel vouched for */
	struct iommu_compat_info *info;
};

__attribute__((format(printf, 2, 3))) static void
chain_error(struct iommu_compat_info *info, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(info->chain_error, sizeof(info->chain_error), fmt, ap);
	va_end(ap);
}

static uint16_t get_u16(const struct chain *c, uint64_t off)
{
	uint16_t v;

	memcpy(&v, c->buf + off, sizeof(v));
	return v;
}

static uint32_t get_u32(const struct chain *c, uint64_t off)
{
	uint32_t v;

	memcpy(&v, c->buf + off, sizeof(v));
	return v;
}

static uint64_t get_u64(const struct chain *c, uint64_t off)
{
	uint64_t v;

	memcpy(&v, c->buf + off, sizeof(v));
	return v;
}

/* Whether [off, off + len) lies in the buffer; no overflow for 32-bit off. */
static bool fits(const struct chain *c, uint64_t off, uint64_t len)
{
	return off <= c->end && len <= c->end - off;
}

/* Each decoder returns the capability's size, or 0 after chain_error(). */
static uint64_t decode_iova_range(struct chain *c, uint64_t off)
{
	const size_t fixed =
		sizeof(struct ic_vfio_iommu_type1_info_cap_iova_range);
	struct iommu_compat_info *info = c->info;
	uint64_t nr, i, size;

	if (!fits(c, off, fixed)) {
		chain_error(info,
			    "IOVA_RANGE at offset %llu is cut off by argsz",
			    (unsigned long long)off);
		return 0;
	}
	nr = get_u32(
		c,
		off + offsetof(struct ic_vfio_iommu_type1_info_cap_iova_range,
			       nr_iovas));
	size = fixed + nr * sizeof(struct ic_vfio_iova_range);
	if (!fits(c, off, size)) {
		chain_error(
			info,
			"IOVA_RANGE at offset %llu claims %llu ranges, more than argsz holds",
			(unsigned long long)off, (unsigned long long)nr);
		return 0;
	}
	info->iova_ranges = calloc(nr ? nr : 1, sizeof(*info->iova_ranges));
	if (!info->iova_ranges)
		return 0;
	for (i = 0; i < nr; i++) {
		uint64_t at =
			off + fixed + i * sizeof(struct ic_vfio_iova_range);

		info->iova_ranges[i].start = get_u64(
			c, at + offsetof(struct ic_vfio_iova_range, start));
		info->iova_ranges[i].end = get_u64(
			c, at + offsetof(struct ic_vfio_iova_range, end));
	}
	info->nr_iova_ranges = nr;
	info->has_iova_ranges = true;
	return size;
}

static uint64_t decode_migration(struct chain *c, uint64_t off)
{
	typedef struct ic_vfio_iommu_type1_info_cap_migration mig;
	struct iommu_compat_info *info = c->info;

	if (!fits(c, off, sizeof(mig))) {
		chain_error(info,
			    "MIGRATION at offset %llu is cut off by argsz",
			    (unsigned long long)off);
		return 0;
	}
	info->migration_flags = get_u32(c, off + offsetof(mig, flags));
	info->migration_pgsize_bitmap =
		get_u64(c, off + offsetof(mig, pgsize_bitmap));
	info->migration_max_dirty_bitmap_size =
		get_u64(c, off + offsetof(mig, max_dirty_bitmap_size));
	info->has_migration = true;
	return sizeof(mig);
}

static uint64_t decode_dma_avail(struct chain *c, uint64_t off)
{
	typedef struct ic_vfio_iommu_type1_info_dma_avail avail;
	/* The struct is padded to 16; the kernel promises only up to avail. */
	const size_t used = offsetof(avail, avail) + sizeof(uint32_t);
	struct iommu_compat_info *info = c->info;

	if (!fits(c, off, used)) {
		chain_error(info,
			    "DMA_AVAIL at offset %llu is cut off by argsz",
			    (unsigned long long)off);
		return 0;
	}
	info->dma_avail = get_u32(c, off + offsetof(avail, avail));
	info->has_dma_avail = true;
	return used;
}

static bool seen(const struct iommu_compat_info *info, uint16_t id)
{
	unsigned int i;

	for (i = 0; i < info->nr_caps; i++)
		if (info->caps[i].id == id && info->caps[i].decoded)
			return true;
	return false;
}

/* Decode one capability at off into info->caps; its size, or 0 to stop. */
static uint64_t decode_cap(struct chain *c, uint64_t off)
{
	const size_t hdr = sizeof(struct ic_vfio_info_cap_header);
	struct iommu_compat_info *info = c->info;
	struct iommu_compat_cap *cap, *grown;
	uint64_t size = hdr;

	if (!fits(c, off, hdr)) {
		chain_error(
			info,
			"capability header at offset %llu lies outside argsz %llu",
			(unsigned long long)off, (unsigned long long)c->end);
		return 0;
	}
	grown = realloc(info->caps, (info->nr_caps + 1) * sizeof(*info->caps));
	if (!grown)
		return 0;
	info->caps = grown;
	cap = &info->caps[info->nr_caps++];
	cap->id =
		get_u16(c, off + offsetof(struct ic_vfio_info_cap_header, id));
	cap->version = get_u16(c, off + offsetof(struct ic_vfio_info_cap_header,
						 version));
	cap->next = get_u32(c, off + offsetof(struct ic_vfio_info_cap_header,
					      next));
	cap->offset = off;
	cap->decoded = false;

	/* Later versions may change the layout: list them, decode only v1. */
	if (cap->version != 1 || !vfio_info_cap_name(cap->id))
		return size;
	if (seen(info, cap->id)) {
		chain_error(info, "%s appears twice (again at offset %llu)",
			    vfio_info_cap_name(cap->id),
			    (unsigned long long)off);
		return 0;
	}
	switch (cap->id) {
	case IC_VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE:
		size = decode_iova_range(c, off);
		break;
	case IC_VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION:
		size = decode_migration(c, off);
		break;
	case IC_VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL:
		size = decode_dma_avail(c, off);
		break;
	}
	cap->decoded = size != 0;
	return size;
}

int iommu_compat_info_decode(const void *buf, size_t len,
			     struct iommu_compat_info *info)
{
	typedef struct ic_vfio_iommu_type1_info fixed;
	struct chain c = { .buf = buf, .info = info };
	uint64_t off, prev_end;

	memset(info, 0, sizeof(*info));
	if (len < sizeof(fixed))
		return -EINVAL;
	info->argsz = get_u32(&c, offsetof(fixed, argsz));
	info->flags = get_u32(&c, offsetof(fixed, flags));
	info->iova_pgsizes = get_u64(&c, offsetof(fixed, iova_pgsizes));
	info->cap_offset = get_u32(&c, offsetof(fixed, cap_offset));

	if (!(info->flags & IC_VFIO_IOMMU_INFO_CAPS) || !info->cap_offset)
		return 0;
	c.end = info->argsz < len ? info->argsz : len;
	prev_end = sizeof(fixed);
	for (off = info->cap_offset; off;
	     off = info->caps[info->nr_caps - 1].next) {
		uint64_t size;

		if (off < prev_end) {
			chain_error(
				info,
				"capability at offset %llu overlaps what precedes it (ends at %llu)",
				(unsigned long long)off,
				(unsigned long long)prev_end);
			return 0;
		}
		size = decode_cap(&c, off);
		if (!size)
			break;
		prev_end = off + size;
	}
	if (!info->chain_error[0] && off) {
		iommu_compat_info_release(info);
		return -ENOMEM;
	}
	return 0;
}
