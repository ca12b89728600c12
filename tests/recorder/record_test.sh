# SPDX-License-Identifier: GPL-2.0-or-later
#
# iommuctl-conformance record and libiommuctl-record.so. Without VFIO:
# what a program sees does not change and the trace is valid whatever
# happens to the program. With VFIO (the VM tier): the trace of
# vfio_workload holds what it did, in order, with its buffers and the
# errnos it saw, and replays on type1 as it was recorded.

here=$(cd "$(dirname "$0")" && pwd -P)
case $here in
"@abs_top_builddir@"/*)
	runner="@abs_top_builddir@/src/conformance/iommuctl-conformance"
	iommuctl="@abs_top_builddir@/src/iommuctl/iommuctl"
	lib="@abs_top_builddir@/src/recorder/libiommuctl-record.so"
	data="@abs_top_srcdir@/src/conformance"
	traces="@abs_top_srcdir@/tests/recorder"
	;;
*)
	runner="@sbindir@/iommuctl-conformance"
	iommuctl="@sbindir@/iommuctl"
	lib="@pkglibdir@/libiommuctl-record.so"
	data="@pkgdatadir@"
	traces=$here
	;;
esac
registry=$data/known-divergences.json

# jq -e FILTER over the trace's records as one array, failing with it.
trace_jq()
{
	if ! jq -e -s "$1" "$2" >/dev/null; then
		echo "jq -s '$1' is false for:" >&2
		cat "$2" >&2
		atf_fail "$2: a check of the trace is false (see stderr)"
	fi
}

atf_test_case no_vfio
no_vfio_head() {
	atf_set descr "a program without VFIO runs unchanged and leaves a header-only trace"
	atf_set require.progs jq
}
no_vfio_body() {
	atf_check -s exit:3 -o inline:'out\n' \
		-e match:'^err$' -e match:'t.jsonl: 0 operations recorded' \
		"$runner" record -o t.jsonl -- sh -c 'echo out; echo err >&2; exit 3'
	atf_check -o match:'valid, 0 operations' "$runner" validate t.jsonl
	trace_jq 'length == 1 and .[0].type == "header"' t.jsonl
}

atf_test_case killed
killed_head() {
	atf_set descr "a program killed with SIGKILL gives 137 and a valid trace"
}
killed_body() {
	atf_check -s exit:137 -e match:'0 operations recorded' \
		"$runner" record -o t.jsonl -- sh -c 'kill -KILL $$'
	atf_check -o ignore "$runner" validate t.jsonl
}

atf_test_case passthrough
passthrough_head() {
	atf_set descr "calls on other descriptors give the same results, errnos and fds"
}
passthrough_body() {
	atf_check -o save:plain "$here/passthrough"
	atf_check -o save:recorded -e ignore \
		"$runner" record -o t.jsonl -- "$here/passthrough"
	atf_check -o file:plain cat recorded
	atf_check -o match:'valid, 0 operations' "$runner" validate t.jsonl
}

atf_test_case default_name
default_name_head() {
	atf_set descr "without -o the trace is PROGRAM.PID.jsonl here"
}
default_name_body() {
	atf_check -e save:err "$runner" record -- true
	f=$(ls true.*.jsonl) || atf_fail "no true.PID.jsonl"
	atf_check -o ignore -e empty grep -F "/$f: 0 operations" err
}

atf_test_case usage
usage_head() {
	atf_set descr "record without a program, a bad --fork or no library is refused"
}
usage_body() {
	atf_check -s exit:3 -e match:'no PROGRAM' "$runner" record
	atf_check -s exit:3 -e match:'does not end in .bin' \
		"$runner" record --convert t.log
	atf_check -s exit:3 -e match:'takes no PROGRAM' \
		"$runner" record --convert t.bin -- true
	atf_check -s exit:2 -e match:'t.bin: No such file' \
		"$runner" record --convert t.bin
	atf_check -s exit:3 -e match:'--fork: "sometimes"' \
		"$runner" record --fork=sometimes -- true
	IOMMUCTL_RECORD_LIB=/nonexistent/lib.so atf_check -s exit:2 \
		-e match:'/nonexistent/lib.so: No such file' \
		"$runner" record -o t.jsonl -- true
}

# ./fake-iommu COMMAND runs COMMAND in a mount namespace of its own whose
# /dev/iommu is /dev/full (a new /dev, the nodes a program needs bound
# from the real one): the recorder takes the node for iommufd by its
# device number and records every ioctl on it, which fails with ENOTTY.
# The recorder's whole path (live log, conversion, signals, fork, exec)
# without VFIO. Skips where no such namespace can be made.
fake_iommu_setup()
{
	cat >fake-iommu <<'EOF'
#!/bin/sh
exec unshare -m sh -c '
	set -e
	old=$1
	shift
	mkdir "$old"
	mount --rbind /dev "$old"
	mount -t tmpfs -o mode=755 fakedev /dev
	for n in null zero full random urandom tty; do
		: >/dev/$n
		mount --bind "$old/$n" /dev/$n
	done
	mkdir /dev/shm
	mount --rbind "$old/shm" /dev/shm
	ln -s /proc/self/fd /dev/fd
	mknod /dev/iommu c 1 7
	umount -l "$old"
	rmdir "$old"
	exec "$@"
' fake-iommu "$PWD/.olddev" "$@"
EOF
	chmod +x fake-iommu
	./fake-iommu true 2>/dev/null ||
		atf_skip "no mount namespace with a fake /dev/iommu can be made here"
}

# Wait until FILE holds a line "ready PID" (ioctl_loop's pause); its PID.
wait_ready()
{
	i=0
	while ! grep -q '^ready ' "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 300 ] || atf_fail "the program never got ready"
		sleep 0.1
	done
	sed -n 's/^ready //p' "$1"
}

atf_test_case live_log_local
live_log_local_head() {
	atf_set descr "the live log is under /dev/shm, not beside -o, and goes once the trace is written"
	atf_set require.user root
	atf_set require.progs jq unshare
}
live_log_local_body() {
	fake_iommu_setup
	# sh forks and execs the loop: the exec'd image logs as well.
	atf_check -e match:'w.jsonl: 20 operations recorded' \
		./fake-iommu "$runner" record -o w.jsonl -- sh -c '
			"$0" /dev/iommu 10
			echo "$IOMMUCTL_RECORD_FILE" >live.path
			ls -A "${IOMMUCTL_RECORD_FILE%/*}" >live.ls
			ls -A >here.ls' "$here/ioctl_loop"
	live=$(cat live.path)
	case $live in
	/dev/shm/iommuctl-record-*/w.jsonl) ;;
	*) atf_fail "the live log is not under /dev/shm: $live" ;;
	esac
	atf_check -o inline:'w.jsonl.bin\n' cat live.ls
	atf_check -s exit:1 grep 'bin' here.ls
	[ ! -e "${live%/*}" ] || atf_fail "the live directory was left: ${live%/*}"
	trace_jq '[.[] | select(.type == "op")] | length == 20 and
		all(.recorded.errno == "ENOTTY")' w.jsonl
	after=$(ls -A | grep -v '^\.' | tr '\n' ' ')
	[ "$after" = "fake-iommu here.ls live.ls live.path w.jsonl " ] ||
		atf_fail "the trace's directory holds: $after"
}

