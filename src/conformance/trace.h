/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_TRACE_H
#define IOMMUCTL_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Trace format v1, iommuctl-trace(5): JSON Lines, one record per line. The
 * reader hands out one record at a time and keeps nothing of earlier lines
 * but the buffer names, so memory stays bounded whatever the trace length.
 */

#define TRACE_VERSION 1
/*
 * Longest line: an ioctl's argument and the recorded output bytes
 * (TRACE_MAX_BYTES each, as hex) fit with room.
 */
#define TRACE_MAX_LINE 32768
#define TRACE_MAX_BYTES 4096
/* A recorded VMM maps guest RAM, ROMs and BARs: a few hundred at most. */
#define TRACE_MAX_BUFFERS 256
/* iommufd objects a trace names: a few IOASes and the odd other object. */
#define TRACE_MAX_OBJECTS 64
/* Bytes a native op may carry past its struct, for the size checks. */
#define TRACE_MAX_TAIL 64
#define TRACE_NAME_LEN 64
#define TRACE_TEXT_LEN 128
/* Largest dirty bitmap a dirty_pages or unmap_dma op hands the kernel. */
#define TRACE_MAX_BITMAP 4096
/* An expected dirty bitmap as text: "none" or "0,2-5,...". */
#define TRACE_DIRTY_LEN 64

enum trace_kind {
	TRACE_HEADER,
	TRACE_BUFFER,
	TRACE_OP,
};

enum trace_buf_kind {
	TRACE_BUF_ANON,
	TRACE_BUF_HUGETLB,
	TRACE_BUF_MEMFD,
	TRACE_BUF_DEVICE_REGION, /* an mmap of a region of the device fd */
	TRACE_BUF_KIND_COUNT,
};

/* The descriptor an ioctl op runs on. */
enum trace_fd_role {
	TRACE_FD_CONTAINER,
	TRACE_FD_GROUP,
	TRACE_FD_DEVICE,
};

enum trace_op {
	OP_GET_API_VERSION,
	OP_CHECK_EXTENSION,
	OP_SET_IOMMU,
	OP_GET_INFO,
	OP_MAP_DMA,
	OP_UNMAP_DMA,
	OP_DIRTY_PAGES,
	OP_IOCTL,
	OP_ATTACH_GROUP,
	OP_OPEN_DEVICE,
	OP_WRITE,
	OP_VERIFY,
	OP_DMA_WRITE,
	OP_DMA_READ,
	OP_PIN,
	OP_UNPIN,
	OP_CLOSE_DEVICE,
	OP_DETACH_GROUP, /* VFIO_GROUP_UNSET_CONTAINER */
	OP_CLOSE_GROUP, /* close(2) of the group fd */
	/* A module parameter the next ops run under (trace_module_params). */
	OP_MODULE_PARAM,
	/*
	 * The next ops run as an unprivileged program does: RLIMIT_MEMLOCK's
	 * soft limit set to val64 bytes, CAP_IPC_LOCK out of the effective set.
	 */
	OP_MEMLOCK,
	OP_MLOCK, /* mlock(2) of size bytes of a buffer */
	/* VmLck and VmPin, as grown since the backend was opened. */
	OP_LOCKED_MEMORY,
	/*
	 * A second process of the same user, on the same backend, maps size
	 * bytes of its own through another device's group and holds them.
	 */
	OP_PEER_MAP,
	/* iommufd's own ioctls, on the iommufd backends only. */
	OP_IOAS_ALLOC,
	OP_VFIO_IOAS,
	OP_DESTROY,
	OP_FAULT_QUEUE_ALLOC,
	OP_OPTION,
	OP_COUNT,
};

/* memlock's "unlimited": RLIM_INFINITY. */
#define TRACE_UNLIMITED UINT64_MAX

/* Protection of a buffer, as mmap(2) takes it. */
#define TRACE_PROT_READ (1U << 0)
#define TRACE_PROT_WRITE (1U << 1)

struct trace_header {
	unsigned int version;
	char source[TRACE_TEXT_LEN];
	uint64_t page_size;
	char kernel[TRACE_TEXT_LEN];
	/* Kernel command-line words the replay needs booted, or "". */
	char boot[TRACE_TEXT_LEN];
};

struct trace_buffer {
	char name[TRACE_NAME_LEN];
	uint64_t size;
	uint64_t align;
	enum trace_buf_kind kind;
	unsigned int prot;
	/* device_region: the region index and the offset inside it. */
	uint32_t region;
	uint64_t region_offset;
};

/*
 * What happened when the op was recorded (iommuctl-conformance record);
 * shown, never part of a verdict.
 */
struct trace_recorded {
	int64_t ret;
	int err; /* positive errno, 0 for success */
	size_t nout;
	uint8_t out[TRACE_MAX_BYTES];
};

/* What the trace author says must happen; checked on every backend. */
struct trace_expect {
	bool has_errno;
	int err; /* positive errno, 0 for success */
	bool has_unmapped;
	uint64_t unmapped;
	bool has_value; /* the return value of the value ioctls */
	int64_t value;
	int ioas; /* vfio_ioas get: the object it names, -1: not checked */
	bool has_val64; /* option: the value it writes back */
	uint64_t val64;
	/* The dirty bitmap's set bits, canonical (dirty-bits.h); "": none. */
	char dirty[TRACE_DIRTY_LEN];
};

