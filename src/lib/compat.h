/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_COMPAT_H
#define IOMMUCTL_COMPAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "uapi-vfio.h"

/*
 * The VFIO type1 container ioctls, as served by /dev/vfio/vfio or by
 * iommufd's compat layer. Same 0/-errno convention as ioas.h; calls that
 * return a value from the kernel give it through an out parameter.
 */

int iommu_compat_api_version(int fd, int *version);
int iommu_compat_check_extension(int fd, uint32_t extension, int *value);
int iommu_compat_set_iommu(int fd, uint32_t type);

/* flags: IC_VFIO_DMA_MAP_FLAG_*. */
int iommu_compat_map_dma(int fd, uint32_t flags, void *va, uint64_t iova,
			 uint64_t size);

/* flags: IC_VFIO_DMA_UNMAP_FLAG_*; *unmapped is what the kernel unmapped. */
int iommu_compat_unmap_dma(int fd, uint32_t flags, uint64_t iova, uint64_t size,
			   uint64_t *unmapped);

/* One entry of the GET_INFO capability chain, decoded or not. */
struct iommu_compat_cap {
	uint16_t id;
	uint16_t version;
	uint32_t offset;
	uint32_t next;
	bool decoded;
};

/*
 * VFIO_IOMMU_GET_INFO, raw fields and the decoded capability chain.
 * A chain that breaks the rules (an offset outside argsz, a loop, a
 * capability too short for its contents, a known one twice) stops the
 * decoding; what was read before it is kept and chain_error says why.
 */
struct iommu_compat_info {
	uint32_t argsz;
	uint32_t flags;
	uint64_t iova_pgsizes;
	uint32_t cap_offset;

	struct iommu_compat_cap *caps;
	unsigned int nr_caps;

	bool has_iova_ranges;
	uint32_t nr_iova_ranges;
	struct ic_vfio_iova_range *iova_ranges;

	bool has_migration;
	uint32_t migration_flags;
	uint64_t migration_pgsize_bitmap;
	uint64_t migration_max_dirty_bitmap_size;

	bool has_dma_avail;
	uint32_t dma_avail;

	char chain_error[160];
};

/*
 * Issue GET_INFO, growing the buffer to the argsz the kernel asks for, and
 * decode it. Release the result with iommu_compat_info_release().
 */
int iommu_compat_get_info(int fd, struct iommu_compat_info *info);

/*
 * Decode a GET_INFO buffer of len bytes as the kernel filled it. Trusts
 * nothing in it: every offset is checked against len and against the
 * argsz inside. Returns 0 (chain problems are in info->chain_error),
 * -EINVAL when len cannot hold the fixed part, or -ENOMEM.
 */
int iommu_compat_info_decode(const void *buf, size_t len,
			     struct iommu_compat_info *info);

void iommu_compat_info_release(struct iommu_compat_info *info);

#endif
