// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * An ioctl as a trace line: the VFIO container ioctls as the trace's own
 * ops, group attach and detach and device open as attach_group,
 * detach_group and open_device, iommufd's own that the trace has as its
 * native ops (native.c), everything else as a raw "ioctl" op with
 * the role of its descriptor,
 * its argument bytes and what the kernel wrote back. The recorder
 * decides here what of a call to keep; the converter writes the line
 * from what was kept, after the program.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "binlog.h"
#include "uapi-vfio.h"

/* VFIO ioctl numbers past the container's (Linux 6.12 <linux/vfio.h>). */
enum {
	NR_GET_API_VERSION = 0,
	NR_CHECK_EXTENSION = 1,
	NR_SET_IOMMU = 2,
	NR_GROUP_GET_STATUS = 3,
	NR_GROUP_SET_CONTAINER = 4,
	NR_GROUP_UNSET_CONTAINER = 5,
	NR_GROUP_GET_DEVICE_FD = 6,
	NR_DEVICE_GET_INFO = 7,
	NR_DEVICE_GET_REGION_INFO = 8,
	NR_DEVICE_GET_IRQ_INFO = 9,
	NR_DEVICE_SET_IRQS = 10,
	NR_DEVICE_RESET = 11,
	NR_IOMMU_GET_INFO = 12,
	NR_DEVICE_PCI_HOT_RESET_INFO = 12,
	NR_IOMMU_MAP_DMA = 13,
	NR_DEVICE_PCI_HOT_RESET = 13,
	NR_IOMMU_UNMAP_DMA = 14,
	NR_DEVICE_QUERY_GFX_PLANE = 14,
	NR_DEVICE_GET_GFX_DMABUF = 15,
	NR_DEVICE_IOEVENTFD = 16,
	NR_IOMMU_DIRTY_PAGES = 17,
	NR_DEVICE_FEATURE = 17,
	NR_DEVICE_BIND_IOMMUFD = 18,
	NR_DEVICE_ATTACH_IOMMUFD_PT = 19,
	NR_DEVICE_DETACH_IOMMUFD_PT = 20,
	/* iommufd's own ioctls start at 0x80 on the same type. */
	NR_IOMMUFD_FIRST = 0x80 - IC_VFIO_BASE,
};

#define SET_IRQS_DATA_NONE (1U << 0)
#define SET_IRQS_DATA_BOOL (1U << 1)
#define SET_IRQS_DATA_EVENTFD (1U << 2)
#define SET_IRQS_HDR 20 /* argsz, flags, index, start, count */
#define UNMAP_GET_DIRTY_BITMAP (1U << 0)
#define DIRTY_PAGES_GET_BITMAP (1U << 2)
/*
 * Where struct vfio_bitmap lies in an unmap and in a GET_BITMAP (after
 * the struct, or after the header and the range: 24 bytes in both), the
 * size of either argument with it, what an unmap writes back, and the
 * largest bitmap a replay hands the kernel (iommuctl-trace(5)).
 */
#define BITMAP_AT 24
#define WITH_BITMAP 48
#define UNMAP_OUT 24
#define REPLAY_MAX_BITMAP 4096

static enum rec_arg_kind arg_kind(const struct rec_call *c)
{
	if (c->nr < 0)
		return _IOC_SIZE(c->request) ? A_SIZED : A_VALUE;
	switch (c->role) {
	case ROLE_CONTAINER:
		if (c->nr <= NR_SET_IOMMU)
			return A_VALUE;
		return A_ARGSZ;
	case ROLE_GROUP:
		if (c->nr == NR_GROUP_SET_CONTAINER)
			return A_INT_PTR;
		if (c->nr == NR_GROUP_GET_DEVICE_FD)
			return A_STRING;
		if (c->nr == NR_GROUP_UNSET_CONTAINER)
			return A_VALUE;
		return A_ARGSZ;
	default:
		if (c->nr == NR_DEVICE_RESET)
			return A_VALUE;
		if (c->nr == NR_DEVICE_GET_GFX_DMABUF)
			return A_INT_PTR;
		return A_ARGSZ;
	}
}

