// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * User addresses become (buffer, offset): a trace never holds a raw
 * address. The buffer is the mapping the address lies in, found in
 * /proc/self/maps when an address hits no buffer declared yet, and
 * declared in the trace then: name, size, alignment, kind, protection.
 * A mapping of a device fd (seen at its mmap) is a device_region buffer
 * that names the region. All of it runs under the trace lock, on static
 * tables: no malloc.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "addr.h"
#include "binlog.h"
#include "log.h"

/* VFIO's PCI driver puts region N at offset N << 40 of the device fd. */
#define REGION_SHIFT 40

/* A VMM has some hundreds of mappings; more are not looked at. */
#define MAX_VMAS 8192
#define MAX_BUFS 256 /* TRACE_MAX_BUFFERS of the reader */
#define MAX_REGIONS 64

enum kind {
	K_ANON,
	K_HUGETLB,
	K_MEMFD,
	K_REGION,
};

static const char *const kind_names[] = { "anonymous", "hugetlb", "memfd",
					  "device_region" };
static const char *const name_prefix[] = { "anon", "huge", "memfd", "region" };

struct vma {
	uint64_t start, end, inode;
	unsigned char prot; /* bit 0 read, bit 1 write */
	unsigned char kind;
};

struct buf {
	uint64_t start, end, inode;
	unsigned char kind;
	char name[16];
};

struct region {
	uint64_t start, len, pgoff;
	int prot;
};

static struct vma vmas[MAX_VMAS];
static unsigned int nr_vmas;
static struct buf bufs[MAX_BUFS];
static unsigned int nr_bufs, next_name;
/* The last lookup; its answer stands while no buffer is declared. */
static struct {
	uint64_t va, last;
	unsigned int nr_bufs, buf;
} hit;
static struct region regions[MAX_REGIONS];
static unsigned int nr_regions;
static char mapsbuf[65536];
/* Declarations are written while the op's line is being built. */
static char declbuf[1024];

static uint64_t parse_hex(const char **p)
{
	uint64_t v = 0;
	int d;

	for (;; (*p)++) {
		d = **p;
		if (d >= '0' && d <= '9')
			v = v * 16 + (uint64_t)(d - '0');
		else if (d >= 'a' && d <= 'f')
			v = v * 16 + (uint64_t)(d - 'a' + 10);
		else
			return v;
	}
}

static bool on_hugetlbfs(const char *path)
{
	struct statfs sf;

	return !syscall(SYS_statfs, path, &sf) && sf.f_type == HUGETLBFS_MAGIC;
}

/*
 * The kind of a mapping from its maps path. Files other than memfds are
 * "memfd" too: shared memory behind a file, whose contents a replay does
 * not reproduce anyway.
 */
static unsigned char kind_of(const char *path, size_t n, uint64_t inode)
{
	char p[256];

	if (!inode || !n || path[0] == '[')
		return K_ANON;
	if (n >= sizeof(p))
		return K_MEMFD;
	memcpy(p, path, n);
	p[n] = '\0';
	if (!strncmp(p, "/anon_hugepage", 14))
		return K_HUGETLB;
	if (!strncmp(p, "/dev/zero", 9))
		return K_ANON;
	if (p[0] == '/' && !strstr(p, " (deleted)") && on_hugetlbfs(p))
		return K_HUGETLB;
	return K_MEMFD;
}

/*
 * A memfd made with MFD_HUGETLB shows as "/memfd:NAME (deleted)" like
 * any other; its file, reached through /proc/self/map_files (root
 * only), is on hugetlbfs.
 */
static unsigned char file_kind(const struct vma *v)
{
	char path[64] = "/proc/self/map_files/";
	size_t n = strlen(path);

	n += rec_xtoa(path + n, v->start);
	path[n++] = '-';
	rec_xtoa(path + n, v->end);
	return on_hugetlbfs(path) ? K_HUGETLB : K_MEMFD;
}

