// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * How the conformance runner chooses the group and device to replay on
 * (--device, --mdev, --group or nothing), on the fixture tree.
 */
#include <atf-c.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fixture.h"
#include "iommuctl_dmaprobe.h"
#include "target.h"

#define MDEV "83b8f4f2-509f-382f-3c1e-e6bfe0fa1001"
#define DMAPROBE_TYPE                                                 \
	"sys/class/mdev_bus/" DMAPROBE_PARENT_NAME "/mdev_supported_types/" \
	DMAPROBE_MDEV_TYPE

static char why[512];

static int resolve(struct replay_target *t, bool mdev)
{
	why[0] = '\0';
	return replay_target_resolve(fixture_root, t, mdev, why, sizeof(why));
}

ATF_TC_WITHOUT_HEAD(default_vfio_pci);
ATF_TC_BODY(default_vfio_pci, tc)
{
	struct replay_target t = { .group = -1 };

	fixture_unpack(tc);
	/* No DMA-probe mdev: of two vfio-pci devices, the smaller name. */
	ATF_REQUIRE_EQ_MSG(resolve(&t, false), 0, "%s", why);
	ATF_CHECK_STREQ(t.device, "0000:00:03.0");
	ATF_CHECK_EQ(t.group, 3);
	ATF_CHECK(!replay_target_emulated(&t));
}

ATF_TC_WITHOUT_HEAD(default_dmaprobe);
ATF_TC_BODY(default_dmaprobe, tc)
{
	struct replay_target t = { .group = -1 };

	fixture_unpack(tc);
	fixture_add("d " DMAPROBE_TYPE "/devices");
	/* An mdev of the DMA-probe type that no group holds is passed over. */
	fixture_add("l " DMAPROBE_TYPE "/devices/00000000-0000-0000-0000-000000000001 ../../../00000000-0000-0000-0000-000000000001");
	ATF_REQUIRE_EQ_MSG(resolve(&t, false), 0, "%s", why);
	ATF_CHECK_STREQ(t.device, "0000:00:03.0");

	fixture_add("l " DMAPROBE_TYPE "/devices/" MDEV " ../../../" MDEV);
	t.group = -1;
	t.device[0] = '\0';
	ATF_REQUIRE_EQ_MSG(resolve(&t, false), 0, "%s", why);
	ATF_CHECK_STREQ(t.device, MDEV);
	ATF_CHECK_EQ(t.group, 12);
	ATF_CHECK(replay_target_emulated(&t));
}

ATF_TC_WITHOUT_HEAD(by_group);
ATF_TC_BODY(by_group, tc)
{
	struct replay_target t = { .group = 10 };

	fixture_unpack(tc);
	/* Group 10 starts with a bridge on pcieport: its VFIO device. */
	ATF_REQUIRE_EQ_MSG(resolve(&t, false), 0, "%s", why);
	ATF_CHECK_STREQ(t.device, "0000:01:00.0");
	ATF_CHECK_EQ(t.group, 10);

	t = (struct replay_target){ .group = 12 };
	ATF_REQUIRE_EQ_MSG(resolve(&t, false), 0, "%s", why);
	ATF_CHECK_STREQ(t.device, MDEV);
	ATF_CHECK(replay_target_emulated(&t));

	t = (struct replay_target){ .group = 2 };
	ATF_CHECK_EQ(resolve(&t, false), -ENODEV);
	ATF_CHECK_STREQ(why,
			"IOMMU group 2 has no device bound to a VFIO driver (bind one to vfio-pci)");
	ATF_CHECK_STREQ(t.device, "");

	t = (struct replay_target){ .group = 7 };
	ATF_CHECK_EQ(resolve(&t, false), -ENODEV);
	ATF_CHECK_STREQ(why, "no IOMMU group 7");
}

ATF_TC_WITHOUT_HEAD(by_device);
ATF_TC_BODY(by_device, tc)
{
	struct replay_target t = { .group = -1, .device = "0000:01:00.0" };
	char want[512];

	fixture_unpack(tc);
	ATF_REQUIRE_EQ_MSG(resolve(&t, false), 0, "%s", why);
	ATF_CHECK_EQ(t.group, 10);

	t = (struct replay_target){ .group = -1, .device = MDEV };
	ATF_REQUIRE_EQ_MSG(resolve(&t, true), 0, "%s", why);
	ATF_CHECK_EQ(t.group, 12);
	/* The bus is part of the name: an mdev UUID is no PCI device. */
	t = (struct replay_target){ .group = -1, .device = MDEV };
	ATF_CHECK_EQ(resolve(&t, false), -ENODEV);

	t = (struct replay_target){ .group = -1, .device = "0000:09:00.0" };
	ATF_CHECK_EQ(resolve(&t, false), -ENODEV);
	snprintf(want, sizeof(want),
		 "no pci device 0000:09:00.0 (%s/sys/bus/pci/devices/0000:09:00.0: No such file or directory)",
		 fixture_root);
	ATF_CHECK_STREQ(why, want);

	/* A device the kernel knows, outside every group: no IOMMU. */
	fixture_add("d sys/bus/pci/devices/0000:00:1f.0");
	t = (struct replay_target){ .group = -1, .device = "0000:00:1f.0" };
	ATF_CHECK_EQ(resolve(&t, false), -ENODEV);
	ATF_CHECK_STREQ(why,
			"pci device 0000:00:1f.0 is in no IOMMU group: no IOMMU translates for it");
}