atf_test_case live_program_killed
live_program_killed_head() {
	atf_set descr "a program SIGKILLed with a live log: 137 and its trace up to the kill"
	atf_set require.user root
	atf_set require.progs jq unshare
}
live_program_killed_body() {
	fake_iommu_setup
	atf_check -s exit:137 -e match:'w.jsonl: 14 operations recorded' \
		./fake-iommu "$runner" record -o w.jsonl -- \
		"$here/ioctl_loop" /dev/iommu 7 kill
	trace_jq '[.[] | select(.type == "op")][-1] |
		.op == "unmap_dma" and .iova == "0x106000"' w.jsonl
}

atf_test_case live_fork_follow
live_fork_follow_head() {
	atf_set descr "--fork=follow with live logs: the child's calls become FILE.PID"
	atf_set require.user root
	atf_set require.progs jq unshare
}
live_fork_follow_body() {
	fake_iommu_setup
	atf_check -e save:err ./fake-iommu "$runner" record --fork=follow \
		-o w.jsonl -- "$here/ioctl_loop" /dev/iommu 3 fork
	set -- w.jsonl.*
	[ $# = 1 ] && [ -f "$1" ] || atf_fail "not one child trace: $*"
	grep -q "w.jsonl: 6 operations recorded" err || atf_fail "$(cat err)"
	grep -q "$1: 2 operations recorded" err || atf_fail "$(cat err)"
}

atf_test_case live_record_terminated
live_record_terminated_head() {
	atf_set descr "record stopped by SIGTERM leaves FILE.bin beside -o, which --convert makes a trace"
	atf_set require.user root
	atf_set require.progs jq unshare
	atf_set timeout 60
}
live_record_terminated_body() {
	fake_iommu_setup
	mkdir live
	./fake-iommu "$runner" record --log-dir="$PWD/live" -o w.jsonl -- \
		"$here/ioctl_loop" /dev/iommu 5 pause >out 2>err &
	rec=$!
	prog=$(wait_ready out)
	kill -TERM $rec
	wait $rec
	rc=$?
	kill -KILL "$prog" 2>/dev/null
	cat err
	[ $rc = 143 ] || atf_fail "record exited $rc, not 128 + SIGTERM"
	grep -q "interrupted by SIGTERM" err || atf_fail "record did not say why it stopped"
	grep -q "so far is in $PWD/w.jsonl.bin" err ||
		atf_fail "record did not say where the log is"
	[ ! -e w.jsonl ] || atf_fail "a trace appeared without a conversion"
	atf_check -o empty ls -A live
	atf_check -e match:'w.jsonl: 10 operations recorded' \
		"$runner" record --convert w.jsonl.bin
}

atf_test_case live_record_interrupted
live_record_interrupted_head() {
	atf_set descr "SIGINT to the program's process group (a terminal's ^C): record outlives it and writes the trace"
	atf_set require.user root
	atf_set require.progs jq unshare setsid
	atf_set timeout 60
}
live_record_interrupted_body() {
	fake_iommu_setup
	setsid ./fake-iommu "$runner" record -o w.jsonl -- \
		"$here/ioctl_loop" /dev/iommu 5 pause >out 2>err &
	rec=$!
	wait_ready out >/dev/null
	# The process group setsid made: field 5 of stat (state ppid pgrp).
	pgid=$(sed 's/.*) //' /proc/$rec/stat | cut -d' ' -f3)
	kill -INT -- "-$pgid"
	wait $rec
	rc=$?
	cat err
	[ $rc = 130 ] || atf_fail "record exited $rc, not the program's 128 + SIGINT"
	grep -q 'w.jsonl: 10 operations recorded' err ||
		atf_fail "record did not convert the log"
}

atf_test_case live_record_killed
live_record_killed_head() {
	atf_set descr "record SIGKILLed: the live log stays in its directory, and --convert reads it"
	atf_set require.user root
	atf_set require.progs jq unshare
	atf_set timeout 60
}
live_record_killed_body() {
	fake_iommu_setup
	mkdir live
	./fake-iommu "$runner" record --log-dir="$PWD/live" -o w.jsonl -- \
		"$here/ioctl_loop" /dev/iommu 5 pause >out 2>err &
	rec=$!
	prog=$(wait_ready out)
	# record is the namespace's sh, which exec'd it: its pid is $!.
	kill -KILL $rec
	wait $rec
	set -- live/iommuctl-record-*/w.jsonl.bin
	[ -f "$1" ] || atf_fail "no live log left: $*"
	atf_check -e match:'w.jsonl: 10 operations recorded' \
		"$runner" record --convert "$1" -o w.jsonl
	kill -KILL "$prog" 2>/dev/null
	rm -r live
}

atf_test_case live_dir_missing
live_dir_missing_head() {
	atf_set descr "a --log-dir that cannot hold the live directory is named, nothing is run"
}
live_dir_missing_body() {
	atf_check -s exit:2 -o empty \
		-e match:'live log directory in /nonexistent: No such file' \
		"$runner" record --log-dir=/nonexistent -o t.jsonl -- echo ran
}

# The device and group to use: the VM's, else the first vfio-pci device.
vfio_target()
{
	[ -e /dev/vfio/vfio ] ||
		atf_skip "/dev/vfio/vfio is missing: this kernel has no VFIO container"
	device=${ICTL_VM_VFIO_DEVICES%% *}
	if [ -z "$device" ]; then
		for d in /sys/bus/pci/drivers/vfio-pci/*:*; do
			[ -e "$d" ] && device=${d##*/} && break
		done
	fi
	[ -n "$device" ] || atf_skip "no PCI device is bound to vfio-pci"
	group=$(readlink "/sys/bus/pci/devices/$device/iommu_group") ||
		atf_skip "$device has no IOMMU group"
	group=${group##*/}
}

# Record vfio_workload on CONTAINER into w.jsonl, its output in w.out.
record_workload()
{
	"$runner" record -o w.jsonl -- "$here/vfio_workload" "$1" "$group" \
		"$device" >w.out 2>w.err
	rc=$?
	cat w.out w.err
	[ $rc = 77 ] && atf_skip "group $group cannot be used: $(cat w.err)"
	[ $rc = 0 ] || atf_fail "record exited $rc"
	grep -q 'w.jsonl: [0-9]* operations recorded' w.err ||
		atf_fail "record did not count the trace's operations"
}

# REPORT (type1's replay of TRACE): on the backend it was recorded on,
# every op ran and ended as it did then.
check_replayed_as_recorded()
{
	jq -c --slurpfile t "$2" '.traces[0].ops[] |
		select(.results.type1.skipped | not) |
		[.line, .results.type1.errno,
		 ($t[.line - 1].recorded.errno | if . == 0 then null else . end)] |
		select(.[1] != .[2])' "$1" >mismatch ||
		atf_fail "$1 cannot be read"
	[ ! -s mismatch ] || { cat mismatch; atf_fail "type1 replay differs from the recording"; }
	jq -e '[.traces[0].ops[] | select(.results.type1.skipped)] | length == 0' \
		"$1" >/dev/null || atf_fail "type1 skipped ops of its own recording"
}

# The trace holds what w.out says the program did.
check_workload()
{
	bar_errno=$(sed -n 's/^map_bar //p' w.out)
	trace_jq '[.[] | select(.type == "op" and .op != "memlock") | .op][0:11] ==
		["get_api_version", "check_extension", "ioctl", "attach_group",
		 "set_iommu", "get_info", "open_device", "ioctl", "map_dma",
		 "unmap_dma", "map_dma"]' w.jsonl
	# VFIO_GROUP_GET_STATUS on the group, GET_REGION_INFO on the device.
	trace_jq '[.[] | select(.op == "ioctl") | .fd][0:2] ==
		["group", "device"]' w.jsonl
	trace_jq '[.[] | select(.op == "open_device")][0].note == "'"$device"'"' \
		w.jsonl
	# The BAR page: a device_region buffer, region 0, its second page.
	trace_jq '[.[] | select(.type == "buffer" and
		.kind == "device_region")] | length == 1 and
		.[0].region == 0 and .[0].region_offset == "0x1000" and
		.[0].size == "0x1000" and .[0].prot == "rw"' w.jsonl
	trace_jq '(map(select(.type == "buffer")) | map({(.name): .kind}) | add)
		as $k | [.[] | select(.op == "map_dma")] |
		(.[0] | $k[.buffer] == "device_region" and .offset == "0x0" and
		 .iova == "0x40000000" and .recorded.errno == '"$(
		 [ "$bar_errno" = 0 ] && echo null || echo "\"$bar_errno\"")"') and
		(.[1] | $k[.buffer] == "anonymous" and .offset == "0x2000" and
		 .size == "0x4000" and .recorded.errno == null) and
		(.[2] | $k[.buffer] == "memfd" and .offset == "0x0" and
		 .iova == "0x200000") and
		.[3].buffer == .[1].buffer and
		(.[3] | .offset == "0x0" and .recorded.ret == -1 and
		 .recorded.errno == "EEXIST")' w.jsonl
	grep -q '^map_overlap EEXIST$' w.out || atf_fail "map_overlap saw no EEXIST"
	if grep -q '^map_hugetlb 0$' w.out; then
		trace_jq '(map(select(.type == "buffer")) |
			map({(.name): .kind}) | add) as $k |
			[.[] | select(.op == "map_dma" and .iova == "0x400000")] |
			length == 1 and $k[.[0].buffer] == "hugetlb"' w.jsonl
	fi
	if grep -q '^map_hugetlb_memfd 0$' w.out; then
		trace_jq '(map(select(.type == "buffer")) |
			map({(.name): .kind}) | add) as $k |
			[.[] | select(.op == "map_dma" and .iova == "0x600000")] |
			length == 1 and $k[.[0].buffer] == "hugetlb"' w.jsonl
	fi
	# Through the dup()ed container; the forked child's call is not here.
	trace_jq '[.[] | select(.op == "check_extension" and .extension == 9)] |
		length == 1' w.jsonl
	trace_jq '[.[] | select(.op == "get_api_version")] | length == 1' \
		w.jsonl
	# Two threads, four map/unmap pairs each.
	trace_jq '[.[] | select(.op == "map_dma" and
		(.iova == "0x800000" or .iova == "0x900000") and
		.recorded.errno == null)] | length == 8' w.jsonl
	# After close_range(3, ~0U): the trace is still written.
	trace_jq '[.[] | select(.type == "op")][-1] |
		.op == "check_extension" and .extension == 1' w.jsonl
	# No address of the program's is in the trace.
	for va in $(sed -n 's/^va [a-z]* 0x//p' w.out); do
		! grep -qi "$va" w.jsonl || atf_fail "address 0x$va is in the trace"
	done
}

