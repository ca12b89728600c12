# SPDX-License-Identifier: GPL-2.0-or-later
#
# corpus-replay MODE BUDGET RUNNER REGISTRY TAP ERR [--case ID] TRACE
#
# One replay for the per-op corpus cases (corpus_cases_test.c): `RUNNER
# run --tap --registry REGISTRY [--case ID] TRACE`, its TAP in TAP and its
# stderr in ERR, within BUDGET seconds (0: no limit of its own). MODE
# "mdev" loads the DMA-probe module unless it is loaded, creates one mdev
# for the replay (--mdev) and removes both afterwards; "device" lets the
# runner choose. The exit status is the runner's, 124 when it ran out of
# time, or 77 with the reason in ERR when no mdev could be made.
case $0 in
*/*) corpus_here=${0%/*} ;;
*) corpus_here=. ;;
esac
corpus_cwd=$PWD
cd -P "$corpus_here" && corpus_here=$PWD && cd "$corpus_cwd" || exit 2
. "$corpus_here/corpus-env.sh"

if [ $# -lt 7 ]; then
	echo "usage: ${0##*/} MODE BUDGET RUNNER REGISTRY TAP ERR [--case ID] TRACE" >&2
	exit 2
fi
mode=$1 budget=$2 runner=$3 registry=$4 tap=$5 err=$6
shift 6
case $mode in
device) ;;
mdev)
	if ! mdev_setup; then
		echo "$mdev_why" >"$err"
		exit 77
	fi
	set -- --mdev "$mdev_uuid" "$@"
	;;
*) echo "${0##*/}: MODE is device or mdev, not $mode" >&2; exit 2 ;;
esac
if [ "$budget" -gt 0 ]; then
	timeout -k 10 "$budget" "$runner" run --tap --registry "$registry" \
		"$@" >"$tap" 2>"$err"
else
	"$runner" run --tap --registry "$registry" "$@" >"$tap" 2>"$err"
fi
status=$?
[ "$mode" != mdev ] || mdev_teardown
exit $status