static void parse_vma(const char *s, const char *eol)
{
	struct vma *v;
	const char *path;

	if (nr_vmas == MAX_VMAS)
		return;
	v = &vmas[nr_vmas];
	v->start = parse_hex(&s);
	s++;
	v->end = parse_hex(&s);
	s++;
	v->prot = (unsigned char)((s[0] == 'r') | (s[1] == 'w') << 1);
	s += 5;
	parse_hex(&s); /* offset */
	s++;
	parse_hex(&s); /* major */
	s++;
	parse_hex(&s); /* minor */
	s++;
	v->inode = 0;
	while (*s >= '0' && *s <= '9')
		v->inode = v->inode * 10 + (uint64_t)(*s++ - '0');
	while (*s == ' ')
		s++;
	path = s;
	v->kind = kind_of(path, (size_t)(eol - path), v->inode);
	nr_vmas++;
}

static void read_maps(void)
{
	size_t have = 0, used;
	char *eol, *s;
	ssize_t n;
	int fd;

	nr_vmas = 0;
	fd = (int)syscall(SYS_openat, AT_FDCWD, "/proc/self/maps",
			  O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	for (;;) {
		n = read(fd, mapsbuf + have, sizeof(mapsbuf) - have);
		if (n <= 0)
			break;
		have += (size_t)n;
		s = mapsbuf;
		while ((eol = memchr(s, '\n', have - (size_t)(s - mapsbuf)))) {
			parse_vma(s, eol);
			s = eol + 1;
		}
		used = (size_t)(s - mapsbuf);
		memmove(mapsbuf, s, have - used);
		have -= used;
		if (have == sizeof(mapsbuf))
			have = 0; /* a line longer than the buffer: dropped */
	}
	syscall(SYS_close, fd);
}

/*
 * The alignment of the start, as far as it can matter: up to the buffer's
 * size (a larger one only makes a replay over-allocate) and up to the
 * largest page the kind can use.
 */
static uint64_t natural_align(uint64_t start, uint64_t size, unsigned char kind)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	uint64_t cap = kind == K_HUGETLB ? 1ULL << 30 : 1ULL << 21;
	uint64_t a = start ? start & (~start + 1) : cap;

	while (cap > size && cap > page)
		cap >>= 1;
	if (a > cap)
		a = cap;
	return a < page ? page : a;
}

static struct buf *declare(uint64_t start, uint64_t end, uint64_t inode,
			   unsigned char kind, unsigned char prot,
			   const struct region *rg)
{
	static const char *const prots[] = { "none", "r", "none", "rw" };
	struct rec_line line, *l = &line;
	struct buf *b;

	if (nr_bufs == MAX_BUFS)
		return NULL;
	b = &bufs[nr_bufs];
	b->start = start;
	b->end = end;
	b->inode = inode;
	b->kind = kind;
	strcpy(b->name, name_prefix[kind]);
	rec_utoa(b->name + strlen(b->name), next_name);

	line_init(l, declbuf, sizeof(declbuf) - 1);
	line_raw(l, "{\"type\":\"buffer\",\"name\":");
	line_str(l, b->name);
	line_raw(l, ",\"size\":");
	line_hex(l, end - start);
	/* Where a BAR lands is the kernel's choice: no alignment to keep. */
	if (kind != K_REGION) {
		line_raw(l, ",\"align\":");
		line_hex(l, natural_align(start, end - start, kind));
	}
	line_raw(l, ",\"kind\":");
	line_str(l, kind_names[kind]);
	line_raw(l, ",\"prot\":");
	line_str(l, prots[prot & 3]);
	if (rg) {
		line_raw(l, ",\"region\":");
		line_dec(l, (int64_t)(rg->pgoff >> REGION_SHIFT));
		line_raw(l, ",\"region_offset\":");
		line_hex(l, rg->pgoff & ((1ULL << REGION_SHIFT) - 1));
	}
	line_raw(l, "}");
	if (l->overflow)
		return NULL;
	rec_log_line(l->buf, l->len);
	next_name++;
	nr_bufs++;
	return b;
}

