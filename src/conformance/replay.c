// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "compat.h"
#include "dirty-bits.h"
#include "fd.h"
#include "ioas.h"
#include "ioctl.h"
#include "iommuctl_dmaprobe.h"
#include "module.h"
#include "names.h"
#include "replay.h"
#include "vfio-group.h"

static const struct backend_desc backends[BK_COUNT] = {
	[BK_TYPE1] = {
		.name = "type1",
		.path = "/dev/vfio/vfio",
		.vfio_container = true,
		.uses_group = true,
		.side = SIDE_TYPE1,
	},
	[BK_IOMMUFD] = {
		.name = "iommufd",
		.path = "/dev/iommu",
		.native = true,
		.uses_group = true,
		.side = SIDE_IOMMUFD,
	},
	[BK_IOMMUFD_NODEV] = {
		.name = "iommufd-nodev",
		.path = "/dev/iommu",
		.native = true,
		.side = SIDE_IOMMUFD_NODEV,
		.no_group = "iommufd-nodev has no group",
		.no_device = "iommufd-nodev has no device",
		.no_region = "iommufd-nodev has no device to map a region of",
		.no_second_attach = "iommufd-nodev has no group to attach twice",
	},
};

const struct backend_desc *backend_desc(enum backend bk)
{
	return bk < BK_COUNT ? &backends[bk] : NULL;
}

const char *backend_name(enum backend bk)
{
	return bk < BK_COUNT ? backends[bk].name : NULL;
}

int backend_lookup(const char *name)
{
	int i;

	for (i = 0; i < BK_COUNT; i++)
		if (!strcmp(name, backends[i].name))
			return i;
	return -ENOENT;
}

void op_result_release(struct op_result *res)
{
	field_list_release(&res->fields);
}

/* Recorded where it is seen: a result that lost fields says so. */
static void added(struct op_result *res, int rc)
{
	if (!rc)
		return;
	res->skipped = true;
	res->skip_reason = "a result field could not be recorded";
}

void op_result_finish(struct op_result *res)
{
	if (res->has_unmapped && !res->skipped)
		added(res, field_add_hex(&res->fields, "unmapped",
					 res->unmapped));
	res->has_unmapped = false;
}

int replay_open(struct replay *rp, enum backend bk,
		const struct replay_target *t, char *why, size_t len)
{
	const struct backend_desc *desc = &backends[bk];
	const char *path = desc->path;
	struct iommu_fd f;
	unsigned int i;
	int rc;

	memset(rp, 0, sizeof(*rp));
	rp->bk = bk;
	rp->desc = desc;
	rp->target = t;
	rp->group = -1;
	rp->device = -1;
	rp->peer_cmd = rp->peer_ans = -1;
	rp->page_size = (uint64_t)sysconf(_SC_PAGESIZE);
	for (i = 0; i < TRACE_MAX_BUFFERS; i++)
		rp->buf_err[i] = ENOENT;

	if (desc->uses_group && t->group < 0) {
		snprintf(why, len, "no VFIO group to attach");
		return -ENODEV;
	}
	rc = iommu_fd_open(&f, path);
	if (rc) {
		snprintf(why, len, "cannot open %s: %s (%s)", path,
			 strerror(-rc), errno_name(-rc));
		return rc;
	}
	/* CONFIG_IOMMUFD_VFIO_CONTAINER puts iommufd behind /dev/vfio/vfio. */
	if (f.kind != (desc->vfio_container ? IOMMU_FD_VFIO : IOMMU_FD_IOMMUFD)) {
		snprintf(why, len, "%s is %s, not the %s it should be", path,
			 iommu_fd_kind_name(f.kind),
			 desc->vfio_container ? "VFIO container" : "iommufd");
		iommu_fd_close(&f);
		return -ENODEV;
	}
	rp->container = f.fd;
	replay_mem_open(rp);
	return 0;
}

/* "module" and "param" of a trace_module_params name. */
static void split_param(uint32_t param, char *module, size_t len,
			const char **name)
{
	const char *full = trace_module_param_name(param);
	const char *dot = strchr(full, '.');

	snprintf(module, len, "%.*s", (int)(dot - full), full);
	*name = dot + 1;
}

/* The module parameters the trace wrote, as they were before it. */
static void restore_params(struct replay *rp)
{
	const char *name;
	char module[64];
	uint32_t i;

	for (i = 0; i < TRACE_NR_PARAMS; i++) {
		if (!rp->param_old[i])
			continue;
		split_param(i, module, sizeof(module), &name);
		if (iommu_module_param_set(NULL, module, name, rp->param_old[i]))
			fprintf(stderr,
				"iommuctl-conformance: cannot put %s.%s back to %s\n",
				module, name, rp->param_old[i]);
		free(rp->param_old[i]);
		rp->param_old[i] = NULL;
	}
}

