# SPDX-License-Identifier: GPL-2.0-or-later
#
# iommuctl against a kernel with iommufd: the native IOAS ioctls, the
# compat IOAS and the VFIO container view of /dev/iommu. Runs for real in
# the VM tier; skips with the reason anywhere without /dev/iommu.
#
# Batch files name IOAS IDs in advance: on a fresh file the kernel hands
# out the lowest free ID from 1, which each test checks before relying
# on it.

ic_kernel_head()
{
	atf_set "require.files" "/dev/iommu"
	atf_set "require.user" "root"
	atf_set "require.progs" "jq"
}

# jq helper: a "0x..." string as a number (exact below 2^53, ordered above).
HEX='def hex: ltrimstr("0x") | ascii_downcase | explode | reduce .[] as $c (0; . * 16 + (if $c >= 97 then $c - 87 else $c - 48 end));'

# Run a batch given on stdin as JSON; save the array to FILE; expect STATUS.
batch()
{
	_file=$1 _status=$2
	shift 2
	atf_check -s exit:"$_status" -o save:"$_file" -e save:"$_file.err" \
		"$IOMMUCTL" -j "$@" -b -
	ic_one_doc "$_file"
}

atf_test_case compat_ioas_lifecycle
compat_ioas_lifecycle_head()
{
	ic_kernel_head
	atf_set "descr" "ioas create, set, get, clear, destroy across invocations on one inherited fd"
}
compat_ioas_lifecycle_body()
{
	ic_paths
	exec 3<>/dev/iommu
	atf_check -o save:create.json -e empty "$IOMMUCTL" -j --fd 3 ioas create
	ic_one_doc create.json
	ic_jq '.ioas_id | type == "number"' create.json
	id=$(ic_jv .ioas_id create.json)

	atf_check -o save:set.json "$IOMMUCTL" -j --fd 3 ioas set "$id"
	ic_jq ".ioas_id == $id" set.json
	atf_check -o save:get.json "$IOMMUCTL" -j --fd 3 ioas get
	ic_jq ".ioas_id == $id" get.json
	atf_check -o inline:"ioas_id: $id\n" "$IOMMUCTL" --fd 3 ioas get

	atf_check -o save:clear.json "$IOMMUCTL" -j --fd 3 ioas clear
	ic_jq '. == {"ioas_id": null}' clear.json
	atf_check -s exit:1 -o save:get2.json -e save:get2.err \
		"$IOMMUCTL" -j --fd 3 ioas get
	ic_jq '.error.ioctl == "IOMMU_VFIO_IOAS" and .error.errno == "ENODEV" and .error.kind == "kernel"' get2.json
	ic_jq '.error.hint == "no compat IOAS is set"' get2.json
	atf_check -o ignore grep "hint: no compat IOAS is set" get2.err

	# CLEAR leaves the IOAS itself alone.
	atf_check -o ignore "$IOMMUCTL" --fd 3 ioas set "$id"
	atf_check -o save:destroy.json "$IOMMUCTL" -j --fd 3 ioas destroy "$id"
	ic_jq ".ioas_id == $id" destroy.json
	atf_check -s exit:1 -o save:destroy2.json -e ignore \
		"$IOMMUCTL" -j --fd 3 ioas destroy "$id"
	ic_jq '.error.ioctl == "IOMMU_DESTROY" and .error.errno == "ENOENT"' destroy2.json
	exec 3>&-
}

atf_test_case objects_die_with_fd
objects_die_with_fd_head()
{
	ic_kernel_head
	atf_set "descr" "An IOAS made by one invocation is gone in the next, and the hint says why"
}
objects_die_with_fd_body()
{
	ic_paths
	atf_check -o save:create.json "$IOMMUCTL" -j ioas create
	id=$(ic_jv .ioas_id create.json)
	atf_check -s exit:1 -o empty -e save:err "$IOMMUCTL" ioas destroy "$id"
	atf_check -o ignore grep "IOMMU_DESTROY: No such file or directory (ENOENT)" err
	atf_check -o ignore grep "objects die with the fd" err
}

