// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libiommuctl-record.so, preloaded into a VFIO program by
 * iommuctl-conformance record: it writes what the program does with its
 * VFIO container, groups and devices as an iommuctl-trace(5) trace.
 *
 * Nothing in it may change what the program sees: every wrapper calls
 * the real function, keeps its return value and errno, and records only
 * calls on the descriptors fdtab.c classified. No malloc and no stdio
 * anywhere in the recorder: the wrappers may run in signal handlers, in
 * forked children and before the C library is fully up.
 *
 * This file is the top: the functions the recorder puts in front of the
 * C library's. Each one calls the real function first and looks at the
 * result; a descriptor the recorder does not follow costs a table
 * lookup. errno is what the real function left.
 *
 * Not seen (iommuctl-conformance(8), RECORDING): static binaries, raw
 * syscall(2) and io_uring, descriptors above REC_MAX_FD.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "addr.h"
#include "capture.h"
#include "fdtab.h"
#include "lock.h"
#include "log.h"
#include "real.h"
#include "safemem.h"
#include "session.h"

#define EXPORT __attribute__((visibility("default")))

/* The fortified opens (_FORTIFY_SOURCE) and ioctl as glibc exports them. */
EXPORT int __open_2(const char *path, int flags);
EXPORT int __open64_2(const char *path, int flags);
EXPORT int __openat_2(int dirfd, const char *path, int flags);
EXPORT int __openat64_2(int dirfd, const char *path, int flags);
/*
 * ioctl(2) is variadic in the C library's declaration, but its third
 * argument is always one word, which the Linux ABIs pass where they pass
 * a named one: the wrapper takes it named, with no va_list to set up on
 * every call of the program.
 */
EXPORT int rec_ioctl(int fd, unsigned long request, void *arg)
	__asm__("ioctl");

/* A new descriptor from an open: follow it if it is VFIO's. */
static int opened(int fd)
{
	int saved = errno;
	enum rec_role role;

	if (fd < 0 || !rec_enabled())
		return fd;
	role = rec_classify(fd);
	rec_fd_set(fd, role);
	if (role != ROLE_NONE) {
		/* The trace file appears with the first VFIO descriptor. */
		rec_start();
	}
	errno = saved;
	return fd;
}

static mode_t open_mode(int flags, va_list ap)
{
	return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ?
		       va_arg(ap, mode_t) :
		       0;
}

EXPORT int open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	return opened(REC_REAL(open)(path, flags, mode));
}

EXPORT int open64(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	return opened(REC_REAL(open64)(path, flags, mode));
}

EXPORT int openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	return opened(REC_REAL(openat)(dirfd, path, flags, mode));
}

EXPORT int openat64(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	return opened(REC_REAL(openat64)(dirfd, path, flags, mode));
}

EXPORT int __open_2(const char *path, int flags)
{
	return opened(REC_REAL(open_2)(path, flags));
}

EXPORT int __open64_2(const char *path, int flags)
{
	return opened(REC_REAL(open64_2)(path, flags));
}

EXPORT int __openat_2(int dirfd, const char *path, int flags)
{
	return opened(REC_REAL(openat_2)(dirfd, path, flags));
}

EXPORT int __openat64_2(int dirfd, const char *path, int flags)
{
	return opened(REC_REAL(openat64_2)(dirfd, path, flags));
}

/*
 * A followed descriptor, or a call before the real ioctl is known. The
 * recorded call's path is compiled into this one function (flatten), but
 * for its rare branches, which are out of line.
 */
static __attribute__((noinline, flatten)) int
ioctl_slow(enum rec_role role, int fd, unsigned long request, void *arg)
{
	int ret;

	/*
	 * The lock is held over the call so that records come in the order
	 * the kernel saw the calls; the ioctls that block (none of VFIO's
	 * container ones do) would serialise the program's threads.
	 */
	if (role == ROLE_NONE || !rec_enabled() || !rec_session_lock())
		return REC_REAL(ioctl)(fd, request, arg);
	ret = rec_capture_ioctl(fd, role, request, arg);
	rec_unlock();
	return ret;
}

/* Every ioctl of the program comes here: the common case is a jump. */
EXPORT int rec_ioctl(int fd, unsigned long request, void *arg)
{
	enum rec_role role = rec_fd_role(fd);

	if (__builtin_expect(role != ROLE_NONE || !rec_real.ioctl, 0))
		return ioctl_slow(role, fd, request, arg);
	return rec_real.ioctl(fd, request, arg);
}

/*
 * The program lets go of fd: when it was its last descriptor of a group
 * or device file, the kernel releases the file, which the trace says
 * with close_group or close_device (iommuctl-trace(5)). Called before
 * the close itself: once that is done, another thread may reuse fd.
 */
static void let_go(int fd)
{
	static const char group[] = "{\"type\":\"op\",\"op\":\"close_group\"}";
	static const char device[] = "{\"type\":\"op\",\"op\":\"close_device\"}";
	enum rec_role gone;
	int saved = errno;

	if (rec_fd_role(fd) == ROLE_NONE)
		return;
	gone = rec_fd_release(fd);
	if ((gone == ROLE_GROUP || gone == ROLE_DEVICE) && rec_enabled() &&
	    rec_session_lock()) {
		if (gone == ROLE_GROUP)
			rec_log_line(group, sizeof(group) - 1);
		else
			rec_log_line(device, sizeof(device) - 1);
		rec_unlock();
	}
	errno = saved;
}

