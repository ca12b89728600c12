// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The situation model: the state each backend should be in after a
 * sequence of ops and the conditions an op meets there. No kernel: the
 * results are given as the kernel source says each backend answers.
 */
#include <atf-c.h>
#include <errno.h>
#include <string.h>

#include "situation.h"

#define PAGE 4096ULL

static struct trace_opdesc op(enum trace_op o)
{
	struct trace_opdesc d;

	memset(&d, 0, sizeof(d));
	d.op = o;
	d.buffer = -1;
	return d;
}

static struct trace_opdesc set_iommu(uint32_t type)
{
	struct trace_opdesc d = op(OP_SET_IOMMU);

	d.arg = type;
	return d;
}

static struct trace_opdesc range(enum trace_op o, uint64_t iova,
				 uint64_t size)
{
	struct trace_opdesc d = op(o);

	d.iova = iova;
	d.size = size;
	return d;
}

/* Apply ops that all succeeded. */
static void did(struct side *s, const struct trace_opdesc *d)
{
	ATF_REQUIRE_EQ(side_update(s, d, NULL, PAGE, 0), 0);
}

static cond_set conds(const struct side *s, const struct trace_opdesc *d)
{
	return side_conditions(s, d, NULL, PAGE);
}

static bool has(cond_set set, enum cond c)
{
	return set & COND_BIT(c);
}

/* attach_group, SET_IOMMU(type), open_device, all successful. */
static void setup(struct side *s, uint32_t type)
{
	struct trace_opdesc d;

	d = op(OP_ATTACH_GROUP);
	did(s, &d);
	d = set_iommu(type);
	did(s, &d);
	d = op(OP_OPEN_DEVICE);
	did(s, &d);
}

ATF_TC_WITHOUT_HEAD(names_round_trip);
ATF_TC_BODY(names_round_trip, tc)
{
	char buf[256];
	int c;

	for (c = 0; c < C_COUNT; c++) {
		ATF_REQUIRE(cond_name(c) != NULL);
		ATF_CHECK_EQ(cond_lookup(cond_name(c)), c);
	}
	ATF_CHECK(cond_lookup("no-such-condition") < 0);
	cond_format(buf, sizeof(buf),
		    COND_BIT(C_WRAPS) | COND_BIT(C_BEFORE_SET_IOMMU));
	ATF_CHECK_STREQ(buf, "before-set-iommu wraps");
}

ATF_TC_WITHOUT_HEAD(container_state);
ATF_TC_BODY(container_state, tc)
{
	struct trace_opdesc info = op(OP_GET_INFO), d;
	struct side t1, fd, nodev;
	cond_set c;

	side_init(&t1, SIDE_TYPE1, false);
	side_init(&fd, SIDE_IOMMUFD, false);
	side_init(&nodev, SIDE_IOMMUFD_NODEV, false);

	c = conds(&t1, &info);
	ATF_CHECK(has(c, C_BEFORE_SET_IOMMU) && has(c, C_NO_GROUP));
	ATF_CHECK(has(c, C_NO_DOMAIN) && has(c, C_BEFORE_DEVICE_OPEN));
	/* The compat IOAS is iommufd's alone. */
	ATF_CHECK(!has(c, C_NO_COMPAT_IOAS));
	ATF_CHECK(has(conds(&fd, &info), C_NO_COMPAT_IOAS));

	d = op(OP_ATTACH_GROUP);
	did(&t1, &d);
	did(&fd, &d);
	did(&nodev, &d);
	ATF_CHECK(!has(conds(&fd, &info), C_NO_COMPAT_IOAS));
	ATF_CHECK(!has(conds(&fd, &info), C_NO_GROUP));
	/* iommufd-nodev makes an IOAS, it attaches no group. */
	ATF_CHECK(!has(conds(&nodev, &info), C_NO_COMPAT_IOAS));
	ATF_CHECK(has(conds(&nodev, &info), C_NO_GROUP));

	/* type1 has its domain from SET_IOMMU, iommufd from device open. */
	d = set_iommu(3);
	did(&t1, &d);
	did(&fd, &d);
	ATF_CHECK(!has(conds(&t1, &info), C_NO_DOMAIN));
	ATF_CHECK(has(conds(&fd, &info), C_NO_DOMAIN));
	d = op(OP_OPEN_DEVICE);
	did(&fd, &d);
	ATF_CHECK(!has(conds(&fd, &info), C_NO_DOMAIN));
	ATF_CHECK(!has(conds(&fd, &info), C_BEFORE_DEVICE_OPEN));
	ATF_CHECK(has(conds(&nodev, &info), C_NO_DOMAIN));

	/* A failed op changes nothing. */
	d = op(OP_OPEN_DEVICE);
	ATF_REQUIRE_EQ(side_update(&nodev, &d, NULL, PAGE, 19), 0);
	ATF_CHECK(has(conds(&nodev, &info), C_BEFORE_DEVICE_OPEN));

	side_release(&t1);
	side_release(&fd);
	side_release(&nodev);
}

static struct trace_opdesc native(enum trace_op o, uint32_t ioas_op,
				  int object)
{
	struct trace_opdesc d = op(o);

	d.ioas_op = ioas_op;
	d.object = object;
	d.result = -1;
	d.expect.ioas = -1;
	return d;
}

