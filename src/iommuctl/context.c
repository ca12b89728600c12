// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "diagnose.h"
#include "iommuctl.h"
#include "utf8.h"

const struct iommu_fd *ctx_fd(struct ctx *c)
{
	int rc;

	if (c->have_fd)
		return &c->fd;
	rc = iommu_fd_open(&c->fd, c->device);
	if (!rc) {
		c->have_fd = true;
		return &c->fd;
	}
	switch (-rc) {
	case ENOENT:
	case ENODEV:
	case ENXIO:
		/* No node, or a node without a driver: not here. */
		c->err.exit = EXIT_UNSUPPORTED;
		c->err.kind = "unsupported";
		/* Only the default node's absence says something of the kernel. */
		if (strcmp(c->device, IOMMU_DEFAULT_DEVICE))
			snprintf(c->err.hint, sizeof(c->err.hint),
				 "--device %s: %s; it names the iommufd node, %s by default",
				 c->device, strerror(-rc),
				 IOMMU_DEFAULT_DEVICE);
		else
			iommu_diagnose_missing(NULL, NULL, c->err.hint,
					       sizeof(c->err.hint));
		break;
	case EACCES:
	case EPERM:
		c->err.exit = EXIT_KERNEL;
		c->err.kind = "kernel";
		utf8_snprintf(c->err.hint, sizeof(c->err.hint),
			      "opening %s needs root or write access to it",
			      c->device);
		break;
	default:
		c->err.exit = EXIT_KERNEL;
		c->err.kind = "kernel";
		c->err.hint[0] = '\0';
	}
	c->err.ioctl = NULL;
	c->err.err = -rc;
	utf8_snprintf(c->err.message, sizeof(c->err.message),
		      "cannot open %s: %s", c->device, strerror(-rc));
	return NULL;
}

int mem_alloc(struct ctx *c, uint64_t size, bool hugepages, void **va)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE;
	void *p;
	int rc;

	if (size > SIZE_MAX)
		return usage_error(c, "size 0x%llx does not fit in memory",
				   (unsigned long long)size);
	if (hugepages)
		flags |= MAP_HUGETLB;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, flags, -1, 0);
	if (p == MAP_FAILED) {
		rc = sys_error(c, -errno, "mmap of 0x%llx bytes%s",
			       (unsigned long long)size,
			       hugepages ? " of huge pages" : "");
		if (hugepages)
			snprintf(
				c->err.hint, sizeof(c->err.hint),
				"huge pages must be reserved (/proc/sys/vm/nr_hugepages) and SIZE a multiple of their size");
		return rc;
	}
	*va = p;
	return 0;
}

void out_iova_range(struct out *o, const char *key, uint64_t start,
		    uint64_t last)
{
	out_object_begin(o, key);
	out_u64_hex(o, "start", start);
	out_u64_hex(o, "last", last);
	out_object_end(o);
}

int record_done(struct ctx *c)
{
	int rc;

	rc = out_record_end(c->out);
	if (rc)
		return internal_error(c, rc, "building the output");
	return EXIT_OK;
}
