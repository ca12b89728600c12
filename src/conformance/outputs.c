// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * run's outputs: which format goes where (-o FORMAT:FILE, --html,
 * --json, --tap), each file written aside and renamed when whole, so no
 * report is ever half-written.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "outputs.h"

static const char *const kinds[] = {
	[REPORT_TEXT] = "text",
	[REPORT_JSON] = "json",
	[REPORT_TAP] = "tap",
	[REPORT_HTML] = "html",
};

#define NR_KINDS (sizeof(kinds) / sizeof(kinds[0]))

static int (*const renderers[])(FILE *, const struct run *,
				const struct trace_run *, unsigned int) = {
	[REPORT_TEXT] = report_text,
	[REPORT_JSON] = report_json,
	[REPORT_TAP] = report_tap,
	[REPORT_HTML] = report_html,
};

int outputs_add(struct outputs *outs, enum report_kind kind, const char *path)
{
	if (outs->nr == MAX_OUTPUTS) {
		fprintf(stderr, "%s: run: at most %d outputs\n", prog,
			MAX_OUTPUTS);
		return -EINVAL;
	}
	outs->o[outs->nr].kind = kind;
	outs->o[outs->nr++].path = path;
	return 0;
}

int outputs_parse(struct outputs *outs, const char *arg)
{
	const char *colon = strchr(arg, ':');
	unsigned int k;

	for (k = 0; colon && colon[1] && k < NR_KINDS; k++)
		if (strlen(kinds[k]) == (size_t)(colon - arg) &&
		    !strncmp(arg, kinds[k], (size_t)(colon - arg)))
			return outputs_add(outs, k, colon + 1);
	fprintf(stderr,
		"%s: -o %s: expected FORMAT:FILE, FORMAT text, json, tap or html, FILE - for standard output\n",
		prog, arg);
	return -EINVAL;
}

bool outputs_on_stdout(const struct outputs *outs, int kind)
{
	unsigned int i;

	for (i = 0; i < outs->nr; i++)
		if (!strcmp(outs->o[i].path, "-") &&
		    (kind < 0 || outs->o[i].kind == (enum report_kind)kind))
			return true;
	return false;
}

static int open_failed(struct output *out, const char *path, int rc)
{
	fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(-rc));
	out->tmp[0] = '\0';
	return rc;
}

int output_open(struct output *out)
{
	struct stat st;

	out->tmp[0] = '\0';
	if (!strcmp(out->path, "-")) {
		out->f = stdout;
		return 0;
	}
	if (!stat(out->path, &st) && S_ISDIR(st.st_mode)) {
		fprintf(stderr,
			"%s: %s: is a directory: give the report's file name\n",
			prog, out->path);
		return -EISDIR;
	}
	/*
	 * A device or a pipe (/dev/stdout, /dev/null, a FIFO) is written in
	 * place: renaming a file over it would replace it.
	 */
	if (!stat(out->path, &st) && !S_ISREG(st.st_mode)) {
		out->f = fopen(out->path, "we");
		return out->f ? 0 : open_failed(out, out->path, -errno);
	}
	if ((size_t)snprintf(out->tmp, sizeof(out->tmp), "%s.tmp",
			     out->path) >= sizeof(out->tmp))
		return open_failed(out, out->path, -ENAMETOOLONG);
	out->f = fopen(out->tmp, "we");
	if (!out->f)
		return open_failed(out, out->tmp, -errno);
	return 0;
}

int outputs_open(struct outputs *outs)
{
	unsigned int i;
	int rc;

	for (i = 0; i < outs->nr; i++) {
		rc = output_open(&outs->o[i]);
		if (rc)
			return rc;
	}
	return 0;
}

int output_close(struct output *out, bool keep)
{
	int rc = 0;

	if (!out->f || out->f == stdout)
		return 0;
	if (fflush(out->f) == EOF)
		rc = -errno;
	if (!rc && ferror(out->f))
		rc = -EIO;
	if (fclose(out->f) && !rc)
		rc = -errno;
	out->f = NULL;
	if (keep && !rc && out->tmp[0] && rename(out->tmp, out->path))
		rc = -errno;
	if (rc && keep)
		fprintf(stderr, "%s: %s: %s\n", prog, out->path,
			strerror(-rc));
	if ((!keep || rc) && out->tmp[0])
		unlink(out->tmp);
	return rc;
}

int outputs_write(struct outputs *outs, const struct run *run,
		  const struct trace_run *trs, unsigned int nr)
{
	struct output *out;
	unsigned int i;
	int rc, status = 0;

	for (i = 0; i < outs->nr; i++) {
		out = &outs->o[i];
		rc = renderers[out->kind](out->f, run, trs, nr);
		if (rc && out->f == stdout) {
			stdout_failed(rc);
		} else if (rc) {
			fprintf(stderr, "%s: %s: %s\n", prog, out->path,
				strerror(-rc));
			output_close(out, false);
		} else {
			rc = output_close(out, true);
		}
		if (rc && !status)
			status = rc;
	}
	return status;
}

void outputs_close(struct outputs *outs)
{
	unsigned int i;

	for (i = 0; i < outs->nr; i++)
		output_close(&outs->o[i], false);
}