/* The struct of a native op, as iommufd_fops_ioctl() reads it. */
ATF_TC_WITHOUT_HEAD(native_conditions);
ATF_TC_BODY(native_conditions, tc)
{
	struct trace_opdesc d = native(OP_VFIO_IOAS, 0, -1);
	struct side fd;

	side_init(&fd, SIDE_IOMMUFD, false);
	ATF_CHECK(!has(conds(&fd, &d), C_ARGSZ_BELOW_MINIMUM));
	d.has_argsz = true;
	d.argsz = 11;
	ATF_CHECK(has(conds(&fd, &d), C_ARGSZ_BELOW_MINIMUM));
	/* 15 is no struct's size, but not below iommu_vfio_ioas's 12. */
	d.argsz = 15;
	ATF_CHECK(!has(conds(&fd, &d), C_ARGSZ_BELOW_MINIMUM));
	ATF_CHECK(has(conds(&fd, &d), C_NO_COMPAT_IOAS));

	d.argsz = 20;
	d.ntail = 8;
	ATF_CHECK(!has(conds(&fd, &d), C_NONZERO_TAIL));
	d.tail[7] = 1;
	ATF_CHECK(has(conds(&fd, &d), C_NONZERO_TAIL));
	/* Without argsz the size takes the tail in. */
	d.has_argsz = false;
	ATF_CHECK(has(conds(&fd, &d), C_NONZERO_TAIL));

	d = native(OP_VFIO_IOAS, 3, -1);
	d.reserved = 1;
	ATF_CHECK(has(conds(&fd, &d), C_UNKNOWN_OP));
	ATF_CHECK(has(conds(&fd, &d), C_RESERVED_SET));
	d = native(OP_VFIO_IOAS, 2, -1);
	ATF_CHECK(!has(conds(&fd, &d), C_UNKNOWN_OP));

	/* IOMMU_OPTION's ops are SET (0) and GET (1). */
	d = native(OP_OPTION, 1, -1);
	ATF_CHECK(!has(conds(&fd, &d), C_UNKNOWN_OP));
	d.ioas_op = 2;
	d.reserved = 1;
	ATF_CHECK(has(conds(&fd, &d), C_UNKNOWN_OP));
	ATF_CHECK(has(conds(&fd, &d), C_RESERVED_SET));
	d.has_argsz = true;
	d.argsz = 23;
	ATF_CHECK(has(conds(&fd, &d), C_ARGSZ_BELOW_MINIMUM));

	d = native(OP_IOAS_ALLOC, 0, -1);
	ATF_CHECK(!has(conds(&fd, &d), C_UNKNOWN_FLAGS));
	d.flags = 1;
	ATF_CHECK(has(conds(&fd, &d), C_UNKNOWN_FLAGS));
	d = native(OP_DESTROY, 0, -1);
	d.has_argsz = true;
	d.argsz = 7;
	ATF_CHECK(has(conds(&fd, &d), C_ARGSZ_BELOW_MINIMUM));
	side_release(&fd);
}

/*
 * The compat IOAS follows SET, CLEAR and DESTROY: the model's mappings
 * are the compat IOAS's, so another IOAS starts empty.
 */
ATF_TC_WITHOUT_HEAD(native_ops_move_the_compat_ioas);
ATF_TC_BODY(native_ops_move_the_compat_ioas, tc)
{
	struct trace_opdesc info = op(OP_GET_INFO), map, d;
	struct side fd;

	side_init(&fd, SIDE_IOMMUFD, false);
	map = range(OP_MAP_DMA, 0x1000, 0x1000);
	d = native(OP_VFIO_IOAS, 1, 0);
	did(&fd, &d);
	ATF_CHECK(!has(conds(&fd, &info), C_NO_COMPAT_IOAS));
	did(&fd, &map);
	/* SET of the IOAS that is already the compat one keeps its maps. */
	did(&fd, &d);
	ATF_CHECK_EQ(fd.nr_maps, 1);
	/* GET names it: SET by that name is the same IOAS. */
	d = native(OP_VFIO_IOAS, 0, -1);
	d.result = 1;
	did(&fd, &d);
	d = native(OP_VFIO_IOAS, 1, 1);
	did(&fd, &d);
	ATF_CHECK_EQ(fd.nr_maps, 1);
	/* Another IOAS: the trace made it, it has no mappings. */
	d = native(OP_VFIO_IOAS, 1, 2);
	did(&fd, &d);
	ATF_CHECK_EQ(fd.nr_maps, 0);
	did(&fd, &map);

	d = native(OP_VFIO_IOAS, 2, -1);
	did(&fd, &d);
	ATF_CHECK(has(conds(&fd, &info), C_NO_COMPAT_IOAS));
	ATF_CHECK_EQ(fd.nr_maps, 0);

	d = native(OP_VFIO_IOAS, 1, 0);
	did(&fd, &d);
	/* A failed destroy changes nothing. */
	d = native(OP_DESTROY, 0, 0);
	ATF_REQUIRE_EQ(side_update(&fd, &d, NULL, PAGE, 16), 0);
	ATF_CHECK(!has(conds(&fd, &info), C_NO_COMPAT_IOAS));
	/* Destroying another object leaves the compat IOAS. */
	d = native(OP_DESTROY, 0, 3);
	did(&fd, &d);
	ATF_CHECK(!has(conds(&fd, &info), C_NO_COMPAT_IOAS));
	d = native(OP_DESTROY, 0, 0);
	did(&fd, &d);
	ATF_CHECK(has(conds(&fd, &info), C_NO_COMPAT_IOAS));

	/* Attaching the group without one makes a new, empty one. */
	d = op(OP_ATTACH_GROUP);
	did(&fd, &d);
	ATF_CHECK(!has(conds(&fd, &info), C_NO_COMPAT_IOAS));
	ATF_CHECK_EQ(fd.compat_sym, -1);
	side_release(&fd);
}

