/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The VFIO container (type1) uAPI that iommuctl uses, carried under our own
 * names for the same reason as uapi-iommufd.h: one set of definitions that
 * builds on any kernel headers and can be compared, field by field, with
 * <linux/vfio.h> (tests/unit/uapi_layout_test.c). Layouts as in Linux 6.12,
 * where /dev/vfio/vfio and iommufd's compat layer serve the same ABI.
 */
#ifndef IOMMUCTL_UAPI_VFIO_H
#define IOMMUCTL_UAPI_VFIO_H

#include <stdint.h>
#include <sys/ioctl.h>

#define IC_VFIO_API_VERSION 0

/*
 * Extension ids for VFIO_CHECK_EXTENSION and VFIO_SET_IOMMU, Linux 6.12.
 * The ids are an ABI: they never change meaning, new ones are appended.
 */
#define IC_VFIO_TYPE1_IOMMU 1
#define IC_VFIO_SPAPR_TCE_IOMMU 2
#define IC_VFIO_TYPE1v2_IOMMU 3
#define IC_VFIO_DMA_CC_IOMMU 4
#define IC_VFIO_EEH 5
#define IC_VFIO_TYPE1_NESTING_IOMMU 6
#define IC_VFIO_SPAPR_TCE_v2_IOMMU 7
#define IC_VFIO_NOIOMMU_IOMMU 8
#define IC_VFIO_UNMAP_ALL 9
#define IC_VFIO_UPDATE_VADDR 10
#define IC_VFIO_EXTENSION_MAX IC_VFIO_UPDATE_VADDR

/* Container ioctls, Linux 6.12; like iommufd they are _IO() with argsz. */
#define IC_VFIO_TYPE ';'
#define IC_VFIO_BASE 100
#define IC_VFIO_GET_API_VERSION _IO(IC_VFIO_TYPE, IC_VFIO_BASE + 0)
#define IC_VFIO_CHECK_EXTENSION _IO(IC_VFIO_TYPE, IC_VFIO_BASE + 1)
#define IC_VFIO_SET_IOMMU _IO(IC_VFIO_TYPE, IC_VFIO_BASE + 2)
#define IC_VFIO_IOMMU_GET_INFO _IO(IC_VFIO_TYPE, IC_VFIO_BASE + 12)
#define IC_VFIO_IOMMU_MAP_DMA _IO(IC_VFIO_TYPE, IC_VFIO_BASE + 13)
#define IC_VFIO_IOMMU_UNMAP_DMA _IO(IC_VFIO_TYPE, IC_VFIO_BASE + 14)
/* Not served by iommufd's compat layer; only the conformance runner asks. */
#define IC_VFIO_IOMMU_DIRTY_PAGES _IO(IC_VFIO_TYPE, IC_VFIO_BASE + 17)

/*
 * Group and device ioctls, Linux 6.12 (what a VMM issues around the
 * container). The device ioctls numbered 112 to 114 (PCI hot reset, GFX
 * plane) share their numbers with GET_INFO, MAP_DMA and UNMAP_DMA: only
 * the fd tells them apart (vfio_device_ioctl_name()).
 */
#define IC_VFIO_GROUP_GET_STATUS _IO(IC_VFIO_TYPE, IC_VFIO_BASE + 3)
#define IC_VFIO_GROUP_SET_CONTAINER _IO(IC_VFIO_TYPE, IC_VFIO_BASE + 4)
#define IC_VFIO_GROUP_UNSET_CONTAINER _IO(IC_VFIO_TYPE, IC_VFIO_BASE + 5)
#define IC_VFIO_GROUP_GET_DEVICE_FD _IO(IC_VFIO_TYPE, IC_VFIO_BASE + 6)
#define IC_VFIO_DEVICE_GET_INFO _IO(IC_VFIO_TYPE, IC_VFIO_BASE + 7)
#define IC_VFIO_DEVICE_GET_REGION_INFO _IO(IC_VFIO_TYPE, IC_VFIO_BASE + 8)
#define IC_VFIO_DEVICE_GET_IRQ_INFO _IO(IC_VFIO_TYPE, IC_VFIO_BASE + 9)
#define IC_VFIO_DEVICE_SET_IRQS _IO(IC_VFIO_TYPE, IC_VFIO_BASE + 10)
#define IC_VFIO_DEVICE_RESET _IO(IC_VFIO_TYPE, IC_VFIO_BASE + 11)
#define IC_VFIO_DEVICE_GET_PCI_HOT_RESET_INFO \
	_IO(IC_VFIO_TYPE, IC_VFIO_BASE + 12)