void rec_call_classify(struct rec_call *c)
{
	c->nr = _IOC_TYPE(c->request) == IC_VFIO_TYPE &&
				_IOC_NR(c->request) >= IC_VFIO_BASE ?
			(int)_IOC_NR(c->request) - IC_VFIO_BASE :
			-1;
	c->kind = arg_kind(c);
}

bool rec_call_is_map(const struct rec_call *c)
{
	return c->role == ROLE_CONTAINER && c->nr == NR_IOMMU_MAP_DMA;
}

bool rec_call_opens_device(const struct rec_call *c)
{
	return c->role == ROLE_GROUP && c->nr == NR_GROUP_GET_DEVICE_FD;
}

uint32_t rec_call_in_u32(const struct rec_call *c, size_t off)
{
	uint32_t v = 0;

	if (off + sizeof(v) <= c->nin)
		memcpy(&v, c->in + off, sizeof(v));
	return v;
}

uint64_t rec_call_in_u64(const struct rec_call *c, size_t off)
{
	uint64_t v = 0;

	if (off + sizeof(v) <= c->nin)
		memcpy(&v, c->in + off, sizeof(v));
	return v;
}

/*
 * The info ioctls: argsz, flags and an index or counts in (16 bytes), a
 * structure and a capability chain out.
 */
static bool is_info(const struct rec_call *c)
{
	if (c->kind != A_ARGSZ || c->nr < 0)
		return false;
	if (c->role == ROLE_CONTAINER)
		return c->nr == NR_IOMMU_GET_INFO;
	return c->role == ROLE_DEVICE && (c->nr == NR_DEVICE_GET_INFO ||
					  c->nr == NR_DEVICE_GET_REGION_INFO ||
					  c->nr == NR_DEVICE_GET_IRQ_INFO);
}

#define INFO_IN 16

/*
 * What the kernel reads of an argument whose argsz is larger than the
 * structure: VFIO_DEVICE_SET_IRQS reads its header and count entries
 * (vfio_set_irqs_validate_and_prepare), the info ioctls their fixed
 * part. The rest is whatever the program's buffer held, stack and
 * library addresses included: it is not kept. Every byte the line is
 * made from lies within these.
 */
size_t rec_call_used_input(const struct rec_call *c)
{
	uint32_t flags, count;

	if (c->kind != A_ARGSZ || c->nr < 0)
		return c->nin;
	if (c->role == ROLE_DEVICE && c->nr == NR_DEVICE_SET_IRQS) {
		flags = rec_call_in_u32(c, 4);
		count = rec_call_in_u32(c, 16);
		if (flags & SET_IRQS_DATA_NONE)
			count = 0;
		else if (flags & SET_IRQS_DATA_EVENTFD)
			count *= 4;
		else if (!(flags & SET_IRQS_DATA_BOOL))
			return c->nin;
		return SET_IRQS_HDR + (size_t)count < c->nin ?
			       SET_IRQS_HDR + (size_t)count :
			       c->nin;
	}
	if (is_info(c))
		return c->nin < INFO_IN ? c->nin : INFO_IN;
	return c->nin;
}

/*
 * What the kernel wrote back: an info ioctl says in argsz how much it
 * filled (more than the buffer when the chain did not fit); beyond
 * that the buffer is the program's.
 */
size_t rec_call_used_output(const struct rec_call *c)
{
	uint32_t argsz;

	if (c->ret < 0)
		return 0;
	if (is_info(c) && c->nin >= sizeof(argsz)) {
		memcpy(&argsz, c->out, sizeof(argsz));
		return argsz < c->nin ? argsz : c->nin;
	}
	/* Not the bitmap's address after the struct: a trace holds none. */
	if (c->role == ROLE_CONTAINER && c->nr == NR_IOMMU_UNMAP_DMA)
		return c->nin < UNMAP_OUT ? c->nin : UNMAP_OUT;
	return c->nin;
}

/*
 * The bitmap an unmap or GET_BITMAP passes, when its flag asks the
 * kernel to read one and the argument has room for it: the replay hands
 * the kernel a bitmap of its own of the same size.
 */
