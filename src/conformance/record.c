// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The record command: PROGRAM runs with libiommuctl-record.so preloaded
 * (src/recorder), which writes a binary log into a directory of ours in
 * local memory (record-live.c); this side picks the library and the
 * files, waits, converts the logs into the traces (the program is not
 * kept waiting for JSON, and a killed one leaves its log complete up to
 * the kill), and reads the traces back with the same reader as validate,
 * so a trace that does not replay is reported at once.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "binlog.h"
#include "exitcodes.h"
#include "record-live.h"
#include "record.h"
#include "trace.h"

#define EXIT_INTERNAL IOMMUCTL_EXIT_INTERNAL
#define EXIT_USAGE IOMMUCTL_EXIT_USAGE

static const char *prog = "iommuctl-conformance";

static void record_usage(void)
{
	fprintf(stderr,
		"usage: %s record [-o FILE] [--fork=stop|follow] [--log-dir=DIR] -- PROGRAM [ARGS...]\n"
		"       %s record --convert FILE.bin [-o FILE]\n"
		"See iommuctl-conformance(8), RECORDING.\n",
		prog, prog);
}

/*
 * The library: $IOMMUCTL_RECORD_LIB, else the build tree's when this is
 * the build tree's program, else the installed one.
 */
static int find_library(char *out, size_t len)
{
	const char *env = getenv("IOMMUCTL_RECORD_LIB");
	char self[PATH_MAX];
	ssize_t n;

	if (env && env[0]) {
		snprintf(out, len, "%s", env);
		return access(out, R_OK) ? -errno : 0;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		snprintf(out, len, "%s/../recorder/libiommuctl-record.so",
			 dirname(self));
		if (!access(out, R_OK))
			return 0;
	}
	snprintf(out, len, "%s", RECORD_LIB);
	return access(out, R_OK) ? -errno : 0;
}

/* An absolute path, so that a program that changes directory is fine. */
static int absolute(const char *path, char *out, size_t len)
{
	char cwd[PATH_MAX];

	if (path[0] == '/') {
		snprintf(out, len, "%s", path);
		return 0;
	}
	if (!getcwd(cwd, sizeof(cwd)))
		return -errno;
	if ((size_t)snprintf(out, len, "%s/%s", cwd, path) >= len)
		return -ENAMETOOLONG;
	return 0;
}