EXPORT int close(int fd)
{
	/* The program closing every fd must not end the trace. */
	if (fd >= 0 && fd == rec_log_fd())
		return 0;
	let_go(fd);
	return REC_REAL(close)(fd);
}

/* Descriptors closed in bulk stop being followed. */
static void forget_range(unsigned int first, unsigned int last)
{
	unsigned int fd;

	for (fd = first; fd <= last && fd < REC_MAX_FD; fd++)
		let_go((int)fd);
}

/*
 * Closing every descriptor must not close the trace's, whose number the
 * program could otherwise get back from its next open and find trace
 * lines written into its file: the range is closed around it.
 */
EXPORT int close_range(unsigned int first, unsigned int last, int flags)
{
	int tfd = rec_log_fd(), rc;

	if (!REC_REAL(close_range)) {
		errno = ENOSYS;
		return -1;
	}
	if (!(flags & CLOSE_RANGE_CLOEXEC))
		forget_range(first, last);
	if (tfd < 0 || (unsigned int)tfd < first || (unsigned int)tfd > last ||
	    (flags & CLOSE_RANGE_CLOEXEC)) {
		rc = rec_real.close_range(first, last, flags);
	} else {
		rc = (unsigned int)tfd > first ?
			     rec_real.close_range(first, (unsigned int)tfd - 1,
						  flags) :
			     0;
		if (!rc && (unsigned int)tfd < last)
			rc = rec_real.close_range((unsigned int)tfd + 1, last,
						  flags);
	}
	return rc;
}

EXPORT void closefrom(int lowfd)
{
	unsigned int low = lowfd < 0 ? 0 : (unsigned int)lowfd;
	int saved = errno;

	close_range(low, ~0U, 0);
	errno = saved;
}

EXPORT int dup(int oldfd)
{
	int fd = REC_REAL(dup)(oldfd);

	if (fd >= 0)
		rec_fd_copy(oldfd, fd);
	return fd;
}

/*
 * dup2 and dup3 close what newfd was first: it is let go of when the
 * call succeeds (the kernel checks oldfd before closing anything).
 */
EXPORT int dup2(int oldfd, int newfd)
{
	int fd;

	rec_log_fd_clash(newfd);
	fd = REC_REAL(dup2)(oldfd, newfd);
	if (fd >= 0 && oldfd != newfd) {
		let_go(fd);
		rec_fd_copy(oldfd, fd);
	}
	return fd;
}

EXPORT int dup3(int oldfd, int newfd, int flags)
{
	int fd;

	rec_log_fd_clash(newfd);
	fd = REC_REAL(dup3)(oldfd, newfd, flags);
	if (fd >= 0) {
		let_go(fd);
		rec_fd_copy(oldfd, fd);
	}
	return fd;
}

static int fcntl_common(int (*real)(int, int, ...), int fd, int cmd, void *arg)
{
	int rc = real(fd, cmd, arg);

	if (rc >= 0 && (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC))
		rec_fd_copy(fd, rc);
	return rc;
}

EXPORT int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	void *arg;

	/* Every fcntl argument is an int, a long or a pointer. */
	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	return fcntl_common(REC_REAL(fcntl), fd, cmd, arg);
}

EXPORT int fcntl64(int fd, int cmd, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	return fcntl_common(REC_REAL(fcntl64) ? rec_real.fcntl64 : rec_real.fcntl,
			    fd, cmd, arg);
}

static void *mapped(void *p, size_t len, int prot, int fd, off_t off)
{
	int saved = errno;

	if (p != MAP_FAILED && rec_fd_role(fd) == ROLE_DEVICE &&
	    rec_enabled() && rec_lock()) {
		rec_region_add((uintptr_t)p, len, prot, (uint64_t)off);
		rec_unlock();
	}
	errno = saved;
	return p;
}

EXPORT void *mmap(void *addr, size_t len, int prot, int flags, int fd,
		  off_t off)
{
	return mapped(REC_REAL(mmap)(addr, len, prot, flags, fd, off), len, prot,
		      fd, off);
}

EXPORT void *mmap64(void *addr, size_t len, int prot, int flags, int fd,
		    off_t off)
{
	return mapped(REC_REAL(mmap64)(addr, len, prot, flags, fd, off), len, prot,
		      fd, off);
}

EXPORT int munmap(void *addr, size_t len)
{
	int rc = REC_REAL(munmap)(addr, len), saved = errno;

	if (!rc && rec_enabled() &&
	    (rec_regions_active() || rec_safe_overlaps((uintptr_t)addr, len)) &&
	    rec_lock()) {
		rec_region_remove((uintptr_t)addr, len);
		rec_safe_forget((uintptr_t)addr, len);
		rec_unlock();
		errno = saved;
	}
	return rc;
}

/* Descriptors passed over a socket are classified like opened ones. */
EXPORT ssize_t recvmsg(int sock, struct msghdr *msg, int flags)
{
	ssize_t n = REC_REAL(recvmsg)(sock, msg, flags);
	int saved = errno, *fds;
	struct cmsghdr *c;
	size_t i, nfds;

	if (n < 0 || !rec_enabled() || !msg->msg_controllen)
		return n;
	for (c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		fds = (int *)CMSG_DATA(c);
		nfds = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < nfds; i++)
			opened(fds[i]);
	}
	errno = saved;
	return n;
}
