# SPDX-License-Identifier: GPL-2.0-or-later
#
# The whole-trace cache of the per-op corpus cases (corpus_cases_test,
# tested by corpus_cache_test).
#
# A case judges one op: `run --tap --case ID` replays the trace up to that
# op on every backend, each from a fresh state (run.c: replay_backend
# opens the backend anew and fills an op's row before the next op runs),
# and judges that op's row alone. The ops after it cannot change what its
# row holds, so one replay of the whole trace gives every op the verdict
# its own --case run gives. The first case of a trace to run makes that
# replay and keeps its TAP; every case, the first too, cuts its own op out
# of it, numbered as --case numbers it. A trace of n ops costs n replayed
# ops per backend instead of n(n+1)/2.
#
# An entry holds for one kyua run (the directory kyua makes its cases'
# work directories in), one trace content, one runner binary, one
# registry, one device mode, one boot of one kernel and the VFIO devices
# and parameters the runner chooses from; it is named by a hash of all of
# that, so any change misses it. The entries of one trace and mode are
# made and read under one flock(1). Whatever stops the cache (turned off,
# no flock or sha256sum, not run by kyua, a directory that cannot be
# written, a whole-trace replay that did not report every op) leaves
# cache_why saying so, and the case replays its op alone as before.
#
# The caller sets runner, registry, cache_dir and cache_mode (a word: the
# device mode, part of the entry's name), may set cache_key_extra (more
# lines for the key), and defines cache_whole_run TRACE TAP ERR, which
# replays the whole trace (with cache_runner) and returns its status.

cache_budget=240	# seconds a whole-trace replay may take (kyua gives 300)
cache_wait=300		# seconds to wait for another case making the entry

# What the runner's choice of device and its replay depend on, besides
# the kernel: the VFIO groups and devices, mdevs, the VFIO and iommufd
# module parameters (dma_entry_limit), locked memory, huge pages. Under
# TCG every fork counts: the shell's own globs, read and ulimit.
cache_environment() {
	local f v
	echo groups /dev/vfio/*
	echo vfio-pci /sys/bus/pci/drivers/vfio-pci/*:*
	echo mdevs /sys/bus/mdev/devices/*
	for f in /proc/sys/vm/nr_hugepages /sys/module/vfio*/parameters/* \
		/sys/module/iommufd/parameters/*; do
		[ -r "$f" ] && read -r v <"$f" && echo "$f $v"
	done
	echo memlock
	ulimit -l
}

# The key of TRACE's entry, one fact a line; fails when a part is unknown.
# The scope is the kyua run: kyua runs each case in ROOT/N/work, ROOT a
# fresh mkdtemp(3) directory for each `kyua test`.
cache_key() {
	local trace=$1 sums boot release version
	case $PWD in
	*/kyua.*/[0-9]*/work) ;;
	*) return 1 ;;
	esac
	sums=$(sha256sum "$trace" "$runner" "$registry" 2>/dev/null) || return 1
	read -r boot </proc/sys/kernel/random/boot_id || return 1
	read -r release </proc/sys/kernel/osrelease || return 1
	read -r version </proc/sys/kernel/version || return 1
	echo "iommuctl corpus cases cache 1"
	echo "scope ${PWD%/*/work}"
	echo "boot $boot"
	echo "kernel $release $version"
	echo "mode $cache_mode"
	echo "$sums"
	[ -z "${cache_key_extra:-}" ] || echo "$cache_key_extra"
	cache_environment
}

# Replay TRACE whole into TAP and ERR within the budget: the runner's
# status, 124 when it ran out of time.
cache_runner() {
	local trace=$1 tap=$2 err=$3
	shift 3
	timeout -k 10 "$cache_budget" "$runner" run --tap \
		--registry "$registry" "$@" "$trace" >"$tap" 2>"$err"
}

# Whether TAP (status STATUS) reports every op of trace BASE and nothing
# else, as `run --tap` does when it could replay the trace; if not, why.
cache_check() {
	local tap=$1 status=$2 base=$3
	case $status in
	0 | 1) ;;
	124) echo "did not finish in $cache_budget s"; return 1 ;;
	*) echo "exited $status"; return 1 ;;
	esac
	awk -v base="$base:" -v status="$status" '
		/^(not )?ok [0-9]+ - / {
			n++
			line = $0
			sub(/^(not )?ok [0-9]+ - /, "", line)
			if (substr(line, 1, length(base)) != base)
				bad = 1
			if ($0 ~ /^not ok/)
				failed = 1
			next
		}
		/^1\.\.[0-9]+$/ { plan = substr($0, 4) + 0; next }
		/^# / { next }
		{ bad = 1 }
		END {
			if (bad || !n || plan != n)
				print "did not report each op once"
			else if (failed != (status == 1))
				print "exited " status " against its report"
			else
				exit 0
			exit 1
		}' "$tap"
}

