// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which group and device the group-based backends replay on, chosen with
 * the library's readers of the IOMMU groups and the mdev parents, so the
 * choice runs on a fixture tree as on the running system.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "group.h"
#include "iommuctl_dmaprobe.h"
#include "mdev.h"
#include "sysfs-read.h"
#include "target.h"

static bool is_pci_address(const char *name)
{
	unsigned int dom, bus, dev, fn;
	char end;

	return sscanf(name, "%x:%x:%x.%x%c", &dom, &bus, &dev, &fn, &end) == 4;
}

bool replay_target_emulated(const struct replay_target *t)
{
	return t->device[0] && !is_pci_address(t->device);
}

static int set_device(struct replay_target *t, unsigned int group,
		      const char *name)
{
	if (strlen(name) >= sizeof(t->device))
		return -ENAMETOOLONG;
	memcpy(t->device, name, strlen(name) + 1);
	t->group = (int)group;
	return 0;
}

/* The DMA-probe mdev with the smallest UUID that a group holds. */
static const struct iommu_group_info *
dmaprobe_mdev(const struct iommu_mdev_parent *p, unsigned int nr_parents,
	      const struct iommu_group_info *groups, unsigned int nr,
	      const struct iommu_dev_info **dev)
{
	const struct iommu_mdev_type *type;
	const struct iommu_group_info *g;
	unsigned int i, j, k;

	for (i = 0; i < nr_parents; i++) {
		if (strcmp(p[i].name, DMAPROBE_PARENT_NAME))
			continue;
		for (j = 0; j < p[i].nr_types; j++) {
			type = &p[i].types[j];
			if (strcmp(type->id, DMAPROBE_MDEV_TYPE))
				continue;
			for (k = 0; k < type->nr_devices; k++) {
				g = iommu_groups_find_device(groups, nr, "mdev",
							     type->devices[k],
							     dev);
				if (g)
					return g;
			}
		}
	}
	return NULL;
}

/* --device or --mdev: the group that holds it, and why not. */
static int by_device(const char *root, const struct iommu_group_info *groups,
		     unsigned int nr, struct replay_target *t, bool mdev,
		     char *why, size_t len)
{
	const char *bus = mdev ? "mdev" : "pci";
	const struct iommu_group_info *g;
	char path[PATH_MAX];

	g = iommu_groups_find_device(groups, nr, bus, t->device, NULL);
	if (g) {
		t->group = (int)g->id;
		return 0;
	}
	snprintf(path, sizeof(path), "%s/sys/bus/%s/devices/%s",
		 root ? root : "", bus, t->device);
	if (access(path, F_OK))
		snprintf(why, len, "no %s device %s (%s: %s)", bus, t->device,
			 path, strerror(errno));
	else
		snprintf(why, len,
			 "%s device %s is in no IOMMU group: no IOMMU translates for it",
			 bus, t->device);
	return -ENODEV;
}

/* --group: its first device a VFIO user can open. */
static int by_group(const struct iommu_group_info *groups, unsigned int nr,
		    struct replay_target *t, char *why, size_t len)
{
	const struct iommu_group_info *g;
	const struct iommu_dev_info *d;

	g = iommu_groups_find(groups, nr, (unsigned int)t->group, NULL);
	if (!g) {
		snprintf(why, len, "no IOMMU group %d", t->group);
		return -ENODEV;
	}
	d = iommu_group_first_vfio_dev(g);
	if (!d || set_device(t, g->id, d->name)) {
		snprintf(why, len,
			 "IOMMU group %d has no device bound to a VFIO driver (bind one to vfio-pci)",
			 t->group);
		return -ENODEV;
	}
	return 0;
}

/* The DMA-probe mdev with the smallest UUID in an IOMMU group. */
static int first_mdev(const char *root, const struct iommu_group_info *groups,
		      unsigned int nr, struct replay_target *t)
{
	const struct iommu_group_info *g = NULL;
	const struct iommu_dev_info *d = NULL;
	struct iommu_mdev_parent *parents;
	unsigned int nr_parents;
	int rc = -ENODEV;

	if (iommu_mdev_parents_read(root, &parents, &nr_parents))
		return rc;
	g = dmaprobe_mdev(parents, nr_parents, groups, nr, &d);
	if (g)
		rc = set_device(t, g->id, d->name);
	iommu_mdev_parents_release(parents, nr_parents);
	return rc;
}

/* The device bound to vfio-pci with the smallest address. */
static int first_pci(const struct iommu_group_info *groups, unsigned int nr,
		     struct replay_target *t)
{
	const struct iommu_group_info *g;
	const struct iommu_dev_info *d = NULL;

	g = iommu_groups_first_bound(groups, nr, "pci", "vfio-pci", &d);
	return g ? set_device(t, g->id, d->name) : -ENODEV;
}

/* Neither: a DMA-probe mdev shows behaviour, a NIC errnos and info. */
static int by_default(const char *root, const struct iommu_group_info *groups,
		      unsigned int nr, struct replay_target *t, char *why,
		      size_t len)
{
	if (!first_mdev(root, groups, nr, t) || !first_pci(groups, nr, t))
		return 0;
	snprintf(why, len,
		 "no device bound to VFIO: bind one to vfio-pci, create a DMA-probe mdev (iommuctl-dmaprobe(4)) or name one with --group, --device or --mdev");
	return -ENODEV;
}