ATF_TC_WITHOUT_HEAD(emulated_group_has_no_domain);
ATF_TC_BODY(emulated_group_has_no_domain, tc)
{
	struct trace_opdesc info = op(OP_GET_INFO);
	struct side t1, fd;

	side_init(&t1, SIDE_TYPE1, true);
	side_init(&fd, SIDE_IOMMUFD, true);
	setup(&t1, 3);
	setup(&fd, 3);
	ATF_CHECK(has(conds(&t1, &info), C_NO_DOMAIN));
	ATF_CHECK(has(conds(&fd, &info), C_NO_DOMAIN));
	ATF_CHECK(has(conds(&t1, &info), C_EMULATED_GROUP));
	side_release(&t1);
	side_release(&fd);
}

ATF_TC_WITHOUT_HEAD(v1_mode_sticks_on_iommufd);
ATF_TC_BODY(v1_mode_sticks_on_iommufd, tc)
{
	struct trace_opdesc info = op(OP_GET_INFO), d;
	struct side t1, fd;

	side_init(&t1, SIDE_TYPE1, false);
	side_init(&fd, SIDE_IOMMUFD, false);
	setup(&t1, 1);
	setup(&fd, 1);
	ATF_CHECK(has(conds(&t1, &info), C_V1_MODE));
	ATF_CHECK(has(conds(&fd, &info), C_V1_MODE));
	/* type1 refuses the second SET_IOMMU; iommufd takes it, stays v1. */
	d = set_iommu(3);
	ATF_REQUIRE_EQ(side_update(&t1, &d, NULL, PAGE, 22), 0);
	did(&fd, &d);
	ATF_CHECK(has(conds(&t1, &info), C_V1_MODE));
	ATF_CHECK(has(conds(&fd, &info), C_V1_MODE));
	side_release(&t1);
	side_release(&fd);

	side_init(&fd, SIDE_IOMMUFD, false);
	setup(&fd, 3);
	ATF_CHECK(!has(conds(&fd, &info), C_V1_MODE));
	side_release(&fd);
}

ATF_TC_WITHOUT_HEAD(unmap_ranges);
ATF_TC_BODY(unmap_ranges, tc)
{
	struct trace_opdesc m = range(OP_MAP_DMA, 0x100000, 0x4000), u;
	struct side s;

	side_init(&s, SIDE_TYPE1, false);
	setup(&s, 3);
	did(&s, &m);
	u = range(OP_UNMAP_DMA, 0x101000, 0x1000);
	ATF_CHECK(has(conds(&s, &u), C_RANGE_CUTS_MAPPING));
	ATF_CHECK(!has(conds(&s, &u), C_RANGE_EMPTY));
	u = range(OP_UNMAP_DMA, 0x300000, 0x1000);
	ATF_CHECK(has(conds(&s, &u), C_RANGE_EMPTY));
	u = range(OP_UNMAP_DMA, 0x0, 0x200000);
	ATF_CHECK(has(conds(&s, &u), C_RANGE_COVERS_MAPPINGS));
	ATF_CHECK(has(conds(&s, &u), C_RANGE_PARTLY_MAPPED));
	ATF_CHECK(!has(conds(&s, &u), C_RANGE_CUTS_MAPPING));
	u = range(OP_UNMAP_DMA, 0x100800, 0x1000);
	ATF_CHECK(has(conds(&s, &u), C_UNALIGNED));
	u = range(OP_UNMAP_DMA, 0xfffffffffffff000ULL, 0x2000);
	ATF_CHECK(has(conds(&s, &u), C_WRAPS));
	u = range(OP_UNMAP_DMA, 0, 0);
	u.flags = 2;
	ATF_CHECK(has(conds(&s, &u), C_FLAG_ALL));
	ATF_CHECK(has(conds(&s, &u), C_RANGE_COVERS_MAPPINGS));
	ATF_CHECK(!has(conds(&s, &u), C_ZERO_SIZE));
	u.flags = 4;
	ATF_CHECK(has(conds(&s, &u), C_FLAG_VADDR));
	ATF_CHECK(has(conds(&s, &u), C_ZERO_SIZE));
	u.flags = 8;
	ATF_CHECK(has(conds(&s, &u), C_UNKNOWN_FLAGS));
	u.has_argsz = true;
	u.argsz = 16;
	ATF_CHECK(has(conds(&s, &u), C_ARGSZ_BELOW_MINIMUM));
	u.argsz = 24;
	ATF_CHECK(!has(conds(&s, &u), C_ARGSZ_BELOW_MINIMUM));
	side_release(&s);
}