atf_test_case map_loop
map_loop_head() {
	atf_set descr "map_loop's calls vary from pair to pair: the trace holds every one as the program made it, fields, buffer, errno and what the kernel wrote back"
	atf_set require.user root
	atf_set require.progs jq
	atf_set timeout 300
}
map_loop_body() {
	vfio_target
	"$runner" record -o l.jsonl -- "$here/map_loop" "$group" 300 \
		>l.out 2>l.err
	rc=$?
	[ $rc = 77 ] && atf_skip "group $group cannot be used: $(cat l.err)"
	[ $rc = 0 ] || { cat l.err; atf_fail "record exited $rc"; }
	# The trace's names of the program's buffers: the first map's is A,
	# the fourth's B (pairs 0-2 map A, 3-5 B).
	jq -r -s 'def le64: [range(0; 16; 2) as $i | .[$i:$i + 2]] |
			reverse | join("");
		(map(select(.op == "map_dma")) |
		 {(.[0].buffer): "A", (.[3].buffer): "B"}) as $name |
		.[] | select(.op == "map_dma" or .op == "unmap_dma") |
		if .op == "map_dma" then
			"map \(.iova) \(.size) \(.flags) \($name[.buffer] // "?") \(.offset) \(.recorded.errno // "0")"
		else
			"unmap \(.iova) \(.size) \(.recorded.errno // "0") \(
			if .recorded.out then .recorded.out[32:48] | le64
			else "-" end)"
		end' l.jsonl >l.trace || atf_fail "l.jsonl cannot be read"
	diff -u l.out l.trace || atf_fail "the trace differs from what map_loop did"
	# The variations happened: a failed map and unmap, a short unmap.
	grep -q '^map .* EEXIST$' l.out || atf_fail "no map failed"
	grep -q '^unmap .* EINVAL -$' l.out || atf_fail "no unmap failed"
	grep -q '^unmap 0x[0-9a-f]* 0x3000 0 0000000000002000$' l.out ||
		atf_fail "no unmap wrote back a smaller size"
}

