// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iommuctl.h"
#include "ioas.h"

static void out_map_flags(struct out *o, uint32_t flags)
{
	out_array_begin(o, "flags");
	if (flags & IC_IOMMU_IOAS_MAP_FIXED_IOVA)
		out_str(o, NULL, "FIXED_IOVA");
	if (flags & IC_IOMMU_IOAS_MAP_WRITEABLE)
		out_str(o, NULL, "WRITEABLE");
	if (flags & IC_IOMMU_IOAS_MAP_READABLE)
		out_str(o, NULL, "READABLE");
	out_array_end(o);
}

static uint32_t map_flags(const struct cmd_args *a)
{
	uint32_t flags = 0;

	if (a->iova_set)
		flags |= IC_IOMMU_IOAS_MAP_FIXED_IOVA;
	if (a->write)
		flags |= IC_IOMMU_IOAS_MAP_WRITEABLE;
	if (a->read)
		flags |= IC_IOMMU_IOAS_MAP_READABLE;
	return flags;
}

/* A fixed IOVA plus a length must stay inside 64 bits. */
static int check_iova_span(struct ctx *c, const struct cmd_args *a,
			   uint64_t length)
{
	if (a->iova_set && length - 1 > UINT64_MAX - a->iova)
		return usage_error(
			c,
			"--iova 0x%llx + 0x%llx goes past 0xffffffffffffffff",
			(unsigned long long)a->iova,
			(unsigned long long)length);
	return 0;
}

static int out_ioas_id(struct ctx *c, uint32_t id)
{
	out_record_begin(c->out);
	out_u32(c->out, "ioas_id", id);
	return record_done(c);
}

int cmd_ioas_create(struct ctx *c, const struct cmd_args *a)
{
	const struct iommu_fd *f;
	uint32_t id;
	int rc;

	f = ctx_fd(c);
	if (!f)
		return c->err.exit;
	rc = iommu_ioas_alloc(f->fd, &id);
	if (rc)
		return ioctl_error(c, IC_IOMMU_IOAS_ALLOC, rc);
	return out_ioas_id(c, id);
}

int cmd_ioas_destroy(struct ctx *c, const struct cmd_args *a)
{
	const struct iommu_fd *f;
	uint32_t id;
	int rc;

	rc = arg_id(c, "ID", a->argv[0], &id);
	if (rc)
		return rc;
	f = ctx_fd(c);
	if (!f)
		return c->err.exit;
	rc = iommu_ioas_destroy(f->fd, id);
	if (rc)
		return ioctl_error(c, IC_IOMMU_DESTROY, rc);
	return out_ioas_id(c, id);
}

int cmd_ioas_ranges(struct ctx *c, const struct cmd_args *a)
{
	struct iommu_ioas_ranges r;
	const struct iommu_fd *f;
	uint32_t id, i;
	int rc;

	rc = arg_id(c, "ID", a->argv[0], &id);
	if (rc)
		return rc;
	f = ctx_fd(c);
	if (!f)
		return c->err.exit;
	rc = iommu_ioas_iova_ranges(f->fd, id, &r);
	if (rc == -EAGAIN)
		return internal_error(
			c, 0,
			"ioas ranges: the ranges kept changing between calls");
	if (rc)
		return ioctl_error(c, IC_IOMMU_IOAS_IOVA_RANGES, rc);
	out_record_begin(c->out);
	out_u32(c->out, "ioas_id", id);
	out_u64_hex(c->out, "iova_alignment", r.iova_alignment);
	out_array_begin(c->out, "ranges");
	for (i = 0; i < r.nr; i++)
		out_iova_range(c->out, NULL, r.ranges[i].start,
			       r.ranges[i].last);
	out_array_end(c->out);
	iommu_ioas_ranges_release(&r);
	return record_done(c);
}

