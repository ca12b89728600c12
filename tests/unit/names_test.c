// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE /* strerrorname_np() */
#include <atf-c.h>
#include <errno.h>
#include <string.h>

#include "names.h"
#include "uapi-iommufd.h"
#include "uapi-vfio.h"

#if __has_include(<linux/iommufd.h>)
#include <linux/iommufd.h>
#endif
#include <linux/vfio.h>

/*
 * The libc macros are the oracle: each name must come back for the value
 * that <errno.h> gives it, whatever order the table is in.
 */
#define SAME(e)                                                           \
	ATF_CHECK_STREQ_MSG(#e, errno_name(e) ? errno_name(e) : "(null)", \
			    "errno %d", e)

ATF_TC_WITHOUT_HEAD(errno_common);
ATF_TC_BODY(errno_common, tc)
{
	SAME(EPERM);
	SAME(ENOENT);
	SAME(EINTR);
	SAME(EFAULT);
	SAME(EBUSY);
	SAME(EEXIST);
	SAME(ENODEV);
	SAME(EINVAL);
	SAME(ENOTTY);
	SAME(ENOSPC);
	SAME(ERANGE);
	SAME(E2BIG);
	SAME(ENOMEM);
	SAME(EMSGSIZE);
	SAME(EOPNOTSUPP);
	SAME(EOVERFLOW);
	SAME(EADDRINUSE);
	SAME(EAGAIN);
	SAME(EDEADLK);
	SAME(EHWPOISON);
}

ATF_TC_WITHOUT_HEAD(errno_aliases);
ATF_TC_BODY(errno_aliases, tc)
{
	/* Aliases share a value; the table gives the primary spelling. */
	ATF_CHECK_STREQ(errno_name(EWOULDBLOCK), "EAGAIN");
	ATF_CHECK_STREQ(errno_name(EDEADLOCK), "EDEADLK");
	ATF_CHECK_STREQ(errno_name(ENOTSUP), "EOPNOTSUPP");
}

ATF_TC_WITHOUT_HEAD(errno_every_value);
ATF_TC_BODY(errno_every_value, tc)
{
	int e, f;

	/* Linux numbers its errnos densely from 1 to EHWPOISON. */
	for (e = 1; e <= EHWPOISON; e++) {
		const char *name = errno_name(e);

		if (e == 41 || e == 58)
			continue;
		ATF_CHECK_MSG(name && name[0] == 'E', "errno %d has no name",
			      e);
		for (f = 1; name && f < e; f++)
			ATF_CHECK_MSG(!errno_name(f) ||
					      strcmp(errno_name(f), name),
				      "%s names both %d and %d", name, f, e);
	}
}

ATF_TC_WITHOUT_HEAD(errno_kernel_internal);
ATF_TC_BODY(errno_kernel_internal, tc)
{
	/* include/linux/errno.h: never meant for userspace, yet seen there. */
	ATF_CHECK_STREQ(errno_name(515), "ENOIOCTLCMD");
	ATF_CHECK_STREQ(errno_name(524), "ENOTSUPP");
	ATF_CHECK_STREQ(errno_name(512), "ERESTARTSYS");
}

ATF_TC_WITHOUT_HEAD(errno_unknown);
ATF_TC_BODY(errno_unknown, tc)
{
	ATF_CHECK(errno_name(0) == NULL);
	ATF_CHECK(errno_name(-EINVAL) == NULL);
	ATF_CHECK(errno_name(41) == NULL);
	ATF_CHECK(errno_name(400) == NULL);
	ATF_CHECK(errno_name(520) == NULL);
	ATF_CHECK(errno_name(100000) == NULL);
}

ATF_TC_WITHOUT_HEAD(errno_str_words);
ATF_TC_BODY(errno_str_words, tc)
{
	ATF_CHECK_STREQ(errno_str(0), "0");
	ATF_CHECK_STREQ(errno_str(EINVAL), "EINVAL");
	ATF_CHECK_STREQ(errno_str(515), "ENOIOCTLCMD");
	ATF_CHECK_STREQ(errno_str(41), "E?");
	ATF_CHECK_STREQ(errno_str(-EINVAL), "E?");
}

