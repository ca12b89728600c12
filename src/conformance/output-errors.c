// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * How the runner's commands say that an output failed: its name, what
 * went wrong, and standard output's first error once.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"

const char *const prog = "iommuctl-conformance";

int output_failed(const char *what, int rc)
{
	fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(-rc));
	return EXIT_INTERNAL;
}

/* Standard output's first error, said once. */
static bool stdout_said;

int stdout_failed(int rc)
{
	if (!stdout_said)
		output_failed("standard output", rc);
	stdout_said = true;
	return EXIT_INTERNAL;
}

int finish_stdout(int status)
{
	errno = 0;
	if (fflush(stdout) == EOF || ferror(stdout))
		return stdout_failed(errno ? -errno : -EIO);
	return status;
}