void replay_close(struct replay *rp)
{
	unsigned int i;

	/* Device before group before container, the order a VMM tears down. */
	if (rp->device >= 0)
		close(rp->device);
	if (rp->group >= 0)
		close(rp->group);
	close(rp->container);
	for (i = 0; i < TRACE_MAX_BUFFERS; i++)
		if (rp->map_base[i])
			munmap(rp->map_base[i], rp->map_len[i]);
	replay_peer_stop(rp);
	/* After the container: type1 reads dma_entry_limit at SET_IOMMU. */
	restore_params(rp);
	replay_mem_restore(rp);
}

void replay_buffer(struct replay *rp, unsigned int index,
		   const struct trace_buffer *b)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS, fd = -1, prot;
	uint64_t align = b->align ? b->align : rp->page_size;
	size_t len;
	uintptr_t a;
	void *p;

	if (b->size > SIZE_MAX / 2 || align > SIZE_MAX / 2) {
		rp->buf_err[index] = ENOMEM;
		return;
	}
	rp->buf_pending[index] = b->kind == TRACE_BUF_DEVICE_REGION;
	if (rp->buf_pending[index]) {
		rp->buf_len[index] = b->size;
		rp->buf_prot[index] = b->prot;
		rp->buf_region[index] = b->region;
		rp->buf_region_offset[index] = b->region_offset;
		return;
	}
	/* Over-allocate so the buffer can start at the declared alignment. */
	len = (b->size + align - 1 + rp->page_size - 1) & ~(rp->page_size - 1);
	if (b->kind == TRACE_BUF_HUGETLB) {
		flags |= MAP_HUGETLB;
	} else if (b->kind == TRACE_BUF_MEMFD) {
		fd = memfd_create("iommuctl-conformance", MFD_CLOEXEC);
		if (fd < 0 || ftruncate(fd, (off_t)len)) {
			rp->buf_err[index] = errno;
			if (fd >= 0)
				close(fd);
			return;
		}
		flags = MAP_SHARED;
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, fd, 0);
	if (fd >= 0)
		close(fd);
	if (p == MAP_FAILED) {
		rp->buf_err[index] = errno;
		return;
	}
	a = ((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1);
	prot = (b->prot & TRACE_PROT_READ ? PROT_READ : 0) |
	       (b->prot & TRACE_PROT_WRITE ? PROT_WRITE : 0);
	if (mprotect(p, len, prot)) {
		rp->buf_err[index] = errno;
		munmap(p, len);
		return;
	}
	rp->map_base[index] = p;
	rp->map_len[index] = len;
	rp->buf[index] = (void *)a;
	rp->buf_len[index] = b->size;
	rp->buf_prot[index] = b->prot;
	rp->buf_err[index] = 0;
}

/* Byte i of a pattern: the value's bytes, little-endian, repeating. */
static uint8_t pattern_byte(uint64_t pattern, uint64_t i)
{
	return (uint8_t)(pattern >> (8 * (i % 8)));
}

/* VFIO_DEVICE_GET_REGION_INFO, Linux 6.12 layout. */

struct region_info {
	uint32_t argsz;
	uint32_t flags;
	uint32_t index;
	uint32_t cap_offset;
	uint64_t size;
	uint64_t offset;
};

/* Map a device_region buffer from the replay's device, once. */
static bool map_region(struct replay *rp, unsigned int i, struct op_result *res)
{
	struct region_info info = { .argsz = sizeof(info) };
	int prot;
	void *p;

	if (!rp->desc->uses_group || rp->device < 0) {
		res->skipped = true;
		res->skip_reason =
			!rp->desc->uses_group ?
				rp->desc->no_region :
				"a device_region buffer needs open_device first";
		return false;
	}
	info.index = rp->buf_region[i];
	if (ioctl(rp->device, IC_VFIO_DEVICE_GET_REGION_INFO, &info) ||
	    rp->buf_region_offset[i] > info.size ||
	    rp->buf_len[i] > info.size - rp->buf_region_offset[i]) {
		res->skipped = true;
		res->skip_reason =
			"the device has no such region, or it is too small";
		return false;
	}
	prot = (rp->buf_prot[i] & TRACE_PROT_READ ? PROT_READ : 0) |
	       (rp->buf_prot[i] & TRACE_PROT_WRITE ? PROT_WRITE : 0);
	p = mmap(NULL, rp->buf_len[i], prot, MAP_SHARED, rp->device,
		 (off_t)(info.offset + rp->buf_region_offset[i]));
	if (p == MAP_FAILED) {
		res->skipped = true;
		res->skip_reason = "the device region cannot be mmapped";
		return false;
	}
	rp->map_base[i] = p;
	rp->map_len[i] = rp->buf_len[i];
	rp->buf[i] = p;
	rp->buf_pending[i] = false;
	rp->buf_err[i] = 0;
	return true;
}

