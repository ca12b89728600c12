/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_NAMES_H
#define IOMMUCTL_NAMES_H

#include <stdint.h>

/*
 * Symbolic name of an errno value ("EINVAL"), or NULL when the value has
 * none. Takes the positive value; kernel-internal codes that can leak to
 * userspace (ENOTSUPP, ENOIOCTLCMD, ...) are named too.
 */
const char *errno_name(int err);

/*
 * A result as reports print it: "0" for 0, the errno's name, or "E?"
 * for a value without one (which a trace reader then rejects, rather
 * than read a number as some other error).
 */
const char *errno_str(int err);

/* The errno value a name from errno_name() stands for, or -ENOENT. */
int errno_lookup(const char *name);

/* Name of an ioctl request we carry ("IOMMU_IOAS_MAP"), or NULL. */
const char *iommu_ioctl_name(unsigned long request);
/* The same for a request made on a VFIO device fd. */
const char *vfio_device_ioctl_name(unsigned long request);

/* Name of a VFIO extension id ("TYPE1v2_IOMMU", without VFIO_), or NULL. */
const char *vfio_extension_name(uint32_t id);

/* Extension id for a name as vfio_extension_name() gives it, or -ENOENT. */
int vfio_extension_lookup(const char *name);

/* Name of a VFIO_IOMMU_GET_INFO capability id ("IOVA_RANGE"), or NULL. */
const char *vfio_info_cap_name(uint16_t id);

#endif
