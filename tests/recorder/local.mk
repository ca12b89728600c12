# SPDX-License-Identifier: GPL-2.0-or-later
#
# The recorder's tests: a VFIO program to record, the atf-sh script that
# records and replays it, and the overhead benchmark (built, not installed).

testsrecorderdir = $(testsdir)/recorder
testsrecorder_PROGRAMS = tests/recorder/vfio_workload
tests_recorder_vfio_workload_SOURCES = tests/recorder/vfio_workload.c
tests_recorder_vfio_workload_LDADD = -lpthread
