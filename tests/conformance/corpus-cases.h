/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the per-op corpus cases share (corpus_cases_test.c): the paths
 * they run with, the replays (corpus-util.c) and the whole-trace cache
 * (corpus-cache.c). Built twice, CORPUS_MDEV=1 for the mdev program.
 */
#ifndef IOMMUCTL_CORPUS_CASES_H
#define IOMMUCTL_CORPUS_CASES_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#ifndef CORPUS_MDEV
#define CORPUS_MDEV 0
#endif

#if CORPUS_MDEV
#define CORPUS_MODE "mdev"
#else
#define CORPUS_MODE "device"
#endif

/* The helper's status when it could not make an mdev (reason in ERR). */
#define REPLAY_NO_MDEV 77
/* timeout(1)'s status when the replay ran out of its budget. */
#define REPLAY_TIMED_OUT 124

struct corpus_config {
	char runner[PATH_MAX];
	char registry[PATH_MAX];
	char traces[PATH_MAX];
	char cache_dir[PATH_MAX];
	char replay[PATH_MAX];
	long budget;
};

/* Whether this program runs from the build tree (make check). */
bool corpus_in_build_tree(void);

/*
 * Replay TRACE with the helper: its TAP in TAP and stderr in ERR, only op
 * ID when ID is not NULL, within BUDGET seconds (0: no limit). The
 * runner's status, REPLAY_TIMED_OUT, REPLAY_NO_MDEV, or -errno.
 */
int corpus_replay(const struct corpus_config *cfg, const char *trace,
		  const char *id, long budget, const char *tap, const char *err);

/*
 * Op ID of TRACE from its whole-trace replay, made first if no case has
 * made it: its TAP in tap.out, the replay's stderr in tap.err, and the
 * status its own --case run would have (0 or 1). -1 with WHY set when the
 * cache cannot stand for the case; REPLAY_NO_MDEV with the reason in WHY
 * when there is no mdev.
 */
int corpus_cache_case(const struct corpus_config *cfg, const char *trace,
		      const char *id, char *why, size_t why_len);

/* Text that grows as it is written; buf is malloc'd. */
struct corpus_text {
	char *buf;
	size_t len, cap;
};

__attribute__((format(printf, 2, 3))) void
corpus_text_add(struct corpus_text *t, const char *fmt, ...);

/* The whole of file PATH, NUL-terminated, in *OUT; 0 or -errno. */
int corpus_read_whole(const char *path, char **out, size_t *out_len);
/* Write LEN bytes of BUF as file PATH; 0 or -errno. */
int corpus_write_whole(const char *path, const char *buf, size_t len);
bool corpus_has_suffix(const char *s, const char *suffix);
bool corpus_starts_with(const char *s, const char *prefix);

#endif