atf_test_case compat_get_unset
compat_get_unset_head()
{
	ic_kernel_head
	atf_set "descr" "GET with no compat IOAS set fails with ENODEV and the hint; SET of a bad ID with ENOENT"
}
compat_get_unset_body()
{
	ic_paths
	atf_check -s exit:1 -o empty -e save:err "$IOMMUCTL" ioas get
	atf_check -o ignore grep "ioas get: IOMMU_VFIO_IOAS: No such device (ENODEV)" err
	atf_check -o ignore grep "hint: no compat IOAS is set" err
	atf_check -s exit:1 -o save:set.json -e ignore "$IOMMUCTL" -j ioas set 4242
	ic_jq '.error.ioctl == "IOMMU_VFIO_IOAS" and .error.errno == "ENOENT"' set.json
}

atf_test_case ranges_and_allow
ranges_and_allow_head()
{
	ic_kernel_head
	atf_set "descr" "ioas ranges and allow; automatic IOVAs land in the allowed ranges"
}
ranges_and_allow_body()
{
	ic_paths
	batch out.json 0 <<'BATCH'
ioas create
ioas ranges 1
ioas allow 1 0x100000-0x1fffffff 0x40000000+1G
ioas map 1 64K
ioas ranges 1
ioas allow 1
BATCH
	ic_jq '.[0].ioas_id == 1' out.json
	ic_jq '.[1].ranges | type == "array" and length > 0' out.json
	ic_jq "$HEX"' .[1].ranges | all(.[]; (.start | hex) <= (.last | hex))' out.json
	ic_jq '.[1].iova_alignment | test("^0x[0-9a-f]+$")' out.json
	ic_jq '.[2].allowed == [{"start": "0x100000", "last": "0x1fffffff"},
	                        {"start": "0x40000000", "last": "0x7fffffff"}]' out.json
	ic_jq "$HEX"' .[3] | (.iova | hex) as $i | (.length | hex) as $l |
		($i >= 1048576 and $i + $l - 1 <= 536870911) or
		($i >= 1073741824 and $i + $l - 1 <= 2147483647)' out.json
	ic_jq '.[5].allowed == []' out.json

	# The kernel wants start below last: a one-byte range is refused.
	batch bad.json 1 <<'BATCH'
ioas create
ioas allow 1 5-5
BATCH
	ic_jq '.[1].error.ioctl == "IOMMU_IOAS_ALLOW_IOVAS" and .[1].error.errno == "EINVAL" and .[1].error.line == 2' bad.json
}

atf_test_case map_unmap
map_unmap_head()
{
	ic_kernel_head
	atf_set "descr" "ioas map and unmap round trips in one batch"
}
map_unmap_body()
{
	ic_paths
	batch out.json 0 <<'BATCH'
ioas create
ioas map 1 64K --iova 0x100000
ioas map 1 8K
ioas map 1 4K --iova 0x200000 --prot r
ioas unmap 1 0x100000+64K
ioas unmap 1 all
ioas unmap 1 all
BATCH
	ic_jq 'length == 7' out.json
	ic_jq '.[1].iova == "0x100000" and .[1].length == "0x10000"' out.json
	ic_jq '.[1].flags == ["FIXED_IOVA", "WRITEABLE", "READABLE"]' out.json
	ic_jq '.[2].flags == ["WRITEABLE", "READABLE"] and .[2].length == "0x2000"' out.json
	ic_jq '.[3].flags == ["FIXED_IOVA", "READABLE"]' out.json
	ic_jq '[.[1,2,3].user_va] | unique | length == 3' out.json
	ic_jq '.[4].unmapped == .[1].length and .[4].iova == "0x100000"' out.json
	ic_jq "$HEX"' (.[5].unmapped | hex) == (.[2].length | hex) + (.[3].length | hex)' out.json
	ic_jq '.[5].iova == "0x0" and .[5].length == "0xffffffffffffffff"' out.json
	# Unmapping everything from an empty IOAS succeeds with nothing done.
	ic_jq '.[6].unmapped == "0x0"' out.json

	# Text mode shows the same facts.
	printf 'ioas create\nioas map 1 4K --iova 0x300000\n' |
		atf_check -o save:out.txt "$IOMMUCTL" -b -
	atf_check -o ignore grep -x "iova: 0x300000" out.txt
	atf_check -o ignore grep -x "length: 0x1000" out.txt
}

