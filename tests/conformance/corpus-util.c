// SPDX-License-Identifier: GPL-2.0-or-later
/* Files, text and the replay helper of the per-op corpus cases. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "corpus-cases.h"

/* The whole of file PATH, NUL-terminated, in *OUT; 0 or -errno. */
int corpus_read_whole(const char *path, char **out, size_t *out_len)
{
	size_t len = 0, cap = 0;
	char *buf = NULL, *p;
	ssize_t n;
	int fd, err = 0;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 65536;
			p = realloc(buf, cap + 1);
			if (!p) {
				err = -ENOMEM;
				goto err_free;
			}
			buf = p;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			goto err_free;
		}
		if (!n)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	*out = buf;
	if (out_len)
		*out_len = len;
	return 0;
err_free:
	free(buf);
	close(fd);
	return err;
}

bool corpus_has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

bool corpus_starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* Whether this program runs from the build tree (make check). */
bool corpus_in_build_tree(void)
{
	char exe[PATH_MAX];
	size_t n = strlen(ABS_TOP_BUILDDIR);
	ssize_t len;

	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len < 0)
		return false;
	exe[len] = '\0';
	return !strncmp(exe, ABS_TOP_BUILDDIR, n) && exe[n] == '/';
}

/*
 * Run the helper: REPLAY MODE BUDGET RUNNER REGISTRY TAP ERR [--case ID]
 * TRACE, BUDGET 0 for no time limit. Its status (the runner's, 124 out of
 * time, 77 no mdev), or -errno.
 */
int corpus_replay(const struct corpus_config *cfg, const char *trace,
		  const char *id, long budget, const char *tap, const char *err)
{
	char budget_s[24];
	const char *argv[12];
	int i = 0, status;
	pid_t pid;

	snprintf(budget_s, sizeof(budget_s), "%ld", budget);
	argv[i++] = cfg->replay;
	argv[i++] = CORPUS_MODE;
	argv[i++] = budget_s;
	argv[i++] = cfg->runner;
	argv[i++] = cfg->registry;
	argv[i++] = tap;
	argv[i++] = err;
	if (id) {
		argv[i++] = "--case";
		argv[i++] = id;
	}
	argv[i++] = trace;
	argv[i] = NULL;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

void corpus_text_add(struct corpus_text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
		va_end(ap);
		if (n < 0)
			abort();
		if ((size_t)n < t->cap - t->len)
			break;
		t->cap = t->cap * 2 + n + 256;
		t->buf = realloc(t->buf, t->cap);
		if (!t->buf)
			abort();
	}
	t->len += n;
}

int corpus_write_whole(const char *path, const char *buf, size_t len)
{
	FILE *f = fopen(path, "we");
	int err = 0;

	if (!f)
		return -errno;
	if (len && fwrite(buf, 1, len, f) != len)
		err = -EIO;
	if (fclose(f) && !err)
		err = -errno;
	return err;
}