int cmd_ioas_allow(struct ctx *c, const struct cmd_args *a)
{
	struct ic_iommu_iova_range *ranges;
	const struct iommu_fd *f;
	int i, n = a->argc - 1;
	uint32_t id;
	int rc;

	rc = arg_id(c, "ID", a->argv[0], &id);
	if (rc)
		return rc;
	ranges = calloc(n ? n : 1, sizeof(*ranges));
	if (!ranges)
		return internal_error(c, -ENOMEM, "ioas allow");
	for (i = 0; i < n; i++) {
		struct parse_range r;

		rc = arg_range(c, "RANGE", a->argv[i + 1], &r);
		if (rc)
			goto out_free;
		ranges[i].start = r.start;
		ranges[i].last = r.last;
	}
	f = ctx_fd(c);
	if (!f) {
		rc = c->err.exit;
		goto out_free;
	}
	rc = iommu_ioas_allow_iovas(f->fd, id, ranges, n);
	if (rc) {
		rc = ioctl_error(c, IC_IOMMU_IOAS_ALLOW_IOVAS, rc);
		goto out_free;
	}
	out_record_begin(c->out);
	out_u32(c->out, "ioas_id", id);
	out_array_begin(c->out, "allowed");
	for (i = 0; i < n; i++)
		out_iova_range(c->out, NULL, ranges[i].start, ranges[i].last);
	out_array_end(c->out);
	rc = record_done(c);
out_free:
	free(ranges);
	return rc;
}

int cmd_ioas_map(struct ctx *c, const struct cmd_args *a)
{
	uint32_t id, flags = map_flags(a);
	const struct iommu_fd *f;
	uint64_t size, iova = a->iova;
	void *va;
	int rc;

	rc = arg_id(c, "ID", a->argv[0], &id);
	if (!rc)
		rc = arg_size(c, "SIZE", a->argv[1], &size);
	if (rc)
		return rc;
	if (!size)
		return usage_error(c, "SIZE must not be zero");
	rc = check_iova_span(c, a, size);
	if (rc)
		return rc;
	f = ctx_fd(c);
	if (!f)
		return c->err.exit;
	rc = mem_alloc(c, size, a->hugepages, &va);
	if (rc)
		return rc;
	rc = iommu_ioas_map(f->fd, id, flags, va, size, &iova);
	if (rc)
		return ioctl_error(c, IC_IOMMU_IOAS_MAP, rc);
	out_record_begin(c->out);
	out_u32(c->out, "ioas_id", id);
	out_u64_hex(c->out, "iova", iova);
	out_u64_hex(c->out, "length", size);
	out_u64_hex(c->out, "user_va", (uintptr_t)va);
	out_map_flags(c->out, flags);
	return record_done(c);
}

int cmd_ioas_unmap(struct ctx *c, const struct cmd_args *a)
{
	/* The kernel's own spelling of "everything": 0 and U64_MAX. */
	uint64_t iova = 0, length = UINT64_MAX, unmapped;
	const struct iommu_fd *f;
	uint32_t id;
	bool all;
	int rc;

	rc = arg_id(c, "ID", a->argv[0], &id);
	if (rc)
		return rc;
	rc = arg_range_or_all(c, "RANGE", a->argv[1], &all, &iova, &length);
	if (rc)
		return rc;
	f = ctx_fd(c);
	if (!f)
		return c->err.exit;
	rc = iommu_ioas_unmap(f->fd, id, iova, length, &unmapped);
	if (rc)
		return ioctl_error(c, IC_IOMMU_IOAS_UNMAP, rc);
	out_record_begin(c->out);
	out_u32(c->out, "ioas_id", id);
	out_u64_hex(c->out, "iova", iova);
	out_u64_hex(c->out, "length", length);
	out_u64_hex(c->out, "unmapped", unmapped);
	return record_done(c);
}

