// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A harness's seeds and saved findings, run once each in every build:
 * what the fuzzer found once stays found (make check), with or without
 * clang. FUZZ_NAME names the harness and its directory of seeds.
 */
#include <atf-c.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

/* A seed is small; a bound keeps a stray large file from being one. */
#define SEED_MAX (1 << 20)

static void run_file(const char *path)
{
	uint8_t *buf, *copy;
	size_t n;
	FILE *f;

	f = fopen(path, "rb");
	ATF_REQUIRE_MSG(f, "%s", path);
	buf = malloc(SEED_MAX);
	ATF_REQUIRE(buf);
	n = fread(buf, 1, SEED_MAX, f);
	ATF_REQUIRE_MSG(!ferror(f) && n < SEED_MAX,
			"%s: unreadable or too large", path);
	fclose(f);
	/* A copy of exactly its size, so that ASan sees a read past it. */
	copy = malloc(n ? n : 1);
	ATF_REQUIRE(copy);
	memcpy(copy, buf, n);
	free(buf);
	LLVMFuzzerTestOneInput(copy, n);
	free(copy);
}

ATF_TC(seeds);
ATF_TC_HEAD(seeds, tc)
{
	atf_tc_set_md_var(tc, "descr",
			  "every seed of the " FUZZ_NAME
			  " fuzzer runs through its harness");
	atf_tc_set_md_var(tc, "timeout", "300");
}
ATF_TC_BODY(seeds, tc)
{
	char dir[PATH_MAX], path[PATH_MAX * 2];
	unsigned int n = 0;
	struct dirent *d;
	struct stat st;
	DIR *dp;

	snprintf(dir, sizeof(dir), "%s/tests/fuzz/seeds/%s", ABS_TOP_SRCDIR,
		 FUZZ_NAME);
	if (stat(dir, &st))
		snprintf(dir, sizeof(dir), "%s/seeds/%s",
			 atf_tc_get_config_var(tc, "srcdir"), FUZZ_NAME);
	dp = opendir(dir);
	ATF_REQUIRE_MSG(dp, "no seeds in %s", dir);
	while ((d = readdir(dp))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		run_file(path);
		n++;
	}
	closedir(dp);
	ATF_CHECK_MSG(n > 0, "%s holds no seed", dir);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, seeds);
	return atf_no_error();
}
