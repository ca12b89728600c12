# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/clean-room/run, the runner CI uses to prove README's commands in a
# pristine Debian. These cases use a tiny busybox root file system of their
# own as the base (--base), so they need no archive; the ones about
# debootstrap's failures need only its scripts.

# The runner installs beside this script; the build tree's is the
# source's.
RUNNER=$(cd "$(dirname "$0")" && pwd)/run
[ -x "$RUNNER" ] || RUNNER=@abs_top_srcdir@/tests/clean-room/run

# A root file system with busybox, packed as BASE; PAD MiB of incompressible
# data make it as large as a test needs.
cr_make_base()
{
	_base=$1 _pad=${2:-0}
	mkdir -p rootfs/bin rootfs/usr/bin rootfs/etc/apt rootfs/root rootfs/tmp
	cp "$(command -v busybox)" rootfs/bin/busybox
	for _t in sh env sleep cat ls dd grep touch id pwd echo true false test stat; do
		ln -sf busybox "rootfs/bin/$_t"
	done
	ln -sf ../../bin/busybox rootfs/usr/bin/env
	if [ "$_pad" -gt 0 ]; then
		dd if=/dev/urandom of=rootfs/padding bs=1M count="$_pad" 2>/dev/null
	fi
	tar -C rootfs -czf "$_base" . || atf_fail "cannot pack the test base"
	rm -rf rootfs
}

# A git repository with one committed file and one uncommitted change.
cr_make_repo()
{
	git init -q repo || atf_fail "git init"
	echo committed >repo/file
	git -C repo add file
	git -C repo -c user.name=t -c user.email=t@t commit -q -m one ||
		atf_fail "git commit"
	echo uncommitted >repo/file
	echo new >repo/untracked
}

# Nothing of the clean room may stay mounted in any namespace, and nothing
# may be left in the scratch directory.
cr_check_gone()
{
	_scratch=$(cd "$1" && pwd)
	if cat /proc/[0-9]*/mountinfo 2>/dev/null | grep -qF " $_scratch/"; then
		cat /proc/[0-9]*/mountinfo | grep -F " $_scratch/" >&2
		atf_fail "mounts left under $_scratch"
	fi
	if [ -n "$(ls -A "$_scratch")" ]; then
		ls -la "$_scratch" >&2
		atf_fail "$_scratch not cleaned up"
	fi
}

atf_test_case usage
usage_head()
{
	atf_set "descr" "Bad command lines are usage errors (exit 3) that say what is wrong"
}
usage_body()
{
	atf_check -s exit:3 -e match:"no SUITE" "$RUNNER"
	atf_check -s exit:3 -e match:"no -- after SUITE" "$RUNNER" bookworm true
	atf_check -s exit:3 -e match:"no CMD after --" "$RUNNER" bookworm --
	atf_check -s exit:3 -e match:"unknown option --bogus" "$RUNNER" --bogus bookworm -- true
	atf_check -s exit:3 -e match:"--cache needs a value" "$RUNNER" --cache
	atf_check -s exit:3 -e match:"is not a suite name" "$RUNNER" ../x -- true
	atf_check -s exit:0 -o match:"Usage: run" "$RUNNER" --help
}

atf_test_case unknown_suite
unknown_suite_head()
{
	atf_set "descr" "A suite debootstrap does not know is refused before anything is made"
	atf_set "require.user" "root"
	atf_set "require.progs" "debootstrap"
}
unknown_suite_body()
{
	atf_check -s exit:125 -e match:"debootstrap does not know the suite 'nosuchsuite'" \
		"$RUNNER" --cache cache nosuchsuite -- true
	[ ! -e cache ] || [ -z "$(ls -A cache)" ] || atf_fail "something was made in the cache"
}

atf_test_case no_network
no_network_head()
{
	atf_set "descr" "An archive that cannot be reached is named, with no base cached"
	atf_set "require.user" "root"
	atf_set "require.progs" "debootstrap git"
}
no_network_body()
{
	# Port 9 (discard) on loopback: refused at once, like a closed network.
	# A repository of its own: the installed runner is in no checkout.
	cr_make_repo
	atf_check -s exit:125 -e match:"cannot reach the Debian archive http://127.0.0.1:9/debian" \
		"$RUNNER" --cache cache --mirror http://127.0.0.1:9/debian --repo repo bookworm -- true
	if ls cache/base-* >/dev/null 2>&1; then
		atf_fail "a base was cached from a failed debootstrap"
	fi
}

atf_test_case runs_command
runs_command_head()
{
	atf_set "descr" "CMD runs in the clone of the committed tree, as root, with a clean environment and the mounts, and its exit status is the runner's"
	atf_set "require.user" "root"
	atf_set "require.progs" "busybox git unshare"
}
runs_command_body()
{
	cr_make_base base.tar.gz
	cr_make_repo
	mkdir scratch
	SECRET=leak atf_check -s exit:7 -o save:out -e ignore \
		"$RUNNER" --cache cache --scratch scratch --base base.tar.gz --repo repo \
		bookworm -- sh -c 'pwd; cat file; ls untracked 2>&1; id -u; env | sort;
			test -e /proc/self/status && echo proc;
			test -c /dev/null && echo dev; test -d /dev/pts && echo pts;
			test -d /sys/class && echo sys; touch /dev/shm/x && echo shm; exit 7'
	atf_check -o inline:"/root/iommuctl\ncommitted\n" sed -n '1,2p' out
	grep -q 'untracked.*No such file' out || atf_fail "an uncommitted file entered the clean room"
	atf_check -o inline:"0\n" sed -n '4p' out
	grep -q '^SECRET=' out && atf_fail "the host environment leaked in"
	grep -q '^PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin$' out ||
		atf_fail "PATH is not the plain one"
	for m in proc dev pts sys shm; do
		grep -qx "$m" out || atf_fail "$m is not there inside"
	done
	[ -e /dev/shm/x ] && atf_fail "the clean room's /dev/shm is the host's"
	cr_check_gone scratch
}

