// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Batch mode (-b FILE): one command a line, all on one fd, so that the
 * objects and the mapped memory one line makes are there for the next.
 * A batch file is text: a line longer than BATCH_MAX_LINE or holding a
 * NUL byte is refused with its number, so that memory stays bounded and
 * nothing after a NUL is silently dropped.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "iommuctl.h"

/* Whitespace separates words; a word starting with # ends the line. */
static int split_line(char *line, char ***argvp, int *room)
{
	char *save = NULL, *word;
	int argc = 0;

	for (word = strtok_r(line, " \t\r\n", &save); word && *word != '#';
	     word = strtok_r(NULL, " \t\r\n", &save)) {
		if (argc + 1 >= *room) {
			char **grown;

			grown = realloc(*argvp, (*room + 16) * sizeof(**argvp));
			if (!grown)
				return -ENOMEM;
			*argvp = grown;
			*room += 16;
		}
		(*argvp)[argc++] = word;
	}
	if (*argvp)
		(*argvp)[argc] = NULL;
	return argc;
}

/*
 * The next line into buf (BATCH_MAX_LINE + 1 bytes), without its
 * newline: 1 for a line, 0 at the end, -1 after an error (in c->err).
 */
static int read_line(struct ctx *c, FILE *f, const char *path, char *buf)
{
	size_t n = 0;
	int ch;

	c->line++;
	errno = 0;
	while ((ch = getc(f)) != EOF && ch != '\n') {
		if (ch == '\0') {
			usage_error(c, "a NUL byte at column %zu (a batch file is text)",
				    n + 1);
			return -1;
		}
		if (n == BATCH_MAX_LINE) {
			usage_error(c, "longer than %d bytes", BATCH_MAX_LINE);
			return -1;
		}
		buf[n++] = (char)ch;
	}
	if (ferror(f)) {
		internal_error(c, errno ? -errno : -EIO,
			       "reading batch file %s", path);
		return -1;
	}
	if (ch == EOF && !n)
		return 0;
	buf[n] = '\0';
	return 1;
}

int batch_run(struct ctx *c, FILE *f, const char *path,
	      int (*run)(struct ctx *c, int argc, char **argv))
{
	char *line, **argv = NULL;
	int room = 0, argc, rc = 0;

	line = malloc(BATCH_MAX_LINE + 1);
	if (!line)
		return internal_error(c, -ENOMEM, "reading the batch");
	c->batch = true;
	for (;;) {
		rc = read_line(c, f, path, line);
		if (rc <= 0) {
			rc = rc ? c->err.exit : EXIT_OK;
			break;
		}
		argc = split_line(line, &argv, &room);
		if (argc < 0) {
			rc = internal_error(c, argc, "reading the batch");
			break;
		}
		rc = argc ? run(c, argc, argv) : EXIT_OK;
		if (rc)
			break;
	}
	free(argv);
	free(line);
	return rc;
}

int run_batch(struct ctx *c, const char *path)
{
	struct stat st;
	FILE *f;
	int rc;

	f = strcmp(path, "-") ? fopen(path, "re") : stdin;
	if (!f) {
		int err = errno;

		rc = usage_error(c, "cannot open batch file %s: %s", path,
				 strerror(err));
		c->err.err = err;
		return rc;
	}
	/* fopen() opens a directory, and the first read fails with EISDIR. */
	if (!fstat(fileno(f), &st) && S_ISDIR(st.st_mode)) {
		rc = usage_error(c, "batch file %s is a directory", path);
		c->err.err = EISDIR;
		goto out;
	}
	rc = batch_run(c, f, path, run_command);
out:
	if (f != stdin)
		fclose(f);
	return rc;
}
