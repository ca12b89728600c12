// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <dlfcn.h>

#include "real.h"

struct rec_real rec_real;

void rec_resolve(void)
{
#define R(field, name) \
	(rec_real.field = (__typeof__(rec_real.field))dlsym(RTLD_NEXT, name))
	R(open, "open");
	R(open64, "open64");
	R(openat, "openat");
	R(openat64, "openat64");
	R(open_2, "__open_2");
	R(open64_2, "__open64_2");
	R(openat_2, "__openat_2");
	R(openat64_2, "__openat64_2");
	R(ioctl, "ioctl");
	R(close, "close");
	R(dup, "dup");
	R(dup2, "dup2");
	R(dup3, "dup3");
	R(fcntl, "fcntl");
	R(fcntl64, "fcntl64");
	R(mmap, "mmap");
	R(mmap64, "mmap64");
	R(munmap, "munmap");
	R(recvmsg, "recvmsg");
	R(close_range, "close_range");
	R(closefrom, "closefrom");
#undef R
}
