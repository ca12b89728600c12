/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_SYSFS_READ_H
#define IOMMUCTL_SYSFS_READ_H

#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * What the sysfs and procfs readers (module.c, group.c, mdev.c,
 * holders.c, kconfig.c, miscdev.c) share: paths under a root prefix, so
 * that the unit tests run them on fixture trees, and small readers of
 * attribute files and directories. Library-internal; 0 or -errno.
 */

/* ROOT (NULL: "") and then FMT into buf; -ENAMETOOLONG when it does not fit. */
__attribute__((format(printf, 4, 5))) int
sysfs_path(char *buf, size_t len, const char *root, const char *fmt, ...);

/*
 * dir/name into buf. A path that does not fit becomes "", which names
 * nothing, so the caller sees the attribute as absent rather than read
 * some other file through a cut path.
 */
void sysfs_join(char *buf, size_t len, const char *dir, const char *name);

bool sysfs_exists(const char *path);

/* The first line of an attribute, without its newline; "" when empty. */
int sysfs_read_attr(const char *path, char **out);

/* The last component of where a symlink points. */
int sysfs_read_link_base(const char *path, char **out);

/* Sorted entries of a directory; *nr = 0 and 0 when it does not exist. */
int sysfs_list_dir(const char *path, struct dirent ***ents, unsigned int *nr);
void sysfs_free_dir(struct dirent **ents, unsigned int nr);

/*
 * Entries that start with a digit (IOMMU groups, pids), in numeric
 * order: their number, or -errno from scandir(3).
 */
int sysfs_list_numbered(const char *path, struct dirent ***ents);

/* The names in a directory as strings; none when it does not exist. */
int sysfs_read_names(const char *path, char ***v, unsigned int *nr);
void sysfs_free_names(char **v, unsigned int nr);

bool sysfs_all_digits(const char *s);

/* Grow *array (of size elem) by one zeroed element; NULL on ENOMEM. */
void *sysfs_grow(void *array_p, unsigned int *nr, size_t elem);

#endif