atf_test_case workload_type1
workload_type1_head() {
	atf_set descr "vfio_workload on the VFIO container: the trace holds it and replays as recorded"
	atf_set require.user root
	atf_set require.progs jq
	atf_set timeout 600
}
workload_type1_body() {
	vfio_target
	record_workload /dev/vfio/vfio
	check_workload
	atf_check -o ignore "$runner" validate w.jsonl
	"$runner" run -j --backend type1 --device "$device" \
		--registry "$registry" w.jsonl >report.json
	check_replayed_as_recorded report.json w.jsonl
}

atf_test_case let_go
let_go_head() {
	atf_set descr "vfio_workload lets go of its device and group and takes the group back: close_device, close_group only with the group's last descriptor, and the replay on type1 as recorded"
	atf_set require.user root
	atf_set require.progs jq
	atf_set timeout 600
}
let_go_body() {
	vfio_target
	"$runner" record -o w.jsonl -- "$here/vfio_workload" /dev/vfio/vfio \
		"$group" "$device" let-go >w.out 2>w.err
	rc=$?
	cat w.out w.err
	[ $rc = 77 ] && atf_skip "group $group cannot be used: $(cat w.err)"
	[ $rc = 0 ] || atf_fail "record exited $rc"
	grep -q '^reattach_group 0$' w.out || atf_fail "the group did not come back"
	# close_device; no close_group when the group's fd closes beside a
	# dup of it, one when dup2 lets go of the dup; the group attached and
	# set again; close_group from close_range; the last check_extension.
	closes='"close_group", "attach_group", "set_iommu", "close_group"'
	grep -q '^open_device 0$' w.out && closes='"close_device", '$closes
	trace_jq '[.[] | select(.type == "op") | .op] |
		.[length - '"$(echo "$closes" | tr ',' '\n' | wc -l)"' - 1:-1] ==
		['"$closes"']' w.jsonl
	atf_check -o ignore "$runner" validate w.jsonl
	"$runner" run -j --backend type1 --device "$device" \
		--registry "$registry" w.jsonl >report.json
	check_replayed_as_recorded report.json w.jsonl
}

