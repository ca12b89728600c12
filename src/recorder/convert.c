// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The binary log (binlog.h) into trace lines. It runs in the library at
 * the program's exit and in iommuctl-conformance record after the
 * program, so it allocates nothing, uses no stdio and calls the kernel
 * directly (the library's own wrappers stay out of it).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "binlog.h"

static struct rec_call call;
static char linebuf[REC_LINE_MAX + 1];
static char outbuf[65536];
static size_t outlen;

static int flush(int out)
{
	size_t off = 0;
	ssize_t n;

	while (off < outlen) {
		n = syscall(SYS_write, out, outbuf + off, outlen - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		off += (size_t)n;
	}
	outlen = 0;
	return 0;
}

static int put_line(int out, const char *s, size_t n)
{
	int rc;

	if (outlen + n + 1 > sizeof(outbuf)) {
		rc = flush(out);
		if (rc)
			return rc;
	}
	memcpy(outbuf + outlen, s, n);
	outbuf[outlen + n] = '\n';
	outlen += n + 1;
	return 0;
}

/* What earlier records of the log let a record leave out. */
static struct rec_delta delta;
static struct rec_bin_map last_map;
static bool last_map_valid;

/* A part of the record at *p; false when the record is too short. */
static bool take(const uint8_t **p, const uint8_t *end, void *dst, size_t n)
{
	if ((size_t)(end - *p) < n)
		return false;
	memcpy(dst, *p, n);
	*p += n;
	return true;
}

/* The call a CALL record kept, as the recorder saw it. */
static int rebuild(const struct rec_bin_call *r, size_t len)
{
	const uint8_t *p = (const uint8_t *)(r + 1);
	const uint8_t *end = (const uint8_t *)r + len;
	uint16_t flags = r->hdr.aux, sizes[2] = { r->nin, r->nin };
	int32_t ret = 0, err = 0;
	size_t n;

	if (r->hdr.len < sizeof(*r) || r->nin > REC_MAX_BYTES ||
	    r->role < ROLE_CONTAINER || r->role > ROLE_DEVICE)
		return -EBADMSG;
	if (((flags & REC_CALL_RET) && !take(&p, end, &ret, sizeof(ret))) ||
	    ((flags & REC_CALL_ERR) && !take(&p, end, &err, sizeof(err))) ||
	    ((flags & REC_CALL_SIZES) && !take(&p, end, sizes, sizeof(sizes))))
		return -EBADMSG;
	call.arg = 0;
	if ((flags & REC_CALL_ARG) &&
	    !take(&p, end, &call.arg, sizeof(call.arg)))
		return -EBADMSG;
	if (flags & REC_CALL_MAP) {
		if (!take(&p, end, &last_map, sizeof(last_map)))
			return -EBADMSG;
		last_map_valid = true;
	}
	if ((flags & REC_CALL_MAP_SAME) && !last_map_valid)
		return -EBADMSG;
	if (sizes[0] > r->nin || sizes[1] > REC_MAX_BYTES ||
	    ((flags & REC_CALL_OUT_IS_IN) && sizes[1] > sizes[0]))
		return -EBADMSG;
	call.role = (enum rec_role)r->role;
	call.request = r->request;
	call.ret = ret;
	call.err = err;
	call.nin = r->nin;
	call.nout = sizes[1];
	call.map_rc = 0;
	call.map_buf[0] = '\0';
	call.map_offset = 0;
	if (flags & (REC_CALL_MAP | REC_CALL_MAP_SAME)) {
		call.map_rc = last_map.rc;
		memcpy(call.map_buf, last_map.buf, sizeof(last_map.buf));
		call.map_buf[sizeof(last_map.buf) - 1] = '\0';
		call.map_offset = last_map.offset;
	}
	/* Past what was kept the line reads nothing; zeroes stand there. */
	memset(call.in, 0, call.nin);
	if (flags & REC_CALL_DELTA) {
		n = rec_delta_decode(&delta, r->request, r->role, p,
				     (size_t)(end - p), call.in, sizes[0]);
		if (!n)
			return -EBADMSG;
		p += n;
	} else if (!take(&p, end, call.in, sizes[0])) {
		return -EBADMSG;
	}
	if (flags & REC_CALL_OUT_IS_IN)
		memcpy(call.out, call.in, call.nout);
	else if (!take(&p, end, call.out, call.nout))
		return -EBADMSG;
	rec_delta_update(&delta, r->request, r->role, call.in, sizes[0]);
	rec_call_classify(&call);
	call.unreplayable = rec_call_unreplayable(&call);
	return 0;
}

int rec_convert_mem(const uint8_t *bin, size_t len, int out)
{
	const struct rec_bin_hdr *h;
	struct rec_line line;
	size_t off = 0;
	uint32_t n;
	int rc = 0;

	outlen = 0;
	memset(&delta, 0, sizeof(delta));
	rec_native_reset();
	last_map_valid = false;
	while (!rc && len - off >= sizeof(*h)) {
		h = (const struct rec_bin_hdr *)(bin + off);
		n = __atomic_load_n(&h->len, __ATOMIC_ACQUIRE);
		/* Not published (yet, or ever): the log ends here. */
		if (!n || n > len - off)
			break;
		if (n < sizeof(*h) || n % REC_BIN_ALIGN)
			return -EBADMSG;
		switch (h->type) {
		case REC_BIN_LINE:
			if (sizeof(*h) + h->aux > n)
				return -EBADMSG;
			rc = put_line(out, (const char *)(h + 1), h->aux);
			break;
		case REC_BIN_CALL:
			rc = rebuild((const struct rec_bin_call *)h, n);
			if (rc)
				return rc;
			line_init(&line, linebuf, sizeof(linebuf) - 1);
			rec_format_call(&line, &call);
			/* Too long for a reader: dropped, as it always was. */
			if (!line.overflow)
				rc = put_line(out, line.buf, line.len);
			break;
		default:
			return -EBADMSG;
		}
		off += n;
	}
	return rc ? rc : flush(out);
}

size_t rec_log_published(const uint8_t *bin, size_t len)
{
	const struct rec_bin_hdr *h;
	size_t off = 0;
	uint32_t n;

	while (len - off >= sizeof(*h)) {
		h = (const struct rec_bin_hdr *)(bin + off);
		n = __atomic_load_n(&h->len, __ATOMIC_ACQUIRE);
		if (n < sizeof(*h) || n > len - off || n % REC_BIN_ALIGN)
			break;
		off += n;
	}
	return off;
}

int rec_convert_file(const char *bin, const char *out)
{
	char tmp[PATH_MAX];
	struct stat st;
	void *p = NULL;
	int in, fd, rc;

	if (strlen(out) + sizeof(".partial") > sizeof(tmp))
		return -ENAMETOOLONG;
	strcpy(tmp, out);
	strcat(tmp, ".partial");
	in = (int)syscall(SYS_openat, AT_FDCWD, bin, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -errno;
	if (syscall(SYS_fstat, in, &st)) {
		rc = -errno;
		goto err_in;
	}
	if (st.st_size) {
		p = (void *)syscall(SYS_mmap, NULL, (size_t)st.st_size,
				    PROT_READ, MAP_SHARED, in, 0);
		if (p == MAP_FAILED) {
			rc = -errno;
			goto err_in;
		}
	}
	fd = (int)syscall(SYS_openat, AT_FDCWD, tmp,
			  O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		rc = -errno;
		goto err_map;
	}
	rc = p ? rec_convert_mem(p, (size_t)st.st_size, fd) : 0;
	if (syscall(SYS_close, fd) && !rc)
		rc = -errno;
	if (!rc && syscall(SYS_renameat, AT_FDCWD, tmp, AT_FDCWD, out))
		rc = -errno;
	if (rc)
		syscall(SYS_unlinkat, AT_FDCWD, tmp, 0);
err_map:
	if (p)
		syscall(SYS_munmap, p, (size_t)st.st_size);
err_in:
	syscall(SYS_close, in);
	return rc;
}
