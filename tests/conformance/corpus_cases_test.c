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
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sysfs-read.h"

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

#define CACHE_WAIT_S 300
#define DMAPROBE "iommuctl_dmaprobe"

struct corpus_case {
	char *ident;
	char *trace;	/* the trace's path */
	char *id;	/* the op's id; NULL: a real program's whole trace */
	atf_tc_t tc;
};

static struct corpus_case *cases;
static unsigned int nr_cases;

struct corpus_config {
	char runner[PATH_MAX];
	char registry[PATH_MAX];
	char traces[PATH_MAX];
	char cache_dir[PATH_MAX];
	char replay[PATH_MAX];
	long budget;
};

/* Whether this program runs from the build tree (make check). */
static bool in_build_tree(void)
{
	char exe[PATH_MAX];
	size_t n = strlen(ABS_TOP_BUILDDIR);
	ssize_t len;

	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len < 0)
		return false;
	exe[len] = '\0';
	return !strncmp(exe, ABS_TOP_BUILDDIR, n) && exe[n] == '/';
}

static void set_path(char *buf, const char *value, const char *fmt, ...)
{
	va_list ap;

	if (value) {
		snprintf(buf, PATH_MAX, "%s", value);
		return;
	}
	va_start(ap, fmt);
	vsnprintf(buf, PATH_MAX, fmt, ap);
	va_end(ap);
}

/*
 * The paths, GET(NAME) giving the configuration variable NAME or NULL:
 * the built runner with the source tree's corpus and registry, or the
 * installed ones.
 */
static void load_config(struct corpus_config *cfg,
			const char *(*get)(const void *, const char *),
			const void *ctx)
{
	bool build = in_build_tree();
	const char *v;
	char exe[PATH_MAX], *slash;
	ssize_t len;

	if (build) {
		set_path(cfg->runner, get(ctx, "runner"), "%s",
			 ABS_TOP_BUILDDIR "/src/conformance/iommuctl-conformance");
		set_path(cfg->registry, get(ctx, "registry"), "%s",
			 ABS_TOP_SRCDIR "/src/conformance/known-divergences.json");
		set_path(cfg->traces, get(ctx, "traces"), "%s",
			 ABS_TOP_SRCDIR "/tests/traces");
		set_path(cfg->cache_dir, get(ctx, "cache_dir"), "%s",
			 ABS_TOP_BUILDDIR "/tests/conformance/corpus-cases.cache");
	} else {
		set_path(cfg->runner, get(ctx, "runner"), "%s",
			 SBINDIR "/iommuctl-conformance");
		set_path(cfg->registry, get(ctx, "registry"), "%s",
			 PKGDATADIR "/known-divergences.json");
		set_path(cfg->traces, get(ctx, "traces"), "%s",
			 PKGDATADIR "/traces");
		/* The installed cases run as root. */
		set_path(cfg->cache_dir, get(ctx, "cache_dir"), "%s",
			 "/run/iommuctl/corpus-cases");
	}
	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[len < 0 ? 0 : len] = '\0';
	slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	set_path(cfg->replay, get(ctx, "replay"), "%s/corpus-replay", exe);
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

/* The whole of file PATH, NUL-terminated, in *OUT; 0 or -errno. */
static int read_whole(const char *path, char **out, size_t *out_len)
{
	size_t len = 0, cap = 0;
	char *buf = NULL, *p;
	ssize_t n;
	int fd, err = 0;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 65536;
			p = realloc(buf, cap + 1);
			if (!p) {
				err = -ENOMEM;
				goto err_free;
			}
			buf = p;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			goto err_free;
		}
		if (!n)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	*out = buf;
	if (out_len)
		*out_len = len;
	return 0;
err_free:
	free(buf);
	close(fd);
	return err;
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
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

	if (read_whole(path, &text, NULL))
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

		if (!has_suffix(name, ".jsonl") || !strcmp(name, ".jsonl"))
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

/* ---- the replays ---- */

/*
 * Run the helper: REPLAY MODE BUDGET RUNNER REGISTRY TAP ERR [--case ID]
 * TRACE, BUDGET 0 for no time limit. Its status (the runner's, 124 out of
 * time, 77 no mdev), or -errno.
 */
static int replay(const struct corpus_config *cfg, const char *trace,
		  const char *id, long budget, const char *tap, const char *err)
{
	char budget_s[24];
	const char *argv[12];
	int i = 0, status;
	pid_t pid;

	snprintf(budget_s, sizeof(budget_s), "%ld", budget);
	argv[i++] = cfg->replay;
	argv[i++] = CORPUS_MODE;
	argv[i++] = budget_s;
	argv[i++] = cfg->runner;
	argv[i++] = cfg->registry;
	argv[i++] = tap;
	argv[i++] = err;
	if (id) {
		argv[i++] = "--case";
		argv[i++] = id;
	}
	argv[i++] = trace;
	argv[i] = NULL;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

/* ---- the cache key ---- */

struct text {
	char *buf;
	size_t len, cap;
};

static __attribute__((format(printf, 2, 3))) void
text_add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
		va_end(ap);
		if (n < 0)
			abort();
		if ((size_t)n < t->cap - t->len)
			break;
		t->cap = t->cap * 2 + n + 256;
		t->buf = realloc(t->buf, t->cap);
		if (!t->buf)
			abort();
	}
	t->len += n;
}