atf_test_case workload_memlock
workload_memlock_head() {
	atf_set descr "vfio_workload without CAP_IPC_LOCK under a 64 MiB memlock limit: the trace starts with that limit and replays as recorded"
	atf_set require.user root
	atf_set require.progs jq setpriv prlimit
	atf_set timeout 600
}
workload_memlock_body() {
	vfio_target
	"$runner" record -o w.jsonl -- setpriv --bounding-set=-ipc_lock \
		prlimit --memlock=67108864 \
		"$here/vfio_workload" /dev/vfio/vfio "$group" "$device" \
		>w.out 2>w.err
	rc=$?
	cat w.out w.err
	[ $rc = 77 ] && atf_skip "group $group cannot be used: $(cat w.err)"
	[ $rc = 0 ] || atf_fail "record exited $rc"
	trace_jq '[.[] | select(.type == "op")][0] |
		.op == "memlock" and .limit == "0x4000000"' w.jsonl
	trace_jq '[.[] | select(.op == "memlock")] | length == 1' w.jsonl
	check_workload
	atf_check -o ignore "$runner" validate w.jsonl
	"$runner" run -j --backend type1 --device "$device" \
		--registry "$registry" w.jsonl >report.json
	check_replayed_as_recorded report.json w.jsonl
}

atf_test_case workload_iommufd
workload_iommufd_head() {
	atf_set descr "vfio_workload on /dev/iommu: same trace, P2P map refused, replays on both"
	atf_set require.user root
	atf_set require.progs jq
	atf_set timeout 600
}
workload_iommufd_body() {
	vfio_target
	[ -e /dev/iommu ] || atf_skip "/dev/iommu is missing: this kernel has no iommufd"
	record_workload /dev/iommu
	check_workload
	grep -q '^map_bar EFAULT$' w.out ||
		atf_fail "iommufd's compat layer accepted a P2P mapping"
	"$runner" run -j --backend type1 --backend iommufd --device "$device" \
		--registry "$registry" w.jsonl >report.json
	# The BAR mapping: type1 maps device memory, iommufd's compat does not.
	jq -e '[.traces[0].ops[] | select(.op == "map_dma")][0].results |
		.type1.errno == null and .iommufd.errno == "EFAULT"' report.json \
		>/dev/null || { cat report.json; atf_fail "the BAR map_dma did not replay as P2P"; }
}

