# SPDX-License-Identifier: GPL-2.0-or-later
#
# The kyua suite. Programs and Kyuafiles install under $(testsdir) with
# the same layout as here, so `kyua test` works from an installed tree
# as well as from the build tree (make check).

dist_tests_DATA += tests/Kyuafile

# Unit tests: atf-c, no kernel needed.
testsunitdir = $(testsdir)/unit
testsunit_PROGRAMS = \
	tests/unit/args_test \
	tests/unit/capchain_test \
	tests/unit/caps_test \
	tests/unit/diagnose_test \
	tests/unit/names_test \
	tests/unit/out_test \
	tests/unit/parse_test \
	tests/unit/sysfs_test \
	tests/unit/target_test \
	tests/unit/uapi_layout_test \
	tests/unit/utf8_test
dist_testsunit_DATA = tests/unit/Kyuafile

unit_cflags = $(AM_CFLAGS) $(ATF_C_CFLAGS)
unit_ldadd = src/lib/libiommuctl.la $(ATF_C_LIBS)

tests_unit_args_test_SOURCES = tests/unit/args_test.c tests/lsan.c
tests_unit_args_test_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/iommuctl
tests_unit_args_test_CFLAGS = $(unit_cflags)
tests_unit_args_test_LDADD = src/iommuctl/libcli.la $(unit_ldadd)

tests_unit_capchain_test_SOURCES = tests/unit/capchain_test.c tests/lsan.c
tests_unit_capchain_test_CFLAGS = $(unit_cflags)
tests_unit_capchain_test_LDADD = $(unit_ldadd)

tests_unit_caps_test_SOURCES = tests/unit/caps_test.c tests/lsan.c
tests_unit_caps_test_CFLAGS = $(unit_cflags)
tests_unit_caps_test_LDADD = $(unit_ldadd)

tests_unit_diagnose_test_SOURCES = tests/unit/diagnose_test.c tests/lsan.c
tests_unit_diagnose_test_CFLAGS = $(unit_cflags) $(ZLIB_CFLAGS)
tests_unit_diagnose_test_LDADD = $(unit_ldadd) $(ZLIB_LIBS)

tests_unit_names_test_SOURCES = tests/unit/names_test.c tests/lsan.c
tests_unit_names_test_CPPFLAGS = $(KERNEL_UAPI_CPPFLAGS) $(AM_CPPFLAGS)
tests_unit_names_test_CFLAGS = $(unit_cflags)
tests_unit_names_test_LDADD = $(unit_ldadd)

tests_unit_out_test_SOURCES = tests/unit/out_test.c tests/lsan.c
tests_unit_out_test_CFLAGS = $(unit_cflags) $(CJSON_CFLAGS)
tests_unit_out_test_LDADD = $(unit_ldadd) $(CJSON_LIBS)

tests_unit_utf8_test_SOURCES = tests/unit/utf8_test.c tests/lsan.c
tests_unit_utf8_test_CFLAGS = $(unit_cflags)
tests_unit_utf8_test_LDADD = $(unit_ldadd)

tests_unit_parse_test_SOURCES = tests/unit/parse_test.c tests/lsan.c
tests_unit_parse_test_CFLAGS = $(unit_cflags)
tests_unit_parse_test_LDADD = $(unit_ldadd)

# The sysfs and procfs readers on a fixture tree; the manifest installs
# beside the program, and the build tree's program finds it in the source.
fixture_sources = tests/unit/fixture.c tests/unit/fixture.h
fixture_cppflags = $(AM_CPPFLAGS) -DABS_TOP_SRCDIR='"$(abs_top_srcdir)"'
tests_unit_sysfs_test_SOURCES = tests/unit/sysfs_test.c $(fixture_sources) \
	tests/lsan.c
tests_unit_sysfs_test_CPPFLAGS = $(fixture_cppflags)
tests_unit_sysfs_test_CFLAGS = $(unit_cflags)
tests_unit_sysfs_test_LDADD = $(unit_ldadd)
# The runner's choice of group and device, on the same tree.
tests_unit_target_test_SOURCES = tests/unit/target_test.c $(fixture_sources) \
	tests/lsan.c
