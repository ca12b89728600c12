// SPDX-License-Identifier: GPL-2.0-or-later
/* Effective capabilities by raw system calls (caps.h). */
#include <errno.h>
#include <linux/capability.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "caps.h"

struct caps {
	struct __user_cap_header_struct h;
	struct __user_cap_data_struct c[_LINUX_CAPABILITY_U32S_3];
};

static int caps_get(struct caps *k)
{
	k->h.version = _LINUX_CAPABILITY_VERSION_3;
	k->h.pid = 0;
	return syscall(SYS_capget, &k->h, k->c) ? -errno : 0;
}

int iommu_cap_effective(int cap, bool *held)
{
	struct caps k;
	int rc;

	if (cap < 0 || cap >= 32 * _LINUX_CAPABILITY_U32S_3)
		return -EINVAL;
	rc = caps_get(&k);
	if (!rc)
		*held = k.c[cap / 32].effective & (1U << (cap % 32));
	return rc;
}

int iommu_cap_set_effective(int cap, bool on)
{
	struct caps k;
	uint32_t bit;
	int rc;

	if (cap < 0 || cap >= 32 * _LINUX_CAPABILITY_U32S_3)
		return -EINVAL;
	rc = caps_get(&k);
	if (rc)
		return rc;
	bit = 1U << (cap % 32);
	if (on)
		k.c[cap / 32].effective |= bit;
	else
		k.c[cap / 32].effective &= ~bit;
	return syscall(SYS_capset, &k.h, k.c) ? -errno : 0;
}