ATF_TC_WITHOUT_HEAD(nothing_bound);
ATF_TC_BODY(nothing_bound, tc)
{
	struct replay_target t = { .group = -1 };

	/* A system without IOMMU groups or mdev parents. */
	fixture_unpack(tc);
	fixture_add("d empty");
	strcat(fixture_root, "/empty");
	ATF_CHECK_EQ(resolve(&t, false), -ENODEV);
	ATF_CHECK(strstr(why, "no device bound to VFIO: "));
	ATF_CHECK_STREQ(t.device, "");
}

ATF_TC_WITHOUT_HEAD(other_device);
ATF_TC_BODY(other_device, tc)
{
	struct replay_target t = { .group = -1 }, o = { .group = -1 };

	fixture_unpack(tc);
	ATF_REQUIRE_EQ_MSG(resolve(&t, false), 0, "%s", why);
	/* The fixture's two vfio-pci devices: the other one's group. */
	ATF_REQUIRE_EQ_MSG(replay_target_other(fixture_root, &t, &o, why,
					       sizeof(why)),
			   0, "%s", why);
	ATF_CHECK(o.group != t.group);
	ATF_CHECK(strcmp(o.device, t.device));
	ATF_CHECK_EQ(replay_target_other(fixture_root, &o, &t, why,
					 sizeof(why)),
		     0);
	ATF_CHECK_STREQ(t.device, "0000:00:03.0");
}

ATF_TC_WITHOUT_HEAD(boot_words);
ATF_TC_BODY(boot_words, tc)
{
	fixture_unpack(tc);
	fixture_add("f proc/cmdline console=ttyS0 intremap=off intel_iommu=on");
	ATF_CHECK_EQ(replay_boot_missing(fixture_root, "", why, sizeof(why)), 0);
	ATF_CHECK_EQ(replay_boot_missing(fixture_root, "intremap=off", why,
					 sizeof(why)), 0);
	ATF_CHECK_EQ(replay_boot_missing(fixture_root,
					 "intel_iommu=on intremap=off", why,
					 sizeof(why)), 0);
	/* Whole words only: neither a prefix nor another value. */
	ATF_CHECK_EQ(replay_boot_missing(fixture_root, "intremap", why,
					 sizeof(why)), 1);
	ATF_CHECK_MSG(strstr(why, "lacks intremap (") != NULL, "%s", why);
	ATF_CHECK_EQ(replay_boot_missing(fixture_root,
					 "intremap=off iommu=pt", why,
					 sizeof(why)), 1);
	ATF_CHECK_MSG(strstr(why, "booted with \"intremap=off iommu=pt\"") &&
			      strstr(why, "lacks iommu=pt ("),
		      "%s", why);
	fixture_add("f proc/cmdline console=ttyS0 intremap=offx");
	ATF_CHECK_EQ(replay_boot_missing(fixture_root, "intremap=off", why,
					 sizeof(why)), 1);
}

ATF_TC_WITHOUT_HEAD(interrupts);
ATF_TC_BODY(interrupts, tc)
{
	fixture_unpack(tc);
	fixture_add("f proc/interrupts            CPU0       CPU1");
	fixture_add("a proc/interrupts   4:        120          0   IO-APIC   4-edge      ttyS0");
	fixture_add("f sys/module/iommufd/parameters/allow_unsafe_interrupts N");
	fixture_add("f sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts Y");
#if defined(__x86_64__) || defined(__i386__)
	ATF_CHECK(replay_msi_unisolated(fixture_root));
	fixture_add("a proc/interrupts  24:         10          0   IR-PCI-MSIX-0000:00:03.0    0-edge      virtio0-config");
	ATF_CHECK(!replay_msi_unisolated(fixture_root));
#else
	ATF_CHECK(!replay_msi_unisolated(fixture_root));
#endif
	ATF_CHECK(!replay_unsafe_interrupts(fixture_root, "iommufd"));
	ATF_CHECK(replay_unsafe_interrupts(fixture_root, "vfio_iommu_type1"));
	/* No such module (type1 not loaded): off. */
	ATF_CHECK(!replay_unsafe_interrupts(fixture_root, "vfio_pci"));
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, boot_words);
	ATF_TP_ADD_TC(tp, other_device);
	ATF_TP_ADD_TC(tp, interrupts);
	ATF_TP_ADD_TC(tp, default_vfio_pci);
	ATF_TP_ADD_TC(tp, default_dmaprobe);
	ATF_TP_ADD_TC(tp, by_group);
	ATF_TP_ADD_TC(tp, by_device);
	ATF_TP_ADD_TC(tp, nothing_bound);
	return atf_no_error();
}
