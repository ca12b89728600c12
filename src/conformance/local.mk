# SPDX-License-Identifier: GPL-2.0-or-later
#
# iommuctl-conformance: the trace reader and the replay engine go into a
# convenience library so that the unit tests drive them directly.

noinst_LTLIBRARIES += src/conformance/libconformance.la

src_conformance_libconformance_la_SOURCES = \
	src/conformance/judge.c \
	src/conformance/judge.h \
	src/conformance/registry.c \
	src/conformance/registry.h \
	src/conformance/replay.c \
	src/conformance/replay.h \
	src/conformance/situation.c \
	src/conformance/situation.h \
	src/conformance/trace.c \
	src/conformance/trace.h
src_conformance_libconformance_la_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(top_srcdir)/kmod
src_conformance_libconformance_la_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS)
src_conformance_libconformance_la_LIBADD = src/lib/libiommuctl.la \
	$(CJSON_LIBS)

sbin_PROGRAMS += src/conformance/iommuctl-conformance

src_conformance_iommuctl_conformance_SOURCES = src/conformance/main.c \
	src/conformance/diff.c src/conformance/diff.h
src_conformance_iommuctl_conformance_CPPFLAGS = $(AM_CPPFLAGS) \
	-DREGISTRY_PATH='"$(pkgdatadir)/known-divergences.json"'
src_conformance_iommuctl_conformance_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS)
src_conformance_iommuctl_conformance_LDADD = \
	src/conformance/libconformance.la $(CJSON_LIBS)

# The registry and the schemas are data the runner and users read.
conformancedir = $(pkgdatadir)
dist_conformance_DATA = \
	src/conformance/known-divergences.json \
	src/conformance/report.schema.json \
	src/conformance/trace.schema.json

dist_man_MANS += man/iommuctl-conformance.8 man/iommuctl-trace.5

# Unit tests of the trace reader and writer: atf-c, no kernel.
testsconformancedir = $(testsdir)/conformance
testsconformance_PROGRAMS = tests/conformance/trace_test \
	tests/conformance/situation_test tests/conformance/judge_test
tests_conformance_trace_test_SOURCES = tests/conformance/trace_test.c \
	tests/lsan.c
tests_conformance_trace_test_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(top_srcdir)/src/conformance
tests_conformance_trace_test_CFLAGS = $(AM_CFLAGS) $(ATF_C_CFLAGS)
tests_conformance_trace_test_LDADD = src/conformance/libconformance.la \
	$(ATF_C_LIBS)
# The situation model and the judge: atf-c, no kernel.
tests_conformance_situation_test_SOURCES = tests/conformance/situation_test.c \
	tests/lsan.c
tests_conformance_situation_test_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(top_srcdir)/src/conformance
tests_conformance_situation_test_CFLAGS = $(AM_CFLAGS) $(ATF_C_CFLAGS)
tests_conformance_situation_test_LDADD = src/conformance/libconformance.la \
	$(ATF_C_LIBS)
# The situation model and the judge: atf-c, no kernel.
tests_conformance_judge_test_SOURCES = tests/conformance/judge_test.c \
	tests/lsan.c
tests_conformance_judge_test_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(top_srcdir)/src/conformance
tests_conformance_judge_test_CFLAGS = $(AM_CFLAGS) $(ATF_C_CFLAGS)
tests_conformance_judge_test_LDADD = src/conformance/libconformance.la \
	$(ATF_C_LIBS)
dist_testsconformance_DATA = tests/conformance/Kyuafile

# The corpus as TAP (kyua tap_test_program), made from its .sh with the
# install locations filled in; one script, two names (see the script). The
# same corpus as atf-sh programs with one case per operation, two names
# again. Both source corpus-env.sh, made the same way.
corpus_scripts = tests/conformance/corpus_test \
	tests/conformance/corpus_mdev_test
corpus_case_scripts = tests/conformance/corpus_cases_test \
	tests/conformance/corpus_cases_mdev_test
# The corpus with its op ids deleted judged as with them (atf-sh).
corpus_noids_scripts = tests/conformance/corpus_noids_test
testsconformance_SCRIPTS = $(corpus_scripts) $(corpus_case_scripts) \
	$(corpus_noids_scripts)
testsconformance_DATA = tests/conformance/corpus-env.sh
EXTRA_DIST += tests/conformance/corpus_test.sh \
	tests/conformance/corpus_cases_test.sh \
	tests/conformance/corpus_noids_test.sh \
	tests/conformance/corpus-env.sh.in
CLEANFILES += $(testsconformance_SCRIPTS) $(testsconformance_DATA)

