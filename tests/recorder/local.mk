# SPDX-License-Identifier: GPL-2.0-or-later
#
# The recorder's tests: a VFIO program to record, the atf-sh script that
# records and replays it, and the overhead benchmark (built, not installed).

testsrecorderdir = $(testsdir)/recorder
testsrecorder_PROGRAMS = tests/recorder/vfio_workload
tests_recorder_vfio_workload_SOURCES = tests/recorder/vfio_workload.c
tests_recorder_vfio_workload_LDADD = -lpthread
testsrecorder_PROGRAMS += tests/recorder/passthrough
tests_recorder_passthrough_SOURCES = tests/recorder/passthrough.c
# Map/unmap pairs on any node: the recorder's call path without VFIO.
testsrecorder_PROGRAMS += tests/recorder/ioctl_loop
tests_recorder_ioctl_loop_SOURCES = tests/recorder/ioctl_loop.c

dist_testsrecorder_DATA = tests/recorder/Kyuafile \
	tests/recorder/device_region.jsonl
testsrecorder_SCRIPTS = tests/recorder/record_test
EXTRA_DIST += tests/recorder/record_test.sh
CLEANFILES += $(testsrecorder_SCRIPTS)

tests/recorder/record_test: tests/recorder/record_test.sh Makefile
	$(AM_V_GEN)interp='$(ATF_SH)'; $(make_script)

# The overhead benchmark (see the head of the file); built, not installed.
noinst_PROGRAMS += tests/recorder/record_bench
tests_recorder_record_bench_SOURCES = tests/recorder/record_bench.c

# The recorder's JSON writer: atf-c, no kernel.
testsrecorder_PROGRAMS += tests/recorder/line_test
tests_recorder_line_test_SOURCES = tests/recorder/line_test.c tests/lsan.c
tests_recorder_line_test_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(top_srcdir)/src/recorder
tests_recorder_line_test_CFLAGS = $(AM_CFLAGS) $(ATF_C_CFLAGS)
tests_recorder_line_test_LDADD = src/recorder/libbinlog.la \
	src/lib/libiommuctl.la $(ATF_C_LIBS)
# The binary log's converter: atf-c, no kernel.
testsrecorder_PROGRAMS += tests/recorder/convert_test
tests_recorder_convert_test_SOURCES = tests/recorder/convert_test.c \
	tests/lsan.c
tests_recorder_convert_test_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(top_srcdir)/src/recorder -I$(top_srcdir)/src/lib
tests_recorder_convert_test_CFLAGS = $(AM_CFLAGS) $(ATF_C_CFLAGS)
tests_recorder_convert_test_LDADD = src/recorder/libbinlog.la \
	src/lib/libiommuctl.la $(ATF_C_LIBS)
# The native ops as the recorder writes and the trace reader reads them.
testsrecorder_PROGRAMS += tests/recorder/native_test
tests_recorder_native_test_SOURCES = tests/recorder/native_test.c \
	tests/lsan.c
tests_recorder_native_test_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(top_srcdir)/src/recorder -I$(top_srcdir)/src/conformance \
	-I$(top_srcdir)/src/lib
tests_recorder_native_test_CFLAGS = $(AM_CFLAGS) $(ATF_C_CFLAGS)
tests_recorder_native_test_LDADD = src/recorder/libbinlog.la \
	src/conformance/libconformance.la $(ATF_C_LIBS)
# The safe read the recorder copies the program's arguments with.
testsrecorder_PROGRAMS += tests/recorder/safemem_test
tests_recorder_safemem_test_SOURCES = tests/recorder/safemem_test.c \
	src/recorder/safemem.c tests/lsan.c
tests_recorder_safemem_test_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(top_srcdir)/src/recorder
tests_recorder_safemem_test_CFLAGS = $(AM_CFLAGS) $(ATF_C_CFLAGS)
tests_recorder_safemem_test_LDADD = $(ATF_C_LIBS)
testsrecorder_PROGRAMS += tests/recorder/map_loop
tests_recorder_map_loop_SOURCES = tests/recorder/map_loop.c
testsrecorder_PROGRAMS += tests/recorder/vfio_signals
tests_recorder_vfio_signals_SOURCES = tests/recorder/vfio_signals.c
tests_recorder_vfio_signals_LDADD = -lpthread
