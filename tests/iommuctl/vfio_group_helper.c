// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Test helper: set up a VFIO container the way a VFIO application does
 * (open the container, attach a group, VFIO_SET_IOMMU) and run a command
 * that gets the container as an inherited fd. The container may be the
 * legacy /dev/vfio/vfio or /dev/iommu: VFIO_GROUP_SET_CONTAINER takes
 * either, which is what lets one test compare the two.
 *
 * Usage: vfio_group_helper CONTAINER GROUP TYPE CMD [ARGS...]
 * TYPE is a VFIO_SET_IOMMU type number, or 0 to skip that step (and the
 * next). With a type, the group's devices are opened too: iommufd
 * attaches a device to the compat IOAS only then, where type1 attaches
 * the group at VFIO_SET_IOMMU already. Every argument "@FD@" is replaced
 * by the container's fd number.
 *
 * Exit status: the command's; 77 when the group cannot be used (not
 * viable, busy, missing), so the caller can skip; 2 on other failures.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <linux/vfio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <limits.h>
#include <unistd.h>

#define EXIT_UNUSABLE 77

/* Open every device of the group; the fds stay open for the command. */
static int open_devices(int group, const char *group_path)
{
	char path[PATH_MAX], copy[PATH_MAX];
	struct dirent *d;
	int n = 0, fd;
	DIR *dir;

	snprintf(copy, sizeof(copy), "%s", group_path);
	snprintf(path, sizeof(path), "/sys/kernel/iommu_groups/%s/devices",
		 basename(copy));
	dir = opendir(path);
	if (!dir) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		fd = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, d->d_name);
		if (fd < 0) {
			fprintf(stderr, "VFIO_GROUP_GET_DEVICE_FD %s: %s\n",
				d->d_name, strerror(errno));
			n = -1;
			break;
		}
		/* Device fds come close-on-exec; the command needs them open. */
		fcntl(fd, F_SETFD, 0);
		n++;
	}
	closedir(dir);
	return n;
}

int main(int argc, char **argv)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	char fdnum[16];
	int container, group, type, i;

	if (argc < 5) {
		fprintf(stderr,
			"usage: vfio_group_helper CONTAINER GROUP TYPE CMD [ARGS...]\n");
		return 2;
	}
	type = atoi(argv[3]);

	container = open(argv[1], O_RDWR);
	if (container < 0) {
		fprintf(stderr, "open %s: %s\n", argv[1], strerror(errno));
		return EXIT_UNUSABLE;
	}
	group = open(argv[2], O_RDWR);
	if (group < 0) {
		fprintf(stderr, "open %s: %s\n", argv[2], strerror(errno));
		return EXIT_UNUSABLE;
	}
	if (ioctl(group, VFIO_GROUP_GET_STATUS, &status)) {
		fprintf(stderr, "VFIO_GROUP_GET_STATUS: %s\n", strerror(errno));
		return 2;
	}
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		fprintf(stderr,
			"%s is not viable: not all its devices are bound to vfio\n",
			argv[2]);
		return EXIT_UNUSABLE;
	}
	if (ioctl(group, VFIO_GROUP_SET_CONTAINER, &container)) {
		fprintf(stderr, "VFIO_GROUP_SET_CONTAINER: %s\n",
			strerror(errno));
		return errno == EBUSY ? EXIT_UNUSABLE : 2;
	}
	if (type && ioctl(container, VFIO_SET_IOMMU, type)) {
		fprintf(stderr, "VFIO_SET_IOMMU %d: %s\n", type,
			strerror(errno));
		return 2;
	}
	if (type && open_devices(group, argv[2]) <= 0)
		return 2;

	snprintf(fdnum, sizeof(fdnum), "%d", container);
	for (i = 4; i < argc; i++)
		if (!strcmp(argv[i], "@FD@"))
			argv[i] = fdnum;
	/* The group fd stays open too: closing it would detach the group. */
	execvp(argv[4], argv + 4);
	fprintf(stderr, "exec %s: %s\n", argv[4], strerror(errno));
	return 2;
}
