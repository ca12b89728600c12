// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Why is there no /dev/iommu? The answer decides what the user does next
 * (mount devtmpfs, modprobe, or boot another kernel), so each branch says
 * which file it was read from, and nothing is claimed without a source.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "diagnose.h"
#include "kconfig.h"
#include "sysfs-read.h"

__attribute__((format(printf, 3, 4))) static void say(char *buf, size_t len,
						      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

/* sysfs knows iommufd: as a module, or as the misc device it registers. */
static bool in_running_kernel(const char *root)
{
	char path[PATH_MAX];

	if (!sysfs_path(path, sizeof(path), root, "/sys/module/iommufd") &&
	    sysfs_exists(path))
		return true;
	return !sysfs_path(path, sizeof(path), root, "/sys/class/misc/iommu") &&
	       sysfs_exists(path);
}

/*
 * Whether a modules.dep or modules.builtin line names iommufd.ko (maybe
 * compressed: iommufd.ko.xz). Both list one module path first on a line.
 */
static bool names_iommufd(const char *line)
{
	size_t n = strcspn(line, ":\n");
	const char *base = line;
	const char *p;

	for (p = line; p < line + n; p++)
		if (*p == '/')
			base = p + 1;
	return !strncmp(base, "iommufd.ko", 10) &&
	       (base + 10 == line + n || base[10] == '.');
}

static bool index_has_iommufd(const char *path)
{
	char line[512];
	bool found = false;
	FILE *f;

	f = fopen(path, "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = names_iommufd(line);
	fclose(f);
	return found;
}

/*
 * Without a config, the module directory still tells a module from a
 * missing one: modules.builtin lists what is built in, modules.dep what
 * can be loaded. -ENOENT when there is no index to ask.
 */
static int lookup_module(const char *root, const char *release, char *path,
			 size_t len, bool *builtin)
{
	char dir[PATH_MAX / 2];

	snprintf(dir, sizeof(dir), "%s/lib/modules/%s", root, release);
	snprintf(path, len, "%s/modules.builtin", dir);
	if (index_has_iommufd(path)) {
		*builtin = true;
		return 1;
	}
	snprintf(path, len, "%s/modules.dep", dir);
	if (access(path, R_OK))
		return -ENOENT;
	*builtin = false;
	return index_has_iommufd(path) ? 1 : 0;
}

enum iommu_missing iommu_diagnose_missing(const char *root, const char *release,
					  char *buf, size_t len)
{
	char source[PATH_MAX], modpath[PATH_MAX];
	enum iommu_config_state state;
	struct utsname uts;
	bool builtin = false;
	int rc;

	if (!root)
		root = "";
	if (!release) {
		uname(&uts);
		release = uts.release;
	}

	if (in_running_kernel(root)) {
		say(buf, len,
		    "iommufd is in the running kernel (/sys/module/iommufd) but the device node is missing: is devtmpfs mounted on /dev?");
		return IOMMU_MISSING_NODE;
	}

	state = iommu_config_running(root, release, "IOMMUFD", source,
				     sizeof(source));
	switch (state) {
	case IOMMU_CONFIG_MODULE:
		say(buf, len,
		    "the iommufd module is not loaded (%s has CONFIG_IOMMUFD=m): run 'modprobe iommufd'",
		    source);
		return IOMMU_MISSING_NOT_LOADED;
	case IOMMU_CONFIG_YES:
		say(buf, len,
		    "%s has CONFIG_IOMMUFD=y but /sys/module/iommufd is missing: is this the config of the running kernel, and is sysfs mounted?",
		    source);
		return IOMMU_MISSING_NODE;
	case IOMMU_CONFIG_NO:
		say(buf, len,
		    "kernel %s was built without CONFIG_IOMMUFD (%s): boot a kernel with CONFIG_IOMMUFD=y or =m",
		    release, source);
		return IOMMU_MISSING_NOT_BUILT;
	case IOMMU_CONFIG_UNKNOWN:
		break;
	}

	rc = lookup_module(root, release, modpath, sizeof(modpath), &builtin);
	if (rc > 0 && !builtin) {
		say(buf, len,
		    "the iommufd module is not loaded (%s lists it): run 'modprobe iommufd'",
		    modpath);
		return IOMMU_MISSING_NOT_LOADED;
	}
	if (rc > 0) {
		say(buf, len,
		    "%s lists iommufd as built in, but /sys/module/iommufd is missing: is sysfs mounted?",
		    modpath);
		return IOMMU_MISSING_NODE;
	}
	if (rc == 0) {
		say(buf, len,
		    "kernel %s has no iommufd module, built in or loadable (%s): it was most likely built without CONFIG_IOMMUFD",
		    release, modpath);
		return IOMMU_MISSING_NOT_BUILT;
	}
	say(buf, len,
	    "cannot tell why: no /sys/module/iommufd, no kernel config (%s/proc/config.gz, %s/boot/config-%s) and no %s/lib/modules/%s",
	    root, root, release, root, release);
	return IOMMU_MISSING_UNKNOWN;
}
