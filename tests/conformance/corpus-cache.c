// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The whole-trace cache of the per-op corpus cases: its key, its entries,
 * the check that a whole-trace report holds every op once, and the cut of
 * one op out of it (see corpus_cases_test.c for why that is the op's
 * --case report).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "corpus-cases.h"
#include "sysfs-read.h"

#define CACHE_WAIT_S 300
#define DMAPROBE "iommuctl_dmaprobe"

static void key_file(struct corpus_text *t, const char *what, const char *path)
{
	struct stat st;

	if (stat(path, &st)) {
		corpus_text_add(t, "%s %s missing\n", what, path);
		return;
	}
	corpus_text_add(t, "%s %s %llu %llu %lld %lld.%09ld\n", what, path,
		 (unsigned long long)st.st_dev, (unsigned long long)st.st_ino,
		 (long long)st.st_size, (long long)st.st_mtim.tv_sec,
		 st.st_mtim.tv_nsec);
}

/* "WHAT NAME NAME ..." of DIR's entries; MATCH: only names holding it. */
static void key_names(struct corpus_text *t, const char *what, const char *dir,
		      const char *match)
{
	struct dirent **ents;
	unsigned int i, nr;

	corpus_text_add(t, "%s", what);
	if (!sysfs_list_dir(dir, &ents, &nr)) {
		for (i = 0; i < nr; i++)
			if (!match || strstr(ents[i]->d_name, match))
				corpus_text_add(t, " %s", ents[i]->d_name);
		sysfs_free_dir(ents, nr);
	}
	corpus_text_add(t, "\n");
}

static void key_attr(struct corpus_text *t, const char *path)
{
	char *v;

	if (sysfs_read_attr(path, &v))
		return;
	corpus_text_add(t, "%s %s\n", path, v);
	free(v);
}

/* Every parameter of the modules under /sys/module named PREFIX*. */
static void key_params(struct corpus_text *t, const char *prefix, bool exact)
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
static void key_dmaprobe(struct corpus_text *t)
{
	const char *ko = getenv("IOMMUCTL_DMAPROBE_KO");
	char path[PATH_MAX], *v, *release = NULL;
	struct stat st;

	if (!sysfs_read_attr("/sys/module/" DMAPROBE "/srcversion", &v)) {
		corpus_text_add(t, "dmaprobe loaded %s\n", v);
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
	} else if (corpus_in_build_tree()) {
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
		     struct corpus_text *t)
{
	char cwd[PATH_MAX], *p, *v;
	struct rlimit rl;

	if (!getcwd(cwd, sizeof(cwd)) || !corpus_has_suffix(cwd, "/work"))
		return -ENOENT;
	cwd[strlen(cwd) - strlen("/work")] = '\0';
	p = strrchr(cwd, '/');
	if (!p || p[1] < '0' || p[1] > '9')
		return -ENOENT;
	*p = '\0';
	if (!strstr(cwd, "/kyua."))
		return -ENOENT;
	corpus_text_add(t, "iommuctl corpus cases cache 2\nscope %s\n", cwd);
	if (!sysfs_read_attr("/proc/sys/kernel/random/boot_id", &v)) {
		corpus_text_add(t, "boot %s\n", v);
		free(v);
	}
	key_attr(t, "/proc/sys/kernel/osrelease");
	key_attr(t, "/proc/sys/kernel/version");
	corpus_text_add(t, "mode %s\n", CORPUS_MODE);
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
			corpus_text_add(t, "memlock unlimited\n");
		else
			corpus_text_add(t, "memlock %llu\n", (unsigned long long)rl.rlim_cur);
	}
	return 0;
}

/* FNV-1a, 64 bits: the entry's name; the key inside it is compared whole. */
static unsigned long long key_hash(const struct corpus_text *t)
{
	unsigned long long h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < t->len; i++) {
		h ^= (unsigned char)t->buf[i];
		h *= 0x100000001b3ULL;
	}
	return h;
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
		if (corpus_has_suffix(name, ".lock"))
			continue;
		sysfs_join(path, sizeof(path), dir, name);
		remove_flat_dir(path);
	}
	sysfs_free_dir(ents, nr);
}