bool replay_user_address(struct replay *rp, const struct trace_opdesc *d,
			 struct op_result *res, uint64_t *va)
{
	if (d->buffer < 0) {
		*va = d->offset;
		return true;
	}
	if (rp->buf_pending[d->buffer] && !map_region(rp, d->buffer, res))
		return false;
	if (rp->buf_err[d->buffer]) {
		res->skipped = true;
		res->skip_reason = "the op's buffer could not be allocated";
		return false;
	}
	*va = (uintptr_t)rp->buf[d->buffer] + d->offset;
	return true;
}

/*
 * The struct ioctls run on a byte buffer rather than a typed struct so a
 * trace can set any argsz: the kernel reads and writes what argsz says.
 */
#define ARGBUF_LEN (TRACE_MAX_BYTES + 64)

/* Bytes the kernel may read: the struct, or more when argsz says so. */
static size_t arg_len(const struct trace_opdesc *d, size_t size)
{
	if (d->has_argsz && d->argsz > size)
		return d->argsz < ARGBUF_LEN ? d->argsz : ARGBUF_LEN;
	return size;
}

/* MAP_DMA's struct as op d gives it, for user address va. */
static void map_arg(const struct trace_opdesc *d, uint64_t va,
		    struct ic_vfio_iommu_type1_dma_map *map)
{
	map->argsz = d->has_argsz ? d->argsz : sizeof(*map);
	map->flags = d->has_flags ? d->flags :
				    IC_VFIO_DMA_MAP_FLAG_READ |
					    IC_VFIO_DMA_MAP_FLAG_WRITE;
	map->vaddr = va;
	map->iova = d->iova;
	map->size = d->size;
}

static void do_map(struct replay *rp, const struct trace_opdesc *d,
		   struct op_result *res)
{
	union {
		struct ic_vfio_iommu_type1_dma_map map;
		uint8_t raw[ARGBUF_LEN];
	} a;
	uint64_t va;

	if (!replay_user_address(rp, d, res, &va))
		return;
	memset(&a, 0, arg_len(d, sizeof(a.map)));
	map_arg(d, va, &a.map);
	res->err = -ic_ioctl(rp->container, IC_VFIO_IOMMU_MAP_DMA, &a);
}

/*
 * The bitmap an op hands the kernel: zeroed, as a VMM passes it (type1
 * ORs in what is there when a mapping starts inside a word), with a word
 * to spare past bitmap_size, so that a write beyond it shows.
 */
static uint64_t *bitmap_alloc(const struct trace_opdesc *d,
			      struct op_result *res, size_t *nwords)
{
	uint64_t *bm;

	*nwords = (size_t)(d->bitmap_size + 7) / 8 + 1;
	bm = calloc(*nwords, sizeof(*bm));
	if (!bm) {
		res->skipped = true;
		res->skip_reason = "out of memory";
	}
	return bm;
}

/* What the kernel left in the bitmap: always after success. */
static void dirty_field(struct op_result *res, const uint64_t *bm,
			size_t nwords)
{
	char text[1024];
	bool any = false;
	size_t i;

	for (i = 0; i < nwords; i++)
		any |= bm[i] != 0;
	if (res->err && !any)
		return;
	if (dirty_bits_format(bm, nwords, text, sizeof(text)))
		snprintf(text, sizeof(text), "(over %zu characters)",
			 sizeof(text) - 1);
	added(res, field_add_str(&res->fields, "dirty", text));
}

/* UNMAP_DMA's struct as op d gives it; len: its size with the bitmap. */
static void unmap_arg(const struct trace_opdesc *d, uint32_t len,
		      struct ic_vfio_iommu_type1_dma_unmap *unmap)
{
	unmap->argsz = d->has_argsz ? d->argsz : len;
	unmap->flags = d->flags;
	unmap->iova = d->iova;
	unmap->size = d->size;
}

static void do_unmap(struct replay *rp, const struct trace_opdesc *d,
		     struct op_result *res)
{
	const size_t minsz = sizeof(struct ic_vfio_iommu_type1_dma_unmap);
	union {
		struct ic_vfio_iommu_type1_dma_unmap unmap;
		uint8_t raw[ARGBUF_LEN];
	} a;
	struct ic_vfio_bitmap bitmap;
	uint64_t *bm = NULL;
	size_t nwords = 0;

