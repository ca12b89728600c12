// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stddef.h>
#include <strings.h>

#include "names.h"
#include "uapi-iommufd.h"
#include "uapi-vfio.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	unsigned long request;
	const char *name;
} ioctl_names[] = {
	{ IC_IOMMU_DESTROY, "IOMMU_DESTROY" },
	{ IC_IOMMU_IOAS_ALLOC, "IOMMU_IOAS_ALLOC" },
	{ IC_IOMMU_IOAS_ALLOW_IOVAS, "IOMMU_IOAS_ALLOW_IOVAS" },
	{ IC_IOMMU_IOAS_COPY, "IOMMU_IOAS_COPY" },
	{ IC_IOMMU_IOAS_IOVA_RANGES, "IOMMU_IOAS_IOVA_RANGES" },
	{ IC_IOMMU_IOAS_MAP, "IOMMU_IOAS_MAP" },
	{ IC_IOMMU_IOAS_UNMAP, "IOMMU_IOAS_UNMAP" },
	{ IC_IOMMU_OPTION, "IOMMU_OPTION" },
	{ IC_IOMMU_VFIO_IOAS, "IOMMU_VFIO_IOAS" },
	{ IC_VFIO_GET_API_VERSION, "VFIO_GET_API_VERSION" },
	{ IC_VFIO_CHECK_EXTENSION, "VFIO_CHECK_EXTENSION" },
	{ IC_VFIO_SET_IOMMU, "VFIO_SET_IOMMU" },
	{ IC_VFIO_IOMMU_GET_INFO, "VFIO_IOMMU_GET_INFO" },
	{ IC_VFIO_IOMMU_MAP_DMA, "VFIO_IOMMU_MAP_DMA" },
	{ IC_VFIO_IOMMU_UNMAP_DMA, "VFIO_IOMMU_UNMAP_DMA" },
	{ IC_VFIO_GROUP_GET_STATUS, "VFIO_GROUP_GET_STATUS" },
	{ IC_VFIO_GROUP_SET_CONTAINER, "VFIO_GROUP_SET_CONTAINER" },
	{ IC_VFIO_GROUP_UNSET_CONTAINER, "VFIO_GROUP_UNSET_CONTAINER" },
	{ IC_VFIO_GROUP_GET_DEVICE_FD, "VFIO_GROUP_GET_DEVICE_FD" },
	{ IC_VFIO_DEVICE_GET_INFO, "VFIO_DEVICE_GET_INFO" },
	{ IC_VFIO_DEVICE_GET_REGION_INFO, "VFIO_DEVICE_GET_REGION_INFO" },
	{ IC_VFIO_DEVICE_GET_IRQ_INFO, "VFIO_DEVICE_GET_IRQ_INFO" },
	{ IC_VFIO_DEVICE_SET_IRQS, "VFIO_DEVICE_SET_IRQS" },
	{ IC_VFIO_DEVICE_RESET, "VFIO_DEVICE_RESET" },
	{ IC_VFIO_DEVICE_IOEVENTFD, "VFIO_DEVICE_IOEVENTFD" },
	{ IC_VFIO_IOMMU_DIRTY_PAGES, "VFIO_IOMMU_DIRTY_PAGES" },
};

const char *iommu_ioctl_name(unsigned long request)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ioctl_names); i++)
		if (ioctl_names[i].request == request)
			return ioctl_names[i].name;
	return NULL;
}

/*
 * On a device fd, 112 to 114 and 117 are not the container's ioctls
 * (117: VFIO_IOMMU_DIRTY_PAGES there, VFIO_DEVICE_FEATURE here).
 */
const char *vfio_device_ioctl_name(unsigned long request)
{
	switch (request) {
	case IC_VFIO_DEVICE_GET_PCI_HOT_RESET_INFO:
		return "VFIO_DEVICE_GET_PCI_HOT_RESET_INFO";
	case IC_VFIO_DEVICE_PCI_HOT_RESET:
		return "VFIO_DEVICE_PCI_HOT_RESET";
	case IC_VFIO_DEVICE_QUERY_GFX_PLANE:
		return "VFIO_DEVICE_QUERY_GFX_PLANE";
	case IC_VFIO_DEVICE_FEATURE:
		return "VFIO_DEVICE_FEATURE";
	default:
		return iommu_ioctl_name(request);
	}
}

/* Indexed by extension id; the names are the kernel's minus "VFIO_". */
static const char *const extension_names[] = {
	[IC_VFIO_TYPE1_IOMMU] = "TYPE1_IOMMU",
	[IC_VFIO_SPAPR_TCE_IOMMU] = "SPAPR_TCE_IOMMU",
	[IC_VFIO_TYPE1v2_IOMMU] = "TYPE1v2_IOMMU",
	[IC_VFIO_DMA_CC_IOMMU] = "DMA_CC_IOMMU",
	[IC_VFIO_EEH] = "EEH",
	[IC_VFIO_TYPE1_NESTING_IOMMU] = "TYPE1_NESTING_IOMMU",
	[IC_VFIO_SPAPR_TCE_v2_IOMMU] = "SPAPR_TCE_v2_IOMMU",
	[IC_VFIO_NOIOMMU_IOMMU] = "NOIOMMU_IOMMU",
	[IC_VFIO_UNMAP_ALL] = "UNMAP_ALL",
	[IC_VFIO_UPDATE_VADDR] = "UPDATE_VADDR",
};

const char *vfio_extension_name(uint32_t id)
{
	if (id >= ARRAY_SIZE(extension_names))
		return NULL;
	return extension_names[id];
}

int vfio_extension_lookup(const char *name)
{
	size_t i;

	for (i = 1; i < ARRAY_SIZE(extension_names); i++)
		if (!strcasecmp(extension_names[i], name))
			return i;
	return -ENOENT;
}

const char *vfio_info_cap_name(uint16_t id)
{
	switch (id) {
	case IC_VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE:
		return "IOVA_RANGE";
	case IC_VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION:
		return "MIGRATION";
	case IC_VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL:
		return "DMA_AVAIL";
	}
	return NULL;
}
