// SPDX-License-Identifier: GPL-2.0-or-later
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <zlib.h>

#include "sysinfo.h"

__attribute__((format(printf, 4, 5))) static int
path_of(char *buf, size_t len, const char *root, const char *fmt, ...)
{
	va_list ap;
	size_t n;
	int m;

	n = snprintf(buf, len, "%s", root ? root : "");
	if (n >= len)
		return -ENAMETOOLONG;
	va_start(ap, fmt);
	m = vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
	return m < 0 || (size_t)m >= len - n ? -ENAMETOOLONG : 0;
}

/*
 * dir/name into buf. A path that does not fit becomes "", which names
 * nothing, so the caller sees the attribute as absent rather than read
 * some other file through a cut path.
 */
static void join(char *buf, size_t len, const char *dir, const char *name)
{
	int n = snprintf(buf, len, "%s/%s", dir, name);

	if (n < 0 || (size_t)n >= len)
		buf[0] = '\0';
}

/* The first line of a sysfs attribute, without its newline. */
static int read_attr(const char *path, char **out)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;

	*out = NULL;
	f = fopen(path, "re");
	if (!f)
		return -errno;
	n = getline(&line, &cap, f);
	if (n < 0) {
		/* An empty attribute is a value: the empty string. */
		free(line);
		fclose(f);
		*out = strdup("");
		return *out ? 0 : -ENOMEM;
	}
	fclose(f);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	*out = line;
	return 0;
}

/* The last component of where a symlink points. */
static int read_link_base(const char *path, char **out)
{
	char target[PATH_MAX], *slash;
	ssize_t n;

	*out = NULL;
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	slash = strrchr(target, '/');
	*out = strdup(slash ? slash + 1 : target);
	return *out ? 0 : -ENOMEM;
}

static int no_dots(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

/* Sorted entries of a directory; *nr = 0 and 0 when it does not exist. */
static int list_dir(const char *path, struct dirent ***ents, unsigned int *nr)
{
	int n;

	*ents = NULL;
	*nr = 0;
	n = scandir(path, ents, no_dots, alphasort);
	if (n < 0)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
	*nr = n;
	return 0;
}

static void free_dir(struct dirent **ents, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		free(ents[i]);
	free(ents);
}

static bool exists(const char *path)
{
	struct stat st;

	return !stat(path, &st);
}

/* Grow *array (of size elem) by one zeroed element; NULL on ENOMEM. */
static void *grow(void *array_p, unsigned int *nr, size_t elem)
{
	void **array = array_p;
	char *p;

	p = realloc(*array, (*nr + 1) * elem);
	if (!p)
		return NULL;
	*array = p;
	memset(p + *nr * elem, 0, elem);
	return p + (*nr)++ * elem;
}

static void free_strv(char **v, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		free(v[i]);
	free(v);
}

static int read_strv(const char *path, char ***v, unsigned int *nr)
{
	struct dirent **ents;
	unsigned int n, i;
	int rc;

	*v = NULL;
	*nr = 0;
	rc = list_dir(path, &ents, &n);
	if (rc || !n)
		return rc;
	*v = calloc(n, sizeof(**v));
	if (!*v) {
		rc = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		(*v)[i] = strdup(ents[i]->d_name);
		if (!(*v)[i]) {
			free_strv(*v, i);
			*v = NULL;
			rc = -ENOMEM;
			goto out;
		}
	}
	*nr = n;
out:
	free_dir(ents, n);
	return rc;
}

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

	rc = list_dir(dir, &ents, &n);
	if (rc)
		return rc;
	for (i = 0; i < n; i++) {
		struct iommu_param *p;

		p = grow(&m->params, &m->nr_params, sizeof(*p));
		if (!p) {
			rc = -ENOMEM;
			break;
		}
		p->name = strdup(ents[i]->d_name);
		if (!p->name) {
			rc = -ENOMEM;
			break;
		}
		join(path, sizeof(path), dir, ents[i]->d_name);
		rc = read_attr(path, &p->value);
		/* Root-only parameters (mode 0400) stay unknown. */
		if (rc == -EACCES || rc == -EPERM)
			rc = 0;
		if (rc)
			break;
	}
	free_dir(ents, n);
	return rc;
}

