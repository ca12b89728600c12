# SPDX-License-Identifier: GPL-2.0-or-later
#
# The whole-trace cache of the per-op corpus cases (corpus_cases_test.c),
# on any machine: a case cut from its trace's whole replay ends as its op's
# `run --tap --case` ends, with the same report (the built runner over the
# corpus, where the host lets it replay, and a stub runner with every kind
# of verdict); the key misses on every change it names; cases running at
# once make one replay; and every reason the cache cannot stand for a case
# sends the case to replay alone, saying why. The programs are run as kyua
# runs them (ROOT/N/work, ROOT named kyua.*), their paths given as atf
# configuration variables.

cache_here=$(cd "$(dirname "$0")" && pwd -P)
case $cache_here in
"@abs_top_builddir@"/*)
	built_runner="@abs_top_builddir@/src/conformance/iommuctl-conformance"
	corpus="@abs_top_srcdir@/tests/traces"
	built_registry="@abs_top_srcdir@/src/conformance/known-divergences.json"
	;;
*)
	built_runner="@sbindir@/iommuctl-conformance"
	corpus="@pkgdatadir@/traces"
	built_registry="@pkgdatadir@/known-divergences.json"
	;;
esac

# A case's directory as kyua makes it (ROOT/N/work), ROOT standing for
# one kyua run.
enter_case() {
	mkdir -p "$top/${2:-kyua.one}/$1/work"
	cd "$top/${2:-kyua.one}/$1/work" || atf_fail "no case directory"
}

# The test's settings: RUNNER and REGISTRY for the program, the traces in
# TRACES; each whole-trace replay is logged in $top/whole.log (the runner
# is wrapped to log it).
use_cache() {
	top=$PWD
	program=$cache_here/corpus_cases_test
	cache_dir=$top/cache budget=240 replay= traces=$3
	registry=$2
	printf '#!/bin/sh\ncase " $* " in\n*" --case "*) ;;\n*) echo "$*" >>"%s" ;;\nesac\nexec "%s" "$@"\n' \
		"$top/whole.log" "$1" >"$top/runner"
	chmod +x "$top/runner"
	runner=$top/runner
	: >"$top/whole.log"
	enter_case 1
}

whole_runs() {
	wc -l <"$top/whole.log" | tr -d ' '
}

# Case IDENT of the program, as kyua runs it: its stdout in case.out, its
# stderr in case.err, its result in case.res.
run_case() {
	set -- -v traces="$traces" -v runner="$runner" \
		-v registry="$registry" -v cache_dir="$cache_dir" \
		-v cache_budget="$budget" ${replay:+-v replay="$replay"} \
		-r case.res "$1"
	"$program" "$@" >case.out 2>case.err
}

# The case IDENT (op ID of TRACE) must end as the op's --case run does: the
# same report and the result that report and status give.
check_alone() {
	local trace=$1 id=$2 ident=$3 status first want
	"$runner" run --tap --registry "$registry" --case "$id" "$trace" \
		>alone.tap 2>/dev/null
	status=$?
	cmp -s case.out alone.tap ||
		atf_fail "$id: $(tr '\n' '|' <case.out) against $(tr '\n' '|' <alone.tap) alone"
	read -r first <alone.tap
	case $first in
	"not ok "*) want=failed: ;;
	"ok "*"# SKIP "*) want="skipped: ${first#*# SKIP }" ;;
	"ok "*) [ "$status" = 0 ] && want=passed || want=failed: ;;
	*) want=failed: ;;
	esac
	case $(cat case.res) in
	"$want"*) ;;
	*) atf_fail "$ident: $(cat case.res), alone $want (status $status)" ;;
	esac
}

# The case of op ID of trace T.jsonl in $traces, from the cache: checked
# against the op's --case run.
check_cached() {
	local trace=$traces/$1 id=$2 ident
	ident=${1%.jsonl}__$id
	ident=$(echo "$ident" | tr .- __)
	run_case "$ident"
	grep -q '^# cut from the whole-trace replay' case.err ||
		atf_fail "$ident: not from the cache: $(cat case.err)"
	check_alone "$trace" "$id" "$ident"
}

# Case ID of t.jsonl; whether it came from the cache ("why" holds the
# reason when not).
cached() {
	local ident
	ident=t__$(echo "$1" | tr .- __)
	run_case "$ident"
	why=$(sed -n 's/^# replayed alone: //p' case.err)
	grep -q '^# cut from the whole-trace replay' case.err
}

atf_test_case built_runner
built_runner_head() {
	atf_set descr "corpus cases cut from their trace's replay end as their --case runs, one replay a trace"
	atf_set timeout 900
}
built_runner_body() {
	local trace id ids first n=0 i stride=8
	# Each trace's first and last op and every eighth between, counted
	# from a different op in each trace, where the corpus cases run (they
	# need both nodes): each check replays its op alone as well, about
	# 1.4 s in a TCG guest. Elsewhere they skip: every sixteenth.
	[ -e /dev/vfio/vfio ] && [ -e /dev/iommu ] || stride=16
	use_cache "$built_runner" "$built_registry" "$corpus"
	for trace in "$traces"/*.jsonl; do
		n=$((n + 1))
		first=
		ids=$(grep -o '"id":"[A-Za-z0-9-]*"' "$trace" |
			sed 's/^"id":"\(.*\)"$/\1/')
		i=0
		for id in $ids; do
			i=$((i + 1))
			if [ -z "$first" ] || [ $(((i + n) % stride)) = 0 ] ||
				[ "$id" = "${ids##*[[:space:]]}" ]; then
				enter_case "$n.$i"
				check_cached "${trace##*/}" "$id"
				first=$id
			fi
		done
	done
	[ "$(whole_runs)" = "$n" ] || atf_fail "$(whole_runs) replays for $n traces"
}