static struct buf *find_buf(uint64_t va, uint64_t last, unsigned char kind,
			    bool any_kind)
{
	unsigned int i;

	for (i = nr_bufs; i-- > 0;)
		if (bufs[i].start <= va && last < bufs[i].end &&
		    (any_kind || bufs[i].kind == kind))
			return &bufs[i];
	return NULL;
}

static struct buf *from_region(uint64_t va, uint64_t last)
{
	const struct region *rg;
	struct buf *b;
	unsigned int i;

	for (i = 0; i < nr_regions; i++) {
		rg = &regions[i];
		if (va < rg->start || va >= rg->start + rg->len)
			continue;
		b = find_buf(va, last, K_REGION, false);
		if (b && b->start == rg->start)
			return b;
		return declare(rg->start, rg->start + rg->len, 0, K_REGION,
			       (unsigned char)((rg->prot & PROT_READ ? 1 : 0) |
					       (rg->prot & PROT_WRITE ? 2 : 0)),
			       rg);
	}
	return NULL;
}

static struct buf *from_maps(uint64_t va, uint64_t last)
{
	unsigned int i, j;
	uint64_t end;

	read_maps();
	for (i = 0; i < nr_vmas; i++)
		if (vmas[i].start <= va && va < vmas[i].end)
			break;
	if (i == nr_vmas)
		return NULL;
	/* One mapping may be several VMAs (split by madvise, mprotect). */
	end = vmas[i].end;
	for (j = i + 1; j < nr_vmas && end <= last; j++) {
		if (vmas[j].start != end || vmas[j].kind != vmas[i].kind ||
		    vmas[j].inode != vmas[i].inode ||
		    vmas[j].prot != vmas[i].prot)
			break;
		end = vmas[j].end;
	}
	return declare(vmas[i].start, end, vmas[i].inode,
		       vmas[i].kind == K_MEMFD ? file_kind(&vmas[i]) :
						 vmas[i].kind,
		       vmas[i].prot, NULL);
}

int rec_addr_resolve(uint64_t va, uint64_t len, char *name, size_t namelen,
		     uint64_t *offset)
{
	uint64_t last = va + (len ? len - 1 : 0);
	struct buf *b;

	if (last < va)
		last = UINT64_MAX;
	/*
	 * A VMM maps the same range over and over: the last answer holds
	 * until a buffer is declared, unless a device mapping (those come
	 * first, and change) could be the answer.
	 */
	if (hit.nr_bufs && hit.nr_bufs == nr_bufs && !nr_regions &&
	    hit.va == va && hit.last == last) {
		b = &bufs[hit.buf];
		goto found;
	}
	b = from_region(va, last);
	if (!b)
		b = find_buf(va, last, 0, true);
	if (!b)
		b = from_maps(va, last);
	if (!b)
		return nr_bufs == MAX_BUFS ? -ENOSPC : -ENOENT;
	if (!nr_regions) {
		hit.va = va;
		hit.last = last;
		hit.nr_bufs = nr_bufs;
		hit.buf = (unsigned int)(b - bufs);
	}
found:
	if (namelen < sizeof(b->name))
		return -ENAMETOOLONG;
	memcpy(name, b->name, sizeof(b->name));
	*offset = va - b->start;
	return 0;
}

unsigned int rec_addr_epoch(void)
{
	return nr_regions ? 0 : nr_bufs;
}

void rec_region_add(uint64_t start, uint64_t len, int prot, uint64_t pgoff)
{
	rec_region_remove(start, len);
	if (nr_regions == MAX_REGIONS)
		return;
	regions[nr_regions++] = (struct region){ start, len, pgoff, prot };
}

bool rec_regions_active(void)
{
	return __atomic_load_n(&nr_regions, __ATOMIC_RELAXED) != 0;
}

void rec_region_remove(uint64_t start, uint64_t len)
{
	unsigned int i = 0;

	while (i < nr_regions) {
		if (regions[i].start < start + len &&
		    start < regions[i].start + regions[i].len)
			regions[i] = regions[--nr_regions];
		else
			i++;
	}
}

void rec_addr_forget(void)
{
	nr_bufs = 0;
	hit.nr_bufs = 0;
}
