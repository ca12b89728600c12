# SPDX-License-Identifier: GPL-2.0-or-later
#
# corpus-cache.sh, the whole-trace replays the per-op corpus cases share,
# on any machine: an op cut from a whole-trace report is what `run --tap
# --case` reports for it, with the same exit status (the built runner
# over the corpus, where the host lets it replay, and a stub runner with
# every kind of verdict); the key misses on every change; cases running
# at once make one replay; and every reason the cache cannot stand for a
# case sends the case to replay alone, saying why.

cache_here=$(cd "$(dirname "$0")" && pwd -P)
case $cache_here in
"@abs_top_builddir@"/*)
	built_runner="@abs_top_builddir@/src/conformance/iommuctl-conformance"
	traces="@abs_top_srcdir@/tests/traces"
	built_registry="@abs_top_srcdir@/src/conformance/known-divergences.json"
	;;
*)
	built_runner="@sbindir@/iommuctl-conformance"
	traces="@pkgdatadir@/traces"
	built_registry="@pkgdatadir@/known-divergences.json"
	;;
esac

# A case's directory as kyua makes it (ROOT/N/work), ROOT standing for
# one kyua run; the cache and the log of whole-trace replays outside.
enter_case() {
	mkdir -p "$top/${2:-kyua.one}/$1/work"
	cd "$top/${2:-kyua.one}/$1/work" || atf_fail "no case directory"
}

use_cache() {
	top=$PWD
	cache_dir=$top/cache cache_mode=device cache_key_extra=
	runner=$1 registry=$2
	: >"$top/whole.log"
	enter_case 1
}

# corpus_cases_test's replay, logged so that the tests can count them.
cache_whole_run() {
	echo "$1" >>"$top/whole.log"
	cache_runner "$@"
}

whole_runs() {
	wc -l <"$top/whole.log" | tr -d ' '
}

# The op ids of a corpus trace, as corpus_cases_test finds them.
trace_ids() {
	grep -o '"id":"[A-Za-z0-9-]*"' "$1" | sed 's/^"id":"\(.*\)"$/\1/'
}

# Whether op ID of TRACE has TAP in FILE and STATUS as its --case run.
check_alone() {
	local trace=$1 id=$2 file=$3 status=$4 alone_status
	"$runner" run --tap --registry "$registry" --case "$id" "$trace" \
		>alone.tap 2>/dev/null
	alone_status=$?
	cmp -s "$file" alone.tap ||
		atf_fail "$id: $(tr '\n' '|' <"$file") against $(tr '\n' '|' <alone.tap) alone"
	[ "$status" = "$alone_status" ] ||
		atf_fail "$id: status $status against $alone_status alone"
}

# Op ID of TRACE cut from ENTRY's TAP must be its --case run.
check_cut() {
	cache_cut "$3/tap" "${1##*/}" "$2" >cut.tap
	check_alone "$1" "$2" cut.tap $?
}

