# SPDX-License-Identifier: GPL-2.0-or-later
#
# Shared settings of the VM environment scripts; sourced, never run.
# Every guest artefact lives in one cache outside the repo, keyed so that a
# change of kernel version or config fragment can never reuse a stale build.

vm_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
vm_cache=${IOMMUCTL_VM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/iommuctl-vm}

die() {
	echo "${0##*/}: $*" >&2
	exit 1
}

log() {
	echo "${0##*/}: $*" >&2
}

# Debian's ABI name of the stock image: 6.12.117+deb12-amd64, the release
# of the default iommufd kernel, so both guests run the same version.
vm_stock_abi() {
	echo "$(vm_kernel_upstream 6.12)+deb12-amd64"
}

# Bump when build-kernel changes what it produces from the same fragment.
vm_build_recipe=1

# The default iommufd guest kernel, and a field of a kernel's line in
# kernel/versions: package, version or suite.
vm_default_kernel=6.12
vm_kernel_field() {
	local name=$1 field=$2 n p v s
	case "$field" in package) field=2 ;; version) field=3 ;; suite) field=4 ;;
	*) die "vm_kernel_field: no field $field" ;; esac
	while read -r n p v s; do
		case "$n" in ''|'#'*) continue ;; esac
		if [ "$n" = "$name" ]; then
			set -- "$n" "$p" "$v" "$s"
			echo "${!field}"
			return 0
		fi
	done <"$vm_dir/kernel/versions"
	die "no kernel $name in $vm_dir/kernel/versions (known: $(vm_kernel_names | paste -sd ' '))"
}
vm_kernel_names() {
	sed -e '/^#/d' -e '/^[[:space:]]*$/d' -e 's/[[:space:]].*//' "$vm_dir/kernel/versions"
}

# A kernel's upstream version: 6.12.117 (from 6.12.117-1~deb12u1).
vm_kernel_upstream() {
	local v
	v=$(vm_kernel_field "$1" version) || return 1
	if [ "$v" = - ]; then
		v=$(dpkg-query -W -f '${Version}' "$(vm_kernel_field "$1" package)" 2>/dev/null) ||
			die "$(vm_kernel_field "$1" package) is not installed (apt-get install it; see tests/deps/packages)"
	fi
	echo "${v%%-*}"
}

# The fragment files of a kernel, shared first.
# VARIANT "debug" adds kernel/debug.config (KASAN, lockdep, kmemleak,
# fault injection) last.
vm_kernel_fragments() {
	echo "$vm_dir/kernel/iommufd.config"
	[ ! -f "$vm_dir/kernel/iommufd-$1.config" ] ||
		echo "$vm_dir/kernel/iommufd-$1.config"
	[ "${2:-}" != debug ] || echo "$vm_dir/kernel/debug.config"
}

# The cache key of iommufd kernel NAME [VARIANT]: iommufd-6.12.117-SUM or
# iommufd-debug-6.12.117-SUM.
vm_iommufd_key() {
	local name=${1:-$vm_default_kernel} variant=${2:-} sum up
	up=$(vm_kernel_upstream "$name") || return 1
	# shellcheck disable=SC2046
	sum=$( (cat $(vm_kernel_fragments "$name" "$variant"); echo "$vm_build_recipe") |
		sha256sum | cut -c1-12)
	echo "iommufd${variant:+-$variant}-$up-$sum"
}

vm_iommufd_dir() {
	echo "$vm_cache/kernels/$(vm_iommufd_key "${1:-}" "${2:-}")"
}

vm_stock_dir() {
	echo "$vm_cache/kernels/stock-$(vm_stock_abi)"
}

# Corpus traces that need the kernel booted with more words (their
# header's "boot", iommuctl-trace(5)): each distinct set of words, one a
# line, and the traces of the corpus directory DIR that ask for WORDS.
vm_trace_boot_words() {
	jq -r 'select(.type == "header") | .boot // empty' "$1"/*.jsonl | sort -u
}

vm_traces_booted_with() {
	local t
	for t in "$1"/*.jsonl; do
		[ "$(jq -r 'select(.type == "header") | .boot // ""' "$t")" = "$2" ] &&
			echo "$t"
	done
	return 0
}
