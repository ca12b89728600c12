// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "iommuctl.h"
#include "names.h"

/* An extension given by name (as compat info lists them) or by number. */
static int arg_extension(struct ctx *c, const char *s, uint32_t *id)
{
	char msg[128];
	int rc;

	rc = vfio_extension_lookup(s);
	if (rc > 0) {
		*id = rc;
		return 0;
	}
	if (parse_u32(s, id, msg, sizeof(msg)))
		return usage_error(
			c, "'%s' is neither a known extension nor a number", s);
	return 0;
}

/* The ioctl, errno and hint of a failed step inside a compat report. */
static void out_step_error(struct ctx *c, const char *key,
			   unsigned long request, int rc)
{
	char hint[256];
	struct out_error e = {
		.ioctl = iommu_ioctl_name(request),
		.err = -rc,
		.message = strerror(-rc),
	};

	describe_ioctl_error(c, request, -rc, hint, sizeof(hint));
	e.hint = hint[0] ? hint : NULL;
	out_object_begin(c->out, key);
	out_error_fields(c->out, &e);
	out_object_end(c->out);
}

/* One extension as both compat info and check-extension report it. */
static void out_extension(struct ctx *c, int fd, uint32_t id)
{
	int value, rc;

	rc = iommu_compat_check_extension(fd, id, &value);
	out_object_begin(c->out, NULL);
	out_u32(c->out, "id", id);
	out_str(c->out, "name", vfio_extension_name(id));
	if (rc) {
		out_null(c->out, "value");
		out_step_error(c, "error", IC_VFIO_CHECK_EXTENSION, rc);
	} else {
		out_s32(c->out, "value", value);
		out_null(c->out, "error");
	}
	out_object_end(c->out);
}

static void out_info_flags(struct out *o, uint32_t flags)
{
	unsigned int bit;

	out_array_begin(o, "flag_names");
	for (bit = 0; bit < 32; bit++) {
		char unknown[16];

		if (!(flags & (1U << bit)))
			continue;
		if (1U << bit == IC_VFIO_IOMMU_INFO_PGSIZES) {
			out_str(o, NULL, "PGSIZES");
		} else if (1U << bit == IC_VFIO_IOMMU_INFO_CAPS) {
			out_str(o, NULL, "CAPS");
		} else {
			snprintf(unknown, sizeof(unknown), "0x%x", 1U << bit);
			out_str(o, NULL, unknown);
		}
	}
	out_array_end(o);
}

static void out_info(struct out *o, const struct iommu_compat_info *info)
{
	unsigned int bit, i;

	out_object_begin(o, "iommu_info");
	out_u32(o, "argsz", info->argsz);
	out_u32(o, "flags", info->flags);
	out_info_flags(o, info->flags);
	out_u64_hex(o, "iova_pgsizes", info->iova_pgsizes);
	out_array_begin(o, "page_sizes");
	for (bit = 0; bit < 64; bit++)
		if (info->iova_pgsizes & (1ULL << bit))
			out_u64_hex(o, NULL, 1ULL << bit);
	out_array_end(o);
	out_u32(o, "cap_offset", info->cap_offset);

	out_array_begin(o, "caps");
	for (i = 0; i < info->nr_caps; i++) {
		const struct iommu_compat_cap *cap = &info->caps[i];

		out_object_begin(o, NULL);
		out_u32(o, "id", cap->id);
		out_str(o, "name", vfio_info_cap_name(cap->id));
		out_u32(o, "version", cap->version);
		out_u32(o, "offset", cap->offset);
		out_u32(o, "next", cap->next);
		out_bool(o, "decoded", cap->decoded);
		out_object_end(o);
	}
	out_array_end(o);

	if (info->has_iova_ranges) {
		out_array_begin(o, "iova_ranges");
		for (i = 0; i < info->nr_iova_ranges; i++)
			out_iova_range(o, NULL, info->iova_ranges[i].start,
				       info->iova_ranges[i].end);
		out_array_end(o);
	} else {
		out_null(o, "iova_ranges");
	}
	if (info->has_dma_avail)
		out_u32(o, "dma_avail", info->dma_avail);
	else
		out_null(o, "dma_avail");
	if (info->has_migration) {
		out_object_begin(o, "migration");
		out_u32(o, "flags", info->migration_flags);
		out_u64_hex(o, "pgsize_bitmap", info->migration_pgsize_bitmap);
		out_u64_hex(o, "max_dirty_bitmap_size",
			    info->migration_max_dirty_bitmap_size);
		out_object_end(o);
	} else {
		out_null(o, "migration");
	}
	out_str(o, "chain_error",
		info->chain_error[0] ? info->chain_error : NULL);
	out_object_end(o);
}

/*
 * The container as a VFIO application would see it. Only a failing
 * GET_API_VERSION fails the command (the fd is no container at all);
 * after that each step's failure is part of the report, because the
 * errno one backend gives where the other answers is the finding.
 */
