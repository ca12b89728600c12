// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "mdev.h"
#include "sysfs-read.h"

static int read_mdev_type(const char *dir, const char *id,
			  struct iommu_mdev_type *t)
{
	char path[PATH_MAX], *s;
	int rc;

	t->available = -1;
	t->id = strdup(id);
	if (!t->id)
		return -ENOMEM;
	sysfs_join(path, sizeof(path), dir, "name");
	rc = sysfs_read_attr(path, &t->name);
	if (rc == -ENOMEM)
		return rc;
	sysfs_join(path, sizeof(path), dir, "device_api");
	rc = sysfs_read_attr(path, &t->device_api);
	if (rc == -ENOMEM)
		return rc;
	sysfs_join(path, sizeof(path), dir, "available_instances");
	if (!sysfs_read_attr(path, &s)) {
		t->available = atoi(s);
		free(s);
	}
	sysfs_join(path, sizeof(path), dir, "devices");
	return sysfs_read_names(path, &t->devices, &t->nr_devices);
}

static void release_mdev_parent(struct iommu_mdev_parent *p)
{
	unsigned int i;

	for (i = 0; i < p->nr_types; i++) {
		free(p->types[i].id);
		free(p->types[i].name);
		free(p->types[i].device_api);
		sysfs_free_names(p->types[i].devices, p->types[i].nr_devices);
	}
	free(p->types);
	free(p->name);
}

int iommu_mdev_parents_read(const char *root, struct iommu_mdev_parent **p,
			    unsigned int *nr)
{
	char dir[PATH_MAX], pdir[PATH_MAX], tdir[PATH_MAX];
	struct dirent **ents, **tents;
	unsigned int n, nt, i, j;
	int rc;

	*p = NULL;
	*nr = 0;
	rc = sysfs_path(dir, sizeof(dir), root, "/sys/class/mdev_bus");
	if (rc)
		return rc;
	rc = sysfs_list_dir(dir, &ents, &n);
	if (rc || !n)
		return rc;
	*p = calloc(n, sizeof(**p));
	if (!*p) {
		rc = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n && !rc; i++) {
		struct iommu_mdev_parent *parent = &(*p)[(*nr)++];

		parent->name = strdup(ents[i]->d_name);
		if (!parent->name) {
			rc = -ENOMEM;
			break;
		}
		sysfs_join(pdir, sizeof(pdir), dir, ents[i]->d_name);
		sysfs_join(tdir, sizeof(tdir), pdir, "mdev_supported_types");
		rc = sysfs_list_dir(tdir, &tents, &nt);
		if (rc)
			break;
		parent->types = calloc(nt ? nt : 1, sizeof(*parent->types));
		if (!parent->types)
			rc = -ENOMEM;
		for (j = 0; j < nt && !rc; j++) {
			char path[PATH_MAX];

			sysfs_join(path, sizeof(path), tdir, tents[j]->d_name);
			rc = read_mdev_type(path, tents[j]->d_name,
					    &parent->types[parent->nr_types++]);
		}
		sysfs_free_dir(tents, nt);
	}
out:
	sysfs_free_dir(ents, n);
	if (rc) {
		iommu_mdev_parents_release(*p, *nr);
		*p = NULL;
		*nr = 0;
	}
	return rc;
}

void iommu_mdev_parents_release(struct iommu_mdev_parent *p, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		release_mdev_parent(&p[i]);
	free(p);
}
