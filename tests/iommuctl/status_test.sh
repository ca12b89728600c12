# SPDX-License-Identifier: GPL-2.0-or-later
#
# iommuctl status and --pid on a real kernel: the VM tier runs these in
# the iommufd guest and in Debian's stock (type1 only) guest, with NICs
# bound to vfio-pci. The live process for --pid is QEMU itself, started
# paused (-S) with a vfio-pci device: it has opened the container,
# attached the group and mapped its RAM by then, which is all we look at,
# and a paused TCG guest costs nothing. On iommufd, QEMU 7.2 (which has
# no iommufd backend) is given /dev/iommu as /dev/vfio/vfio by a bind
# mount in a private mount namespace: the no-change migration path.

# The first group with a device bound to vfio-pci, as "GROUP BDF".
first_vfio_group()
{
	for _dev in /sys/bus/pci/drivers/vfio-pci/0000:*; do
		[ -e "$_dev" ] || break
		_g=$(readlink "$_dev/iommu_group")
		[ -e "/dev/vfio/${_g##*/}" ] || continue
		echo "${_g##*/} ${_dev##*/}"
		return 0
	done
	atf_skip "no device bound to vfio-pci with a VFIO group node"
}

# Start QEMU, paused, with vfio-pci device $1; QEMU_PID names it once
# its container answers (it opens it while it builds the machine).
# Extra arguments go before QEMU's (unshare and its script, for one).
start_qemu()
{
	_bdf=$1
	shift
	"$@" qemu-system-x86_64 -S -display none -nodefaults \
		-machine q35,accel=tcg -m 64 -monitor none -serial none \
		-device "vfio-pci,host=$_bdf" 2>qemu.err &
	QEMU_PID=$!
	echo "$QEMU_PID" >qemu.pid
	for _i in $(seq 1 150); do
		kill -0 "$QEMU_PID" 2>/dev/null || {
			cat qemu.err >&2
			atf_fail "QEMU exited early"
		}
		if [ -n "$(find_container_fd "$QEMU_PID")" ]; then
			# Opened; the group and the mapping follow at once.
			sleep 1
			return 0
		fi
		sleep 0.2
	done
	atf_fail "QEMU opened no container within 30 s"
}

# The fd of process $1 that is /dev/vfio/vfio, if any.
find_container_fd()
{
	for _fd in /proc/"$1"/fd/*; do
		[ "$(readlink "$_fd" 2>/dev/null)" = /dev/vfio/vfio ] &&
			echo "${_fd##*/}" && return 0
	done
	return 0
}

stop_qemu()
{
	[ -f qemu.pid ] || return 0
	kill "$(cat qemu.pid)" 2>/dev/null
	wait "$(cat qemu.pid)" 2>/dev/null
	rm -f qemu.pid
}

qemu_head()
{
	atf_set "require.user" "root"
	atf_set "require.progs" "jq qemu-system-x86_64 $1"
	atf_set "require.files" "$2"
	atf_set "timeout" "120"
}

atf_test_case modules_agree_with_sysfs
modules_agree_with_sysfs_head()
{
	atf_set "descr" "Module states and parameters are what /sys/module says"
	atf_set "require.progs" "jq"
	atf_set "require.files" "/dev/vfio/vfio"
}
modules_agree_with_sysfs_body()
{
	ic_paths
	atf_check -o save:st.json "$IOMMUCTL" -j status
	for m in iommufd vfio vfio_iommu_type1 vfio_pci mdev; do
		if [ -r "/sys/module/$m/initstate" ]; then
			want=$(cat "/sys/module/$m/initstate")
		elif [ -d "/sys/module/$m" ]; then
			want=builtin
		else
			continue
		fi
		ic_jq ".modules[] | select(.name == \"$m\") | .state == \"$want\" and .source == \"sysfs\"" st.json
		for p in /sys/module/"$m"/parameters/*; do
			[ -r "$p" ] || continue
			ic_jq ".modules[] | select(.name == \"$m\") | .parameters[] | select(.name == \"${p##*/}\") | .value == \"$(cat "$p")\"" st.json
		done
	done
	# Loaded modules that the kernel's indexes know come with their file,
	# through libkmod; one insmod'ed from a build tree (an earlier test may
	# have left the test module loaded) has no indexed file, so its path
	# is null. With the indexes, a module neither loaded nor installed is
	# absent.
	if [ -r "/lib/modules/$(uname -r)/modules.dep" ]; then
		for m in $(jq -r '.modules[] | select(.state == "live") | .name' st.json); do
			if modinfo -n "$m" >/dev/null 2>&1; then
				ic_jq ".modules[] | select(.name == \"$m\") | .path | test(\"\\\\.ko\")" st.json
			else
				ic_jq ".modules[] | select(.name == \"$m\") | .path == null" st.json
			fi
		done
		if [ ! -d /sys/module/iommuctl_dmaprobe ] &&
			! modinfo iommuctl_dmaprobe >/dev/null 2>&1; then
			ic_jq '.modules[] | select(.name == "iommuctl_dmaprobe") | .state == "absent" and .source == "modules.dep"' st.json
		fi
	fi
	# Who provides the container: the kernel config says it too.
	if zcat /proc/config.gz 2>/dev/null | grep -q '^CONFIG_VFIO_CONTAINER=y'; then
		ic_jq '.vfio_container.provider == "vfio" and .vfio_container.evidence == "ioctl"' st.json
	fi
	# type1's three documented parameters are reported wherever it is.
	ic_jq '.modules[] | select(.name == "vfio_iommu_type1") | [.parameters[].name] | contains(["allow_unsafe_interrupts","disable_hugepages","dma_entry_limit"])' st.json
}

