// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdlib.h>

#include "ioas.h"
#include "ioctl.h"

/* Ranges change only when devices attach or detach: a few tries suffice. */
#define RANGES_TRIES 8

int iommu_ioas_alloc(int fd, uint32_t *out_ioas_id)
{
	struct ic_iommu_ioas_alloc cmd = { .size = sizeof(cmd) };
	int rc;

	rc = ic_ioctl(fd, IC_IOMMU_IOAS_ALLOC, &cmd);
	if (rc)
		return rc;
	*out_ioas_id = cmd.out_ioas_id;
	return 0;
}

int iommu_ioas_destroy(int fd, uint32_t id)
{
	struct ic_iommu_destroy cmd = { .size = sizeof(cmd), .id = id };

	return ic_ioctl(fd, IC_IOMMU_DESTROY, &cmd);
}

int iommu_ioas_iova_ranges(int fd, uint32_t ioas_id,
			   struct iommu_ioas_ranges *out)
{
	struct ic_iommu_iova_range *ranges = NULL, *grown;
	/*
	 * An IOAS without devices has one range; with devices attached it
	 * has a few, fetched by the EMSGSIZE round trip below.
	 */
	uint32_t room = 1;
	int tries, rc;

	for (tries = 0; tries < RANGES_TRIES; tries++) {
		struct ic_iommu_ioas_iova_ranges cmd = {
			.size = sizeof(cmd),
			.ioas_id = ioas_id,
			.num_iovas = room,
		};

		grown = realloc(ranges, room * sizeof(*ranges));
		if (!grown) {
			rc = -ENOMEM;
			goto err_free;
		}
		ranges = grown;
		cmd.allowed_iovas = (uintptr_t)ranges;
		rc = ic_ioctl(fd, IC_IOMMU_IOAS_IOVA_RANGES, &cmd);
		if (rc == -EMSGSIZE && cmd.num_iovas > room) {
			room = cmd.num_iovas;
			continue;
		}
		if (rc)
			goto err_free;
		out->iova_alignment = cmd.out_iova_alignment;
		out->nr = cmd.num_iovas;
		out->ranges = ranges;
		return 0;
	}
	rc = -EAGAIN;

err_free:
	free(ranges);
	return rc;
}

void iommu_ioas_ranges_release(struct iommu_ioas_ranges *r)
{
	free(r->ranges);
	r->ranges = NULL;
	r->nr = 0;
}

int iommu_ioas_allow_iovas(int fd, uint32_t ioas_id,
			   const struct ic_iommu_iova_range *ranges,
			   uint32_t nr)
{
	struct ic_iommu_ioas_allow_iovas cmd = {
		.size = sizeof(cmd),
		.ioas_id = ioas_id,
		.num_iovas = nr,
		.allowed_iovas = (uintptr_t)ranges,
	};

	return ic_ioctl(fd, IC_IOMMU_IOAS_ALLOW_IOVAS, &cmd);
}

int iommu_ioas_map(int fd, uint32_t ioas_id, uint32_t flags, void *va,
		   uint64_t length, uint64_t *iova)
{
	struct ic_iommu_ioas_map cmd = {
		.size = sizeof(cmd),
		.flags = flags,
		.ioas_id = ioas_id,
		.user_va = (uintptr_t)va,
		.length = length,
	};
	int rc;

	if (flags & IC_IOMMU_IOAS_MAP_FIXED_IOVA)
		cmd.iova = *iova;
	rc = ic_ioctl(fd, IC_IOMMU_IOAS_MAP, &cmd);
	if (rc)
		return rc;
	*iova = cmd.iova;
	return 0;
}

int iommu_ioas_unmap(int fd, uint32_t ioas_id, uint64_t iova, uint64_t length,
		     uint64_t *unmapped)
{
	struct ic_iommu_ioas_unmap cmd = {
		.size = sizeof(cmd),
		.ioas_id = ioas_id,
		.iova = iova,
		.length = length,
	};
	int rc;

	rc = ic_ioctl(fd, IC_IOMMU_IOAS_UNMAP, &cmd);
	if (rc)
		return rc;
	*unmapped = cmd.length;
	return 0;
}

int iommu_ioas_copy(int fd, uint32_t dst_ioas_id, uint32_t src_ioas_id,
		    uint32_t flags, uint64_t src_iova, uint64_t length,
		    uint64_t *dst_iova)
{
	struct ic_iommu_ioas_copy cmd = {
		.size = sizeof(cmd),
		.flags = flags,
		.dst_ioas_id = dst_ioas_id,
		.src_ioas_id = src_ioas_id,
		.length = length,
		.src_iova = src_iova,
	};
	int rc;

	if (flags & IC_IOMMU_IOAS_MAP_FIXED_IOVA)
		cmd.dst_iova = *dst_iova;
	rc = ic_ioctl(fd, IC_IOMMU_IOAS_COPY, &cmd);
	if (rc)
		return rc;
	*dst_iova = cmd.dst_iova;
	return 0;
}

int iommu_option_get(int fd, uint32_t option, uint32_t object_id, uint64_t *val)
{
	struct ic_iommu_option cmd = {
		.size = sizeof(cmd),
		.option_id = option,
		.op = IC_IOMMU_OPTION_OP_GET,
		.object_id = object_id,
	};
	int rc;

	rc = ic_ioctl(fd, IC_IOMMU_OPTION, &cmd);
	if (rc)
		return rc;
	*val = cmd.val64;
	return 0;
}

int iommu_option_set(int fd, uint32_t option, uint32_t object_id, uint64_t val)
{
	struct ic_iommu_option cmd = {
		.size = sizeof(cmd),
		.option_id = option,
		.op = IC_IOMMU_OPTION_OP_SET,
		.object_id = object_id,
		.val64 = val,
	};

	return ic_ioctl(fd, IC_IOMMU_OPTION, &cmd);
}

static int vfio_ioas(int fd, uint16_t op, uint32_t *ioas_id)
{
	struct ic_iommu_vfio_ioas cmd = {
		.size = sizeof(cmd),
		.ioas_id = *ioas_id,
		.op = op,
	};
	int rc;

	rc = ic_ioctl(fd, IC_IOMMU_VFIO_IOAS, &cmd);
	if (rc)
		return rc;
	*ioas_id = cmd.ioas_id;
	return 0;
}

int iommu_vfio_ioas_get(int fd, uint32_t *ioas_id)
{
	uint32_t id = 0;
	int rc;

	rc = vfio_ioas(fd, IC_IOMMU_VFIO_IOAS_GET, &id);
	if (rc)
		return rc;
	*ioas_id = id;
	return 0;
}

int iommu_vfio_ioas_set(int fd, uint32_t ioas_id)
{
	return vfio_ioas(fd, IC_IOMMU_VFIO_IOAS_SET, &ioas_id);
}

int iommu_vfio_ioas_clear(int fd)
{
	uint32_t id = 0;

	return vfio_ioas(fd, IC_IOMMU_VFIO_IOAS_CLEAR, &id);
}
