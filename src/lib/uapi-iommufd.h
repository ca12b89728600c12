/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The part of the iommufd uAPI that iommuctl uses, carried under our own
 * names so the tools build against kernel headers that predate
 * <linux/iommufd.h> (Debian 12 ships 6.1 headers; iommufd appeared in 6.2).
 * The ic_ prefix keeps these from clashing with the kernel's definitions
 * when both are included; tests/unit/uapi_layout_test.c checks that every
 * size, offset and number here matches the kernel header when it has one.
 */
#ifndef IOMMUCTL_UAPI_IOMMUFD_H
#define IOMMUCTL_UAPI_IOMMUFD_H

#include <stdint.h>
#include <sys/ioctl.h>

/* Fields declared __aligned_u64 in the uAPI are 8-byte aligned everywhere. */
typedef uint64_t ic_aligned_u64 __attribute__((aligned(8)));

/*
 * Linux 6.2 (first release with iommufd), unchanged through 6.12: ioctl
 * type, command numbers and the ioctls built from them. The kernel builds
 * these with _IO() because every argument starts with its own size.
 */
#define IC_IOMMUFD_TYPE ';'
#define IC_IOMMUFD_CMD_DESTROY 0x80
#define IC_IOMMUFD_CMD_IOAS_ALLOC 0x81
#define IC_IOMMUFD_CMD_IOAS_ALLOW_IOVAS 0x82
#define IC_IOMMUFD_CMD_IOAS_COPY 0x83
#define IC_IOMMUFD_CMD_IOAS_IOVA_RANGES 0x84
#define IC_IOMMUFD_CMD_IOAS_MAP 0x85
#define IC_IOMMUFD_CMD_IOAS_UNMAP 0x86
#define IC_IOMMUFD_CMD_OPTION 0x87
#define IC_IOMMUFD_CMD_VFIO_IOAS 0x88

#define IC_IOMMU_DESTROY _IO(IC_IOMMUFD_TYPE, IC_IOMMUFD_CMD_DESTROY)
#define IC_IOMMU_IOAS_ALLOC _IO(IC_IOMMUFD_TYPE, IC_IOMMUFD_CMD_IOAS_ALLOC)
#define IC_IOMMU_IOAS_ALLOW_IOVAS \
	_IO(IC_IOMMUFD_TYPE, IC_IOMMUFD_CMD_IOAS_ALLOW_IOVAS)
#define IC_IOMMU_IOAS_COPY _IO(IC_IOMMUFD_TYPE, IC_IOMMUFD_CMD_IOAS_COPY)
#define IC_IOMMU_IOAS_IOVA_RANGES \
	_IO(IC_IOMMUFD_TYPE, IC_IOMMUFD_CMD_IOAS_IOVA_RANGES)
#define IC_IOMMU_IOAS_MAP _IO(IC_IOMMUFD_TYPE, IC_IOMMUFD_CMD_IOAS_MAP)
#define IC_IOMMU_IOAS_UNMAP _IO(IC_IOMMUFD_TYPE, IC_IOMMUFD_CMD_IOAS_UNMAP)
#define IC_IOMMU_OPTION _IO(IC_IOMMUFD_TYPE, IC_IOMMUFD_CMD_OPTION)
#define IC_IOMMU_VFIO_IOAS _IO(IC_IOMMUFD_TYPE, IC_IOMMUFD_CMD_VFIO_IOAS)

/* Linux 6.2: IOMMU_DESTROY, for any object ID. */
struct ic_iommu_destroy {
	uint32_t size;
	uint32_t id;
};

/* Linux 6.2: IOMMU_IOAS_ALLOC. */
struct ic_iommu_ioas_alloc {
	uint32_t size;
	uint32_t flags;
	uint32_t out_ioas_id;
};

/* Linux 6.2: one IOVA interval; last is inclusive. */
struct ic_iommu_iova_range {
	ic_aligned_u64 start;
	ic_aligned_u64 last;
};

