/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_RECORDER_BINLOG_H
#define IOMMUCTL_RECORDER_BINLOG_H

/*
 * The binary log the recorder appends to while the program runs, and
 * what turns it into iommuctl-trace(5) lines afterwards. The program
 * pays for copying a call's bytes; the JSON is written by the converter,
 * in the record command once the program has ended, or in the library
 * at exit.
 *
 * The log is a sequence of records, each 4-byte aligned and starting
 * with its length. The length is stored last, with release order, after
 * the rest of the record is in place: a length of 0 (the file's zeroes
 * past the end) or one that runs past the file ends the log, so a log
 * cut short by SIGKILL holds whole records only. Records are small: each
 * page of log is a page the kernel clears on the program's clock.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REC_MAX_BYTES 4096 /* TRACE_MAX_BYTES of the reader */
/* A line holds an ioctl's bytes and its output as hex, and the rest. */
#define REC_LINE_MAX (4 * REC_MAX_BYTES + 1024)

enum rec_bin_type {
	REC_BIN_LINE = 1, /* a finished line: header, buffer declaration */
	REC_BIN_CALL = 2, /* an ioctl, formatted by the converter */
};

#define REC_BIN_ALIGN 4

struct rec_bin_hdr {
	uint32_t len; /* of the whole record; written last */
	uint16_t type;
	uint16_t aux; /* LINE: the line's length; CALL: REC_CALL_* */
};

/*
 * What follows a call's fixed part, in this order; what is absent is 0,
 * or nin for the sizes. A map/unmap loop logs 24 bytes a call.
 */
enum {
	REC_CALL_RET = 1 << 0, /* int32_t ret */
	REC_CALL_ERR = 1 << 1, /* int32_t errno */
	REC_CALL_SIZES = 1 << 2, /* uint16_t nused, nout */
	REC_CALL_ARG = 1 << 3, /* the argument as an integer, 8 bytes */
	REC_CALL_MAP = 1 << 4, /* struct rec_bin_map */
	REC_CALL_MAP_SAME = 1 << 5, /* map_dma: the previous map's buffer */
	REC_CALL_DELTA = 1 << 6, /* the input as a delta (struct rec_delta) */
	REC_CALL_OUT_IS_IN = 1 << 7, /* no output bytes: the input's first */
};

/* An ioctl; then the REC_CALL_* parts, the input and the output bytes. */
struct rec_bin_call {
	struct rec_bin_hdr hdr;
	uint32_t request;
	uint16_t nin;
	uint8_t role;
	uint8_t pad;
};

/* map_dma: the buffer rec_addr_resolve() found, unaligned in the log. */
struct rec_bin_map {
	int32_t rc;
	char buf[12];
	uint64_t offset;
} __attribute__((packed));

/*
 * The input of a call as the 32-bit words that changed since the last
 * call with the same request, role and size: a 16-bit mask, then the
 * words. The recorder and the converter keep the same table, updated
 * with every call logged, so it holds inputs of up to 64 bytes.
 */
#define REC_DELTA_MAX 64
#define REC_DELTA_SLOTS 4

struct rec_delta {
	struct {
		uint32_t request;
		uint16_t nused;
		uint8_t role;
		uint8_t in[REC_DELTA_MAX];
	} slot[REC_DELTA_SLOTS];
};

/* (The encoder is inline, in delta.h.) */

/* The input from its encoding in p (avail bytes); bytes read or 0. */
size_t rec_delta_decode(const struct rec_delta *t, uint32_t request,
			uint8_t role, const uint8_t *p, size_t avail,
			uint8_t *in, size_t nused);
/* A call was logged with this input. */
void rec_delta_update(struct rec_delta *t, uint32_t request, uint8_t role,
		      const uint8_t *in, size_t nused);
/* The slot of a call that was not logged: its next one goes in full. */
void rec_delta_forget(struct rec_delta *t, uint32_t request, uint8_t role);