atf_test_case iommufd_present
iommufd_present_head()
{
	atf_set "descr" "With /dev/iommu, status names its device and module"
	atf_set "require.progs" "jq"
	atf_set "require.files" "/dev/iommu"
}
iommufd_present_body()
{
	ic_paths
	atf_check -o save:st.json "$IOMMUCTL" -j status
	ic_jq ".iommufd.misc_devt == \"$(cat /sys/class/misc/iommu/dev)\" and .iommufd.node_matches" st.json
	ic_jq '.modules[] | select(.name == "iommufd") | .state | IN("builtin","live")' st.json
	ic_jq '.modules[] | select(.name == "iommufd") | [.parameters[].name] | index("allow_unsafe_interrupts") != null' st.json
}

atf_test_case iommufd_absent
iommufd_absent_head()
{
	atf_set "descr" "Without iommufd in the kernel, status says so"
	atf_set "require.progs" "jq"
	atf_set "require.files" "/dev/vfio/vfio"
}
iommufd_absent_body()
{
	ic_paths
	[ -e /sys/class/misc/iommu ] && atf_skip "this kernel has iommufd"
	atf_check -o save:st.json "$IOMMUCTL" -j status
	ic_jq '.iommufd.misc_devt == null and .iommufd.devt == null' st.json
	ic_jq '.modules[] | select(.name == "iommufd") | .state | IN("absent","unknown")' st.json
	ic_jq '.vfio_container.provider == "vfio"' st.json
}