	if (d->has_bitmap) {
		bm = bitmap_alloc(d, res, &nwords);
		if (!bm)
			return;
	}
	memset(&a, 0, arg_len(d, minsz + (bm ? sizeof(bitmap) : 0)));
	unmap_arg(d, minsz + (bm ? sizeof(bitmap) : 0), &a.unmap);
	if (bm) {
		bitmap.pgsize = d->pgsize;
		bitmap.size = d->bitmap_size;
		bitmap.data = bm;
		memcpy(a.raw + minsz, &bitmap, sizeof(bitmap));
	}
	res->err = -ic_ioctl(rp->container, IC_VFIO_IOMMU_UNMAP_DMA, &a);
	if (bm) {
		dirty_field(res, bm, nwords);
		free(bm);
	}
	/*
	 * Whatever the errno: what a failed unmap writes back into size
	 * is compared too. Kept as a number: formatting waits for
	 * op_result_finish(), off the replay's hot path.
	 */
	res->has_unmapped = true;
	res->unmapped = a.unmap.size;
}

/* The capability chain, field by field. */
static void chain_fields(struct op_result *res, const void *buf, size_t len)
{
	char order[128], key[FIELD_KEY_LEN], ver[16], mig[128];
	struct iommu_compat_info info;
	const char *name;
	unsigned int i;
	size_t n;

	if (iommu_compat_info_decode(buf, len, &info))
		return;
	/*
	 * Each capability under its own key, and the order apart: a consumer
	 * walks the chain by id, so a different order is a smaller finding
	 * than a missing capability and should not hide one.
	 */
	order[0] = '\0';
	for (i = 0; i < info.nr_caps; i++) {
		name = vfio_info_cap_name(info.caps[i].id);
		if (name)
			snprintf(key, sizeof(key), "cap.%s", name);
		else
			snprintf(key, sizeof(key), "cap.%u", info.caps[i].id);
		snprintf(ver, sizeof(ver), "v%u", info.caps[i].version);
		added(res, field_add_str(&res->fields, key, ver));
		n = strlen(order);
		snprintf(order + n, sizeof(order) - n, "%s%s", i ? "," : "",
			 name ? name : "?");
	}
	if (info.nr_caps)
		added(res, field_add_str(&res->fields, "cap_order", order));
	if (info.has_iova_ranges) {
		added(res, field_add_u64(&res->fields, "iova_ranges",
					 info.nr_iova_ranges));
		for (i = 0; i < info.nr_iova_ranges; i++) {
			snprintf(key, sizeof(key), "iova_range[%u]", i);
			added(res, field_add_range(&res->fields, key,
						   info.iova_ranges[i].start,
						   info.iova_ranges[i].end));
		}
	}
	if (info.has_migration) {
		snprintf(mig, sizeof(mig),
			 "flags:0x%" PRIx32 ",pgsizes:0x%" PRIx64
			 ",max_bitmap:0x%" PRIx64,
			 info.migration_flags, info.migration_pgsize_bitmap,
			 info.migration_max_dirty_bitmap_size);
		added(res, field_add_str(&res->fields, "migration", mig));
	}
	if (info.has_dma_avail)
		added(res, field_add_u64(&res->fields, "dma_avail",
					 info.dma_avail));
	if (info.chain_error[0])
		added(res, field_add_str(&res->fields, "chain_error", "broken"));
	iommu_compat_info_release(&info);
}

/* Filler the kernel never writes, so written bytes can be told apart. */
#define POISON 0xa5

static void do_get_info(struct replay *rp, const struct trace_opdesc *d,
			struct op_result *res)
{
	struct ic_vfio_iommu_type1_info *hdr;
	size_t len, written = 0, i;
	uint32_t asked;
	uint8_t *buf;

	len = d->has_argsz && d->argsz > ARGBUF_LEN ? d->argsz : ARGBUF_LEN;
	buf = malloc(len);
	if (!buf) {
		res->skipped = true;
		res->skip_reason = "out of memory";
		return;
	}
	memset(buf, POISON, len);
	hdr = (void *)buf;
	/* Without argsz the trace means "what a VMM asks": room for all. */
	asked = d->has_argsz ? d->argsz : ARGBUF_LEN;
	hdr->argsz = asked;
	hdr->flags = 0;
	res->err = -ic_ioctl(rp->container, IC_VFIO_IOMMU_GET_INFO, buf);
	for (i = sizeof(hdr->argsz); i < len; i++)
		if (buf[i] != POISON)
			written = i + 1;
	/* A failed call: only what it wrote back, which is part of the ABI. */
	if (res->err) {
		if (written)
			added(res, field_add_u64(&res->fields, "written",
						 written));
		if (hdr->argsz != asked)
			added(res, field_add_u64(&res->fields, "argsz",
						 hdr->argsz));
		goto out;
	}
	/* Poison left in a field says the kernel did not write it. */
	added(res, field_add_u64(&res->fields, "written", written));
	added(res, field_add_u64(&res->fields, "argsz", hdr->argsz));
	added(res, field_add_hex(&res->fields, "flags", hdr->flags));
	added(res, field_add_hex(&res->fields, "pgsizes", hdr->iova_pgsizes));
	added(res, field_add_hex(&res->fields, "cap_offset", hdr->cap_offset));
	if ((hdr->flags & IC_VFIO_IOMMU_INFO_CAPS) && hdr->cap_offset &&
	    hdr->argsz <= asked)
		chain_fields(res, buf, hdr->argsz);
out:
	free(buf);
}

