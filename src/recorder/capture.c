// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * An ioctl on a followed descriptor, made and kept: its argument bytes
 * before the call, its result and what the kernel wrote back, and for a
 * DMA mapping the buffer its address lies in (mappings change, so that
 * is looked up now). They go into the binary log as they are; the line
 * is written from them later (call.c). The argument is read with
 * rec_safe_read(): a program that passes a bad pointer gets EFAULT, not
 * a crash in the recorder.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "addr.h"
#include "capture.h"
#include "delta.h"
#include "fdtab.h"
#include "log.h"
#include "real.h"
#include "safemem.h"
#include "uapi-vfio.h"

#define PLAIN_MAP 32 /* struct vfio_iommu_type1_dma_map */
#define PLAIN_UNMAP 24 /* struct vfio_iommu_type1_dma_unmap, no bitmap */

static struct rec_call call; /* under the lock */

/* The argument's bytes before the call; c->nin of them. */
static void read_input(struct rec_call *c, const void *arg)
{
	uint32_t argsz = 0;
	ssize_t n;

	c->nin = 0;
	switch (c->kind) {
	case A_VALUE:
		return;
	case A_INT_PTR:
		n = rec_safe_read(c->in, arg, sizeof(int));
		break;
	case A_STRING:
		/* Up to the first fault; the name ends well before. */
		n = rec_safe_read(c->in, arg, 64);
		if (n < 0)
			n = rec_safe_read(c->in, arg, 1);
		break;
	case A_SIZED:
		n = rec_safe_read(c->in, arg,
				  _IOC_SIZE(c->request) < REC_MAX_BYTES ?
					  _IOC_SIZE(c->request) :
					  REC_MAX_BYTES);
		break;
	default:
		if (rec_safe_read(&argsz, arg, sizeof(argsz)) != sizeof(argsz))
			return;
		if (argsz < sizeof(argsz))
			argsz = sizeof(argsz);
		n = rec_safe_read(c->in, arg,
				  argsz < REC_MAX_BYTES ? argsz :
							  REC_MAX_BYTES);
		break;
	}
	c->nin = n > 0 ? (size_t)n : 0;
}

/* Where a map's address lies: rec_addr_resolve()'s answer. */
struct map_answer {
	int rc;
	char buf[sizeof(((struct rec_call *)0)->map_buf)];
	uint64_t offset;
};

/* Under the lock: the buffer of vaddr, declared if new. */
static inline void resolve(uint64_t vaddr, uint64_t size,
			   struct map_answer *a)
{
	a->rc = vaddr ? rec_addr_resolve(vaddr, size, a->buf, sizeof(a->buf),
					 &a->offset) :
			-ENOENT;
	if (__builtin_expect(a->rc, 0)) {
		/* No buffer: no name, no offset. */
		__builtin_memset(a->buf, 0, sizeof(a->buf));
		a->offset = 0;
	}
}

static void answer_to_call(struct rec_call *c, const struct map_answer *a)
{
	c->map_rc = a->rc;
	__builtin_memcpy(c->map_buf, a->buf, sizeof(c->map_buf));
	c->map_offset = a->offset;
}

/* Under the lock: the buffer of a map's address, declared if new. */
static void resolve_map(struct rec_call *c)
{
	struct map_answer a;

	resolve(rec_call_in_u64(c, 8), rec_call_in_u64(c, 24), &a);
	answer_to_call(c, &a);
}

/* The kernel wrote back what it read (a map, most unmaps). */
static bool out_is_in(const uint8_t *in, const uint8_t *out, size_t nout,
		      size_t nused)
{
	uint64_t a, b;
	size_t i;

	if (nout > nused)
		return false;
#pragma GCC unroll 8
	for (i = 0; i + sizeof(a) <= nout; i += sizeof(a)) {
		__builtin_memcpy(&a, in + i, sizeof(a));
		__builtin_memcpy(&b, out + i, sizeof(b));
		if (a != b)
			return false;
	}
	for (; i < nout; i++)
		if (in[i] != out[i])
			return false;
	return true;
}

/* What the log's earlier records let this one leave out. */
static struct rec_delta delta;
/*
 * The previous map's buffer, and the range it was asked for with the
 * epoch of the answer (rec_addr_epoch(); 0: none): while they hold, a
 * map of the same range has the same answer without asking.
 */
static struct {
	bool valid;
	int rc;
	char buf[sizeof(((struct rec_bin_map *)0)->buf)];
	uint64_t offset;
	uint64_t va, size;
	unsigned int epoch;
} last_map;

void rec_capture_reset(void)
{
	memset(&delta, 0, sizeof(delta));
	last_map.valid = false;
	last_map.epoch = 0;
}