# A runner that gives the verdicts the trace lists, one `{"id":"ID"} KIND`
# a line; STUB_OMIT=ID leaves that op out of its reports.
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
while read -r json kind; do
	id=${json#*'"id":"'}
	id=${id%%'"'*}
	[ -z "$only" ] || [ "$id" = "$only" ] || continue
	[ "$id" != "${STUB_OMIT:-}" ] || continue
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

# The stub's trace NAME in DIR (default $top/traces).
stub_trace() {
	mkdir -p "${2:-$top/traces}"
	printf '{"id":"%s"} %s\n' a-1 ok b-2 bad c-3 skip d-4 known e-5 bad \
		f-6 ok >"${2:-$top/traces}/$1"
}

# use_cache with the stub, its trace t.jsonl.
use_stub() {
	use_cache "$PWD/stub" "$PWD/registry" "$PWD/traces"
	make_stub
	stub_trace t.jsonl
}

atf_test_case stub_verdicts
stub_verdicts_head() {
	atf_set descr "ok, not ok, skipped and known ops cut as --case gives them, one replay"
}
stub_verdicts_body() {
	local id n=0
	use_stub
	for id in f-6 a-1 b-2 c-3 d-4 e-5; do
		n=$((n + 1))
		enter_case "$n"
		check_cached t.jsonl "$id"
	done
	[ "$(whole_runs)" = 1 ] || atf_fail "$(whole_runs) replays, not 1"
	# The evidence of a failed op is in its reason.
	enter_case 7
	cached b-2
	grep -q '^failed: .*iommufd errno: type1 null, other EINVAL (unexpected)' case.res ||
		atf_fail "b-2: $(cat case.res)"
}

atf_test_case key
key_head() {
	atf_set descr "a change of trace, runner, registry, mode, DMA-probe module or kyua run misses the entry"
}
key_body() {
	local entry n
	use_stub
	cached a-1 && cached c-3 || atf_fail "$why"
	[ "$(whole_runs)" = 1 ] || atf_fail "two cases, $(whole_runs) replays"
	echo '{"id":"g-7"} ok' >>"$traces/t.jsonl"
	cached a-1 && [ "$(whole_runs)" = 2 ] || atf_fail "trace change kept"
	cached g-7 && [ "$(whole_runs)" = 2 ] || atf_fail "the new op: $why"
	# The runner as a new build of it: another file at the same path.
	echo "# another build" >>"$top/runner"
	cached a-1 && [ "$(whole_runs)" = 3 ] || atf_fail "runner change kept"
	echo '{"x":1}' >"$top/registry"
	cached a-1 && [ "$(whole_runs)" = 4 ] || atf_fail "registry change kept"
	# The mdev program, its helper standing in for the mdev (it runs the
	# runner as the device one does) and its module a file of the test's.
	program=$cache_here/corpus_cases_mdev_test
	printf '#!/bin/sh\nmode=$1 budget=$2 runner=$3 registry=$4 tap=$5 err=$6\nshift 6\nexec "$runner" run --tap --registry "$registry" "$@" >"$tap" 2>"$err"\n' \
		>"$top/replay"
	chmod +x "$top/replay"
	replay=$top/replay
	echo 'pin' >"$top/dmaprobe.ko"
	# The mdev program takes the traces with device steps.
	echo '{"id":"p-8","op":"pin"} ok' >>"$traces/t.jsonl"
	IOMMUCTL_DMAPROBE_KO=$top/dmaprobe.ko
	export IOMMUCTL_DMAPROBE_KO
	cached a-1 && [ "$(whole_runs)" = 5 ] || atf_fail "mode change kept: $why"
	cached p-8 && [ "$(whole_runs)" = 5 ] || atf_fail "mdev entry missed: $why"
	echo 'another build' >>"$top/dmaprobe.ko"
	n=5
	# A loaded module is the one an mdev replay uses, and the key names
	# its srcversion, which this test cannot change: the file is not read.
	[ -d /sys/module/iommuctl_dmaprobe ] || n=6
	cached a-1 && [ "$(whole_runs)" = $n ] || atf_fail "module change: $(whole_runs) replays, not $n"
	program=$cache_here/corpus_cases_test replay=
	n=$((n + 1))
	cached a-1 && [ "$(whole_runs)" = $n ] || atf_fail "device entry kept across a trace change"
	cached b-2 && [ "$(whole_runs)" = $n ] || atf_fail "device entry lost"
	enter_case 1 kyua.two
	n=$((n + 1))
	cached a-1 && [ "$(whole_runs)" = $n ] || atf_fail "another kyua run hit"
	enter_case 2 kyua.two
	cached b-2 && [ "$(whole_runs)" = $n ] || atf_fail "the same kyua run missed"
	# One entry a trace and mode: the replaced ones are gone.
	n=0
	for entry in "$cache_dir"/t.device.*; do
		case $entry in *.lock) continue ;; esac
		[ -d "$entry" ] && n=$((n + 1))
	done
	[ "$n" = 1 ] || atf_fail "old entries kept: $(ls "$cache_dir")"
}

