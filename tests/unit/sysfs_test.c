// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The sysfs and procfs readers (module, group, mdev, holders, kconfig,
 * miscdev, proc-mem) that `iommuctl status` and --pid use, and the group lookups
 * for choosing a device, run on the fixture tree (fixture.h).
 */
#include <atf-c.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"
#include "group.h"
#include "holders.h"
#include "kconfig.h"
#include "mdev.h"
#include "miscdev.h"
#include "module.h"
#include "proc-mem.h"

static const char *param(const struct iommu_module_info *m, const char *name)
{
	unsigned int i;

	for (i = 0; i < m->nr_params; i++)
		if (!strcmp(m->params[i].name, name))
			return m->params[i].value;
	atf_tc_fail("no parameter %s", name);
	return NULL;
}

ATF_TC_WITHOUT_HEAD(modules);
ATF_TC_BODY(modules, tc)
{
	struct iommu_module_info m;

	fixture_unpack(tc);

	ATF_REQUIRE_EQ(iommu_module_read(fixture_root, "iommufd", &m), 0);
	ATF_CHECK_EQ(m.state, IOMMU_MODULE_BUILTIN);
	ATF_CHECK_STREQ(iommu_module_state_name(m.state), "builtin");
	ATF_CHECK_EQ(m.refcnt, -1);
	ATF_CHECK(!m.taint);
	ATF_CHECK_EQ(m.nr_params, 1);
	ATF_CHECK_STREQ(param(&m, "allow_unsafe_interrupts"), "N");
	ATF_CHECK_EQ(m.nr_holders, 0);
	iommu_module_release(&m);

	ATF_REQUIRE_EQ(iommu_module_read(fixture_root, "vfio_iommu_type1", &m), 0);
	ATF_CHECK_STREQ(iommu_module_state_name(m.state), "live");
	ATF_CHECK_EQ(m.refcnt, 1);
	ATF_CHECK_STREQ(m.taint, "");
	ATF_CHECK_EQ(m.nr_params, 3);
	ATF_CHECK_STREQ(param(&m, "dma_entry_limit"), "65535");
	ATF_CHECK_STREQ(param(&m, "disable_hugepages"), "N");
	iommu_module_release(&m);

	ATF_REQUIRE_EQ(iommu_module_read(fixture_root, "vfio", &m), 0);
	ATF_CHECK_EQ(m.refcnt, 3);
	ATF_CHECK_EQ(m.nr_params, 0);
	ATF_REQUIRE_EQ(m.nr_holders, 2);
	ATF_CHECK_STREQ(m.holders[0], "vfio_iommu_type1");
	ATF_CHECK_STREQ(m.holders[1], "vfio_pci_core");
	iommu_module_release(&m);

	ATF_REQUIRE_EQ(iommu_module_read(fixture_root, "iommuctl_dmaprobe", &m), 0);
	ATF_CHECK_STREQ(iommu_module_state_name(m.state), "going");
	ATF_CHECK_STREQ(m.taint, "OE");
	ATF_CHECK_EQ(m.refcnt, 0);
	iommu_module_release(&m);

	ATF_REQUIRE_EQ(iommu_module_read(fixture_root, "mdev", &m), 0);
	ATF_CHECK_STREQ(iommu_module_state_name(m.state), "not-loaded");
	ATF_CHECK_EQ(m.nr_params, 0);
	iommu_module_release(&m);
}

