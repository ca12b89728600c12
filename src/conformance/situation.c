// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "situation.h"

static const char *const cond_names[C_COUNT] = {
	[C_BEFORE_SET_IOMMU] = "before-set-iommu",
	[C_NO_GROUP] = "no-group",
	[C_NO_COMPAT_IOAS] = "no-compat-ioas",
	[C_BEFORE_DEVICE_OPEN] = "before-device-open",
	[C_NO_DOMAIN] = "no-domain",
	[C_EMULATED_GROUP] = "emulated-group",
	[C_V1_MODE] = "v1-mode",
	[C_MEMLOCK] = "memlock",
	[C_MLOCKED] = "mlocked",
	[C_USER_ACCOUNTING] = "user-accounting",
	[C_MSI_UNISOLATED] = "msi-unisolated",
	[C_UNSAFE_INTERRUPTS] = "unsafe-interrupts",
	[C_PEER_MAPPED] = "peer-mapped",
	[C_RANGE_EMPTY] = "range-empty",
	[C_RANGE_CUTS_MAPPING] = "range-cuts-mapping",
	[C_RANGE_COVERS_MAPPINGS] = "range-covers-mappings",
	[C_RANGE_PARTLY_MAPPED] = "range-partly-mapped",
	[C_CUT_AFTER_WHOLE] = "cut-after-whole",
	[C_OVERLAPS] = "overlaps",
	[C_OUTSIDE_IOVA_RANGES] = "outside-iova-ranges",
	[C_PINNED] = "pinned",
	[C_WRITE_ONLY_MAPPING] = "write-only-mapping",
	[C_MAPPINGS_DIFFER] = "mappings-differ",
	[C_UNALIGNED] = "unaligned",
	[C_WRAPS] = "wraps",
	[C_VADDR_WRAPS] = "vaddr-wraps",
	[C_VADDR_ENDS_AT_TOP] = "vaddr-ends-at-top",
	[C_ZERO_SIZE] = "zero-size",
	[C_NO_PROT] = "no-prot",
	[C_P2P_BUFFER] = "p2p-buffer",
	[C_HUGETLB_BUFFER] = "hugetlb-buffer",
	[C_ARGSZ_BELOW_MINIMUM] = "argsz-below-minimum",
	[C_FLAG_ALL] = "flag-all",
	[C_FLAG_VADDR] = "flag-vaddr",
	[C_FLAG_DIRTY] = "flag-dirty",
	[C_UNKNOWN_FLAGS] = "unknown-flags",
	[C_PIN_OVER_512] = "pin-over-512",
	[C_ENTRY_LIMIT] = "entry-limit",
	[C_EXT_TYPE1] = "ext-type1",
	[C_EXT_SPAPR] = "ext-spapr",
	[C_EXT_TYPE1V2] = "ext-type1v2",
	[C_EXT_DMA_CC] = "ext-dma-cc",
	[C_EXT_EEH] = "ext-eeh",
	[C_EXT_NESTING] = "ext-nesting",
	[C_EXT_SPAPR_V2] = "ext-spapr-v2",
	[C_EXT_NOIOMMU] = "ext-noiommu",
	[C_EXT_UNMAP_ALL] = "ext-unmap-all",
	[C_EXT_UPDATE_VADDR] = "ext-update-vaddr",
	[C_EXT_UNKNOWN] = "ext-unknown",
	[C_NONZERO_TAIL] = "nonzero-tail",
	[C_RESERVED_SET] = "reserved-set",
	[C_UNKNOWN_OP] = "unknown-op",
	[C_FAILED] = "failed",
	[C_ARGSZ_TOO_SMALL_FOR_CAPS] = "argsz-too-small-for-caps",
};

