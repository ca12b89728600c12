// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The binary log's storage (binlog.h) and its descriptor, which it owns
 * and keeps out of the program's way: a shared mapping of the log file,
 * so that appending a record is a copy into memory and a store of its
 * length, with no system call. The pages belong to the file, so what
 * was published survives the process, SIGKILL included. The file grows
 * rarely and in large steps, each step's pages faulted in at once.
 *
 * A file that cannot be mapped shared (a network file system) gets each
 * record with one pwrite(2) instead: slower, same format, same
 * guarantee.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <fcntl.h>

#include "binlog.h"
#include "log.h"

/* Where the log's descriptor goes, out of the way of the program's. */
#define FD_FLOOR 900

#define FIRST_SIZE (1UL << 20)
#define MAX_STEP (64UL << 20)

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

static int log_fd = -1;
static uint8_t *map; /* NULL: pwrite */
static size_t map_len, pos;
/* The largest record: a line (a call's is smaller). */
static uint8_t scratch[sizeof(struct rec_bin_hdr) + REC_LINE_MAX + 8];

/*
 * Room in the file for [map_len, len), mapped and its pages present. A
 * page of a shared mapping the file system cannot back (ENOSPC) would
 * be SIGBUS in the program: the room is allocated, or its pages faulted
 * in, before any of it is used, and a failure leaves the log as it was.
 */
static int extend(size_t len)
{
	int fd = log_fd, rc = 0;
	bool allocated;
	void *p;

	allocated = !syscall(SYS_fallocate, fd, 0, (off_t)map_len,
			     (off_t)(len - map_len));
	if (!allocated && errno != EOPNOTSUPP)
		return -errno;
	if (syscall(SYS_ftruncate, fd, (off_t)len))
		return -errno;
	if (!map)
		p = (void *)syscall(SYS_mmap, NULL, len, PROT_READ | PROT_WRITE,
				    MAP_SHARED, fd, 0);
	else
		p = (void *)syscall(SYS_mremap, map, map_len, len,
				    MREMAP_MAYMOVE);
	if (p == MAP_FAILED)
		return -errno;
	/* Faults taken now, together, not one per page in the program. */
	if (syscall(SYS_madvise, (uint8_t *)p + map_len, len - map_len,
		    MADV_POPULATE_WRITE) &&
	    !(errno == EINVAL && allocated))
		rc = -errno;
	if (rc && !map) {
		syscall(SYS_munmap, p, len);
		return rc;
	}
	map = p;
	if (rc) {
		syscall(SYS_mremap, p, len, map_len, 0);
		return rc;
	}
	map_len = len;
	return 0;
}

/* The descriptor moved up, out of the program's way. */
static int lift(int fd)
{
	int high = (int)syscall(SYS_fcntl, fd, F_DUPFD_CLOEXEC, FD_FLOOR);

	if (high < 0)
		return fd;
	syscall(SYS_close, fd);
	return high;
}

int rec_log_fd(void)
{
	return log_fd;
}

void rec_log_fd_clash(int fd)
{
	if (fd >= 0 && fd == log_fd)
		log_fd = lift(log_fd);
}

void rec_log_open(int fd)
{
	log_fd = lift(fd);
	map = NULL;
	map_len = 0;
	pos = 0;
	/* Not mapped: records are written with pwrite(2). */
	if (extend(FIRST_SIZE))
		map_len = 0;
}

void rec_log_close(void)
{
	if (map)
		syscall(SYS_munmap, map, map_len);
	map = NULL;
	map_len = 0;
	pos = 0;
	if (log_fd >= 0)
		syscall(SYS_close, log_fd);
	log_fd = -1;
}

/* Room past what the mapping holds, or a log written with pwrite(2). */
static __attribute__((noinline)) void *reserve_slow(size_t len)
{
	size_t step;

	if (log_fd < 0 || len > sizeof(scratch))
		return NULL;
	if (!map) {
		memset(scratch, 0, len);
		return scratch;
	}
	step = map_len < MAX_STEP ? map_len : MAX_STEP;
	if (extend(map_len + step))
		return NULL;
	return map + pos;
}

void *rec_log_room(size_t len)
{
	/* The next record's length word is in the file too: a 0. */
	if (__builtin_expect(pos + len + sizeof(uint32_t) <= map_len, 1))
		return map + pos;
	return NULL;
}

void *rec_log_reserve(size_t len)
{
	void *room = rec_log_room(len);

	return __builtin_expect(room != NULL, 1) ? room : reserve_slow(len);
}

void rec_log_publish(void *rec, size_t len)
{
	struct rec_bin_hdr *h = rec;
	size_t off = 0;
	ssize_t n;

	if (map) {
		__atomic_store_n(&h->len, (uint32_t)len, __ATOMIC_RELEASE);
		pos += len;
		return;
	}
	h->len = (uint32_t)len;
	while (off < len) {
		n = pwrite(log_fd, (uint8_t *)rec + off, len - off,
			   (off_t)(pos + off));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	/* A record written in part is written over by the next. */
	if (off == len)
		pos += len;
}

void rec_log_line(const char *line, size_t len)
{
	size_t size = (sizeof(struct rec_bin_hdr) + len + REC_BIN_ALIGN - 1) &
		      ~(size_t)(REC_BIN_ALIGN - 1);
	struct rec_bin_hdr *h = rec_log_reserve(size);

	if (!h)
		return;
	h->type = REC_BIN_LINE;
	h->aux = (uint16_t)len;
	memcpy(h + 1, line, len);
	rec_log_publish(h, size);
}
