/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_SITUATION_H
#define IOMMUCTL_SITUATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace.h"

/*
 * The situation model: what one backend's container or compat IOAS holds
 * while a trace replays, kept from what each op did there, and the named
 * conditions an op meets in it. Known divergences are matched on these
 * conditions, never on what a trace calls its ops, so a recording without
 * op ids is judged as the corpus is. The vocabulary is documented in
 * iommuctl-conformance(8), CONDITIONS.
 */

enum cond {
	/* State of the backend before the op. */
	C_BEFORE_SET_IOMMU,
	C_NO_GROUP,
	C_NO_COMPAT_IOAS,
	C_BEFORE_DEVICE_OPEN,
	C_NO_DOMAIN,
	C_EMULATED_GROUP,
	C_V1_MODE,
	C_MEMLOCK,
	C_MLOCKED,
	C_USER_ACCOUNTING,
	C_MSI_UNISOLATED,
	C_UNSAFE_INTERRUPTS,
	C_PEER_MAPPED,
	/* The op's IOVA range against the mappings the backend holds. */
	C_RANGE_EMPTY,
	C_RANGE_CUTS_MAPPING,
	C_RANGE_COVERS_MAPPINGS,
	C_RANGE_PARTLY_MAPPED,
	C_CUT_AFTER_WHOLE,
	C_OVERLAPS,
	C_OUTSIDE_IOVA_RANGES,
	C_PINNED,
	C_WRITE_ONLY_MAPPING,
	C_MAPPINGS_DIFFER,
	/* The op's arguments. */
	C_UNALIGNED,
	C_WRAPS,
	C_VADDR_WRAPS,
	C_VADDR_ENDS_AT_TOP,
	C_ZERO_SIZE,
	C_NO_PROT,
	C_P2P_BUFFER,
	C_HUGETLB_BUFFER,
	C_ARGSZ_BELOW_MINIMUM,
	C_FLAG_ALL,
	C_FLAG_VADDR,
	C_FLAG_DIRTY,
	C_UNKNOWN_FLAGS,
	C_PIN_OVER_512,
	C_ENTRY_LIMIT,
	C_EXT_TYPE1,
	C_EXT_SPAPR,
	C_EXT_TYPE1V2,
	C_EXT_DMA_CC,
	C_EXT_EEH,
	C_EXT_NESTING,
	C_EXT_SPAPR_V2,
	C_EXT_NOIOMMU,
	C_EXT_UNMAP_ALL,
	C_EXT_UPDATE_VADDR,
	C_EXT_UNKNOWN,
	/* A native op's struct (iommufd's own ioctls). */
	C_NONZERO_TAIL,
	C_RESERVED_SET,
	C_UNKNOWN_OP,
	/* What the op did on the backend. */
	C_FAILED,
	C_ARGSZ_TOO_SMALL_FOR_CAPS,
	C_COUNT,
};

typedef uint64_t cond_set;

#define COND_BIT(c) ((cond_set)1 << (c))

const char *cond_name(enum cond c);
/* The condition of a name, or -ENOENT. */
int cond_lookup(const char *name);

/* Which rules a backend follows. */
enum side_kind {
	SIDE_TYPE1, /* the legacy VFIO container */
	SIDE_IOMMUFD, /* iommufd's compat layer, with the group */
	SIDE_IOMMUFD_NODEV, /* the compat layer with an IOAS and no device */
};

struct side_range {
	uint64_t iova;
	uint64_t size;
	unsigned int prot; /* TRACE_PROT_* */
	enum trace_buf_kind kind;
};

/* An IOVA range the backend accepts, first to last byte. */
struct side_span {
	uint64_t first;
	uint64_t last;
};

struct side {
	enum side_kind kind;
	bool emulated; /* the group is an emulated-IOMMU (mdev) group */
	bool group;
	/* The group fd was closed while a device fd held the group. */
	bool group_closing;
	bool compat_ioas;
	/*
	 * The trace's name for the compat IOAS (an index into its object
	 * names), -1 when the trace has none for it.
	 */
	int compat_sym;
	bool iommu_set;
	bool v1;
	bool device;
	/*
	 * vfio_iommu_type1.dma_entry_limit as a module_param op set it, and
	 * the limit type1's container took at its SET_IOMMU; has_ where known.
	 */
	bool has_limit_param, has_entry_limit;
	uint64_t limit_param;
	uint64_t entry_limit;
	/*
	 * The ops run under a memlock op's finite limit (without
	 * CAP_IPC_LOCK), and memory an mlock op locked is still locked.
	 */
	bool memlock, mlocked;
	/* iommufd: IOMMU_OPTION_RLIMIT_MODE 1 set mm->locked_vm accounting. */
	bool mm_accounting;
	/*
	 * The kernel remaps no interrupts, so a device's MSIs are not
	 * isolated; and this backend's allow_unsafe_interrupts
	 * (vfio_iommu_type1's on type1, iommufd's on the others), as the
	 * runner read it and module_param ops set it.
	 */
	bool msi_unisolated, unsafe_interrupts;
	/* A peer_map succeeded: another process of the user holds DMA. */
	bool peer_mapped;
	unsigned int nr_maps, cap_maps;
	struct side_range *maps; /* sorted by IOVA, never overlapping */
	unsigned int nr_pins, cap_pins;
	struct side_range *pins;
	/*
	 * The IOVA ranges the backend accepts, as its GET_INFO reported them
	 * after the last op that could change them (side_set_valid); none
	 * while it has not answered.
	 */
	unsigned int nr_valid;
	struct side_span *valid;
};

void side_init(struct side *s, enum side_kind kind, bool emulated);
/* What the runner found before the first op (side_init: isolated, off). */
void side_set_interrupts(struct side *s, bool msi_unisolated,
			 bool unsafe_interrupts);
void side_release(struct side *s);

/*
 * Conditions of op d on s before it runs. buf is the op's buffer
 * declaration (NULL when it has none), page_size the trace's page size.
 * Every condition but C_MAPPINGS_DIFFER and the result conditions.
 */
cond_set side_conditions(const struct side *s, const struct trace_opdesc *d,
			 const struct trace_buffer *buf, uint64_t page_size);

/*
 * The IOVA ranges the backend accepts now, nr of them (0: not known);
 * 0 or -ENOMEM, which leaves them not known.
 */
int side_set_valid(struct side *s, const struct side_span *v,
		   unsigned int nr);

/* Whether two backends hold different IOVA mappings. */
bool sides_differ(const struct side *a, const struct side *b);

/*
 * A fingerprint of the IOVA mappings s holds (adjacent ranges merged):
 * backends replayed one after the other compare these, op by op.
 */
uint64_t side_fingerprint(const struct side *s);

/*
 * Apply what op d did on s: err is its errno (0 for success), npages of
 * a pin what was pinned. -ENOMEM leaves s as it was before the op.
 */
int side_update(struct side *s, const struct trace_opdesc *d,
		const struct trace_buffer *buf, uint64_t page_size, int err);

/* "a b c": the names of set's conditions, in enum order. */
void cond_format(char *buf, size_t len, cond_set set);

#endif
