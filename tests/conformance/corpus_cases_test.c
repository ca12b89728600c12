// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The trace corpus with one kyua test case per operation, so that every
 * case counts in the totals: TRACE__ID (the trace's file name without
 * .jsonl, then the op's id, "-" and "." as "_"). Each case is what `run
 * --tap --case ID` reports for its op: the runner replays the trace up to
 * that op, from a fresh state on every backend, and judges that op alone.
 * A "not ok" (an unexpected divergence or an unmet expectation) fails the
 * case with the runner's evidence, a skipped op skips with the runner's
 * reason, a known divergence passes and prints its evidence.
 *
 * The cases of a trace share one replay of the whole trace. An op's row
 * is filled before the next op runs and every backend replays from a
 * fresh state (run.c: replay_backend), so the ops after an op cannot
 * change its verdict: the whole-trace report holds, line for line, what
 * each op's --case run reports (corpus_cache_test checks it against
 * both). The first case of a trace to run makes that replay and keeps its
 * TAP in the cache directory; every case, the first too, cuts its op out
 * of it, numbered as --case numbers it. A trace of n ops costs n replayed
 * ops per backend instead of n(n+1)/2 (tests/conformance/corpus-cases-cost).
 *
 * An entry holds for one kyua run (the directory kyua makes the cases'
 * work directories in), one boot of one kernel, one mode (device or
 * mdev), the trace, runner and registry files as they were (device,
 * inode, size and modification time: within one kyua run nothing edits
 * them in place without a new time), the DMA-probe module in mdev mode,
 * and what the runner's choice of device and its replay depend on: the
 * VFIO groups, vfio-pci devices and mdevs, the VFIO and iommufd module
 * parameters, huge pages and the locked-memory limit. The key is kept in
 * the entry and compared whole, so a change of any of these misses it.
 * The entries of one trace and mode are made and read under one flock.
 * Whatever stops the cache (ICTL_CORPUS_CASES_CACHE=off, not run by kyua,
 * a cache directory that cannot be written, a whole-trace replay that did
 * not report every op once or ran out of its time) is printed as "#
 * replayed alone: WHY" and the case replays its op alone.
 *
 * Every replay goes through corpus-replay beside this program, which
 * creates the DMA-probe mdev around it in mdev mode. That costs a shell a
 * replay, which is once a trace; the case itself forks nothing when it
 * finds its entry, which under TCG is most of what a case cost when it
 * was a shell script (2.3 s a case in the 6.12 guest, December 2026).
 *
 * corpus_cases_test lets the runner pick the device (a vfio-pci device in
 * the VM). corpus_cases_mdev_test (built with CORPUS_MDEV=1) takes only
 * the traces with device steps and replays them on a DMA-probe mdev, one
 * for the whole-trace replay and one around each op replayed alone. The
 * real programs' traces (tests/traces/real) are one case each in
 * corpus_cases_test, real__NAME: the whole trace, failed by any "not ok".
 *
 * Test configuration variables (kyua -v or atf's -v) replace what the
 * program uses: runner, registry, traces (the corpus directory),
 * cache_dir, cache_budget (seconds a whole-trace replay may take, 240 by
 * default, under kyua's 300 for a case) and replay (the helper).
 */
#include "config.h"

#include <atf-c.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "corpus-cases.h"
#include "sysfs-read.h"

struct corpus_case {
	char *ident;
	char *trace;	/* the trace's path */
	char *id;	/* the op's id; NULL: a real program's whole trace */
	atf_tc_t tc;
};

static struct corpus_case *cases;
static unsigned int nr_cases;

/*
 * Each path's configuration variable and its defaults: the built runner
 * with the source tree's corpus and registry, or the installed ones (the
 * installed cases run as root, hence /run).
 */
static const struct {
	const char *var;
	size_t offset;
	const char *build, *installed;
} config_paths[] = {
	{ "runner", offsetof(struct corpus_config, runner),
	  ABS_TOP_BUILDDIR "/src/conformance/iommuctl-conformance",
	  SBINDIR "/iommuctl-conformance" },
	{ "registry", offsetof(struct corpus_config, registry),
	  ABS_TOP_SRCDIR "/src/conformance/known-divergences.json",
	  PKGDATADIR "/known-divergences.json" },
	{ "traces", offsetof(struct corpus_config, traces),
	  ABS_TOP_SRCDIR "/tests/traces", PKGDATADIR "/traces" },
	{ "cache_dir", offsetof(struct corpus_config, cache_dir),
	  ABS_TOP_BUILDDIR "/tests/conformance/corpus-cases.cache",
	  "/run/iommuctl/corpus-cases" },
};

/* The paths and the budget, GET(CTX, NAME) giving variable NAME or NULL. */
static void load_config(struct corpus_config *cfg,
			const char *(*get)(const void *, const char *),
			const void *ctx)
{
	bool build = corpus_in_build_tree();
	char exe[PATH_MAX], *slash;
	const char *v;
	unsigned int i;
	ssize_t len;

	for (i = 0; i < sizeof(config_paths) / sizeof(config_paths[0]); i++) {
		v = get(ctx, config_paths[i].var);
		if (!v)
			v = build ? config_paths[i].build :
				    config_paths[i].installed;
		snprintf((char *)cfg + config_paths[i].offset, PATH_MAX, "%s",
			 v);
	}
	/* The helper is beside this program, built or installed. */
	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[len < 0 ? 0 : len] = '\0';
	slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	v = get(ctx, "replay");
	if (v)
		snprintf(cfg->replay, sizeof(cfg->replay), "%s", v);
	else if (snprintf(cfg->replay, sizeof(cfg->replay), "%s/corpus-replay",
			  exe) >= (int)sizeof(cfg->replay))
		cfg->replay[0] = '\0';
	v = get(ctx, "cache_budget");
	cfg->budget = v ? strtol(v, NULL, 10) : 240;
	if (cfg->budget <= 0)
		cfg->budget = 240;
}

static const char *tc_var(const void *ctx, const char *name)
{
	const atf_tc_t *tc = ctx;

	return atf_tc_has_config_var(tc, name) ?
		atf_tc_get_config_var(tc, name) : NULL;
}

/* atf's configuration as NAME, VALUE, ... NULL. */
static const char *pairs_var(const void *ctx, const char *name)
{
	char *const *v = ctx;

	for (; v && v[0] && v[1]; v += 2)
		if (!strcmp(v[0], name))
			return v[1];
	return NULL;
}

static char *xstrndup(const char *s, size_t n)
{
	char *d = strndup(s, n);

	if (!d)
		abort();
	return d;
}

/* IDENT with every "-" and "." as "_", as kyua accepts it. */
static char *ident_of(const char *prefix, const char *base, size_t base_len,
		      const char *id)
{
	char *s, *p;

	if (asprintf(&s, "%s%.*s%s%s", prefix, (int)base_len, base,
		     id ? "__" : "", id ? id : "") < 0)
		abort();
	for (p = s; *p; p++)
		if (*p == '-' || *p == '.')
			*p = '_';
	return s;
}

static void add_case(char *ident, const char *trace, char *id)
{
	struct corpus_case *c;

	c = realloc(cases, (nr_cases + 1) * sizeof(*cases));
	if (!c)
		abort();
	cases = c;
	c = &cases[nr_cases++];
	c->ident = ident;
	c->trace = xstrndup(trace, strlen(trace));
	c->id = id;
}

static bool id_char(char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
	       (ch >= '0' && ch <= '9') || ch == '-';
}

/* Whether a trace has device steps, the traces the mdev replays. */
static bool has_device_steps(const char *text)
{
	static const char *const ops[] = {
		"\"op\":\"dma_read\"", "\"op\":\"dma_write\"",
		"\"op\":\"pin\"", "\"op\":\"unpin\"",
	};
	unsigned int i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strstr(text, ops[i]))
			return true;
	return false;
}

/*
 * One case for each op id of the trace at PATH: every "id":"ID" in it
 * (a note cannot fake one, its quotes are escaped), ID of letters,
 * digits and "-".
 */
static void add_trace_cases(const char *path, const char *name)
{
	static const char key[] = "\"id\":\"";
	size_t base_len = strlen(name) - strlen(".jsonl");
	const char *p, *id, *end;
	char *text, *op;

	if (corpus_read_whole(path, &text, NULL))
		return;
	if (CORPUS_MDEV && !has_device_steps(text))
		goto out;
	for (p = text; (p = strstr(p, key)); p = end) {
		id = p + strlen(key);
		for (end = id; id_char(*end); end++)
			;
		if (*end != '"' || end == id)
			continue;
		op = xstrndup(id, end - id);
		add_case(ident_of("", name, base_len, op), path, op);
	}
out:
	free(text);
}

/* The traces of DIR, *.jsonl in name order; REAL: one case each. */
static void add_dir_cases(const char *dir, bool real)
{
	struct dirent **ents;
	unsigned int i, nr;
	char path[PATH_MAX];

	if (sysfs_list_dir(dir, &ents, &nr))
		return;
	for (i = 0; i < nr; i++) {
		const char *name = ents[i]->d_name;

		if (!corpus_has_suffix(name, ".jsonl") || !strcmp(name, ".jsonl"))
			continue;
		sysfs_join(path, sizeof(path), dir, name);
		if (real)
			add_case(ident_of("real__", name,
					  strlen(name) - strlen(".jsonl"), NULL),
				 path, NULL);
		else
			add_trace_cases(path, name);
	}
	sysfs_free_dir(ents, nr);
}

static struct corpus_case *case_of(const atf_tc_t *tc)
{
	const char *ident = atf_tc_get_ident(tc);
	unsigned int i;

	for (i = 0; i < nr_cases; i++)
		if (&cases[i].tc == tc || !strcmp(cases[i].ident, ident))
			return &cases[i];
	return NULL;
}

static void case_head(atf_tc_t *tc)
{
	struct corpus_case *c = case_of(tc);
	const char *base;

	if (!c)
		return;
	base = strrchr(c->trace, '/');
	base = base ? base + 1 : c->trace;
	if (c->id) {
		atf_tc_set_md_var(tc, "descr", "%.*s: %s",
				  (int)(strlen(base) - strlen(".jsonl")), base,
				  c->id);
		atf_tc_set_md_var(tc, "require.files", "/dev/vfio/vfio /dev/iommu");
	} else {
		atf_tc_set_md_var(tc, "descr", "real program trace: %.*s",
				  (int)(strlen(base) - strlen(".jsonl")), base);
		atf_tc_set_md_var(tc, "require.files", "/dev/vfio/vfio");
	}
	atf_tc_set_md_var(tc, "require.user", "root");
}

/* FILE's text with its lines joined by "; ", for a one-line reason. */
static char *one_line(const char *path, const char *only_prefix)
{
	struct corpus_text t = { 0 };
	char *text, *line, *next;

	corpus_text_add(&t, "%s", "");
	if (corpus_read_whole(path, &text, NULL))
		return t.buf;
	for (line = text; *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		if (only_prefix) {
			if (!corpus_starts_with(line, only_prefix))
				continue;
			line += strlen(only_prefix);
		}
		corpus_text_add(&t, "%s%s", t.len ? "; " : "", line);
	}
	free(text);
	return t.buf;
}

/* Print tap.out, the case's report, to stdout. */
static void print_tap(void)
{
	char *text;

	if (corpus_read_whole("tap.out", &text, NULL))
		return;
	fputs(text, stdout);
	fflush(stdout);
	free(text);
}

static void replay_or_skip(const struct corpus_config *cfg,
			   const struct corpus_case *c, int *status)
{
	char *reason;

	*status = corpus_replay(cfg, c->trace, c->id, 0, "tap.out", "tap.err");
	if (*status == REPLAY_NO_MDEV) {
		reason = one_line("tap.err", NULL);
		atf_tc_skip("%s", *reason ? reason : "no DMA-probe mdev");
	}
	if (*status < 0)
		atf_tc_fail("could not run %s: %s", cfg->replay,
			    strerror(-*status));
}

static void op_case(const struct corpus_config *cfg,
		    const struct corpus_case *c)
{
	char why[PATH_MAX + 256], *first = NULL, *evidence, *err;
	int status;

	status = corpus_cache_case(cfg, c->trace, c->id, why, sizeof(why));
	if (status == REPLAY_NO_MDEV)
		atf_tc_skip("%s", why);
	if (status < 0) {
		fprintf(stderr, "# replayed alone: %s\n", why);
		replay_or_skip(cfg, c, &status);
	}
	print_tap();
	if (corpus_read_whole("tap.out", &first, NULL))
		first = NULL;
	if (first)
		first[strcspn(first, "\n")] = '\0';
	err = one_line("tap.err", NULL);
	if (first && corpus_starts_with(first, "not ok ")) {
		evidence = one_line("tap.out", "# ");
		atf_tc_fail("%s %s", evidence, err);
	}
	if (first && corpus_starts_with(first, "ok ") && strstr(first, " # SKIP "))
		atf_tc_skip("%s", strstr(first, " # SKIP ") + strlen(" # SKIP "));
	if (first && corpus_starts_with(first, "ok ")) {
		if (status)
			atf_tc_fail("runner exited %d: %s", status, err);
		return;
	}
	atf_tc_fail("runner exited %d without a result: %s", status, err);
}

/* A real program's trace, whole: every op must be "ok". */
static void real_case(const struct corpus_config *cfg,
		      const struct corpus_case *c)
{
	char *text, *line, *skip;
	unsigned int bad = 0;
	int status;

	status = corpus_replay(cfg, c->trace, NULL, 0, "tap.out", "tap.err");
	if (status < 0)
		atf_tc_fail("could not run %s: %s", cfg->replay,
			    strerror(-status));
	print_tap();
	if (corpus_read_whole("tap.out", &text, NULL))
		atf_tc_fail("runner exited %d without a report: %s", status,
			    one_line("tap.err", NULL));
	for (line = text; line; line = strchr(line, '\n')) {
		if (*line == '\n')
			line++;
		if (corpus_starts_with(line, "not ok"))
			bad++;
	}
	if (bad)
		atf_tc_fail("%u unexpected: %s", bad, one_line("tap.out", NULL));
	skip = strstr(text, "1..0 # SKIP ");
	if (skip && (skip == text || skip[-1] == '\n'))
		atf_tc_skip("%.*s", (int)strcspn(skip + 12, "\n"), skip + 12);
	if (status)
		atf_tc_fail("runner exited %d: %s", status,
			    one_line("tap.err", NULL));
	free(text);
}

static void case_body(const atf_tc_t *tc)
{
	struct corpus_case *c = case_of(tc);
	struct corpus_config cfg;

	if (!c)
		atf_tc_fail("no case %s", atf_tc_get_ident(tc));
	load_config(&cfg, tc_var, tc);
	if (c->id)
		op_case(&cfg, c);
	else
		real_case(&cfg, c);
}

ATF_TP_ADD_TCS(tp)
{
	struct corpus_config cfg;
	char **config = atf_tp_get_config(tp);
	char real[PATH_MAX];
	atf_error_t err;
	unsigned int i;

	if (!config)
		return atf_no_memory_error();
	load_config(&cfg, pairs_var, config);
	add_dir_cases(cfg.traces, false);
	if (!CORPUS_MDEV) {
		sysfs_join(real, sizeof(real), cfg.traces, "real");
		add_dir_cases(real, true);
	}
	for (i = 0; i < nr_cases; i++) {
		err = atf_tc_init(&cases[i].tc, cases[i].ident, case_head,
				  case_body, NULL, (const char *const *)config);
		if (atf_is_error(err))
			goto out;
		err = atf_tp_add_tc(tp, &cases[i].tc);
		if (atf_is_error(err))
			goto out;
	}
	err = atf_no_error();
out:
	atf_utils_free_charpp(config);
	return err;
}