/* The uAPI numbers the conditions stand for (linux/vfio.h). */
#define VFIO_TYPE1_IOMMU 1
#define MAP_FLAG_READ (1U << 0)
#define MAP_FLAG_WRITE (1U << 1)
#define MAP_FLAG_VADDR (1U << 2)
#define UNMAP_FLAG_DIRTY (1U << 0)
#define UNMAP_FLAG_ALL (1U << 1)
#define UNMAP_FLAG_VADDR (1U << 2)
/* VFIO_PIN_PAGES_MAX_ENTRIES (linux/vfio.h): type1's largest pin. */
#define PIN_PAGES_MAX_ENTRIES 512
/* offsetofend() of the last field the kernel requires, per ioctl. */
#define MAP_MINSZ 32
#define UNMAP_MINSZ 24
#define INFO_MINSZ 16
#define DIRTY_MINSZ 8
/* IOMMU_VFIO_IOAS's last op, IOMMU_VFIO_IOAS_CLEAR. */
#define VFIO_IOAS_SET 1
#define VFIO_IOAS_CLEAR 2
/* IOMMU_OPTION's ops (GET the last) and its RLIMIT_MODE option. */
#define OPTION_OP_SET 0
#define OPTION_OP_GET 1
#define OPTION_RLIMIT_MODE 0

const char *cond_name(enum cond c)
{
	return c < C_COUNT ? cond_names[c] : NULL;
}

int cond_lookup(const char *name)
{
	int c;

	for (c = 0; c < C_COUNT; c++)
		if (!strcmp(cond_names[c], name))
			return c;
	return -ENOENT;
}

void cond_format(char *buf, size_t len, cond_set set)
{
	size_t n = 0;
	int c;

	if (!len)
		return;
	buf[0] = '\0';
	for (c = 0; c < C_COUNT && n < len; c++) {
		if (!(set & COND_BIT(c)))
			continue;
		n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? " " : "",
				      cond_names[c]);
	}
}

void side_init(struct side *s, enum side_kind kind, bool emulated)
{
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->emulated = emulated;
	s->compat_sym = -1;
}

void side_set_interrupts(struct side *s, bool msi_unisolated,
			 bool unsafe_interrupts)
{
	s->msi_unisolated = msi_unisolated;
	s->unsafe_interrupts = unsafe_interrupts;
}

void side_release(struct side *s)
{
	free(s->maps);
	free(s->pins);
	free(s->valid);
	s->valid = NULL;
	s->nr_valid = 0;
	s->maps = s->pins = NULL;
	s->nr_maps = s->nr_pins = 0;
	s->cap_maps = s->cap_pins = 0;
}

/* A paging domain: type1 makes it at SET_IOMMU, iommufd at device open. */
static bool has_domain(const struct side *s)
{
	if (s->emulated)
		return false;
	switch (s->kind) {
	case SIDE_TYPE1:
		return s->group && s->iommu_set;
	case SIDE_IOMMUFD:
		return s->device;
	default:
		return false;
	}
}

static uint64_t last_of(uint64_t iova, uint64_t size)
{
	/* A range that wraps is taken up to the top of the IOVA space. */
	return iova + size - 1 < iova ? UINT64_MAX : iova + size - 1;
}

static uint64_t range_last(const struct side_range *r)
{
	return last_of(r->iova, r->size);
}

static bool intersects(const struct side_range *r, uint64_t first,
		       uint64_t last)
{
	return r->size && r->iova <= last && range_last(r) >= first;
}

