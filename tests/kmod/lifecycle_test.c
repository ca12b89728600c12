// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Life cycle of the iommuctl_dmaprobe module and its mdevs: repeated load
 * and unload, repeated creation and removal, each round used for DMA and
 * pins, and nothing left behind: module refcount, pins, IOMMU groups and
 * VFIO group nodes back where they started. These load and unload the
 * module and so run alone (is_exclusive in the Kyuafile).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <linux/vfio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dmaprobe_helpers.h"

#define ROUNDS 20
#define IOVA 0x100000ULL

static long count_entries(const char *dir)
{
	struct dirent *d;
	long n = 0;
	DIR *dp = opendir(dir);

	ATF_REQUIRE_MSG(dp, "%s: %s", dir, strerror(errno));
	while ((d = readdir(dp)))
		if (d->d_name[0] != '.')
			n++;
	closedir(dp);
	return n;
}

/* A backend to open devices with: the legacy container if there is one. */
static enum dp_backend any_backend(void)
{
	if (!access("/dev/vfio/vfio", F_OK))
		return DP_TYPE1;
	if (!access("/dev/iommu", F_OK))
		return DP_IOMMUFD;
	atf_tc_skip("neither /dev/vfio/vfio nor /dev/iommu exists");
}

/* Maps a buffer, moves bytes both ways and leaves one pin held. */
static void exercise(struct dp_ctx *c)
{
	const size_t size = 4 * (size_t)sysconf(_SC_PAGESIZE);
	uint8_t *buf = dp_buffer(size), out[32];

	dp_map_ok(c, buf, IOVA, size, true);
	ATF_REQUIRE_EQ(dp_dma_write(c, IOVA, 32, 0x1122334455667788ULL), 0);
	ATF_REQUIRE_EQ(dp_dma_read(c, IOVA, 32, out), 0);
	ATF_REQUIRE(!memcmp(buf, out, sizeof(out)));
	ATF_REQUIRE_EQ(dp_pin(c, IOVA, 2, DMAPROBE_PIN_WRITE), 0);
	ATF_REQUIRE_EQ(dp_mdev_gauge(&c->mdev, "pins_outstanding"), 1);
}

static void close_fds(struct dp_ctx *c)
{
	close(c->device);
	close(c->group);
	close(c->container);
	c->device = -1;
}

ATF_TC_WITH_CLEANUP(load_unload);
ATF_TC_HEAD(load_unload, tc)
{
	atf_tc_set_md_var(tc, "descr",
			  "the module loads and unloads 20 times, each time "
			  "with an mdev in use; unload is refused while the "
			  "device is open and removes the mdevs otherwise");
	atf_tc_set_md_var(tc, "require.user", "root");
	atf_tc_set_md_var(tc, "timeout", "900");
}
ATF_TC_BODY(load_unload, tc)
{
	char path[PATH_MAX], why[1024], node[64];
	enum dp_backend b = any_backend();
	bool was_loaded = dp_module_loaded();
	long groups, vfio_nodes;
	struct dp_ctx c;
	int round, err;

	if (!dp_module_file(path, sizeof(path), why, sizeof(why)))
		atf_tc_skip(
			"no " DMAPROBE_MODULE_NAME
			" module file for this kernel (set "
			"IOMMUCTL_DMAPROBE_KO, see iommuctl-dmaprobe(4)): %s",
			why);
	if (was_loaded) {
		if (dp_module_refcnt())
			atf_tc_skip(DMAPROBE_MODULE_NAME " is in use");
		err = dp_module_unload();
		ATF_REQUIRE_MSG(!err, "unloading the module found loaded: %s",
				strerror(err));
	}
	groups = count_entries("/sys/kernel/iommu_groups");
	vfio_nodes = count_entries("/dev/vfio");

	for (round = 0; round < ROUNDS; round++) {
		err = dp_module_load(path);
		ATF_REQUIRE_MSG(!err, "round %d: loading %s: %s", round, path,
				strerror(err));
		dp_module_check_ours();
		ATF_REQUIRE_EQ(dp_module_refcnt(), 0);

		dp_open(&c, b, VFIO_TYPE1v2_IOMMU);
		exercise(&c);
		ATF_REQUIRE_MSG(dp_module_refcnt() >= 1,
				"an open device holds no module reference");
		if (round == 0)
			dp_observe(&c,
				   "module refcnt with one device open: %ld",
				   dp_module_refcnt());
		err = dp_module_unload();
		ATF_REQUIRE_MSG(err == EAGAIN,
				"round %d: unload with the device open: %s",
				round, dp_errname(err));
		ATF_REQUIRE(dp_mdev_exists(&c.mdev));

		close_fds(&c);
		ATF_REQUIRE_EQ(dp_mdev_gauge(&c.mdev, "pins_outstanding"), 0);
		ATF_REQUIRE_EQ(dp_module_refcnt(), 0);
		err = dp_module_unload();
		ATF_REQUIRE_MSG(!err, "round %d: unload with an idle mdev: %s",
				round, strerror(err));
		ATF_REQUIRE(!dp_module_loaded());
		ATF_REQUIRE_MSG(!dp_mdev_exists(&c.mdev),
				"mdev %s outlived the module", c.mdev.uuid);
		snprintf(node, sizeof(node), "/dev/vfio/%d", c.mdev.group);
		ATF_REQUIRE_MSG(access(node, F_OK), "%s outlived the module",
				node);
	}
	ATF_CHECK_EQ(count_entries("/sys/kernel/iommu_groups"), groups);
	ATF_CHECK_EQ(count_entries("/dev/vfio"), vfio_nodes);

	if (was_loaded) {
		err = dp_module_load(path);
		ATF_REQUIRE_MSG(!err, "reloading the module: %s",
				strerror(err));
	}
}
ATF_TC_CLEANUP(load_unload, tc)
{
	dp_cleanup();
}

