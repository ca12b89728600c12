# SPDX-License-Identifier: GPL-2.0-or-later
#
# The VFIO container view of two backends side by side: the legacy type1
# container (/dev/vfio/vfio) and iommufd's compat layer (/dev/iommu), each
# with a real VFIO group attached by vfio_group_helper, the way a VFIO
# application sets them up. Needs a viable group (the VM tier binds NICs
# to vfio-pci); skips with the reason otherwise.

# Head of a test that needs a group: FILES are the devices it opens.
ic_group_head()
{
	atf_set "require.user" "root"
	atf_set "require.progs" "jq"
	atf_set "require.files" "$1"
}

# Run iommuctl ARGS with CONTAINER set up with the first usable group,
# VFIO_SET_IOMMU TYPE (0: skip); @FD@ in ARGS is the container fd.
with_group()
{
	_container=$1 _type=$2
	shift 2
	for _group in /dev/vfio/[0-9]*; do
		[ -e "$_group" ] || break
		"$HELPER" "$_container" "$_group" "$_type" "$IOMMUCTL" "$@"
		_rc=$?
		[ $_rc = 77 ] || return $_rc
	done
	atf_skip "no usable VFIO group in /dev/vfio (bind a device to vfio-pci)"
}

# Object shapes of a JSON document: for each object, its path (array
# indices as []) and its keys, one line each.
shapes()
{
	jq -r '. as $d | [paths(type == "object")] + [[]] | .[] as $p |
		"\($p | map(if type == "number" then "[]" else . end) | join("."))\t\($d | getpath($p) | keys | join(","))"' "$1" |
		LC_ALL=C sort -u
}

atf_test_case type1_info
type1_info_head()
{
	ic_group_head /dev/vfio/vfio
	atf_set "descr" "compat info on a type1 container with a group attached"
}
type1_info_body()
{
	ic_paths
	with_group /dev/vfio/vfio 3 -j --fd @FD@ compat info >type1.json ||
		atf_fail "iommuctl failed on the type1 container"
	ic_one_doc type1.json
	ic_jq '.fd.kind == "vfio" and .api_version == 0' type1.json
	ic_jq '.iommu_info_error == null and .iommu_info.chain_error == null' type1.json
	ic_jq '.extensions[] | select(.name == "TYPE1v2_IOMMU") | .value == 1' type1.json
	ic_jq '[.iommu_info.caps[].name] | index("IOVA_RANGE") != null' type1.json
	ic_jq '.iommu_info.iova_ranges | length > 0' type1.json
	ic_jq '.iommu_info.dma_avail | type == "number"' type1.json
}

atf_test_case iommufd_info
iommufd_info_head()
{
	ic_group_head "/dev/vfio/vfio /dev/iommu"
	atf_set "descr" "compat info on /dev/iommu used as the container of a group"
}
iommufd_info_body()
{
	ic_paths
	with_group /dev/iommu 3 -j --fd @FD@ compat info >iommufd.json ||
		atf_fail "iommuctl failed on the iommufd container"
	ic_jq '.fd.kind == "iommufd" and .iommu_info_error == null' iommufd.json
	ic_jq '.iommu_info.chain_error == null and .iommu_info.iova_ranges != null' iommufd.json
	# Attaching the group created the compat IOAS on its own.
	with_group /dev/iommu 0 -j --fd @FD@ ioas get >get.json ||
		atf_fail "no compat IOAS after VFIO_GROUP_SET_CONTAINER"
	ic_jq '.ioas_id | type == "number"' get.json
}

atf_test_case same_shape
same_shape_head()
{
	ic_group_head "/dev/vfio/vfio /dev/iommu"
	atf_set "descr" "compat info has the same JSON shape on type1 and on iommufd"
}
same_shape_body()
{
	ic_paths
	with_group /dev/vfio/vfio 3 -j --fd @FD@ compat info >type1.json ||
		atf_fail "type1 run failed"
	with_group /dev/iommu 3 -j --fd @FD@ compat info >iommufd.json ||
		atf_fail "iommufd run failed"
	shapes type1.json >type1.shape
	shapes iommufd.json >iommufd.shape
	# Objects that exist on both sides have the same keys; the ones only
	# one side has (migration: null on iommufd) sit under keys both have.
	LC_ALL=C join -t "$(printf '\t')" type1.shape iommufd.shape >both
	awk -F '\t' '$2 != $3' both >differ
	atf_check -o empty cat differ
	for key in "" fd iommu_info extensions.[] iommu_info.caps.[] iommu_info.iova_ranges.[]; do
		awk -F '\t' -v k="$key" '$1 == k { found = 1 } END { exit !found }' both ||
			atf_fail "object '$key' missing on one side"
	done
}

