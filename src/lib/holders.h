/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_HOLDERS_H
#define IOMMUCTL_HOLDERS_H

/*
 * The processes that hold iommufd or VFIO files open, as `iommuctl
 * status` and --pid report them, from ROOT/proc (root "" or NULL for
 * the running system). 0 or -errno.
 */

/* What an open file is, by the name /proc/PID/fd/N links to. */
enum iommu_node_kind {
	IOMMU_NODE_NONE,
	IOMMU_NODE_IOMMUFD, /* /dev/iommu */
	IOMMU_NODE_CONTAINER, /* /dev/vfio/vfio */
	IOMMU_NODE_GROUP, /* /dev/vfio/N, /dev/vfio/noiommu-N */
	IOMMU_NODE_DEVICE, /* /dev/vfio/devices/vfioN */
	IOMMU_NODE_GROUP_DEVICE, /* anon_inode:[vfio-device] */
};

enum iommu_node_kind iommu_node_classify(const char *link);
const char *iommu_node_kind_name(enum iommu_node_kind kind);

struct iommu_holder_fd {
	int fd;
	enum iommu_node_kind kind;
	char *path;
};

struct iommu_holder {
	int pid;
	char *comm; /* NULL when unreadable */
	struct iommu_holder_fd *fds;
	unsigned int nr_fds;
};

struct iommu_holders {
	struct iommu_holder *procs; /* sorted by pid */
	unsigned int nr;
	int *unreadable; /* pids whose fd table we may not read */
	unsigned int nr_unreadable;
};

/*
 * From ROOT/proc/PID/fd (a file named /dev/vfio/vfio that is the iommu
 * misc device counts as iommufd); pid 0 scans every process, another
 * pid only that one (-ESRCH when it does not exist, -EACCES when its fd
 * table is not ours to read).
 */
int iommu_holders_read(const char *root, int pid, struct iommu_holders *h);
void iommu_holders_release(struct iommu_holders *h);

#endif