static void key_file(struct text *t, const char *what, const char *path)
{
	struct stat st;

	if (stat(path, &st)) {
		text_add(t, "%s %s missing\n", what, path);
		return;
	}
	text_add(t, "%s %s %llu %llu %lld %lld.%09ld\n", what, path,
		 (unsigned long long)st.st_dev, (unsigned long long)st.st_ino,
		 (long long)st.st_size, (long long)st.st_mtim.tv_sec,
		 st.st_mtim.tv_nsec);
}

/* "WHAT NAME NAME ..." of DIR's entries; MATCH: only names holding it. */
static void key_names(struct text *t, const char *what, const char *dir,
		      const char *match)
{
	struct dirent **ents;
	unsigned int i, nr;

	text_add(t, "%s", what);
	if (!sysfs_list_dir(dir, &ents, &nr)) {
		for (i = 0; i < nr; i++)
			if (!match || strstr(ents[i]->d_name, match))
				text_add(t, " %s", ents[i]->d_name);
		sysfs_free_dir(ents, nr);
	}
	text_add(t, "\n");
}

static void key_attr(struct text *t, const char *path)
{
	char *v;

	if (sysfs_read_attr(path, &v))
		return;
	text_add(t, "%s %s\n", path, v);
	free(v);
}

/* Every parameter of the modules under /sys/module named PREFIX*. */
static void key_params(struct text *t, const char *prefix, bool exact)
{
	struct dirent **mods, **params;
	unsigned int i, j, nr, nr_params;
	char dir[PATH_MAX], path[PATH_MAX];

	if (sysfs_list_dir("/sys/module", &mods, &nr))
		return;
	for (i = 0; i < nr; i++) {
		const char *m = mods[i]->d_name;

		if (exact ? strcmp(m, prefix) : strncmp(m, prefix, strlen(prefix)))
			continue;
		sysfs_path(dir, sizeof(dir), "/sys/module", "%s/parameters", m);
		if (sysfs_list_dir(dir, &params, &nr_params))
			continue;
		for (j = 0; j < nr_params; j++) {
			sysfs_join(path, sizeof(path), dir, params[j]->d_name);
			key_attr(t, path);
		}
		sysfs_free_dir(params, nr_params);
	}
	sysfs_free_dir(mods, nr);
}

/* The DMA-probe module an mdev replay would use, as corpus-env.sh finds it. */
static void key_dmaprobe(struct text *t)
{
	const char *ko = getenv("IOMMUCTL_DMAPROBE_KO");
	char path[PATH_MAX], *v, *release = NULL;
	struct stat st;

	if (!sysfs_read_attr("/sys/module/" DMAPROBE "/srcversion", &v)) {
		text_add(t, "dmaprobe loaded %s\n", v);
		free(v);
		return;
	}
	if (sysfs_read_attr("/proc/sys/kernel/osrelease", &release))
		release = NULL;
	if (ko && *ko) {
		if (!stat(ko, &st) && S_ISDIR(st.st_mode)) {
			snprintf(path, sizeof(path), "%s/%s/" DMAPROBE ".ko", ko,
				 release ? release : "");
			key_file(t, "dmaprobe", path);
		} else {
			key_file(t, "dmaprobe", ko);
		}
	} else if (in_build_tree()) {
		snprintf(path, sizeof(path), "%s/kmod-builds/%s/" DMAPROBE ".ko",
			 ABS_TOP_BUILDDIR, release ? release : "");
		key_file(t, "dmaprobe", path);
		key_file(t, "dmaprobe", ABS_TOP_BUILDDIR "/kmod/" DMAPROBE ".ko");
	} else {
		snprintf(path, sizeof(path), "/lib/modules/%s/modules.dep",
			 release ? release : "");
		key_file(t, "dmaprobe modprobe", path);
	}
	free(release);
}