atf_test_case geometry_parity
geometry_parity_head()
{
	ic_group_head "/dev/vfio/vfio /dev/iommu"
	atf_set "descr" "With the same device attached, both backends report the same page sizes and IOVA ranges"
}
geometry_parity_body()
{
	ic_paths
	with_group /dev/vfio/vfio 3 -j --fd @FD@ compat info >type1.json ||
		atf_fail "type1 run failed"
	with_group /dev/iommu 3 -j --fd @FD@ compat info >iommufd.json ||
		atf_fail "iommufd run failed"
	for key in iova_pgsizes page_sizes iova_ranges; do
		jq -S ".iommu_info.$key" type1.json >t
		jq -S ".iommu_info.$key" iommufd.json >i
		atf_check -o empty diff t i
	done
}

atf_test_case native_ranges
native_ranges_head()
{
	ic_group_head "/dev/vfio/vfio /dev/iommu"
	atf_set "descr" "With a device attached, ioas ranges on the compat IOAS matches what GET_INFO reports"
}
native_ranges_body()
{
	ic_paths
	printf 'ioas get\ncompat info\n' >cmds
	with_group /dev/iommu 3 -j --fd @FD@ -b "$PWD/cmds" >out.json ||
		atf_fail "iommufd run failed"
	id=$(ic_jv '.[0].ioas_id' out.json)
	with_group /dev/iommu 3 -j --fd @FD@ ioas ranges "$id" >ranges.json ||
		atf_fail "ioas ranges failed"
	# A device leaves holes (the MSI window on x86): more than one range.
	ic_jq '.ranges | length > 1' ranges.json
	jq -S '.ranges' ranges.json >native
	jq -S '.[1].iommu_info.iova_ranges' out.json >compat
	atf_check -o empty diff native compat
}

atf_test_case map_parity
map_parity_head()
{
	ic_group_head "/dev/vfio/vfio /dev/iommu"
	atf_set "descr" "The same compat map/unmap batch gives the same results on type1 and iommufd"
}
map_parity_body()
{
	ic_paths
	cat >maps <<'BATCH'
compat map 0x100000+64K
compat map 0x200000+8K --prot r
compat unmap 0x100000+64K
compat unmap 0x300000+4K
compat map 0x100000+4K
compat unmap all
BATCH
	with_group /dev/vfio/vfio 3 -j --fd @FD@ -b "$PWD/maps" >type1.json ||
		atf_fail "type1 run failed"
	with_group /dev/iommu 3 -j --fd @FD@ -b "$PWD/maps" >iommufd.json ||
		atf_fail "iommufd run failed"
	ic_jq 'length == 6' type1.json
	# Everything but the addresses of our own memory must agree.
	jq -S 'map(del(.vaddr))' type1.json >t
	jq -S 'map(del(.vaddr))' iommufd.json >i
	atf_check -o empty diff t i
}

atf_test_case bare_container
bare_container_head()
{
	atf_set "require.user" "root"
	atf_set "require.progs" "jq"
	atf_set "require.files" "/dev/vfio/vfio"
	atf_set "descr" "A legacy container without a group: no IOMMU info, no iommufd ioctls"
}
bare_container_body()
{
	ic_paths
	atf_check -o save:info.json "$IOMMUCTL" -j --device /dev/vfio/vfio compat info
	ic_jq '.api_version == 0 and .iommu_info == null' info.json
	ic_jq '.iommu_info_error | .ioctl == "VFIO_IOMMU_GET_INFO" and .errno == "EINVAL"' info.json
	ic_jq '.iommu_info_error.hint | test("VFIO_SET_IOMMU")' info.json
	atf_check -s exit:1 -o empty -e save:err "$IOMMUCTL" --device /dev/vfio/vfio ioas create
	atf_check -o ignore grep "IOMMU_IOAS_ALLOC: Invalid argument (EINVAL)" err
	atf_check -o ignore grep "is a VFIO container, which does not serve iommufd ioctls" err
}

atf_init_test_cases()
{
	atf_add_test_case type1_info
	atf_add_test_case iommufd_info
	atf_add_test_case same_shape
	atf_add_test_case geometry_parity
	atf_add_test_case native_ranges
	atf_add_test_case map_parity
	atf_add_test_case bare_container
}
