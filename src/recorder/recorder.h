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

/* Roles of the descriptors the recorder follows (0: not followed). */
enum rec_role {
	ROLE_NONE,
	ROLE_CONTAINER,
	ROLE_GROUP,
	ROLE_DEVICE,
};

/* Descriptors above this are not followed (documented limit). */
#define REC_MAX_FD 65536

enum rec_role rec_fd_role(int fd);
void rec_fd_set(int fd, enum rec_role role);
/* What a freshly opened (or received) descriptor is, by its device number. */
enum rec_role rec_classify(int fd);
/* After dup/dup2/dup3/F_DUPFD: newfd is what oldfd is. */
void rec_fd_copy(int oldfd, int newfd);

/* The trace file: opened on first use, one write(2) per line. */
bool rec_enabled(void);
/* false: this thread has it already (a signal handler): do not record. */
bool rec_lock(void);
void rec_unlock(void);
/* Under the lock: write one complete line (no newline in line). */
void rec_emit(char *line, size_t len);
/* Create the trace file now (the first VFIO descriptor exists). */
void rec_start(void);
/* The trace's descriptor, which the program must not close or replace. */
int rec_trace_fd(void);
/* The trace fd moved when the program dup2()s onto its number. */
void rec_trace_fd_clash(int fd);

/* Decimal digits of v into out (room for 21); returns their number. */
size_t rec_utoa(char *out, unsigned long v);
/* Lower-case hex digits, no prefix. */
size_t rec_xtoa(char *out, unsigned long v);

/* A line under construction; overflow makes it be dropped, not cut. */
struct rec_line {
	char *buf;
	size_t len;
	size_t cap;
	bool overflow;
};

void line_init(struct rec_line *l, char *buf, size_t cap);
void line_raw(struct rec_line *l, const char *s);
/* A JSON string, quoted and escaped. */
void line_str(struct rec_line *l, const char *s);
void line_hex(struct rec_line *l, uint64_t v); /* "0x..." */
void line_dec(struct rec_line *l, int64_t v);
void line_bytes(struct rec_line *l, const void *p, size_t n); /* "hex" */
void line_errno(struct rec_line *l, int err); /* 0 or "ENAME" */

/* The scratch line all records are built in; use under the lock. */
struct rec_line *rec_scratch(void);

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
