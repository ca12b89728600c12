// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The live logs of a recording, kept in local memory. The recorder
 * appends to its log through a shared mapping, so each new page of log
 * is a page the file system backs: on a network file system that is a
 * round trip per fault (some hundreds of microseconds against some
 * microseconds on tmpfs). The logs therefore live in a directory of
 * record's own under /dev/shm, which outlives the program whatever ends
 * it, and only the converted trace is written where -o points.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "binlog.h"
#include "record-live.h"

int live_create(struct live *lv, const char *parent)
{
	int n = snprintf(lv->dir, sizeof(lv->dir), "%s/iommuctl-record-XXXXXX",
			 parent);

	lv->base[0] = '\0';
	lv->trace[0] = '\0';
	if (n < 0 || (size_t)n >= sizeof(lv->dir))
		return -ENAMETOOLONG;
	return mkdtemp(lv->dir) ? 0 : -errno;
}

int live_name(struct live *lv, const char *trace, char *path, size_t len)
{
	char copy[PATH_MAX];
	int n;

	if (strlen(trace) >= sizeof(lv->trace))
		return -ENAMETOOLONG;
	strcpy(lv->trace, trace);
	strcpy(copy, trace);
	n = snprintf(lv->base, sizeof(lv->base), "%s", basename(copy));
	if (n < 0 || (size_t)n >= sizeof(lv->base))
		return -ENAMETOOLONG;
	n = snprintf(path, len, "%s/%s", lv->dir, lv->base);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* BASE.bin: ""; BASE.PID.bin: ".PID"; anything else: NULL. */
static const char *log_suffix(const char *name, const char *base,
			      char *suffix, size_t len)
{
	size_t b = strlen(base), n = strlen(name), digits;

	if (strncmp(name, base, b) || n < b + 4 ||
	    strcmp(name + n - 4, ".bin"))
		return NULL;
	if (n == b + 4) {
		suffix[0] = '\0';
		return suffix;
	}
	if (name[b] != '.' || n < b + 6)
		return NULL;
	digits = strspn(name + b + 1, "0123456789");
	if (digits != n - b - 5 || digits + 2 > len)
		return NULL;
	snprintf(suffix, len, ".%.*s", (int)digits, name + b + 1);
	return suffix;
}

int live_each(const struct live *lv,
	      int (*fn)(const char *log, const char *trace, void *arg),
	      void *arg)
{
	char log[PATH_MAX + NAME_MAX + 2], trace[PATH_MAX + 32], suffix[24];
	struct dirent *d;
	DIR *dp;
	int rc = 0;

	dp = opendir(lv->dir);
	if (!dp)
		return -errno;
	while (!rc && (d = readdir(dp))) {
		if (!log_suffix(d->d_name, lv->base, suffix, sizeof(suffix)))
			continue;
		snprintf(log, sizeof(log), "%s/%s", lv->dir, d->d_name);
		snprintf(trace, sizeof(trace), "%s%s", lv->trace, suffix);
		rc = fn(log, trace, arg);
	}
	closedir(dp);
	return rc;
}

/* All of buf to fd; 0 or -errno. */
static int write_all(int fd, const uint8_t *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int live_snapshot(const char *log, const char *dest)
{
	char tmp[PATH_MAX + 16];
	void *map = NULL;
	struct stat st;
	int in, out, rc;
	size_t len = 0;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.partial", dest) >=
	    sizeof(tmp))
		return -ENAMETOOLONG;
	in = open(log, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -errno;
	if (fstat(in, &st)) {
		rc = -errno;
		goto err_in;
	}
	if (st.st_size) {
		map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, in,
			   0);
		if (map == MAP_FAILED) {
			rc = -errno;
			goto err_in;
		}
		len = rec_log_published(map, (size_t)st.st_size);
	}
	out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0) {
		rc = -errno;
		goto err_map;
	}
	rc = write_all(out, map, len);
	if (close(out) && !rc)
		rc = -errno;
	if (!rc && rename(tmp, dest))
		rc = -errno;
	if (rc)
		unlink(tmp);
err_map:
	if (map)
		munmap(map, (size_t)st.st_size);
err_in:
	close(in);
	return rc;
}

int live_remove(const struct live *lv)
{
	char path[PATH_MAX + NAME_MAX + 2];
	struct dirent *d;
	DIR *dp;
	int rc = 0;

	dp = opendir(lv->dir);
	if (!dp)
		return -errno;
	while ((d = readdir(dp))) {
		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", lv->dir, d->d_name);
		if (unlink(path) && !rc)
			rc = -errno;
	}
	closedir(dp);
	if (rmdir(lv->dir) && !rc)
		rc = -errno;
	return rc;
}
