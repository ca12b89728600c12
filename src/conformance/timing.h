/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_TIMING_H
#define IOMMUCTL_TIMING_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>

#include "target.h"

/*
 * `iommuctl-conformance timing`: how long VFIO_IOMMU_MAP_DMA and
 * VFIO_IOMMU_UNMAP_DMA take on the type1 container and on iommufd's
 * compat container, per configuration. timing.c measures into this
 * model once; timing-stats.c summarises rounds; the renderers
 * (timing-text.c, timing-json.c, timing-svg.c) only read it.
 */

enum timing_backend { TB_TYPE1, TB_IOMMUFD, TB_COUNT };
enum timing_domain { TD_DEVICE, TD_NONE, TD_COUNT };
enum timing_mode { TMODE_TYPE1, TMODE_TYPE1V2, TMODE_COUNT };
enum timing_memory { TM_ANON, TM_HUGETLB, TM_COUNT };
enum timing_op { TOP_MAP, TOP_UNMAP, TOP_COUNT };
enum timing_status { TS_MEASURED, TS_SKIPPED, TS_FAILED };

/* Each axis's names, as options take them and the JSON gives them. */
extern const char *const timing_backend_names[TB_COUNT];
extern const char *const timing_domain_names[TD_COUNT];
extern const char *const timing_mode_names[TMODE_COUNT];
extern const char *const timing_memory_names[TM_COUNT];
extern const char *const timing_op_names[TOP_COUNT];
extern const char *const timing_status_names[3];
/* The SET_IOMMU name of a mode ("TYPE1v2_IOMMU"). */
extern const char *const timing_mode_iommu[TMODE_COUNT];

/* The index of s among count names, or -ENOENT. */
int timing_lookup(const char *const *names, int count, const char *s);

/*
 * The spread of a set of samples: order statistics, the percentiles
 * interpolated linearly between the closest ranks (numpy's default,
 * Hyndman and Fan's type 7), so p50 of an even count is the mean of the
 * middle two.
 */
struct timing_stats {
	unsigned int n;
	double min, p10, q1, median, q3, p90, max;
};

/* Sort samples (n of them) in place and summarise; n >= 1. */
void timing_stats_compute(double *samples, unsigned int n,
			  struct timing_stats *st);
/* The p-th percentile (0..100) of n sorted samples, type 7. */
double timing_percentile(const double *sorted, unsigned int n, double p);

#define TIMING_MAX_SIZES 16
#define TIMING_REASON_LEN 320

/* One configuration: a backend, domain, mode, memory kind and size. */
struct timing_cell {
	enum timing_backend bk;
	enum timing_domain domain;
	enum timing_mode mode;
	enum timing_memory memory;
	uint64_t size;
	enum timing_status status;
	char reason[TIMING_REASON_LEN]; /* skipped or failed: why */
	unsigned int batch; /* ops timed together in one round */
	/* Per round, nanoseconds per op; rounds entries when measured. */
	double *samples[TOP_COUNT];
	struct timing_stats stats[TOP_COUNT];
};

struct timing_run {
	/* What to measure (the command line). */
	uint64_t sizes[TIMING_MAX_SIZES];
	unsigned int nr_sizes;
	unsigned int rounds;
	bool want_domain[TD_COUNT];
	bool want_mode[TMODE_COUNT];
	bool want_memory[TM_COUNT];
	struct replay_target pci; /* --device/--group, else chosen */
	struct replay_target mdev; /* --mdev, else chosen */
	bool pci_given, mdev_given;

	/* What ran, for the renderers. */
	char kernel[65];
	char host[65];
	char why_pci[TIMING_REASON_LEN]; /* no device domain: why */
	char why_mdev[TIMING_REASON_LEN]; /* no mdev for type1 without one */
	uint64_t hugepage_size; /* 0: no hugetlb here */
	struct timing_cell *cells;
	unsigned int nr_cells;
};

/*
 * The cells, in the order the renderers list them: domain, mode,
 * memory, size, backend, every one asked for. 0 or -ENOMEM.
 */
int timing_cells_alloc(struct timing_run *t);
void timing_run_release(struct timing_run *t);

/* The cell of one configuration, or NULL when it was not asked for. */
struct timing_cell *timing_cell(const struct timing_run *t,
				enum timing_backend bk,
				enum timing_domain domain,
				enum timing_mode mode,
				enum timing_memory memory, uint64_t size);

/* Summarise every measured cell's samples (sorting them). */
void timing_summarise(struct timing_run *t);

/*
 * iommufd / type1 for one op of a configuration, medians, or a negative
 * value when either side was not measured.
 */
double timing_ratio(const struct timing_run *t, const struct timing_cell *c,
		    enum timing_op op);

/* Bytes per second at the median latency. */
double timing_throughput(const struct timing_cell *c, enum timing_op op);

/* "4 KiB", "2 MiB", "1 GiB", or bytes when not a whole unit. */
void timing_size_label(char *buf, size_t len, uint64_t size);

/* "type1, domain device, type1v2, anon, 4 KiB": which cell. */
void timing_cell_label(char *buf, size_t len, const struct timing_cell *c);

/*
 * Each cell not measured: fmt[0] before the first, then per cell
 * fmt[1], "LABEL: STATUS: ", its reason through text (plain or escaped)
 * and fmt[2]. Returns how many.
 */
unsigned int timing_list_unmeasured(FILE *f, const struct timing_run *t,
			    const char *const fmt[3],
			    void (*text)(FILE *f, const char *s));

/* "5.12 us", "3.40 ms", "1.250 s": three or four digits. */
void timing_fmt_time(char *buf, size_t len, double ns);
/* "5.12 [4.90-5.60] us": median [p10-p90] in the median's unit. */
void timing_fmt_spread(char *buf, size_t len, const struct timing_stats *st);
/* "812.3 MiB/s", "1.25 GiB/s", "2.10 TiB/s". */
void timing_fmt_rate(char *buf, size_t len, double bytes_per_s);

/* What each domain ran on: the device, or why there was none. */
void timing_domain_desc(char *buf, size_t len, const struct timing_run *t,
			enum timing_domain d);

/*
 * Measure every cell on this machine: each is measured, skipped with the
 * reason, or failed with the ioctl and errno. 0, or -ENOMEM.
 */
int timing_measure(struct timing_run *t);

/* The renderers; 0 or -errno (the stream's error). */
int timing_text(FILE *f, const struct timing_run *t);
int timing_json(FILE *f, const struct timing_run *t);
int timing_html(FILE *f, const struct timing_run *t);

#endif
