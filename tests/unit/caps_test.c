// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * caps.h: a capability of the effective set read, dropped and taken
 * back (the replay's memlock op and the recorder's memlock line use it).
 */
#include <atf-c.h>
#include <errno.h>
#include <linux/capability.h>
#include <stdbool.h>

#include "caps.h"

ATF_TC_WITHOUT_HEAD(bad_capability);
ATF_TC_BODY(bad_capability, tc)
{
	bool held;

	ATF_CHECK_EQ(iommu_cap_effective(-1, &held), -EINVAL);
	ATF_CHECK_EQ(iommu_cap_effective(64, &held), -EINVAL);
	ATF_CHECK_EQ(iommu_cap_set_effective(64, false), -EINVAL);
}

ATF_TC(drop_and_take_back);
ATF_TC_HEAD(drop_and_take_back, tc)
{
	atf_tc_set_md_var(tc, "descr",
			  "CAP_IPC_LOCK leaves the effective set and comes back");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(drop_and_take_back, tc)
{
	bool held;

	ATF_REQUIRE_EQ(iommu_cap_effective(CAP_IPC_LOCK, &held), 0);
	if (!held)
		atf_tc_skip("CAP_IPC_LOCK is not in this root's effective set");
	ATF_REQUIRE_EQ(iommu_cap_set_effective(CAP_IPC_LOCK, false), 0);
	ATF_REQUIRE_EQ(iommu_cap_effective(CAP_IPC_LOCK, &held), 0);
	ATF_CHECK(!held);
	/* Another capability is not touched. */
	ATF_REQUIRE_EQ(iommu_cap_effective(CAP_SYS_ADMIN, &held), 0);
	ATF_CHECK(held);
	ATF_REQUIRE_EQ(iommu_cap_set_effective(CAP_IPC_LOCK, true), 0);
	ATF_REQUIRE_EQ(iommu_cap_effective(CAP_IPC_LOCK, &held), 0);
	ATF_CHECK(held);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, bad_capability);
	ATF_TP_ADD_TC(tp, drop_and_take_back);
	return atf_no_error();
}
