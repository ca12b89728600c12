# SPDX-License-Identifier: GPL-2.0-or-later
#
# The trace corpus with one kyua test case per operation, so that every
# case counts in the totals: TRACE__ID (the trace's file name without
# .jsonl, the op's id with "-" as "_"). Each case is the TAP `run --tap
# --case` gives it: the runner replays the trace up to that op, from a
# fresh state on every backend, and judges that op alone. The cases of a
# trace cut their TAP from one replay of the whole trace, made by the
# first of them to run (corpus-cache.sh says why that is the same TAP,
# and when a case replays alone instead; ICTL_CORPUS_CASES_CACHE=off in
# kyua's environment makes every case replay alone). A "not ok"
# (an unexpected divergence or an unmet expectation) fails the case with
# the runner's evidence; a skipped op skips with the runner's reason;
# known divergences pass and print their evidence.
#
# The real programs' traces (tests/traces/real) are one case each,
# real__NAME: the whole trace replayed, failed by any "not ok".
#
# Each case is a comparison, so it needs /dev/iommu as well as the VFIO
# container; on a kernel with the container alone (Debian's stock one)
# corpus_test replays the whole corpus on type1 against the traces' own
# expectations.
#
# corpus_cases_N_test (N = 1..corpus_shards) lets the runner pick the
# device (a vfio-pci device in the VM), each program taking every
# corpus_shards-th case: kyua lists a program's cases in one call with a
# time limit, and atf-sh spends a few forks on every case's metadata,
# which under TCG makes a list of all ~200 cases outlast that limit.
# corpus_cases_mdev_N_test (N = 1..corpus_mdev_shards), sharded the same
# way, replays the traces with device steps on a
# DMA-probe mdev it creates (and removes) around the replay, so the
# device DMA steps run: one mdev for the whole-trace replay, one around
# each case replayed alone. Either way each backend opens the device anew
# and the DMA-probe module starts an open device afresh (its
# open_device and close_device reset the counters and drop the pins), as
# within one --case run, where the backends share the mdev already.
# Where this program is, without the two processes $(cd $(dirname)) costs.
case $0 in
*/*) corpus_here=${0%/*} ;;
*) corpus_here=. ;;
esac
corpus_cwd=$PWD
cd -P "$corpus_here" && corpus_here=$PWD && cd "$corpus_cwd" || exit 2
. "$corpus_here/corpus-env.sh"

corpus_shards=5 corpus_mdev_shards=2
corpus_mdev=false corpus_shard=
# Under TCG every fork counts: kyua runs the program once per case, so
# what runs before the body runs that often; parameter expansion stands in
# for basename and tr below.
case ${0##*/} in
corpus_cases_mdev_[1-9]_test)
	corpus_mdev=true corpus_shards=$corpus_mdev_shards
	corpus_shard=${0##*corpus_cases_mdev_}
	corpus_shard=${corpus_shard%_test}
	;;
corpus_cases_[1-9]_test) corpus_shard=${0##*corpus_cases_}; corpus_shard=${corpus_shard%_test} ;;
*) echo "$0: named neither corpus_cases_N_test nor corpus_cases_mdev_N_test" >&2; exit 2 ;;
esac
# The shards of a kind share their entries; the mdev shards have their own.
cache_dir=$corpus_cache_dir cache_mode=device
$corpus_mdev && cache_mode=mdev

# Whether the Nth case (from 1) belongs to this program.
in_shard() {
	[ -z "$corpus_shard" ] || [ $((($1 - 1) % corpus_shards + 1)) = "$corpus_shard" ]
}

# corpus-cache.sh's replay of a whole trace into TAP and ERR.
cache_whole_run() {
	local trace=$1 tap=$2 err=$3 status
	set --
	if $corpus_mdev; then
		mdev_setup || atf_skip "$mdev_why"
		set -- --mdev "$mdev_uuid"
	fi
	cache_runner "$trace" "$tap" "$err" "$@"
	status=$?
	$corpus_mdev && mdev_teardown
	return $status
}

# Replay one op alone.
replay_case() {
	local trace=$1 id=$2 status
	set --
	if $corpus_mdev; then
		mdev_setup || atf_skip "$mdev_why"
		set -- --mdev "$mdev_uuid"
	fi
	"$runner" run --tap --registry "$registry" "$@" --case "$id" \
		"$trace" >tap.out 2>tap.err
	status=$?
	$corpus_mdev && mdev_teardown
	return $status
}

# One case, from its trace's whole replay or alone; the TAP line decides.
run_case() {
	local trace=$1 id=$2 line status
	$corpus_mdev && cache_key_extra="dmaprobe $(dmaprobe_identity)"
	if cache_case "$trace" "$id"; then
		status=$cache_status
	else
		echo "# replayed alone: $cache_why" >&2
		replay_case "$trace" "$id"
		status=$?
	fi
	# Echoed by the shell: cat would be one more process a case.
	while IFS= read -r line || [ -n "$line" ]; do
		printf '%s\n' "$line"
	done <tap.out
	line=
	read -r line <tap.out
	case $line in
	"not ok "*)
		atf_fail "$(sed -n 's/^# //p' tap.out | tr '\n' ';') $(cat tap.err)"
		;;
	"ok "*"# SKIP "*)
		atf_skip "${line#*# SKIP }"
		;;
	"ok "*)
		[ "$status" = 0 ] || atf_fail "runner exited $status: $(cat tap.err)"
		;;
	*)
		atf_fail "runner exited $status without a result: $(cat tap.err)"
		;;
	esac
}

