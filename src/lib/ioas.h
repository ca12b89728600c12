/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_IOAS_H
#define IOMMUCTL_IOAS_H

#include <stdint.h>

#include "uapi-iommufd.h"

/*
 * Wrappers for the native iommufd ioctls on an open /dev/iommu. Each
 * returns 0 or -errno as the kernel gave it; outputs are written only on
 * success.
 */

int iommu_ioas_alloc(int fd, uint32_t *out_ioas_id);

/* IOMMU_DESTROY takes any object ID; IOASes are what iommuctl makes. */
int iommu_ioas_destroy(int fd, uint32_t id);

struct iommu_ioas_ranges {
	uint64_t iova_alignment;
	uint32_t nr;
	struct ic_iommu_iova_range *ranges;
};

/*
 * IOMMU_IOAS_IOVA_RANGES. The kernel reports how many ranges there are
 * with EMSGSIZE when the array is too small; the set can change between
 * calls (devices attach), so this grows and retries a bounded number of
 * times and gives -EAGAIN if it never settles. Free with
 * iommu_ioas_ranges_release().
 */
int iommu_ioas_iova_ranges(int fd, uint32_t ioas_id,
			   struct iommu_ioas_ranges *out);
void iommu_ioas_ranges_release(struct iommu_ioas_ranges *r);

/* Replaces the allowed list; nr == 0 removes it. */
int iommu_ioas_allow_iovas(int fd, uint32_t ioas_id,
			   const struct ic_iommu_iova_range *ranges,
			   uint32_t nr);

/*
 * flags: IC_IOMMU_IOAS_MAP_*. Without FIXED_IOVA the kernel picks the
 * IOVA; *iova is input with FIXED_IOVA and always output.
 */
int iommu_ioas_map(int fd, uint32_t ioas_id, uint32_t flags, void *va,
		   uint64_t length, uint64_t *iova);

/* *unmapped is the number of bytes the kernel unmapped. */
int iommu_ioas_unmap(int fd, uint32_t ioas_id, uint64_t iova, uint64_t length,
		     uint64_t *unmapped);

int iommu_ioas_copy(int fd, uint32_t dst_ioas_id, uint32_t src_ioas_id,
		    uint32_t flags, uint64_t src_iova, uint64_t length,
		    uint64_t *dst_iova);

/* IOMMU_OPTION: option is IC_IOMMU_OPTION_*, object_id 0 for globals. */
int iommu_option_get(int fd, uint32_t option, uint32_t object_id,
		     uint64_t *val);
int iommu_option_set(int fd, uint32_t option, uint32_t object_id, uint64_t val);

/* IOMMU_VFIO_IOAS: the IOAS that the VFIO compat ioctls act on. */
int iommu_vfio_ioas_get(int fd, uint32_t *ioas_id);
int iommu_vfio_ioas_set(int fd, uint32_t ioas_id);
int iommu_vfio_ioas_clear(int fd);

#endif
