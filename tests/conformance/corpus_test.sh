# SPDX-License-Identifier: GPL-2.0-or-later
#
# The trace corpus through the conformance runner in one run, as TAP: one
# test per operation, named TRACE:CASE, the synthetic corpus and the real
# programs' traces (tests/traces/real). Unexpected divergences and unmet
# expectations are "not ok"; known ones pass and carry their evidence in
# TAP comments. (corpus_cases_test and corpus_cases_mdev_test give kyua
# one case per operation.)
#
# corpus_test lets the runner pick the device (a vfio-pci device in the
# VM). corpus_mdev_test is the same script under another name: it loads
# the iommuctl_dmaprobe module when it finds one built for the running
# kernel, creates a DMA-probe mdev and replays on it, so that the device
# DMA steps run; it removes what it made.
corpus_here=$(cd "$(dirname "$0")" && pwd -P)
. "$corpus_here/corpus-env.sh"

run() {
	"$runner" run --tap --registry "$registry" "$@" "$traces"/*.jsonl \
		"$traces"/real/*.jsonl
}

if [ "$(basename "$0")" != corpus_mdev_test ]; then
	run
	exit
fi

if ! mdev_setup; then
	echo "1..0 # SKIP $mdev_why"
	exit 0
fi
run --mdev "$mdev_uuid"
status=$?
mdev_teardown
exit $status
