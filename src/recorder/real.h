/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_RECORDER_REAL_H
#define IOMMUCTL_RECORDER_REAL_H

#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

/*
 * The C library's functions the recorder puts itself in front of, as
 * the next object in the lookup order has them: what every wrapper, and
 * the recorded ioctl, calls through.
 */
struct rec_real {
	int (*open)(const char *, int, ...);
	int (*open64)(const char *, int, ...);
	int (*openat)(int, const char *, int, ...);
	int (*openat64)(int, const char *, int, ...);
	int (*open_2)(const char *, int);
	int (*open64_2)(const char *, int);
	int (*openat_2)(int, const char *, int);
	int (*openat64_2)(int, const char *, int);
	int (*ioctl)(int, unsigned long, ...);
	int (*close)(int);
	int (*dup)(int);
	int (*dup2)(int, int);
	int (*dup3)(int, int, int);
	int (*fcntl)(int, int, ...);
	int (*fcntl64)(int, int, ...);
	void *(*mmap)(void *, size_t, int, int, int, off_t);
	void *(*mmap64)(void *, size_t, int, int, int, off_t);
	int (*munmap)(void *, size_t);
	ssize_t (*recvmsg)(int, struct msghdr *, int);
	int (*close_range)(unsigned int, unsigned int, int);
	void (*closefrom)(int);
};

extern struct rec_real rec_real;
void rec_resolve(void);

/* Wrappers can run before our constructor (other libraries' ones). */
#define REC_REAL(name) \
	(rec_real.name ? rec_real.name : (rec_resolve(), rec_real.name))

#endif
