// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "module.h"
#include "sysfs-read.h"

const char *iommu_module_state_name(enum iommu_module_state state)
{
	switch (state) {
	case IOMMU_MODULE_NOT_LOADED:
		return "not-loaded";
	case IOMMU_MODULE_LIVE:
		return "live";
	case IOMMU_MODULE_COMING:
		return "coming";
	case IOMMU_MODULE_GOING:
		return "going";
	case IOMMU_MODULE_BUILTIN:
		break;
	}
	return "builtin";
}

static int read_params(const char *dir, struct iommu_module_info *m)
{
	char path[PATH_MAX];
	struct dirent **ents;
	unsigned int n, i;
	int rc;

	rc = sysfs_list_dir(dir, &ents, &n);
	if (rc)
		return rc;
	for (i = 0; i < n; i++) {
		struct iommu_param *p;

		p = sysfs_grow(&m->params, &m->nr_params, sizeof(*p));
		if (!p) {
			rc = -ENOMEM;
			break;
		}
		p->name = strdup(ents[i]->d_name);
		if (!p->name) {
			rc = -ENOMEM;
			break;
		}
		sysfs_join(path, sizeof(path), dir, ents[i]->d_name);
		rc = sysfs_read_attr(path, &p->value);
		/* Root-only parameters (mode 0400) stay unknown. */
		if (rc == -EACCES || rc == -EPERM)
			rc = 0;
		if (rc)
			break;
	}
	sysfs_free_dir(ents, n);
	return rc;
}

int iommu_module_read(const char *root, const char *name,
		      struct iommu_module_info *m)
{
	char dir[PATH_MAX], path[PATH_MAX], *s;
	int rc;

	memset(m, 0, sizeof(*m));
	m->refcnt = -1;
	rc = sysfs_path(dir, sizeof(dir), root, "/sys/module/%s", name);
	if (rc)
		return rc;
	if (!sysfs_exists(dir))
		return 0;

	sysfs_join(path, sizeof(path), dir, "initstate");
	rc = sysfs_read_attr(path, &s);
	if (rc == -ENOENT) {
		/* Built-in code has a /sys/module entry only for its params. */
		m->state = IOMMU_MODULE_BUILTIN;
	} else if (rc) {
		goto err;
	} else {
		if (!strcmp(s, "live"))
			m->state = IOMMU_MODULE_LIVE;
		else if (!strcmp(s, "coming"))
			m->state = IOMMU_MODULE_COMING;
		else
			m->state = IOMMU_MODULE_GOING;
		free(s);
	}

	sysfs_join(path, sizeof(path), dir, "refcnt");
	if (!sysfs_read_attr(path, &s)) {
		m->refcnt = atoi(s);
		free(s);
	}
	sysfs_join(path, sizeof(path), dir, "taint");
	rc = sysfs_read_attr(path, &m->taint);
	if (rc && rc != -ENOENT)
		goto err;

	sysfs_join(path, sizeof(path), dir, "parameters");
	rc = read_params(path, m);
	if (rc)
		goto err;
	sysfs_join(path, sizeof(path), dir, "holders");
	rc = sysfs_read_names(path, &m->holders, &m->nr_holders);
	if (rc)
		goto err;
	return 0;

err:
	iommu_module_release(m);
	return rc;
}

void iommu_module_release(struct iommu_module_info *m)
{
	unsigned int i;

	for (i = 0; i < m->nr_params; i++) {
		free(m->params[i].name);
		free(m->params[i].value);
	}
	free(m->params);
	free(m->taint);
	sysfs_free_names(m->holders, m->nr_holders);
	memset(m, 0, sizeof(*m));
	m->refcnt = -1;
}

static int param_path(char *buf, size_t len, const char *root,
		      const char *module, const char *param)
{
	return sysfs_path(buf, len, root, "/sys/module/%s/parameters/%s",
			  module, param);
}

int iommu_module_param_get(const char *root, const char *module,
			   const char *param, char **value)
{
	char path[PATH_MAX];
	int rc;

	rc = param_path(path, sizeof(path), root, module, param);
	return rc ? rc : sysfs_read_attr(path, value);
}

int iommu_module_param_set(const char *root, const char *module,
			   const char *param, const char *value)
{
	size_t len = strlen(value);
	char path[PATH_MAX];
	ssize_t n;
	int fd, rc;

	rc = param_path(path, sizeof(path), root, module, param);
	if (rc)
		return rc;
	/* O_TRUNC as a shell's > opens it: sysfs takes it, a file needs it. */
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* The kernel parses the whole value from one write. */
	n = write(fd, value, len);
	rc = n < 0 ? -errno : (size_t)n != len ? -EIO : 0;
	if (close(fd) && !rc)
		rc = -errno;
	return rc;
}