atf_test_case interrupt
interrupt_head()
{
	atf_set "descr" "SIGINT half-way ends the command and leaves no mount, process or scratch behind"
	atf_set "require.user" "root"
	atf_set "require.progs" "busybox git unshare"
	atf_set "timeout" "120"
}
interrupt_body()
{
	cr_make_base base.tar.gz
	cr_make_repo
	mkdir scratch
	# Job control: a background job whose SIGINT is not ignored, as in a
	# terminal where Ctrl-C reaches the runner.
	set -m
	"$RUNNER" --cache cache --scratch scratch --base base.tar.gz --repo repo \
		bookworm -- sh -c 'touch started; exec sleep 4177' >out 2>err &
	pid=$!
	set +m
	n=0
	until ls scratch/*/root/root/iommuctl/started >/dev/null 2>&1; do
		n=$((n + 1))
		[ $n -lt 300 ] || { cat err; atf_fail "the command never started"; }
		sleep 0.1
	done
	kill -INT "$pid"
	wait "$pid"
	rc=$?
	[ $rc = 130 ] || { cat err; atf_fail "exit status $rc after SIGINT, not 130"; }
	if pgrep -f 'sleep 4177' >/dev/null; then
		pkill -f 'sleep 4177'
		atf_fail "the command outlived the runner"
	fi
	cr_check_gone scratch
}

atf_test_case interrupt_base
interrupt_base_head()
{
	atf_set "descr" "SIGTERM while the base is made stops debootstrap whole and leaves no half-made base, mount or process"
	atf_set "require.user" "root"
	atf_set "require.progs" "git unshare"
	atf_set "timeout" "120"
}
interrupt_base_body()
{
	[ -e /usr/share/debootstrap/scripts/bookworm ] ||
		atf_skip "debootstrap's bookworm script is not installed (apt-get install debootstrap)"
	# A debootstrap that mounts in its target and then waits, first on PATH.
	mkdir bin
	cat >bin/debootstrap <<'SH'
#!/bin/sh
target=$3
mkdir -p "$target/proc"
mount -t tmpfs fake-debootstrap "$target/proc" || exit 1
touch "$target/started"
exec sleep 4178
SH
	chmod +x bin/debootstrap
	# A repository of its own: the installed runner is in no checkout.
	cr_make_repo
	PATH=$PWD/bin:$PATH "$RUNNER" --cache cache --repo repo bookworm -- true >out 2>err &
	pid=$!
	n=0
	until ls cache/debootstrap.*/root/started >/dev/null 2>&1; do
		n=$((n + 1))
		[ $n -lt 600 ] || { cat err; atf_fail "debootstrap never started"; }
		sleep 0.1
	done
	kill -TERM "$pid"
	wait "$pid"
	rc=$?
	[ $rc = 143 ] || { cat err; atf_fail "exit status $rc after SIGTERM, not 143"; }
	grep -q 'interrupted while making the base' err || { cat err; atf_fail "no message"; }
	if pgrep -f 'sleep 4178' >/dev/null; then
		pkill -f 'sleep 4178'
		atf_fail "debootstrap outlived the runner"
	fi
	if grep -q fake-debootstrap /proc/mounts; then
		atf_fail "debootstrap's mount outlived it"
	fi
	[ -z "$(ls cache | grep -v '\.log$')" ] || { ls -la cache; atf_fail "the cache holds a half-made base"; }
}

atf_test_case full_disk
full_disk_head()
{
	atf_set "descr" "A full disk, while unpacking or while the command runs, is named, and nothing is left behind"
	atf_set "require.user" "root"
	atf_set "require.progs" "busybox git unshare"
}
full_disk_body()
{
	cr_make_repo
	mkdir small
	mount -t tmpfs -o size=6m tmpfs small || atf_skip "cannot mount a tmpfs here"
	echo "$PWD/small" >mounted

	# The base does not fit: unpacking fails.
	cr_make_base big.tar.gz 8
	atf_check -s exit:125 -e match:"no space left on the file system of .*small" \
		"$RUNNER" --cache cache --scratch small --base big.tar.gz --repo repo \
		bookworm -- true
	cr_check_gone small

	# The base fits, the command fills the disk.
	cr_make_base base.tar.gz
	atf_check -s not-exit:0 -e match:"is full; that may be why the command failed" \
		"$RUNNER" --cache cache --scratch small --base base.tar.gz --repo repo \
		bookworm -- dd if=/dev/zero of=/fill bs=1M count=64
	cr_check_gone small
}
full_disk_cleanup()
{
	[ -f mounted ] && umount "$(cat mounted)"
}

atf_init_test_cases()
{
	atf_add_test_case usage
	atf_add_test_case unknown_suite
	atf_add_test_case no_network
	atf_add_test_case runs_command
	atf_add_test_case interrupt
	atf_add_test_case interrupt_base
	atf_add_test_case full_disk
}
