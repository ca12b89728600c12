// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iommuctl status: what iommufd and VFIO pieces this system has and which
 * processes use them. Facts come from sysfs and procfs through the
 * library's readers, which tests run on fixture trees; this file adds
 * what needs the live system: libkmod's module indexes, libudev's
 * hardware database, and a harmless ioctl on /dev/vfio/vfio.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <libkmod.h>
#include <libudev.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "group.h"
#include "holders.h"
#include "ioas.h"
#include "iommuctl.h"
#include "kconfig.h"
#include "mdev.h"
#include "miscdev.h"
#include "module.h"

/* The modules status reports, with the config symbol that builds each. */
static const struct {
	const char *name;
	const char *config;
} status_modules[] = {
	{ "iommufd", "IOMMUFD" },
	{ "vfio", "VFIO" },
	{ "vfio_iommu_type1", "VFIO_IOMMU_TYPE1" },
	{ "vfio_pci", "VFIO_PCI" },
	{ "mdev", "VFIO_MDEV" },
	/* Out of tree: no config symbol, only modules.dep knows it. */
	{ "iommuctl_dmaprobe", NULL },
};

struct status {
	struct ctx *c;
	struct kmod_ctx *kmod; /* NULL when libkmod could not start */
	bool have_index; /* this kernel's modules.dep and modules.builtin */
	struct udev_hwdb *hwdb; /* NULL without a hardware database */
	struct udev *udev;
	unsigned int warnings;
	char warning[16][256];
};

__attribute__((format(printf, 2, 3))) static void warn(struct status *s,
						       const char *fmt, ...)
{
	va_list ap;

	if (s->warnings == sizeof(s->warning) / sizeof(s->warning[0]))
		return;
	va_start(ap, fmt);
	vsnprintf(s->warning[s->warnings++], sizeof(s->warning[0]), fmt, ap);
	va_end(ap);
}

/*
 * sysfs answers for loaded modules and for built-in ones that have
 * parameters; the module indexes and then the kernel config answer for
 * the rest, because a built-in driver without parameters leaves no trace
 * in /sys/module.
 */
static void out_module(struct status *s, const char *name, const char *config)
{
	struct out *o = s->c->out;
	struct iommu_module_info m;
	struct kmod_module *mod = NULL;
	const char *state, *source = "sysfs", *path = NULL;
	unsigned int i;
	int rc;

	rc = iommu_module_read(NULL, name, &m);
	if (rc)
		warn(s, "/sys/module/%s: %s", name, strerror(-rc));
	if (s->kmod && !kmod_module_new_from_name(s->kmod, name, &mod))
		path = kmod_module_get_path(mod);
	state = iommu_module_state_name(m.state);
	if (!rc && m.state == IOMMU_MODULE_NOT_LOADED) {
		enum iommu_config_state cs = IOMMU_CONFIG_UNKNOWN;

		if (mod &&
		    kmod_module_get_initstate(mod) == KMOD_MODULE_BUILTIN) {
			state = "builtin";
			source = "modules.builtin";
		} else if (path) {
			source = "modules.dep";
		} else if (s->have_index) {
			/* Neither built in nor installed for this kernel. */
			state = "absent";
			source = "modules.dep";
		} else {
			if (config)
				cs = iommu_config_read(NULL, NULL, config);
			source = "config";
			if (cs == IOMMU_CONFIG_YES)
				state = "builtin";
			else if (cs == IOMMU_CONFIG_NO)
				state = "absent";
			else if (cs == IOMMU_CONFIG_UNKNOWN)
				rc = -ENOENT;
		}
	}
	if (rc) {
		state = "unknown";
		source = NULL;
	}

	out_object_begin(o, NULL);
	out_str(o, "name", name);
	out_str(o, "state", state);
	out_str(o, "source", source);
	out_str(o, "path", path);
	if (m.refcnt >= 0)
		out_u32(o, "refcnt", m.refcnt);
	else
		out_null(o, "refcnt");
	out_str(o, "taint", m.taint);
	out_array_begin(o, "holders");
	for (i = 0; i < m.nr_holders; i++)
		out_str(o, NULL, m.holders[i]);
	out_array_end(o);
	out_array_begin(o, "parameters");
	for (i = 0; i < m.nr_params; i++) {
		out_object_begin(o, NULL);
		out_str(o, "name", m.params[i].name);
		out_str(o, "value", m.params[i].value);
		out_object_end(o);
		if (!m.params[i].value)
			warn(s, "parameter %s.%s is readable by root only",
			     name, m.params[i].name);
	}
	out_array_end(o);
	out_object_end(o);
	kmod_module_unref(mod);
	iommu_module_release(&m);
}

static void out_devt(struct out *o, const char *key, const char *path,
		     dev_t *rdev)
{
	struct stat st;
	char s[32];

	if (stat(path, &st) || !S_ISCHR(st.st_mode)) {
		out_null(o, key);
		*rdev = 0;
		return;
	}
	*rdev = st.st_rdev;
	snprintf(s, sizeof(s), "%u:%u", major(st.st_rdev), minor(st.st_rdev));
	out_str(o, key, s);
}