# Op ID of TRACE from the cache, made for it, must be its --case run; the
# entry in entry.
check_case() {
	local base=${1##*/}
	cache_case "$1" "$2" || atf_fail "$2: not from the cache: $cache_why"
	check_alone "$1" "$2" tap.out "$cache_status"
	for entry in "$cache_dir/${base%.jsonl}.$cache_mode".*; do
		[ -d "$entry" ] && break
	done
}

atf_test_case built_runner
built_runner_head() {
	atf_set descr "corpus ops cut from their trace's replay are their --case runs, one replay a trace"
	atf_set timeout 900
}
built_runner_body() {
	local trace id ids first entry n=0 i stride=3
	# Each trace's first and last op and every third between, the third
	# counted from a different op in each trace, where the per-op corpus
	# cases run (they need both nodes): checking each op alone replays
	# the corpus's n(n+1)/2 ops, which outgrew a case's time in a TCG
	# guest. Elsewhere they skip and nothing reads the cache: every
	# eighth.
	[ -e /dev/vfio/vfio ] && [ -e /dev/iommu ] || stride=8
	use_cache "$built_runner" "$built_registry"
	for trace in "$traces"/*.jsonl; do
		n=$((n + 1))
		first=
		ids=$(trace_ids "$trace")
		i=0
		for id in $ids; do
			i=$((i + 1))
			if [ -z "$first" ]; then
				check_case "$trace" "$id"
				first=$id
			elif [ $(((i + n) % stride)) = 0 ] || [ "$id" = "${ids##*[[:space:]]}" ]; then
				check_cut "$trace" "$id" "$entry"
			fi
		done
	done
	[ "$(whole_runs)" = "$n" ] || atf_fail "$(whole_runs) replays for $n traces"
}

# A runner that gives the verdicts the trace lists, one "ID KIND" a line.
make_stub() {
	cat >"$top/stub" <<'EOF'
#!/bin/sh
# run --tap --registry FILE [--mdev UUID] [--case ID] TRACE
only= status=0 n=0
while [ $# -gt 1 ]; do
	case $1 in
	--case) only=$2; shift ;;
	--registry | --mdev) shift ;;
	esac
	shift
done
base=$(basename "$1")
[ -z "$only" ] && [ -n "${STUB_SLEEP:-}" ] && sleep "$STUB_SLEEP"
[ -z "$only" ] && [ -n "${STUB_EXIT:-}" ] && exit "$STUB_EXIT"
while read -r id kind; do
	[ -z "$only" ] || [ "$id" = "$only" ] || continue
	n=$((n + 1))
	case $kind in
	ok) echo "ok $n - $base:$id" ;;
	skip) echo "ok $n - $base:$id # SKIP a reason # SKIP with ok 3 - in it" ;;
	known)
		echo "ok $n - $base:$id"
		echo "# iommufd unmapped: type1 0x1000, other 0x0 (empty-unmap)"
		;;
	bad)
		echo "not ok $n - $base:$id"
		echo "# iommufd errno: type1 null, other EINVAL (unexpected)"
		echo "# iommufd-nodev errno: type1 null, other EINVAL (unexpected)"
		status=1
		;;
	esac
	[ -z "$only" ] || break
done <"$1"
[ -z "${STUB_DROP:-}" ] && echo "1..$n"
exit $status
EOF
	chmod +x "$top/stub"
	echo '{}' >"$top/registry"
}

stub_trace() {
	printf '%s\n' "a-1 ok" "b-2 bad" "c-3 skip" "d-4 known" "e-5 bad" \
		"f-6 ok" >"$top/$1"
}

atf_test_case stub_verdicts
stub_verdicts_head() {
	atf_set descr "ok, not ok, skipped and known ops cut as --case gives them"
}
stub_verdicts_body() {
	local id
	use_cache "$PWD/stub" "$PWD/registry"
	make_stub
	stub_trace t.jsonl
	for id in f-6 a-1 b-2 c-3 d-4 e-5; do
		check_case "$top/t.jsonl" "$id"
	done
	[ "$(whole_runs)" = 1 ] || atf_fail "$(whole_runs) replays, not 1"
}

# Case ID of trace t.jsonl; whether it came from the cache.
cached() {
	cache_case "$top/t.jsonl" "$1"
}

atf_test_case key
key_head() {
	atf_set descr "a change of trace, runner, registry, mode, extra key or kyua run misses the entry"
}
key_body() {
	local entry n
	use_cache "$PWD/stub" "$PWD/registry"
	make_stub
	stub_trace t.jsonl
	cached a-1 && cached c-3 || atf_fail "$cache_why"
	[ "$(whole_runs)" = 1 ] || atf_fail "two cases, $(whole_runs) replays"
	echo "g-7 ok" >>"$top/t.jsonl"
	cached a-1 && [ "$(whole_runs)" = 2 ] || atf_fail "trace change kept"
	cached g-7 || atf_fail "the new op: $cache_why"
	echo "# another build" >>"$top/stub"
	cached a-1 && [ "$(whole_runs)" = 3 ] || atf_fail "runner change kept"
	echo '{"x":1}' >"$top/registry"
	cached a-1 && [ "$(whole_runs)" = 4 ] || atf_fail "registry change kept"
	cache_mode=mdev
	cached a-1 && [ "$(whole_runs)" = 5 ] || atf_fail "mode change kept"
	cache_mode=device
	cached a-1 && [ "$(whole_runs)" = 5 ] || atf_fail "the device entry lost"
	cache_key_extra="dmaprobe other"
	cached a-1 && [ "$(whole_runs)" = 6 ] || atf_fail "extra key kept"
	enter_case 1 kyua.two
	cached a-1 && [ "$(whole_runs)" = 7 ] || atf_fail "another kyua run hit"
	enter_case 2 kyua.two
	cached b-2 && [ "$(whole_runs)" = 7 ] || atf_fail "the same kyua run missed"
	# One entry a trace and mode: the replaced ones are gone.
	n=0
	for entry in "$cache_dir"/t.device.*; do
		[ -d "$entry" ] && n=$((n + 1))
	done
	[ "$n" = 1 ] || atf_fail "old entries kept: $(ls "$cache_dir")"
}

atf_test_case concurrent
concurrent_head() {
	atf_set descr "cases started together make one replay and all get their op"
}
concurrent_body() {
	local i
	use_cache "$PWD/stub" "$PWD/registry"
	make_stub
	stub_trace t.jsonl
	export STUB_SLEEP=2
	for i in 1 2 3 4 5 6; do
		(
			enter_case "$i"
			id=$(sed -n "${i}p" "$top/t.jsonl" | cut -d' ' -f1)
			cached "$id" || exit 3
			head -n 1 tap.out >"$top/got.$i"
			echo "$cache_status" >>"$top/got.$i"
		) &
	done
	wait
	unset STUB_SLEEP
	[ "$(whole_runs)" = 1 ] || atf_fail "$(whole_runs) replays, not 1"
	for i in 1 2 3 4 5 6; do
		id=$(sed -n "${i}p" "$top/t.jsonl" | cut -d' ' -f1)
		"$runner" run --tap --registry "$registry" \
			--case "$id" "$top/t.jsonl" >alone
		echo $? >status
		{ head -n 1 alone; cat status; } >want
		cmp -s want "$top/got.$i" || atf_fail "case $i: $(cat "$top/got.$i" 2>/dev/null)"
	done
}

atf_test_case fallback
fallback_head() {
	atf_set descr "a case replays alone, and says why, when the cache cannot stand for it"
}
fallback_body() {
	use_cache "$PWD/stub" "$PWD/registry"
	make_stub
	stub_trace t.jsonl
	STUB_EXIT=2
	export STUB_EXIT
	! cached a-1 || atf_fail "a failed replay used"
	echo "$cache_why" | grep -q 'whole-trace replay exited 2' ||
		atf_fail "why: $cache_why"
	! cached b-2 && [ "$(whole_runs)" = 1 ] || atf_fail "a failed replay retried"
	unset STUB_EXIT
	enter_case 1 kyua.dropped
	STUB_DROP=1
	export STUB_DROP
	! cached a-1 || atf_fail "a report without its plan used"
	echo "$cache_why" | grep -q 'did not report each op once' ||
		atf_fail "why: $cache_why"
	unset STUB_DROP
	enter_case 1 kyua.slow
	STUB_SLEEP=5 cache_budget=1
	export STUB_SLEEP
	! cached a-1 || atf_fail "an unfinished replay used"
	echo "$cache_why" | grep -q 'did not finish in 1 s' ||
		atf_fail "why: $cache_why"
	unset STUB_SLEEP
	cache_budget=240
	enter_case 1 kyua.good
	! cached z-0 || atf_fail "an op not in the trace cut"
	echo "$cache_why" | grep -q 'no op z-0' || atf_fail "why: $cache_why"
	ICTL_CORPUS_CASES_CACHE=off
	! cached a-1 || atf_fail "used when turned off"
	echo "$cache_why" | grep -q 'ICTL_CORPUS_CASES_CACHE=off' ||
		atf_fail "why: $cache_why"
	unset ICTL_CORPUS_CASES_CACHE
	mkdir "$top/plain" && cd "$top/plain" || atf_fail "no directory"
	! cached a-1 || atf_fail "used outside a kyua run"
	echo "$cache_why" | grep -q 'not run by kyua' || atf_fail "why: $cache_why"
	enter_case 2 kyua.good
	cache_dir=/dev/null/cache
	! cached a-1 || atf_fail "used with no place to keep it"
	echo "$cache_why" | grep -q 'cannot write to /dev/null/cache' ||
		atf_fail "why: $cache_why"
}

atf_test_case cases_program
cases_program_head() {
	atf_set descr "corpus_cases_1_test's first cases end alike cut from the cache and replayed alone"
	atf_set timeout 900
}
cases_program_body() {
	local program case n=0
	program=$(atf_get_srcdir)/corpus_cases_1_test
	case $cache_here in
	"@abs_top_builddir@"/*) ;;
	*) [ "$(id -u)" = 0 ] ||
		atf_skip "the installed cases keep their cache in /run: root only" ;;
	esac
	top=$PWD
	# A few, named as the program names them (its listing is slow): the
	# 1st, 6th, 11th... op of the corpus, each case two runs.
	for case in $(grep -o '"id":"[A-Za-z0-9-]*"' "$traces"/*.jsonl |
		sed -n -e 's|^.*/\([^/]*\)\.jsonl:"id":"\(.*\)"$|\1__\2|' \
			-e 'y/-./__/' -e '1~5p' | head -n 6); do
		n=$((n + 1))
		enter_case "$n"
		"$program" -r cut.res "$case" >cut.out 2>cut.err
		grep -q '^# cut from the whole-trace replay' cut.err ||
			atf_fail "$case: not from the cache: $(cat cut.err)"
		ICTL_CORPUS_CASES_CACHE=off "$program" -r alone.res "$case" \
			>alone.out 2>alone.err
		grep -q '^# replayed alone: ICTL_CORPUS_CASES_CACHE=off' alone.err ||
			atf_fail "$case: not replayed alone: $(cat alone.err)"
		cmp -s cut.res alone.res && cmp -s cut.out alone.out ||
			atf_fail "$case: $(cat cut.res) cut, $(cat alone.res) alone"
	done
	[ "$n" = 6 ] || atf_fail "$n cases listed"
}

atf_init_test_cases() {
	atf_add_test_case built_runner
	atf_add_test_case cases_program
	atf_add_test_case stub_verdicts
	atf_add_test_case key
	atf_add_test_case concurrent
	atf_add_test_case fallback
}
