# SPDX-License-Identifier: GPL-2.0-or-later
#
# The trace corpus through the conformance runner, as TAP: one test per
# operation, named TRACE:CASE. Unexpected divergences and unmet
# expectations are "not ok"; known ones pass and carry their evidence in
# TAP comments.
#
# corpus_test lets the runner pick the device (a vfio-pci device in the
# VM). corpus_mdev_test is the same script under another name: it loads
# the iommuctl_dmaprobe module when it finds one built for the running
# kernel, creates a DMA-probe mdev and replays on it, so that the device
# DMA steps run; it removes what it made.
#
# Run from the build tree (make check) it uses the built runner, the
# source tree's corpus and registry; installed, the installed ones.
here=$(cd "$(dirname "$0")" && pwd -P)
case $here in
"@abs_top_builddir@"/*)
	build=true
	runner="@abs_top_builddir@/src/conformance/iommuctl-conformance"
	traces="@abs_top_srcdir@/tests/traces"
	registry="@abs_top_srcdir@/src/conformance/known-divergences.json"
	;;
*)
	build=false
	runner="@sbindir@/iommuctl-conformance"
	traces="@pkgdatadir@/traces"
	registry="@pkgdatadir@/known-divergences.json"
	;;
esac
run() {
	"$runner" run --tap --registry "$registry" "$@" "$traces"/*.jsonl
}

if [ "$(basename "$0")" != corpus_mdev_test ]; then
	run
	exit
fi

module=iommuctl_dmaprobe
types=/sys/class/mdev_bus/$module/mdev_supported_types/$module-dma
release=$(uname -r)
skip() {
	echo "1..0 # SKIP $*"
	exit 0
}

# The module file, as tests/kmod looks for it: $IOMMUCTL_DMAPROBE_KO,
# then the build tree, then an installed copy (modprobe).
ko=
if [ -n "$IOMMUCTL_DMAPROBE_KO" ]; then
	ko=$IOMMUCTL_DMAPROBE_KO
	[ -d "$ko" ] && ko=$ko/$release/$module.ko
elif $build; then
	for f in "@abs_top_builddir@/kmod-builds/$release/$module.ko" \
		"@abs_top_builddir@/kmod/$module.ko"; do
		if [ -f "$f" ] &&
			[ "$(modinfo -F vermagic "$f" 2>/dev/null | cut -d' ' -f1)" = "$release" ]; then
			ko=$f
			break
		fi
	done
fi

loaded=false
if [ ! -d /sys/module/$module ]; then
	if [ -n "$ko" ]; then
		for dep in $(modinfo -F depends "$ko" | tr , ' '); do
			modprobe -q "$dep"
		done
		insmod "$ko" 2>/dev/null || skip "cannot load $ko"
	else
		modprobe -q $module 2>/dev/null ||
			skip "no $module module built for $release"
	fi
	loaded=true
fi

uuid=$(cat /proc/sys/kernel/random/uuid)
if ! echo "$uuid" >"$types/create" 2>/dev/null; then
	$loaded && rmmod $module 2>/dev/null
	skip "cannot create a DMA-probe mdev in $types"
fi
run --mdev "$uuid"
status=$?
echo 1 >/sys/bus/mdev/devices/"$uuid"/remove
# Leaving the module loaded is harmless; the kmod tests reload it anyway.
$loaded && rmmod $module 2>/dev/null
exit $status