/* One parameter read and written in place; a missing one says so. */
ATF_TC_WITHOUT_HEAD(module_param_get_set);
ATF_TC_BODY(module_param_get_set, tc)
{
	char *v = NULL;

	fixture_unpack(tc);
	ATF_REQUIRE_EQ(iommu_module_param_get(fixture_root, "vfio_iommu_type1",
					      "dma_entry_limit", &v),
		       0);
	ATF_CHECK_STREQ(v, "65535");
	free(v);
	ATF_REQUIRE_EQ(iommu_module_param_set(fixture_root, "vfio_iommu_type1",
					      "dma_entry_limit", "2"),
		       0);
	ATF_REQUIRE_EQ(iommu_module_param_get(fixture_root, "vfio_iommu_type1",
					      "dma_entry_limit", &v),
		       0);
	ATF_CHECK_STREQ(v, "2");
	free(v);
	ATF_CHECK_EQ(iommu_module_param_get(fixture_root, "vfio_iommu_type1",
					    "no_such_param", &v),
		     -ENOENT);
	ATF_CHECK_EQ(iommu_module_param_set(fixture_root, "mdev",
					    "dma_entry_limit", "2"),
		     -ENOENT);
}

ATF_TC_WITHOUT_HEAD(groups);
ATF_TC_BODY(groups, tc)
{
	struct iommu_group_info *g;
	unsigned int nr;

	fixture_unpack(tc);
	ATF_REQUIRE_EQ(iommu_groups_read(fixture_root, &g, &nr), 0);
	ATF_REQUIRE_EQ(nr, 5);

	ATF_CHECK_EQ(g[0].id, 0);
	ATF_CHECK_STREQ(g[0].type, "DMA-FQ");
	ATF_CHECK(!g[0].node);
	ATF_CHECK(g[0].viable);
	ATF_REQUIRE_EQ(g[0].nr_devs, 1);
	ATF_CHECK(!g[0].devs[0].driver);
	ATF_CHECK(g[0].devs[0].has_ids);
	ATF_CHECK_EQ(g[0].devs[0].device, 0x29c0);

	ATF_CHECK_EQ(g[1].id, 2);
	ATF_CHECK(!g[1].viable);
	ATF_CHECK_STREQ(g[1].devs[0].driver, "virtio-pci");
	ATF_CHECK_EQ(g[1].devs[0].vendor, 0x1af4);

	ATF_CHECK_EQ(g[2].id, 3);
	ATF_CHECK(g[2].viable);
	ATF_CHECK_STREQ(g[2].node, "/dev/vfio/3");
	ATF_REQUIRE_EQ(g[2].nr_devs, 1);
	ATF_CHECK_STREQ(g[2].devs[0].name, "0000:00:03.0");
	ATF_CHECK_STREQ(g[2].devs[0].bus, "pci");
	ATF_CHECK_STREQ(g[2].devs[0].driver, "vfio-pci");
	ATF_CHECK_EQ(g[2].devs[0].vendor, 0x8086);
	ATF_CHECK_EQ(g[2].devs[0].device, 0x10d3);
	ATF_CHECK(!g[2].devs[0].cdev);

	/* Sorted as numbers; a bridge on pcieport keeps the group viable. */
	ATF_CHECK_EQ(g[3].id, 10);
	ATF_CHECK_STREQ(g[3].type, "identity");
	ATF_CHECK_STREQ(g[3].node, "/dev/vfio/noiommu-10");
	ATF_CHECK(g[3].viable);
	ATF_REQUIRE_EQ(g[3].nr_devs, 2);
	ATF_CHECK_STREQ(g[3].devs[0].driver, "pcieport");
	ATF_CHECK(!g[3].devs[1].cdev);

	ATF_CHECK_EQ(g[4].id, 12);
	ATF_CHECK(!g[4].type);
	ATF_CHECK(!g[4].node);
	ATF_CHECK_STREQ(g[4].devs[0].bus, "mdev");
	ATF_CHECK(!g[4].devs[0].has_ids);
	ATF_CHECK_STREQ(g[4].devs[0].cdev, "/dev/vfio/devices/vfio1");
	ATF_CHECK(g[4].viable);
	iommu_groups_release(g, nr);
}