# Replay a whole trace; every op must be "ok" (match, known or skipped).
run_trace() {
	local trace=$1 status
	set --
	if $corpus_mdev; then
		mdev_setup || atf_skip "$mdev_why"
		set -- --mdev "$mdev_uuid"
	fi
	"$runner" run --tap --registry "$registry" "$@" "$trace" \
		>tap.out 2>tap.err
	status=$?
	$corpus_mdev && mdev_teardown
	cat tap.out
	if grep -q '^not ok' tap.out; then
		atf_fail "$(grep -c '^not ok' tap.out) unexpected: $(grep -A3 '^not ok' tap.out | tr '\n' ';')"
	fi
	grep -q '^1\.\.0 # SKIP' tap.out && atf_skip "$(sed -n 's/^1\.\.0 # SKIP //p' tap.out)"
	[ "$status" = 0 ] || atf_fail "runner exited $status: $(cat tap.err)"
}

# atf-sh's atf_set turns a setting's name into a variable's with
# _atf_normalize, which it runs as $(...): its echo | tr costs three
# processes where this costs one. Listing a program's cases runs four
# atf_set a case (ident among them), which under TCG made a list of ~200
# cases outlast kyua's time limit; the shards and this keep it short.
_atf_normalize() {
	local v=${1//./_}
	echo "${v//-/_}"
}

# Whether atf-sh runs the program to list its cases (-l): only then do the
# heads' settings matter (kyua reads them from the list), and each
# atf_set costs two forks, for every case run.
corpus_listing=false
for corpus_arg in "$@"; do
	[ "$corpus_arg" != -l ] || corpus_listing=true
done

# The list itself, printed from what atf_init_test_cases noted, in the
# format atf-sh prints (atf-test-program(1): ident first, then the
# settings in the order the head makes them). atf-sh's own list runs
# each head and reads every setting back with $(atf_get), about twelve
# forks a case: 741 for the 61 cases of one program, seconds on the host
# and a minute under TCG for each program kyua lists. Were a later atf-sh
# to list under another name, its own list would run the heads, which
# still make the same settings.
corpus_idents=() corpus_descrs=() corpus_files=()
_atf_list_tcs() {
	local i n=${#corpus_idents[@]}
	echo 'Content-Type: application/X-atf-tp; version="1"'
	echo
	for ((i = 0; i < n; i++)); do
		printf 'ident: %s\ndescr: %s\nrequire.files: %s\nrequire.user: root\n' \
			"${corpus_idents[i]}" "${corpus_descrs[i]}" "${corpus_files[i]}"
		[ $((i + 1)) = "$n" ] || echo
	done
}

# Add case NAME (its functions defined) with its head's settings.
corpus_add() {
	corpus_idents+=("$1") corpus_descrs+=("$2") corpus_files+=("$3")
	atf_add_test_case "$1"
}

# One test case per op of every corpus trace. kyua runs the program once
# per case and this runs each time, so it costs two processes, not one per
# trace: grep finds every op id (a note cannot fake one, its quotes are
# escaped), sed makes each "TRACE ID NAME".
atf_init_test_cases() {
	local trace base name id cases n=0
	local files
	files="$traces"/*.jsonl
	# On the mdev only the traces with device steps: the rest run there
	# too, as one TAP program (corpus_mdev_test).
	$corpus_mdev && files=$(grep -lE \
		'"op":"(dma_read|dma_write|pin|unpin)"' "$traces"/*.jsonl)
	# shellcheck disable=SC2086
	cases=$(grep -o '"id":"[A-Za-z0-9-]*"' $files /dev/null |
		sed -e 's|^\(.*/\)\{0,1\}\([^/]*\)\.jsonl:"id":"\(.*\)"$|\2 \3 \2__\3|' \
			-e 'h;s/^[^ ]* [^ ]* //;s/[-.]/_/g;x;s/ [^ ]*$//;G;s/\n/ /')
	while read -r base id name; do
		[ -n "$id" ] || continue
		n=$((n + 1))
		in_shard $n || continue
		trace=$traces/$base.jsonl
		eval "${name}_head() {
			\$corpus_listing || return 0
			atf_set descr '$base: $id'
			atf_set require.files '/dev/vfio/vfio /dev/iommu'
			atf_set require.user root
		}
		${name}_body() { run_case '$trace' '$id'; }"
		corpus_add "$name" "$base: $id" '/dev/vfio/vfio /dev/iommu'
	done <<EOF_CASES
$cases
EOF_CASES
	$corpus_mdev && return
	for trace in "$traces"/real/*.jsonl; do
		[ -f "$trace" ] || continue
		n=$((n + 1))
		in_shard $n || continue
		base=${trace##*/}
		base=${base%.jsonl}
		name=real__${base//[-.]/_}
		eval "${name}_head() {
			\$corpus_listing || return 0
			atf_set descr 'real program trace: $base'
			atf_set require.files /dev/vfio/vfio
			atf_set require.user root
		}
		${name}_body() { run_trace '$trace'; }"
		corpus_add "$name" "real program trace: $base" /dev/vfio/vfio
	done
}
