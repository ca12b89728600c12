# SPDX-License-Identifier: GPL-2.0-or-later
#
# iommuctl-conformance: the trace reader and the replay engine go into a
# convenience library so that the unit tests drive them directly.

noinst_LTLIBRARIES += src/conformance/libconformance.la

src_conformance_libconformance_la_SOURCES = \
	src/conformance/dirty-bits.c \
	src/conformance/dirty-bits.h \
	src/conformance/field.c \
	src/conformance/field.h \
	src/conformance/judge.c \
	src/conformance/judge.h \
	src/conformance/registry.c \
	src/conformance/registry.h \
	src/conformance/native.c \
	src/conformance/replay-mem.c \
	src/conformance/replay-peer.c \
	src/conformance/replay-pass.c \
	src/conformance/replay.c \
	src/conformance/replay.h \
	src/conformance/situation.c \
	src/conformance/situation.h \
	src/conformance/target.c \
	src/conformance/target.h \
	src/conformance/timing-html.c \
	src/conformance/timing-json.c \
	src/conformance/timing-mem.c \
	src/conformance/timing-mem.h \
	src/conformance/timing-model.c \
	src/conformance/timing-stats.c \
	src/conformance/timing-svg.c \
	src/conformance/timing-svg.h \
	src/conformance/timing-text.c \
	src/conformance/timing.c \
	src/conformance/timing.h \
	src/conformance/trace-model.c \
	src/conformance/trace-model.h \
	src/conformance/trace.c \
	src/conformance/trace.h
src_conformance_libconformance_la_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(top_srcdir)/kmod
src_conformance_libconformance_la_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS)
src_conformance_libconformance_la_LIBADD = src/lib/libiommuctl.la \
	$(CJSON_LIBS) $(LIBM)

sbin_PROGRAMS += src/conformance/iommuctl-conformance

# main.c is the command line; list.c validate and list; run.c the replay
# loop; one report-*.c per format over report.h's model; cmd-timing.c
# the timing command (its measuring and renderers are in the library).
src_conformance_iommuctl_conformance_SOURCES = src/conformance/main.c \
	src/conformance/cmd-timing.c \
	src/conformance/commands.h \
	src/conformance/diff.c src/conformance/diff.h \
	src/conformance/list.c \
	src/conformance/output-errors.c \
	src/conformance/outputs.c src/conformance/outputs.h \
	src/conformance/report.c src/conformance/report.h \
	src/conformance/report-html.c \
	src/conformance/report-json.c \
	src/conformance/report-tap.c \
	src/conformance/report-text.c \
	src/conformance/run.c src/conformance/run.h
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
	src/conformance/timing.schema.json \
	src/conformance/trace.schema.json

dist_man_MANS += man/iommuctl-conformance.8 man/iommuctl-trace.5

# The corpus, installed for the installed suite and for users.
conformancetracesdir = $(pkgdatadir)/traces
dist_conformancetraces_DATA = \
	tests/traces/compat_ioas.jsonl \
	tests/traces/detach_busy.jsonl \
	tests/traces/device.jsonl \
	tests/traces/device_v1.jsonl \
	tests/traces/dirty.jsonl \
	tests/traces/dirty_device.jsonl \
	tests/traces/dma.jsonl \
	tests/traces/dma_entry_limit.jsonl \
	tests/traces/edges.jsonl \
	tests/traces/extensions.jsonl \
	tests/traces/get_info.jsonl \
	tests/traces/hugetlb.jsonl \
	tests/traces/map.jsonl \
	tests/traces/memlock.jsonl \
	tests/traces/memlock_mm.jsonl \
	tests/traces/open_before_set.jsonl \
	tests/traces/raw.jsonl \
	tests/traces/rejoin.jsonl \
	tests/traces/rejoin_close.jsonl \
	tests/traces/set_iommu.jsonl \
	tests/traces/set_iommu_nesting.jsonl \
	tests/traces/unmap_part_way.jsonl \
	tests/traces/unmap_v1.jsonl \
	tests/traces/unmap_v2.jsonl \
	tests/traces/v1_huge.jsonl \
	tests/traces/v1_pinned_cut.jsonl \
	tests/traces/vaddr.jsonl \
	tests/traces/vaddr_device.jsonl

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
