# SPDX-License-Identifier: GPL-2.0-or-later
#
# libiommuctl-record.so, the library iommuctl-conformance record preloads
# into a VFIO program. It lives in every process it traces, so it links
# nothing of ours but a header of uAPI numbers, and no sanitizer.

pkglib_LTLIBRARIES = src/recorder/libiommuctl-record.la

src_recorder_libiommuctl_record_la_SOURCES = \
	src/recorder/addr.c \
	src/recorder/decode.c \
	src/recorder/fdtab.c \
	src/recorder/interpose.c \
	src/recorder/line.c \
	src/recorder/recorder.h \
	src/recorder/writer.c
src_recorder_libiommuctl_record_la_CPPFLAGS = -I$(top_srcdir)/src/lib \
	-I$(top_builddir)
src_recorder_libiommuctl_record_la_CFLAGS = $(WARN_CFLAGS) \
	-fvisibility=hidden
src_recorder_libiommuctl_record_la_LDFLAGS = -module -avoid-version \
	-shared -no-undefined
src_recorder_libiommuctl_record_la_LIBADD = -ldl -lpthread

# The record command finds the library where make install puts it; in
# the build tree it looks beside itself first (record.c).
src_conformance_iommuctl_conformance_SOURCES += src/conformance/record.c \
	src/conformance/record.h
src_conformance_iommuctl_conformance_CPPFLAGS += \
	-DRECORD_LIB='"$(pkglibdir)/libiommuctl-record.so"'