atf_test_case hugepages
hugepages_head()
{
	ic_kernel_head
	atf_set "descr" "ioas map --hugepages maps memory from reserved huge pages"
}
hugepages_body()
{
	ic_paths
	[ "$(cat /proc/sys/vm/nr_hugepages)" -gt 0 ] ||
		atf_skip "no huge pages reserved (/proc/sys/vm/nr_hugepages is 0)"
	size=$(awk '/^Hugepagesize:/ { print $2 "K" }' /proc/meminfo)
	printf 'ioas create\nioas map 1 %s --hugepages\n' "$size" |
		atf_check -o save:out.json "$IOMMUCTL" -j -b -
	ic_jq '.[1].flags == ["WRITEABLE", "READABLE"]' out.json
}

atf_test_case hugepages_none cleanup
hugepages_none_head()
{
	ic_kernel_head
	atf_set "descr" "ioas map --hugepages without reserved huge pages fails before any ioctl, with a hint"
}
hugepages_none_body()
{
	ic_paths
	[ -w /proc/sys/vm/nr_hugepages ] || atf_skip "cannot change nr_hugepages"
	cat /proc/sys/vm/nr_hugepages >saved
	echo 0 >/proc/sys/vm/nr_hugepages
	[ "$(cat /proc/sys/vm/nr_hugepages)" = 0 ] ||
		atf_skip "huge pages are in use elsewhere: cannot release them"
	size=$(awk '/^Hugepagesize:/ { print $2 "K" }' /proc/meminfo)
	printf 'ioas create\nioas map 1 %s --hugepages\n' "$size" |
		atf_check -s exit:1 -o save:out.json -e save:err "$IOMMUCTL" -j -b -
	ic_jq '.[1].error | .ioctl == null and .errno == "ENOMEM" and .kind == "kernel"' out.json
	atf_check -o ignore grep "hint: huge pages must be reserved (/proc/sys/vm/nr_hugepages)" err
}
hugepages_none_cleanup()
{
	[ -f saved ] && cat saved >/proc/sys/vm/nr_hugepages
	:
}

atf_test_case map_errors
map_errors_head()
{
	ic_kernel_head
	atf_set "descr" "Unmapping nothing, mapping twice, partial unmaps: the kernel's errnos, with hints"
}
map_errors_body()
{
	ic_paths
	batch nothing.json 1 <<'BATCH'
ioas create
ioas unmap 1 0x100000+4K
BATCH
	ic_jq '.[1].error.ioctl == "IOMMU_IOAS_UNMAP" and .[1].error.errno == "ENOENT"' nothing.json
	ic_jq '.[1].error.hint | test("nothing is mapped")' nothing.json
	atf_check -o ignore grep "batch stopped at line 2" nothing.json.err

	batch twice.json 1 <<'BATCH'
ioas create
ioas map 1 64K --iova 0x100000
ioas map 1 4K --iova 0x108000
BATCH
	ic_jq '.[2].error.ioctl == "IOMMU_IOAS_MAP" and .[2].error.errno == "EEXIST"' twice.json
	ic_jq '.[2].error.hint | test("already mapped")' twice.json

	# Unmap must cover whole mappings.
	batch partial.json 1 <<'BATCH'
ioas create
ioas map 1 64K --iova 0x100000
ioas unmap 1 0x100000+4K
BATCH
	ic_jq '.[2].error.ioctl == "IOMMU_IOAS_UNMAP" and .[2].error.errno == "ENOENT"' partial.json

	batch noioas.json 1 <<'BATCH'
ioas map 77 4K
BATCH
	ic_jq '.[0].error.errno == "ENOENT" and .[0].error.hint == "no such object in this fd"' noioas.json
}