atf_test_case workload_killed
workload_killed_head() {
	atf_set descr "vfio_workload SIGKILLed mid-way leaves a valid trace up to the kill"
	atf_set require.user root
	atf_set require.progs jq
	atf_set timeout 600
}
workload_killed_body() {
	vfio_target
	"$runner" record -o w.jsonl -- "$here/vfio_workload" /dev/vfio/vfio \
		"$group" "$device" kill >w.out 2>w.err
	rc=$?
	cat w.out w.err
	[ $rc = 137 ] || atf_fail "record exited $rc, not 128 + SIGKILL"
	atf_check -o ignore "$runner" validate w.jsonl
	trace_jq '[.[] | select(.type == "op")][-1] |
		.op == "map_dma" and .iova == "0x100000" and
		.recorded.errno == null' w.jsonl
}

atf_test_case direct_preload
direct_preload_head() {
	atf_set descr "the library preloaded without record converts its log at exit"
	atf_set require.user root
	atf_set require.progs jq
	atf_set timeout 600
}
direct_preload_body() {
	vfio_target
	LD_PRELOAD=$lib IOMMUCTL_RECORD_FILE=$PWD/w.jsonl \
		"$here/vfio_workload" /dev/vfio/vfio "$group" "$device" \
		>w.out 2>w.err
	rc=$?
	cat w.out w.err
	[ $rc = 0 ] || atf_fail "vfio_workload exited $rc"
	[ ! -e w.jsonl.bin ] || atf_fail "the binary log is left beside the trace"
	atf_check -o ignore "$runner" validate w.jsonl
	check_workload
}

atf_test_case direct_killed
direct_killed_head() {
	atf_set descr "a SIGKILLed program without record leaves FILE.bin; record --convert makes it a trace"
	atf_set require.user root
	atf_set require.progs jq
	atf_set timeout 600
}
direct_killed_body() {
	vfio_target
	LD_PRELOAD=$lib IOMMUCTL_RECORD_FILE=$PWD/w.jsonl \
		"$here/vfio_workload" /dev/vfio/vfio "$group" "$device" kill \
		>w.out 2>w.err
	rc=$?
	cat w.out w.err
	[ $rc = 137 ] || atf_fail "vfio_workload exited $rc, not 128 + SIGKILL"
	[ ! -e w.jsonl ] || atf_fail "a killed program converted its log"
	atf_check -e match:'w.jsonl: [0-9]+ operations recorded' \
		"$runner" record --convert w.jsonl.bin
	atf_check -o ignore "$runner" validate w.jsonl
	trace_jq '[.[] | select(.type == "op")][-1] |
		.op == "map_dma" and .iova == "0x100000" and
		.recorded.errno == null' w.jsonl
	atf_check -e match:'k.jsonl: [0-9]+ operations recorded' \
		"$runner" record --convert w.jsonl.bin -o k.jsonl
	atf_check cmp w.jsonl k.jsonl
}

