// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "group.h"
#include "sysfs-read.h"

bool iommu_driver_is_vfio(const char *driver)
{
	/* vfio-pci and its variants (mlx5_vfio_pci, ...), vfio-platform. */
	return driver && strstr(driver, "vfio");
}

bool iommu_driver_allows_vfio(const char *driver)
{
	/*
	 * The drivers the kernel lets share a group with a VFIO user: they
	 * set driver_managed_dma and do no DMA of their own.
	 */
	return !driver || iommu_driver_is_vfio(driver) ||
	       !strcmp(driver, "pci-stub") || !strcmp(driver, "pcieport");
}

static int read_hex16(const char *path, uint16_t *v)
{
	unsigned long n;
	char *s, *end;
	int rc;

	rc = sysfs_read_attr(path, &s);
	if (rc)
		return rc;
	errno = 0;
	n = strtoul(s, &end, 16);
	rc = errno || end == s || *end || n > 0xffff ? -EINVAL : 0;
	free(s);
	if (!rc)
		*v = n;
	return rc;
}

static int read_dev(const char *root, const char *dir, const char *name,
		    struct iommu_dev_info *d)
{
	char path[PATH_MAX];
	struct dirent **ents;
	unsigned int n;
	int rc;

	d->name = strdup(name);
	if (!d->name)
		return -ENOMEM;
	sysfs_join(path, sizeof(path), dir, "subsystem");
	rc = sysfs_read_link_base(path, &d->bus);
	if (rc == -ENOMEM)
		return rc;
	sysfs_join(path, sizeof(path), dir, "driver");
	rc = sysfs_read_link_base(path, &d->driver);
	if (rc == -ENOMEM)
		return rc;

	sysfs_join(path, sizeof(path), dir, "vendor");
	if (!read_hex16(path, &d->vendor)) {
		sysfs_join(path, sizeof(path), dir, "device");
		d->has_ids = !read_hex16(path, &d->device);
	}

	sysfs_join(path, sizeof(path), dir, "vfio-dev");
	rc = sysfs_list_dir(path, &ents, &n);
	if (rc)
		return rc == -EACCES ? 0 : rc;
	if (n) {
		char node[PATH_MAX];

		/* sysfs has it whenever the kernel does; the node may lack. */
		sysfs_join(path, sizeof(path), "/dev/vfio/devices",
			   ents[0]->d_name);
		rc = sysfs_path(node, sizeof(node), root, "%s", path);
		if (!rc && sysfs_exists(node)) {
			d->cdev = strdup(path);
			rc = d->cdev ? 0 : -ENOMEM;
		}
	}
	sysfs_free_dir(ents, n);
	return rc;
}

static void release_dev(struct iommu_dev_info *d)
{
	free(d->name);
	free(d->bus);
	free(d->driver);
	free(d->cdev);
}

static int read_group(const char *root, const char *dir, unsigned int id,
		      struct iommu_group_info *g)
{
	char path[PATH_MAX], node[64];
	struct dirent **ents;
	unsigned int n, i;
	int rc;

	g->id = id;
	g->viable = true;
	sysfs_join(path, sizeof(path), dir, "type");
	rc = sysfs_read_attr(path, &g->type);
	if (rc == -ENOMEM)
		return rc;

	snprintf(node, sizeof(node), "/dev/vfio/%u", id);
	rc = sysfs_path(path, sizeof(path), root, "%s", node);
	if (!rc && !sysfs_exists(path)) {
		snprintf(node, sizeof(node), "/dev/vfio/noiommu-%u", id);
		rc = sysfs_path(path, sizeof(path), root, "%s", node);
		if (!rc && !sysfs_exists(path))
			node[0] = '\0';
	}
	if (rc)
		return rc;
	if (node[0]) {
		g->node = strdup(node);
		if (!g->node)
			return -ENOMEM;
	}

	sysfs_join(path, sizeof(path), dir, "devices");
	rc = sysfs_list_dir(path, &ents, &n);
	if (rc)
		return rc;
	g->devs = calloc(n ? n : 1, sizeof(*g->devs));
	if (!g->devs) {
		rc = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		struct iommu_dev_info *d = &g->devs[g->nr_devs++];
		char ddir[PATH_MAX];

		sysfs_join(ddir, sizeof(ddir), path, ents[i]->d_name);
		rc = read_dev(root, ddir, ents[i]->d_name, d);
		if (rc)
			goto out;
		/* An mdev's driver is the VFIO driver of its parent. */
		if ((!d->bus || strcmp(d->bus, "mdev")) &&
		    !iommu_driver_allows_vfio(d->driver))
			g->viable = false;
	}
out:
	sysfs_free_dir(ents, n);
	return rc;
}

