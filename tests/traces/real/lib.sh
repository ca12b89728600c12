# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# Shared by the workload drivers of tests/traces/real; sourced, never run.
# Runs a program on the chosen VFIO backend, optionally under the recorder.

real_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top_dir=$(cd "$real_dir/../../.." && pwd)
conformance=${ICTL_CONFORMANCE:-$top_dir/build/src/conformance/iommuctl-conformance}

die() {
	echo "${0##*/}: $*" >&2
	exit 1
}

say() {
	echo "${0##*/}: $*"
}

# The first VFIO device of the guest, unless one was named.
default_bdf() {
	local d=${ICTL_VM_VFIO_DEVICES%% *}
	[ -n "$d" ] || die "no device named and \$ICTL_VM_VFIO_DEVICES is empty (run in the VM: tests/vm/run)"
	echo "$d"
}

check_backend() {
	case "$1" in
	type1) [ -c /dev/vfio/vfio ] || die "no /dev/vfio/vfio (type1 container) here" ;;
	iommufd)
		[ -c /dev/iommu ] || die "no /dev/iommu here (kernel without CONFIG_IOMMUFD)"
		[ -e /dev/vfio/vfio ] || die "no /dev/vfio/vfio to bind /dev/iommu over"
		;;
	*) die "backend must be type1 or iommufd, not $1" ;;
	esac
}

# on_backend BACKEND CMD ARGS...: exec CMD with /dev/vfio/vfio being the
# legacy container (type1) or iommufd (iommufd). For iommufd, /dev/iommu is
# bind-mounted over /dev/vfio/vfio in a private mount namespace, so the
# program opens the path it always opens and reaches iommufd's compat layer
# without a change; the rest of the guest keeps the legacy container.
# It replaces the calling shell, so that the caller's $! (or a signal to
# it) is the program itself: call it in a subshell.
on_backend() {
	local backend=$1
	shift
	if [ "$backend" = type1 ]; then
		exec "$@"
	fi
	exec unshare --mount --propagation private -- bash -c \
		'mount --bind /dev/iommu /dev/vfio/vfio || exit 125; exec "$@"' on-iommufd "$@"
}

# set_recorder TRACE: the words that put a program under the recorder,
# into the array "recorder" (empty when TRACE is empty); the drivers use it.
# shellcheck disable=SC2034
recorder=()
set_recorder() {
	recorder=()
	[ -n "$1" ] || return 0
	[ -x "$conformance" ] || die "$conformance not built (make -C build) or set \$ICTL_CONFORMANCE"
	# shellcheck disable=SC2034
	recorder=("$conformance" record -o "$1" --)
}