ATF_TC_WITHOUT_HEAD(map_arguments);
ATF_TC_BODY(map_arguments, tc)
{
	struct trace_buffer bar = { .kind = TRACE_BUF_DEVICE_REGION };
	struct trace_opdesc m = range(OP_MAP_DMA, 0x100000, 0x1000);
	struct side s;
	cond_set c;

	side_init(&s, SIDE_IOMMUFD, false);
	setup(&s, 3);
	c = conds(&s, &m);
	ATF_CHECK(!has(c, C_NO_PROT) && !has(c, C_OVERLAPS) &&
		  !has(c, C_UNALIGNED));
	did(&s, &m);
	ATF_CHECK(has(conds(&s, &m), C_OVERLAPS));
	m = range(OP_MAP_DMA, 0x200000, 0x1000);
	m.has_flags = true;
	m.flags = 0;
	ATF_CHECK(has(conds(&s, &m), C_NO_PROT));
	m.flags = 7;
	ATF_CHECK(has(conds(&s, &m), C_FLAG_VADDR));
	ATF_CHECK(!has(conds(&s, &m), C_NO_PROT));
	m = range(OP_MAP_DMA, 0x200000, 0x1000);
	m.offset = 0x800;
	ATF_CHECK(has(conds(&s, &m), C_UNALIGNED));
	m.offset = 0;
	m.has_argsz = true;
	m.argsz = 31;
	ATF_CHECK(has(conds(&s, &m), C_ARGSZ_BELOW_MINIMUM));
	m.has_argsz = false;
	ATF_CHECK(has(side_conditions(&s, &m, &bar, PAGE), C_P2P_BUFFER));
	ATF_CHECK(!has(conds(&s, &m), C_P2P_BUFFER));
	side_release(&s);
}

ATF_TC_WITHOUT_HEAD(extension_ids);
ATF_TC_BODY(extension_ids, tc)
{
	struct trace_opdesc d = op(OP_CHECK_EXTENSION);
	struct side s;

	side_init(&s, SIDE_TYPE1, false);
	d.arg = 6;
	ATF_CHECK(has(conds(&s, &d), C_EXT_NESTING));
	d.arg = 10;
	ATF_CHECK(has(conds(&s, &d), C_EXT_UPDATE_VADDR));
	d.arg = 11;
	ATF_CHECK(has(conds(&s, &d), C_EXT_UNKNOWN));
	d.arg = 0;
	ATF_CHECK(has(conds(&s, &d), C_EXT_UNKNOWN));
	d = set_iommu(4);
	ATF_CHECK(has(conds(&s, &d), C_EXT_DMA_CC));
	side_release(&s);
}

/*
 * unmap_v1.jsonl's first steps: type1 v1 removes a mapping whole when the
 * range covers its first IOVA and nothing when it starts inside;
 * iommufd in TYPE1 mode cuts exactly the range.
 */
ATF_TC_WITHOUT_HEAD(v1_unmaps_leave_different_state);
ATF_TC_BODY(v1_unmaps_leave_different_state, tc)
{
	struct trace_opdesc m = range(OP_MAP_DMA, 0x100000, 0x4000), u;
	struct side t1, fd;

	side_init(&t1, SIDE_TYPE1, false);
	side_init(&fd, SIDE_IOMMUFD, false);
	setup(&t1, 1);
	setup(&fd, 1);
	did(&t1, &m);
	did(&fd, &m);
	ATF_CHECK(!sides_differ(&t1, &fd));

	u = range(OP_UNMAP_DMA, 0x101000, 0x1000);
	did(&t1, &u);
	did(&fd, &u);
	ATF_CHECK(sides_differ(&t1, &fd));

	u = range(OP_UNMAP_DMA, 0x100000, 0x1000);
	ATF_CHECK(has(conds(&t1, &u), C_RANGE_CUTS_MAPPING));
	ATF_CHECK(has(conds(&fd, &u), C_RANGE_COVERS_MAPPINGS));
	did(&t1, &u);
	did(&fd, &u);

	/* type1 holds nothing now; iommufd 0x102000-0x103fff. */
	u = range(OP_UNMAP_DMA, 0x103000, 0x1000);
	ATF_CHECK(has(conds(&t1, &u), C_RANGE_EMPTY));
	ATF_CHECK(has(conds(&fd, &u), C_RANGE_CUTS_MAPPING));
	side_release(&t1);
	side_release(&fd);
}

/* Pieces iommufd cut and type1's one mapping are the same IOVAs. */
ATF_TC_WITHOUT_HEAD(adjacent_pieces_are_the_same_mapping);
ATF_TC_BODY(adjacent_pieces_are_the_same_mapping, tc)
{
	struct trace_opdesc a = range(OP_MAP_DMA, 0x100000, 0x2000);
	struct trace_opdesc b = range(OP_MAP_DMA, 0x102000, 0x2000);
	struct trace_opdesc whole = range(OP_MAP_DMA, 0x100000, 0x4000);
	struct side t1, fd;

	side_init(&t1, SIDE_TYPE1, false);
	side_init(&fd, SIDE_IOMMUFD, false);
	setup(&t1, 3);
	setup(&fd, 3);
	did(&t1, &whole);
	did(&fd, &a);
	did(&fd, &b);
	ATF_CHECK(!sides_differ(&t1, &fd));
	b = range(OP_UNMAP_DMA, 0x102000, 0x2000);
	did(&fd, &b);
	ATF_CHECK(sides_differ(&t1, &fd));
	side_release(&t1);
	side_release(&fd);
}