conformance_subst = sed -e 's|@abs_top_srcdir[@]|$(abs_top_srcdir)|g' \
	-e 's|@abs_top_builddir[@]|$(abs_top_builddir)|g' \
	-e 's|@sbindir[@]|$(sbindir)|g' \
	-e 's|@mandir[@]|$(mandir)|g' \
	-e 's|@pkgdatadir[@]|$(pkgdatadir)|g' \
	-e 's|@bashcompletiondir[@]|$(bashcompletiondir)|g'

$(corpus_scripts): tests/conformance/corpus_test.sh \
		tests/conformance/corpus-env.sh Makefile
	$(AM_V_GEN)$(MKDIR_P) $(@D) && { \
	echo '#! /bin/sh'; cat $(srcdir)/tests/conformance/corpus_test.sh; \
	} | $(conformance_subst) >$@.tmp && chmod +x $@.tmp && mv $@.tmp $@

$(corpus_case_scripts): tests/conformance/corpus_cases_test.sh \
		tests/conformance/corpus-env.sh Makefile
	$(AM_V_GEN)$(MKDIR_P) $(@D) && { \
	echo '#! $(ATF_SH)'; cat $(srcdir)/tests/conformance/corpus_cases_test.sh; \
	} | $(conformance_subst) >$@.tmp && chmod +x $@.tmp && mv $@.tmp $@

$(corpus_noids_scripts): tests/conformance/corpus_noids_test.sh \
		tests/conformance/corpus-env.sh Makefile
	$(AM_V_GEN)$(MKDIR_P) $(@D) && { \
	echo '#! $(ATF_SH)'; cat $(srcdir)/tests/conformance/corpus_noids_test.sh; \
	} | $(conformance_subst) >$@.tmp && chmod +x $@.tmp && mv $@.tmp $@

tests/conformance/corpus-env.sh: tests/conformance/corpus-env.sh.in Makefile
	$(AM_V_GEN)$(MKDIR_P) $(@D) && \
	$(conformance_subst) $(srcdir)/tests/conformance/corpus-env.sh.in >$@.tmp && \
	mv $@.tmp $@

# The runner's behaviour without a kernel: an atf-sh script made the same
# way.
testsconformance_SCRIPTS += tests/conformance/cli_test
EXTRA_DIST += tests/conformance/cli_test.sh

tests/conformance/cli_test: tests/conformance/cli_test.sh Makefile
	$(AM_V_GEN)$(MKDIR_P) $(@D) && { \
	echo '#! $(ATF_SH)'; cat $(srcdir)/tests/conformance/cli_test.sh; \
	} | $(conformance_subst) >$@.tmp && chmod +x $@.tmp && mv $@.tmp $@

# Real programs recorded live in the VM: an atf-sh script made the same way.
testsconformance_SCRIPTS += tests/conformance/real_record_test
EXTRA_DIST += tests/conformance/real_record_test.sh \
	tests/traces/real/README.md \
	tests/traces/real/compare-traces \
	tests/traces/real/dpdk-workload \
	tests/traces/real/guest-record \
	tests/traces/real/lib.sh \
	tests/traces/real/normalize \
	tests/traces/real/qemu-workload \
	tests/traces/real/qmp-session \
	tests/traces/real/record

tests/conformance/real_record_test: tests/conformance/real_record_test.sh Makefile
	$(AM_V_GEN)$(MKDIR_P) $(@D) && { \
	echo '#! $(ATF_SH)'; cat $(srcdir)/tests/conformance/real_record_test.sh; \
	} | $(conformance_subst) >$@.tmp && chmod +x $@.tmp && mv $@.tmp $@

# The corpus, installed for the installed suite and for users.
conformancetracesdir = $(pkgdatadir)/traces
dist_conformancetraces_DATA = \
	tests/traces/dirty.jsonl \
	tests/traces/dma.jsonl \
	tests/traces/extensions.jsonl \
	tests/traces/get_info.jsonl \
	tests/traces/hugetlb.jsonl \
	tests/traces/map.jsonl \
	tests/traces/raw.jsonl \
	tests/traces/set_iommu.jsonl \
	tests/traces/set_iommu_nesting.jsonl \
	tests/traces/unmap_v1.jsonl \
	tests/traces/unmap_v2.jsonl

# Real programs' traces (tests/traces/real/README.md says how they were
# recorded; the scripts there re-record them in the VM).
conformancerealdir = $(pkgdatadir)/traces/real
dist_conformancereal_DATA = \
	tests/traces/real/dpdk-22.11-testpmd.jsonl \
	tests/traces/real/qemu-7.2-vfio-pci.jsonl

# The benchmark (run it in the VM, see the head of bench.c); built, not
# installed.
noinst_PROGRAMS = src/conformance/iommuctl-conformance-bench
src_conformance_iommuctl_conformance_bench_SOURCES = src/conformance/bench.c
src_conformance_iommuctl_conformance_bench_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(top_srcdir)/kmod
src_conformance_iommuctl_conformance_bench_LDADD = \
	src/conformance/libconformance.la
