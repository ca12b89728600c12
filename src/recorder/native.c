// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iommufd's own ioctls on a container descriptor (/dev/iommu) as the
 * trace's native ops (iommuctl-trace(5)): IOMMU_IOAS_ALLOC,
 * IOMMU_VFIO_IOAS, IOMMU_DESTROY, IOMMU_OPTION and
 * IOMMU_FAULT_QUEUE_ALLOC. The kernel's object ids differ from run to
 * run, so the objects the program made or found are named in the order
 * it did (ioas1, compat2, fault3, ...) and its later calls name them;
 * an id that no recorded call made or found stays a number. iommufd's
 * other ioctls (IOAS_MAP and the like) stay raw and unreplayable: the
 * replay speaks type1 and the compat layer.
 *
 * The names are the converter's: it reads one process's log from its
 * start (rec_native_reset()). The log does not say which of the
 * process's iommufd files a call used, so a program with two of them
 * gets one namespace for both (iommuctl-conformance(8), RECORDING).
 */
#include <stdio.h>
#include <string.h>

#include "binlog.h"
#include "uapi-iommufd.h"
#include "uapi-vfio.h"

/* As iommuctl-trace(5) allows: named objects, and bytes after a struct. */
#define MAX_NAMES 64
#define MAX_TAIL 64
#define MAX_ARGSZ 4096

#define NR(cmd) ((int)(cmd) - IC_VFIO_BASE)

static struct {
	uint32_t id; /* 0: destroyed, the name is not taken again */
	char name[16];
} names[MAX_NAMES];
static unsigned int nr_names;

void rec_native_reset(void)
{
	memset(names, 0, sizeof(names));
	nr_names = 0;
}

static const char *name_of(uint32_t id)
{
	unsigned int i;

	for (i = 0; id && i < nr_names; i++)
		if (names[i].id == id)
			return names[i].name;
	return NULL;
}

/* A new name for id, or NULL once the trace holds as many as it may. */
static const char *bind(uint32_t id, const char *kind)
{
	if (!id || nr_names == MAX_NAMES)
		return NULL;
	names[nr_names].id = id;
	snprintf(names[nr_names].name, sizeof(names[nr_names].name), "%s%u",
		 kind, nr_names + 1);
	return names[nr_names++].name;
}

static void unbind(uint32_t id)
{
	unsigned int i;

	for (i = 0; id && i < nr_names; i++)
		if (names[i].id == id)
			names[i].id = 0;
}

/* The structure's size of a native op the trace has, or 0. */
static size_t struct_size(int nr)
{
	switch (nr) {
	case NR(IC_IOMMUFD_CMD_DESTROY):
		return sizeof(struct ic_iommu_destroy);
	case NR(IC_IOMMUFD_CMD_IOAS_ALLOC):
		return sizeof(struct ic_iommu_ioas_alloc);
	case NR(IC_IOMMUFD_CMD_OPTION):
		return sizeof(struct ic_iommu_option);
	case NR(IC_IOMMUFD_CMD_VFIO_IOAS):
		return sizeof(struct ic_iommu_vfio_ioas);
	case NR(IC_IOMMUFD_CMD_FAULT_QUEUE_ALLOC):
		return sizeof(struct ic_iommu_fault_alloc);
	default:
		return 0;
	}
}

/* Where the argument's bytes past the structure begin to be zero. */
static size_t tail_end(const struct rec_call *c, size_t size)
{
	size_t end = c->nin;

	while (end > size && !c->in[end - 1])
		end--;
	return end;
}

const char *rec_native_unreplayable(const struct rec_call *c)
{
	size_t size = struct_size(c->nr);

	if (!size)
		return "an iommufd ioctl the trace has no op for; the replay speaks type1";
	if (c->nin < sizeof(uint32_t))
		return "its argument could not be read";
	if (rec_call_in_u32(c, 0) > MAX_ARGSZ)
		return "its size is larger than a trace passes (4096 bytes)";
	if (tail_end(c, size) > size + MAX_TAIL)
		return "it has bytes that are not zero past the 64 a trace holds after the structure";
	return NULL;
}

static uint16_t in_u16(const struct rec_call *c, size_t off)
{
	uint16_t v = 0;

	if (off + sizeof(v) <= c->nin)
		memcpy(&v, c->in + off, sizeof(v));
	return v;
}

static uint32_t out_u32(const struct rec_call *c, size_t off)
{
	uint32_t v = 0;

	if (c->ret >= 0 && off + sizeof(v) <= c->nout)
		memcpy(&v, c->out + off, sizeof(v));
	return v;
}