static cond_set range_conds(const struct side *s, uint64_t iova,
			    uint64_t size, bool mapping_op)
{
	uint64_t last = last_of(iova, size), covered = 0, lo, hi;
	bool any = false, cut = false, head_cut = false, whole = false;
	const struct side_range *m;
	cond_set set = 0;
	unsigned int i;

	if (!size)
		return 0;
	for (i = 0; i < s->nr_maps; i++) {
		m = &s->maps[i];
		if (!intersects(m, iova, last))
			continue;
		any = true;
		if (m->iova < iova || range_last(m) > last)
			cut = true;
		else
			whole = true;
		head_cut |= m->iova < iova;
		if ((m->prot & (TRACE_PROT_READ | TRACE_PROT_WRITE)) ==
		    TRACE_PROT_WRITE)
			set |= COND_BIT(C_WRITE_ONLY_MAPPING);
		lo = m->iova > iova ? m->iova : iova;
		hi = range_last(m) < last ? range_last(m) : last;
		covered += hi - lo + 1;
	}
	for (i = 0; i < s->nr_pins; i++)
		if (intersects(&s->pins[i], iova, last))
			set |= COND_BIT(C_PINNED);
	if (mapping_op)
		return set | (any ? COND_BIT(C_OVERLAPS) : 0);
	if (!any)
		return set | COND_BIT(C_RANGE_EMPTY);
	if (covered < last - iova + 1)
		set |= COND_BIT(C_RANGE_PARTLY_MAPPED);
	/* See unmap_part_way(): what iommufd removes before it refuses. */
	if (cut && whole && !head_cut)
		set |= COND_BIT(C_CUT_AFTER_WHOLE);
	return set | COND_BIT(cut ? C_RANGE_CUTS_MAPPING :
				    C_RANGE_COVERS_MAPPINGS);
}

int side_set_valid(struct side *s, const struct side_span *v,
		   unsigned int nr)
{
	struct side_span *copy = NULL;

	if (nr) {
		copy = malloc(nr * sizeof(*copy));
		if (!copy) {
			free(s->valid);
			s->valid = NULL;
			s->nr_valid = 0;
			return -ENOMEM;
		}
		memcpy(copy, v, nr * sizeof(*copy));
	}
	free(s->valid);
	s->valid = copy;
	s->nr_valid = nr;
	return 0;
}

/*
 * Whether [iova, last] lies outside every IOVA range the backend accepts
 * (meets a reserved region, or runs past the aperture); false while the
 * ranges are not known.
 */
static bool outside_valid(const struct side *s, uint64_t iova, uint64_t last)
{
	unsigned int i;

	if (!s->nr_valid)
		return false;
	for (i = 0; i < s->nr_valid; i++)
		if (s->valid[i].first <= iova && last <= s->valid[i].last)
			return false;
	return true;
}

static cond_set extension_cond(uint32_t id)
{
	static const enum cond by_id[] = {
		[1] = C_EXT_TYPE1,	[2] = C_EXT_SPAPR,
		[3] = C_EXT_TYPE1V2,	[4] = C_EXT_DMA_CC,
		[5] = C_EXT_EEH,	[6] = C_EXT_NESTING,
		[7] = C_EXT_SPAPR_V2,	[8] = C_EXT_NOIOMMU,
		[9] = C_EXT_UNMAP_ALL,	[10] = C_EXT_UPDATE_VADDR,
	};

	if (id && id < sizeof(by_id) / sizeof(by_id[0]))
		return COND_BIT(by_id[id]);
	return COND_BIT(C_EXT_UNKNOWN);
}

static cond_set argsz_cond(const struct trace_opdesc *d, uint32_t minsz)
{
	return d->has_argsz && d->argsz < minsz ?
		       COND_BIT(C_ARGSZ_BELOW_MINIMUM) :
		       0;
}

static cond_set size_conds(const struct trace_opdesc *d, uint64_t page_size,
			   uint64_t extra)
{
	cond_set set = 0;

	if (!d->size)
		set |= COND_BIT(C_ZERO_SIZE);
	else if (d->iova + d->size - 1 < d->iova)
		set |= COND_BIT(C_WRAPS);
	if ((d->iova | d->size | extra) & (page_size - 1))
		set |= COND_BIT(C_UNALIGNED);
	return set;
}