atf_test_case copy
copy_head()
{
	ic_kernel_head
	atf_set "descr" "ioas copy of an existing mapping, fixed and automatic, and of a partial range"
}
copy_body()
{
	ic_paths
	batch out.json 0 <<'BATCH'
ioas create
ioas create
ioas map 1 64K --iova 0x100000
ioas copy 2 1 0x100000+64K --iova 0x300000
ioas copy 2 1 0x100000-0x10ffff --prot r
ioas unmap 2 all
ioas unmap 1 all
BATCH
	ic_jq '.[0].ioas_id == 1 and .[1].ioas_id == 2' out.json
	ic_jq '.[3] | .dst_ioas_id == 2 and .src_ioas_id == 1 and .dst_iova == "0x300000" and .length == "0x10000"' out.json
	ic_jq '.[3].flags == ["FIXED_IOVA", "WRITEABLE", "READABLE"]' out.json
	ic_jq '.[4].flags == ["READABLE"] and .[4].src_iova == "0x100000"' out.json
	ic_jq "$HEX"' (.[5].unmapped | hex) == 2 * (.[3].length | hex)' out.json
	ic_jq '.[6].unmapped == "0x10000"' out.json

	# <linux/iommufd.h> says the source must match one map exactly, but
	# 6.12 also copies a slice of one (iopt_get_pages() cuts the pages):
	# recorded here as the kernel behaves. Nothing mapped is refused.
	batch part.json 1 <<'BATCH'
ioas create
ioas create
ioas map 1 64K --iova 0x100000
ioas copy 2 1 0x104000+4K --iova 0x600000
ioas copy 2 1 0x500000+4K
BATCH
	ic_jq '.[3].dst_iova == "0x600000" and .[3].length == "0x1000"' part.json
	ic_jq '.[4].error.ioctl == "IOMMU_IOAS_COPY" and .[4].error.errno == "ENOENT"' part.json
}

atf_test_case options
options_head()
{
	ic_kernel_head
	atf_set "descr" "ioas option huge-pages and option rlimit-mode, get and set"
}
options_body()
{
	ic_paths
	batch hp.json 0 <<'BATCH'
ioas create
ioas option 1 huge-pages
ioas option 1 huge-pages off
ioas option 1 huge-pages
ioas option 1 huge-pages on
ioas option 1 huge-pages
BATCH
	ic_jq '[.[1:][] | .value] == ["on", "off", "off", "on", "on"]' hp.json
	ic_jq '.[1] | .ioas_id == 1 and .option == "huge-pages"' hp.json

	batch rl.json 0 <<'BATCH'
option rlimit-mode
option rlimit-mode process
option rlimit-mode
option rlimit-mode user
BATCH
	ic_jq '[.[] | .value] == ["user", "process", "process", "user"]' rl.json

	# The accounting mode can only change while the file holds nothing.
	batch busy.json 1 <<'BATCH'
ioas create
option rlimit-mode process
BATCH
	ic_jq '.[1].error.ioctl == "IOMMU_OPTION" and .[1].error.errno == "EBUSY"' busy.json
	ic_jq '.[1].error.hint | test("holds no objects")' busy.json
}

atf_test_case compat_info_fresh
compat_info_fresh_head()
{
	ic_kernel_head
	atf_set "descr" "compat info on a fresh compat IOAS: every part present and consistent"
}
compat_info_fresh_body()
{
	ic_paths
	batch out.json 0 <<'BATCH'
ioas create
ioas set 1
compat info
BATCH
	jq '.[2]' out.json >info.json
	ic_jq '.fd.kind == "iommufd" and .api_version == 0' info.json
	ic_jq '[.extensions[].id] == [1,2,3,4,5,6,7,8,9,10]' info.json
	ic_jq 'all(.extensions[]; (.name | type == "string") and (.value == null) == (.error != null))' info.json
	ic_jq '.extensions[] | select(.name == "TYPE1v2_IOMMU") | .value == 1' info.json
	ic_jq '.iommu_info_error == null and .iommu_info != null' info.json
	ic_jq '.iommu_info | keys == ["argsz","cap_offset","caps","chain_error","dma_avail","flag_names","flags","iova_pgsizes","iova_ranges","migration","page_sizes"]' info.json
	ic_jq '.iommu_info.chain_error == null' info.json
	ic_jq '.iommu_info.flag_names | index("PGSIZES") != null and index("CAPS") != null' info.json
	# The list of page sizes is the bitmap, bit by bit.
	ic_jq '.iommu_info.page_sizes | length > 0 and all(.[]; test("^0x[1248]0*$"))' info.json
	ic_jq "$HEX"' .iommu_info.page_sizes | map(hex) | . == (sort | unique)' info.json
	ic_jq '.iommu_info | .iova_pgsizes | test("^0x[0-9a-f]+$")' info.json
	ic_jq '.iommu_info.cap_offset >= 24 and .iommu_info.argsz > .iommu_info.cap_offset' info.json
	ic_jq '[.iommu_info.caps[].name] | sort == ["DMA_AVAIL", "IOVA_RANGE"]' info.json
	ic_jq 'all(.iommu_info.caps[]; .decoded and .version == 1)' info.json
	ic_jq '.iommu_info.caps[0].offset == .iommu_info.cap_offset' info.json
	ic_jq '.iommu_info.caps[-1].next == 0' info.json
	ic_jq '.iommu_info.iova_ranges | type == "array" and length > 0' info.json
	ic_jq '.iommu_info.dma_avail | type == "number"' info.json
	ic_jq '.iommu_info.migration == null' info.json

	# The same in text mode names the same things.
	printf 'ioas create\nioas set 1\ncompat info\n' |
		atf_check -o save:info.txt "$IOMMUCTL" -b -
	atf_check -o ignore grep -x "api_version: 0" info.txt
	atf_check -o ignore grep -E "^ *(- )?name: IOVA_RANGE$" info.txt
}

