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

src_recorder_libiommuctl_record_so_SOURCES = \
	src/recorder/addr.c \
	src/recorder/addr.h \
	src/recorder/binlog.h \
	src/recorder/call.c \
	src/recorder/capture.c \
	src/recorder/capture.h \
	src/recorder/convert.c \
	src/recorder/delta.c \
	src/recorder/fdtab.c \
	src/recorder/fdtab.h \
	src/recorder/interpose.c \
	src/recorder/line.c \
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
	src/lib/errnames.c \
	src/lib/names.h
src_recorder_libiommuctl_record_so_CPPFLAGS = -I$(top_srcdir)/src/lib \
	-I$(top_builddir)
# Link-time optimisation: the recorded call's path runs through several
# files' small functions, which it inlines into one.
src_recorder_libiommuctl_record_so_CFLAGS = $(WARN_CFLAGS) -fPIC \
	-fvisibility=hidden -flto
src_recorder_libiommuctl_record_so_LDFLAGS = -shared -Wl,-z,defs \
	-Wl,-soname,libiommuctl-record.so
src_recorder_libiommuctl_record_so_LINK = $(CCLD) \
	$(src_recorder_libiommuctl_record_so_CFLAGS) $(CFLAGS) \
	$(src_recorder_libiommuctl_record_so_LDFLAGS) $(LDFLAGS) -o $@
src_recorder_libiommuctl_record_so_LDADD = -ldl -lpthread

# The binary log's format (binlog.h): the line writer, the delta codec,
# what a call is and the converter, for the record command and the
# tests. The preloaded library compiles the same sources into itself:
# its objects must be position-independent, hidden from the program it
# lives in and free of sanitizers, which the runner's and the tests'
# are not.
noinst_LTLIBRARIES += src/recorder/libbinlog.la
src_recorder_libbinlog_la_SOURCES = src/recorder/binlog.h \
	src/recorder/call.c src/recorder/convert.c src/recorder/delta.c \
	src/recorder/line.c

# The record command finds the library where make install puts it; in
# the build tree it looks beside itself first (record.c). It converts
# the library's binary log with the library's own converter.
src_conformance_iommuctl_conformance_SOURCES += src/conformance/record.c \
	src/conformance/record.h
src_conformance_iommuctl_conformance_CPPFLAGS += \
	-DRECORD_LIB='"$(pkglibdir)/libiommuctl-record.so"' \
	-I$(top_srcdir)/src/recorder
src_conformance_iommuctl_conformance_LDADD += src/recorder/libbinlog.la \
	src/lib/libiommuctl.la