static bool has_bitmap(const struct rec_call *c)
{
	if (c->role != ROLE_CONTAINER || c->nin < WITH_BITMAP)
		return false;
	if (c->nr == NR_IOMMU_UNMAP_DMA)
		return rec_call_in_u32(c, 4) & UNMAP_GET_DIRTY_BITMAP;
	return c->nr == NR_IOMMU_DIRTY_PAGES &&
	       (rec_call_in_u32(c, 4) & DIRTY_PAGES_GET_BITMAP);
}

const char *rec_call_unreplayable(const struct rec_call *c)
{
	if (c->nr < 0)
		return NULL;
	if (c->role == ROLE_CONTAINER) {
		if (c->nr >= NR_IOMMUFD_FIRST)
			return rec_native_unreplayable(c);
		if (has_bitmap(c) &&
		    rec_call_in_u64(c, BITMAP_AT + 8) > REPLAY_MAX_BITMAP)
			return "the dirty bitmap is larger than a replay passes";
		return NULL;
	}
	if (c->role != ROLE_DEVICE)
		return NULL;
	switch (c->nr) {
	case NR_DEVICE_SET_IRQS:
		return rec_call_in_u32(c, 4) & SET_IRQS_DATA_EVENTFD ?
			       "passes eventfds the replay does not have" :
			       NULL;
	case NR_DEVICE_PCI_HOT_RESET:
		return "passes group fds the replay does not have";
	case NR_DEVICE_GET_GFX_DMABUF:
		return "returns a dmabuf fd";
	case NR_DEVICE_IOEVENTFD:
		return "passes an eventfd the replay does not have";
	case NR_DEVICE_FEATURE:
		return "device features may pass fds and pointers";
	case NR_DEVICE_BIND_IOMMUFD:
	case NR_DEVICE_ATTACH_IOMMUFD_PT:
	case NR_DEVICE_DETACH_IOMMUFD_PT:
		return "binds the device to an iommufd the replay does not have";
	default:
		return NULL;
	}
}

static void recorded(struct rec_line *l, const struct rec_call *c, bool out)
{
	line_raw(l, ",\"recorded\":{\"ret\":");
	line_dec(l, c->ret);
	line_raw(l, ",\"errno\":");
	line_errno(l, c->ret < 0 ? c->err : 0);
	if (out && c->ret >= 0 && c->nout) {
		line_raw(l, ",\"out\":");
		line_bytes(l, c->out, c->nout);
	}
	line_raw(l, "}}");
}

static void op(struct rec_line *l, const char *name)
{
	line_raw(l, "{\"type\":\"op\",\"op\":");
	line_str(l, name);
}

static void field_hex(struct rec_line *l, const char *key, uint64_t v)
{
	line_raw(l, ",\"");
	line_raw(l, key);
	line_raw(l, "\":");
	line_hex(l, v);
}

static void field_dec(struct rec_line *l, const char *key, int64_t v)
{
	line_raw(l, ",\"");
	line_raw(l, key);
	line_raw(l, "\":");
	line_dec(l, v);
}

static void write_map(struct rec_line *l, struct rec_call *c)
{
	uint64_t vaddr = rec_call_in_u64(c, 8);
	int rc = c->map_rc;

	op(l, "map_dma");
	if (!rc) {
		line_raw(l, ",\"buffer\":");
		line_str(l, c->map_buf);
		field_hex(l, "offset", c->map_offset);
	} else {
		line_raw(l, ",\"buffer\":null");
	}
	/* Address 0 replays an address in no mapping well enough. */
	if (rc == -ENOENT && vaddr)
		line_raw(l, ",\"note\":\"the address was in no mapping\"");
	if (rc && rc != -ENOENT)
		c->unreplayable =
			"its buffer could not be declared: the trace has 256 already";
	field_hex(l, "iova", rec_call_in_u64(c, 16));
	field_hex(l, "size", rec_call_in_u64(c, 24));
	field_dec(l, "flags", rec_call_in_u32(c, 4));
	if (rec_call_in_u32(c, 0) != 32)
		field_dec(l, "argsz", rec_call_in_u32(c, 0));
}

/*
 * The bitmap's page size and size at off, and argsz where it is not what
 * the trace's op defaults to (plain, or with a bitmap).
 */
