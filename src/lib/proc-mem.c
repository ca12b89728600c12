// SPDX-License-Identifier: GPL-2.0-or-later
/* VmLck and VmPin of /proc/PID/status (proc-mem.h). */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "proc-mem.h"
#include "sysfs-read.h"

/* "KEY:   N kB" into bytes; false for another line. */
static bool kb_line(const char *line, const char *key, uint64_t *bytes)
{
	size_t n = strlen(key);
	uint64_t kb;
	char unit[4];

	if (strncmp(line, key, n) || line[n] != ':')
		return false;
	if (sscanf(line + n + 1, "%" SCNu64 " %3s", &kb, unit) != 2 ||
	    strcmp(unit, "kB") || kb > UINT64_MAX / 1024)
		return false;
	*bytes = kb * 1024;
	return true;
}

int iommu_proc_mem_read(const char *root, int pid, struct iommu_proc_mem *m)
{
	bool locked = false, pinned = false;
	char path[PATH_MAX], line[256];
	FILE *f;
	int rc;

	if (pid)
		rc = sysfs_path(path, sizeof(path), root, "/proc/%d/status", pid);
	else
		rc = sysfs_path(path, sizeof(path), root, "/proc/self/status");
	if (rc)
		return rc;
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f) && !(locked && pinned)) {
		locked = locked || kb_line(line, "VmLck", &m->locked);
		pinned = pinned || kb_line(line, "VmPin", &m->pinned);
	}
	rc = ferror(f) ? -EIO : 0;
	fclose(f);
	if (!rc && !(locked && pinned))
		rc = -ENODATA;
	return rc;
}