tests_unit_target_test_CPPFLAGS = $(fixture_cppflags) \
	-I$(top_srcdir)/src/conformance -I$(top_srcdir)/kmod
tests_unit_target_test_CFLAGS = $(unit_cflags)
tests_unit_target_test_LDADD = src/conformance/libconformance.la $(unit_ldadd)
testsunitfixturesdir = $(testsunitdir)/fixtures
dist_testsunitfixtures_DATA = tests/unit/fixtures/sysfs.tree

# Compared against the kernel headers chosen at configure time; only this
# program sees them.
tests_unit_uapi_layout_test_SOURCES = tests/unit/uapi_layout_test.c tests/lsan.c
tests_unit_uapi_layout_test_CPPFLAGS = $(KERNEL_UAPI_CPPFLAGS) $(AM_CPPFLAGS)
tests_unit_uapi_layout_test_CFLAGS = $(unit_cflags)
tests_unit_uapi_layout_test_LDADD = $(ATF_C_LIBS)

check-local:
	rm -f $(abs_top_builddir)/tests/results.db
	cd $(top_builddir)/tests && \
	$(KYUA) test --kyuafile=$(abs_top_srcdir)/tests/Kyuafile \
		--build-root=$(abs_top_builddir)/tests \
		--results-file=$(abs_top_builddir)/tests/results.db || { \
		$(KYUA) report --results-file=$(abs_top_builddir)/tests/results.db \
			--verbose; exit 1; }

# The installed suite, as a user would run it (make distcheck does).
installcheck-local:
	rm -f $(abs_top_builddir)/tests/installcheck.db
	cd $(testsdir) && \
	$(KYUA) test --results-file=$(abs_top_builddir)/tests/installcheck.db || { \
		$(KYUA) report \
			--results-file=$(abs_top_builddir)/tests/installcheck.db \
			--verbose; exit 1; }

CLEANFILES += tests/results.db tests/installcheck.db

# Program tests: atf-sh scripts that run the built (or installed) iommuctl,
# and a helper that attaches VFIO groups for them. Each script is made of
# common.sh and its own cases, with the interpreter and the install
# locations filled in at make time.
testsiommuctldir = $(testsdir)/iommuctl
testsiommuctl_SCRIPTS = \
	tests/iommuctl/cli_test \
	tests/iommuctl/compat_test \
	tests/iommuctl/kernel_test \
	tests/iommuctl/status_test
testsiommuctl_PROGRAMS = tests/iommuctl/vfio_group_helper
dist_testsiommuctl_DATA = tests/iommuctl/Kyuafile
tests_iommuctl_vfio_group_helper_SOURCES = tests/iommuctl/vfio_group_helper.c

EXTRA_DIST += \
	tests/iommuctl/common.sh \
	tests/iommuctl/cli_test.sh \
	tests/iommuctl/compat_test.sh \
	tests/iommuctl/kernel_test.sh \
	tests/iommuctl/status_test.sh
CLEANFILES += $(testsiommuctl_SCRIPTS)

tests/iommuctl/cli_test: tests/iommuctl/common.sh tests/iommuctl/cli_test.sh Makefile
	$(AM_V_GEN)interp='$(ATF_SH)'; $(make_script)
tests/iommuctl/compat_test: tests/iommuctl/common.sh tests/iommuctl/compat_test.sh Makefile
	$(AM_V_GEN)interp='$(ATF_SH)'; $(make_script)
tests/iommuctl/kernel_test: tests/iommuctl/common.sh tests/iommuctl/kernel_test.sh Makefile
	$(AM_V_GEN)interp='$(ATF_SH)'; $(make_script)
tests/iommuctl/status_test: tests/iommuctl/common.sh tests/iommuctl/status_test.sh Makefile
	$(AM_V_GEN)interp='$(ATF_SH)'; $(make_script)