#define IC_VFIO_DEVICE_PCI_HOT_RESET _IO(IC_VFIO_TYPE, IC_VFIO_BASE + 13)
#define IC_VFIO_DEVICE_QUERY_GFX_PLANE _IO(IC_VFIO_TYPE, IC_VFIO_BASE + 14)
#define IC_VFIO_DEVICE_IOEVENTFD _IO(IC_VFIO_TYPE, IC_VFIO_BASE + 16)
#define IC_VFIO_DEVICE_FEATURE _IO(IC_VFIO_TYPE, IC_VFIO_BASE + 17)

/* VFIO_GROUP_GET_STATUS argument, Linux 6.12. */
#define IC_VFIO_GROUP_FLAGS_VIABLE (1U << 0)
#define IC_VFIO_GROUP_FLAGS_CONTAINER_SET (1U << 1)

struct ic_vfio_group_status {
	uint32_t argsz;
	uint32_t flags;
};

/*
 * Header of every entry in an INFO capability chain, Linux 6.12. Offsets
 * (cap_offset, next) count from the start of the INFO buffer.
 */
struct ic_vfio_info_cap_header {
	uint16_t id;
	uint16_t version;
	uint32_t next;
};

/* VFIO_IOMMU_GET_INFO argument, Linux 6.12. */
#define IC_VFIO_IOMMU_INFO_PGSIZES (1U << 0)
#define IC_VFIO_IOMMU_INFO_CAPS (1U << 1)

struct ic_vfio_iommu_type1_info {
	uint32_t argsz;
	uint32_t flags;
	uint64_t iova_pgsizes __attribute__((aligned(8)));
	uint32_t cap_offset;
	uint32_t pad;
};

/* GET_INFO capability ids, Linux 6.12; each decoded at version 1. */
#define IC_VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE 1
#define IC_VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION 2
#define IC_VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL 3

/* One usable IOVA interval; end is inclusive. */
struct ic_vfio_iova_range {
	uint64_t start;
	uint64_t end;
};

struct ic_vfio_iommu_type1_info_cap_iova_range {
	struct ic_vfio_info_cap_header header;
	uint32_t nr_iovas;
	uint32_t reserved;
	struct ic_vfio_iova_range iova_ranges[];
};

struct ic_vfio_iommu_type1_info_cap_migration {
	struct ic_vfio_info_cap_header header;
	uint32_t flags;
	uint64_t pgsize_bitmap;
	uint64_t max_dirty_bitmap_size;
};

struct ic_vfio_iommu_type1_info_dma_avail {
	struct ic_vfio_info_cap_header header;
	uint32_t avail;
};

/* VFIO_IOMMU_MAP_DMA argument and flags, Linux 6.12. */
#define IC_VFIO_DMA_MAP_FLAG_READ (1U << 0)
#define IC_VFIO_DMA_MAP_FLAG_WRITE (1U << 1)
#define IC_VFIO_DMA_MAP_FLAG_VADDR (1U << 2)

struct ic_vfio_iommu_type1_dma_map {
	uint32_t argsz;
	uint32_t flags;
	uint64_t vaddr;
	uint64_t iova;
	uint64_t size;
};

/* Trailer of an unmap with GET_DIRTY_BITMAP, Linux 6.12. */
struct ic_vfio_bitmap {
	uint64_t pgsize;
	uint64_t size;
	uint64_t *data;
};

/* VFIO_IOMMU_DIRTY_PAGES: the header, and GET_BITMAP's range after it. */
#define IC_VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP (1U << 2)

struct ic_vfio_iommu_type1_dirty_bitmap {
	uint32_t argsz;
	uint32_t flags;
	uint8_t data[];
};

struct ic_vfio_iommu_type1_dirty_bitmap_get {
	uint64_t iova;
	uint64_t size;
	struct ic_vfio_bitmap bitmap;
};

/* VFIO_IOMMU_UNMAP_DMA argument and flags, Linux 6.12. */
#define IC_VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP (1U << 0)
#define IC_VFIO_DMA_UNMAP_FLAG_ALL (1U << 1)
#define IC_VFIO_DMA_UNMAP_FLAG_VADDR (1U << 2)

struct ic_vfio_iommu_type1_dma_unmap {
	uint32_t argsz;
	uint32_t flags;
	uint64_t iova;
	uint64_t size;
	uint8_t data[];
};

#endif
