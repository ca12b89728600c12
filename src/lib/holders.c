// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "holders.h"
#include "miscdev.h"
#include "sysfs-read.h"

enum iommu_node_kind iommu_node_classify(const char *link)
{
	const char *p;

	if (!strcmp(link, "/dev/iommu"))
		return IOMMU_NODE_IOMMUFD;
	if (!strcmp(link, "/dev/vfio/vfio"))
		return IOMMU_NODE_CONTAINER;
	if (!strcmp(link, "anon_inode:[vfio-device]"))
		return IOMMU_NODE_GROUP_DEVICE;
	if (!strncmp(link, "/dev/vfio/devices/vfio", 22) &&
	    sysfs_all_digits(link + 22))
		return IOMMU_NODE_DEVICE;
	if (strncmp(link, "/dev/vfio/", 10))
		return IOMMU_NODE_NONE;
	p = link + 10;
	if (!strncmp(p, "noiommu-", 8))
		p += 8;
	return sysfs_all_digits(p) ? IOMMU_NODE_GROUP : IOMMU_NODE_NONE;
}

const char *iommu_node_kind_name(enum iommu_node_kind kind)
{
	switch (kind) {
	case IOMMU_NODE_IOMMUFD:
		return "iommufd";
	case IOMMU_NODE_CONTAINER:
		return "vfio-container";
	case IOMMU_NODE_GROUP:
		return "vfio-group";
	case IOMMU_NODE_DEVICE:
		return "vfio-device";
	case IOMMU_NODE_GROUP_DEVICE:
		return "vfio-group-device";
	case IOMMU_NODE_NONE:
		break;
	}
	return "none";
}

static int by_fd(const void *a, const void *b)
{
	const struct iommu_holder_fd *x = a, *y = b;

	return (x->fd > y->fd) - (x->fd < y->fd);
}

/*
 * The fds of one process worth reporting; an empty holder when none.
 * Names classify; the device number corrects them where a node was
 * bound or linked over another (/dev/vfio/vfio serving /dev/iommu).
 */
static int read_holder(const char *procdir, dev_t iommu, struct iommu_holder *h)
{
	char dir[PATH_MAX], path[PATH_MAX + 32], target[PATH_MAX];
	struct dirent *d;
	DIR *fds;
	int rc = 0;

	sysfs_join(dir, sizeof(dir), procdir, "fd");
	fds = opendir(dir);
	if (!fds)
		return -errno;
	while ((d = readdir(fds))) {
		struct iommu_holder_fd *f;
		enum iommu_node_kind kind;
		struct stat st;
		ssize_t n;

		if (!sysfs_all_digits(d->d_name))
			continue;
		sysfs_join(path, sizeof(path), dir, d->d_name);
		n = readlink(path, target, sizeof(target) - 1);
		if (n < 0)
			continue; /* closed since readdir */
		target[n] = '\0';
		kind = iommu_node_classify(target);
		if (kind == IOMMU_NODE_CONTAINER && iommu && !stat(path, &st) &&
		    S_ISCHR(st.st_mode) && st.st_rdev == iommu)
			kind = IOMMU_NODE_IOMMUFD;
		if (kind == IOMMU_NODE_NONE)
			continue;
		f = sysfs_grow(&h->fds, &h->nr_fds, sizeof(*f));
		if (!f) {
			rc = -ENOMEM;
			break;
		}
		f->fd = atoi(d->d_name);
		f->kind = kind;
		f->path = strdup(target);
		if (!f->path) {
			rc = -ENOMEM;
			break;
		}
	}
	closedir(fds);
	if (rc)
		return rc;
	if (h->nr_fds)
		qsort(h->fds, h->nr_fds, sizeof(*h->fds), by_fd);
	sysfs_join(path, sizeof(path), procdir, "comm");
	rc = sysfs_read_attr(path, &h->comm);
	return rc == -ENOMEM ? rc : 0;
}

static void release_holder(struct iommu_holder *h)
{
	unsigned int i;

	for (i = 0; i < h->nr_fds; i++)
		free(h->fds[i].path);
	free(h->fds);
	free(h->comm);
	memset(h, 0, sizeof(*h));
}

static int add_pid(const char *root, int pid, dev_t iommu,
		   struct iommu_holders *h, bool scan)
{
	struct iommu_holder one = { .pid = pid }, *slot;
	char dir[PATH_MAX];
	int rc;

	rc = sysfs_path(dir, sizeof(dir), root, "/proc/%d", pid);
	if (rc)
		return rc;
	rc = read_holder(dir, iommu, &one);
	if (rc == -EACCES || rc == -EPERM) {
		int *u;

		release_holder(&one);
		if (!scan)
			return rc;
		u = sysfs_grow(&h->unreadable, &h->nr_unreadable, sizeof(*u));
		if (!u)
			return -ENOMEM;
		*u = pid;
		return 0;
	}
	if (rc == -ENOENT && scan)
		return 0; /* exited while we looked */
	if (rc == -ENOENT)
		rc = -ESRCH;
	if (rc || (scan && !one.nr_fds)) {
		release_holder(&one);
		return rc;
	}
	slot = sysfs_grow(&h->procs, &h->nr, sizeof(*slot));
	if (!slot) {
		release_holder(&one);
		return -ENOMEM;
	}
	*slot = one;
	return 0;
}

int iommu_holders_read(const char *root, int pid, struct iommu_holders *h)
{
	struct dirent **ents;
	unsigned int maj, min;
	char dir[PATH_MAX];
	dev_t iommu = 0;
	int n, i, rc;

	memset(h, 0, sizeof(*h));
	if (!iommu_misc_devt(root, "iommu", &maj, &min))
		iommu = makedev(maj, min);
	if (pid > 0) {
		rc = add_pid(root, pid, iommu, h, false);
		goto out;
	}
	rc = sysfs_path(dir, sizeof(dir), root, "/proc");
	if (rc)
		return rc;
	n = sysfs_list_numbered(dir, &ents);
	if (n < 0)
		return n;
	for (i = 0; i < n && !rc; i++) {
		if (sysfs_all_digits(ents[i]->d_name))
			rc = add_pid(root, atoi(ents[i]->d_name), iommu, h,
				     true);
	}
	sysfs_free_dir(ents, n);
out:
	if (rc)
		iommu_holders_release(h);
	return rc;
}

void iommu_holders_release(struct iommu_holders *h)
{
	unsigned int i;

	for (i = 0; i < h->nr; i++)
		release_holder(&h->procs[i]);
	free(h->procs);
	free(h->unreadable);
	memset(h, 0, sizeof(*h));
}