static void write_bitmap(struct rec_line *l, const struct rec_call *c,
			 size_t off, uint32_t plain)
{
	bool bitmap = has_bitmap(c);

	if (bitmap) {
		field_hex(l, "pgsize", rec_call_in_u64(c, off));
		field_hex(l, "bitmap_size", rec_call_in_u64(c, off + 8));
	}
	if (rec_call_in_u32(c, 0) != (bitmap ? WITH_BITMAP : plain))
		field_dec(l, "argsz", rec_call_in_u32(c, 0));
}

void rec_format_call(struct rec_line *l, struct rec_call *c)
{
	static const char *const roles[] = { "", "container", "group",
					     "device" };
	bool out = false;
	char dev[65];

	switch (c->role == ROLE_CONTAINER ? c->nr : -1) {
	case NR_GET_API_VERSION:
		op(l, "get_api_version");
		goto done;
	case NR_CHECK_EXTENSION:
		op(l, "check_extension");
		field_dec(l, "extension", (uint32_t)c->arg);
		goto done;
	case NR_SET_IOMMU:
		op(l, "set_iommu");
		field_dec(l, "iommu_type", (uint32_t)c->arg);
		goto done;
	case NR_IOMMU_GET_INFO:
		op(l, "get_info");
		field_dec(l, "argsz", rec_call_in_u32(c, 0));
		out = true;
		goto done;
	case NR_IOMMU_MAP_DMA:
		write_map(l, c);
		goto done;
	case NR_IOMMU_UNMAP_DMA:
		op(l, "unmap_dma");
		field_hex(l, "iova", rec_call_in_u64(c, 8));
		field_hex(l, "size", rec_call_in_u64(c, 16));
		field_dec(l, "flags", rec_call_in_u32(c, 4));
		write_bitmap(l, c, BITMAP_AT, 24);
		out = true;
		goto done;
	case NR_IOMMU_DIRTY_PAGES:
		op(l, "dirty_pages");
		field_dec(l, "flags", rec_call_in_u32(c, 4));
		if (has_bitmap(c)) {
			field_hex(l, "iova", rec_call_in_u64(c, 8));
			field_hex(l, "size", rec_call_in_u64(c, 16));
		}
		write_bitmap(l, c, BITMAP_AT, 8);
		goto done;
	}
	if (c->role == ROLE_GROUP && c->nr == NR_GROUP_SET_CONTAINER) {
		op(l, "attach_group");
		goto done;
	}
	if (c->role == ROLE_GROUP && c->nr == NR_GROUP_UNSET_CONTAINER) {
		op(l, "detach_group");
		goto done;
	}
	if (c->role == ROLE_GROUP && c->nr == NR_GROUP_GET_DEVICE_FD) {
		op(l, "open_device");
		memcpy(dev, c->in, c->nin < 64 ? c->nin : 64);
		dev[c->nin < 64 ? c->nin : 64] = '\0';
		line_raw(l, ",\"note\":");
		line_str(l, dev);
		goto done;
	}
	if (c->role == ROLE_CONTAINER && c->nr >= NR_IOMMUFD_FIRST &&
	    !c->unreplayable) {
		rec_native_write(l, c);
		goto done;
	}
	op(l, "ioctl");
	if (c->role != ROLE_CONTAINER) {
		line_raw(l, ",\"fd\":");
		line_str(l, roles[c->role]);
	}
	field_hex(l, "request", (uint32_t)c->request);
	if (c->kind == A_VALUE) {
		/* An integer argument; one too big to be one is not copied. */
		field_dec(l, "arg", c->arg <= UINT32_MAX ? c->arg : 0);
		if (c->arg > UINT32_MAX)
			c->unreplayable =
				"its argument is a pointer to memory the recorder does not know";
	} else if (!c->unreplayable || c->nr < NR_IOMMUFD_FIRST) {
		line_raw(l, ",\"bytes\":");
		line_bytes(l, c->in, rec_call_used_input(c));
		out = true;
	}
done:
	if (c->unreplayable) {
		line_raw(l, ",\"unreplayable\":");
		line_str(l, c->unreplayable);
	}
	recorded(l, c, out);
}
