/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_PROC_MEM_H
#define IOMMUCTL_PROC_MEM_H

#include <stdint.h>

/*
 * The two memory counters of ROOT/proc/PID/status (pid 0: the calling
 * process) that pinning for DMA charges, in bytes: VmLck is the mm's
 * locked_vm (mlock(2), and VFIO type1's pins), VmPin its pinned_vm
 * (iommufd's pins, in either of its accounting modes). 0, or -errno:
 * -ENOENT without the process, -ENODATA when a line is missing.
 */
struct iommu_proc_mem {
	uint64_t locked;
	uint64_t pinned;
};

int iommu_proc_mem_read(const char *root, int pid, struct iommu_proc_mem *m);

#endif