/* The descriptor a raw ioctl runs on, or -1 with res skipped. */
static int role_fd(struct replay *rp, enum trace_fd_role role,
		   struct op_result *res)
{
	int fd = role == TRACE_FD_GROUP	 ? rp->group :
		 role == TRACE_FD_DEVICE ? rp->device :
					   rp->container;

	/* A VMM asks the group's status before it attaches it. */
	if (fd < 0 && role == TRACE_FD_GROUP && rp->desc->uses_group &&
	    !iommu_vfio_group_open((unsigned int)rp->target->group, &rp->group))
		fd = rp->group;
	if (fd >= 0)
		return fd;
	res->skipped = true;
	if (!rp->desc->uses_group)
		res->skip_reason = role == TRACE_FD_GROUP ?
					   rp->desc->no_group :
					   rp->desc->no_device;
	else
		res->skip_reason = role == TRACE_FD_GROUP ?
					   "the group cannot be opened" :
					   "no device fd is open";
	return -1;
}

static void do_ioctl(struct replay *rp, const struct trace_opdesc *d,
		     unsigned long request, struct op_result *res)
{
	uint8_t buf[ARGBUF_LEN] = { 0 };
	size_t i, n = d->nbytes;
	int rc, fd;

	fd = role_fd(rp, d->fd, res);
	if (fd < 0)
		return;
	if (!d->has_bytes) {
		rc = ic_ioctl_val(fd, request, d->arg);
		res->err = rc < 0 ? -rc : 0;
		if (rc >= 0)
			added(res, field_add_s64(&res->fields, "value", rc));
		return;
	}
	memcpy(buf, d->bytes, n);
	rc = ioctl(fd, request, buf);
	res->err = rc < 0 ? errno : 0;
	if (rc >= 0)
		added(res, field_add_s64(&res->fields, "value", rc));
	for (i = 0; i < n && buf[i] == d->bytes[i]; i++)
		;
	if (i < n)
		added(res, field_add_u64(&res->fields, "first_written", i));
}

/*
 * VFIO_IOMMU_DIRTY_PAGES as raw bytes (any argsz), with GET_BITMAP's
 * range and a bitmap after the header when the op has one.
 */
static void do_dirty_pages(struct replay *rp, const struct trace_opdesc *d,
			   struct op_result *res)
{
	struct ic_vfio_iommu_type1_dirty_bitmap hdr = { .flags = d->flags };
	struct ic_vfio_iommu_type1_dirty_bitmap_get get;
	struct trace_opdesc *raw;
	uint64_t *bm = NULL;
	size_t nwords = 0;

	raw = malloc(sizeof(*raw));
	if (!raw) {
		res->skipped = true;
		res->skip_reason = "out of memory";
		return;
	}
	*raw = *d;
	raw->nbytes = sizeof(hdr);
	if (d->has_bitmap) {
		bm = bitmap_alloc(d, res, &nwords);
		if (!bm)
			goto out;
		get.iova = d->iova;
		get.size = d->size;
		get.bitmap.pgsize = d->pgsize;
		get.bitmap.size = d->bitmap_size;
		get.bitmap.data = bm;
		memcpy(raw->bytes + sizeof(hdr), &get, sizeof(get));
		raw->nbytes += sizeof(get);
	}
	hdr.argsz = d->has_argsz ? d->argsz : (uint32_t)raw->nbytes;
	memcpy(raw->bytes, &hdr, sizeof(hdr));
	raw->has_bytes = true;
	do_ioctl(rp, raw, IC_VFIO_IOMMU_DIRTY_PAGES, res);
	if (bm && !res->skipped)
		dirty_field(res, bm, nwords);
out:
	free(bm);
	free(raw);
}

static void do_value(struct replay *rp, unsigned long request, uint32_t arg,
		     struct op_result *res)
{
	int rc = ic_ioctl_val(rp->container, request, arg);

	res->err = rc < 0 ? -rc : 0;
	if (rc >= 0)
		added(res, field_add_s64(&res->fields, "value", rc));
}

