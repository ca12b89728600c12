/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Force-included when building the kernel's VFIO selftests
 * (tools/testing/selftests/vfio) from Debian's linux-source-7.2 (7.2.13):
 * lib/vfio_pci_device.c of that tree calls calloc_assert(), a helper that
 * no header of the tree defines (the change that uses it reached the 7.2
 * stable series without the one that adds it), so the library does not
 * compile. This supplies the helper with the meaning its callers rely on:
 * zeroed memory, and the test stops with the library's assertion message
 * when the allocation fails. Nothing else of the selftests is changed.
 */
#ifndef IOMMUCTL_VFIO_SELFTEST_COMPAT_H
#define IOMMUCTL_VFIO_SELFTEST_COMPAT_H

#include <stdlib.h>

#ifndef calloc_assert
/* VFIO_ASSERT_NOT_NULL comes from libvfio/assert.h, which every caller includes. */
#define calloc_assert(nmemb, size) ({				\
	void *__ictl_p = calloc((nmemb), (size));		\
	VFIO_ASSERT_NOT_NULL(__ictl_p);				\
	__ictl_p;						\
})
#endif

#endif
