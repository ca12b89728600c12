// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The missing-/dev/iommu diagnosis, pointed at fake system trees in the
 * test's work directory, one per situation it has to tell apart.
 */
#include <atf-c.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "diagnose.h"

#define RELEASE "6.12.0-test"

static char root[PATH_MAX / 2];
static char why[512];

static void make_root(void)
{
	ATF_REQUIRE(getcwd(root, sizeof(root) - 16));
	strcat(root, "/root");
	ATF_REQUIRE_EQ(mkdir(root, 0755), 0);
}

static void make_dirs(const char *rel)
{
	char path[PATH_MAX], *p;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		ATF_REQUIRE(!mkdir(path, 0755) || errno == EEXIST);
		*p = '/';
	}
	ATF_REQUIRE(!mkdir(path, 0755) || errno == EEXIST);
}

static void write_bytes(const char *rel, const void *data, size_t len)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "w");
	ATF_REQUIRE(f);
	ATF_REQUIRE_EQ(fwrite(data, 1, len, f), len);
	ATF_REQUIRE_EQ(fclose(f), 0);
}

static void write_file(const char *rel, const char *text)
{
	write_bytes(rel, text, strlen(text));
}

static void write_gz(const char *rel, const char *text)
{
	char path[PATH_MAX];
	gzFile gz;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	gz = gzopen(path, "wb");
	ATF_REQUIRE(gz);
	ATF_REQUIRE(gzputs(gz, text) > 0);
	ATF_REQUIRE_EQ(gzclose(gz), Z_OK);
}

static enum iommu_missing diagnose(void)
{
	why[0] = '\0';
	return iommu_diagnose_missing(root, RELEASE, why, sizeof(why));
}

ATF_TC_WITHOUT_HEAD(loaded_without_node);
ATF_TC_BODY(loaded_without_node, tc)
{
	make_root();
	make_dirs("sys/module/iommufd");
	ATF_CHECK_EQ(diagnose(), IOMMU_MISSING_NODE);
	ATF_CHECK_MATCH("devtmpfs", why);
}

ATF_TC_WITHOUT_HEAD(module_not_loaded);
ATF_TC_BODY(module_not_loaded, tc)
{
	make_root();
	make_dirs("boot");
	write_file("boot/config-" RELEASE,
		   "CONFIG_IOMMUFD_TEST=y\nCONFIG_IOMMUFD=m\n");
	ATF_CHECK_EQ(diagnose(), IOMMU_MISSING_NOT_LOADED);
	ATF_CHECK_MATCH("modprobe iommufd", why);
	ATF_CHECK_MATCH("boot/config-" RELEASE, why);
}

ATF_TC_WITHOUT_HEAD(not_built_plain_config);
ATF_TC_BODY(not_built_plain_config, tc)
{
	make_root();
	make_dirs("boot");
	/* A similar symbol set to y must not count as iommufd. */
	write_file(
		"boot/config-" RELEASE,
		"# CONFIG_IOMMUFD is not set\nCONFIG_IOMMUFD_VFIO_CONTAINER=y\n");
	ATF_CHECK_EQ(diagnose(), IOMMU_MISSING_NOT_BUILT);
	ATF_CHECK_MATCH("CONFIG_IOMMUFD", why);
	ATF_CHECK_MATCH(RELEASE, why);
}

ATF_TC_WITHOUT_HEAD(not_built_proc_config);
ATF_TC_BODY(not_built_proc_config, tc)
{
	make_root();
	make_dirs("proc");
	make_dirs("boot");
	write_gz("proc/config.gz",
		 "CONFIG_VFIO=y\n# CONFIG_IOMMUFD is not set\n");
	/* /proc/config.gz describes the running kernel and wins. */
	write_file("boot/config-" RELEASE, "CONFIG_IOMMUFD=m\n");
	ATF_CHECK_EQ(diagnose(), IOMMU_MISSING_NOT_BUILT);
	ATF_CHECK_MATCH("proc/config.gz", why);
}

ATF_TC_WITHOUT_HEAD(corrupt_config);
ATF_TC_BODY(corrupt_config, tc)
{
	make_root();
	make_dirs("proc");
	static const char garbage[] = "\x1f\x8b\x08\x00garbage-not-deflate";

	/* A gzip header and then garbage proves nothing either way. */
	make_dirs("boot");
	write_bytes("proc/config.gz", garbage, sizeof(garbage) - 1);
	/* Nor does a config that was cut off before its first symbol. */
	write_file("boot/config-" RELEASE, "#\n# Automatically generated");
	ATF_CHECK_EQ(diagnose(), IOMMU_MISSING_UNKNOWN);
}

ATF_TC_WITHOUT_HEAD(no_module_in_tree);
ATF_TC_BODY(no_module_in_tree, tc)
{
	make_root();
	make_dirs("lib/modules/" RELEASE);
	write_file("lib/modules/" RELEASE "/modules.dep", "");
	write_file("lib/modules/" RELEASE "/modules.builtin", "");
	write_file("lib/modules/" RELEASE "/modules.alias", "");
	ATF_CHECK_EQ(diagnose(), IOMMU_MISSING_NOT_BUILT);
	ATF_CHECK_MATCH("lib/modules/" RELEASE, why);
}

ATF_TC_WITHOUT_HEAD(module_in_index);
ATF_TC_BODY(module_in_index, tc)
{
	/* No config: modules.dep says there is a loadable module. */
	make_root();
	make_dirs("lib/modules/" RELEASE);
	write_file("lib/modules/" RELEASE "/modules.builtin",
		   "kernel/drivers/iommu/iommufd_extra.ko\n");
	write_file(
		"lib/modules/" RELEASE "/modules.dep",
		"kernel/drivers/vfio/vfio.ko.xz: kernel/drivers/iommu/iommufd/iommufd.ko.xz\n"
		"kernel/drivers/iommu/iommufd/iommufd.ko.xz:\n");
	ATF_CHECK_EQ(diagnose(), IOMMU_MISSING_NOT_LOADED);
	ATF_CHECK_MATCH("modules.dep", why);
}

ATF_TC_WITHOUT_HEAD(builtin_in_index);
ATF_TC_BODY(builtin_in_index, tc)
{
	make_root();
	make_dirs("lib/modules/" RELEASE);
	write_file("lib/modules/" RELEASE "/modules.builtin",
		   "kernel/drivers/iommu/iommufd/iommufd.ko\n");
	write_file("lib/modules/" RELEASE "/modules.dep", "");
	ATF_CHECK_EQ(diagnose(), IOMMU_MISSING_NODE);
	ATF_CHECK_MATCH("modules.builtin", why);
}

ATF_TC_WITHOUT_HEAD(nothing_to_go_on);
ATF_TC_BODY(nothing_to_go_on, tc)
{
	make_root();
	ATF_CHECK_EQ(diagnose(), IOMMU_MISSING_UNKNOWN);
	ATF_CHECK_MATCH("cannot tell", why);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, loaded_without_node);
	ATF_TP_ADD_TC(tp, module_not_loaded);
	ATF_TP_ADD_TC(tp, not_built_plain_config);
	ATF_TP_ADD_TC(tp, not_built_proc_config);
	ATF_TP_ADD_TC(tp, corrupt_config);
	ATF_TP_ADD_TC(tp, no_module_in_tree);
	ATF_TP_ADD_TC(tp, nothing_to_go_on);
	ATF_TP_ADD_TC(tp, module_in_index);
	ATF_TP_ADD_TC(tp, builtin_in_index);
	return atf_no_error();
}