ATF_TC_WITHOUT_HEAD(drivers);
ATF_TC_BODY(drivers, tc)
{
	ATF_CHECK(iommu_driver_allows_vfio(NULL));
	ATF_CHECK(iommu_driver_allows_vfio("vfio-pci"));
	ATF_CHECK(iommu_driver_allows_vfio("vfio_platform"));
	ATF_CHECK(iommu_driver_allows_vfio("pci-stub"));
	ATF_CHECK(iommu_driver_allows_vfio("pcieport"));
	ATF_CHECK(!iommu_driver_allows_vfio("e1000e"));
	ATF_CHECK(!iommu_driver_allows_vfio("pci-stubborn"));
}

ATF_TC_WITHOUT_HEAD(mdev);
ATF_TC_BODY(mdev, tc)
{
	struct iommu_mdev_parent *p;
	const struct iommu_mdev_type *t;
	unsigned int nr;

	fixture_unpack(tc);
	ATF_REQUIRE_EQ(iommu_mdev_parents_read(fixture_root, &p, &nr), 0);
	ATF_REQUIRE_EQ(nr, 2);
	ATF_CHECK_STREQ(p[0].name, "iommuctl_dmaprobe");
	ATF_REQUIRE_EQ(p[0].nr_types, 1);
	t = &p[0].types[0];
	ATF_CHECK_STREQ(t->id, "iommuctl_dmaprobe-probe");
	ATF_CHECK(!t->name);
	ATF_CHECK_EQ(t->available, -1);
	ATF_CHECK_EQ(t->nr_devices, 0);

	ATF_CHECK_STREQ(p[1].name, "mtty");
	ATF_REQUIRE_EQ(p[1].nr_types, 2);
	t = &p[1].types[0];
	ATF_CHECK_STREQ(t->name, "Single port serial");
	ATF_CHECK_STREQ(t->device_api, "vfio-pci");
	ATF_CHECK_EQ(t->available, 24);
	t = &p[1].types[1];
	ATF_CHECK_STREQ(t->id, "mtty-2");
	ATF_REQUIRE_EQ(t->nr_devices, 1);
	ATF_CHECK_STREQ(t->devices[0], "83b8f4f2-509f-382f-3c1e-e6bfe0fa1001");
	iommu_mdev_parents_release(p, nr);
}