/* type1 takes VADDR (with ALL too) and keeps the IOVAs mapped. */
ATF_TC_WITHOUT_HEAD(vaddr_unmap_keeps_mappings);
ATF_TC_BODY(vaddr_unmap_keeps_mappings, tc)
{
	struct trace_opdesc m = range(OP_MAP_DMA, 0x100000, 0x4000), u;
	struct side s;

	side_init(&s, SIDE_TYPE1, false);
	setup(&s, 3);
	did(&s, &m);
	u = range(OP_UNMAP_DMA, 0, 0);
	u.flags = 6;
	did(&s, &u);
	u.flags = 2;
	ATF_CHECK(has(conds(&s, &u), C_RANGE_COVERS_MAPPINGS));
	did(&s, &u);
	ATF_CHECK(has(conds(&s, &u), C_RANGE_EMPTY));
	side_release(&s);
}

/*
 * A map with VADDR gives an existing mapping its new user address: the
 * IOVAs are one mapping still, the same as a side that never remapped.
 */
ATF_TC_WITHOUT_HEAD(vaddr_map_updates_not_adds);
ATF_TC_BODY(vaddr_map_updates_not_adds, tc)
{
	struct trace_opdesc m = range(OP_MAP_DMA, 0x100000, 0x2000), u;
	struct side t1, fd;

	side_init(&t1, SIDE_TYPE1, false);
	side_init(&fd, SIDE_IOMMUFD, false);
	setup(&t1, 3);
	setup(&fd, 3);
	did(&t1, &m);
	did(&fd, &m);
	u = range(OP_UNMAP_DMA, 0x100000, 0x2000);
	u.flags = 4;
	did(&t1, &u);
	m.has_flags = true;
	m.flags = 4;
	did(&t1, &m);
	ATF_CHECK(!sides_differ(&t1, &fd));
	u.flags = 0;
	ATF_CHECK(has(conds(&t1, &u), C_RANGE_COVERS_MAPPINGS));
	did(&t1, &u);
	ATF_CHECK(has(conds(&t1, &u), C_RANGE_EMPTY));
	side_release(&t1);
	side_release(&fd);
}

/*
 * A TYPE1v2 unmap that holds whole mappings and ends inside another: on
 * iommufd its ENOENT has removed the whole ones, on type1 its EINVAL
 * nothing; one that starts inside a mapping removes nothing anywhere.
 */
ATF_TC_WITHOUT_HEAD(unmap_part_way);
ATF_TC_BODY(unmap_part_way, tc)
{
	struct trace_opdesc a = range(OP_MAP_DMA, 0x100000, 0x2000);
	struct trace_opdesc b = range(OP_MAP_DMA, 0x102000, 0x2000);
	struct trace_opdesc u = range(OP_UNMAP_DMA, 0x100000, 0x3000);
	struct trace_opdesc h = range(OP_UNMAP_DMA, 0x101000, 0x3000);
	struct side t1, fd;

	side_init(&t1, SIDE_TYPE1, false);
	side_init(&fd, SIDE_IOMMUFD, false);
	setup(&t1, 3);
	setup(&fd, 3);
	did(&t1, &a);
	did(&t1, &b);
	did(&fd, &a);
	did(&fd, &b);
	ATF_CHECK(has(conds(&fd, &u), C_CUT_AFTER_WHOLE));
	ATF_CHECK(has(conds(&fd, &u), C_RANGE_CUTS_MAPPING));
	ATF_CHECK(!has(conds(&fd, &h), C_CUT_AFTER_WHOLE));
	ATF_CHECK_EQ(side_update(&fd, &h, NULL, PAGE, ENOENT), 0);
	ATF_CHECK(!sides_differ(&t1, &fd));
	ATF_CHECK_EQ(side_update(&t1, &u, NULL, PAGE, EINVAL), 0);
	ATF_CHECK_EQ(side_update(&fd, &u, NULL, PAGE, ENOENT), 0);
	ATF_CHECK(sides_differ(&t1, &fd));
	a.op = OP_UNMAP_DMA;
	ATF_CHECK(has(conds(&fd, &a), C_RANGE_EMPTY));
	ATF_CHECK(has(conds(&t1, &a), C_RANGE_COVERS_MAPPINGS));
	side_release(&t1);
	side_release(&fd);
}

/*
 * type1 counts its mappings against the dma_entry_limit it took at its
 * first SET_IOMMU; a later write of the parameter does not change it.
 */
