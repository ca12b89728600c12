# SPDX-License-Identifier: GPL-2.0-or-later

sbin_PROGRAMS += src/iommuctl/iommuctl

src_iommuctl_iommuctl_SOURCES = \
	src/iommuctl/args.c \
	src/iommuctl/cmd-compat.c \
	src/iommuctl/cmd-ioas.c \
	src/iommuctl/cmd-option.c \
	src/iommuctl/commands.c \
	src/iommuctl/context.c \
	src/iommuctl/errors.c \
	src/iommuctl/iommuctl.h \
	src/iommuctl/main.c

src_iommuctl_iommuctl_LDADD = src/lib/libiommuctl.la