atf_test_case concurrent
concurrent_head() {
	atf_set descr "cases started together make one replay and all get their op"
}
concurrent_body() {
	local i id
	use_stub
	export STUB_SLEEP=2
	for i in 1 2 3 4 5 6; do
		(
			id=$(sed -n "${i}s/^{\"id\":\"\([^\"]*\)\".*/\1/p" "$traces/t.jsonl")
			enter_case "$i"
			cached "$id" || exit 3
		) &
	done
	wait
	unset STUB_SLEEP
	[ "$(whole_runs)" = 1 ] || atf_fail "$(whole_runs) replays, not 1"
	for i in 1 2 3 4 5 6; do
		id=$(sed -n "${i}s/^{\"id\":\"\([^\"]*\)\".*/\1/p" "$traces/t.jsonl")
		cd "$top/kyua.one/$i/work" || atf_fail "no case $i"
		grep -q '^# cut from the whole-trace replay' case.err ||
			atf_fail "case $i: $(cat case.err)"
		check_alone "$traces/t.jsonl" "$id" "case $i"
	done
}

# The case of ID replays alone, saying WHY, and ends as --case does.
check_fallback() {
	local id=$1 want=$2
	! cached "$id" || atf_fail "$id: from the cache, not alone ($want)"
	case $why in
	*"$want"*) ;;
	*) atf_fail "$id: replayed alone because '$why', not '$want'" ;;
	esac
	check_alone "$traces/t.jsonl" "$id" "$id"
}

atf_test_case fallback
fallback_head() {
	atf_set descr "a case replays alone, and says why, when the cache cannot stand for it"
}
fallback_body() {
	use_stub
	STUB_EXIT=2
	export STUB_EXIT
	check_fallback a-1 'whole-trace replay exited 2'
	check_fallback b-2 'whole-trace replay exited 2'
	[ "$(whole_runs)" = 1 ] || atf_fail "a failed replay retried"
	unset STUB_EXIT
	enter_case 1 kyua.dropped
	STUB_DROP=1
	export STUB_DROP
	check_fallback a-1 'did not report each op once'
	unset STUB_DROP
	enter_case 1 kyua.slow
	STUB_SLEEP=5 budget=1
	export STUB_SLEEP
	check_fallback a-1 'did not finish in 1 s'
	unset STUB_SLEEP
	budget=240
	enter_case 1 kyua.omitted
	STUB_OMIT=f-6
	export STUB_OMIT
	check_fallback f-6 'no op f-6 in the whole-trace replay'
	grep -q '^failed: runner exited 0 without a result' case.res ||
		atf_fail "f-6: $(cat case.res)"
	unset STUB_OMIT
	enter_case 1 kyua.good
	ICTL_CORPUS_CASES_CACHE=off
	export ICTL_CORPUS_CASES_CACHE
	check_fallback a-1 'ICTL_CORPUS_CASES_CACHE=off'
	unset ICTL_CORPUS_CASES_CACHE
	mkdir "$top/plain" && cd "$top/plain" || atf_fail "no directory"
	check_fallback a-1 'not run by kyua'
	enter_case 2 kyua.good
	cache_dir=/dev/null/cache
	check_fallback a-1 'cannot write to /dev/null/cache'
}

atf_test_case real_traces
real_traces_head() {
	atf_set descr "a real program's trace is one case: passed when every op is ok, failed with the count otherwise"
}
real_traces_body() {
	use_stub
	mkdir "$traces/real"
	printf '{"id":"%s"} %s\n' a-1 ok c-3 skip d-4 known >"$traces/real/good.jsonl"
	stub_trace bad-1.2.jsonl "$traces/real"
	run_case real__good
	[ "$(cat case.res)" = passed ] || atf_fail "good: $(cat case.res)"
	grep -q '^ok 3 - good.jsonl:d-4$' case.out || atf_fail "good: $(cat case.out)"
	run_case real__bad_1_2
	grep -q '^failed: 2 unexpected: ' case.res || atf_fail "bad: $(cat case.res)"
	# The mdev program replays no real program's trace.
	"$cache_here/corpus_cases_mdev_test" -v traces="$traces" -l >list
	! grep -q '^ident: real__' list || atf_fail "real traces on the mdev"
}

atf_init_test_cases() {
	atf_add_test_case built_runner
	atf_add_test_case stub_verdicts
	atf_add_test_case key
	atf_add_test_case concurrent
	atf_add_test_case fallback
	atf_add_test_case real_traces
}