ATF_TC_WITHOUT_HEAD(entry_limit);
ATF_TC_BODY(entry_limit, tc)
{
	struct trace_opdesc p = op(OP_MODULE_PARAM);
	struct trace_opdesc a = range(OP_MAP_DMA, 0x100000, 0x1000);
	struct trace_opdesc b = range(OP_MAP_DMA, 0x200000, 0x1000);
	struct trace_opdesc u = range(OP_UNMAP_DMA, 0x100000, 0x1000);
	struct side t1, fd;

	p.param = TRACE_PARAM_DMA_ENTRY_LIMIT;
	p.val64 = 1;
	side_init(&t1, SIDE_TYPE1, false);
	side_init(&fd, SIDE_IOMMUFD, false);
	did(&t1, &p);
	did(&fd, &p);
	setup(&t1, 3);
	setup(&fd, 3);
	p.val64 = 5;
	did(&t1, &p);
	ATF_CHECK(!has(conds(&t1, &a), C_ENTRY_LIMIT));
	did(&t1, &a);
	did(&fd, &a);
	ATF_CHECK(has(conds(&t1, &b), C_ENTRY_LIMIT));
	ATF_CHECK(!has(conds(&fd, &b), C_ENTRY_LIMIT));
	did(&t1, &u);
	ATF_CHECK(!has(conds(&t1, &b), C_ENTRY_LIMIT));
	side_release(&t1);
	side_release(&fd);
}

/* A map's own user address (no buffer) that wraps, or ends at 2^64. */
ATF_TC_WITHOUT_HEAD(vaddr_range);
ATF_TC_BODY(vaddr_range, tc)
{
	struct trace_opdesc a = range(OP_MAP_DMA, 0x100000, 0x2000);
	struct side t1;

	side_init(&t1, SIDE_TYPE1, false);
	setup(&t1, 3);
	a.offset = 0xfffffffffffff000ULL;
	ATF_CHECK(has(conds(&t1, &a), C_VADDR_WRAPS));
	ATF_CHECK(!has(conds(&t1, &a), C_VADDR_ENDS_AT_TOP));
	a.size = 0x1000;
	ATF_CHECK(!has(conds(&t1, &a), C_VADDR_WRAPS));
	ATF_CHECK(has(conds(&t1, &a), C_VADDR_ENDS_AT_TOP));
	a.offset = 0x7f0000000000ULL;
	ATF_CHECK(!has(conds(&t1, &a), C_VADDR_WRAPS));
	ATF_CHECK(!has(conds(&t1, &a), C_VADDR_ENDS_AT_TOP));
	/* With a buffer the offset is no address. */
	a.buffer = 0;
	a.offset = 0xfffffffffffff000ULL;
	ATF_CHECK(!has(conds(&t1, &a), C_VADDR_ENDS_AT_TOP));
	side_release(&t1);
}

/*
 * A map outside the IOVA ranges the backend reported meets
 * outside-iova-ranges, whether the ranges' gap is a reserved region or
 * their end; nothing is outside while no ranges are known.
 */
ATF_TC_WITHOUT_HEAD(outside_iova_ranges);
ATF_TC_BODY(outside_iova_ranges, tc)
{
	const struct side_span valid[] = {
		{ 0, 0xfedfffffULL },
		{ 0xfef00000ULL, 0x7fffffffffULL },
	};
	struct trace_opdesc a = range(OP_MAP_DMA, 0xfedff000ULL, 0x2000);
	struct side t1;

	side_init(&t1, SIDE_TYPE1, false);
	setup(&t1, 3);
	ATF_CHECK(!has(conds(&t1, &a), C_OUTSIDE_IOVA_RANGES));
	ATF_REQUIRE_EQ(side_set_valid(&t1, valid, 2), 0);
	ATF_CHECK(has(conds(&t1, &a), C_OUTSIDE_IOVA_RANGES));
	a.size = 0x1000;
	ATF_CHECK(!has(conds(&t1, &a), C_OUTSIDE_IOVA_RANGES));
	a.iova = 0xfee00000ULL;
	ATF_CHECK(has(conds(&t1, &a), C_OUTSIDE_IOVA_RANGES));
	a.iova = 0xfef00000ULL;
	ATF_CHECK(!has(conds(&t1, &a), C_OUTSIDE_IOVA_RANGES));
	/* Past the last range's end, and exactly up to it. */
	a = range(OP_MAP_DMA, 0x7ffffff000ULL, 0x2000);
	ATF_CHECK(has(conds(&t1, &a), C_OUTSIDE_IOVA_RANGES));
	a.size = 0x1000;
	ATF_CHECK(!has(conds(&t1, &a), C_OUTSIDE_IOVA_RANGES));
	/* A range that wraps is wraps, nothing more; a size 0 meets nothing. */
	a = range(OP_MAP_DMA, 0xfffffffffffff000ULL, 0x2000);
	ATF_CHECK(!has(conds(&t1, &a), C_OUTSIDE_IOVA_RANGES));
	a = range(OP_MAP_DMA, 0xfee00000ULL, 0);
	ATF_CHECK(!has(conds(&t1, &a), C_OUTSIDE_IOVA_RANGES));
	/* An unmap is not judged against the ranges. */
	a = range(OP_UNMAP_DMA, 0xfee00000ULL, 0x1000);
	ATF_CHECK(!has(conds(&t1, &a), C_OUTSIDE_IOVA_RANGES));
	/* Ranges no longer known. */
	a = range(OP_MAP_DMA, 0xfee00000ULL, 0x1000);
	ATF_REQUIRE_EQ(side_set_valid(&t1, NULL, 0), 0);
	ATF_CHECK(!has(conds(&t1, &a), C_OUTSIDE_IOVA_RANGES));
	side_release(&t1);
}

/*
 * A memlock op with a finite limit puts every later op under it, an
 * mlock that succeeded leaves locked memory, and iommufd accounts per
 * user until RLIMIT_MODE 1 (type1 never does); a failed op changes none.
 */
