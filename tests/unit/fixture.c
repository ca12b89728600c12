// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unpacking fixtures/sysfs.tree, a manifest, because a fixture tree of
 * dangling symlinks does not survive make dist and make install.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"

char fixture_root[PATH_MAX / 2];

static void make_parents(char *path)
{
	char *p;

	for (p = path + strlen(fixture_root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		ATF_REQUIRE(!mkdir(path, 0755) || errno == EEXIST);
		*p = '/';
	}
}

static void write_file(const char *path, const char *mode, const char *text)
{
	FILE *f = fopen(path, mode);

	ATF_REQUIRE_MSG(f, "%s: %s", path, strerror(errno));
	if (text)
		fprintf(f, "%s\n", text);
	ATF_REQUIRE_EQ(fclose(f), 0);
}

/* Where the manifest is: installed beside the program, or the source. */
static void fixture_path(const atf_tc_t *tc, char *buf, size_t len)
{
	const char *dir = atf_tc_get_config_var_wd(tc, "srcdir", ".");

	snprintf(buf, len, "%s/fixtures/sysfs.tree", dir);
	if (access(buf, R_OK))
		snprintf(buf, len, "%s/tests/unit/fixtures/sysfs.tree",
			 ABS_TOP_SRCDIR);
}

void fixture_add(const char *text)
{
	char path[PATH_MAX], line[PATH_MAX / 2], *name, *rest;

	ATF_REQUIRE(strlen(text) < sizeof(line) && strlen(text) >= 3);
	strcpy(line, text);
	name = line + 2;
	rest = strchr(name, ' ');
	if (rest)
		*rest++ = '\0';
	snprintf(path, sizeof(path), "%s/%s", fixture_root, name);
	make_parents(path);
	switch (line[0]) {
	case 'd':
		ATF_REQUIRE(!mkdir(path, 0755) || errno == EEXIST);
		break;
	case 'f':
		write_file(path, "w", rest);
		break;
	case 'a':
		write_file(path, "a", rest);
		break;
	case 'l':
		ATF_REQUIRE(rest);
		ATF_REQUIRE_EQ(symlink(rest, path), 0);
		break;
	default:
		atf_tc_fail("bad manifest line: %s", text);
	}
}

void fixture_unpack(const atf_tc_t *tc)
{
	char manifest[PATH_MAX], *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;

	ATF_REQUIRE(getcwd(fixture_root, sizeof(fixture_root) - 16));
	strcat(fixture_root, "/root");
	ATF_REQUIRE_EQ(mkdir(fixture_root, 0755), 0);
	fixture_path(tc, manifest, sizeof(manifest));
	f = fopen(manifest, "re");
	ATF_REQUIRE_MSG(f, "%s: %s", manifest, strerror(errno));
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		if (n < 3 || line[0] == '#')
			continue;
		fixture_add(line);
	}
	free(line);
	fclose(f);
}
