/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the iommuctl_dmaprobe test programs: finding and loading the
 * module, creating mdevs, opening one through a type1 container or an
 * iommufd compat container, and calling the device's ioctls.
 *
 * Conventions: functions named dp_*() fail the test case (ATF_REQUIRE) or
 * skip it (atf_tc_skip) when something they need is missing, so a body reads
 * as the scenario. Functions that return an int return what the kernel
 * answered: 0 or a positive errno, never -1.
 */
#ifndef DMAPROBE_HELPERS_H
#define DMAPROBE_HELPERS_H

#include <atf-c.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iommuctl_dmaprobe.h"

enum dp_backend {
	DP_TYPE1,
	DP_IOMMUFD,
};

struct dp_mdev {
	char uuid[37];
	int group;
};

struct dp_ctx {
	enum dp_backend backend;
	const char *name;
	int container;
	int group;
	int device;
	struct dp_mdev mdev;
};

/* Module */

/* Path of a module file built for the running kernel, or false and why. */
bool dp_module_file(char *path, size_t len, char *why, size_t wlen);
/* Loads our module (and the modules it depends on): 0 or a positive errno. */
int dp_module_load(const char *path);
/* Unloads it: 0 or a positive errno (EAGAIN while it is in use). */
int dp_module_unload(void);
bool dp_module_loaded(void);
/* /sys/module refcnt of our module; fails the test if it is not loaded. */
long dp_module_refcnt(void);
/* Fails the test unless the loaded module is the out-of-tree one we built. */
void dp_module_check_ours(void);
/* Skips unless our module is loaded or can be loaded from a file. */
void dp_require_module(void);

/* mdevs */

/*
 * The steps of dp_mdev_try_create(), for a caller that writes the UUID to
 * DP_TYPE_DIR/create itself: a fresh UUID, recorded for dp_cleanup(); and,
 * once the device exists, its IOMMU group.
 */
#define DP_TYPE_DIR                                 \
	"/sys/class/mdev_bus/" DMAPROBE_PARENT_NAME \
	"/mdev_supported_types/" DMAPROBE_MDEV_TYPE
#define DP_MDEV_DIR "/sys/bus/mdev/devices/"
void dp_mdev_name(struct dp_mdev *m);
void dp_mdev_find_group(struct dp_mdev *m);
/* Creates an mdev: 0 or the errno of the sysfs create write. */
int dp_mdev_try_create(struct dp_mdev *m);
/* Creates an mdev; it is recorded in the work directory for dp_cleanup(). */
void dp_mdev_create(struct dp_mdev *m);
void dp_mdev_remove(const struct dp_mdev *m);
bool dp_mdev_exists(const struct dp_mdev *m);
/* A sysfs gauge of the device: "pins_outstanding" or "pages_pinned". */
long dp_mdev_gauge(const struct dp_mdev *m, const char *name);
long dp_available_instances(void);
/* Cleanup routine: removes the mdevs the body created and left behind. */
void dp_cleanup(void);

/* Device in a container */

/*
 * Head of a test case run against one backend: root, the container device
 * node, a time limit.
 */
void dp_head(atf_tc_t *tc, enum dp_backend b, const char *descr, int timeout);
/*
 * Creates an mdev and opens it through the backend's container with the
 * given VFIO_SET_IOMMU type; skips when the backend is not available.
 */
void dp_open(struct dp_ctx *c, enum dp_backend b, uint32_t iommu_type);
/* Closes the device, the group and the container, removes the mdev. */
void dp_close(struct dp_ctx *c);
/* Reopens the device fd of an open context (after closing it). */
void dp_reopen_device(struct dp_ctx *c);

/* Page-aligned anonymous memory, zeroed. */
void *dp_buffer(size_t size);

int dp_map(struct dp_ctx *c, void *va, uint64_t iova, uint64_t size,
	   bool writable);
int dp_unmap(struct dp_ctx *c, uint64_t iova, uint64_t size, uint32_t flags,
	     uint64_t *unmapped);
/* Maps and requires success. */
void dp_map_ok(struct dp_ctx *c, void *va, uint64_t iova, uint64_t size,
	       bool writable);

/* Device requests: the status the device reported. */
int dp_dma_write(struct dp_ctx *c, uint64_t iova, uint64_t len,
		 uint64_t pattern);
int dp_dma_read(struct dp_ctx *c, uint64_t iova, uint64_t len, void *data);
int dp_pin(struct dp_ctx *c, uint64_t iova, uint32_t npages, uint32_t flags);
/* Returns the number of pins released. */
uint32_t dp_unpin(struct dp_ctx *c, uint64_t iova, uint64_t length);
void dp_counters(struct dp_ctx *c, struct dmaprobe_counters *cnt);

/* Byte i of a DMA write with this pattern. */
uint8_t dp_pattern_byte(uint64_t pattern, uint64_t i);
/* Name of an errno ("EPERM"), "0" for success. */
const char *dp_errname(int err);
/*
 * Prints an observation of the backend, one line on stdout, so kyua's
 * verbose report carries the type1-vs-iommufd evidence.
 */
void dp_observe(const struct dp_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* DMAPROBE_HELPERS_H */
