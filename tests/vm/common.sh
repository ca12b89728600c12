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

# The kernel version both guests run: the one of Debian's linux-source-6.12
# package, so the iommufd kernel and the stock kernel are the same release.
vm_debian_version() {
	dpkg-query -W -f '${Version}' linux-source-6.12 2>/dev/null ||
		die "linux-source-6.12 is not installed (apt-get install linux-source-6.12)"
}

# 6.12.117-1~deb12u1 -> 6.12.117
vm_upstream_version() {
	local v
	v=$(vm_debian_version) || return 1
	echo "${v%%-*}"
}

# Debian's ABI name of the stock image: 6.12.117+deb12-amd64
vm_stock_abi() {
	echo "$(vm_upstream_version)+deb12-amd64"
}

# Bump when build-kernel changes what it produces from the same fragment.
vm_build_recipe=1

vm_iommufd_key() {
	local sum
	sum=$( (cat "$vm_dir/kernel/iommufd.config"; echo "$vm_build_recipe") |
		sha256sum | cut -c1-12)
	echo "iommufd-$(vm_upstream_version)-$sum"
}

vm_iommufd_dir() {
	echo "$vm_cache/kernels/$(vm_iommufd_key)"
}

vm_stock_dir() {
	echo "$vm_cache/kernels/stock-$(vm_stock_abi)"
}
