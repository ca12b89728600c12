// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iommuctl-conformance diff A B on any two files: the input up to its
 * first NUL byte is report A, the rest report B. What diff prints goes
 * to /dev/null; it must not crash, leak or hang, and its exit status
 * must be one it documents.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "diff.h"
#include "fuzz.h"

static int fill(int fd, const uint8_t *p, size_t n)
{
	if (ftruncate(fd, 0) || lseek(fd, 0, SEEK_SET))
		return -1;
	return write(fd, p, n) == (ssize_t)n ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fa = -1, fb = -1;
	static char pa[32], pb[32];
	const uint8_t *nul;
	char *argv[4];
	size_t na;
	int rc;

	if (fa < 0) {
		fa = memfd_create("report-a", MFD_CLOEXEC);
		fb = memfd_create("report-b", MFD_CLOEXEC);
		if (fa < 0 || fb < 0)
			abort();
		snprintf(pa, sizeof(pa), "/proc/self/fd/%d", fa);
		snprintf(pb, sizeof(pb), "/proc/self/fd/%d", fb);
		/* diff prints its comparison; the harness keeps none of it. */
		if (!freopen("/dev/null", "w", stdout))
			abort();
	}
	nul = memchr(data, '\0', size);
	na = nul ? (size_t)(nul - data) : size;
	if (fill(fa, data, na) ||
	    fill(fb, nul ? nul + 1 : data, nul ? size - na - 1 : size))
		abort();
	argv[0] = "diff";
	argv[1] = pa;
	argv[2] = pb;
	argv[3] = NULL;
	rc = cmd_diff(3, argv);
	if (rc < 0 || rc > 2)
		abort();
	return 0;
}
