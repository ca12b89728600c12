// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Why is there no /dev/iommu? The answer decides what the user does next
 * (mount devtmpfs, modprobe, or boot another kernel), so each branch says
 * which file it was read from, and nothing is claimed without a source.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <zlib.h>

#include "fd.h"

enum config_state {
	CONFIG_UNREADABLE,
	CONFIG_ABSENT,
	CONFIG_BUILTIN,
	CONFIG_MODULE,
};

__attribute__((format(printf, 3, 4))) static void say(char *buf, size_t len,
						      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

static bool exists(const char *root, const char *path)
{
	char full[PATH_MAX];
	struct stat st;

	snprintf(full, sizeof(full), "%s%s", root, path);
	return !stat(full, &st);
}

/*
 * gzread() reads plain files too, so one reader serves both sources. A
 * file without a single CONFIG_ line (truncated, corrupt, not a config)
 * proves nothing, so it counts as unreadable rather than as an absence.
 */
static enum config_state read_config(const char *path)
{
	enum config_state state = CONFIG_ABSENT;
	unsigned int lines = 0;
	char line[256];
	gzFile gz;

	gz = gzopen(path, "rb");
	if (!gz)
		return CONFIG_UNREADABLE;
	while (gzgets(gz, line, sizeof(line))) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "CONFIG_", 7) ||
		    !strncmp(line, "# CONFIG_", 9))
			lines++;
		if (!strcmp(line, "CONFIG_IOMMUFD=y"))
			state = CONFIG_BUILTIN;
		else if (!strcmp(line, "CONFIG_IOMMUFD=m"))
			state = CONFIG_MODULE;
	}
	if (!gzeof(gz) || !lines)
		state = CONFIG_UNREADABLE;
	gzclose(gz);
	return state;
}

static enum config_state find_config(const char *root, const char *release,
				     char *source, size_t len)
{
	enum config_state state;

	snprintf(source, len, "%s/proc/config.gz", root);
	state = read_config(source);
	if (state != CONFIG_UNREADABLE)
		return state;
	snprintf(source, len, "%s/boot/config-%s", root, release);
	return read_config(source);
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
	enum config_state state;
	struct utsname uts;
	bool builtin = false;
	int rc;

	if (!root)
		root = "";
	if (!release) {
		uname(&uts);
		release = uts.release;
	}

	if (exists(root, "/sys/module/iommufd") ||
	    exists(root, "/sys/class/misc/iommu")) {
		say(buf, len,
		    "iommufd is in the running kernel (/sys/module/iommufd) but the device node is missing: is devtmpfs mounted on /dev?");
		return IOMMU_MISSING_NODE;
	}

	state = find_config(root, release, source, sizeof(source));
	switch (state) {
	case CONFIG_MODULE:
		say(buf, len,
		    "the iommufd module is not loaded (%s has CONFIG_IOMMUFD=m): run 'modprobe iommufd'",
		    source);
		return IOMMU_MISSING_NOT_LOADED;
	case CONFIG_BUILTIN:
		say(buf, len,
		    "%s has CONFIG_IOMMUFD=y but /sys/module/iommufd is missing: is this the config of the running kernel, and is sysfs mounted?",
		    source);
		return IOMMU_MISSING_NODE;
	case CONFIG_ABSENT:
		say(buf, len,
		    "kernel %s was built without CONFIG_IOMMUFD (%s): boot a kernel with CONFIG_IOMMUFD=y or =m",
		    release, source);
		return IOMMU_MISSING_NOT_BUILT;
	case CONFIG_UNREADABLE:
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