int iommu_module_read(const char *root, const char *name,
		      struct iommu_module_info *m)
{
	char dir[PATH_MAX], path[PATH_MAX], *s;
	int rc;

	memset(m, 0, sizeof(*m));
	m->refcnt = -1;
	rc = path_of(dir, sizeof(dir), root, "/sys/module/%s", name);
	if (rc)
		return rc;
	if (!exists(dir))
		return 0;

	join(path, sizeof(path), dir, "initstate");
	rc = read_attr(path, &s);
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

	join(path, sizeof(path), dir, "refcnt");
	if (!read_attr(path, &s)) {
		m->refcnt = atoi(s);
		free(s);
	}
	join(path, sizeof(path), dir, "taint");
	rc = read_attr(path, &m->taint);
	if (rc && rc != -ENOENT)
		goto err;

	join(path, sizeof(path), dir, "parameters");
	rc = read_params(path, m);
	if (rc)
		goto err;
	join(path, sizeof(path), dir, "holders");
	rc = read_strv(path, &m->holders, &m->nr_holders);
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
	free_strv(m->holders, m->nr_holders);
	memset(m, 0, sizeof(*m));
	m->refcnt = -1;
}

bool iommu_driver_allows_vfio(const char *driver)
{
	/*
   * The drivers the kernel lets share a group with a VFIO user: they
   * set driver_managed_dma and do no DMA of their own.
   */
	return !driver || !strncmp(driver, "vfio", 4) ||
	       !strcmp(driver, "pci-stub") || !strcmp(driver, "pcieport");
}

static int read_hex16(const char *path, uint16_t *v)
{
	unsigned long n;
	char *s, *end;
	int rc;

	rc = read_attr(path, &s);
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
	join(path, sizeof(path), dir, "subsystem");
	rc = read_link_base(path, &d->bus);
	if (rc == -ENOMEM)
		return rc;
	join(path, sizeof(path), dir, "driver");
	rc = read_link_base(path, &d->driver);
	if (rc == -ENOMEM)
		return rc;

	join(path, sizeof(path), dir, "vendor");
	if (!read_hex16(path, &d->vendor)) {
		join(path, sizeof(path), dir, "device");
		d->has_ids = !read_hex16(path, &d->device);
	}

	join(path, sizeof(path), dir, "vfio-dev");
	rc = list_dir(path, &ents, &n);
	if (rc)
		return rc == -EACCES ? 0 : rc;
	if (n) {
		char node[PATH_MAX];

		/* sysfs has it whenever the kernel does; the node may lack. */
		join(path, sizeof(path), "/dev/vfio/devices", ents[0]->d_name);
		rc = path_of(node, sizeof(node), root, "%s", path);
		if (!rc && exists(node)) {
			d->cdev = strdup(path);
			rc = d->cdev ? 0 : -ENOMEM;
		}
	}
	free_dir(ents, n);
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
	join(path, sizeof(path), dir, "type");
	rc = read_attr(path, &g->type);
	if (rc == -ENOMEM)
		return rc;

	snprintf(node, sizeof(node), "/dev/vfio/%u", id);
	rc = path_of(path, sizeof(path), root, "%s", node);
	if (!rc && !exists(path)) {
		snprintf(node, sizeof(node), "/dev/vfio/noiommu-%u", id);
		rc = path_of(path, sizeof(path), root, "%s", node);
		if (!rc && !exists(path))
			node[0] = '\0';
	}
	if (rc)
		return rc;
	if (node[0]) {
		g->node = strdup(node);
		if (!g->node)
			return -ENOMEM;
	}

	join(path, sizeof(path), dir, "devices");
	rc = list_dir(path, &ents, &n);
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

		join(ddir, sizeof(ddir), path, ents[i]->d_name);
		rc = read_dev(root, ddir, ents[i]->d_name, d);
		if (rc)
			goto out;
		/* An mdev's driver is the VFIO driver of its parent. */
		if ((!d->bus || strcmp(d->bus, "mdev")) &&
		    !iommu_driver_allows_vfio(d->driver))
			g->viable = false;
	}
