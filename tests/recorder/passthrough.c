// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Calls the recorder wraps, on descriptors it must leave alone: the
 * output (results, errnos, descriptor numbers) has to be the same with
 * and without the recorder preloaded.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

static void show(const char *what, long rc)
{
	const char *e = rc < 0 ? strerrorname_np(errno) : "0";

	printf("%s %ld %s\n", what, rc, e ? e : "E?");
}

int main(void)
{
	int p[2], sv[2], fd, n = 0;
	char byte = 'x', cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = { .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	void *m;

	show("open_missing", open("/nonexistent/file", O_RDONLY));
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	show("open_null", fd);
	show("openat_null", openat(AT_FDCWD, "/dev/null", O_RDONLY));
	show("creat_tmp",
	     open("/proc/self/nonexistent", O_CREAT | O_RDWR, 0600));
	show("pipe", pipe(p));
	show("write", write(p[1], "abc", 3));
	show("fionread", ioctl(p[0], FIONREAD, &n));
	printf("fionread_value %d\n", n);
	show("ioctl_badfd", ioctl(1000, FIONREAD, &n));
	show("ioctl_notty", ioctl(fd, TCGETS, &n));
	show("dup", dup(fd));
	show("dup2", dup2(fd, 40));
	show("dup3", dup3(fd, 41, O_CLOEXEC));
	show("dup2_badfd", dup2(999, 42));
	show("fcntl_dupfd", fcntl(fd, F_DUPFD, 50));
	show("fcntl_getfd", fcntl(fd, F_GETFD));
	show("fcntl_badfd", fcntl(999, F_GETFL));
	show("close_40", close(40));
	show("close_40_again", close(40));
	show("mmap_null",
	     mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0) == MAP_FAILED ?
		     -1 :
		     0);
	m = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	show("mmap_anon", m == MAP_FAILED ? -1 : 0);
	show("mmap_badfd",
	     mmap(NULL, 4096, PROT_READ, MAP_SHARED, 999, 0) == MAP_FAILED ?
		     -1 :
		     0);
	show("munmap_unaligned", munmap((char *)m + 1, 4096));
	show("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	show("sendmsg", sendmsg(sv[0], &msg, 0));
	memset(cbuf, 0, sizeof(cbuf));
	msg.msg_controllen = sizeof(cbuf);
	show("recvmsg", recvmsg(sv[1], &msg, 0));
	c = CMSG_FIRSTHDR(&msg);
	show("received_fd", c ? *(int *)CMSG_DATA(c) : -1);
	show("close_range", close_range(3, ~0U, 0));
	show("reopen", open("/dev/null", O_RDONLY));
	closefrom(3);
	show("closefrom_reopen", open("/dev/null", O_RDONLY));
	return 0;
}
