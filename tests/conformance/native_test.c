// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Where the native ops run: iommufd's own ioctls on the iommufd backends
 * only, skipped on the VFIO container with the ioctl named, and an op
 * that needs a device only where one is open. No kernel.
 */
#include <atf-c.h>
#include <string.h>

#include "replay.h"

static struct trace_opdesc op(enum trace_op o)
{
	struct trace_opdesc d;

	memset(&d, 0, sizeof(d));
	d.op = o;
	d.buffer = -1;
	d.object = -1;
	d.result = -1;
	d.expect.ioas = -1;
	return d;
}

ATF_TC_WITHOUT_HEAD(type1_skips_with_the_ioctl_named);
ATF_TC_BODY(type1_skips_with_the_ioctl_named, tc)
{
	static const struct {
		enum trace_op op;
		const char *reason;
	} cases[] = {
		{ OP_IOAS_ALLOC,
		  "IOMMU_IOAS_ALLOC is iommufd's own ioctl: a VFIO container has no IOAS" },
		{ OP_VFIO_IOAS,
		  "IOMMU_VFIO_IOAS is iommufd's own ioctl: a VFIO container has no compat IOAS to choose" },
		{ OP_DESTROY,
		  "IOMMU_DESTROY is iommufd's own ioctl: a VFIO container has no objects to destroy" },
		{ OP_FAULT_QUEUE_ALLOC,
		  "IOMMU_FAULT_QUEUE_ALLOC is iommufd's own ioctl: a VFIO container has no fault queues" },
		{ OP_OPTION,
		  "IOMMU_OPTION is iommufd's own ioctl: a VFIO container has no options to get or set" },
	};
	const struct backend_desc *t1 = backend_desc(BK_TYPE1);
	struct trace_opdesc d;
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		d = op(cases[i].op);
		ATF_CHECK_STREQ(native_skip_reason(t1, &d, true),
				cases[i].reason);
		/* needs_device or not, type1 has no such ioctl. */
		d.needs_device = true;
		ATF_CHECK_STREQ(native_skip_reason(t1, &d, false),
				cases[i].reason);
	}
}

ATF_TC_WITHOUT_HEAD(iommufd_backends_run_them);
ATF_TC_BODY(iommufd_backends_run_them, tc)
{
	struct trace_opdesc d = op(OP_VFIO_IOAS);

	ATF_CHECK(native_skip_reason(backend_desc(BK_IOMMUFD), &d, false) ==
		  NULL);
	ATF_CHECK(native_skip_reason(backend_desc(BK_IOMMUFD_NODEV), &d,
				     false) == NULL);
	/* The VFIO ops are not the native ops' business. */
	d = op(OP_MAP_DMA);
	ATF_CHECK(native_skip_reason(backend_desc(BK_TYPE1), &d, false) ==
		  NULL);
}

ATF_TC_WITHOUT_HEAD(needs_device_wants_an_open_device);
ATF_TC_BODY(needs_device_wants_an_open_device, tc)
{
	struct trace_opdesc d = op(OP_DESTROY);

	d.needs_device = true;
	ATF_CHECK_STREQ(native_skip_reason(backend_desc(BK_IOMMUFD_NODEV), &d,
					   false),
			"iommufd-nodev has no device");
	ATF_CHECK_STREQ(native_skip_reason(backend_desc(BK_IOMMUFD), &d,
					   false),
			"the op needs a device and no device fd is open");
	ATF_CHECK(native_skip_reason(backend_desc(BK_IOMMUFD), &d, true) ==
		  NULL);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, type1_skips_with_the_ioctl_named);
	ATF_TP_ADD_TC(tp, iommufd_backends_run_them);
	ATF_TP_ADD_TC(tp, needs_device_wants_an_open_device);
	return atf_no_error();
}