/*
 * The kernel's iommu misc device, and the node for it: they can differ
 * (no devtmpfs, a stale node), and only the former says iommufd is there.
 */
static void out_iommufd(struct status *s, dev_t *iommu_rdev)
{
	struct out *o = s->c->out;
	unsigned int maj, min;
	char devt[32];
	dev_t node;

	out_object_begin(o, "iommufd");
	*iommu_rdev = 0;
	if (!iommu_misc_devt(NULL, "iommu", &maj, &min)) {
		*iommu_rdev = makedev(maj, min);
		snprintf(devt, sizeof(devt), "%u:%u", maj, min);
		out_str(o, "misc_devt", devt);
	} else {
		out_null(o, "misc_devt");
	}
	out_str(o, "device", IOMMU_DEFAULT_DEVICE);
	out_devt(o, "devt", IOMMU_DEFAULT_DEVICE, &node);
	out_bool(o, "node_matches", *iommu_rdev && node == *iommu_rdev);
	out_object_end(o);
}

/*
 * Who serves /dev/vfio/vfio. Both providers register misc minor 196
 * (VFIO_MINOR), so the number only tells when the node is /dev/iommu's
 * own. Otherwise IOMMU_VFIO_IOAS decides without changing anything:
 * iommufd answers it (ENODEV when no compat IOAS is set); a fresh legacy
 * container fails what it does not know with EINVAL (ENOTTY once an
 * IOMMU driver is set). Without access to the node, the config.
 */
static void out_container(struct status *s, dev_t iommu_rdev)
{
	static const char node[] = "/dev/vfio/vfio";
	const char *provider = NULL, *evidence = NULL;
	struct out *o = s->c->out;
	enum iommu_config_state cs;
	uint32_t id;
	dev_t rdev;
	int fd, rc;

	out_object_begin(o, "vfio_container");
	out_str(o, "device", node);
	out_devt(o, "devt", node, &rdev);
	if (rdev && iommu_rdev && rdev == iommu_rdev) {
		provider = "iommufd";
		evidence = "device-number";
	} else if (rdev) {
		fd = open(node, O_RDWR | O_CLOEXEC);
		if (fd >= 0) {
			rc = iommu_vfio_ioas_get(fd, &id);
			if (!rc || rc == -ENODEV)
				provider = "iommufd";
			else if (rc == -EINVAL || rc == -ENOTTY)
				provider = "vfio";
			if (provider)
				evidence = "ioctl";
			close(fd);
		} else {
			warn(s, "cannot open %s: %s", node, strerror(errno));
		}
	}
	if (rdev && !provider) {
		cs = iommu_config_read(NULL, NULL, "IOMMUFD_VFIO_CONTAINER");
		if (cs == IOMMU_CONFIG_YES) {
			provider = "iommufd";
			evidence = "config";
		} else if (cs == IOMMU_CONFIG_NO) {
			provider = "vfio";
			evidence = "config";
		}
	}
	out_str(o, "provider", provider);
	out_str(o, "evidence", evidence);
	out_object_end(o);
}

/* Names from the hardware database, as lspci would show them. */
static void out_pci_names(struct status *s, const struct iommu_dev_info *d)
{
	const char *vendor = NULL, *model = NULL;
	struct udev_list_entry *e;
	char modalias[64];

	if (s->hwdb && d->has_ids && d->bus && !strcmp(d->bus, "pci")) {
		snprintf(modalias, sizeof(modalias), "pci:v%08Xd%08X*",
			 d->vendor, d->device);
		udev_list_entry_foreach(e, udev_hwdb_get_properties_list_entry(
						   s->hwdb, modalias, 0))
		{
			const char *k = udev_list_entry_get_name(e);

			if (!strcmp(k, "ID_VENDOR_FROM_DATABASE"))
				vendor = udev_list_entry_get_value(e);
			else if (!strcmp(k, "ID_MODEL_FROM_DATABASE"))
				model = udev_list_entry_get_value(e);
		}
	}
	out_str(s->c->out, "vendor_name", vendor);
	out_str(s->c->out, "device_name", model);
}

static void out_groups(struct status *s)
{
	struct out *o = s->c->out;
	struct iommu_group_info *g;
	unsigned int nr, i, j;
	char id[8];
	int rc;

	rc = iommu_groups_read(NULL, &g, &nr);
	if (rc)
		warn(s, "/sys/kernel/iommu_groups: %s", strerror(-rc));
	out_array_begin(o, "groups");
	for (i = 0; i < nr; i++) {
		out_object_begin(o, NULL);
		out_u32(o, "id", g[i].id);
		out_str(o, "type", g[i].type);
		out_bool(o, "viable", g[i].viable);
		out_str(o, "node", g[i].node);
		out_array_begin(o, "devices");
		for (j = 0; j < g[i].nr_devs; j++) {
			const struct iommu_dev_info *d = &g[i].devs[j];

			out_object_begin(o, NULL);
			out_str(o, "name", d->name);
			out_str(o, "bus", d->bus);
			if (d->has_ids) {
				snprintf(id, sizeof(id), "0x%04x", d->vendor);
				out_str(o, "vendor", id);
				snprintf(id, sizeof(id), "0x%04x", d->device);
				out_str(o, "device", id);
			} else {
				out_null(o, "vendor");
				out_null(o, "device");
			}
			out_pci_names(s, d);
			out_str(o, "driver", d->driver);
			out_str(o, "cdev", d->cdev);
			out_object_end(o);
		}
		out_array_end(o);
		out_object_end(o);
	}
	out_array_end(o);
	iommu_groups_release(g, nr);
}