/*
 * The key of TRACE's entry into T, with the kyua run's directory as its
 * scope; -ENOENT when not run by kyua (a case's directory is ROOT/N/work,
 * ROOT a fresh mkdtemp(3) directory named kyua.* for each `kyua test`).
 */
static int cache_key(const struct corpus_config *cfg, const char *trace,
		     struct text *t)
{
	char cwd[PATH_MAX], *p, *v;
	struct rlimit rl;

	if (!getcwd(cwd, sizeof(cwd)) || !has_suffix(cwd, "/work"))
		return -ENOENT;
	cwd[strlen(cwd) - strlen("/work")] = '\0';
	p = strrchr(cwd, '/');
	if (!p || p[1] < '0' || p[1] > '9')
		return -ENOENT;
	*p = '\0';
	if (!strstr(cwd, "/kyua."))
		return -ENOENT;
	text_add(t, "iommuctl corpus cases cache 2\nscope %s\n", cwd);
	if (!sysfs_read_attr("/proc/sys/kernel/random/boot_id", &v)) {
		text_add(t, "boot %s\n", v);
		free(v);
	}
	key_attr(t, "/proc/sys/kernel/osrelease");
	key_attr(t, "/proc/sys/kernel/version");
	text_add(t, "mode %s\n", CORPUS_MODE);
	key_file(t, "trace", trace);
	key_file(t, "runner", cfg->runner);
	key_file(t, "registry", cfg->registry);
	key_file(t, "replay", cfg->replay);
	if (CORPUS_MDEV)
		key_dmaprobe(t);
	key_names(t, "groups", "/dev/vfio", NULL);
	key_names(t, "vfio-pci", "/sys/bus/pci/drivers/vfio-pci", ":");
	key_names(t, "mdevs", "/sys/bus/mdev/devices", NULL);
	key_attr(t, "/proc/sys/vm/nr_hugepages");
	key_params(t, "vfio", false);
	key_params(t, "iommufd", true);
	if (!getrlimit(RLIMIT_MEMLOCK, &rl)) {
		if (rl.rlim_cur == RLIM_INFINITY)
			text_add(t, "memlock unlimited\n");
		else
			text_add(t, "memlock %llu\n", (unsigned long long)rl.rlim_cur);
	}
	return 0;
}