int cmd_compat_info(struct ctx *c, const struct cmd_args *a)
{
	struct iommu_compat_info info;
	const struct iommu_fd *f;
	int version, rc;
	uint32_t id;

	f = ctx_fd(c);
	if (!f)
		return c->err.exit;
	rc = iommu_compat_api_version(f->fd, &version);
	if (rc)
		return ioctl_error(c, IC_VFIO_GET_API_VERSION, rc);

	out_record_begin(c->out);
	out_object_begin(c->out, "fd");
	out_str(c->out, "path", f->path);
	out_str(c->out, "kind", iommu_fd_kind_name(f->kind));
	out_object_end(c->out);
	out_s32(c->out, "api_version", version);
	out_array_begin(c->out, "extensions");
	for (id = 1; id <= IC_VFIO_EXTENSION_MAX; id++)
		out_extension(c, f->fd, id);
	out_array_end(c->out);

	rc = iommu_compat_get_info(f->fd, &info);
	if (rc == -ENOMEM)
		return internal_error(c, rc, "compat info");
	if (rc) {
		out_null(c->out, "iommu_info");
		out_step_error(c, "iommu_info_error", IC_VFIO_IOMMU_GET_INFO,
			       rc);
	} else {
		out_info(c->out, &info);
		out_null(c->out, "iommu_info_error");
		iommu_compat_info_release(&info);
	}
	return record_done(c);
}

int cmd_compat_check_extension(struct ctx *c, const struct cmd_args *a)
{
	const struct iommu_fd *f;
	uint32_t *ids;
	int i, rc;

	ids = calloc(a->argc, sizeof(*ids));
	if (!ids)
		return internal_error(c, -ENOMEM, "compat check-extension");
	for (i = 0; i < a->argc; i++) {
		rc = arg_extension(c, a->argv[i], &ids[i]);
		if (rc)
			goto out_free;
	}
	f = ctx_fd(c);
	if (!f) {
		rc = c->err.exit;
		goto out_free;
	}
	out_record_begin(c->out);
	out_array_begin(c->out, "extensions");
	for (i = 0; i < a->argc; i++)
		out_extension(c, f->fd, ids[i]);
	out_array_end(c->out);
	rc = record_done(c);
out_free:
	free(ids);
	return rc;
}

int cmd_compat_set_iommu(struct ctx *c, const struct cmd_args *a)
{
	const struct iommu_fd *f;
	uint32_t type;
	int rc;

	rc = arg_extension(c, a->argv[0], &type);
	if (rc)
		return rc;
	f = ctx_fd(c);
	if (!f)
		return c->err.exit;
	rc = iommu_compat_set_iommu(f->fd, type);
	if (rc)
		return ioctl_error(c, IC_VFIO_SET_IOMMU, rc);
	out_record_begin(c->out);
	out_u32(c->out, "id", type);
	out_str(c->out, "name", vfio_extension_name(type));
	return record_done(c);
}

static void out_dma_flags(struct out *o, uint32_t flags, bool unmap)
{
	out_array_begin(o, "flags");
	if (!unmap && (flags & IC_VFIO_DMA_MAP_FLAG_READ))
		out_str(o, NULL, "READ");
	if (!unmap && (flags & IC_VFIO_DMA_MAP_FLAG_WRITE))
		out_str(o, NULL, "WRITE");
	if (unmap && (flags & IC_VFIO_DMA_UNMAP_FLAG_ALL))
		out_str(o, NULL, "ALL");
	out_array_end(o);
}

int cmd_compat_map(struct ctx *c, const struct cmd_args *a)
{
	const struct iommu_fd *f;
	struct parse_range r;
	uint32_t flags = 0;
	uint64_t size;
	void *va;
	int rc;

	rc = arg_range(c, "RANGE", a->argv[0], &r);
	if (rc)
		return rc;
	if (parse_range_length(&r, &size))
		return usage_error(c, "'%s' spans 2^64 bytes", a->argv[0]);
	if (a->read)
		flags |= IC_VFIO_DMA_MAP_FLAG_READ;
	if (a->write)
		flags |= IC_VFIO_DMA_MAP_FLAG_WRITE;
	f = ctx_fd(c);
	if (!f)
		return c->err.exit;
	rc = mem_alloc(c, size, a->hugepages, &va);
	if (rc)
		return rc;
	rc = iommu_compat_map_dma(f->fd, flags, va, r.start, size);
	if (rc)
		return ioctl_error(c, IC_VFIO_IOMMU_MAP_DMA, rc);
	out_record_begin(c->out);
	out_u64_hex(c->out, "iova", r.start);
	out_u64_hex(c->out, "size", size);
	out_u64_hex(c->out, "vaddr", (uintptr_t)va);
	out_dma_flags(c->out, flags, false);
	return record_done(c);
}

int cmd_compat_unmap(struct ctx *c, const struct cmd_args *a)
{
	uint64_t iova = 0, size = 0, unmapped;
	const struct iommu_fd *f;
	uint32_t flags = 0;
	bool all;
	int rc;

	rc = arg_range_or_all(c, "RANGE", a->argv[0], &all, &iova, &size);
	if (rc)
		return rc;
	/* VFIO's "everything" is a flag, with iova and size both zero. */
	if (all)
		flags = IC_VFIO_DMA_UNMAP_FLAG_ALL;
	f = ctx_fd(c);
	if (!f)
		return c->err.exit;
	rc = iommu_compat_unmap_dma(f->fd, flags, iova, size, &unmapped);
	if (rc)
		return ioctl_error(c, IC_VFIO_IOMMU_UNMAP_DMA, rc);
	out_record_begin(c->out);
	out_u64_hex(c->out, "iova", iova);
	out_u64_hex(c->out, "size", size);
	out_u64_hex(c->out, "unmapped", unmapped);
	out_dma_flags(c->out, flags, true);
	return record_done(c);
}