/* Linux 6.2: IOMMU_IOAS_IOVA_RANGES. */
struct ic_iommu_ioas_iova_ranges {
	uint32_t size;
	uint32_t ioas_id;
	uint32_t num_iovas;
	uint32_t reserved;
	ic_aligned_u64 allowed_iovas;
	ic_aligned_u64 out_iova_alignment;
};

/* Linux 6.2: IOMMU_IOAS_ALLOW_IOVAS. */
struct ic_iommu_ioas_allow_iovas {
	uint32_t size;
	uint32_t ioas_id;
	uint32_t num_iovas;
	uint32_t reserved;
	ic_aligned_u64 allowed_iovas;
};

/* Linux 6.2: flags of IOMMU_IOAS_MAP and IOMMU_IOAS_COPY. */
#define IC_IOMMU_IOAS_MAP_FIXED_IOVA (1U << 0)
#define IC_IOMMU_IOAS_MAP_WRITEABLE (1U << 1)
#define IC_IOMMU_IOAS_MAP_READABLE (1U << 2)

/* Linux 6.2: IOMMU_IOAS_MAP. */
struct ic_iommu_ioas_map {
	uint32_t size;
	uint32_t flags;
	uint32_t ioas_id;
	uint32_t reserved;
	ic_aligned_u64 user_va;
	ic_aligned_u64 length;
	ic_aligned_u64 iova;
};

/* Linux 6.2: IOMMU_IOAS_COPY. */
struct ic_iommu_ioas_copy {
	uint32_t size;
	uint32_t flags;
	uint32_t dst_ioas_id;
	uint32_t src_ioas_id;
	ic_aligned_u64 length;
	ic_aligned_u64 dst_iova;
	ic_aligned_u64 src_iova;
};

/* Linux 6.2: IOMMU_IOAS_UNMAP; iova 0 with length U64_MAX unmaps all. */
struct ic_iommu_ioas_unmap {
	uint32_t size;
	uint32_t ioas_id;
	ic_aligned_u64 iova;
	ic_aligned_u64 length;
};

/* Linux 6.2: IOMMU_OPTION option ids and ops. */
#define IC_IOMMU_OPTION_RLIMIT_MODE 0
#define IC_IOMMU_OPTION_HUGE_PAGES 1
#define IC_IOMMU_OPTION_OP_SET 0
#define IC_IOMMU_OPTION_OP_GET 1

/* Linux 6.2: IOMMU_OPTION. */
struct ic_iommu_option {
	uint32_t size;
	uint32_t option_id;
	uint16_t op;
	uint16_t reserved;
	uint32_t object_id;
	ic_aligned_u64 val64;
};

/* Linux 6.2: IOMMU_VFIO_IOAS ops. */
#define IC_IOMMU_VFIO_IOAS_GET 0
#define IC_IOMMU_VFIO_IOAS_SET 1
#define IC_IOMMU_VFIO_IOAS_CLEAR 2

/* Linux 6.2: IOMMU_VFIO_IOAS, the IOAS the VFIO compat ioctls act on. */
struct ic_iommu_vfio_ioas {
	uint32_t size;
	uint32_t ioas_id;
	uint16_t op;
	uint16_t reserved;
};

/*
 * Linux 6.11: IOMMU_FAULT_QUEUE_ALLOC, a fault queue object and the fd
 * that reads it. The conformance runner makes one as an object that is
 * not an IOAS.
 */
#define IC_IOMMUFD_CMD_FAULT_QUEUE_ALLOC 0x8e
#define IC_IOMMU_FAULT_QUEUE_ALLOC \
	_IO(IC_IOMMUFD_TYPE, IC_IOMMUFD_CMD_FAULT_QUEUE_ALLOC)

struct ic_iommu_fault_alloc {
	uint32_t size;
	uint32_t flags;
	uint32_t out_fault_id;
	uint32_t out_fault_fd;
};

#endif
