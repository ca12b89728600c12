// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The recording's life in this process, and the trace's files. It is
 * set up from the environment by whoever comes first (our constructor,
 * or a wrapper called from another library's). The binary log FILE.bin (binlog.h, log.c) is
 * created when the program first opens a VFIO or iommufd descriptor,
 * with the header line as its first record; every later record is
 * appended under the lock and published whole, so whatever kills the
 * program, the log holds whole records and converts to a valid trace.
 * The library converts it into FILE at exit (IOMMUCTL_RECORD_CONVERT
 * unset or "exit"), or leaves it to iommuctl-conformance record, which
 * converts it once the program has ended ("later"), killed or not.
 *
 * Fork: by default the child stops recording and drops its copies of
 * the log. With IOMMUCTL_RECORD_FORK=follow (or 1) the child records
 * into FILE.PID.bin, a log of its own that declares its buffers again.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "addr.h"
#include "binlog.h"
#include "capture.h"
#include "caps.h"
#include "lock.h"
#include "log.h"
#include "real.h"
#include "safemem.h"
#include "session.h"

static char path[PATH_MAX]; /* FILE */
static char binpath[PATH_MAX]; /* the log being written */
static bool configured; /* IOMMUCTL_RECORD_FILE was set */
static bool stopped; /* a forked child that does not record */
static bool follow; /* forked children record too */
static bool in_child; /* this process is such a child: FILE.PID */
static bool open_failed;
static bool convert_at_exit;

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static void init(void);

bool rec_enabled(void)
{
	/*
	 * Another library's constructor may open VFIO before ours has run:
	 * whoever comes first sets up.
	 */
	if (!__atomic_load_n(&configured, __ATOMIC_ACQUIRE) && !stopped)
		pthread_once(&init_once, init);
	return configured && !stopped && !open_failed;
}

/* FILE.PID, or "" when it does not fit. */
static void append_pid(char *out, size_t len, const char *base)
{
	size_t b = strlen(base);

	if (b + 24 > len) {
		out[0] = '\0';
		return;
	}
	memcpy(out, base, b);
	out[b] = '.';
	rec_utoa(out + b + 1, (unsigned long)getpid());
}

/* P.bin, new, when there is no trace P either; its name into binpath. */
static int create(const char *p)
{
	size_t n = strlen(p);

	if (!p[0] || n + 5 > sizeof(binpath)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (!syscall(SYS_faccessat, AT_FDCWD, p, F_OK)) {
		errno = EEXIST;
		return -1;
	}
	memcpy(binpath, p, n);
	memcpy(binpath + n, ".bin", 5);
	return (int)syscall(SYS_openat, AT_FDCWD, binpath,
			    O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
}

/* Its own buffer: a forked child writes it in the middle of an op's. */
static void write_header(void)
{
	static char buf[512];
	struct rec_line line, *l = &line;
	char comm[64] = "", src[100];
	struct utsname u;
	ssize_t n;
	int fd;

	fd = (int)syscall(SYS_openat, AT_FDCWD, "/proc/self/comm",
			  O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, comm, sizeof(comm) - 1);
		comm[n > 0 ? n : 0] = '\0';
		comm[strcspn(comm, "\n")] = '\0';
		syscall(SYS_close, fd);
	}
	line_init(l, buf, sizeof(buf) - 1);
	line_raw(l, "{\"type\":\"header\",\"format\":\"iommuctl-trace\","
		    "\"version\":1,\"source\":");
	comm[40] = '\0';
	/* No PID: recording the same program twice gives the same header. */
	strcpy(src, "recorded: ");
	strcat(src, comm);
	line_str(l, src);
	line_raw(l, ",\"page_size\":");
	line_hex(l, (uint64_t)sysconf(_SC_PAGESIZE));
	line_raw(l, ",\"kernel\":");
	line_str(l, uname(&u) ? "" : u.release);
	line_raw(l, "}");
	rec_log_line(l->buf, l->len);
}

/*
 * Where the program runs without CAP_IPC_LOCK, both backends charge its
 * DMA pins against RLIMIT_MEMLOCK: a memlock op after the header makes
 * the replay (as root) run under the limit the program had. Read with
 * raw system calls, as the rest of the recorder does.
 */
static void write_memlock(void)
{
	static char buf[256];
	struct rec_line line, *l = &line;
	struct rlimit r;
	bool held;

	if (iommu_cap_effective(CAP_IPC_LOCK, &held) || held)
		return;
	if (syscall(SYS_prlimit64, 0, RLIMIT_MEMLOCK, NULL, &r))
		return;
	line_init(l, buf, sizeof(buf) - 1);
	line_raw(l, "{\"type\":\"op\",\"op\":\"memlock\",\"note\":");
	line_str(l, "recorded: the program ran without CAP_IPC_LOCK");
	line_raw(l, ",\"limit\":");
	if (r.rlim_cur == RLIM_INFINITY)
		line_str(l, "unlimited");
	else
		line_hex(l, (uint64_t)r.rlim_cur);
	line_raw(l, "}");
	rec_log_line(l->buf, l->len);
}

/* Under the lock: the file exists and has its header. */
static bool ensure_open(void)
{
	char alt[PATH_MAX];
	int fd;

	if (rec_log_fd() >= 0)
		return true;
	if (open_failed)
		return false;
	fd = in_child ? -1 : create(path);
	if (fd < 0 && (in_child || errno == EEXIST)) {
		/* Another process of the tree (or an exec'd image) has FILE. */
		append_pid(alt, sizeof(alt), path);
		fd = alt[0] ? create(alt) : -1;
	}
	if (fd < 0) {
		open_failed = true;
		return false;
	}
	rec_log_open(fd);
	rec_capture_reset();
	write_header();
	write_memlock();
	return true;
}

void rec_start(void)
{
	if (!rec_lock())
		return;
	ensure_open();
	rec_unlock();
}

/* Under the lock: the log opened, if it can be, errno kept. */
static __attribute__((noinline, cold)) void open_keeping_errno(void)
{
	int saved = errno;

	ensure_open();
	errno = saved;
}

bool rec_session_lock(void)
{
	if (!rec_lock())
		return false;
	if (__builtin_expect(rec_log_fd() < 0, 0))
		open_keeping_errno();
	return true;
}

static void before_fork(void)
{
	rec_lock_raw();
}

static void after_fork_parent(void)
{
	rec_unlock_raw();
}

static void after_fork_child(void)
{
	rec_lock_reset();
	rec_safe_init();
	rec_log_close();
	if (!follow) {
		stopped = true;
		return;
	}
	in_child = true;
	rec_addr_forget();
}

static void init(void)
{
	const char *file = getenv("IOMMUCTL_RECORD_FILE");
	const char *fork_mode = getenv("IOMMUCTL_RECORD_FORK");
	const char *convert = getenv("IOMMUCTL_RECORD_CONVERT");
	int saved = errno;

	rec_resolve();
	rec_safe_init();
	if (!file || !file[0] || strlen(file) >= sizeof(path) - 16)
		goto out;
	strcpy(path, file);
	follow = fork_mode &&
		 (!strcmp(fork_mode, "follow") || !strcmp(fork_mode, "1"));
	convert_at_exit = !convert || strcmp(convert, "later");
	pthread_atfork(before_fork, after_fork_parent, after_fork_child);
	__atomic_store_n(&configured, true, __ATOMIC_RELEASE);
out:
	errno = saved;
}

__attribute__((constructor)) static void recorder_init(void)
{
	pthread_once(&init_once, init);
}

/*
 * The trace at exit, FILE.bin into FILE. Calls after this (other
 * libraries' destructors, threads still running) are not recorded.
 */
__attribute__((destructor)) static void recorder_fini(void)
{
	char out[PATH_MAX];
	size_t n;
	int saved = errno;

	if (!convert_at_exit || !rec_enabled() || !rec_lock())
		goto out;
	if (rec_log_fd() < 0)
		goto unlock;
	n = strlen(binpath) - 4;
	memcpy(out, binpath, n);
	out[n] = '\0';
	rec_log_close();
	if (!rec_convert_file(binpath, out))
		syscall(SYS_unlinkat, AT_FDCWD, binpath, 0);
unlock:
	stopped = true;
	rec_unlock();
out:
	errno = saved;
}