out:
	free_dir(ents, n);
	return rc;
}

static int starts_with_digit(const struct dirent *d)
{
	return d->d_name[0] >= '0' && d->d_name[0] <= '9';
}

static int by_number(const struct dirent **a, const struct dirent **b)
{
	unsigned long x = strtoul((*a)->d_name, NULL, 10);
	unsigned long y = strtoul((*b)->d_name, NULL, 10);

	return x < y ? -1 : x > y;
}

int iommu_groups_read(const char *root, struct iommu_group_info **groups,
		      unsigned int *nr)
{
	char dir[PATH_MAX], gdir[PATH_MAX];
	struct dirent **ents = NULL;
	int n, i, rc;

	*groups = NULL;
	*nr = 0;
	rc = path_of(dir, sizeof(dir), root, "/sys/kernel/iommu_groups");
	if (rc)
		return rc;
	n = scandir(dir, &ents, starts_with_digit, by_number);
	if (n < 0)
		return errno == ENOENT ? 0 : -errno;
	*groups = calloc(n ? n : 1, sizeof(**groups));
	if (!*groups) {
		rc = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		join(gdir, sizeof(gdir), dir, ents[i]->d_name);
		(*nr)++;
		rc = read_group(root, gdir, strtoul(ents[i]->d_name, NULL, 10),
				&(*groups)[i]);
		if (rc)
			break;
	}
out:
	free_dir(ents, n);
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

static int read_mdev_type(const char *dir, const char *id,
			  struct iommu_mdev_type *t)
{
	char path[PATH_MAX], *s;
	int rc;

	t->available = -1;
	t->id = strdup(id);
	if (!t->id)
		return -ENOMEM;
	join(path, sizeof(path), dir, "name");
	rc = read_attr(path, &t->name);
	if (rc == -ENOMEM)
		return rc;
	join(path, sizeof(path), dir, "device_api");
	rc = read_attr(path, &t->device_api);
	if (rc == -ENOMEM)
		return rc;
	join(path, sizeof(path), dir, "available_instances");
	if (!read_attr(path, &s)) {
		t->available = atoi(s);
		free(s);
	}
	join(path, sizeof(path), dir, "devices");
	return read_strv(path, &t->devices, &t->nr_devices);
}

static void release_mdev_parent(struct iommu_mdev_parent *p)
{
	unsigned int i;

	for (i = 0; i < p->nr_types; i++) {
		free(p->types[i].id);
		free(p->types[i].name);
		free(p->types[i].device_api);
		free_strv(p->types[i].devices, p->types[i].nr_devices);
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
	rc = path_of(dir, sizeof(dir), root, "/sys/class/mdev_bus");
	if (rc)
		return rc;
	rc = list_dir(dir, &ents, &n);
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
		join(pdir, sizeof(pdir), dir, ents[i]->d_name);
		join(tdir, sizeof(tdir), pdir, "mdev_supported_types");
		rc = list_dir(tdir, &tents, &nt);
		if (rc)
			break;
		parent->types = calloc(nt ? nt : 1, sizeof(*parent->types));
		if (!parent->types)
			rc = -ENOMEM;
		for (j = 0; j < nt && !rc; j++) {
			char path[PATH_MAX];

			join(path, sizeof(path), tdir, tents[j]->d_name);
			rc = read_mdev_type(path, tents[j]->d_name,
					    &parent->types[parent->nr_types++]);
		}
		free_dir(tents, nt);
	}
out:
	free_dir(ents, n);
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

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

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
	    all_digits(link + 22))
		return IOMMU_NODE_DEVICE;
	if (strncmp(link, "/dev/vfio/", 10))
		return IOMMU_NODE_NONE;
	p = link + 10;
	if (!strncmp(p, "noiommu-", 8))
		p += 8;
	return all_digits(p) ? IOMMU_NODE_GROUP : IOMMU_NODE_NONE;
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

	join(dir, sizeof(dir), procdir, "fd");
	fds = opendir(dir);
	if (!fds)
		return -errno;
	while ((d = readdir(fds))) {
		struct iommu_holder_fd *f;
		enum iommu_node_kind kind;
		struct stat st;
		ssize_t n;

		if (!all_digits(d->d_name))
			continue;
		join(path, sizeof(path), dir, d->d_name);
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
		f = grow(&h->fds, &h->nr_fds, sizeof(*f));
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
	join(path, sizeof(path), procdir, "comm");
	rc = read_attr(path, &h->comm);
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

	rc = path_of(dir, sizeof(dir), root, "/proc/%d", pid);
	if (rc)
		return rc;
	rc = read_holder(dir, iommu, &one);
	if (rc == -EACCES || rc == -EPERM) {
		int *u;

		release_holder(&one);
		if (!scan)
			return rc;
		u = grow(&h->unreadable, &h->nr_unreadable, sizeof(*u));
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
	slot = grow(&h->procs, &h->nr, sizeof(*slot));
	if (!slot) {
		release_holder(&one);
		return -ENOMEM;
	}
	*slot = one;
	return 0;
}

int iommu_holders_read(const char *root, int pid, struct iommu_holders *h)
{
	struct dirent **ents = NULL;
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
	rc = path_of(dir, sizeof(dir), root, "/proc");
	if (rc)
		return rc;
	n = scandir(dir, &ents, starts_with_digit, by_number);
	if (n < 0)
		return -errno;
	for (i = 0; i < n && !rc; i++) {
		if (all_digits(ents[i]->d_name))
			rc = add_pid(root, atoi(ents[i]->d_name), iommu, h,
				     true);
	}
	for (i = 0; i < n; i++)
		free(ents[i]);
	free(ents);
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

/*
 * gzread() reads plain files too. A file without a single CONFIG_ line
 * is not a config, so it tells nothing.
 */
static enum iommu_config_state config_from(const char *path, const char *symbol)
{
	enum iommu_config_state state = IOMMU_CONFIG_UNKNOWN;
	char line[512], want[128];
	size_t len;
	gzFile gz;

	len = snprintf(want, sizeof(want), "CONFIG_%s=", symbol);
	gz = gzopen(path, "rb");
	if (!gz)
		return IOMMU_CONFIG_UNKNOWN;
	while (gzgets(gz, line, sizeof(line))) {
		if (strncmp(line, "CONFIG_", 7) &&
		    strncmp(line, "# CONFIG_", 9))
			continue;
		if (state == IOMMU_CONFIG_UNKNOWN)
			state = IOMMU_CONFIG_NO;
		if (strncmp(line, want, len))
			continue;
		if (line[len] == 'y')
			state = IOMMU_CONFIG_YES;
		else if (line[len] == 'm')
			state = IOMMU_CONFIG_MODULE;
		break;
	}
	gzclose(gz);
	return state;
}

enum iommu_config_state iommu_config_read(const char *root, const char *release,
					  const char *symbol)
{
	enum iommu_config_state state;
	char path[PATH_MAX];
	struct utsname u;

	if (!release) {
		if (path_of(path, sizeof(path), root, "/proc/config.gz"))
			return IOMMU_CONFIG_UNKNOWN;
		state = config_from(path, symbol);
		if (state != IOMMU_CONFIG_UNKNOWN)
			return state;
		if (uname(&u))
			return IOMMU_CONFIG_UNKNOWN;
		release = u.release;
	}
	if (path_of(path, sizeof(path), root, "/boot/config-%s", release))
		return IOMMU_CONFIG_UNKNOWN;
	return config_from(path, symbol);
}

int iommu_misc_devt(const char *root, const char *name, unsigned int *major,
		    unsigned int *minor)
{
	char path[PATH_MAX];
	int rc, n;
	FILE *f;

	rc = path_of(path, sizeof(path), root, "/sys/class/misc/%s/dev", name);
	if (rc)
		return rc;
	f = fopen(path, "re");
	if (!f)
		return -errno;
	n = fscanf(f, "%u:%u", major, minor);
	fclose(f);
	return n == 2 ? 0 : -EINVAL;
}