# Make ENTRY for TRACE with its key in cache.key: the whole-trace
# replay's TAP, stderr and status, or, when it cannot stand for the
# cases, "nocache" with why. Called with the lock held.
cache_make() {
	local trace=$1 entry=$2 prefix tmp status why
	prefix=${entry%.*}
	# Older entries of this trace and mode, and what a killed case left.
	rm -rf "$prefix".[0-9a-f]*[0-9a-f] "$cache_dir/.${prefix##*/}".tmp.*
	tmp=$cache_dir/.${prefix##*/}.tmp.$$
	mkdir "$tmp" || return 1
	mv cache.key "$tmp/key"
	cache_whole_run "$trace" "$tmp/tap" "$tmp/err"
	status=$?
	if why=$(cache_check "$tmp/tap" "$status" "${trace##*/}"); then
		echo "$status" >"$tmp/status"
	else
		echo "$why" >"$tmp/nocache"
	fi
	mv "$tmp" "$entry"
}

# Cut op ID of trace BASE out of a whole-trace TAP report as `--case ID`
# reports it: the op's line numbered 1, its divergences, the plan.
# Exits 0 (ok), 1 (not ok) or 2 (no such op).
cache_cut() {
	awk -v want="$2:$3" '
		/^(not )?ok [0-9]+ - / {
			if (found)
				exit
			line = $0
			sub(/^(not )?ok [0-9]+ - /, "", line)
			name = line
			i = index(name, " # SKIP ")
			if (i)
				name = substr(name, 1, i - 1)
			if (name != want)
				next
			found = 1
			failed = $0 ~ /^not ok/
			print (failed ? "not ok" : "ok") " 1 - " line
			next
		}
		found && /^# / { print; next }
		found { exit }
		END {
			if (!found)
				exit 2
			print "1..1"
			exit failed
		}' "$1"
}

# Op ID of TRACE from the trace's entry, made first if no case has made
# it: its TAP in tap.out, the replay's stderr in tap.err, the status its
# own --case run would have in cache_status, and 0. Otherwise 1 with
# cache_why set.
cache_case() {
	local trace=$1 id=$2 hash base entry lock rc
	cache_why=
	case ${ICTL_CORPUS_CASES_CACHE:-on} in
	off | no | 0)
		cache_why="ICTL_CORPUS_CASES_CACHE=$ICTL_CORPUS_CASES_CACHE"
		return 1
		;;
	esac
	if ! command -v flock >/dev/null || ! command -v sha256sum >/dev/null ||
		! command -v timeout >/dev/null; then
		cache_why="no flock(1), sha256sum(1) or timeout(1)"
		return 1
	fi
	if ! cache_key "$trace" >cache.key; then
		cache_why="not run by kyua, or $trace, $runner or $registry unreadable"
		return 1
	fi
	if [ ! -d "$cache_dir" ] && ! mkdir -p "$cache_dir" 2>/dev/null ||
		[ ! -w "$cache_dir" ]; then
		cache_why="cannot write to $cache_dir"
		return 1
	fi
	hash=$(sha256sum <cache.key)
	base=${trace##*/}
	base=${base%.jsonl}
	entry=$cache_dir/$base.$cache_mode.${hash%% *}
	lock=$cache_dir/$base.$cache_mode.lock
	# A redirection exec cannot make would end the shell: try it first.
	if [ ! -w "$lock" ] && ! touch "$lock" 2>/dev/null ||
		[ ! -w "$lock" ]; then
		cache_why="cannot write $lock"
		return 1
	fi
	exec 9>>"$lock"
	if ! flock -w "$cache_wait" 9; then
		exec 9>&-
		cache_why="another case held $base's lock for $cache_wait s"
		return 1
	fi
	[ -d "$entry" ] || cache_make "$trace" "$entry"
	rc=1
	if [ -f "$entry/nocache" ]; then
		cache_why="the whole-trace replay $(cat "$entry/nocache"): see $entry"
	elif [ -f "$entry/status" ]; then
		cache_cut "$entry/tap" "${trace##*/}" "$id" >tap.out
		cache_status=$?
		if [ -s "$entry/err" ]; then
			cp "$entry/err" tap.err
		else
			printf '' >tap.err
		fi
		rc=0
		if [ "$cache_status" = 2 ]; then
			cache_why="no op $id in the whole-trace replay"
			rc=1
		fi
	else
		cache_why="no entry made in $cache_dir"
	fi
	exec 9>&-
	[ "$rc" = 0 ] && echo "# cut from the whole-trace replay in $entry" >&2
	return $rc
}
