/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_SYSINFO_H
#define IOMMUCTL_SYSINFO_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Readers of the sysfs and procfs facts that `iommuctl status` and
 * `--pid` report. Every reader takes root, prefixed to each path ("" or
 * NULL for the running system), so the unit tests run them on fixture
 * trees. They return 0 or -errno; what could not be read for lack of
 * permission is part of the result, not an error, because status must
 * work without root and say what it missed.
 */

/* A module as /sys/module shows it: loaded, built in, or neither. */
enum iommu_module_state {
	IOMMU_MODULE_NOT_LOADED, /* no /sys/module/NAME */
	IOMMU_MODULE_LIVE,
	IOMMU_MODULE_COMING,
	IOMMU_MODULE_GOING,
	IOMMU_MODULE_BUILTIN, /* directory without initstate */
};

struct iommu_param {
	char *name;
	char *value; /* NULL when the file is not readable by us */
};

struct iommu_module_info {
	enum iommu_module_state state;
	int refcnt; /* -1 when unknown (built in, not loaded) */
	char *taint; /* "OE"; NULL when unknown */
	struct iommu_param *params;
	unsigned int nr_params;
	char **holders;
	unsigned int nr_holders;
};

/* name as sysfs spells it: underscores ("vfio_pci"). */
int iommu_module_read(const char *root, const char *name,
		      struct iommu_module_info *m);
void iommu_module_release(struct iommu_module_info *m);
const char *iommu_module_state_name(enum iommu_module_state state);

struct iommu_dev_info {
	char *name; /* "0000:00:02.0", an mdev UUID */
	char *bus; /* "pci", "mdev"; NULL when unknown */
	bool has_ids;
	uint16_t vendor;
	uint16_t device;
	char *driver; /* NULL when unbound */
	char *cdev; /* "/dev/vfio/devices/vfio0"; NULL without the node */
};

struct iommu_group_info {
	unsigned int id;
	char *type; /* "DMA", "identity", ...; NULL when unknown */
	char *node; /* "/dev/vfio/5"; NULL when there is none */
	bool viable;
	struct iommu_dev_info *devs;
	unsigned int nr_devs;
};

/*
 * The IOMMU groups of /sys/kernel/iommu_groups, sorted by number. A
 * group is viable for VFIO, by the kernel's rule, when each of its
 * devices is unbound or bound to a driver that leaves DMA to its owner:
 * a VFIO driver, pci-stub or pcieport; an mdev is a VFIO device itself.
 */
int iommu_groups_read(const char *root, struct iommu_group_info **groups,
		      unsigned int *nr);
void iommu_groups_release(struct iommu_group_info *groups, unsigned int nr);
bool iommu_driver_allows_vfio(const char *driver);

struct iommu_mdev_type {
	char *id; /* directory name: "mtty-2" */
	char *name; /* its name attribute; NULL when absent */
	char *device_api;
	int available; /* available_instances; -1 when unknown */
	char **devices; /* UUIDs of the mdevs of this type */
	unsigned int nr_devices;
};

struct iommu_mdev_parent {
	char *name;
	struct iommu_mdev_type *types;
	unsigned int nr_types;
};

/* The parents of /sys/class/mdev_bus and their types, sorted. */
int iommu_mdev_parents_read(const char *root, struct iommu_mdev_parent **p,
			    unsigned int *nr);
void iommu_mdev_parents_release(struct iommu_mdev_parent *p, unsigned int nr);

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
 * Processes that hold iommufd or VFIO files open, from ROOT/proc/PID/fd
 * (a file named /dev/vfio/vfio that is the iommu misc device counts as
 * iommufd);
 * pid 0 scans every process, another pid only that one (-ESRCH when it
 * does not exist, -EACCES when its fd table is not ours to read).
 */
int iommu_holders_read(const char *root, int pid, struct iommu_holders *h);
void iommu_holders_release(struct iommu_holders *h);

enum iommu_config_state {
	IOMMU_CONFIG_UNKNOWN, /* no readable kernel config */
	IOMMU_CONFIG_NO,
	IOMMU_CONFIG_YES,
	IOMMU_CONFIG_MODULE,
};

/*
 * CONFIG_<symbol> of the kernel release (NULL: the running one), from
 * ROOT/proc/config.gz, then ROOT/boot/config-RELEASE.
 */
enum iommu_config_state iommu_config_read(const char *root, const char *release,
					  const char *symbol);

/* The "MAJOR:MINOR" of misc device name (ROOT/sys/class/misc/NAME/dev). */
int iommu_misc_devt(const char *root, const char *name, unsigned int *major,
		    unsigned int *minor);

#endif