/* FNV-1a, 64 bits: the entry's name; the key inside it is compared whole. */
static unsigned long long key_hash(const struct text *t)
{
	unsigned long long h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < t->len; i++) {
		h ^= (unsigned char)t->buf[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* ---- entries ---- */

static int write_whole(const char *path, const char *buf, size_t len)
{
	FILE *f = fopen(path, "we");
	int err = 0;

	if (!f)
		return -errno;
	if (len && fwrite(buf, 1, len, f) != len)
		err = -EIO;
	if (fclose(f) && !err)
		err = -errno;
	return err;
}

/* Remove directory PATH and the files in it (an entry holds no more). */
static void remove_flat_dir(const char *path)
{
	struct dirent **ents;
	unsigned int i, nr;
	char f[PATH_MAX];

	if (!sysfs_list_dir(path, &ents, &nr)) {
		for (i = 0; i < nr; i++) {
			sysfs_join(f, sizeof(f), path, ents[i]->d_name);
			unlink(f);
		}
		sysfs_free_dir(ents, nr);
	}
	rmdir(path);
}

/* The entries of PREFIX ("BASE.MODE.") and what a killed case left. */
static void remove_old_entries(const char *dir, const char *prefix)
{
	struct dirent **ents;
	unsigned int i, nr;
	char path[PATH_MAX], tmp[NAME_MAX + 8];

	snprintf(tmp, sizeof(tmp), ".%stmp.", prefix);
	if (sysfs_list_dir(dir, &ents, &nr))
		return;
	for (i = 0; i < nr; i++) {
		const char *name = ents[i]->d_name;

		if (strncmp(name, prefix, strlen(prefix)) &&
		    strncmp(name, tmp, strlen(tmp)))
			continue;
		if (has_suffix(name, ".lock"))
			continue;
		sysfs_join(path, sizeof(path), dir, name);
		remove_flat_dir(path);
	}
	sysfs_free_dir(ents, nr);
}

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/*
 * The name of a TAP result line ("ok N - NAME", "not ok N - NAME"),
 * or NULL for any other line.
 */
static const char *tap_result(const char *line, bool *failed)
{
	const char *p = line;

	*failed = starts_with(p, "not ok ");
	if (*failed)
		p += strlen("not ok ");
	else if (starts_with(p, "ok "))
		p += strlen("ok ");
	else
		return NULL;
	if (*p < '0' || *p > '9')
		return NULL;
	while (*p >= '0' && *p <= '9')
		p++;
	return starts_with(p, " - ") ? p + 3 : NULL;
}

/*
 * Whether the whole-trace TAP (status STATUS) reports every op of trace
 * BASE once and nothing else, as `run --tap` does when it replayed the
 * trace; if not, why in WHY.
 */
static bool cache_check(char *tap, int status, const char *base, long budget,
			char *why, size_t why_len)
{
	unsigned long n = 0, plan = 0;
	bool bad = false, any_failed = false, failed, has_plan = false;
	char *line, *next;
	const char *name;

	if (status == REPLAY_TIMED_OUT) {
		snprintf(why, why_len, "did not finish in %ld s", budget);
		return false;
	}
	if (status != 0 && status != 1) {
		snprintf(why, why_len, "exited %d", status);
		return false;
	}
	for (line = tap; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		name = tap_result(line, &failed);
		if (name) {
			n++;
			any_failed |= failed;
			if (strncmp(name, base, strlen(base)) ||
			    name[strlen(base)] != ':')
				bad = true;
		} else if (starts_with(line, "1..")) {
			char *end;

			plan = strtoul(line + 3, &end, 10);
			has_plan = *end == '\0';
			bad |= !has_plan;
		} else if (!starts_with(line, "# ")) {
			bad = true;
		}
		if (next)
			next[-1] = '\n';
	}
	if (bad || !n || !has_plan || plan != n) {
		snprintf(why, why_len, "did not report each op once");
		return false;
	}
	if (any_failed != (status == 1)) {
		snprintf(why, why_len, "exited %d against its report", status);
		return false;
	}
	return true;
}

/*
 * Cut op ID of trace BASE out of the whole-trace TAP into OUT as `--case
 * ID` reports it: the op's line numbered 1, its "# " lines, the plan.
 * 0 (ok), 1 (not ok) or 2 (no such op).
 */
static int cache_cut(const char *tap, const char *base, const char *id,
		     FILE *out)
{
	const char *line = tap, *next, *name, *rest;
	size_t want = strlen(base) + 1 + strlen(id);
	bool found = false, failed = false, f;

	for (; *line; line = next) {
		size_t len;

		next = strchr(line, '\n');
		next = next ? next + 1 : line + strlen(line);
		len = next - line - (next[-1] == '\n');
		name = tap_result(line, &f);
		if (name) {
			if (found)
				break;
			rest = name;
			if (strncmp(name, base, strlen(base)) ||
			    name[strlen(base)] != ':' ||
			    strncmp(name + strlen(base) + 1, id, strlen(id)))
				continue;
			/* The name ends at the line's end or at " # SKIP ". */
			if (name[want] != '\n' && name[want] != '\0' &&
			    !starts_with(name + want, " # SKIP "))
				continue;
			found = true;
			failed = f;
			fprintf(out, "%s 1 - %.*s\n", failed ? "not ok" : "ok",
				(int)(len - (rest - line)), rest);
			continue;
		}
		if (!found)
			continue;
		if (!starts_with(line, "# "))
			break;
		fprintf(out, "%.*s\n", (int)len, line);
	}
	if (!found)
		return 2;
	fprintf(out, "1..1\n");
	return failed;
}

/* Wait up to CACHE_WAIT_S for the lock on FD. */
static bool lock_wait(int fd)
{
	struct timespec pause = { 0, 50 * 1000 * 1000 };
	time_t end = time(NULL) + CACHE_WAIT_S;

	while (flock(fd, LOCK_EX | LOCK_NB)) {
		if (errno != EWOULDBLOCK && errno != EINTR)
			return false;
		if (time(NULL) >= end)
			return false;
		nanosleep(&pause, NULL);
	}
	return true;
}

/*
 * Make ENTRY for TRACE: the whole-trace replay's TAP, stderr and status,
 * or "nocache" with why. Called with the lock held. 0, or
 * REPLAY_NO_MDEV with the reason in SKIP.
 */
static int cache_make(const struct corpus_config *cfg, const char *trace,
		      const char *base, const char *entry, const char *prefix,
		      const struct text *key, char *skip, size_t skip_len)
{
	char tmp[PATH_MAX], tap[PATH_MAX], err[PATH_MAX], path[PATH_MAX];
	char why[PATH_MAX + 64], *text = NULL, status_s[16];
	int status;

	remove_old_entries(cfg->cache_dir, prefix);
	if (snprintf(tmp, sizeof(tmp), "%s/.%stmp.%d", cfg->cache_dir, prefix,
		     (int)getpid()) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	if (mkdir(tmp, 0755))
		return -errno;
	sysfs_join(path, sizeof(path), tmp, "key");
	sysfs_join(tap, sizeof(tap), tmp, "tap");
	sysfs_join(err, sizeof(err), tmp, "err");
	if (write_whole(path, key->buf, key->len))
		goto err_remove;
	status = replay(cfg, trace, NULL, cfg->budget, tap, err);
	if (status == REPLAY_NO_MDEV) {
		char *reason = NULL;

		if (read_whole(err, &reason, NULL) || !*reason)
			snprintf(skip, skip_len, "no DMA-probe mdev");
		else
			snprintf(skip, skip_len, "%.*s",
				 (int)strcspn(reason, "\n"), reason);
		free(reason);
		remove_flat_dir(tmp);
		return REPLAY_NO_MDEV;
	}
	if (status < 0)
		snprintf(why, sizeof(why), "could not run %s: %s", cfg->replay,
			 strerror(-status));
	else if (read_whole(tap, &text, NULL))
		snprintf(why, sizeof(why), "left no report");
	if (status >= 0 && text &&
	    cache_check(text, status, base, cfg->budget, why, sizeof(why))) {
		snprintf(status_s, sizeof(status_s), "%d\n", status);
		sysfs_join(path, sizeof(path), tmp, "status");
		write_whole(path, status_s, strlen(status_s));
	} else {
		sysfs_join(path, sizeof(path), tmp, "nocache");
		write_whole(path, why, strlen(why));
	}
	free(text);
	if (rename(tmp, entry))
		goto err_remove;
	return 0;
err_remove:
	remove_flat_dir(tmp);
	return -EIO;
}

/* Copy file FROM to TO (an empty FROM, or none, makes TO empty). */
static void copy_file(const char *from, const char *to)
{
	char *text = NULL;
	size_t len = 0;

	if (read_whole(from, &text, &len))
		len = 0;
	write_whole(to, text ? text : "", len);
	free(text);
}

/*
 * Op ID of TRACE from its entry, made first if no case has made it: its
 * TAP in tap.out, the replay's stderr in tap.err, and the status its own
 * --case run would have. -1 with WHY set when the cache cannot stand for
 * the case; REPLAY_NO_MDEV with the reason in WHY when there is no mdev.
 */
static int cache_case(const struct corpus_config *cfg, const char *trace,
		      const char *id, char *why, size_t why_len)
{
	const char *base = strrchr(trace, '/'), *off;
	char prefix[NAME_MAX], entry[PATH_MAX], lock[PATH_MAX], path[PATH_MAX];
	struct text key = { 0 };
	char *stored = NULL, *tap = NULL;
	int fd, rc = -1, cut;
	struct stat st;
	FILE *out;

	base = base ? base + 1 : trace;
	off = getenv("ICTL_CORPUS_CASES_CACHE");
	if (off && (!strcmp(off, "off") || !strcmp(off, "no") ||
		    !strcmp(off, "0"))) {
		snprintf(why, why_len, "ICTL_CORPUS_CASES_CACHE=%s", off);
		return -1;
	}
	if (cache_key(cfg, trace, &key)) {
		snprintf(why, why_len, "not run by kyua");
		goto out;
	}
	if ((stat(cfg->cache_dir, &st) && mkdir(cfg->cache_dir, 0755)) ||
	    access(cfg->cache_dir, W_OK)) {
		snprintf(why, why_len, "cannot write to %s", cfg->cache_dir);
		goto out;
	}
	snprintf(prefix, sizeof(prefix), "%.*s." CORPUS_MODE ".",
		 (int)(strlen(base) - strlen(".jsonl")), base);
	if (snprintf(entry, sizeof(entry), "%s/%s%016llx", cfg->cache_dir,
		     prefix, key_hash(&key)) >= (int)sizeof(entry) ||
	    snprintf(lock, sizeof(lock), "%s/%slock", cfg->cache_dir,
		     prefix) >= (int)sizeof(lock)) {
		snprintf(why, why_len, "%s: a name too long", cfg->cache_dir);
		goto out;
	}
	fd = open(lock, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(why, why_len, "cannot write %s", lock);
		goto out;
	}
	if (!lock_wait(fd)) {
		snprintf(why, why_len, "another case held %s's lock for %d s",
			 base, CACHE_WAIT_S);
		goto out_close;
	}
	sysfs_join(path, sizeof(path), entry, "key");
	if (read_whole(path, &stored, NULL) || strcmp(stored, key.buf)) {
		/* None, or another key with the same hash: made anew. */
		rc = cache_make(cfg, trace, base, entry, prefix, &key, why,
				why_len);
		if (rc == REPLAY_NO_MDEV)
			goto out_close;
		rc = -1;
	}
	sysfs_join(path, sizeof(path), entry, "nocache");
	if (!read_whole(path, &tap, NULL)) {
		snprintf(why, why_len, "the whole-trace replay %s: see %s", tap,
			 entry);
		goto out_close;
	}
	free(tap);
	tap = NULL;
	sysfs_join(path, sizeof(path), entry, "tap");
	if (read_whole(path, &tap, NULL)) {
		snprintf(why, why_len, "no entry made in %s", cfg->cache_dir);
		goto out_close;
	}
	out = fopen("tap.out", "we");
	if (!out) {
		snprintf(why, why_len, "cannot write tap.out");
		goto out_close;
	}
	cut = cache_cut(tap, base, id, out);
	fclose(out);
	if (cut == 2) {
		snprintf(why, why_len, "no op %s in the whole-trace replay", id);
		goto out_close;
	}
	sysfs_join(path, sizeof(path), entry, "err");
	copy_file(path, "tap.err");
	fprintf(stderr, "# cut from the whole-trace replay in %s\n", entry);
	rc = cut;
out_close:
	close(fd);
out:
	free(tap);
	free(stored);
	free(key.buf);
	return rc;
}

/* ---- the verdicts ---- */

/* FILE's text with its lines joined by "; ", for a one-line reason. */
static char *one_line(const char *path, const char *only_prefix)
{
	struct text t = { 0 };
	char *text, *line, *next;

	text_add(&t, "%s", "");
	if (read_whole(path, &text, NULL))
		return t.buf;
	for (line = text; *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		if (only_prefix) {
			if (!starts_with(line, only_prefix))
				continue;
			line += strlen(only_prefix);
		}
		text_add(&t, "%s%s", t.len ? "; " : "", line);
	}
	free(text);
	return t.buf;
}

/* Print tap.out, the case's report, to stdout. */
static void print_tap(void)
{
	char *text;

	if (read_whole("tap.out", &text, NULL))
		return;
	fputs(text, stdout);
	fflush(stdout);
	free(text);
}

static void replay_or_skip(const struct corpus_config *cfg,
			   const struct corpus_case *c, int *status)
{
	char *reason;

	*status = replay(cfg, c->trace, c->id, 0, "tap.out", "tap.err");
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

	status = cache_case(cfg, c->trace, c->id, why, sizeof(why));
	if (status == REPLAY_NO_MDEV)
		atf_tc_skip("%s", why);
	if (status < 0) {
		fprintf(stderr, "# replayed alone: %s\n", why);
		replay_or_skip(cfg, c, &status);
	}
	print_tap();
	if (read_whole("tap.out", &first, NULL))
		first = NULL;
	if (first)
		first[strcspn(first, "\n")] = '\0';
	err = one_line("tap.err", NULL);
	if (first && starts_with(first, "not ok ")) {
		evidence = one_line("tap.out", "# ");
		atf_tc_fail("%s %s", evidence, err);
	}
	if (first && starts_with(first, "ok ") && strstr(first, " # SKIP "))
		atf_tc_skip("%s", strstr(first, " # SKIP ") + strlen(" # SKIP "));
	if (first && starts_with(first, "ok ")) {
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

	status = replay(cfg, c->trace, NULL, 0, "tap.out", "tap.err");
	if (status < 0)
		atf_tc_fail("could not run %s: %s", cfg->replay,
			    strerror(-status));
	print_tap();
	if (read_whole("tap.out", &text, NULL))
		atf_tc_fail("runner exited %d without a report: %s", status,
			    one_line("tap.err", NULL));
	for (line = text; line; line = strchr(line, '\n')) {
		if (*line == '\n')
			line++;
		if (starts_with(line, "not ok"))
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