int cmd_ioas_copy(struct ctx *c, const struct cmd_args *a)
{
	uint32_t dst, src, flags = map_flags(a);
	uint64_t length, dst_iova = a->iova;
	const struct iommu_fd *f;
	struct parse_range r;
	int rc;

	rc = arg_id(c, "DST_ID", a->argv[0], &dst);
	if (!rc)
		rc = arg_id(c, "SRC_ID", a->argv[1], &src);
	if (!rc)
		rc = arg_range(c, "SRC_RANGE", a->argv[2], &r);
	if (rc)
		return rc;
	if (parse_range_length(&r, &length))
		return usage_error(c, "'%s' spans 2^64 bytes", a->argv[2]);
	rc = check_iova_span(c, a, length);
	if (rc)
		return rc;
	f = ctx_fd(c);
	if (!f)
		return c->err.exit;
	rc = iommu_ioas_copy(f->fd, dst, src, flags, r.start, length,
			     &dst_iova);
	if (rc)
		return ioctl_error(c, IC_IOMMU_IOAS_COPY, rc);
	out_record_begin(c->out);
	out_u32(c->out, "dst_ioas_id", dst);
	out_u32(c->out, "src_ioas_id", src);
	out_u64_hex(c->out, "src_iova", r.start);
	out_u64_hex(c->out, "length", length);
	out_u64_hex(c->out, "dst_iova", dst_iova);
	out_map_flags(c->out, flags);
	return record_done(c);
}

int cmd_ioas_option(struct ctx *c, const struct cmd_args *a)
{
	const struct iommu_fd *f;
	uint64_t val = 0;
	uint32_t id;
	int rc;

	rc = arg_id(c, "ID", a->argv[0], &id);
	if (rc)
		return rc;
	if (strcmp(a->argv[1], "huge-pages"))
		return usage_error(c, "unknown option '%s' (known: huge-pages)",
				   a->argv[1]);
	if (a->argc > 2) {
		if (!strcmp(a->argv[2], "on"))
			val = 1;
		else if (strcmp(a->argv[2], "off"))
			return usage_error(c,
					   "huge-pages: '%s' is not on or off",
					   a->argv[2]);
	}
	f = ctx_fd(c);
	if (!f)
		return c->err.exit;
	if (a->argc > 2)
		rc = iommu_option_set(f->fd, IC_IOMMU_OPTION_HUGE_PAGES, id,
				      val);
	else
		rc = iommu_option_get(f->fd, IC_IOMMU_OPTION_HUGE_PAGES, id,
				      &val);
	if (rc)
		return ioctl_error(c, IC_IOMMU_OPTION, rc);
	out_record_begin(c->out);
	out_u32(c->out, "ioas_id", id);
	out_str(c->out, "option", "huge-pages");
	/* The kernel defines only 0 and 1; keep the key a string either way. */
	if (val > 1) {
		char num[24];

		snprintf(num, sizeof(num), "%llu", (unsigned long long)val);
		out_str(c->out, "value", num);
	} else {
		out_str(c->out, "value", val ? "on" : "off");
	}
	return record_done(c);
}

int cmd_ioas_get(struct ctx *c, const struct cmd_args *a)
{
	const struct iommu_fd *f;
	uint32_t id;
	int rc;

	f = ctx_fd(c);
	if (!f)
		return c->err.exit;
	rc = iommu_vfio_ioas_get(f->fd, &id);
	if (rc)
		return ioctl_error(c, IC_IOMMU_VFIO_IOAS, rc);
	return out_ioas_id(c, id);
}

int cmd_ioas_set(struct ctx *c, const struct cmd_args *a)
{
	const struct iommu_fd *f;
	uint32_t id;
	int rc;

	rc = arg_id(c, "ID", a->argv[0], &id);
	if (rc)
		return rc;
	f = ctx_fd(c);
	if (!f)
		return c->err.exit;
	rc = iommu_vfio_ioas_set(f->fd, id);
	if (rc)
		return ioctl_error(c, IC_IOMMU_VFIO_IOAS, rc);
	return out_ioas_id(c, id);
}

int cmd_ioas_clear(struct ctx *c, const struct cmd_args *a)
{
	const struct iommu_fd *f;
	int rc;

	f = ctx_fd(c);
	if (!f)
		return c->err.exit;
	rc = iommu_vfio_ioas_clear(f->fd);
	if (rc)
		return ioctl_error(c, IC_IOMMU_VFIO_IOAS, rc);
	/* After CLEAR there is no compat IOAS: the same key, now null. */
	out_record_begin(c->out);
	out_null(c->out, "ioas_id");
	return record_done(c);
}