int iommu_groups_read(const char *root, struct iommu_group_info **groups,
		      unsigned int *nr)
{
	char dir[PATH_MAX], gdir[PATH_MAX];
	struct dirent **ents;
	int n, i, rc;

	*groups = NULL;
	*nr = 0;
	rc = sysfs_path(dir, sizeof(dir), root, "/sys/kernel/iommu_groups");
	if (rc)
		return rc;
	n = sysfs_list_numbered(dir, &ents);
	if (n < 0)
		return n == -ENOENT ? 0 : n;
	*groups = calloc(n ? n : 1, sizeof(**groups));
	if (!*groups) {
		rc = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		sysfs_join(gdir, sizeof(gdir), dir, ents[i]->d_name);
		(*nr)++;
		rc = read_group(root, gdir, strtoul(ents[i]->d_name, NULL, 10),
				&(*groups)[i]);
		if (rc)
			break;
	}
out:
	sysfs_free_dir(ents, n);
	if (rc) {
		iommu_groups_release(*groups, *nr);
		*groups = NULL;
		*nr = 0;
	}
	return rc;
}

void iommu_groups_release(struct iommu_group_info *groups, unsigned int nr)
{
	unsigned int i, j;

	for (i = 0; i < nr; i++) {
		for (j = 0; j < groups[i].nr_devs; j++)
			release_dev(&groups[i].devs[j]);
		free(groups[i].devs);
		free(groups[i].type);
		free(groups[i].node);
	}
	free(groups);
}

static bool str_is(const char *s, const char *want)
{
	return s && !strcmp(s, want);
}

const struct iommu_group_info *
iommu_groups_find(const struct iommu_group_info *groups, unsigned int nr,
		  unsigned int id, const struct iommu_dev_info **dev)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		if (groups[i].id != id)
			continue;
		if (dev)
			*dev = groups[i].nr_devs ? &groups[i].devs[0] : NULL;
		return &groups[i];
	}
	return NULL;
}

const struct iommu_group_info *
iommu_groups_find_device(const struct iommu_group_info *groups,
			 unsigned int nr, const char *bus, const char *name,
			 const struct iommu_dev_info **dev)
{
	unsigned int i, j;

	for (i = 0; i < nr; i++)
		for (j = 0; j < groups[i].nr_devs; j++) {
			const struct iommu_dev_info *d = &groups[i].devs[j];

			if (!str_is(d->bus, bus) || strcmp(d->name, name))
				continue;
			if (dev)
				*dev = d;
			return &groups[i];
		}
	return NULL;
}

const struct iommu_group_info *
iommu_groups_first_bound(const struct iommu_group_info *groups,
			 unsigned int nr, const char *bus, const char *driver,
			 const struct iommu_dev_info **dev)
{
	const struct iommu_group_info *found = NULL;
	const struct iommu_dev_info *best = NULL;
	unsigned int i, j;

	for (i = 0; i < nr; i++)
		for (j = 0; j < groups[i].nr_devs; j++) {
			const struct iommu_dev_info *d = &groups[i].devs[j];

			if (!str_is(d->bus, bus) || !str_is(d->driver, driver))
				continue;
			/* Group order is not name order: the name decides. */
			if (best && strcmp(d->name, best->name) >= 0)
				continue;
			best = d;
			found = &groups[i];
		}
	if (dev)
		*dev = best;
	return found;
}

const struct iommu_dev_info *
iommu_group_first_vfio_dev(const struct iommu_group_info *g)
{
	unsigned int i;

	for (i = 0; i < g->nr_devs; i++) {
		const struct iommu_dev_info *d = &g->devs[i];

		/* An mdev's driver is the VFIO driver of its parent. */
		if (str_is(d->bus, "mdev") ? d->driver != NULL :
					     iommu_driver_is_vfio(d->driver))
			return d;
	}
	return NULL;
}
