// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "ioctl.h"

/*
 * Both providers answer a short buffer with the argsz they need; a second
 * call normally fits. The bound covers a chain that grows in between, and
 * the size cap a kernel that asks for something absurd.
 */
#define GET_INFO_TRIES 8
#define GET_INFO_MAX_ARGSZ (1U << 20)

int iommu_compat_api_version(int fd, int *version)
{
	int rc;

	rc = ic_ioctl_val(fd, IC_VFIO_GET_API_VERSION, 0);
	if (rc < 0)
		return rc;
	*version = rc;
	return 0;
}

int iommu_compat_check_extension(int fd, uint32_t extension, int *value)
{
	int rc;

	rc = ic_ioctl_val(fd, IC_VFIO_CHECK_EXTENSION, extension);
	if (rc < 0)
		return rc;
	*value = rc;
	return 0;
}

int iommu_compat_set_iommu(int fd, uint32_t type)
{
	int rc;

	rc = ic_ioctl_val(fd, IC_VFIO_SET_IOMMU, type);
	return rc < 0 ? rc : 0;
}

int iommu_compat_map_dma(int fd, uint32_t flags, void *va, uint64_t iova,
			 uint64_t size)
{
	struct ic_vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = flags,
		.vaddr = (uintptr_t)va,
		.iova = iova,
		.size = size,
	};

	return ic_ioctl(fd, IC_VFIO_IOMMU_MAP_DMA, &map);
}

int iommu_compat_unmap_dma(int fd, uint32_t flags, uint64_t iova, uint64_t size,
			   uint64_t *unmapped)
{
	struct ic_vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap),
		.flags = flags,
		.iova = iova,
		.size = size,
	};
	int rc;

	rc = ic_ioctl(fd, IC_VFIO_IOMMU_UNMAP_DMA, &unmap);
	if (rc)
		return rc;
	*unmapped = unmap.size;
	return 0;
}

int iommu_compat_get_info(int fd, struct iommu_compat_info *info)
{
	struct ic_vfio_iommu_type1_info *buf = NULL;
	uint32_t argsz = sizeof(*buf);
	void *grown;
	int tries, rc;

	for (tries = 0; tries < GET_INFO_TRIES; tries++) {
		grown = realloc(buf, argsz);
		if (!grown) {
			rc = -ENOMEM;
			goto err_free;
		}
		buf = grown;
		memset(buf, 0, argsz);
		buf->argsz = argsz;
		rc = ic_ioctl(fd, IC_VFIO_IOMMU_GET_INFO, buf);
		if (rc)
			goto err_free;
		if (buf->argsz <= argsz) {
			rc = iommu_compat_info_decode(buf, argsz, info);
			free(buf);
			return rc;
		}
		if (buf->argsz > GET_INFO_MAX_ARGSZ) {
			rc = -E2BIG;
			goto err_free;
		}
		argsz = buf->argsz;
	}
	rc = -EAGAIN;

err_free:
	free(buf);
	return rc;
}

void iommu_compat_info_release(struct iommu_compat_info *info)
{
	free(info->caps);
	free(info->iova_ranges);
	memset(info, 0, sizeof(*info));
}
