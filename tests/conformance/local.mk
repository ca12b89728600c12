# SPDX-License-Identifier: GPL-2.0-or-later
#
# The conformance runner's tests: the trace reader's unit tests, the
# corpus as TAP and as atf-sh cases, the runner's command line, and real
# programs recorded in the VM.

testsconformancedir = $(testsdir)/conformance
dist_testsconformance_DATA = tests/conformance/Kyuafile

# Unit tests of the trace reader and writer, the situation model and the
# judge: atf-c, no kernel.
testsconformance_PROGRAMS = tests/conformance/trace_test \
	tests/conformance/trace_model_test \
	tests/conformance/situation_test tests/conformance/judge_test \
	tests/conformance/native_test tests/conformance/timing_test
conformance_test_cppflags = $(AM_CPPFLAGS) -I$(top_srcdir)/src/conformance
conformance_test_cflags = $(AM_CFLAGS) $(ATF_C_CFLAGS)
conformance_test_ldadd = src/conformance/libconformance.la $(ATF_C_LIBS)
tests_conformance_trace_test_SOURCES = tests/conformance/trace_test.c \
	tests/lsan.c
tests_conformance_trace_test_CPPFLAGS = $(conformance_test_cppflags)
tests_conformance_trace_test_CFLAGS = $(conformance_test_cflags)
tests_conformance_trace_test_LDADD = $(conformance_test_ldadd)
tests_conformance_trace_model_test_SOURCES = \
	tests/conformance/trace_model_test.c tests/lsan.c
tests_conformance_trace_model_test_CPPFLAGS = $(conformance_test_cppflags)
tests_conformance_trace_model_test_CFLAGS = $(conformance_test_cflags)
tests_conformance_trace_model_test_LDADD = $(conformance_test_ldadd)
tests_conformance_situation_test_SOURCES = tests/conformance/situation_test.c \
	tests/lsan.c
tests_conformance_situation_test_CPPFLAGS = $(conformance_test_cppflags)
tests_conformance_situation_test_CFLAGS = $(conformance_test_cflags)
tests_conformance_situation_test_LDADD = $(conformance_test_ldadd)
tests_conformance_judge_test_SOURCES = tests/conformance/judge_test.c \
	tests/lsan.c
tests_conformance_judge_test_CPPFLAGS = $(conformance_test_cppflags)
tests_conformance_judge_test_CFLAGS = $(conformance_test_cflags)
tests_conformance_judge_test_LDADD = $(conformance_test_ldadd)
tests_conformance_native_test_SOURCES = tests/conformance/native_test.c \
	tests/lsan.c
tests_conformance_native_test_CPPFLAGS = $(conformance_test_cppflags)
tests_conformance_native_test_CFLAGS = $(conformance_test_cflags)
tests_conformance_native_test_LDADD = $(conformance_test_ldadd)
tests_conformance_timing_test_SOURCES = tests/conformance/timing_test.c \
	tests/lsan.c
tests_conformance_timing_test_CPPFLAGS = $(conformance_test_cppflags)
tests_conformance_timing_test_CFLAGS = $(conformance_test_cflags) \
	$(CJSON_CFLAGS)
tests_conformance_timing_test_LDADD = $(conformance_test_ldadd) $(CJSON_LIBS)

# The corpus as TAP (kyua tap_test_program): one script, two names (see
# the script); both source corpus-env.sh, made with the same
# substitutions.
corpus_scripts = tests/conformance/corpus_test \
	tests/conformance/corpus_mdev_test
# The corpus with its op ids deleted judged as with them (atf-sh).
corpus_noids_scripts = tests/conformance/corpus_noids_test
testsconformance_SCRIPTS = $(corpus_scripts) $(corpus_noids_scripts) \
	tests/conformance/corpus-replay
testsconformance_DATA = tests/conformance/corpus-env.sh
EXTRA_DIST += tests/conformance/corpus_test.sh \
	tests/conformance/corpus-replay.sh \
	tests/conformance/corpus_noids_test.sh \
	tests/conformance/corpus-env.sh.in
CLEANFILES += $(testsconformance_SCRIPTS) $(testsconformance_DATA)