/* The previous map's buffer: its record can say MAP_SAME. */
static inline bool same_map(int rc, const char *buf, uint64_t offset)
{
	uint64_t a8, b8;
	uint32_t a4, b4;

	/* The name's 12 bytes as two loads each: no call to memcmp(). */
	__builtin_memcpy(&a8, last_map.buf, sizeof(a8));
	__builtin_memcpy(&b8, buf, sizeof(b8));
	__builtin_memcpy(&a4, last_map.buf + sizeof(a8), sizeof(a4));
	__builtin_memcpy(&b4, buf + sizeof(b8), sizeof(b4));
	return last_map.valid && last_map.rc == rc &&
	       last_map.offset == offset && a8 == b8 && a4 == b4;
}

/* A map of va, size has the previous map's answer (last_map). */
static inline bool same_range(uint64_t va, uint64_t size)
{
	return last_map.epoch && last_map.va == va && last_map.size == size &&
	       last_map.epoch == rec_addr_epoch();
}

/* The previous map's answer holds for this range now. */
static void last_map_range(uint64_t va, uint64_t size)
{
	last_map.va = va;
	last_map.size = size;
	last_map.epoch = last_map.rc ? 0 : rec_addr_epoch();
}

static void answer_from_last(struct map_answer *a)
{
	a->rc = last_map.rc;
	__builtin_memset(a->buf, 0, sizeof(a->buf));
	__builtin_memcpy(a->buf, last_map.buf, sizeof(last_map.buf));
	a->offset = last_map.offset;
}

/*
 * Under the lock: the call into the log, the kept bytes after it. nin
 * bytes were read of the argument, nused of them are the kernel's and
 * nout are what it wrote back (constants on the plain path).
 */
static inline __attribute__((always_inline)) void
append(const struct rec_call *c, bool is_map, size_t nin, size_t nused,
       size_t nout_kept)
{
	size_t nout = nout_kept, nin_log, len;
	uint8_t enc[2 + REC_DELTA_MAX], *p;
	struct rec_bin_map map;
	struct rec_bin_call *r;
	uint16_t flags = 0;
	int32_t v;

	len = sizeof(*r);
	if (c->ret) {
		flags |= REC_CALL_RET;
		len += sizeof(v);
	}
	if (c->ret < 0) {
		flags |= REC_CALL_ERR;
		len += sizeof(v);
	}
	if (out_is_in(c->in, c->out, nout_kept, nused)) {
		flags |= REC_CALL_OUT_IS_IN;
		nout = 0;
	}
	if (nused != nin || nout_kept != nin) {
		flags |= REC_CALL_SIZES;
		len += 2 * sizeof(uint16_t);
	}
	if (c->kind == A_VALUE) {
		flags |= REC_CALL_ARG;
		len += sizeof(c->arg);
	}
	if (is_map) {
		flags |= same_map(c->map_rc, c->map_buf, c->map_offset) ?
				 REC_CALL_MAP_SAME :
				 REC_CALL_MAP;
		len += flags & REC_CALL_MAP ? sizeof(map) : 0;
	}
	nin_log = rec_delta_encode(&delta, (uint32_t)c->request,
				   (uint8_t)c->role, c->in, nused, enc);
	if (nin_log)
		flags |= REC_CALL_DELTA;
	else
		nin_log = nused;
	len += nin_log + nout;
	len = (len + REC_BIN_ALIGN - 1) & ~(size_t)(REC_BIN_ALIGN - 1);
	r = rec_log_reserve(len);
	if (!r) {
		/* The table took the input the converter will not see. */
		rec_delta_forget(&delta, (uint32_t)c->request,
				 (uint8_t)c->role);
		return;
	}
	r->hdr.type = REC_BIN_CALL;
	r->hdr.aux = flags;
	r->request = (uint32_t)c->request;
	r->nin = (uint16_t)nin;
	r->role = (uint8_t)c->role;
	p = (uint8_t *)(r + 1);
	if (flags & REC_CALL_RET) {
		v = c->ret;
		__builtin_memcpy(p, &v, sizeof(v));
		p += sizeof(v);
	}
	if (flags & REC_CALL_ERR) {
		v = c->err;
		__builtin_memcpy(p, &v, sizeof(v));
		p += sizeof(v);
	}
	if (flags & REC_CALL_SIZES) {
		__builtin_memcpy(p, &(uint16_t){ (uint16_t)nused }, 2);
		__builtin_memcpy(p + 2, &(uint16_t){ (uint16_t)nout_kept }, 2);
		p += 2 * sizeof(uint16_t);
	}
	if (flags & REC_CALL_ARG) {
		__builtin_memcpy(p, &c->arg, sizeof(c->arg));
		p += sizeof(c->arg);
	}
	if (flags & REC_CALL_MAP) {
		map.rc = c->map_rc;
		__builtin_memcpy(map.buf, c->map_buf, sizeof(map.buf));
		map.offset = c->map_offset;
		__builtin_memcpy(p, &map, sizeof(map));
		p += sizeof(map);
	}
	rec_copy(p, flags & REC_CALL_DELTA ? enc : c->in, nin_log);
	rec_copy(p + nin_log, c->out, nout);
	rec_log_publish(r, len);

	if (!(flags & REC_CALL_DELTA))
		rec_delta_update(&delta, (uint32_t)c->request,
				 (uint8_t)c->role, c->in, nused);
	if (is_map) {
		last_map.valid = true;
		last_map.rc = c->map_rc;
		__builtin_memcpy(last_map.buf, c->map_buf,
				 sizeof(last_map.buf));
		last_map.offset = c->map_offset;
		last_map_range(rec_call_in_u64(c, 8), rec_call_in_u64(c, 24));
	}
}