static cond_set map_conds(const struct side *s, const struct trace_opdesc *d,
			  const struct trace_buffer *buf, uint64_t page_size)
{
	uint32_t flags = d->has_flags ? d->flags :
					MAP_FLAG_READ | MAP_FLAG_WRITE;
	cond_set set = argsz_cond(d, MAP_MINSZ);

	if (!(flags & (MAP_FLAG_READ | MAP_FLAG_WRITE)))
		set |= COND_BIT(C_NO_PROT);
	if (flags & MAP_FLAG_VADDR)
		set |= COND_BIT(C_FLAG_VADDR);
	if (flags & ~(MAP_FLAG_READ | MAP_FLAG_WRITE | MAP_FLAG_VADDR))
		set |= COND_BIT(C_UNKNOWN_FLAGS);
	if (buf && buf->kind == TRACE_BUF_DEVICE_REGION)
		set |= COND_BIT(C_P2P_BUFFER);
	if (buf && buf->kind == TRACE_BUF_HUGETLB)
		set |= COND_BIT(C_HUGETLB_BUFFER);
	/* Only a map without a buffer names its user address. */
	if (d->buffer < 0 && d->size &&
	    d->offset + d->size - 1 < d->offset)
		set |= COND_BIT(C_VADDR_WRAPS);
	else if (d->buffer < 0 && d->size &&
		 d->offset + d->size - 1 == UINT64_MAX)
		set |= COND_BIT(C_VADDR_ENDS_AT_TOP);
	/* Each type1 mapping is one struct vfio_dma of the container's. */
	if (s->kind == SIDE_TYPE1 && s->has_entry_limit &&
	    s->nr_maps >= s->entry_limit)
		set |= COND_BIT(C_ENTRY_LIMIT);
	set |= size_conds(d, page_size, d->offset);
	if (d->size && !(set & COND_BIT(C_WRAPS)) &&
	    outside_valid(s, d->iova, d->iova + d->size - 1))
		set |= COND_BIT(C_OUTSIDE_IOVA_RANGES);
	return set | range_conds(s, d->iova, d->size, true);
}

static cond_set unmap_conds(const struct side *s, const struct trace_opdesc *d,
			    uint64_t page_size)
{
	cond_set set = argsz_cond(d, UNMAP_MINSZ);
	unsigned int i;

	if (d->flags & UNMAP_FLAG_DIRTY)
		set |= COND_BIT(C_FLAG_DIRTY);
	if (d->flags & UNMAP_FLAG_VADDR)
		set |= COND_BIT(C_FLAG_VADDR);
	if (d->flags &
	    ~(UNMAP_FLAG_DIRTY | UNMAP_FLAG_ALL | UNMAP_FLAG_VADDR))
		set |= COND_BIT(C_UNKNOWN_FLAGS);
	if (!(d->flags & UNMAP_FLAG_ALL))
		return set | size_conds(d, page_size, 0) |
		       range_conds(s, d->iova, d->size, false);
	set |= COND_BIT(C_FLAG_ALL);
	if (!s->nr_maps)
		set |= COND_BIT(C_RANGE_EMPTY);
	else
		set |= COND_BIT(C_RANGE_COVERS_MAPPINGS);
	for (i = 0; i < s->nr_pins; i++)
		if (s->pins[i].size)
			set |= COND_BIT(C_PINNED);
	return set;
}

/*
 * A native op's struct: iommufd takes any size from the struct's end of
 * 6.2 (offsetofend of its last field) up, if what lies past the struct
 * is zero (iommufd_fops_ioctl(), copy_struct_from_user()).
 */
static cond_set native_conds(const struct trace_opdesc *d)
{
	size_t size = trace_native_size(d->op), i, seen;
	cond_set set = argsz_cond(d, (uint32_t)size);

	seen = d->has_argsz ? (d->argsz > size ? d->argsz - size : 0) :
			      d->ntail;
	for (i = 0; i < d->ntail && i < seen; i++)
		if (d->tail[i])
			set |= COND_BIT(C_NONZERO_TAIL);
	if (d->reserved)
		set |= COND_BIT(C_RESERVED_SET);
	if (d->op == OP_VFIO_IOAS && d->ioas_op > VFIO_IOAS_CLEAR)
		set |= COND_BIT(C_UNKNOWN_OP);
	if (d->op == OP_OPTION && d->ioas_op > OPTION_OP_GET)
		set |= COND_BIT(C_UNKNOWN_OP);
	if ((d->op == OP_IOAS_ALLOC || d->op == OP_FAULT_QUEUE_ALLOC) &&
	    d->flags)
		set |= COND_BIT(C_UNKNOWN_FLAGS);
	return set;
}