atf_test_case fork_follow
fork_follow_head() {
	atf_set descr "--fork=follow: the child's ioctl lands in FILE.PID, a trace of its own"
	atf_set require.user root
	atf_set require.progs jq
	atf_set timeout 600
}
fork_follow_body() {
	vfio_target
	"$runner" record --fork=follow -o w.jsonl -- "$here/vfio_workload" \
		/dev/vfio/vfio "$group" "$device" >w.out 2>w.err
	rc=$?
	cat w.err
	[ $rc = 0 ] || atf_fail "record exited $rc"
	set -- w.jsonl.*
	[ $# = 1 ] && [ -f "$1" ] || atf_fail "not one child trace: $*"
	atf_check -o ignore "$runner" validate "$1"
	trace_jq '[.[] | select(.type == "op")] | length == 1 and
		.[0].op == "get_api_version" and .[0].recorded.ret == 0' "$1"
	grep -q "$1: 1 operations recorded" w.err ||
		atf_fail "record did not check the child's trace"
}

atf_test_case signal_handler
signal_handler_head() {
	atf_set descr "a signal handler's VFIO calls neither deadlock the recorder nor cost a map"
	atf_set require.user root
	atf_set require.progs jq
	atf_set timeout 600
}
signal_handler_body() {
	vfio_target
	"$runner" record -o w.jsonl -- "$here/vfio_signals" /dev/vfio/vfio \
		"$group" 300 >w.out 2>w.err
	rc=$?
	cat w.out w.err
	[ $rc = 77 ] && atf_skip "group $group cannot be used: $(cat w.err)"
	[ $rc = 0 ] || atf_fail "record exited $rc"
	handled=$(sed -n 's/^handled //p' w.out)
	[ "${handled:-0}" -gt 0 ] || atf_fail "the timer never fired"
	atf_check -o ignore "$runner" validate w.jsonl
	trace_jq '[.[] | select(.op == "map_dma" and .recorded.errno == null)] |
		length == 600' w.jsonl
	# A handler that interrupts the recorder is not recorded; others are.
	trace_jq "[.[] | select(.op == \"get_api_version\")] |
		length <= $handled" w.jsonl
}

atf_test_case native_ops
native_ops_head() {
	atf_set descr "iommuctl's batch of iommufd's own ioctls on /dev/iommu: the trace's native ops, its objects named in the order they were made, replayed on iommufd-nodev as recorded"
	atf_set require.user root
	atf_set require.progs jq
	atf_set timeout 300
}
native_ops_body() {
	[ -e /dev/iommu ] || atf_skip "/dev/iommu is missing: this kernel has no iommufd"
	# The first object of a new file is 1, the second 2 (iommuctl(8)).
	cat >b.txt <<-EOF
	ioas create
	ioas create
	ioas set 2
	ioas get
	option rlimit-mode
	ioas option 2 huge-pages off
	ioas clear
	ioas destroy 2
	ioas destroy 2
	EOF
	"$runner" record -o n.jsonl -- "$iommuctl" -b b.txt >n.out 2>n.err
	rc=$?
	cat n.out n.err
	# The batch stops at the second destroy of 2 (ENOENT), as intended.
	[ $rc = 1 ] || atf_fail "record exited $rc, not the batch's 1"
	grep -q 'line 9' n.err || atf_fail "the batch did not stop at its last line"
	atf_check -o ignore "$runner" validate n.jsonl
	trace_jq '[.[] | select(.type == "op") |
		[.op, .result // .ioas_op // .option, .object // null,
		 .recorded.errno]] ==
		[["ioas_alloc", "ioas1", null, null],
		 ["ioas_alloc", "ioas2", null, null],
		 ["vfio_ioas", "set", "ioas2", null],
		 ["vfio_ioas", "get", null, null],
		 ["option", "rlimit_mode", null, null],
		 ["option", "huge_pages", "ioas2", null],
		 ["vfio_ioas", "clear", null, null],
		 ["destroy", null, "ioas2", null],
		 ["destroy", null, 2, "ENOENT"]]' n.jsonl
	"$runner" run -j --backend iommufd-nodev --registry "$registry" \
		n.jsonl >report.json
	jq -c --slurpfile t n.jsonl '.traces[0].ops[] |
		[.line, .results["iommufd-nodev"].skipped,
		 .results["iommufd-nodev"].errno,
		 ($t[.line - 1].recorded.errno)] |
		select(.[1] or .[2] != .[3])' report.json >mismatch ||
		atf_fail "report.json cannot be read"
	[ ! -s mismatch ] || { cat mismatch; atf_fail "the replay differs from the recording"; }
}

