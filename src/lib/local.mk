# SPDX-License-Identifier: GPL-2.0-or-later
#
# libiommuctl: the code both programs share (uAPI definitions and ioctl
# wrappers, names, fd handling, parsing, the output layer, and the sysfs
# and procfs readers, one file per topic). A libtool convenience library:
# linked into each program, never installed.

noinst_LTLIBRARIES += src/lib/libiommuctl.la

src_lib_libiommuctl_la_SOURCES = \
	src/lib/capchain.c \
	src/lib/caps.c \
	src/lib/caps.h \
	src/lib/compat.c \
	src/lib/compat.h \
	src/lib/diagnose.c \
	src/lib/diagnose.h \
	src/lib/errnames.c \
	src/lib/exitcodes.h \
	src/lib/fd.c \
	src/lib/fd.h \
	src/lib/group.c \
	src/lib/group.h \
	src/lib/holders.c \
	src/lib/holders.h \
	src/lib/html.c \
	src/lib/html.h \
	src/lib/ioas.c \
	src/lib/ioas.h \
	src/lib/ioctl.h \
	src/lib/kconfig.c \
	src/lib/kconfig.h \
	src/lib/mdev.c \
	src/lib/mdev.h \
	src/lib/miscdev.c \
	src/lib/miscdev.h \
	src/lib/module.c \
	src/lib/module.h \
	src/lib/names.h \
	src/lib/out-text.c \
	src/lib/out-text.h \
	src/lib/out.c \
	src/lib/out.h \
	src/lib/parse.c \
	src/lib/parse.h \
	src/lib/proc-mem.c \
	src/lib/proc-mem.h \
	src/lib/pidfd.c \
	src/lib/pidfd.h \
	src/lib/sysfs-read.c \
	src/lib/sysfs-read.h \
	src/lib/uapi-iommufd.h \
	src/lib/uapi-vfio.h \
	src/lib/uapinames.c \
	src/lib/utf8.c \
	src/lib/utf8.h \
	src/lib/vfio-group.c \
	src/lib/vfio-group.h

src_lib_libiommuctl_la_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS) $(ZLIB_CFLAGS)
src_lib_libiommuctl_la_LIBADD = $(CJSON_LIBS) $(ZLIB_LIBS)