cond_set side_conditions(const struct side *s, const struct trace_opdesc *d,
			 const struct trace_buffer *buf, uint64_t page_size)
{
	cond_set set = 0;

	if (!s->iommu_set)
		set |= COND_BIT(C_BEFORE_SET_IOMMU);
	if (!s->group)
		set |= COND_BIT(C_NO_GROUP);
	if (s->kind != SIDE_TYPE1 && !s->compat_ioas)
		set |= COND_BIT(C_NO_COMPAT_IOAS);
	if (!s->device)
		set |= COND_BIT(C_BEFORE_DEVICE_OPEN);
	if (!has_domain(s))
		set |= COND_BIT(C_NO_DOMAIN);
	if (s->emulated)
		set |= COND_BIT(C_EMULATED_GROUP);
	if (s->v1)
		set |= COND_BIT(C_V1_MODE);
	if (s->memlock)
		set |= COND_BIT(C_MEMLOCK);
	if (s->mlocked)
		set |= COND_BIT(C_MLOCKED);
	if (s->kind != SIDE_TYPE1 && !s->mm_accounting)
		set |= COND_BIT(C_USER_ACCOUNTING);
	if (s->msi_unisolated)
		set |= COND_BIT(C_MSI_UNISOLATED);
	if (s->unsafe_interrupts)
		set |= COND_BIT(C_UNSAFE_INTERRUPTS);
	if (s->peer_mapped)
		set |= COND_BIT(C_PEER_MAPPED);

	switch (d->op) {
	case OP_CHECK_EXTENSION:
	case OP_SET_IOMMU:
		set |= extension_cond(d->arg);
		break;
	case OP_GET_INFO:
		set |= argsz_cond(d, INFO_MINSZ);
		break;
	case OP_DIRTY_PAGES:
		set |= argsz_cond(d, DIRTY_MINSZ);
		break;
	case OP_MAP_DMA:
		set |= map_conds(s, d, buf, page_size);
		break;
	case OP_UNMAP_DMA:
		set |= unmap_conds(s, d, page_size);
		break;
	case OP_DMA_READ:
	case OP_DMA_WRITE:
	case OP_UNPIN:
		set |= range_conds(s, d->iova, d->size, false);
		break;
	case OP_PIN:
		set |= range_conds(s, d->iova, (uint64_t)d->npages * page_size,
				   false);
		if (d->npages > PIN_PAGES_MAX_ENTRIES)
			set |= COND_BIT(C_PIN_OVER_512);
		break;
	case OP_IOAS_ALLOC:
	case OP_VFIO_IOAS:
	case OP_DESTROY:
	case OP_FAULT_QUEUE_ALLOC:
	case OP_OPTION:
		set |= native_conds(d);
		break;
	default:
		break;
	}
	return set;
}

static int reserve(struct side_range **v, unsigned int *cap, unsigned int nr,
		   unsigned int more)
{
	struct side_range *n;
	unsigned int want;

	if (nr + more <= *cap)
		return 0;
	want = *cap ? *cap * 2 : 16;
	while (want < nr + more)
		want *= 2;
	n = realloc(*v, want * sizeof(*n));
	if (!n)
		return -ENOMEM;
	*v = n;
	*cap = want;
	return 0;
}

static int insert(struct side_range **v, unsigned int *cap, unsigned int *nr,
		  const struct side_range *r)
{
	unsigned int i;
	int rc;

	rc = reserve(v, cap, *nr, 1);
	if (rc)
		return rc;
	for (i = 0; i < *nr && (*v)[i].iova < r->iova; i++)
		;
	memmove(&(*v)[i + 1], &(*v)[i], (*nr - i) * sizeof(**v));
	(*v)[i] = *r;
	(*nr)++;
	return 0;
}

static void drop(struct side_range *v, unsigned int *nr, unsigned int i)
{
	memmove(&v[i], &v[i + 1], (*nr - i - 1) * sizeof(*v));
	(*nr)--;
}

