/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_RECORDER_H
#define IOMMUCTL_RECORDER_H

/*
 * libiommuctl-record.so, preloaded into a VFIO program by
 * iommuctl-conformance record: it writes what the program does with its
 * VFIO container, groups and devices as an iommuctl-trace(5) trace.
 *
 * Nothing here may change what the program sees: every wrapper calls the
 * real function, keeps its return value and errno, and records only
 * calls on the descriptors fdtab.c classified. No malloc and no stdio:
 * the wrappers may run in signal handlers, in forked children and before
 * the C library is fully up.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "binlog.h"

/* The real functions, from the next object in the lookup order. */
struct rec_real {
	int (*open)(const char *, int, ...);
	int (*open64)(const char *, int, ...);
	int (*openat)(int, const char *, int, ...);
	int (*openat64)(int, const char *, int, ...);
	int (*open_2)(const char *, int);
	int (*open64_2)(const char *, int);
	int (*openat_2)(int, const char *, int);
	int (*openat64_2)(int, const char *, int);
	int (*ioctl)(int, unsigned long, ...);
	int (*close)(int);
	int (*dup)(int);
	int (*dup2)(int, int);
	int (*dup3)(int, int, int);
	int (*fcntl)(int, int, ...);
	int (*fcntl64)(int, int, ...);
	void *(*mmap)(void *, size_t, int, int, int, off_t);
	void *(*mmap64)(void *, size_t, int, int, int, off_t);
	int (*munmap)(void *, size_t);
	ssize_t (*recvmsg)(int, struct msghdr *, int);
	int (*close_range)(unsigned int, unsigned int, int);
	void (*closefrom)(int);
};

extern struct rec_real rec_real;
void rec_resolve(void);

/* Descriptors above this are not followed (documented limit). */
#define REC_MAX_FD 65536

enum rec_role rec_fd_role(int fd);
void rec_fd_set(int fd, enum rec_role role);
/* What a freshly opened (or received) descriptor is, by its device number. */
enum rec_role rec_classify(int fd);
/* After dup/dup2/dup3/F_DUPFD: newfd is what oldfd is. */
void rec_fd_copy(int oldfd, int newfd);

/* Recording is on in this process. */
bool rec_enabled(void);
/* false: this thread has it already (a signal handler): do not record. */
bool rec_lock(void);
void rec_unlock(void);
/* The lock itself (lock.c), for fork; reset in the child. */
void rec_lock_raw(void);
void rec_unlock_raw(void);
void rec_lock_reset(void);
/*
 * Under the lock: room for a record of len bytes (8-aligned) in the log,
 * opened on first use, or NULL (it is dropped); rec_publish() makes the
 * filled record part of the log. rec_emit() adds a finished line.
 */
void *rec_reserve(size_t len);
void rec_publish(void *rec, size_t len);
void rec_emit(const char *line, size_t len);
/* Create the trace file now (the first VFIO descriptor exists). */
void rec_start(void);
/* The trace's descriptor, which the program must not close or replace. */
int rec_trace_fd(void);
/* The trace fd moved when the program dup2()s onto its number. */
void rec_trace_fd_clash(int fd);

/*
 * User addresses. Under the lock: the buffer that holds [va, va+len),
 * declared in the trace the first time (its name into name), and the
 * offset of va in it. 0, -ENOENT (va is in no mapping) or -ENOSPC (no
 * room to declare one more buffer).
 */
int rec_addr_resolve(uint64_t va, uint64_t len, char *name, size_t namelen,
		     uint64_t *offset);
/* A mapping of a device fd, and its removal. */
void rec_region_add(uint64_t start, uint64_t len, int prot, uint64_t pgoff);
void rec_region_remove(uint64_t start, uint64_t len);
/* Any device mapping to forget at munmap: checked without the lock. */
bool rec_regions_active(void);
/* In a forked child that records: its trace declares buffers anew. */
void rec_addr_forget(void);

/* The log's storage on rec_trace_fd() (log.c), under the lock. */
void rec_log_open(void);
void rec_log_drop(void);
void *rec_log_reserve(size_t len);
void rec_log_publish(void *rec, size_t len);

/*
 * memcpy() for the few bytes of a call: the C library's is tuned for
 * large copies with vector instructions, slow to start (and under
 * emulation) for 32.
 */
static inline void rec_copy(void *dst, const void *src, size_t len)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
	uint64_t w;

	for (; len >= sizeof(w); len -= sizeof(w)) {
		__builtin_memcpy(&w, s, sizeof(w));
		__builtin_memcpy(d, &w, sizeof(w));
		s += sizeof(w);
		d += sizeof(w);
	}
	while (len--)
		*d++ = *s++;
}

/* A new log: its records cannot refer to an earlier log's. */
void rec_capture_reset(void);

/* Record an ioctl on a followed fd; the call itself is made inside. */
int rec_ioctl(int fd, enum rec_role role, unsigned long request, void *arg);

/*
 * Under the lock: read memory that may not be mapped; bytes read, or -1.
 * rec_safe_init() at start and in a forked child; the program's munmap
 * makes pages unknown again (rec_safe_overlaps() is the lock-free test).
 */
void rec_safe_init(void);
ssize_t rec_safe_read(void *dst, const void *src, size_t len);
bool rec_safe_overlaps(uintptr_t start, size_t len);
void rec_safe_forget(uintptr_t start, size_t len);

#endif