/* Every name the table gives reads back as its value, and only those. */
ATF_TC_WITHOUT_HEAD(errno_lookup_round_trip);
ATF_TC_BODY(errno_lookup_round_trip, tc)
{
	int e;

	for (e = 1; e < 600; e++)
		if (errno_name(e))
			ATF_CHECK_EQ_MSG(errno_lookup(errno_name(e)), e,
					 "%s", errno_name(e));
	ATF_CHECK_EQ(errno_lookup("EWOULDBLOCK"), -ENOENT);
	ATF_CHECK_EQ(errno_lookup("E?"), -ENOENT);
	ATF_CHECK_EQ(errno_lookup(""), -ENOENT);
}

/*
 * The recorder once named errnos with glibc: the table must give the
 * names glibc gives, so that traces keep their words.
 */
ATF_TC_WITHOUT_HEAD(errno_matches_glibc);
ATF_TC_BODY(errno_matches_glibc, tc)
{
	const char *ours, *glibc;
	int e;

	for (e = 1; e < 512; e++) {
		ours = errno_name(e);
		glibc = strerrorname_np(e);
		ATF_CHECK_MSG((!ours && !glibc) ||
				      (ours && glibc && !strcmp(ours, glibc)),
			      "errno %d: ours %s, glibc %s", e,
			      ours ? ours : "(none)", glibc ? glibc : "(none)");
	}
}

/*
 * The kernel's headers are the oracle for ioctl names: each request number
 * the kernel defines must come back under the kernel's own macro name. The
 * VFIO container ioctls are in every <linux/vfio.h>; the iommufd ones only
 * in headers of Linux 6.2 and later (configure --with-kernel-uapi).
 */
#define KERNEL_NAME(req)                                                    \
	ATF_CHECK_STREQ_MSG(#req,                                           \
			    iommu_ioctl_name(req) ? iommu_ioctl_name(req) : \
						    "(null)",               \
			    "request 0x%lx", (unsigned long)(req))

ATF_TC_WITHOUT_HEAD(ioctl_names_vfio);
ATF_TC_BODY(ioctl_names_vfio, tc)
{
	KERNEL_NAME(VFIO_GET_API_VERSION);
	KERNEL_NAME(VFIO_CHECK_EXTENSION);
	KERNEL_NAME(VFIO_SET_IOMMU);
	KERNEL_NAME(VFIO_IOMMU_GET_INFO);
	KERNEL_NAME(VFIO_IOMMU_MAP_DMA);
	KERNEL_NAME(VFIO_IOMMU_UNMAP_DMA);
	KERNEL_NAME(VFIO_GROUP_GET_STATUS);
	KERNEL_NAME(VFIO_GROUP_SET_CONTAINER);
	KERNEL_NAME(VFIO_GROUP_UNSET_CONTAINER);
	KERNEL_NAME(VFIO_GROUP_GET_DEVICE_FD);
	KERNEL_NAME(VFIO_DEVICE_GET_INFO);
	KERNEL_NAME(VFIO_DEVICE_GET_REGION_INFO);
	KERNEL_NAME(VFIO_DEVICE_GET_IRQ_INFO);
	KERNEL_NAME(VFIO_DEVICE_SET_IRQS);
	KERNEL_NAME(VFIO_DEVICE_RESET);
	KERNEL_NAME(VFIO_DEVICE_IOEVENTFD);
	KERNEL_NAME(VFIO_IOMMU_DIRTY_PAGES);
	/* Same numbers as GET_INFO, MAP_DMA, UNMAP_DMA, DIRTY_PAGES: the fd decides. */
	ATF_CHECK_STREQ(vfio_device_ioctl_name(VFIO_DEVICE_FEATURE),
			"VFIO_DEVICE_FEATURE");
	ATF_CHECK_STREQ(iommu_ioctl_name(VFIO_DEVICE_GET_PCI_HOT_RESET_INFO),
			"VFIO_IOMMU_GET_INFO");
	ATF_CHECK_STREQ(
		vfio_device_ioctl_name(VFIO_DEVICE_GET_PCI_HOT_RESET_INFO),
		"VFIO_DEVICE_GET_PCI_HOT_RESET_INFO");
	ATF_CHECK_STREQ(vfio_device_ioctl_name(VFIO_DEVICE_PCI_HOT_RESET),
			"VFIO_DEVICE_PCI_HOT_RESET");
	ATF_CHECK_STREQ(vfio_device_ioctl_name(VFIO_DEVICE_QUERY_GFX_PLANE),
			"VFIO_DEVICE_QUERY_GFX_PLANE");
	ATF_CHECK_STREQ(vfio_device_ioctl_name(VFIO_DEVICE_SET_IRQS),
			"VFIO_DEVICE_SET_IRQS");
	ATF_CHECK(iommu_ioctl_name(0) == NULL);
	ATF_CHECK(iommu_ioctl_name(_IO(';', 0x8a)) == NULL);
}