static void child(char **argv, const char *lib, const char *file, bool follow,
		  const sigset_t *mask)
{
	const char *old = getenv("LD_PRELOAD");
	char *preload;

	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	sigprocmask(SIG_SETMASK, mask, NULL);
	if (old && old[0]) {
		if (asprintf(&preload, "%s:%s", old, lib) < 0)
			_exit(EXIT_INTERNAL);
	} else {
		preload = (char *)lib;
	}
	if (setenv("LD_PRELOAD", preload, 1) ||
	    setenv("IOMMUCTL_RECORD_FILE", file, 1) ||
	    setenv("IOMMUCTL_RECORD_FORK", follow ? "follow" : "stop", 1) ||
	    setenv("IOMMUCTL_RECORD_CONVERT", "later", 1))
		_exit(EXIT_INTERNAL);
	execvp(argv[0], argv);
	fprintf(stderr, "%s: record: %s: %s\n", prog, argv[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

/* A program that never opened a VFIO descriptor leaves a header only. */
static int write_empty(const char *file, const char *what)
{
	struct trace_rec rec = { .kind = TRACE_HEADER };
	struct utsname u;
	FILE *f;
	int rc;

	f = fopen(file, "wxe");
	if (!f)
		return errno == EEXIST ? 0 : -errno;
	rec.header.version = TRACE_VERSION;
	rec.header.page_size = (uint64_t)sysconf(_SC_PAGESIZE);
	snprintf(rec.header.source, sizeof(rec.header.source),
		 "recorded: %.60s (no VFIO descriptor was opened)", what);
	if (!uname(&u))
		snprintf(rec.header.kernel, sizeof(rec.header.kernel), "%s",
			 u.release);
	rc = trace_write(f, NULL, &rec);
	if (fclose(f) && !rc)
		rc = -errno;
	return rc;
}

/* BIN into OUT; 0 or -errno, reported. */
static int convert(const char *bin, const char *out)
{
	int rc = rec_convert_file(bin, out);

	if (rc)
		fprintf(stderr, "%s: record: converting %s: %s\n", prog, bin,
			strerror(-rc));
	return rc;
}

/*
 * A live log into its trace. One that does not convert is copied beside
 * the trace, FILE.bin, for a look or a later --convert: the live
 * directory goes away.
 */
static int convert_live(const char *log, const char *trace, void *arg)
{
	char keep[PATH_MAX + 40];
	bool *failed = arg;

	if (!convert(log, trace))
		return 0;
	*failed = true;
	snprintf(keep, sizeof(keep), "%s.bin", trace);
	if (!live_snapshot(log, keep))
		fprintf(stderr, "%s: record: the log is kept as %s\n", prog,
			keep);
	return 0;
}

/* record interrupted: each live log copied beside its trace, FILE.bin. */
static int keep_live(const char *log, const char *trace, void *arg)
{
	char keep[PATH_MAX + 40];
	int *kept = arg, rc;

	snprintf(keep, sizeof(keep), "%s.bin", trace);
	rc = live_snapshot(log, keep);
	if (rc) {
		fprintf(stderr, "%s: record: cannot copy %s to %s: %s\n", prog,
			log, keep, strerror(-rc));
		return 0;
	}
	fprintf(stderr,
		"%s: record: what was recorded so far is in %s (record --convert %s)\n",
		prog, keep, keep);
	(*kept)++;
	return 0;
}

/* Read the trace back: 0 and the number of ops, or -EINVAL, reported. */
static int check(const char *file)
{
	struct trace_reader *r = malloc(sizeof(*r));
	struct trace_rec *rec = malloc(sizeof(*rec));
	unsigned long ops = 0;
	FILE *f = NULL;
	int rc = -ENOMEM;

	if (!r || !rec)
		goto out;
	f = fopen(file, "re");
	if (!f) {
		rc = -errno;
		fprintf(stderr, "%s: record: %s: %s\n", prog, file,
			strerror(errno));
		goto out;
	}
	trace_reader_init(r, f);
	while ((rc = trace_read(r, rec)) > 0)
		ops += rec->kind == TRACE_OP;
	if (rc)
		fprintf(stderr, "%s: record: %s is not a valid trace: %s\n",
			prog, file, r->error);
	else
		fprintf(stderr, "%s: record: %s: %lu operations recorded\n",
			prog, file, ops);
out:
	if (f)
		fclose(f);
	free(r);
	free(rec);
	return rc;
}

/* Forked children that followed write FILE.PID; check those too. */
static int check_children(const char *file)
{
	char dir[PATH_MAX], base[NAME_MAX + 1], path[PATH_MAX + NAME_MAX + 2];
	size_t n;
	struct dirent *d;
	DIR *dp;
	int rc = 0;

	snprintf(dir, sizeof(dir), "%s", file);
	snprintf(base, sizeof(base), "%s", basename(dir));
	snprintf(dir, sizeof(dir), "%s", file);
	dp = opendir(dirname(dir));
	if (!dp)
		return 0;
	n = strlen(base);
	while ((d = readdir(dp))) {
		if (strncmp(d->d_name, base, n) || d->d_name[n] != '.' ||
		    !d->d_name[n + 1] ||
		    strspn(d->d_name + n + 1, "0123456789") !=
			    strlen(d->d_name + n + 1))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		if (check(path))
			rc = -EINVAL;
	}
	closedir(dp);
	return rc;
}

/*
 * Whether bin is a log the recorder wrote: a regular file (a FIFO would
 * block the converter, which maps the file) whose first record is the
 * trace header line. 0, or EXIT_* with the reason said.
 */
static int check_log(const char *bin)
{
	static const char head[] = "{\"type\":\"header\"";
	struct {
		struct rec_bin_hdr hdr;
		char line[sizeof(head) - 1];
	} first;
	struct stat st;
	const char *why = NULL;
	ssize_t n;
	int fd;

	fd = open(bin, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		fprintf(stderr, "%s: record: --convert %s: %s\n", prog, bin,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return EXIT_INTERNAL;
	}
	if (!S_ISREG(st.st_mode)) {
		why = "not a regular file: --convert reads the log file a recording left (FILE.bin)";
	} else {
		n = read(fd, &first, sizeof(first));
		if (n == 0)
			why = "an empty log: the program recorded nothing";
		else if (n != (ssize_t)sizeof(first) ||
			 first.hdr.type != REC_BIN_LINE ||
			 memcmp(first.line, head, sizeof(first.line)))
			why = "not a recorder log: it does not start with the trace header record";
	}
	close(fd);
	if (!why)
		return 0;
	fprintf(stderr, "%s: record: --convert %s: %s\n", prog, bin, why);
	return EXIT_INTERNAL;
}

/*
 * Whether the trace can be written at out: an error there is the
 * output's, and must not read as the input's.
 */
static int check_output(const char *out)
{
	char dir[PATH_MAX];
	struct stat st;

	if (!stat(out, &st) && S_ISDIR(st.st_mode)) {
		fprintf(stderr, "%s: record: -o %s: is a directory: name the trace file\n",
			prog, out);
		return EXIT_USAGE;
	}
	snprintf(dir, sizeof(dir), "%s", out);
	if (access(dirname(dir), W_OK)) {
		snprintf(dir, sizeof(dir), "%s", out);
		fprintf(stderr, "%s: record: -o %s: cannot write in %s: %s\n",
			prog, out, dirname(dir), strerror(errno));
		return EXIT_INTERNAL;
	}
	return 0;
}

/* --convert BIN [-o FILE]: a log a killed program left, as a trace. */
static int convert_only(const char *bin, const char *out, int extra)
{
	char file[PATH_MAX];
	size_t n = strlen(bin);
	int rc;

	if (extra) {
		fprintf(stderr, "%s: record: --convert takes no PROGRAM\n",
			prog);
		return EXIT_USAGE;
	}
	if (!out && (n < 5 || strcmp(bin + n - 4, ".bin"))) {
		fprintf(stderr,
			"%s: record: %s does not end in .bin: name the trace with -o\n",
			prog, bin);
		return EXIT_USAGE;
	}
	snprintf(file, sizeof(file), "%.*s",
		 out ? (int)strlen(out) : (int)n - 4, out ? out : bin);
	rc = check_log(bin);
	if (!rc)
		rc = check_output(file);
	if (rc)
		return rc;
	if (convert(bin, file))
		return EXIT_INTERNAL;
	return check(file) ? EXIT_INTERNAL : 0;
}

const struct option record_options[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "fork", required_argument, NULL, 'f' },
	{ "convert", required_argument, NULL, 'c' },
	{ "log-dir", required_argument, NULL, 'l' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/*
 * Wait for the program: 0 and its status as record returns it (128 +
 * signal when one ended it), the signal that interrupted record
 * (SIGTERM, SIGHUP), or -errno. The signals are blocked and taken here,
 * so that none is lost between two looks.
 */
static int wait_program(pid_t pid, const sigset_t *set, int *status)
{
	int sig, st;
	pid_t r;

	for (;;) {
		sig = sigwaitinfo(set, NULL);
		if (sig < 0 && errno == EINTR)
			continue;
		if (sig < 0)
			return -errno;
		if (sig != SIGCHLD)
			return sig;
		r = waitpid(pid, &st, WNOHANG);
		if (r < 0 && errno != EINTR)
			return -errno;
		if (r != pid)
			continue;
		*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		return 0;
	}
}

/*
 * record itself was told to stop while the program runs on: what it
 * recorded so far is copied beside the trace, the live directory goes,
 * and record ends by the same signal.
 */
static int interrupted(const struct live *lv, pid_t pid, int sig)
{
	sigset_t set;
	int kept = 0;

	fprintf(stderr,
		"%s: record: interrupted by SIG%s; the program (pid %d) is not waited for and records no more\n",
		prog, sigabbrev_np(sig) ? sigabbrev_np(sig) : "?",
		(int)pid);
	live_each(lv, keep_live, &kept);
	if (!kept)
		fprintf(stderr, "%s: record: nothing was recorded yet\n", prog);
	live_remove(lv);
	fflush(NULL);
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	return 128 + sig;
}

/* The logs into their traces, the live directory removed; 0 or -EINVAL. */
static int finish(const struct live *lv)
{
	bool failed = false;
	int rc;

	rc = live_each(lv, convert_live, &failed);
	if (rc)
		fprintf(stderr, "%s: record: %s: %s\n", prog, lv->dir,
			strerror(-rc));
	rc = live_remove(lv);
	if (rc)
		fprintf(stderr, "%s: record: removing %s: %s\n", prog, lv->dir,
			strerror(-rc));
	return failed ? -EINVAL : 0;
}

int cmd_record(int argc, char **argv)
{
	char lib[PATH_MAX], file[PATH_MAX], name[PATH_MAX], live_file[PATH_MAX];
	const char *out = NULL, *bin = NULL, *parent = LIVE_PARENT;
	sigset_t set, old;
	struct live lv;
	bool follow = false;
	int c, rc, status = 0;
	pid_t pid;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+o:h", record_options, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'f':
			if (!strcmp(optarg, "follow")) {
				follow = true;
			} else if (strcmp(optarg, "stop")) {
				fprintf(stderr,
					"%s: record: --fork: \"%s\": expected stop or follow\n",
					prog, optarg);
				return EXIT_USAGE;
			}
			break;
		case 'c':
			bin = optarg;
			break;
		case 'l':
			parent = optarg;
			break;
		case 'h':
			record_usage();
			return 0;
		default:
			record_usage();
			return EXIT_USAGE;
		}
	}
	if (bin)
		return convert_only(bin, out, argc - optind);
	if (optind >= argc) {
		fprintf(stderr, "%s: record: no PROGRAM to run\n", prog);
		record_usage();
		return EXIT_USAGE;
	}
	rc = find_library(lib, sizeof(lib));
	if (rc) {
		fprintf(stderr,
			"%s: record: the recorder library %s: %s (set IOMMUCTL_RECORD_LIB)\n",
			prog, lib, strerror(-rc));
		return EXIT_INTERNAL;
	}
	/* Default: PROGRAM.PID.jsonl here; the child's pid is known late. */
	if (out) {
		rc = absolute(out, file, sizeof(file));
		if (rc) {
			fprintf(stderr, "%s: record: %s: %s\n", prog, out,
				strerror(-rc));
			return EXIT_USAGE;
		}
		if (unlink(file) && errno != ENOENT) {
			fprintf(stderr, "%s: record: cannot replace %s: %s\n",
				prog, file, strerror(errno));
			return EXIT_INTERNAL;
		}
	}
	rc = live_create(&lv, parent);
	if (rc) {
		fprintf(stderr,
			"%s: record: cannot make the live log directory in %s: %s (see --log-dir)\n",
			prog, parent, strerror(-rc));
		return EXIT_INTERNAL;
	}
	fflush(NULL);
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, &old);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "%s: record: fork: %s\n", prog,
			strerror(errno));
		live_remove(&lv);
		return EXIT_INTERNAL;
	}
	if (!out) {
		snprintf(name, sizeof(name), "%s", argv[optind]);
		if (absolute(basename(name), file, sizeof(file) - 32))
			snprintf(file, sizeof(file), "%s", "record");
		snprintf(file + strlen(file), 32, ".%d.jsonl",
			 pid ? (int)pid : (int)getpid());
	}
	rc = live_name(&lv, file, live_file, sizeof(live_file));
	if (!pid) {
		if (rc)
			_exit(EXIT_INTERNAL);
		child(argv + optind, lib, live_file, follow, &old);
	}
	c = wait_program(pid, &set, &status);
	if (c > 0)
		return interrupted(&lv, pid, c);
	sigprocmask(SIG_SETMASK, &old, NULL);
	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	if (c < 0) {
		fprintf(stderr, "%s: record: waiting for the program: %s\n",
			prog, strerror(-c));
		live_remove(&lv);
		return EXIT_INTERNAL;
	}
	if (rc) {
		fprintf(stderr, "%s: record: %s: %s\n", prog, file,
			strerror(-rc));
		live_remove(&lv);
		return status ? status : EXIT_INTERNAL;
	}
	rc = finish(&lv);
	if (!rc)
		rc = write_empty(file, argv[optind]);
	if (rc)
		fprintf(stderr, "%s: record: %s: %s\n", prog, file,
			strerror(-rc));
	if (!rc)
		rc = check(file);
	if (follow && check_children(file) && !rc)
		rc = -EINVAL;
	/* The program's status first; a bad trace only turns 0 into 2. */
	return status ? status : rc ? EXIT_INTERNAL : 0;
}
