// SPDX-License-Identifier: GPL-2.0-or-later
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <zlib.h>

#include "kconfig.h"
#include "sysfs-read.h"

/* gzread() reads plain files too, so one reader serves both sources. */
enum iommu_config_state iommu_config_file_read(const char *path,
					       const char *symbol)
{
	enum iommu_config_state state = IOMMU_CONFIG_NO;
	unsigned int lines = 0;
	char line[512], want[128];
	size_t len;
	gzFile gz;

	len = snprintf(want, sizeof(want), "CONFIG_%s=", symbol);
	if (len >= sizeof(want))
		return IOMMU_CONFIG_UNKNOWN;
	gz = gzopen(path, "rb");
	if (!gz)
		return IOMMU_CONFIG_UNKNOWN;
	while (gzgets(gz, line, sizeof(line))) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "CONFIG_", 7) ||
		    !strncmp(line, "# CONFIG_", 9))
			lines++;
		if (strncmp(line, want, len))
			continue;
		if (!strcmp(line + len, "y"))
			state = IOMMU_CONFIG_YES;
		else if (!strcmp(line + len, "m"))
			state = IOMMU_CONFIG_MODULE;
	}
	if (!gzeof(gz) || !lines)
		state = IOMMU_CONFIG_UNKNOWN;
	gzclose(gz);
	return state;
}

enum iommu_config_state iommu_config_running(const char *root,
					     const char *release,
					     const char *symbol, char *source,
					     size_t len)
{
	enum iommu_config_state state = IOMMU_CONFIG_UNKNOWN;
	char path[PATH_MAX];
	struct utsname u;

	if (!sysfs_path(path, sizeof(path), root, "/proc/config.gz"))
		state = iommu_config_file_read(path, symbol);
	if (state == IOMMU_CONFIG_UNKNOWN) {
		if (!release && uname(&u))
			goto out;
		if (sysfs_path(path, sizeof(path), root, "/boot/config-%s",
			       release ? release : u.release))
			goto out;
		state = iommu_config_file_read(path, symbol);
	}
out:
	if (source)
		snprintf(source, len, "%s", path);
	return state;
}

enum iommu_config_state iommu_config_read(const char *root, const char *release,
					  const char *symbol)
{
	char path[PATH_MAX];

	if (!release)
		return iommu_config_running(root, NULL, symbol, NULL, 0);
	if (sysfs_path(path, sizeof(path), root, "/boot/config-%s", release))
		return IOMMU_CONFIG_UNKNOWN;
	return iommu_config_file_read(path, symbol);
}