ATF_TC_WITHOUT_HEAD(ioctl_names_iommufd);
ATF_TC_BODY(ioctl_names_iommufd, tc)
{
#ifdef IOMMU_VFIO_IOAS
	KERNEL_NAME(IOMMU_DESTROY);
	KERNEL_NAME(IOMMU_IOAS_ALLOC);
	KERNEL_NAME(IOMMU_IOAS_ALLOW_IOVAS);
	KERNEL_NAME(IOMMU_IOAS_COPY);
	KERNEL_NAME(IOMMU_IOAS_IOVA_RANGES);
	KERNEL_NAME(IOMMU_IOAS_MAP);
	KERNEL_NAME(IOMMU_IOAS_UNMAP);
	KERNEL_NAME(IOMMU_OPTION);
	KERNEL_NAME(IOMMU_VFIO_IOAS);
#else
	atf_tc_skip(
		"these kernel headers have no IOMMU_VFIO_IOAS (Linux 6.2+); "
		"configure --with-kernel-uapi=DIR to compare the names");
#endif
}

ATF_TC_WITHOUT_HEAD(extension_names);
ATF_TC_BODY(extension_names, tc)
{
	uint32_t id;

	ATF_CHECK_STREQ(vfio_extension_name(IC_VFIO_TYPE1_IOMMU),
			"TYPE1_IOMMU");
	ATF_CHECK_STREQ(vfio_extension_name(IC_VFIO_TYPE1v2_IOMMU),
			"TYPE1v2_IOMMU");
	ATF_CHECK_STREQ(vfio_extension_name(IC_VFIO_UNMAP_ALL), "UNMAP_ALL");
	ATF_CHECK(vfio_extension_name(0) == NULL);
	ATF_CHECK(vfio_extension_name(IC_VFIO_EXTENSION_MAX + 1) == NULL);

	/* Every known id has a name that looks itself up again. */
	for (id = 1; id <= IC_VFIO_EXTENSION_MAX; id++) {
		const char *name = vfio_extension_name(id);

		ATF_REQUIRE_MSG(name, "extension %u has no name", id);
		ATF_CHECK_EQ_MSG(vfio_extension_lookup(name), (int)id, "%s",
				 name);
	}
	ATF_CHECK_EQ(vfio_extension_lookup("type1v2_iommu"),
		     IC_VFIO_TYPE1v2_IOMMU);
	ATF_CHECK_EQ(vfio_extension_lookup("TYPE1"), -ENOENT);
	ATF_CHECK_EQ(vfio_extension_lookup(""), -ENOENT);
}

ATF_TC_WITHOUT_HEAD(cap_names);
ATF_TC_BODY(cap_names, tc)
{
	ATF_CHECK_STREQ(
		vfio_info_cap_name(IC_VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE),
		"IOVA_RANGE");
	ATF_CHECK_STREQ(
		vfio_info_cap_name(IC_VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION),
		"MIGRATION");
	ATF_CHECK_STREQ(vfio_info_cap_name(IC_VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL),
			"DMA_AVAIL");
	ATF_CHECK(vfio_info_cap_name(0) == NULL);
	ATF_CHECK(vfio_info_cap_name(4) == NULL);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, errno_common);
	ATF_TP_ADD_TC(tp, errno_aliases);
	ATF_TP_ADD_TC(tp, errno_every_value);
	ATF_TP_ADD_TC(tp, errno_kernel_internal);
	ATF_TP_ADD_TC(tp, errno_unknown);
	ATF_TP_ADD_TC(tp, errno_str_words);
	ATF_TP_ADD_TC(tp, errno_lookup_round_trip);
	ATF_TP_ADD_TC(tp, errno_matches_glibc);
	ATF_TP_ADD_TC(tp, ioctl_names_vfio);
	ATF_TP_ADD_TC(tp, ioctl_names_iommufd);
	ATF_TP_ADD_TC(tp, extension_names);
	ATF_TP_ADD_TC(tp, cap_names);
	return atf_no_error();
}
