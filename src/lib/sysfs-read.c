// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sysfs-read.h"

int sysfs_path(char *buf, size_t len, const char *root, const char *fmt, ...)
{
	va_list ap;
	size_t n;
	int m;

	n = snprintf(buf, len, "%s", root ? root : "");
	if (n >= len)
		return -ENAMETOOLONG;
	va_start(ap, fmt);
	m = vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
	return m < 0 || (size_t)m >= len - n ? -ENAMETOOLONG : 0;
}

void sysfs_join(char *buf, size_t len, const char *dir, const char *name)
{
	int n = snprintf(buf, len, "%s/%s", dir, name);

	if (n < 0 || (size_t)n >= len)
		buf[0] = '\0';
}

bool sysfs_exists(const char *path)
{
	struct stat st;

	return !stat(path, &st);
}

int sysfs_read_attr(const char *path, char **out)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;

	*out = NULL;
	f = fopen(path, "re");
	if (!f)
		return -errno;
	n = getline(&line, &cap, f);
	if (n < 0) {
		/* An empty attribute is a value: the empty string. */
		free(line);
		fclose(f);
		*out = strdup("");
		return *out ? 0 : -ENOMEM;
	}
	fclose(f);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	*out = line;
	return 0;
}

int sysfs_read_link_base(const char *path, char **out)
{
	char target[PATH_MAX], *slash;
	ssize_t n;

	*out = NULL;
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	slash = strrchr(target, '/');
	*out = strdup(slash ? slash + 1 : target);
	return *out ? 0 : -ENOMEM;
}

static int no_dots(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

int sysfs_list_dir(const char *path, struct dirent ***ents, unsigned int *nr)
{
	int n;

	*ents = NULL;
	*nr = 0;
	n = scandir(path, ents, no_dots, alphasort);
	if (n < 0)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
	*nr = n;
	return 0;
}

void sysfs_free_dir(struct dirent **ents, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		free(ents[i]);
	free(ents);
}

static int starts_with_digit(const struct dirent *d)
{
	return d->d_name[0] >= '0' && d->d_name[0] <= '9';
}

static int by_number(const struct dirent **a, const struct dirent **b)
{
	unsigned long x = strtoul((*a)->d_name, NULL, 10);
	unsigned long y = strtoul((*b)->d_name, NULL, 10);

	return x < y ? -1 : x > y;
}

int sysfs_list_numbered(const char *path, struct dirent ***ents)
{
	int n;

	*ents = NULL;
	n = scandir(path, ents, starts_with_digit, by_number);
	return n < 0 ? -errno : n;
}

void sysfs_free_names(char **v, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		free(v[i]);
	free(v);
}

int sysfs_read_names(const char *path, char ***v, unsigned int *nr)
{
	struct dirent **ents;
	unsigned int n, i;
	int rc;

	*v = NULL;
	*nr = 0;
	rc = sysfs_list_dir(path, &ents, &n);
	if (rc || !n)
		return rc;
	*v = calloc(n, sizeof(**v));
	if (!*v) {
		rc = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		(*v)[i] = strdup(ents[i]->d_name);
		if (!(*v)[i]) {
			sysfs_free_names(*v, i);
			*v = NULL;
			rc = -ENOMEM;
			goto out;
		}
	}
	*nr = n;
out:
	sysfs_free_dir(ents, n);
	return rc;
}

bool sysfs_all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

void *sysfs_grow(void *array_p, unsigned int *nr, size_t elem)
{
	void **array = array_p;
	char *p;

	p = realloc(*array, (*nr + 1) * elem);
	if (!p)
		return NULL;
	*array = p;
	memset(p + *nr * elem, 0, elem);
	return p + (*nr)++ * elem;
}
