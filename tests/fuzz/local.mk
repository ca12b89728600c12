# SPDX-License-Identifier: GPL-2.0-or-later
#
# libFuzzer harnesses, one per reader of untrusted input: the trace
# reader and writer, the registry loader and matcher, iommuctl's batch
# and argument parsers, the recorder's log converter and the report
# reader of diff. Each harness builds twice: with its seeds as an atf-c
# test program in every build (the seeds and every saved finding run in
# make check), and, configured with CC=clang --enable-fuzzers, as a
# fuzzer that make check-fuzz runs for FUZZ_SECONDS each.

fuzz_names = args batch convert diff registry trace

testsfuzzdir = $(testsdir)/fuzz
dist_testsfuzz_DATA = tests/fuzz/Kyuafile
EXTRA_DIST += tests/fuzz/seeds tests/fuzz/run-fuzzers tests/fuzz/args.dict \
	tests/fuzz/batch.dict tests/fuzz/registry.dict tests/fuzz/trace.dict

fuzz_cppflags = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/fuzz \
	-I$(top_srcdir)/src/conformance -I$(top_srcdir)/src/iommuctl \
	-I$(top_srcdir)/src/recorder -DABS_TOP_SRCDIR='"$(abs_top_srcdir)"'
fuzz_cflags = $(AM_CFLAGS) $(CJSON_CFLAGS) $(ATF_C_CFLAGS)
fuzz_common = tests/fuzz/fuzz.h tests/fuzz/check.c
fuzz_cli = tests/fuzz/cli.h tests/fuzz/cli.c
seeds_main = tests/fuzz/seeds.c tests/lsan.c

fuzz_args_sources = tests/fuzz/args_fuzz.c $(fuzz_cli) $(fuzz_common)
fuzz_args_ldadd = src/iommuctl/libcli.la $(CJSON_LIBS)
fuzz_batch_sources = tests/fuzz/batch_fuzz.c $(fuzz_cli) $(fuzz_common)
fuzz_batch_ldadd = src/iommuctl/libcli.la $(CJSON_LIBS)
fuzz_convert_sources = tests/fuzz/convert_fuzz.c $(fuzz_common)
fuzz_convert_ldadd = src/recorder/libbinlog.la \
	src/conformance/libconformance.la $(CJSON_LIBS)
fuzz_diff_sources = tests/fuzz/diff_fuzz.c src/conformance/diff.c \
	src/conformance/output-errors.c \
	$(fuzz_common)
fuzz_diff_ldadd = src/lib/libiommuctl.la $(CJSON_LIBS)
fuzz_registry_sources = tests/fuzz/registry_fuzz.c $(fuzz_common)
fuzz_registry_ldadd = src/conformance/libconformance.la $(CJSON_LIBS)
fuzz_trace_sources = tests/fuzz/trace_fuzz.c $(fuzz_common)
fuzz_trace_ldadd = src/conformance/libconformance.la $(CJSON_LIBS)

testsfuzz_PROGRAMS = tests/fuzz/args_seeds_test tests/fuzz/batch_seeds_test \
	tests/fuzz/convert_seeds_test tests/fuzz/diff_seeds_test \
	tests/fuzz/registry_seeds_test tests/fuzz/trace_seeds_test

tests_fuzz_args_seeds_test_SOURCES = $(fuzz_args_sources) $(seeds_main)
tests_fuzz_args_seeds_test_CPPFLAGS = $(fuzz_cppflags) -DFUZZ_NAME='"args"'
tests_fuzz_args_seeds_test_CFLAGS = $(fuzz_cflags)
tests_fuzz_args_seeds_test_LDADD = $(fuzz_args_ldadd) $(ATF_C_LIBS)
tests_fuzz_batch_seeds_test_SOURCES = $(fuzz_batch_sources) $(seeds_main)
tests_fuzz_batch_seeds_test_CPPFLAGS = $(fuzz_cppflags) -DFUZZ_NAME='"batch"'
tests_fuzz_batch_seeds_test_CFLAGS = $(fuzz_cflags)
tests_fuzz_batch_seeds_test_LDADD = $(fuzz_batch_ldadd) $(ATF_C_LIBS)
tests_fuzz_convert_seeds_test_SOURCES = $(fuzz_convert_sources) $(seeds_main)
tests_fuzz_convert_seeds_test_CPPFLAGS = $(fuzz_cppflags) \
	-DFUZZ_NAME='"convert"'
tests_fuzz_convert_seeds_test_CFLAGS = $(fuzz_cflags)
tests_fuzz_convert_seeds_test_LDADD = $(fuzz_convert_ldadd) $(ATF_C_LIBS)
tests_fuzz_diff_seeds_test_SOURCES = $(fuzz_diff_sources) $(seeds_main)
tests_fuzz_diff_seeds_test_CPPFLAGS = $(fuzz_cppflags) -DFUZZ_NAME='"diff"'
tests_fuzz_diff_seeds_test_CFLAGS = $(fuzz_cflags)
tests_fuzz_diff_seeds_test_LDADD = $(fuzz_diff_ldadd) $(ATF_C_LIBS)
tests_fuzz_registry_seeds_test_SOURCES = $(fuzz_registry_sources) \
	$(seeds_main)
tests_fuzz_registry_seeds_test_CPPFLAGS = $(fuzz_cppflags) \
	-DFUZZ_NAME='"registry"'
