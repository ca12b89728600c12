// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The trace file. It is created when the program first opens a VFIO or
 * iommufd descriptor, with the header as its first line; every later
 * record is one complete line written with one write(2) on an O_APPEND
 * descriptor, so whatever kills the program, the file ends with whole
 * lines and is a valid trace.
 *
 * Fork: by default the child stops recording and closes its copy of the
 * trace descriptor. With IOMMUCTL_RECORD_FORK=follow (or 1) the child
 * records into FILE.PID, a trace of its own that declares its buffers
 * again.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "recorder.h"

/* Where the trace descriptor goes, out of the way of the program's. */
#define TRACE_FD_FLOOR 900

/* A line holds an ioctl's bytes and its output as hex, and the rest. */
#define LINE_MAX_LEN (4 * 4096 + 1024)

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char path[PATH_MAX];
static bool configured; /* IOMMUCTL_RECORD_FILE was set */
static bool stopped; /* a forked child that does not record */
static bool follow; /* forked children record too */
static bool in_child; /* this process is such a child: FILE.PID */
static int trace_fd = -1;
static bool open_failed;
static char scratch_buf[LINE_MAX_LEN];
static struct rec_line scratch;

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

/*
 * This thread holds the lock, or is about to take it or has just let it
 * go: a signal handler that interrupts it then must not wait for it. Set
 * before the mutex is taken and cleared after it is released, so that
 * no instant leaves the handler thinking the lock is someone else's.
 */
static __thread bool holding __attribute__((tls_model("initial-exec")));

bool rec_lock(void)
{
	if (holding)
		return false;
	holding = true;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	pthread_mutex_lock(&lock);
	return true;
}

void rec_unlock(void)
{
	pthread_mutex_unlock(&lock);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	holding = false;
}

struct rec_line *rec_scratch(void)
{
	line_init(&scratch, scratch_buf, sizeof(scratch_buf) - 1);
	return &scratch;
}

int rec_trace_fd(void)
{
	return trace_fd;
}

/* Move the trace descriptor up, out of the program's way. */
static int lift(int fd)
{
	int high = (int)syscall(SYS_fcntl, fd, F_DUPFD_CLOEXEC, TRACE_FD_FLOOR);

	if (high < 0)
		return fd;
	syscall(SYS_close, fd);
	return high;
}

void rec_trace_fd_clash(int fd)
{
	if (fd >= 0 && fd == trace_fd)
		trace_fd = lift(trace_fd);
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

static int create(const char *p)
{
	return (int)syscall(SYS_openat, AT_FDCWD, p,
			    O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC,
			    0644);
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
	rec_emit(l->buf, l->len);
}

/* Under the lock: the file exists and has its header. */
static bool ensure_open(void)
{
	char alt[PATH_MAX];
	int fd;

	if (trace_fd >= 0)
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
	trace_fd = lift(fd);
	write_header();
	return true;
}

void rec_start(void)
{
	if (!rec_lock())
		return;
	ensure_open();
	rec_unlock();
}

void rec_emit(char *line, size_t len)
{
	size_t off = 0;
	ssize_t n;

	if (!ensure_open())
		return;
	/* The room for the newline was kept back by rec_scratch(). */
	line[len++] = '\n';
	while (off < len) {
		n = write(trace_fd, line + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
}

static void before_fork(void)
{
	pthread_mutex_lock(&lock);
}

static void after_fork_parent(void)
{
	pthread_mutex_unlock(&lock);
}

static void after_fork_child(void)
{
	pthread_mutex_init(&lock, NULL);
	rec_safe_init();
	if (trace_fd >= 0)
		syscall(SYS_close, trace_fd);
	trace_fd = -1;
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
	int saved = errno;

	rec_resolve();
	rec_safe_init();
	if (!file || !file[0] || strlen(file) >= sizeof(path) - 16)
		goto out;
	strcpy(path, file);
	follow = fork_mode &&
		 (!strcmp(fork_mode, "follow") || !strcmp(fork_mode, "1"));
	pthread_atfork(before_fork, after_fork_parent, after_fork_child);
	__atomic_store_n(&configured, true, __ATOMIC_RELEASE);
out:
	errno = saved;
}

__attribute__((constructor)) static void recorder_init(void)
{
	pthread_once(&init_once, init);
}