/*
 * The call made and logged, errno the program's (saved) for the call and
 * the call's after it. Under emulation every instruction between two
 * ioctls costs (record_bench; README, "What the runner and the recorder
 * cost"): the calls a VMM makes most, a container's map or unmap whose
 * argument is exactly its structure, have a path of their own
 * (capture_plain(), the same steps with every size known), and the rest
 * go this way.
 */
static __attribute__((noinline, flatten)) int
capture(struct rec_call *c, int fd, void *arg, int saved)
{
	int *errp = &errno;
	size_t nout;
	int ret, err;
	bool is_map;

	rec_call_classify(c);
	read_input(c, arg);
	is_map = rec_call_is_map(c);
	*errp = saved;
	ret = rec_real.ioctl(fd, c->request, arg);
	err = *errp;
	c->ret = ret;
	c->err = err;
	if (ret >= 0 && c->nin)
		rec_safe_read(c->out, arg, c->nin);
	nout = rec_call_used_output(c);
	if (ret >= 0 && rec_call_opens_device(c))
		rec_fd_set(ret, ROLE_DEVICE);
	c->nout = nout;
	if (is_map)
		resolve_map(c);
	append(c, is_map, c->nin, rec_call_used_input(c), nout);
	*errp = err;
	return ret;
}

/*
 * A container's map or unmap whose argument is exactly its structure:
 * the calls a VMM makes most, with a path of their own. The structure
 * is read into words before the call and compared after it; when the
 * call succeeded, gave back what it read, a map's buffer is the
 * previous map's and the delta table knows the call, log_plain() writes
 * the record append() would, from the words. Anything else takes the
 * general record (plain_general()).
 *
 * The common case makes no system call of its own (the argument in a
 * page read from lately, a map of the previous map's range, room in the
 * log), so errno is the program's throughout and is not touched; the
 * first step that could make one saves it first (plain_after()).
 */
#define PLAIN_WORDS (PLAIN_MAP / sizeof(uint64_t))

struct plain {
	uint64_t in[PLAIN_WORDS];
	struct map_answer map;
};

/* The structure of size bytes is in words and says so in argsz. */
static inline __attribute__((always_inline)) bool
plain_argsz(const uint64_t *w, size_t size)
{
	return (uint32_t)w[0] == size; /* argsz, little-endian */
}

/*
 * append()'s record of a plain call with OUT_IS_IN, DELTA and, for a
 * map, MAP_SAME: the fixed part, then the delta encoded in the log
 * itself (it writes its own bytes only, so the zero length word past
 * the record stays). False, with nothing changed, when the table does
 * not know the call or the log has no room (with fast, no room mapped
 * already: no system call then).
 */
static inline __attribute__((always_inline)) bool
log_plain(const uint64_t *in, size_t size, uint32_t request, bool is_map,
	  bool fast)
{
	size_t room = sizeof(struct rec_bin_call) + 2 + size, n, len;
	struct rec_bin_call *r = fast ? rec_log_room(room) :
					rec_log_reserve(room);

	if (__builtin_expect(!r, 0))
		return false;
	n = rec_delta_encode(&delta, request, ROLE_CONTAINER,
			     (const uint8_t *)in, size, (uint8_t *)(r + 1));
	if (!n)
		return false;
	len = (sizeof(*r) + n + REC_BIN_ALIGN - 1) &
	      ~(size_t)(REC_BIN_ALIGN - 1);
	r->hdr.type = REC_BIN_CALL;
	r->hdr.aux = REC_CALL_OUT_IS_IN | REC_CALL_DELTA |
		     (is_map ? REC_CALL_MAP_SAME : 0);
	r->request = request;
	r->nin = (uint16_t)size;
	r->role = ROLE_CONTAINER;
	r->pad = 0;
	rec_log_publish(r, len);
	return true;
}