static void do_attach(struct replay *rp, struct op_result *res)
{
	uint32_t flags, ioas;
	int rc;

	if (!rp->desc->uses_group) {
		/*
		 * What a user without a device does: make the compat IOAS.
		 * A second one would answer a question no group asked.
		 */
		if (rp->attached) {
			res->skipped = true;
			res->skip_reason = rp->desc->no_second_attach;
			return;
		}
		rc = iommu_ioas_alloc(rp->container, &ioas);
		rp->attached = !rc;
		if (!rc)
			rc = iommu_vfio_ioas_set(rp->container, ioas);
		res->err = -rc;
		return;
	}
	/* Attached already: the kernel says what a second SET_CONTAINER is. */
	rc = rp->group >= 0 ?
		     0 :
		     iommu_vfio_group_open((unsigned int)rp->target->group,
					   &rp->group);
	/*
	 * A group that never attached may not be usable here, which is the
	 * machine's, not a result. Once it did, its status is the kernel's
	 * business: a device still bound to an iommufd claims the group's
	 * DMA ownership, which makes the group read as not viable.
	 */
	if (!rc && !rp->group_was_set)
		rc = iommu_vfio_group_status(rp->group, &flags);
	if (!rc && !rp->group_was_set &&
	    !(flags & IC_VFIO_GROUP_FLAGS_VIABLE)) {
		res->skipped = true;
		res->skip_reason =
			"the group is not viable: not all its devices are bound to VFIO";
		return;
	}
	if (!rc)
		rc = iommu_vfio_group_set_container(rp->group, rp->container);
	rp->group_set |= !rc;
	rp->group_was_set |= !rc;
	res->err = -rc;
}

/*
 * The group leaves the container or IOAS: VFIO_GROUP_UNSET_CONTAINER, or
 * the last close of the group fd (the group's release does the same
 * detach, once no device fd holds the group). A later attach_group puts
 * it back, opening the group anew after a close.
 */
static void do_detach(struct replay *rp, const struct trace_opdesc *d,
		      struct op_result *res)
{
	if (!rp->desc->uses_group) {
		res->skipped = true;
		res->skip_reason = rp->desc->no_group;
		return;
	}
	if (rp->group < 0) {
		res->err = EBADF;
		return;
	}
	if (d->op == OP_DETACH_GROUP) {
		res->err = -iommu_vfio_group_unset_container(rp->group);
		if (!res->err)
			rp->group_set = false;
		return;
	}
	res->err = close(rp->group) ? errno : 0;
	rp->group = -1;
	rp->group_set = false;
}

static void do_open_device(struct replay *rp, struct op_result *res)
{
	struct dmaprobe_info info = { .argsz = sizeof(info) };
	int rc;

	if (!rp->desc->uses_group) {
		res->skipped = true;
		res->skip_reason = rp->desc->no_device;
		return;
	}
	if (rp->group < 0 || rp->device >= 0) {
		res->err = rp->group < 0 ? EBADF : EBUSY;
		return;
	}
	rc = iommu_vfio_group_device_fd(rp->group, rp->target->device,
					&rp->device);
	res->err = -rc;
	if (!rc)
		rp->probe = !ic_ioctl(rp->device, DMAPROBE_GET_INFO, &info);
}

/*
 * The last close of the device fd: the driver's close_device (the DMA
 * probe drops its pins there) and the VFIO core's unbind from the
 * container or IOAS. A device_region buffer mapped from it keeps it open
 * in the kernel until the replay ends.
 */
static void do_close_device(struct replay *rp, struct op_result *res)
{
	if (!rp->desc->uses_group) {
		res->skipped = true;
		res->skip_reason = rp->desc->no_device;
		return;
	}
	if (rp->device < 0) {
		res->err = EBADF;
		return;
	}
	res->err = close(rp->device) ? errno : 0;
	rp->device = -1;
	rp->probe = false;
}

/*
 * A module parameter for the ops after this one, on this backend. The
 * first write of each keeps the value it replaced, which replay_close()
 * puts back: the next backend, and the system, start from what they had.
 */
static void do_module_param(struct replay *rp, const struct trace_opdesc *d,
			    struct op_result *res)
{
	const char *name;
	char module[64], value[24];
	int rc;

	split_param(d->param, module, sizeof(module), &name);
	if (!rp->param_old[d->param]) {
		rc = iommu_module_param_get(NULL, module, name,
					    &rp->param_old[d->param]);
		if (rc) {
			res->err = -rc;
			return;
		}
	}
	snprintf(value, sizeof(value), "%" PRIu64, d->val64);
	res->err = -iommu_module_param_set(NULL, module, name, value);
}

/* "match", or "differs@0xOFFSET" at the first byte that differs. */
static void differs(struct op_result *res, const char *key, bool match,
		    uint64_t at)
{
	char v[32];

	if (match)
		snprintf(v, sizeof(v), "match");
	else
		snprintf(v, sizeof(v), "differs@0x%" PRIx64, at);
	added(res, field_add_str(&res->fields, key, v));
}

static void do_memory(struct replay *rp, const struct trace_opdesc *d,
		      struct op_result *res)
{
	uint8_t *p;
	uint64_t i;

