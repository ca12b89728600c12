// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <limits.h>
#include <stdio.h>

#include "miscdev.h"
#include "sysfs-read.h"

int iommu_misc_devt(const char *root, const char *name, unsigned int *major,
		    unsigned int *minor)
{
	char path[PATH_MAX];
	int rc, n;
	FILE *f;

	rc = sysfs_path(path, sizeof(path), root, "/sys/class/misc/%s/dev",
			name);
	if (rc)
		return rc;
	f = fopen(path, "re");
	if (!f)
		return -errno;
	n = fscanf(f, "%u:%u", major, minor);
	fclose(f);
	return n == 2 ? 0 : -EINVAL;
}
