/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_CAPS_H
#define IOMMUCTL_CAPS_H

#include <stdbool.h>

/*
 * A capability (CAP_* of linux/capability.h) of the calling thread's
 * effective set, by raw capget(2)/capset(2), so that the preloaded
 * recorder can use it too. 0 or -errno. Setting only moves the
 * capability in or out of the effective set: in needs it permitted.
 */
int iommu_cap_effective(int cap, bool *held);
int iommu_cap_set_effective(int cap, bool on);

#endif
