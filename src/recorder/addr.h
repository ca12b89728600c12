/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_RECORDER_ADDR_H
#define IOMMUCTL_RECORDER_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * User addresses. Under the lock: the buffer that holds [va, va+len),
 * declared in the log the first time (its name into name), and the
 * offset of va in it. 0, -ENOENT (va is in no mapping) or -ENOSPC (no
 * room to declare one more buffer).
 */
int rec_addr_resolve(uint64_t va, uint64_t len, char *name, size_t namelen,
		     uint64_t *offset);
/*
 * Under the lock: while it returns the same non-zero number, an answer
 * rec_addr_resolve() gave as 0 stands: only the declared buffers, which
 * never change and only grow in number, decide it (no device mapping is
 * known, whose answers come first).
 */
unsigned int rec_addr_epoch(void);
/* A mapping of a device fd, and its removal. */
void rec_region_add(uint64_t start, uint64_t len, int prot, uint64_t pgoff);
void rec_region_remove(uint64_t start, uint64_t len);
/* Any device mapping to forget at munmap: checked without the lock. */
bool rec_regions_active(void);
/* A new log declares buffers anew. */
void rec_addr_forget(void);

#endif