ATF_TC_WITHOUT_HEAD(locked_memory_state);
ATF_TC_BODY(locked_memory_state, tc)
{
	struct trace_opdesc m = op(OP_MEMLOCK);
	struct trace_opdesc l = op(OP_MLOCK);
	struct trace_opdesc o = op(OP_OPTION);
	struct trace_opdesc a = range(OP_MAP_DMA, 0x100000, 0x1000);
	struct side t1, fd;

	side_init(&t1, SIDE_TYPE1, false);
	side_init(&fd, SIDE_IOMMUFD, false);
	setup(&t1, 3);
	setup(&fd, 3);
	ATF_CHECK(!has(conds(&t1, &a), C_MEMLOCK));
	ATF_CHECK(!has(conds(&t1, &a), C_USER_ACCOUNTING));
	ATF_CHECK(has(conds(&fd, &a), C_USER_ACCOUNTING));
	m.val64 = 0x4000;
	did(&t1, &m);
	ATF_CHECK(has(conds(&t1, &a), C_MEMLOCK));
	ATF_REQUIRE_EQ(side_update(&t1, &l, NULL, PAGE, ENOMEM), 0);
	ATF_CHECK(!has(conds(&t1, &a), C_MLOCKED));
	did(&t1, &l);
	ATF_CHECK(has(conds(&t1, &a), C_MLOCKED));
	m.val64 = TRACE_UNLIMITED;
	did(&t1, &m);
	ATF_CHECK(!has(conds(&t1, &a), C_MEMLOCK));
	/* RLIMIT_MODE (option 0) SET (op 0) to 1, then back to 0. */
	o.val64 = 1;
	ATF_REQUIRE_EQ(side_update(&fd, &o, NULL, PAGE, EBUSY), 0);
	ATF_CHECK(has(conds(&fd, &a), C_USER_ACCOUNTING));
	did(&fd, &o);
	ATF_CHECK(!has(conds(&fd, &a), C_USER_ACCOUNTING));
	o.val64 = 0;
	did(&fd, &o);
	ATF_CHECK(has(conds(&fd, &a), C_USER_ACCOUNTING));
	/* A GET changes nothing. */
	o.ioas_op = 1;
	o.val64 = 1;
	did(&fd, &o);
	ATF_CHECK(has(conds(&fd, &a), C_USER_ACCOUNTING));
	side_release(&t1);
	side_release(&fd);
}

/*
 * The group leaves and comes back: type1's container loses its driver
 * and mappings with its last group (after the device's close, where the
 * device held the group file), the compat IOAS keeps them.
 */
ATF_TC_WITHOUT_HEAD(group_leaves);
ATF_TC_BODY(group_leaves, tc)
{
	struct trace_opdesc a = range(OP_MAP_DMA, 0x100000, 0x2000);
	struct trace_opdesc c = op(OP_CLOSE_GROUP);
	struct trace_opdesc x = op(OP_CLOSE_DEVICE);
	struct trace_opdesc g = op(OP_ATTACH_GROUP);
	struct side t1, fd;

	side_init(&t1, SIDE_TYPE1, false);
	side_init(&fd, SIDE_IOMMUFD, false);
	setup(&t1, 3);
	setup(&fd, 3);
	did(&t1, &a);
	did(&fd, &a);
	did(&t1, &c);
	did(&fd, &c);
	ATF_CHECK(!has(conds(&t1, &g), C_NO_GROUP));
	ATF_CHECK(has(conds(&fd, &g), C_NO_GROUP));
	ATF_CHECK(!sides_differ(&t1, &fd));
	did(&t1, &x);
	did(&fd, &x);
	ATF_CHECK(has(conds(&t1, &a), C_BEFORE_SET_IOMMU));
	ATF_CHECK(!has(conds(&fd, &a), C_NO_COMPAT_IOAS));
	ATF_CHECK(sides_differ(&t1, &fd));
	did(&t1, &g);
	did(&t1, &c);
	ATF_CHECK(has(conds(&t1, &g), C_NO_GROUP));
	side_release(&t1);
	side_release(&fd);
}

/*
 * Device ops against a write-only mapping, type1's pin limit, and a
 * device close that takes the device's pins with it.
 */
ATF_TC_WITHOUT_HEAD(device_conditions);
ATF_TC_BODY(device_conditions, tc)
{
	struct trace_opdesc d;
	struct side s;

	side_init(&s, SIDE_TYPE1, true);
	setup(&s, 3);
	d = range(OP_MAP_DMA, 0x100000, 0x10000);
	d.has_flags = true;
	d.flags = 2;
	did(&s, &d);
	d = range(OP_MAP_DMA, 0x200000, 0x400000);
	did(&s, &d);

	d = range(OP_DMA_WRITE, 0x100000, 8);
	ATF_CHECK(has(conds(&s, &d), C_WRITE_ONLY_MAPPING));
	d = range(OP_DMA_WRITE, 0x200000, 8);
	ATF_CHECK(!has(conds(&s, &d), C_WRITE_ONLY_MAPPING));

	d = op(OP_PIN);
	d.iova = 0x200000;
	d.npages = 512;
	ATF_CHECK(!has(conds(&s, &d), C_PIN_OVER_512));
	did(&s, &d);
	d.npages = 513;
	ATF_CHECK(has(conds(&s, &d), C_PIN_OVER_512));
	ATF_CHECK(has(conds(&s, &d), C_PINNED));

	d = op(OP_CLOSE_DEVICE);
	did(&s, &d);
	d = range(OP_UNMAP_DMA, 0x200000, 0x400000);
	ATF_CHECK(!has(conds(&s, &d), C_PINNED));
	ATF_CHECK(has(conds(&s, &d), C_BEFORE_DEVICE_OPEN));
	side_release(&s);
}