/*
 * Take [first, last] out of the list, splitting what it cuts. The pieces
 * keep their protection and kind.
 */
static int cut_out(struct side_range **v, unsigned int *cap, unsigned int *nr,
		   uint64_t first, uint64_t last)
{
	struct side_range r, tail;
	unsigned int i = 0;
	int rc;

	rc = reserve(v, cap, *nr, 1);
	if (rc)
		return rc;
	while (i < *nr) {
		r = (*v)[i];
		if (!intersects(&r, first, last)) {
			i++;
			continue;
		}
		drop(*v, nr, i);
		if (range_last(&r) > last) {
			tail = r;
			tail.iova = last + 1;
			tail.size = range_last(&r) - last;
			/* Room was reserved: one cut adds at most one piece. */
			insert(v, cap, nr, &tail);
		}
		if (r.iova < first) {
			r.size = first - r.iova;
			insert(v, cap, nr, &r);
			i++;
		}
	}
	return 0;
}

/*
 * The compat IOAS is now another one, or none: the model keeps one IOAS's
 * mappings, and an IOAS a trace makes (IOMMU_IOAS_ALLOC) has none. An
 * IOAS the trace gives up and later sets again is taken as empty too.
 */
static void compat_changed(struct side *s, bool set, int sym)
{
	s->compat_ioas = set;
	s->compat_sym = sym;
	s->nr_maps = 0;
	s->nr_pins = 0;
}

/* What a successful IOMMU_VFIO_IOAS or IOMMU_DESTROY did to the compat IOAS. */
static void native_update(struct side *s, const struct trace_opdesc *d)
{
	bool same = s->compat_ioas && d->object >= 0 &&
		    d->object == s->compat_sym;

	if (d->op == OP_DESTROY) {
		/* Destroying the compat IOAS unsets it (iommufd_object_remove()). */
		if (same)
			compat_changed(s, false, -1);
		return;
	}
	if (d->ioas_op == VFIO_IOAS_SET && !same)
		compat_changed(s, true, d->object);
	else if (d->ioas_op == VFIO_IOAS_CLEAR)
		compat_changed(s, false, -1);
	else if (d->ioas_op < VFIO_IOAS_SET && d->result >= 0)
		s->compat_sym = d->result;
}

static int unmap_update(struct side *s, const struct trace_opdesc *d)
{
	uint64_t last = last_of(d->iova, d->size);
	struct side_range *m;
	unsigned int i = 0;
	int rc;

	/* With VADDR type1 invalidates the user addresses; the IOVAs stay. */
	if (d->flags & UNMAP_FLAG_VADDR)
		return 0;
	if (d->flags & UNMAP_FLAG_ALL) {
		s->nr_maps = 0;
		s->nr_pins = 0;
		return 0;
	}
	if (!d->size)
		return 0;
	/* iommufd in TYPE1 mode cuts the mappings at the range's bounds. */
	if (s->kind != SIDE_TYPE1 && s->v1) {
		rc = cut_out(&s->maps, &s->cap_maps, &s->nr_maps, d->iova,
			     last);
		if (!rc)
			rc = cut_out(&s->pins, &s->cap_pins, &s->nr_pins,
				     d->iova, last);
		return rc;
	}
	while (i < s->nr_maps) {
		m = &s->maps[i];
		if (!intersects(m, d->iova, last)) {
			i++;
			continue;
		}
		/* type1 v1 removes whole mappings, stopping at one before. */
		if (s->kind == SIDE_TYPE1 && s->v1) {
			if (m->iova < d->iova)
				break;
		} else if (m->iova < d->iova || range_last(m) > last) {
			i++;
			continue;
		}
		rc = cut_out(&s->pins, &s->cap_pins, &s->nr_pins, m->iova,
			     range_last(m));
		if (rc)
			return rc;
		drop(s->maps, &s->nr_maps, i);
	}
	return 0;
}