struct trace_opdesc {
	/*
	 * What replaying reads comes first, so an op's hot fields share a
	 * cache line or two; the text and the raw bytes come after.
	 */
	enum trace_op op;
	bool has_flags;
	uint32_t flags;
	bool has_argsz;
	uint32_t argsz;
	uint32_t arg; /* extension id, iommu type, integer ioctl argument */

	/*
	 * A user address: a buffer (index into the declarations) + offset;
	 * without one (-1) the offset is the address (map_dma's "vaddr").
	 */
	int buffer;
	uint64_t offset;

	uint64_t iova;
	uint64_t size; /* bytes for map/unmap/write/verify/dma/unpin */
	uint64_t pattern;
	uint32_t npages;
	bool write;
	bool kthread; /* dma_read, dma_write: from a kernel thread */
	/*
	 * dirty_pages (GET_BITMAP's range in iova and size) and unmap_dma:
	 * a struct vfio_bitmap follows the struct, its data a bitmap of
	 * bitmap_size bytes the runner allocates.
	 */
	bool has_bitmap;
	uint64_t pgsize;
	uint64_t bitmap_size;

	/*
	 * The native ops: iommufd object ids differ between runs, so a trace
	 * names them. result is the name an op that makes or finds an object
	 * binds, object the name an op refers to (index into the reader's
	 * names, -1: none), else object_id, a number taken as it is.
	 */
	int result;
	int object;
	uint32_t object_id;
	uint32_t ioas_op; /* vfio_ioas's op, or option's */
	uint32_t reserved;
	uint32_t option; /* option: the option id */
	uint32_t param; /* module_param: index into trace_module_params */
	uint64_t val64; /* also module_param's value, memlock's limit */
	bool needs_device; /* replayed only where a device is open */
	size_t ntail;
	uint8_t tail[TRACE_MAX_TAIL]; /* bytes after the struct */

	struct trace_expect expect;

	/* Why the op cannot be replayed ("" when it can). */
	char unreplayable[TRACE_TEXT_LEN];

	/* OP_IOCTL: the fd, request number and argument bytes, or an arg. */
	enum trace_fd_role fd;
	unsigned long request;
	bool has_bytes;
	size_t nbytes;

	char id[TRACE_NAME_LEN];
	char note[TRACE_TEXT_LEN];
	bool has_recorded;
	uint8_t bytes[TRACE_MAX_BYTES];
	struct trace_recorded recorded;
};

struct trace_rec {
	enum trace_kind kind;
	unsigned int line;
	union {
		struct trace_header header;
		struct trace_buffer buffer;
		struct trace_opdesc op;
	};
};

struct trace_reader {
	FILE *f;
	unsigned int line;
	bool seen_header;
	unsigned int nr_buffers;
	struct trace_buffer buffers[TRACE_MAX_BUFFERS];
	unsigned int nr_objects;
	char objects[TRACE_MAX_OBJECTS][TRACE_NAME_LEN];
	char linebuf[TRACE_MAX_LINE + 2];
	/* The last error: "LINE: FIELD: what was wrong". */
	char error[256];
};

void trace_reader_init(struct trace_reader *r, FILE *f);

/*
 * Read the next record into rec. Returns 1 for a record, 0 at the end of
 * the trace, or -EINVAL (malformed, r->error names line and field), -EIO
 * (read error) or -ENOMEM. A trace without a header, or with a record
 * after a malformed one, is not read further.
 */
int trace_read(struct trace_reader *r, struct trace_rec *rec);

/*
 * Write rec as one line in the canonical form, which trace_read() reads
 * back to the same record. Buffer references are resolved by name through
 * the declarations in r. Returns 0 or -errno.
 */
int trace_write(FILE *f, const struct trace_reader *r,
		const struct trace_rec *rec);

const char *trace_op_name(enum trace_op op);

/* Whether the trace author wrote any expectation for the op. */
bool trace_expect_any(const struct trace_expect *e);

/*
 * The module parameters a trace may set ("module.name", as on the
 * kernel command line): those that decide what the compat ioctls do.
 * Nothing else is written, whatever a trace says.
 */
enum trace_module_param {
	TRACE_PARAM_DMA_ENTRY_LIMIT,
	TRACE_PARAM_TYPE1_UNSAFE_INTERRUPTS,
	TRACE_PARAM_IOMMUFD_UNSAFE_INTERRUPTS,
	TRACE_PARAM_TYPE1_DISABLE_HUGEPAGES,
	TRACE_NR_PARAMS,
};

const char *trace_module_param_name(uint32_t param);
const char *trace_buf_kind_name(enum trace_buf_kind kind);
const char *trace_fd_role_name(enum trace_fd_role role);
/* Whether op is one of iommufd's own ioctls (no VFIO container has it). */
bool trace_op_native(enum trace_op op);
/*
 * The size of a native op's struct, which its argsz defaults to (plus
 * the tail); 0 for the other ops.
 */
size_t trace_native_size(enum trace_op op);

#endif
