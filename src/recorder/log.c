// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The binary log's storage (binlog.h): a shared mapping of the log file,
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

#include "recorder.h"

#define FIRST_SIZE (1UL << 20)
#define MAX_STEP (64UL << 20)

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

static bool opened; /* the trace descriptor is the log's file */
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
	int fd = rec_trace_fd(), rc = 0;
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

void rec_log_open(void)
{
	opened = true;
	map = NULL;
	map_len = 0;
	pos = 0;
	/* Not mapped: records are written with pwrite(2). */
	if (extend(FIRST_SIZE))
		map_len = 0;
}

void rec_log_drop(void)
{
	if (map)
		syscall(SYS_munmap, map, map_len);
	map = NULL;
	map_len = 0;
	pos = 0;
	opened = false;
}

void *rec_log_reserve(size_t len)
{
	size_t step;

	if (!opened || len > sizeof(scratch))
		return NULL;
	if (!map) {
		memset(scratch, 0, len);
		return scratch;
	}
	/* The next record's length word is in the file too: a 0. */
	if (pos + len + sizeof(uint32_t) > map_len) {
		step = map_len < MAX_STEP ? map_len : MAX_STEP;
		if (extend(map_len + step))
			return NULL;
	}
	return map + pos;
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
		n = pwrite(rec_trace_fd(), (uint8_t *)rec + off, len - off,
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