ATF_TC_WITHOUT_HEAD(classify);
ATF_TC_BODY(classify, tc)
{
	static const struct {
		const char *link;
		enum iommu_node_kind kind;
	} cases[] = {
		{ "/dev/iommu", IOMMU_NODE_IOMMUFD },
		{ "/dev/vfio/vfio", IOMMU_NODE_CONTAINER },
		{ "/dev/vfio/3", IOMMU_NODE_GROUP },
		{ "/dev/vfio/noiommu-0", IOMMU_NODE_GROUP },
		{ "/dev/vfio/devices/vfio12", IOMMU_NODE_DEVICE },
		{ "anon_inode:[vfio-device]", IOMMU_NODE_GROUP_DEVICE },
		{ "/dev/iommu0", IOMMU_NODE_NONE },
		{ "/dev/vfio/", IOMMU_NODE_NONE },
		{ "/dev/vfio/3a", IOMMU_NODE_NONE },
		{ "/dev/vfio/noiommu-", IOMMU_NODE_NONE },
		{ "/dev/vfio/devices/vfio", IOMMU_NODE_NONE },
		{ "/dev/vfio/vfio0", IOMMU_NODE_NONE },
		{ "anon_inode:[eventfd]", IOMMU_NODE_NONE },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ATF_CHECK_EQ_MSG(iommu_node_classify(cases[i].link),
				 cases[i].kind, "%s", cases[i].link);
	ATF_CHECK_STREQ(iommu_node_kind_name(IOMMU_NODE_GROUP_DEVICE),
			"vfio-group-device");
}

ATF_TC_WITHOUT_HEAD(holders);
ATF_TC_BODY(holders, tc)
{
	const struct iommu_holder *p;
	struct iommu_holders h;

	fixture_unpack(tc);
	ATF_REQUIRE_EQ(iommu_holders_read(fixture_root, 0, &h), 0);
	ATF_CHECK_EQ(h.nr_unreadable, 0);
	/* 300 holds only look-alikes: not listed. */
	ATF_REQUIRE_EQ(h.nr, 2);
	p = &h.procs[0];
	ATF_CHECK_EQ(p->pid, 100);
	ATF_CHECK_STREQ(p->comm, "qemu-system-x86");
	ATF_REQUIRE_EQ(p->nr_fds, 3);
	ATF_CHECK_EQ(p->fds[0].fd, 3);
	ATF_CHECK_EQ(p->fds[0].kind, IOMMU_NODE_CONTAINER);
	ATF_CHECK_EQ(p->fds[1].fd, 4);
	ATF_CHECK_STREQ(p->fds[1].path, "/dev/vfio/3");
	ATF_CHECK_EQ(p->fds[2].fd, 12);
	ATF_CHECK_EQ(p->fds[2].kind, IOMMU_NODE_GROUP_DEVICE);
	p = &h.procs[1];
	ATF_CHECK_EQ(p->pid, 200);
	ATF_REQUIRE_EQ(p->nr_fds, 3);
	ATF_CHECK_EQ(p->fds[0].kind, IOMMU_NODE_IOMMUFD);
	ATF_CHECK_EQ(p->fds[1].kind, IOMMU_NODE_DEVICE);
	ATF_CHECK_EQ(p->fds[2].fd, 9);
	iommu_holders_release(&h);

	/* One pid: listed even without fds of ours, so --pid can say so. */
	ATF_REQUIRE_EQ(iommu_holders_read(fixture_root, 300, &h), 0);
	ATF_REQUIRE_EQ(h.nr, 1);
	ATF_CHECK_EQ(h.procs[0].nr_fds, 0);
	ATF_CHECK_STREQ(h.procs[0].comm, "sleep");
	iommu_holders_release(&h);

	ATF_CHECK_EQ(iommu_holders_read(fixture_root, 400, &h), -ESRCH);
	ATF_CHECK_EQ(h.nr, 0);
}

/* What the runner needs to choose a device, on the same tree. */
ATF_TC_WITHOUT_HEAD(group_lookups);
ATF_TC_BODY(group_lookups, tc)
{
	const struct iommu_group_info *g, *groups;
	const struct iommu_dev_info *d;
	struct iommu_group_info *owned;
	unsigned int nr;

	fixture_unpack(tc);
	ATF_REQUIRE_EQ(iommu_groups_read(fixture_root, &owned, &nr), 0);
	groups = owned;

	g = iommu_groups_find(groups, nr, 10, &d);
	ATF_REQUIRE(g);
	ATF_CHECK_STREQ(d->name, "0000:00:1c.0");
	ATF_CHECK(!iommu_groups_find(groups, nr, 1, &d));

	g = iommu_groups_find_device(groups, nr, "pci", "0000:01:00.0", &d);
	ATF_REQUIRE(g);
	ATF_CHECK_EQ(g->id, 10);
	ATF_CHECK_STREQ(d->driver, "vfio-pci");
	g = iommu_groups_find_device(groups, nr, "mdev",
				     "83b8f4f2-509f-382f-3c1e-e6bfe0fa1001",
				     NULL);
	ATF_REQUIRE(g);
	ATF_CHECK_EQ(g->id, 12);
	/* The bus is part of the name. */
	ATF_CHECK(!iommu_groups_find_device(groups, nr, "mdev", "0000:01:00.0",
					    NULL));

	/* Two devices on vfio-pci, in groups 3 and 10: the smaller name. */
	g = iommu_groups_first_bound(groups, nr, "pci", "vfio-pci", &d);
	ATF_REQUIRE(g);
	ATF_CHECK_EQ(g->id, 3);
	ATF_CHECK_STREQ(d->name, "0000:00:03.0");
	ATF_CHECK(!iommu_groups_first_bound(groups, nr, "pci", "pci-stub", &d));
	ATF_CHECK(!d);
	iommu_groups_release(owned, nr);
}

ATF_TC_WITHOUT_HEAD(config);
ATF_TC_BODY(config, tc)
{
	const char *rel = "6.12.0-fixture";

	fixture_unpack(tc);
	ATF_CHECK_EQ(iommu_config_read(fixture_root, rel, "IOMMUFD"), IOMMU_CONFIG_YES);
	ATF_CHECK_EQ(iommu_config_read(fixture_root, rel, "VFIO"), IOMMU_CONFIG_MODULE);
	ATF_CHECK_EQ(iommu_config_read(fixture_root, rel, "IOMMUFD_VFIO_CONTAINER"),
		     IOMMU_CONFIG_NO);
	/* A prefix of a set symbol is not that symbol. */
	ATF_CHECK_EQ(iommu_config_read(fixture_root, rel, "IOMMU"), IOMMU_CONFIG_NO);
	ATF_CHECK_EQ(iommu_config_read(fixture_root, "6.12.0-junk", "IOMMUFD"),
		     IOMMU_CONFIG_UNKNOWN);
	ATF_CHECK_EQ(iommu_config_read(fixture_root, "6.12.0-none", "IOMMUFD"),
		     IOMMU_CONFIG_UNKNOWN);
}

ATF_TC_WITHOUT_HEAD(misc_devt);
ATF_TC_BODY(misc_devt, tc)
{
	unsigned int maj, min;

	fixture_unpack(tc);
	ATF_REQUIRE_EQ(iommu_misc_devt(fixture_root, "iommu", &maj, &min), 0);
	ATF_CHECK_EQ(maj, 10);
	ATF_CHECK_EQ(min, 257);
	ATF_CHECK_EQ(iommu_misc_devt(fixture_root, "kvm", &maj, &min), -ENOENT);
}

ATF_TC_WITHOUT_HEAD(proc_mem);
ATF_TC_BODY(proc_mem, tc)
{
	struct iommu_proc_mem m;

	fixture_unpack(tc);
	/* A VMM whose guest RAM type1 pinned (VmLck) and iommufd too (VmPin). */
	fixture_add("f proc/100/status Name:\tqemu-system-x86");
	fixture_add("a proc/100/status VmPeak:\t 4194304 kB");
	fixture_add("a proc/100/status VmLck:\t 2097152 kB");
	fixture_add("a proc/100/status VmPin:\t      64 kB");
	ATF_REQUIRE_EQ(iommu_proc_mem_read(fixture_root, 100, &m), 0);
	ATF_CHECK_EQ(m.locked, 2147483648ULL);
	ATF_CHECK_EQ(m.pinned, 65536);
	/* A line the kernel did not write is no zero. */
	fixture_add("f proc/200/status VmLck:\t       0 kB");
	ATF_CHECK_EQ(iommu_proc_mem_read(fixture_root, 200, &m), -ENODATA);
	/* Nor is a line in another unit. */
	fixture_add("a proc/200/status VmPin:\t 12 MB");
	ATF_CHECK_EQ(iommu_proc_mem_read(fixture_root, 200, &m), -ENODATA);
	ATF_CHECK_EQ(iommu_proc_mem_read(fixture_root, 999, &m), -ENOENT);
	/* The calling process: both lines are there, whatever their values. */
	ATF_CHECK_EQ(iommu_proc_mem_read(NULL, 0, &m), 0);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, modules);
	ATF_TP_ADD_TC(tp, module_param_get_set);
	ATF_TP_ADD_TC(tp, groups);
	ATF_TP_ADD_TC(tp, drivers);
	ATF_TP_ADD_TC(tp, mdev);
	ATF_TP_ADD_TC(tp, group_lookups);
	ATF_TP_ADD_TC(tp, classify);
	ATF_TP_ADD_TC(tp, holders);
	ATF_TP_ADD_TC(tp, config);
	ATF_TP_ADD_TC(tp, misc_devt);
	ATF_TP_ADD_TC(tp, proc_mem);
	return atf_no_error();
}