/*
 * The name of a TAP result line ("ok N - NAME", "not ok N - NAME"),
 * or NULL for any other line.
 */
static const char *tap_result(const char *line, bool *failed)
{
	const char *p = line;

	*failed = corpus_starts_with(p, "not ok ");
	if (*failed)
		p += strlen("not ok ");
	else if (corpus_starts_with(p, "ok "))
		p += strlen("ok ");
	else
		return NULL;
	if (*p < '0' || *p > '9')
		return NULL;
	while (*p >= '0' && *p <= '9')
		p++;
	return corpus_starts_with(p, " - ") ? p + 3 : NULL;
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
		} else if (corpus_starts_with(line, "1..")) {
			char *end;

			plan = strtoul(line + 3, &end, 10);
			has_plan = *end == '\0';
			bad |= !has_plan;
		} else if (!corpus_starts_with(line, "# ")) {
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
			    !corpus_starts_with(name + want, " # SKIP "))
				continue;
			found = true;
			failed = f;
			fprintf(out, "%s 1 - %.*s\n", failed ? "not ok" : "ok",
				(int)(len - (rest - line)), rest);
			continue;
		}
		if (!found)
			continue;
		if (!corpus_starts_with(line, "# "))
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
		      const struct corpus_text *key, char *skip, size_t skip_len)
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
	if (corpus_write_whole(path, key->buf, key->len))
		goto err_remove;
	status = corpus_replay(cfg, trace, NULL, cfg->budget, tap, err);
	if (status == REPLAY_NO_MDEV) {
		char *reason = NULL;

		if (corpus_read_whole(err, &reason, NULL) || !*reason)
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
	else if (corpus_read_whole(tap, &text, NULL))
		snprintf(why, sizeof(why), "left no report");
	if (status >= 0 && text &&
	    cache_check(text, status, base, cfg->budget, why, sizeof(why))) {
		snprintf(status_s, sizeof(status_s), "%d\n", status);
		sysfs_join(path, sizeof(path), tmp, "status");
		corpus_write_whole(path, status_s, strlen(status_s));
	} else {
		sysfs_join(path, sizeof(path), tmp, "nocache");
		corpus_write_whole(path, why, strlen(why));
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

	if (corpus_read_whole(from, &text, &len))
		len = 0;
	corpus_write_whole(to, text ? text : "", len);
	free(text);
}

/*
 * Op ID of TRACE from its entry, made first if no case has made it: its
 * TAP in tap.out, the replay's stderr in tap.err, and the status its own
 * --case run would have. -1 with WHY set when the cache cannot stand for
 * the case; REPLAY_NO_MDEV with the reason in WHY when there is no mdev.
 */
int corpus_cache_case(const struct corpus_config *cfg, const char *trace,
		      const char *id, char *why, size_t why_len)
{
	const char *base = strrchr(trace, '/'), *off;
	char prefix[NAME_MAX], entry[PATH_MAX], lock[PATH_MAX], path[PATH_MAX];
	struct corpus_text key = { 0 };
	char *stored = NULL, *tap = NULL;
	int fd, rc = -1, cut;
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
	/* Cases started together may all find it missing: EEXIST is fine. */
	if ((mkdir(cfg->cache_dir, 0755) && errno != EEXIST) ||
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
	if (corpus_read_whole(path, &stored, NULL) || strcmp(stored, key.buf)) {
		/* None, or another key with the same hash: made anew. */
		rc = cache_make(cfg, trace, base, entry, prefix, &key, why,
				why_len);
		if (rc == REPLAY_NO_MDEV)
			goto out_close;
		rc = -1;
	}
	sysfs_join(path, sizeof(path), entry, "nocache");
	if (!corpus_read_whole(path, &tap, NULL)) {
		snprintf(why, why_len, "the whole-trace replay %s: see %s", tap,
			 entry);
		goto out_close;
	}
	free(tap);
	tap = NULL;
	sysfs_join(path, sizeof(path), entry, "tap");
	if (corpus_read_whole(path, &tap, NULL)) {
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