atf_test_case compat_info_no_ioas
compat_info_no_ioas_head()
{
	ic_kernel_head
	atf_set "descr" "compat info without a compat IOAS reports GET_INFO's ENODEV in place"
}
compat_info_no_ioas_body()
{
	ic_paths
	atf_check -o save:info.json "$IOMMUCTL" -j compat info
	ic_one_doc info.json
	ic_jq '.api_version == 0 and .iommu_info == null' info.json
	ic_jq '.iommu_info_error | .ioctl == "VFIO_IOMMU_GET_INFO" and .errno == "ENODEV"' info.json
	ic_jq '.iommu_info_error.hint | test("no compat IOAS is set")' info.json
	ic_jq '.iommu_info_error | keys == ["errno","hint","ioctl","message"]' info.json
}

atf_test_case compat_map_unmap
compat_map_unmap_head()
{
	ic_kernel_head
	atf_set "descr" "compat set-iommu, map and unmap on the compat IOAS, seen through the native view"
}
compat_map_unmap_body()
{
	ic_paths
	batch out.json 0 <<'BATCH'
ioas create
ioas set 1
compat check-extension TYPE1v2_IOMMU unmap_all 10
compat set-iommu TYPE1v2_IOMMU
compat map 0x100000+64K
compat map 0x200000+4K --prot r
compat unmap 0x100000+64K
ioas unmap 1 0x200000+4K
compat map 0x300000+8K
compat unmap all
compat unmap 0x100000+4K
BATCH
	ic_jq '[.[2].extensions[] | .name] == ["TYPE1v2_IOMMU", "UNMAP_ALL", "UPDATE_VADDR"]' out.json
	ic_jq '[.[2].extensions[] | .value] == [1, 1, 0]' out.json
	ic_jq '.[3] == {"id": 3, "name": "TYPE1v2_IOMMU"}' out.json
	ic_jq '.[4] | .iova == "0x100000" and .size == "0x10000" and .flags == ["READ", "WRITE"]' out.json
	ic_jq '.[5].flags == ["READ"]' out.json
	ic_jq '.[6].unmapped == "0x10000" and .[6].flags == []' out.json
	# A compat mapping is a mapping of the IOAS: native unmap sees it.
	ic_jq '.[7].unmapped == "0x1000"' out.json
	ic_jq '.[9].unmapped == "0x2000" and .[9].flags == ["ALL"] and .[9].size == "0x0"' out.json
	# VFIO's unmap of nothing is a success that unmapped nothing.
	ic_jq '.[10].unmapped == "0x0"' out.json
}

atf_init_test_cases()
{
	atf_add_test_case compat_ioas_lifecycle
	atf_add_test_case objects_die_with_fd
	atf_add_test_case compat_get_unset
	atf_add_test_case ranges_and_allow
	atf_add_test_case map_unmap
	atf_add_test_case hugepages
	atf_add_test_case hugepages_none
	atf_add_test_case map_errors
	atf_add_test_case copy
	atf_add_test_case options
	atf_add_test_case compat_info_fresh
	atf_add_test_case compat_info_no_ioas
	atf_add_test_case compat_map_unmap
}