ATF_TC_WITH_CLEANUP(mdev_create_remove);
ATF_TC_HEAD(mdev_create_remove, tc)
{
	atf_tc_set_md_var(tc, "descr",
			  "20 mdevs created, used and removed in turn leave "
			  "nothing behind; the type's instance limit holds");
	atf_tc_set_md_var(tc, "require.user", "root");
	atf_tc_set_md_var(tc, "timeout", "900");
}
ATF_TC_BODY(mdev_create_remove, tc)
{
	struct dp_mdev extra, all[DMAPROBE_MAX_DEVICES];
	enum dp_backend b = any_backend();
	long avail, groups, vfio_nodes;
	unsigned int i, n;
	struct dp_ctx c;
	int round, err;

	dp_require_module();
	ATF_REQUIRE_EQ(dp_module_refcnt(), 0);
	avail = dp_available_instances();
	groups = count_entries("/sys/kernel/iommu_groups");
	vfio_nodes = count_entries("/dev/vfio");

	for (round = 0; round < ROUNDS; round++) {
		dp_open(&c, b, VFIO_TYPE1v2_IOMMU);
		ATF_REQUIRE_EQ(dp_available_instances(), avail - 1);
		exercise(&c);
		close(c.device);
		c.device = -1;
		ATF_REQUIRE_EQ(dp_mdev_gauge(&c.mdev, "pins_outstanding"), 0);
		ATF_REQUIRE_EQ(dp_mdev_gauge(&c.mdev, "pages_pinned"), 0);
		ATF_REQUIRE_EQ(dp_module_refcnt(), 0);
		/* Odd rounds remove the mdev while its group is still open. */
		if (round % 2) {
			dp_mdev_remove(&c.mdev);
			ATF_REQUIRE(!dp_mdev_exists(&c.mdev));
			close_fds(&c);
		} else {
			dp_close(&c);
		}
		ATF_REQUIRE_EQ(dp_available_instances(), avail);
	}
	ATF_CHECK_EQ(count_entries("/sys/kernel/iommu_groups"), groups);
	ATF_CHECK_EQ(count_entries("/dev/vfio"), vfio_nodes);

	ATF_REQUIRE(avail >= 0 && avail <= (long)DMAPROBE_MAX_DEVICES);
	for (n = 0; n < (unsigned int)avail; n++)
		dp_mdev_create(&all[n]);
	ATF_REQUIRE_EQ(dp_available_instances(), 0);
	err = dp_mdev_try_create(&extra);
	printf("observed: mdev creation beyond the %ld available instances: %s\n",
	       avail, dp_errname(err));
	ATF_REQUIRE_MSG(err, "an mdev beyond max_instances was created");
	for (i = 0; i < n; i++)
		dp_mdev_remove(&all[i]);
	ATF_REQUIRE_EQ(dp_available_instances(), avail);
	ATF_REQUIRE_EQ(dp_module_refcnt(), 0);
}
ATF_TC_CLEANUP(mdev_create_remove, tc)
{
	dp_cleanup();
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, load_unload);
	ATF_TP_ADD_TC(tp, mdev_create_remove);
	return atf_no_error();
}
