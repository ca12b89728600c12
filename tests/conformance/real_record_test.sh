# SPDX-License-Identifier: GPL-2.0-or-later
#
# The recorder on real programs, live: QEMU 7.2 with a vfio-pci device and
# DPDK's testpmd, each recorded on the type1 container and on iommufd
# (/dev/iommu bound over /dev/vfio/vfio), by the same script that made
# the committed traces (tests/traces/real/guest-record). Each case checks
# that both recordings were made and validate, that the program asked the
# same of both containers (the same ops in the same order), that the type1
# recording asks what the committed trace asks, and that its replay on
# type1, iommufd and iommufd-nodev has no unexpected divergence.
#
# Runs in the iommufd guest; the scripts are in the source tree only, so
# the installed suite skips it.
here=$(cd "$(dirname "$0")" && pwd -P)
case $here in
"@abs_top_builddir@"/*)
	runner="@abs_top_builddir@/src/conformance/iommuctl-conformance"
	real="@abs_top_srcdir@/tests/traces/real"
	;;
*)
	runner= real=
	;;
esac

# The op sequence of a trace: what was asked, not what came back.
ops() {
	jq -r 'select(.type == "op") | "\(.op) \(.fd // "-") \(.request // "-") \(.iommu_type // .extension // "-")"' "$1"
}

record_case() {
	local w=$1 name=$2 unexpected
	[ -n "$real" ] || atf_skip "the real-workload scripts are in the source tree only"
	export ICTL_CONFORMANCE=$runner
	mkdir out
	if ! "$real/guest-record" "$PWD/out" "$w" >record.log 2>&1; then
		cat record.log
		atf_fail "guest-record $w failed (above)"
	fi
	cat record.log
	for b in type1 iommufd; do
		atf_check -o ignore "$runner" validate "out/$name.$b.jsonl"
	done
	ops "out/$name.type1.jsonl" >type1.ops
	ops "out/$name.iommufd.jsonl" >iommufd.ops
	atf_check -o empty diff -u type1.ops iommufd.ops
	ops "$real/$name.jsonl" >committed.ops
	ops "out/$name.jsonl" >fresh.ops
	atf_check -o empty diff -u committed.ops fresh.ops
	unexpected=$(jq -r '.summary["unexpected-divergence"]' "out/$name.replay.json")
	if [ "$unexpected" != 0 ]; then
		cat "out/$name.replay.txt"
		atf_fail "$unexpected unexpected divergences replaying $name"
	fi
}

atf_test_case qemu
qemu_head() {
	atf_set descr "QEMU 7.2 with vfio-pci, recorded on type1 and iommufd"
	atf_set require.files /dev/iommu /dev/vfio/vfio
	atf_set require.progs qemu-system-x86_64 jq python3
	atf_set require.user root
	atf_set timeout 600
}
qemu_body() {
	record_case qemu qemu-7.2-vfio-pci
}

atf_test_case dpdk
dpdk_head() {
	atf_set descr "DPDK 22.11 testpmd, recorded on type1 and iommufd"
	atf_set require.files /dev/iommu /dev/vfio/vfio
	atf_set require.progs dpdk-testpmd jq python3
	atf_set require.user root
	atf_set timeout 600
}
dpdk_body() {
	record_case dpdk dpdk-22.11-testpmd
}

atf_init_test_cases() {
	atf_add_test_case qemu
	atf_add_test_case dpdk
}