	if (rp->buf_err[d->buffer]) {
		res->skipped = true;
		res->skip_reason = "the op's buffer could not be allocated";
		return;
	}
	p = (uint8_t *)rp->buf[d->buffer] + d->offset;
	if (!(rp->buf_prot[d->buffer] &
	      (d->op == OP_WRITE ? TRACE_PROT_WRITE : TRACE_PROT_READ))) {
		res->err = EACCES;
		return;
	}
	/* Memory a skipped device step should have written proves nothing. */
	if (d->op == OP_VERIFY && rp->device_skipped) {
		res->skipped = true;
		res->skip_reason =
			"an earlier device step was skipped on this backend";
		return;
	}
	if (d->op == OP_WRITE) {
		for (i = 0; i < d->size; i++)
			p[i] = pattern_byte(d->pattern, i);
		return;
	}
	for (i = 0; i < d->size; i++)
		if (p[i] != pattern_byte(d->pattern, i))
			break;
	differs(res, "memory", i == d->size, i);
}

static void do_dma(struct replay *rp, const struct trace_opdesc *d,
		   struct op_result *res)
{
	struct dmaprobe_dma dma = { .argsz = sizeof(dma) };
	struct dmaprobe_pin pin = { .argsz = sizeof(pin) };
	struct dmaprobe_unpin unpin = { .argsz = sizeof(unpin) };
	uint8_t *data = NULL;
	uint64_t i;

	if (rp->device < 0 || !rp->probe) {
		rp->device_skipped = true;
		res->skipped = true;
		res->skip_reason = rp->device < 0 ?
					   "no device fd is open" :
					   "the device is not a DMA-probe mdev";
		return;
	}
	switch (d->op) {
	case OP_DMA_WRITE:
	case OP_DMA_READ:
		dma.iova = d->iova;
		dma.length = d->size;
		dma.flags = d->kthread ? DMAPROBE_DMA_KTHREAD : 0;
		/* For a read the trace's pattern is what to expect, not send. */
		if (d->op == OP_DMA_WRITE)
			dma.pattern = d->pattern;
		if (d->op == OP_DMA_READ) {
			data = calloc(1, d->size ? d->size : 1);
			if (!data) {
				res->skipped = true;
				res->skip_reason = "out of memory";
				return;
			}
			dma.data = (uintptr_t)data;
		}
		res->err = -ic_ioctl(rp->device,
				     d->op == OP_DMA_WRITE ?
					     DMAPROBE_DMA_WRITE :
					     DMAPROBE_DMA_READ,
				     &dma);
		if (res->err)
			break;
		added(res, field_add_errno(&res->fields, "status",
					   (int)dma.status));
		if (d->op == OP_DMA_READ && !dma.status) {
			for (i = 0; i < d->size; i++)
				if (data[i] != pattern_byte(d->pattern, i))
					break;
			differs(res, "data", i == d->size, i);
		}
		break;
	case OP_PIN:
		pin.iova = d->iova;
		pin.npages = d->npages;
		pin.flags = d->write ? DMAPROBE_PIN_WRITE : 0;
		res->err = -ic_ioctl(rp->device, DMAPROBE_PIN, &pin);
		if (!res->err)
			added(res, field_add_errno(&res->fields, "status",
						   (int)pin.status));
		break;
	default:
		unpin.iova = d->iova;
		unpin.length = d->size;
		res->err = -ic_ioctl(rp->device, DMAPROBE_UNPIN, &unpin);
		if (!res->err) {
			added(res, field_add_u64(&res->fields, "released",
						 unpin.released));
			added(res, field_add_u64(&res->fields, "pages",
						 unpin.pages));
		}
		break;
	}
	free(data);
}

static void check_expect(const struct trace_expect *e, struct op_result *res)
{
	const struct field *v;

	if (e->has_errno && e->err != res->err) {
		res->expect_failed = "errno";
		return;
	}
	if (e->has_unmapped &&
	    (!res->has_unmapped || res->unmapped != e->unmapped)) {
		res->expect_failed = "unmapped";
		return;
	}
	if (e->has_value) {
		v = field_find(&res->fields, "value");
		if (!v || v->kind != FIELD_S64 || v->s != e->value) {
			res->expect_failed = "value";
			return;
		}
	}
	/*
	 * The bits, where the call succeeded: a backend that refuses it
	 * writes no bitmap, and that difference is the comparison's.
	 */
	if (e->dirty[0] && !res->err) {
		v = field_find(&res->fields, "dirty");
		if (!v || v->kind != FIELD_STR || strcmp(v->str, e->dirty))
			res->expect_failed = "dirty";
	}
}

/*
 * The trace's reason for an unreplayable op, kept for the report, which
 * outlives the record. Traces repeat a handful of reasons.
 */
static const char *intern(const char *reason)
{
	static char kept[32][TRACE_TEXT_LEN];
	static unsigned int nr;
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (!strcmp(kept[i], reason))
			return kept[i];
	if (nr == sizeof(kept) / sizeof(kept[0]))
		return "the trace marks it unreplayable";
	snprintf(kept[nr], sizeof(kept[nr]), "%s", reason);
	return kept[nr++];
}