static int read_groups(const char *root, struct iommu_group_info **groups,
		       unsigned int *nr, char *why, size_t len)
{
	int rc = iommu_groups_read(root, groups, nr);

	if (rc)
		snprintf(why, len,
			 "cannot read the IOMMU groups (%s/sys/kernel/iommu_groups): %s",
			 root ? root : "", strerror(-rc));
	return rc;
}

int replay_target_pick(const char *root, struct replay_target *t, bool mdev,
		       char *why, size_t len)
{
	struct iommu_group_info *groups;
	unsigned int nr;
	int rc;

	if (read_groups(root, &groups, &nr, why, len))
		return -ENODEV;
	rc = mdev ? first_mdev(root, groups, nr, t) : first_pci(groups, nr, t);
	iommu_groups_release(groups, nr);
	if (rc && mdev)
		snprintf(why, len,
			 "no DMA-probe mdev in an IOMMU group: create one (iommuctl-dmaprobe(4)) or name an mdev with --mdev");
	else if (rc)
		snprintf(why, len,
			 "no PCI device bound to vfio-pci: bind one (echo vfio-pci > /sys/bus/pci/devices/BDF/driver_override, then to drivers_probe) or name one with --device or --group");
	return rc ? -ENODEV : 0;
}

int replay_target_resolve(const char *root, struct replay_target *t,
			  bool mdev, char *why, size_t len)
{
	struct iommu_group_info *groups;
	unsigned int nr;
	int rc;

	if (read_groups(root, &groups, &nr, why, len))
		return -ENODEV;
	if (t->device[0])
		rc = by_device(root, groups, nr, t, mdev, why, len);
	else if (t->group >= 0)
		rc = by_group(groups, nr, t, why, len);
	else
		rc = by_default(root, groups, nr, t, why, len);
	iommu_groups_release(groups, nr);
	return rc;
}

int replay_target_other(const char *root, const struct replay_target *t,
			struct replay_target *other, char *why, size_t len)
{
	const struct iommu_dev_info *best = NULL;
	const struct iommu_group_info *g = NULL;
	struct iommu_group_info *groups;
	unsigned int nr, i, j;
	int rc;

	if (read_groups(root, &groups, &nr, why, len))
		return -ENODEV;
	for (i = 0; i < nr; i++) {
		if ((int)groups[i].id == t->group)
			continue;
		for (j = 0; j < groups[i].nr_devs; j++) {
			const struct iommu_dev_info *d = &groups[i].devs[j];

			if (!d->bus || strcmp(d->bus, "pci") || !d->driver ||
			    strcmp(d->driver, "vfio-pci") ||
			    (best && strcmp(d->name, best->name) >= 0))
				continue;
			best = d;
			g = &groups[i];
		}
	}
	rc = g ? set_device(other, g->id, best->name) : -ENODEV;
	iommu_groups_release(groups, nr);
	if (rc)
		snprintf(why, len,
			 "needs a second device bound to vfio-pci, in another IOMMU group than the replay's");
	return rc ? -ENODEV : 0;
}

/* The n bytes at word as a whole word of the space-separated line. */
static bool has_word(const char *line, const char *word, size_t n)
{
	const char *p = line;
	size_t m;

	for (;;) {
		p += strspn(p, " ");
		if (!*p)
			return false;
		m = strcspn(p, " ");
		if (m == n && !strncmp(p, word, n))
			return true;
		p += m;
	}
}

int replay_boot_missing(const char *root, const char *boot, char *why,
			size_t len)
{
	const char *w = boot;
	char path[256], *line = NULL;
	size_t n;
	int rc;

	if (!*boot)
		return 0;
	rc = sysfs_path(path, sizeof(path), root, "/proc/cmdline");
	if (!rc)
		rc = sysfs_read_attr(path, &line);
	if (rc) {
		snprintf(why, len,
			 "the trace needs a kernel booted with \"%s\" and %s cannot be read (%s)",
			 boot, path, strerror(-rc));
		return 1;
	}
	for (rc = 0; *w && !rc; w += n + (w[n] == ' ')) {
		n = strcspn(w, " ");
		if (!has_word(line, w, n)) {
			snprintf(why, len,
				 "the trace needs a kernel booted with \"%s\": this one's command line lacks %.*s (tests/vm/run --append)",
				 boot, (int)n, w);
			rc = 1;
		}
	}
	free(line);
	return rc;
}

bool replay_msi_unisolated(const char *root)
{
#if defined(__x86_64__) || defined(__i386__)
	char path[256], line[512];
	bool remapped = false;
	FILE *f;

	if (sysfs_path(path, sizeof(path), root, "/proc/interrupts"))
		return false;
	f = fopen(path, "re");
	if (!f)
		return false;
	while (!remapped && fgets(line, sizeof(line), f))
		remapped = strstr(line, " IR-") != NULL;
	fclose(f);
	return !remapped;
#else
	(void)root;
	return false;
#endif
}

bool replay_unsafe_interrupts(const char *root, const char *module)
{
	char path[256], *v = NULL;
	bool on;

	if (sysfs_path(path, sizeof(path), root,
		       "/sys/module/%s/parameters/allow_unsafe_interrupts",
		       module) ||
	    sysfs_read_attr(path, &v))
		return false;
	on = !strcmp(v, "Y");
	free(v);
	return on;
}