/* Roles of the descriptors the recorder follows (0: not followed). */
enum rec_role {
	ROLE_NONE,
	ROLE_CONTAINER,
	ROLE_GROUP,
	ROLE_DEVICE,
};

/* How an ioctl's argument is passed. */
enum rec_arg_kind {
	A_VALUE, /* an integer */
	A_ARGSZ, /* a structure that starts with its size */
	A_INT_PTR, /* a pointer to an int (a descriptor) */
	A_STRING, /* a device name */
	A_SIZED, /* a structure of _IOC_SIZE bytes */
};

/* One ioctl, as captured and as the converter rebuilds it. */
struct rec_call {
	enum rec_role role;
	unsigned long request;
	uint64_t arg;
	int nr; /* VFIO number minus VFIO_BASE; -1 for other ioctls */
	enum rec_arg_kind kind;
	size_t nin;
	size_t nout; /* of out, after the call */
	uint8_t in[REC_MAX_BYTES];
	uint8_t out[REC_MAX_BYTES];
	const char *unreplayable;
	int ret, err;
	/* map_dma: the buffer the address is in, resolved at the call. */
	int map_rc;
	char map_buf[16];
	uint64_t map_offset;
};

/* nr and kind from role and request. */
void rec_call_classify(struct rec_call *c);
/* Of in, the bytes the kernel reads; of out, those it wrote. */
size_t rec_call_used_input(const struct rec_call *c);
size_t rec_call_used_output(const struct rec_call *c);
/* Why a replay cannot redo this call, or NULL. */
const char *rec_call_unreplayable(const struct rec_call *c);
/* The little-endian field at off of the input, 0 past its end. */
uint64_t rec_call_in_u64(const struct rec_call *c, size_t off);
uint32_t rec_call_in_u32(const struct rec_call *c, size_t off);
/* VFIO_IOMMU_MAP_DMA: its address is resolved at the call. */
bool rec_call_is_map(const struct rec_call *c);
/* VFIO_GROUP_GET_DEVICE_FD: its result is a device fd. */
bool rec_call_opens_device(const struct rec_call *c);

/* A line under construction; overflow makes it be dropped, not cut. */
struct rec_line {
	char *buf;
	size_t len;
	size_t cap;
	bool overflow;
};

/* Decimal digits of v into out (room for 21); returns their number. */
size_t rec_utoa(char *out, unsigned long v);
/* Lower-case hex digits, no prefix. */
size_t rec_xtoa(char *out, unsigned long v);

void line_init(struct rec_line *l, char *buf, size_t cap);
void line_raw(struct rec_line *l, const char *s);
/* A JSON string, quoted and escaped. */
void line_str(struct rec_line *l, const char *s);
void line_hex(struct rec_line *l, uint64_t v); /* "0x..." */
void line_dec(struct rec_line *l, int64_t v);
void line_bytes(struct rec_line *l, const void *p, size_t n); /* "hex" */
void line_errno(struct rec_line *l, int err); /* null or "ENAME" */

/* The op line of a captured call. */
void rec_format_call(struct rec_line *l, struct rec_call *c);

/*
 * iommufd's own ioctls on a container descriptor (native.c): why one
 * cannot be a native op of the trace, or NULL; the op's line (opened,
 * not closed); and the names of the objects, forgotten at a log's start.
 */
const char *rec_native_unreplayable(const struct rec_call *c);
void rec_native_write(struct rec_line *l, const struct rec_call *c);
void rec_native_reset(void);

/*
 * The log at bin (len bytes) as trace lines into the descriptor out;
 * 0 or -errno. Stops at the first record not published.
 */
int rec_convert_mem(const uint8_t *bin, size_t len, int out);
/*
 * Of the log at bin (len bytes), the length of the whole records that
 * were published, in order from its start: a copy of that many bytes
 * is a log that converts as the live one does now.
 */
size_t rec_log_published(const uint8_t *bin, size_t len);
/* BIN into OUT, written to OUT.partial and renamed; 0 or -errno. */
int rec_convert_file(const char *bin, const char *out);

#endif
