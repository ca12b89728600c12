// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The record command: PROGRAM runs with libiommuctl-record.so preloaded
 * (src/recorder), which writes a binary log; this side picks the library
 * and the file, waits, converts the log into the trace (the program is
 * not kept waiting for JSON, and a killed one leaves its log complete up
 * to the kill), and reads the trace back with the same reader as
 * validate, so a trace that does not replay is reported at once.
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
#include "record.h"
#include "trace.h"

#define EXIT_INTERNAL IOMMUCTL_EXIT_INTERNAL
#define EXIT_USAGE IOMMUCTL_EXIT_USAGE

static const char *prog = "iommuctl-conformance";

static void record_usage(void)
{
	fprintf(stderr,
		"usage: %s record [-o FILE] [--fork=stop|follow] -- PROGRAM [ARGS...]\n"
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

static void child(char **argv, const char *lib, const char *file, bool follow)
{
	const char *old = getenv("LD_PRELOAD");
	char *preload;

	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
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

/* BIN into OUT, BIN removed after when drop; 0 or -errno, reported. */
static int convert(const char *bin, const char *out, bool drop)
{
	int rc = rec_convert_file(bin, out);

	if (rc)
		fprintf(stderr, "%s: record: converting %s: %s\n", prog, bin,
			strerror(-rc));
	else if (drop)
		unlink(bin);
	return rc;
}

/*
 * The logs the program's processes left: FILE.bin, and FILE.PID.bin of
 * forked children that followed and of images that exec'd.
 */
static int convert_logs(const char *file)
{
	char dir[PATH_MAX], base[NAME_MAX + 1], path[PATH_MAX + NAME_MAX + 2];
	char out[sizeof(path)];
	size_t n, len;
	struct dirent *d;
	DIR *dp;
	int rc = 0;

	snprintf(path, sizeof(path), "%s.bin", file);
	if (!access(path, F_OK))
		rc = convert(path, file, true);
	snprintf(dir, sizeof(dir), "%s", file);
	snprintf(base, sizeof(base), "%s", basename(dir));
	snprintf(dir, sizeof(dir), "%s", file);
	dp = opendir(dirname(dir));
	if (!dp)
		return rc;
	n = strlen(base);
	while ((d = readdir(dp))) {
		len = strlen(d->d_name);
		if (strncmp(d->d_name, base, n) || d->d_name[n] != '.' ||
		    len < n + 6 || strcmp(d->d_name + len - 4, ".bin") ||
		    strspn(d->d_name + n + 1, "0123456789") != len - n - 5)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		snprintf(out, sizeof(out), "%.*s", (int)(strlen(path) - 4),
			 path);
		if (convert(path, out, true))
			rc = -EINVAL;
	}
	closedir(dp);
	return rc;
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
	if (convert(bin, file, false))
		return EXIT_INTERNAL;
	return check(file) ? EXIT_INTERNAL : 0;
}

const struct option record_options[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "fork", required_argument, NULL, 'f' },
	{ "convert", required_argument, NULL, 'c' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int cmd_record(int argc, char **argv)
{
	char lib[PATH_MAX], file[PATH_MAX], name[PATH_MAX];
	const char *out = NULL, *bin = NULL;
	bool follow = false;
	int c, rc, status;
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
	fflush(NULL);
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "%s: record: fork: %s\n", prog,
			strerror(errno));
		return EXIT_INTERNAL;
	}
	if (!out) {
		snprintf(name, sizeof(name), "%s", argv[optind]);
		if (absolute(basename(name), file, sizeof(file) - 32))
			snprintf(file, sizeof(file), "%s", "record");
		snprintf(file + strlen(file), 32, ".%d.jsonl",
			 pid ? (int)pid : (int)getpid());
	}
	if (!pid)
		child(argv + optind, lib, file, follow);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			fprintf(stderr, "%s: record: waitpid: %s\n", prog,
				strerror(errno));
			return EXIT_INTERNAL;
		}
	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	status = WIFEXITED(status) ? WEXITSTATUS(status) :
				     128 + WTERMSIG(status);
	rc = convert_logs(file);
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
