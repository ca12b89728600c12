# SPDX-License-Identifier: GPL-2.0-or-later
#
# libiommuctl-record.so, the library iommuctl-conformance record preloads
# into a VFIO program. It lives in every process it traces, so it links
# nothing of ours but a header of uAPI numbers and the errno-name table
# (compiled in, so that traces name errnos as the reader reads them), and
# no sanitizer.

# libtool is set up without shared libraries (our convenience libraries
# stay static), so the module is a "program" compiled -fPIC and linked by
# the compiler driver with -shared, libtool kept out of the link.
recorderexecdir = $(pkglibdir)
recorderexec_PROGRAMS = src/recorder/libiommuctl-record.so

# The binary log's format (binlog.h): the line writer, the delta codec,
# what a call is and the converter, compiled once for the preloaded
# library, the record command and the tests. The library is why its
# objects are position-independent, hidden from the program they live in
# and free of sanitizers in every build (the fuzz tier runs the converter
# under ASan instead), and carry LTO bytecode beside ordinary code where
# the compiler can make such objects (configure: BINLOG_LTO_CFLAGS).
noinst_LTLIBRARIES += src/recorder/libbinlog.la
src_recorder_libbinlog_la_SOURCES = src/recorder/binlog.h \
	src/recorder/call.c src/recorder/convert.c src/recorder/delta.c \
	src/recorder/delta.h \
	src/recorder/line.c src/recorder/native.c
src_recorder_libbinlog_la_CPPFLAGS = -I$(top_srcdir)/src/lib -I$(top_builddir)
src_recorder_libbinlog_la_CFLAGS = $(WARN_CFLAGS) -fPIC -fvisibility=hidden \
	$(BINLOG_LTO_CFLAGS)

src_recorder_libiommuctl_record_so_SOURCES = \
	src/recorder/addr.c \
	src/recorder/addr.h \
	src/recorder/capture.c \
	src/recorder/capture.h \
	src/recorder/fdtab.c \
	src/recorder/fdtab.h \
	src/recorder/interpose.c \
	src/recorder/lock.c \
	src/recorder/lock.h \
	src/recorder/log.c \
	src/recorder/log.h \
	src/recorder/real.c \
	src/recorder/real.h \
	src/recorder/safemem.c \
	src/recorder/safemem.h \
	src/recorder/session.c \
	src/recorder/session.h \
	src/lib/caps.c \
	src/lib/caps.h \
	src/lib/errnames.c \
	src/lib/names.h
src_recorder_libiommuctl_record_so_CPPFLAGS = -I$(top_srcdir)/src/lib \
	-I$(top_builddir)
# Link-time optimisation: the recorded call's path runs through several
# files' small functions, which it inlines into one; the library is small
# enough to be optimised as one partition where the compiler can
# (configure: RECORDER_LTO_CFLAGS).
recorder_cflags = $(WARN_CFLAGS) -fPIC -fvisibility=hidden \
	$(RECORDER_LTO_CFLAGS)
src_recorder_libiommuctl_record_so_CFLAGS = $(recorder_cflags)
src_recorder_libiommuctl_record_so_LDFLAGS = -shared -Wl,-z,defs \
	-Wl,-soname,libiommuctl-record.so
src_recorder_libiommuctl_record_so_LINK = $(CCLD) \
	$(src_recorder_libiommuctl_record_so_CFLAGS) $(CFLAGS) \
	$(src_recorder_libiommuctl_record_so_LDFLAGS) $(LDFLAGS) -o $@
# libtool stays out of this link: the convenience library's archive.
src_recorder_libiommuctl_record_so_LDADD = src/recorder/.libs/libbinlog.a \
	-ldl -lpthread
src_recorder_libiommuctl_record_so_DEPENDENCIES = src/recorder/libbinlog.la

# The record command finds the library where make install puts it; in
# the build tree it looks beside itself first (record.c). It converts
# the library's binary log with the library's own converter.
src_conformance_iommuctl_conformance_SOURCES += src/conformance/record.c \
	src/conformance/record.h src/conformance/record-live.c \
	src/conformance/record-live.h
src_conformance_iommuctl_conformance_CPPFLAGS += \
	-DRECORD_LIB='"$(pkglibdir)/libiommuctl-record.so"' \
	-I$(top_srcdir)/src/recorder
src_conformance_iommuctl_conformance_LDADD += src/recorder/libbinlog.la \
	src/lib/libiommuctl.la