/*
 * A TYPE1v2 unmap iommufd refused with ENOENT because a mapping crosses
 * an end of the range has still removed what its walk met first
 * (iopt_unmap_iova_range): areas in IOVA order, each wholly inside the
 * range, up to the one crossing the range's last IOVA. A mapping that
 * crosses the first IOVA is met first, and then nothing goes. In TYPE1
 * mode iommufd cuts the mappings at the bounds first, and never gets here.
 */
static int unmap_part_way(struct side *s, const struct trace_opdesc *d)
{
	uint64_t last = last_of(d->iova, d->size);
	unsigned int i;

	if (s->kind == SIDE_TYPE1 || s->v1 || d->flags || !d->size)
		return 0;
	for (i = 0; i < s->nr_maps; i++)
		if (intersects(&s->maps[i], d->iova, last) &&
		    s->maps[i].iova < d->iova)
			return 0;
	/* What is left is a successful v2 unmap: the whole mappings go. */
	return unmap_update(s, d);
}

/*
 * The group left its container or IOAS (vfio_group_detach_container, or
 * the iommufd's reference dropped). The last group leaving type1's
 * container releases its IOMMU driver, with every mapping and pin: the
 * container is as before SET_IOMMU. iommufd's compat IOAS belongs to the
 * iommufd and keeps its mappings.
 */
static void group_left(struct side *s)
{
	s->group = false;
	s->group_closing = false;
	if (s->kind != SIDE_TYPE1)
		return;
	s->iommu_set = false;
	s->v1 = false;
	s->has_entry_limit = false;
	s->nr_maps = 0;
	s->nr_pins = 0;
}