void replay_op(struct replay *rp, const struct trace_opdesc *d,
	       struct op_result *res)
{
	memset(res, 0, sizeof(*res));
	if (d->unreplayable[0]) {
		res->skipped = true;
		res->skip_reason = intern(d->unreplayable);
		return;
	}
	switch (d->op) {
	case OP_GET_API_VERSION:
		do_value(rp, IC_VFIO_GET_API_VERSION, 0, res);
		break;
	case OP_CHECK_EXTENSION:
		do_value(rp, IC_VFIO_CHECK_EXTENSION, d->arg, res);
		break;
	case OP_SET_IOMMU:
		do_value(rp, IC_VFIO_SET_IOMMU, d->arg, res);
		break;
	case OP_GET_INFO:
		do_get_info(rp, d, res);
		break;
	case OP_MAP_DMA:
		do_map(rp, d, res);
		break;
	case OP_UNMAP_DMA:
	case OP_DIRTY_PAGES:
		/* A bitmap after a skipped device step lacks its writes. */
		if (d->has_bitmap && rp->device_skipped) {
			res->skipped = true;
			res->skip_reason =
				"an earlier device step was skipped on this backend";
			break;
		}
		if (d->op == OP_UNMAP_DMA)
			do_unmap(rp, d, res);
		else
			do_dirty_pages(rp, d, res);
		break;
	case OP_IOCTL:
		do_ioctl(rp, d, d->request, res);
		break;
	case OP_ATTACH_GROUP:
		do_attach(rp, res);
		break;
	case OP_OPEN_DEVICE:
		do_open_device(rp, res);
		break;
	case OP_CLOSE_DEVICE:
		do_close_device(rp, res);
		break;
	case OP_MODULE_PARAM:
		do_module_param(rp, d, res);
		break;
	case OP_MEMLOCK:
		replay_memlock(rp, d, res);
		break;
	case OP_MLOCK:
		replay_mlock(rp, d, res);
		break;
	case OP_LOCKED_MEMORY:
		replay_locked_memory(rp, res);
		break;
	case OP_PEER_MAP:
		replay_peer_map(rp, d, res);
		break;
	case OP_DETACH_GROUP:
	case OP_CLOSE_GROUP:
		do_detach(rp, d, res);
		break;
	case OP_WRITE:
	case OP_VERIFY:
		do_memory(rp, d, res);
		break;
	case OP_DMA_WRITE:
	case OP_DMA_READ:
	case OP_PIN:
	case OP_UNPIN:
		if (!rp->desc->uses_group) {
			rp->device_skipped = true;
			res->skipped = true;
			res->skip_reason = rp->desc->no_device;
			break;
		}
		do_dma(rp, d, res);
		break;
	case OP_IOAS_ALLOC:
	case OP_VFIO_IOAS:
	case OP_DESTROY:
	case OP_FAULT_QUEUE_ALLOC:
	case OP_OPTION:
		replay_native(rp, d, res);
		break;
	case OP_COUNT:
		break;
	}
	if (!res->skipped)
		check_expect(&d->expect, res);
}

bool replay_prepare_op(struct replay *rp, const struct trace_opdesc *d,
		       struct replay_prep *p)
{
	const size_t unmap_len = sizeof(struct ic_vfio_iommu_type1_dma_unmap);
	uint64_t va;

	memset(p, 0, sizeof(*p));
	if (d->unreplayable[0] || trace_expect_any(&d->expect))
		return false;
	switch (d->op) {
	case OP_MAP_DMA:
		if (arg_len(d, sizeof(p->arg.map)) != sizeof(p->arg.map))
			return false;
		if (d->buffer >= 0 && (rp->buf_pending[d->buffer] ||
				       rp->buf_err[d->buffer]))
			return false;
		va = d->buffer < 0 ? d->offset :
				     (uintptr_t)rp->buf[d->buffer] + d->offset;
		map_arg(d, va, &p->arg.map);
		p->request = IC_VFIO_IOMMU_MAP_DMA;
		return true;
	case OP_UNMAP_DMA:
		if (d->has_bitmap || arg_len(d, unmap_len) != unmap_len)
			return false;
		unmap_arg(d, unmap_len, &p->arg.unmap);
		p->request = IC_VFIO_IOMMU_UNMAP_DMA;
		return true;
	default:
		return false;
	}
}

void replay_prepared(struct replay *rp, const struct replay_prep *p,
		     struct op_result *res)
{
	union replay_prep_arg a = p->arg; /* the kernel writes its copy */

	memset(res, 0, sizeof(*res));
	res->err = -ic_ioctl(rp->container, p->request, &a);
	if (p->request == IC_VFIO_IOMMU_UNMAP_DMA) {
		res->has_unmapped = true;
		res->unmapped = a.unmap.size;
	}
}
