/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_RECORD_LIVE_H
#define IOMMUCTL_RECORD_LIVE_H

#include <limits.h>

/*
 * Where a recording's binary logs live while the program runs: a
 * directory of record's own in local memory (by default under
 * /dev/shm), whatever file system the trace goes to. The program's
 * processes write BASE.bin and BASE.PID.bin there (BASE: the trace's
 * name); record turns them into the trace FILE and FILE.PID.
 */
struct live {
	char dir[PATH_MAX];
	char base[NAME_MAX + 1];
	char trace[PATH_MAX]; /* FILE, absolute */
};

/* The default parent of the live directory. */
#define LIVE_PARENT "/dev/shm"

/* A new, private directory under parent; 0 or -errno. */
int live_create(struct live *lv, const char *parent);
/*
 * The trace the logs become (absolute); 0 or -ENAMETOOLONG. path gets
 * what the library is told (IOMMUCTL_RECORD_FILE): DIR/BASE.
 */
int live_name(struct live *lv, const char *trace, char *path, size_t len);

/*
 * fn(log, trace, arg) for every log in the directory: BASE.bin with
 * FILE, BASE.PID.bin with FILE.PID. Stops at the first nonzero return
 * and returns it; 0, or -errno when the directory cannot be read.
 */
int live_each(const struct live *lv,
	      int (*fn)(const char *log, const char *trace, void *arg),
	      void *arg);

/*
 * The records of log published so far, as a log of its own at dest
 * (written to dest.partial and renamed); 0 or -errno. The program may
 * still be appending: the copy ends with the last whole record.
 */
int live_snapshot(const char *log, const char *dest);

/* The directory and all in it removed; 0 or -errno. */
int live_remove(const struct live *lv);

#endif
