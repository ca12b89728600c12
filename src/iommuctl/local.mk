# SPDX-License-Identifier: GPL-2.0-or-later
#
# Everything but main() goes into a convenience library, so that the unit
# tests can drive the command table and argument handling directly.

noinst_LTLIBRARIES += src/iommuctl/libcli.la

src_iommuctl_libcli_la_SOURCES = \
	src/iommuctl/args.c \
	src/iommuctl/batch.c \
	src/iommuctl/cmd-compat.c \
	src/iommuctl/cmd-ioas.c \
	src/iommuctl/cmd-option.c \
	src/iommuctl/cmd-status.c \
	src/iommuctl/commands.c \
	src/iommuctl/context.c \
	src/iommuctl/errors.c \
	src/iommuctl/global-options.c \
	src/iommuctl/global-options.h \
	src/iommuctl/iommuctl.h \
	src/iommuctl/usage.c
src_iommuctl_libcli_la_CFLAGS = $(AM_CFLAGS) $(KMOD_CFLAGS) $(UDEV_CFLAGS)
src_iommuctl_libcli_la_LIBADD = src/lib/libiommuctl.la $(KMOD_LIBS) $(UDEV_LIBS)

sbin_PROGRAMS += src/iommuctl/iommuctl

src_iommuctl_iommuctl_SOURCES = src/iommuctl/main.c
src_iommuctl_iommuctl_LDADD = src/iommuctl/libcli.la