/* The general record of a plain call: the call's bytes into c first. */
static __attribute__((noinline)) void
plain_general(struct rec_call *c, const struct plain *pl, unsigned long request,
	      void *arg, size_t size, bool is_map, int ret, int err)
{
	c->role = ROLE_CONTAINER;
	c->request = request;
	c->arg = (uintptr_t)arg;
	c->kind = A_ARGSZ; /* what rec_call_classify() says of both */
	c->ret = ret;
	c->err = err;
	c->nin = size;
	__builtin_memcpy(c->in, pl->in, size);
	c->nout = 0;
	if (ret >= 0) {
		/* What the kernel wrote back, read as bytes. */
		if (rec_safe_read(c->out, arg, size) == (ssize_t)size)
			c->nout = size;
	}
	if (is_map)
		answer_to_call(c, &pl->map);
	append(c, is_map, size, size, c->nout);
}

/*
 * The rest of a plain call that could not be logged without a system
 * call, or not as OUT_IS_IN, DELTA, MAP_SAME: errno (the call's) saved
 * first and given back last.
 */
static __attribute__((noinline)) int
plain_after(struct plain *pl, unsigned long request, void *arg, size_t size,
	    bool is_map, int ret)
{
	int *errp = &errno, err = *errp;
	bool known;

	/* A map of the previous map's range: its answer, unasked. */
	known = is_map && same_range(pl->in[1], pl->in[3]);
	if (is_map && !known)
		resolve(pl->in[1], pl->in[3], &pl->map);
	if (ret == 0 && rec_safe_same(arg, pl->in, size) &&
	    (!is_map || known ||
	     same_map(pl->map.rc, pl->map.buf, pl->map.offset)) &&
	    log_plain(pl->in, size, (uint32_t)request, is_map, false)) {
		/* The same answer (same_map()), now for this range. */
		if (is_map && !known)
			last_map_range(pl->in[1], pl->in[3]);
	} else {
		if (known)
			answer_from_last(&pl->map);
		plain_general(&call, pl, request, arg, size, is_map, ret, err);
	}
	*errp = err;
	return ret;
}

/*
 * A plain map or unmap, its structure in pl->in and errno the
 * program's: made and logged.
 */
static inline __attribute__((always_inline)) int
capture_plain(struct plain *pl, int fd, unsigned long request, void *arg,
	      size_t size, bool is_map)
{
	int ret = rec_real.ioctl(fd, request, arg);

	if (__builtin_expect(ret == 0 && rec_safe_hot(arg, size) &&
				     rec_same_words(arg, pl->in, size) &&
				     (!is_map ||
				      same_range(pl->in[1], pl->in[3])) &&
				     log_plain(pl->in, size, (uint32_t)request,
					       is_map, true),
			     1))
		return ret;
	return plain_after(pl, request, arg, size, is_map, ret);
}

/*
 * A plain map or unmap read into pl->in: with a page read from lately
 * nothing touched errno; a read through the kernel may have, and the
 * program's is put back before the call.
 */
static inline __attribute__((always_inline)) bool
read_plain(struct plain *pl, const void *arg, size_t size)
{
	int *errp, saved;
	bool ok;

	if (__builtin_expect(rec_safe_hot(arg, size), 1)) {
		rec_copy(pl->in, arg, size);
		return plain_argsz(pl->in, size);
	}
	errp = &errno;
	saved = *errp;
	ok = rec_safe_read(pl->in, arg, size) == (ssize_t)size &&
	     plain_argsz(pl->in, size);
	*errp = saved;
	return ok;
}

int rec_capture_ioctl(int fd, enum rec_role role, unsigned long request,
		      void *arg)
{
	struct plain pl;

	if (role == ROLE_CONTAINER && request == IC_VFIO_IOMMU_MAP_DMA &&
	    read_plain(&pl, arg, PLAIN_MAP))
		return capture_plain(&pl, fd, IC_VFIO_IOMMU_MAP_DMA, arg,
				     PLAIN_MAP, true);
	if (role == ROLE_CONTAINER && request == IC_VFIO_IOMMU_UNMAP_DMA &&
	    read_plain(&pl, arg, PLAIN_UNMAP))
		return capture_plain(&pl, fd, IC_VFIO_IOMMU_UNMAP_DMA, arg,
				     PLAIN_UNMAP, false);
	call.role = role;
	call.request = request;
	call.arg = (uintptr_t)arg;
	return capture(&call, fd, arg, errno);
}