atf_test_case device_region_valid
device_region_valid_head() {
	atf_set descr "the hand-written device_region trace is valid"
}
device_region_valid_body() {
	atf_check -o match:'valid, 11 operations' \
		"$runner" validate "$traces/device_region.jsonl"
}

atf_test_case device_region_replay
device_region_replay_head() {
	atf_set descr "device_region buffers, group and device ioctls, unreplayable ops in a replay"
	atf_set require.user root
	atf_set require.progs jq
	atf_set timeout 600
}
device_region_replay_body() {
	vfio_target
	set -- --backend type1
	[ -e /dev/iommu ] && set -- "$@" --backend iommufd --backend iommufd-nodev
	"$runner" run -j "$@" --device "$device" --registry "$registry" \
		"$traces/device_region.jsonl" >report.json
	ops='.traces[0].ops | map({(.case | sub(".*:"; "")): .results}) | add'
	ic_report "$ops | .status.type1.errno == null and
		.\"region-info\".type1.errno == null and .ram.type1.errno == null"
	ic_report "$ops | .\"bar-early\" | to_entries | all(.value.skipped and
		(.value.skip_reason | test(\"open_device first|no device\")))"
	ic_report "$ops | .irqs | to_entries | all(.value.skip_reason ==
		\"passes eventfds the replay does not have\")"
	ic_report "$ops | .p2p.type1.errno == null"
	if [ -e /dev/iommu ]; then
		# iommufd's compat layer has no P2P mappings of device memory.
		ic_report "$ops | .p2p.iommufd.errno == \"EFAULT\" and
			.p2p[\"iommufd-nodev\"].skipped and
			.status[\"iommufd-nodev\"].skipped"
	fi
}

# jq -e FILTER on report.json, failing with the report.
ic_report()
{
	jq -e "$1" report.json >/dev/null || {
		echo "jq '$1' is false for:" >&2
		cat report.json >&2
		atf_fail "report.json: a check of the report is false (see stderr)"
	}
}

atf_test_case convert_inputs
convert_inputs_head() {
	atf_set descr "record --convert refuses what is no recorder log, and blames a bad -o, not the input"
	atf_set require.progs python3
	atf_set timeout 60
}
convert_inputs_body() {
	mkfifo fifo.bin
	atf_check -s exit:2 -e match:'fifo.bin: not a regular file' \
		timeout 20 "$runner" record --convert fifo.bin -o f.jsonl
	head -c 4096 /dev/urandom >random.bin
	atf_check -s exit:2 -e match:'random.bin: not a recorder log' \
		"$runner" record --convert random.bin
	: >empty.bin
	atf_check -s exit:2 -e match:'empty.bin: an empty log' \
		"$runner" record --convert empty.bin
	# A log of one record, the header line, as the recorder writes it.
	python3 -c '
import struct
line = b"{\"type\":\"header\",\"format\":\"iommuctl-trace\",\"version\":1,\"page_size\":\"0x1000\"}"
n = (8 + len(line) + 3) & ~3
open("h.bin", "wb").write(struct.pack("<IHH", n, 1, len(line)) + line + b"\0" * (n - 8 - len(line)))'
	atf_check -s exit:2 -e match:'-o nosuchdir/t.jsonl: cannot write in nosuchdir' \
		"$runner" record --convert h.bin -o nosuchdir/t.jsonl
	mkdir d
	atf_check -s exit:3 -e match:'-o d: is a directory' \
		"$runner" record --convert h.bin -o d
	atf_check -e match:'h.jsonl: 0 operations recorded' \
		"$runner" record --convert h.bin -o h.jsonl
}

atf_init_test_cases() {
	atf_add_test_case signal_handler
	atf_add_test_case native_ops
	atf_add_test_case device_region_valid
	atf_add_test_case device_region_replay
	atf_add_test_case no_vfio
	atf_add_test_case killed
	atf_add_test_case passthrough
	atf_add_test_case default_name
	atf_add_test_case usage
	atf_add_test_case convert_inputs
	atf_add_test_case map_loop
	atf_add_test_case workload_type1
	atf_add_test_case let_go
	atf_add_test_case workload_memlock
	atf_add_test_case workload_iommufd
	atf_add_test_case workload_killed
	atf_add_test_case direct_preload
	atf_add_test_case direct_killed
	atf_add_test_case fork_follow
	atf_add_test_case live_log_local
	atf_add_test_case live_program_killed
	atf_add_test_case live_fork_follow
	atf_add_test_case live_record_terminated
	atf_add_test_case live_record_interrupted
	atf_add_test_case live_record_killed
	atf_add_test_case live_dir_missing
}
