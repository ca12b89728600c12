/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Every difference between the kernels iommuctl_dmaprobe builds against, in
 * one place. Each shim names the release that changed the interface; the
 * oldest kernel supported is Linux 6.1, the first with mdev_register_parent().
 */
#ifndef DMAPROBE_COMPAT_H
#define DMAPROBE_COMPAT_H

#include <linux/version.h>
#include <linux/vfio.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "iommuctl_dmaprobe needs Linux 6.1 or later (mdev_register_parent)"
#endif

/*
 * Linux 6.6 added the device cdev (VFIO_DEVICE_DETACH_IOMMUFD_PT) and with
 * it the detach_ioas op.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
#define DMAPROBE_DETACH_IOAS_OP \
	.detach_ioas = vfio_iommufd_emulated_detach_ioas,
#else
#define DMAPROBE_DETACH_IOAS_OP
#endif

/*
 * Linux 6.2 added iommufd and the bind_iommufd, unbind_iommufd and
 * attach_ioas device ops; an emulated-IOMMU device takes the
 * vfio_iommufd_emulated_* helpers. Before 6.2 the ops do not exist and the
 * type1 container is the only backend.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define DMAPROBE_IOMMUFD_OPS                              \
	.bind_iommufd = vfio_iommufd_emulated_bind,       \
	.unbind_iommufd = vfio_iommufd_emulated_unbind,   \
	.attach_ioas = vfio_iommufd_emulated_attach_ioas, \
	DMAPROBE_DETACH_IOAS_OP
#else
#define DMAPROBE_IOMMUFD_OPS
#endif

#endif /* DMAPROBE_COMPAT_H */