int side_update(struct side *s, const struct trace_opdesc *d,
		const struct trace_buffer *buf, uint64_t page_size, int err)
{
	struct side_range r;
	uint32_t flags;

	if (err == ENOENT && d->op == OP_UNMAP_DMA)
		return unmap_part_way(s, d);
	if (err)
		return 0;
	switch (d->op) {
	case OP_MEMLOCK:
		s->memlock = d->val64 != TRACE_UNLIMITED;
		break;
	case OP_MLOCK:
		s->mlocked = true;
		break;
	case OP_PEER_MAP:
		s->peer_mapped = true;
		break;
	case OP_OPTION:
		if (d->option == OPTION_RLIMIT_MODE &&
		    d->ioas_op == OPTION_OP_SET)
			s->mm_accounting = d->val64 == 1;
		break;
	case OP_MODULE_PARAM:
		if (d->param == TRACE_PARAM_DMA_ENTRY_LIMIT) {
			s->has_limit_param = true;
			s->limit_param = d->val64;
		}
		if (d->param == (s->kind == SIDE_TYPE1 ?
					 TRACE_PARAM_TYPE1_UNSAFE_INTERRUPTS :
					 TRACE_PARAM_IOMMUFD_UNSAFE_INTERRUPTS))
			s->unsafe_interrupts = d->val64 != 0;
		break;
	case OP_SET_IOMMU:
		/* type1 opens its driver, taking the limit, at the first. */
		if (s->kind == SIDE_TYPE1 && !s->iommu_set) {
			s->has_entry_limit = s->has_limit_param;
			s->entry_limit = s->limit_param;
		}
		s->iommu_set = true;
		/*
		 * type1's container keeps the driver the first SET_IOMMU
		 * chose; iommufd's TYPE1 disables large pages on the IOAS
		 * for good, so a later TYPE1v2 leaves it in v1 mode.
		 */
		if (s->kind == SIDE_TYPE1)
			s->v1 = d->arg == VFIO_TYPE1_IOMMU;
		else if (d->arg == VFIO_TYPE1_IOMMU)
			s->v1 = true;
		break;
	case OP_ATTACH_GROUP:
		if (s->kind != SIDE_IOMMUFD_NODEV)
			s->group = true;
		/*
		 * Without a compat IOAS attaching a group makes an empty one;
		 * iommufd-nodev's attach always makes and sets a new one.
		 */
		if (s->kind == SIDE_IOMMUFD_NODEV ||
		    (s->kind == SIDE_IOMMUFD && !s->compat_ioas))
			compat_changed(s, true, -1);
		break;
	case OP_VFIO_IOAS:
	case OP_DESTROY:
		native_update(s, d);
		break;
	case OP_OPEN_DEVICE:
		s->device = true;
		break;
	case OP_CLOSE_DEVICE:
		/* A driver must drop its pins when the device closes. */
		s->device = false;
		s->nr_pins = 0;
		/* The device fd held the group, whose release comes now. */
		if (s->group_closing)
			group_left(s);
		break;
	case OP_DETACH_GROUP:
		group_left(s);
		break;
	case OP_CLOSE_GROUP:
		/*
		 * type1's device fd holds the group file (vfio_group_use_container
		 * takes a reference), so its release waits for the device; the
		 * iommufd path takes none, and the group leaves now.
		 */
		if (s->kind == SIDE_TYPE1 && s->device)
			s->group_closing = true;
		else
			group_left(s);
		break;
	case OP_MAP_DMA:
		if (!d->size)
			break;
		flags = d->has_flags ? d->flags :
				       MAP_FLAG_READ | MAP_FLAG_WRITE;
		/*
		 * With VADDR type1 gives an existing mapping, whose vaddr an
		 * UNMAP with VADDR invalidated, its new user address: the
		 * IOVAs mapped stay as they were (vfio_dma_do_map).
		 */
		if (flags & MAP_FLAG_VADDR)
			break;
		r.iova = d->iova;
		r.size = d->size;
		r.prot = (flags & MAP_FLAG_READ ? TRACE_PROT_READ : 0) |
			 (flags & MAP_FLAG_WRITE ? TRACE_PROT_WRITE : 0);
		r.kind = buf ? buf->kind : TRACE_BUF_ANON;
		return insert(&s->maps, &s->cap_maps, &s->nr_maps, &r);
	case OP_UNMAP_DMA:
		return unmap_update(s, d);
	case OP_PIN:
		if (!d->npages)
			break;
		memset(&r, 0, sizeof(r));
		r.iova = d->iova;
		r.size = (uint64_t)d->npages * page_size;
		return insert(&s->pins, &s->cap_pins, &s->nr_pins, &r);
	case OP_UNPIN:
		if (!d->size)
			break;
		return cut_out(&s->pins, &s->cap_pins, &s->nr_pins, d->iova,
			       last_of(d->iova, d->size));
	default:
		break;
	}
	return 0;
}

/*
 * The next stretch of mapped IOVA from index *i on, adjacent ranges
 * merged: iommufd keeps a cut mapping as pieces where type1 keeps one.
 */
static bool next_stretch(const struct side *s, unsigned int *i,
			 uint64_t *first, uint64_t *last)
{
	if (*i >= s->nr_maps)
		return false;
	*first = s->maps[*i].iova;
	*last = range_last(&s->maps[*i]);
	for ((*i)++; *i < s->nr_maps && *last != UINT64_MAX &&
		     s->maps[*i].iova == *last + 1;
	     (*i)++)
		*last = range_last(&s->maps[*i]);
	return true;
}

bool sides_differ(const struct side *a, const struct side *b)
{
	uint64_t af, al, bf, bl;
	unsigned int i = 0, j = 0;
	bool ha, hb;

	for (;;) {
		ha = next_stretch(a, &i, &af, &al);
		hb = next_stretch(b, &j, &bf, &bl);
		if (!ha || !hb)
			return ha != hb;
		if (af != bf || al != bl)
			return true;
	}
}

uint64_t side_fingerprint(const struct side *s)
{
	uint64_t h = 0xcbf29ce484222325ULL, first, last;
	unsigned int i = 0;

	/* FNV-1a over the merged stretches' bounds. */
	while (next_stretch(s, &i, &first, &last)) {
		h = (h ^ first) * 0x100000001b3ULL;
		h = (h ^ last) * 0x100000001b3ULL;
	}
	return h;
}