/* An object by its name, or by the kernel's number where it has none. */
static void write_object(struct rec_line *l, uint32_t id)
{
	const char *name = name_of(id);

	line_raw(l, ",\"object\":");
	if (name)
		line_str(l, name);
	else
		line_dec(l, id);
}

static void write_result(struct rec_line *l, uint32_t id, const char *kind)
{
	const char *name = bind(id, kind);

	if (name) {
		line_raw(l, ",\"result\":");
		line_str(l, name);
	}
}

/* A uAPI number as its name where the trace has one. */
static void write_enum(struct rec_line *l, const char *key, uint32_t v,
		       const char *const *names_of, uint32_t n)
{
	line_raw(l, ",\"");
	line_raw(l, key);
	line_raw(l, "\":");
	if (v < n)
		line_str(l, names_of[v]);
	else
		line_dec(l, v);
}

static void write_u_if(struct rec_line *l, const char *key, uint32_t v)
{
	if (!v)
		return;
	line_raw(l, ",\"");
	line_raw(l, key);
	line_raw(l, "\":");
	line_dec(l, v);
}

/* argsz where it is not the structure's size, and the bytes past it. */
static void write_size(struct rec_line *l, const struct rec_call *c,
		       size_t size)
{
	uint32_t argsz = rec_call_in_u32(c, 0);
	size_t end = tail_end(c, size);

	if (argsz == size && end <= size)
		return;
	line_raw(l, ",\"argsz\":");
	line_dec(l, argsz);
	if (end > size) {
		line_raw(l, ",\"tail\":");
		line_bytes(l, c->in + size, end - size);
	}
}

void rec_native_write(struct rec_line *l, const struct rec_call *c)
{
	static const char *const ioas_ops[] = { "get", "set", "clear" };
	static const char *const options[] = { "rlimit_mode", "huge_pages" };
	static const char *const option_ops[] = { "set", "get" };
	uint32_t id, op;

	switch (c->nr) {
	case NR(IC_IOMMUFD_CMD_DESTROY):
		line_raw(l, "{\"type\":\"op\",\"op\":\"destroy\"");
		write_object(l, rec_call_in_u32(c, 4));
		if (c->ret >= 0)
			unbind(rec_call_in_u32(c, 4));
		break;
	case NR(IC_IOMMUFD_CMD_IOAS_ALLOC):
		line_raw(l, "{\"type\":\"op\",\"op\":\"ioas_alloc\"");
		write_u_if(l, "flags", rec_call_in_u32(c, 4));
		write_result(l, out_u32(c, 8), "ioas");
		break;
	case NR(IC_IOMMUFD_CMD_FAULT_QUEUE_ALLOC):
		line_raw(l, "{\"type\":\"op\",\"op\":\"fault_queue_alloc\"");
		write_u_if(l, "flags", rec_call_in_u32(c, 4));
		write_result(l, out_u32(c, 8), "fault");
		break;
	case NR(IC_IOMMUFD_CMD_VFIO_IOAS):
		line_raw(l, "{\"type\":\"op\",\"op\":\"vfio_ioas\"");
		op = in_u16(c, 8);
		write_enum(l, "ioas_op", op, ioas_ops, 3);
		id = rec_call_in_u32(c, 4);
		/* set names its IOAS; an op the kernel does not know may. */
		if (op == IC_IOMMU_VFIO_IOAS_SET || (op > 2 && id))
			write_object(l, id);
		/* What get finds, when no earlier call made or found it. */
		id = out_u32(c, 4);
		if (op == IC_IOMMU_VFIO_IOAS_GET && id && !name_of(id))
			write_result(l, id, "compat");
		write_u_if(l, "reserved", in_u16(c, 10));
		break;
	case NR(IC_IOMMUFD_CMD_OPTION):
		line_raw(l, "{\"type\":\"op\",\"op\":\"option\"");
		write_enum(l, "option", rec_call_in_u32(c, 4), options, 2);
		op = in_u16(c, 8);
		write_enum(l, "option_op", op, option_ops, 2);
		if (rec_call_in_u32(c, 12))
			write_object(l, rec_call_in_u32(c, 12));
		/* What get reads back is the result's; set writes val64. */
		if (op != IC_IOMMU_OPTION_OP_GET &&
		    rec_call_in_u64(c, 16)) {
			line_raw(l, ",\"val64\":");
			line_hex(l, rec_call_in_u64(c, 16));
		}
		write_u_if(l, "reserved", in_u16(c, 10));
		break;
	}
	write_size(l, c, struct_size(c->nr));
}