# The same corpus with one kyua case per operation (atf-c, one source, two
# programs: the mdev one takes the traces with device steps), their
# replays made by corpus-replay.
testsconformance_PROGRAMS += tests/conformance/corpus_cases_test \
	tests/conformance/corpus_cases_mdev_test
corpus_cases_cppflags = $(AM_CPPFLAGS) -I$(top_srcdir)/src/lib \
	-DABS_TOP_BUILDDIR='"$(abs_top_builddir)"' \
	-DABS_TOP_SRCDIR='"$(abs_top_srcdir)"' \
	-DSBINDIR='"$(sbindir)"' -DPKGDATADIR='"$(pkgdatadir)"'
tests_conformance_corpus_cases_test_SOURCES = \
	tests/conformance/corpus_cases_test.c \
	tests/conformance/corpus-cache.c tests/conformance/corpus-util.c \
	tests/conformance/corpus-cases.h tests/lsan.c
tests_conformance_corpus_cases_test_CPPFLAGS = $(corpus_cases_cppflags)
tests_conformance_corpus_cases_test_CFLAGS = $(conformance_test_cflags)
tests_conformance_corpus_cases_test_LDADD = src/lib/libiommuctl.la \
	$(ATF_C_LIBS)
tests_conformance_corpus_cases_mdev_test_SOURCES = \
	$(tests_conformance_corpus_cases_test_SOURCES)
tests_conformance_corpus_cases_mdev_test_CPPFLAGS = \
	$(corpus_cases_cppflags) -DCORPUS_MDEV=1
tests_conformance_corpus_cases_mdev_test_CFLAGS = $(conformance_test_cflags)
tests_conformance_corpus_cases_mdev_test_LDADD = \
	$(tests_conformance_corpus_cases_test_LDADD)

$(corpus_scripts): tests/conformance/corpus_test.sh \
		tests/conformance/corpus-env.sh.in Makefile
	$(AM_V_GEN)interp=/bin/sh; $(make_script)

tests/conformance/corpus-replay: tests/conformance/corpus-replay.sh Makefile
	$(AM_V_GEN)interp=/bin/sh; $(make_script)

$(corpus_noids_scripts): tests/conformance/corpus_noids_test.sh \
		tests/conformance/corpus-env.sh.in Makefile
	$(AM_V_GEN)interp='$(ATF_SH)'; $(make_script)

tests/conformance/corpus-env.sh: tests/conformance/corpus-env.sh.in Makefile
	$(AM_V_GEN)$(MKDIR_P) $(@D) && \
	$(subst_paths) $(srcdir)/tests/conformance/corpus-env.sh.in >$@.tmp && \
	mv $@.tmp $@

# The per-op cases' whole-trace replays (corpus_cases_test.c), kept in the
# build tree until make clean.
clean-local: corpus-cache-clean
corpus-cache-clean:
	-rm -rf tests/conformance/corpus-cases.cache
.PHONY: corpus-cache-clean

# That cache on any machine: the built runner, a stub runner, the cases.
testsconformance_SCRIPTS += tests/conformance/corpus_cache_test
EXTRA_DIST += tests/conformance/corpus_cache_test.sh \
	tests/conformance/corpus-cases-cost

tests/conformance/corpus_cache_test: tests/conformance/corpus_cache_test.sh \
		Makefile
	$(AM_V_GEN)interp='$(ATF_SH)'; $(make_script)

# The runner's behaviour without a kernel.
testsconformance_SCRIPTS += tests/conformance/cli_test
EXTRA_DIST += tests/conformance/cli_test.sh

tests/conformance/cli_test: tests/conformance/cli_test.sh Makefile
	$(AM_V_GEN)interp='$(ATF_SH)'; $(make_script)

# Real programs recorded live in the VM.
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

tests/conformance/real_record_test: tests/conformance/real_record_test.sh \
		Makefile
	$(AM_V_GEN)interp='$(ATF_SH)'; $(make_script)

# timing on the running kernel (in the VM; skips without VFIO or iommufd).
testsconformance_SCRIPTS += tests/conformance/timing_kernel_test
EXTRA_DIST += tests/conformance/timing_kernel_test.sh

tests/conformance/timing_kernel_test: tests/conformance/timing_kernel_test.sh \
		Makefile
	$(AM_V_GEN)interp='$(ATF_SH)'; $(make_script)
