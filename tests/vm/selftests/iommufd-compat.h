/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Force-included when building the kernel's own iommufd selftests from
 * Debian's linux-source-6.12 (6.12.117): that tree carries selftests from a
 * later release, which name uAPI and mock-driver definitions the 6.12 kernel
 * does not have. These definitions let them compile; the tests that use the
 * missing features then fail against the 6.12 kernel, and the VM tier
 * reports them as kernel-selftest failures rather than hiding them.
 */
#ifndef IOMMUCTL_SELFTEST_COMPAT_H
#define IOMMUCTL_SELFTEST_COMPAT_H

#include <linux/iommufd.h>

#ifndef IOMMU_HW_INFO_FLAG_INPUT_TYPE
/* Linux 6.17 turned out_data_type into a union with an input type. */
#define in_data_type out_data_type
#define IOMMU_HW_INFO_TYPE_DEFAULT 0
#define IOMMU_HW_INFO_FLAG_INPUT_TYPE (1 << 0)
#endif

/* Mock-device PASID support of the iommufd test driver (Linux 6.15). */
#ifndef MOCK_PASID_WIDTH
#define MOCK_FLAGS_DEVICE_PASID (1 << 2)
#define MOCK_PASID_WIDTH 20
#endif

#endif