tests_fuzz_registry_seeds_test_CFLAGS = $(fuzz_cflags)
tests_fuzz_registry_seeds_test_LDADD = $(fuzz_registry_ldadd) $(ATF_C_LIBS)
tests_fuzz_trace_seeds_test_SOURCES = $(fuzz_trace_sources) $(seeds_main)
tests_fuzz_trace_seeds_test_CPPFLAGS = $(fuzz_cppflags) -DFUZZ_NAME='"trace"'
tests_fuzz_trace_seeds_test_CFLAGS = $(fuzz_cflags)
tests_fuzz_trace_seeds_test_LDADD = $(fuzz_trace_ldadd) $(ATF_C_LIBS)

# The seeds install beside the programs, for the installed suite.
install-data-local: fuzz-seeds-install
uninstall-local: fuzz-seeds-uninstall
fuzz-seeds-install:
	$(MKDIR_P) $(DESTDIR)$(testsfuzzdir)/seeds
	cp -R $(srcdir)/tests/fuzz/seeds/. $(DESTDIR)$(testsfuzzdir)/seeds/
	chmod -R u+w,go-w $(DESTDIR)$(testsfuzzdir)/seeds
fuzz-seeds-uninstall:
	rm -rf $(DESTDIR)$(testsfuzzdir)/seeds

# Where a fuzzer saves what it finds, and how long each one runs.
FUZZ_SECONDS = 60
FUZZ_JOBS = 1
FUZZ_ARTIFACTS = $(abs_top_builddir)/test-results/fuzz
FUZZ_RESULTS =

if ENABLE_FUZZERS
fuzz_programs = tests/fuzz/args_fuzz tests/fuzz/batch_fuzz \
	tests/fuzz/convert_fuzz tests/fuzz/diff_fuzz tests/fuzz/registry_fuzz \
	tests/fuzz/trace_fuzz
EXTRA_PROGRAMS = $(fuzz_programs)
CLEANFILES += $(fuzz_programs)

tests_fuzz_args_fuzz_SOURCES = $(fuzz_args_sources)
tests_fuzz_args_fuzz_CPPFLAGS = $(fuzz_cppflags)
tests_fuzz_args_fuzz_CFLAGS = $(fuzz_cflags)
tests_fuzz_args_fuzz_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_args_fuzz_LDADD = $(fuzz_args_ldadd)
tests_fuzz_batch_fuzz_SOURCES = $(fuzz_batch_sources)
tests_fuzz_batch_fuzz_CPPFLAGS = $(fuzz_cppflags)
tests_fuzz_batch_fuzz_CFLAGS = $(fuzz_cflags)
tests_fuzz_batch_fuzz_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_batch_fuzz_LDADD = $(fuzz_batch_ldadd)
tests_fuzz_convert_fuzz_SOURCES = $(fuzz_convert_sources)
tests_fuzz_convert_fuzz_CPPFLAGS = $(fuzz_cppflags)
tests_fuzz_convert_fuzz_CFLAGS = $(fuzz_cflags)
tests_fuzz_convert_fuzz_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_convert_fuzz_LDADD = $(fuzz_convert_ldadd)
tests_fuzz_diff_fuzz_SOURCES = $(fuzz_diff_sources)
tests_fuzz_diff_fuzz_CPPFLAGS = $(fuzz_cppflags)
tests_fuzz_diff_fuzz_CFLAGS = $(fuzz_cflags)
tests_fuzz_diff_fuzz_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_diff_fuzz_LDADD = $(fuzz_diff_ldadd)
tests_fuzz_registry_fuzz_SOURCES = $(fuzz_registry_sources)
tests_fuzz_registry_fuzz_CPPFLAGS = $(fuzz_cppflags)
tests_fuzz_registry_fuzz_CFLAGS = $(fuzz_cflags)
tests_fuzz_registry_fuzz_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_registry_fuzz_LDADD = $(fuzz_registry_ldadd)
tests_fuzz_trace_fuzz_SOURCES = $(fuzz_trace_sources)
tests_fuzz_trace_fuzz_CPPFLAGS = $(fuzz_cppflags)
tests_fuzz_trace_fuzz_CFLAGS = $(fuzz_cflags)
tests_fuzz_trace_fuzz_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_trace_fuzz_LDADD = $(fuzz_trace_ldadd)

fuzzers: $(fuzz_programs)

# Each fuzzer for FUZZ_SECONDS from its seeds; a crash, a leak, a
# timeout or running out of memory fails, with the input saved under
# FUZZ_ARTIFACTS. FUZZ_RESULTS, if set, gets one "NAME passed|failed"
# line per fuzzer (the fuzz tier of make check-all reads it). FUZZ_JOBS
# fuzzers run at a time.
check-fuzz: fuzzers
	$(SHELL) $(srcdir)/tests/fuzz/run-fuzzers --srcdir $(abs_top_srcdir) \
		--bindir $(abs_top_builddir)/tests/fuzz \
		--workdir $(abs_top_builddir)/tests/fuzz/corpus \
		--artifacts $(FUZZ_ARTIFACTS) --seconds $(FUZZ_SECONDS) \
		--jobs $(FUZZ_JOBS) --results "$(FUZZ_RESULTS)" $(fuzz_names)
else
fuzzers check-fuzz:
	@echo "$@: the fuzzers are not built here: configure with CC=clang --enable-fuzzers (Debian packages clang and libclang-rt-dev)" >&2
	@exit 1
endif

clean-local: fuzz-clean
fuzz-clean:
	rm -rf tests/fuzz/corpus

.PHONY: fuzzers check-fuzz fuzz-seeds-install fuzz-seeds-uninstall \
	fuzz-clean