static void out_mdev(struct status *s)
{
	struct out *o = s->c->out;
	struct iommu_mdev_parent *p;
	unsigned int nr, i, j, k;
	int rc;

	rc = iommu_mdev_parents_read(NULL, &p, &nr);
	if (rc)
		warn(s, "/sys/class/mdev_bus: %s", strerror(-rc));
	out_array_begin(o, "mdev_parents");
	for (i = 0; i < nr; i++) {
		out_object_begin(o, NULL);
		out_str(o, "name", p[i].name);
		out_array_begin(o, "types");
		for (j = 0; j < p[i].nr_types; j++) {
			const struct iommu_mdev_type *t = &p[i].types[j];

			out_object_begin(o, NULL);
			out_str(o, "id", t->id);
			out_str(o, "name", t->name);
			out_str(o, "device_api", t->device_api);
			if (t->available >= 0)
				out_u32(o, "available_instances", t->available);
			else
				out_null(o, "available_instances");
			out_array_begin(o, "devices");
			for (k = 0; k < t->nr_devices; k++)
				out_str(o, NULL, t->devices[k]);
			out_array_end(o);
			out_object_end(o);
		}
		out_array_end(o);
		out_object_end(o);
	}
	out_array_end(o);
	iommu_mdev_parents_release(p, nr);
}

static void out_holder_fds(struct out *o, const struct iommu_holder *h)
{
	unsigned int i;

	out_array_begin(o, "fds");
	for (i = 0; i < h->nr_fds; i++) {
		out_object_begin(o, NULL);
		out_u32(o, "fd", h->fds[i].fd);
		out_str(o, "kind", iommu_node_kind_name(h->fds[i].kind));
		out_str(o, "path", h->fds[i].path);
		out_object_end(o);
	}
	out_array_end(o);
}

static void out_processes(struct status *s)
{
	struct out *o = s->c->out;
	struct iommu_holders h;
	unsigned int i;
	int rc;

	rc = iommu_holders_read(NULL, 0, &h);
	if (rc)
		warn(s, "/proc: %s", strerror(-rc));
	out_array_begin(o, "processes");
	for (i = 0; i < h.nr; i++) {
		out_object_begin(o, NULL);
		out_u32(o, "pid", h.procs[i].pid);
		out_str(o, "comm", h.procs[i].comm);
		out_holder_fds(o, &h.procs[i]);
		out_object_end(o);
	}
	out_array_end(o);
	out_array_begin(o, "unreadable_pids");
	for (i = 0; i < h.nr_unreadable; i++)
		out_u32(o, NULL, h.unreadable[i]);
	out_array_end(o);
	if (h.nr_unreadable)
		warn(s,
		     "the open files of %u processes are not readable by this user",
		     h.nr_unreadable);
	iommu_holders_release(&h);
}

/*
 * A kernel without its module indexes (a guest booted from a bare
 * bzImage, a container) cannot tell an absent module from one it lacks
 * the files for.
 */
static bool have_index(struct kmod_ctx *kmod)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/modules.dep", kmod_get_dirname(kmod));
	if (access(path, R_OK))
		return false;
	snprintf(path, sizeof(path), "%s/modules.builtin",
		 kmod_get_dirname(kmod));
	return !access(path, R_OK);
}

int cmd_status_show(struct ctx *c, const struct cmd_args *a)
{
	struct status s = { .c = c };
	struct out *o = c->out;
	dev_t iommu_rdev;
	unsigned int i;

	s.kmod = kmod_new(NULL, NULL);
	if (s.kmod)
		s.have_index = have_index(s.kmod);
	else
		warn(&s, "libkmod could not start: module paths are unknown");
	s.udev = udev_new();
	if (s.udev)
		s.hwdb = udev_hwdb_new(s.udev);

	out_record_begin(o);
	out_iommufd(&s, &iommu_rdev);
	out_container(&s, iommu_rdev);
	out_array_begin(o, "modules");
	for (i = 0; i < sizeof(status_modules) / sizeof(status_modules[0]); i++)
		out_module(&s, status_modules[i].name,
			   status_modules[i].config);
	out_array_end(o);
	out_groups(&s);
	out_mdev(&s);
	out_processes(&s);
	out_array_begin(o, "warnings");
	for (i = 0; i < s.warnings; i++)
		out_str(o, NULL, s.warning[i]);
	out_array_end(o);

	udev_hwdb_unref(s.hwdb);
	udev_unref(s.udev);
	kmod_unref(s.kmod);
	return record_done(c);
}