atf_test_case groups_and_devices
groups_and_devices_head()
{
	atf_set "descr" "Every VFIO-bound device is in a viable group with its nodes"
	atf_set "require.progs" "jq"
	atf_set "require.files" "/dev/vfio/vfio"
}
groups_and_devices_body()
{
	ic_paths
	first_vfio_group >/dev/null
	atf_check -o save:st.json "$IOMMUCTL" -j status
	ic_jq "[.groups[].id] == [$(ls /sys/kernel/iommu_groups | sort -n | paste -sd,)]" st.json
	for dev in /sys/bus/pci/drivers/vfio-pci/0000:*; do
		bdf=${dev##*/}
		g=$(readlink "$dev/iommu_group")
		g=${g##*/}
		vendor=$(cat "$dev/vendor")
		device=$(cat "$dev/device")
		ic_jq ".groups[] | select(.id == $g) | .viable and .node == \"/dev/vfio/$g\"" st.json
		ic_jq ".groups[] | select(.id == $g) | .devices[] | select(.name == \"$bdf\") | .driver == \"vfio-pci\" and .bus == \"pci\" and .vendor == \"$vendor\" and .device == \"$device\"" st.json
		cdev=null
		for c in "$dev"/vfio-dev/vfio*; do
			[ -e "/dev/vfio/devices/${c##*/}" ] &&
				cdev="\"/dev/vfio/devices/${c##*/}\""
		done
		ic_jq ".groups[] | select(.id == $g) | .devices[] | select(.name == \"$bdf\") | .cdev == $cdev" st.json
	done
	# A device on another driver makes its group not viable.
	ic_jq 'all(.groups[] | select(any(.devices[]; .driver != null and (.driver | test("^(vfio|pci-stub$|pcieport$)") | not))); .viable == false)' st.json
}

atf_test_case mdev_parents
mdev_parents_head()
{
	atf_set "descr" "mdev parents and types are listed as sysfs has them"
	atf_set "require.progs" "jq"
	atf_set "require.files" "/sys/class/mdev_bus"
}
mdev_parents_body()
{
	ic_paths
	atf_check -o save:st.json "$IOMMUCTL" -j status
	ic_jq "[.mdev_parents[].name] == [$(ls /sys/class/mdev_bus | sed 's/.*/"&"/' | paste -sd,)]" st.json
	for t in /sys/class/mdev_bus/*/mdev_supported_types/*; do
		[ -e "$t" ] || continue
		p=${t%/mdev_supported_types/*}
		ic_jq ".mdev_parents[] | select(.name == \"${p##*/}\") | .types[] | select(.id == \"${t##*/}\") | .available_instances == $(cat "$t/available_instances")" st.json
	done
}

atf_test_case holders_from_helper
holders_from_helper_head()
{
	atf_set "descr" "A process holding a container, group and device fd is listed with each"
	atf_set "require.user" "root"
	atf_set "require.progs" "jq"
	atf_set "require.files" "/dev/vfio/vfio"
}
holders_from_helper_body()
{
	ic_paths
	set -- $(first_vfio_group)
	# The helper execs iommuctl, so iommuctl itself holds the files.
	atf_check -o save:st.json -e ignore "$HELPER" /dev/vfio/vfio \
		"/dev/vfio/$1" 3 "$IOMMUCTL" -j status
	ic_jq '[.processes[] | select(.comm == "iommuctl")] | length == 1' st.json
	ic_jq ".processes[] | select(.comm == \"iommuctl\") | [.fds[].kind] | contains([\"vfio-container\",\"vfio-group\",\"vfio-group-device\"])" st.json
	ic_jq ".processes[] | select(.comm == \"iommuctl\") | .fds[] | select(.kind == \"vfio-group\") | .path == \"/dev/vfio/$1\"" st.json
}

atf_test_case pid_qemu_type1 cleanup
pid_qemu_type1_head()
{
	qemu_head "" /dev/vfio/vfio
	atf_set "descr" "compat info --pid on QEMU with a vfio-pci device on the type1 container"
}
pid_qemu_type1_body()
{
	ic_paths
	set -- $(first_vfio_group)
	group=$1 bdf=$2
	start_qemu "$bdf"
	fd=$(find_container_fd "$QEMU_PID")

	# The one container is found without --fd.
	atf_check -o save:info.json "$IOMMUCTL" -j --pid "$QEMU_PID" compat info
	ic_one_doc info.json
	ic_jq '.fd.kind == "vfio" and .fd.path == "/dev/vfio/vfio"' info.json
	ic_jq '.iommu_info_error == null and (.iommu_info.page_sizes | length > 0)' info.json
	ic_jq '.iommu_info.iova_ranges | length > 0' info.json
	# QEMU mapped its RAM: type1 counts those mappings against the limit.
	limit=$(cat /sys/module/vfio_iommu_type1/parameters/dma_entry_limit)
	ic_jq ".iommu_info.dma_avail < $limit" info.json
	atf_check -o save:info2.json "$IOMMUCTL" -j --pid "$QEMU_PID" --fd "$fd" compat info
	atf_check -o empty diff info.json info2.json

	# status names QEMU as the holder.
	atf_check -o save:st.json "$IOMMUCTL" -j status
	ic_jq ".processes[] | select(.pid == $QEMU_PID) | [.fds[] | select(.kind == \"vfio-group\") | .path] == [\"/dev/vfio/$group\"]" st.json
	ic_jq ".processes[] | select(.pid == $QEMU_PID) | [.fds[].kind] | contains([\"vfio-container\",\"vfio-group-device\"])" st.json

	# State changes are refused, and nothing is done.
	atf_check -s exit:3 -o empty -e match:"refused on a file borrowed from process $QEMU_PID" \
		"$IOMMUCTL" --pid "$QEMU_PID" compat unmap all
	atf_check -o save:info3.json "$IOMMUCTL" -j --pid "$QEMU_PID" compat info
	ic_jq ".iommu_info.dma_avail == $(jq .iommu_info.dma_avail info.json)" info3.json
	stop_qemu
}
pid_qemu_type1_cleanup()
{
	stop_qemu
}

atf_test_case pid_qemu_iommufd cleanup
pid_qemu_iommufd_head()
{
	qemu_head unshare /dev/iommu
	atf_set "descr" "ioas get and compat info --pid on QEMU using /dev/iommu as its container"
}
pid_qemu_iommufd_body()
{
	ic_paths
	set -- $(first_vfio_group)
	bdf=$2
	cat >ns.sh <<'EOF'
mount --bind /dev/iommu /dev/vfio/vfio && exec "$@"
EOF
	start_qemu "$bdf" unshare -m sh ns.sh
	# unshare and sh exec into QEMU: the pid is QEMU's.
	atf_check -o match:qemu cat "/proc/$QEMU_PID/comm"

	atf_check -o save:info.json "$IOMMUCTL" -j --pid "$QEMU_PID" compat info
	ic_jq '.fd.kind == "iommufd"' info.json
	ic_jq '.iommu_info_error == null and (.iommu_info.iova_ranges | length > 0)' info.json
	# iommufd has no mapping limit and says so with U32_MAX.
	ic_jq '.iommu_info.dma_avail == 4294967295' info.json
	# The compat IOAS that attaching QEMU's group created.
	atf_check -o save:ioas.json "$IOMMUCTL" -j --pid "$QEMU_PID" ioas get
	ic_jq '.ioas_id | type == "number" and . > 0' ioas.json
	id=$(jq .ioas_id ioas.json)
	atf_check -o save:ranges.json "$IOMMUCTL" -j --pid "$QEMU_PID" ioas ranges "$id"
	ic_jq '.ranges | length > 0' ranges.json

	# Named /dev/vfio/vfio, but status knows the file is iommufd.
	atf_check -o save:st.json "$IOMMUCTL" -j status
	ic_jq ".processes[] | select(.pid == $QEMU_PID) | .fds[] | select(.path == \"/dev/vfio/vfio\") | .kind == \"iommufd\"" st.json

	atf_check -s exit:3 -o empty -e match:"refused" \
		"$IOMMUCTL" --pid "$QEMU_PID" ioas create
	atf_check -s exit:3 -o empty -e match:"refused" \
		"$IOMMUCTL" --pid "$QEMU_PID" ioas clear
	atf_check -o save:ioas2.json "$IOMMUCTL" -j --pid "$QEMU_PID" ioas get
	atf_check -o empty diff ioas.json ioas2.json
	stop_qemu
}
pid_qemu_iommufd_cleanup()
{
	stop_qemu
}

atf_test_case pid_choice cleanup
pid_choice_head()
{
	atf_set "descr" "Several iommufds in one process: listed, one picked with --fd, --force allowed"
	atf_set "require.user" "root"
	atf_set "require.progs" "jq"
	atf_set "require.files" "/dev/iommu"
}
pid_choice_body()
{
	ic_paths
	sh -c 'exec 7<>/dev/iommu 8<>/dev/iommu; exec sleep 60' &
	pid=$!
	echo "$pid" >holder.pid
	for _i in $(seq 1 50); do
		[ -e "/proc/$pid/fd/8" ] && [ "$(cat /proc/$pid/comm)" = sleep ] && break
		sleep 0.1
	done
	atf_check -s exit:3 -o save:err.json -e match:"holds 2 iommufd or VFIO container fds" \
		"$IOMMUCTL" -j --pid "$pid" ioas get
	ic_jq '.error.hint | test("--fd: 7 \\(/dev/iommu\\), 8 \\(/dev/iommu\\)")' err.json

	# The borrowed file is the process's: an IOAS made through it with
	# --force is there for the next look, on that fd and not the other.
	atf_check -s exit:3 -o empty -e match:"--force" \
		"$IOMMUCTL" --pid "$pid" --fd 7 ioas create
	atf_check -o match:"ioas_id: 1" "$IOMMUCTL" --pid "$pid" --fd 7 --force ioas create
	atf_check -o save:r.json "$IOMMUCTL" -j --pid "$pid" --fd 7 ioas ranges 1
	ic_jq '.ioas_id == 1 and (.ranges | length > 0)' r.json
	atf_check -s exit:1 -o empty -e match:"ENOENT" \
		"$IOMMUCTL" --pid "$pid" --fd 8 ioas ranges 1
	kill "$pid"
}
pid_choice_cleanup()
{
	[ -f holder.pid ] && kill "$(cat holder.pid)" 2>/dev/null
	return 0
}

atf_init_test_cases()
{
	atf_add_test_case modules_agree_with_sysfs
	atf_add_test_case iommufd_present
	atf_add_test_case iommufd_absent
	atf_add_test_case groups_and_devices
	atf_add_test_case mdev_parents
	atf_add_test_case holders_from_helper
	atf_add_test_case pid_qemu_type1
	atf_add_test_case pid_qemu_iommufd
	atf_add_test_case pid_choice
}
