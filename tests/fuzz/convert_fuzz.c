// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The recorder's binary log on any bytes, as iommuctl-conformance record
 * --convert meets a log: converted to trace lines, which the trace
 * reader then reads, as the record command does.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "binlog.h"
#include "fuzz.h"
#include "trace.h"

static struct trace_reader r;
static struct trace_rec rec;
/* The log as the recorder maps it: aligned for its 4-byte lengths. */
static uint8_t *log_buf;
static size_t log_room;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int out = -1;
	FILE *f;
	int rc;

	if (out < 0) {
		out = memfd_create("convert-fuzz", MFD_CLOEXEC);
		if (out < 0)
			abort();
	}
	if (size > log_room) {
		free(log_buf);
		log_room = size;
		log_buf = aligned_alloc(8, (size + 7) & ~(size_t)7);
		if (!log_buf)
			abort();
	}
	if (size)
		memcpy(log_buf, data, size);
	if (ftruncate(out, 0) || lseek(out, 0, SEEK_SET))
		abort();
	rc = rec_convert_mem(log_buf, size, out);
	if (rc > 0)
		abort();
	if (lseek(out, 0, SEEK_SET))
		abort();
	f = fdopen(dup(out), "r");
	if (!f)
		abort();
	trace_reader_init(&r, f);
	while (trace_read(&r, &rec) > 0)
		;
	fclose(f);
	return 0;
}
