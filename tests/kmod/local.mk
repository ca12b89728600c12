# SPDX-License-Identifier: GPL-2.0-or-later
#
# Tests of the iommuctl_dmaprobe module (kmod/): atf-c programs that run in a
# guest (tests/vm) and skip elsewhere. They find the module file through
# IOMMUCTL_DMAPROBE_KO, else in this build tree (kmod-builds/RELEASE/ from
# kmod/build-all-kernels, kmod/ from make), else installed under extra/ or
# updates/; see iommuctl-dmaprobe(4).

testskmoddir = $(testsdir)/kmod
testskmod_PROGRAMS = tests/kmod/dma_test tests/kmod/lifecycle_test \
	tests/kmod/failnth_test
dist_testskmod_DATA = tests/kmod/Kyuafile

kmod_test_sources = tests/kmod/dmaprobe_helpers.c tests/kmod/dmaprobe_helpers.h \
	tests/lsan.c
kmod_test_cppflags = $(AM_CPPFLAGS) -I$(top_srcdir)/kmod \
	-DDP_BUILDDIR='"$(abs_top_builddir)"'
kmod_test_cflags = $(AM_CFLAGS) $(ATF_C_CFLAGS) $(KMOD_CFLAGS)
kmod_test_ldadd = $(ATF_C_LIBS) $(KMOD_LIBS)

tests_kmod_dma_test_SOURCES = tests/kmod/dma_test.c $(kmod_test_sources)
tests_kmod_dma_test_CPPFLAGS = $(kmod_test_cppflags)
tests_kmod_dma_test_CFLAGS = $(kmod_test_cflags) -pthread
tests_kmod_dma_test_LDADD = $(kmod_test_ldadd) -lpthread

tests_kmod_lifecycle_test_SOURCES = tests/kmod/lifecycle_test.c \
	$(kmod_test_sources)
tests_kmod_lifecycle_test_CPPFLAGS = $(kmod_test_cppflags)
tests_kmod_lifecycle_test_CFLAGS = $(kmod_test_cflags)
tests_kmod_lifecycle_test_LDADD = $(kmod_test_ldadd)

tests_kmod_failnth_test_SOURCES = tests/kmod/failnth_test.c \
	$(kmod_test_sources)
tests_kmod_failnth_test_CPPFLAGS = $(kmod_test_cppflags)
tests_kmod_failnth_test_CFLAGS = $(kmod_test_cflags)
tests_kmod_failnth_test_LDADD = $(kmod_test_ldadd)