ATF_TC_WITHOUT_HEAD(unsafe_interrupts_per_side);
ATF_TC_BODY(unsafe_interrupts_per_side, tc)
{
	struct trace_opdesc p1 = op(OP_MODULE_PARAM), p2 = op(OP_MODULE_PARAM);
	struct trace_opdesc a = op(OP_ATTACH_GROUP);
	struct side t1, fd;

	side_init(&t1, SIDE_TYPE1, false);
	side_init(&fd, SIDE_IOMMUFD, false);
	ATF_CHECK(!has(conds(&t1, &a), C_MSI_UNISOLATED));
	ATF_CHECK(!has(conds(&t1, &a), C_UNSAFE_INTERRUPTS));
	side_set_interrupts(&t1, true, false);
	side_set_interrupts(&fd, true, true);
	ATF_CHECK(has(conds(&t1, &a), C_MSI_UNISOLATED));
	ATF_CHECK(!has(conds(&t1, &a), C_UNSAFE_INTERRUPTS));
	ATF_CHECK(has(conds(&fd, &a), C_UNSAFE_INTERRUPTS));
	/* Each side follows its own module's parameter. */
	p1.param = TRACE_PARAM_TYPE1_UNSAFE_INTERRUPTS;
	p1.val64 = 1;
	p2.param = TRACE_PARAM_IOMMUFD_UNSAFE_INTERRUPTS;
	p2.val64 = 0;
	did(&t1, &p1);
	did(&fd, &p1);
	ATF_CHECK(has(conds(&t1, &a), C_UNSAFE_INTERRUPTS));
	ATF_CHECK(has(conds(&fd, &a), C_UNSAFE_INTERRUPTS));
	did(&t1, &p2);
	did(&fd, &p2);
	ATF_CHECK(has(conds(&t1, &a), C_UNSAFE_INTERRUPTS));
	ATF_CHECK(!has(conds(&fd, &a), C_UNSAFE_INTERRUPTS));
	/* A write that failed changed nothing. */
	p1.val64 = 0;
	ATF_REQUIRE_EQ(side_update(&t1, &p1, NULL, PAGE, EPERM), 0);
	ATF_CHECK(has(conds(&t1, &a), C_UNSAFE_INTERRUPTS));
	side_release(&t1);
	side_release(&fd);
}

ATF_TC_WITHOUT_HEAD(peer_mapped);
ATF_TC_BODY(peer_mapped, tc)
{
	struct trace_opdesc p = op(OP_PEER_MAP);
	struct trace_opdesc m = range(OP_MAP_DMA, 0x100000, PAGE);
	struct side s;

	p.size = 4 * PAGE;
	side_init(&s, SIDE_IOMMUFD, false);
	setup(&s, 3);
	ATF_CHECK(!has(conds(&s, &m), C_PEER_MAPPED));
	/* A refused peer_map leaves nothing held. */
	ATF_REQUIRE_EQ(side_update(&s, &p, NULL, PAGE, ENOMEM), 0);
	ATF_CHECK(!has(conds(&s, &m), C_PEER_MAPPED));
	did(&s, &p);
	ATF_CHECK(has(conds(&s, &m), C_PEER_MAPPED));
	side_release(&s);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, peer_mapped);
	ATF_TP_ADD_TC(tp, unsafe_interrupts_per_side);
	ATF_TP_ADD_TC(tp, names_round_trip);
	ATF_TP_ADD_TC(tp, container_state);
	ATF_TP_ADD_TC(tp, emulated_group_has_no_domain);
	ATF_TP_ADD_TC(tp, v1_mode_sticks_on_iommufd);
	ATF_TP_ADD_TC(tp, unmap_ranges);
	ATF_TP_ADD_TC(tp, map_arguments);
	ATF_TP_ADD_TC(tp, extension_ids);
	ATF_TP_ADD_TC(tp, v1_unmaps_leave_different_state);
	ATF_TP_ADD_TC(tp, adjacent_pieces_are_the_same_mapping);
	ATF_TP_ADD_TC(tp, vaddr_unmap_keeps_mappings);
	ATF_TP_ADD_TC(tp, vaddr_map_updates_not_adds);
	ATF_TP_ADD_TC(tp, unmap_part_way);
	ATF_TP_ADD_TC(tp, entry_limit);
	ATF_TP_ADD_TC(tp, locked_memory_state);
	ATF_TP_ADD_TC(tp, vaddr_range);
	ATF_TP_ADD_TC(tp, outside_iova_ranges);
	ATF_TP_ADD_TC(tp, group_leaves);
	ATF_TP_ADD_TC(tp, device_conditions);
	ATF_TP_ADD_TC(tp, native_conditions);
	ATF_TP_ADD_TC(tp, native_ops_move_the_compat_ioas);
	return atf_no_error();
}
