# SPDX-License-Identifier: GPL-2.0-or-later
#
# iommuctl on any machine: no kernel support needed. Usage errors, the
# missing-device diagnosis, inherited fds that are not iommufd, output
# errors, batch parsing, and the agreement of --help, --list-cmds, the man
# page and the bash completion.

atf_test_case usage_errors
usage_errors_head()
{
	atf_set "descr" "Bad command lines exit 3 with a precise message and open nothing"
}
usage_errors_body()
{
	ic_paths
	# The device does not exist: opening it would exit 4, not 3. (--fd
	# excludes --device; 987 is not open and the rest fail before use.)
	while IFS='|' read -r args pattern; do
		case $args in
		--fd* | --pid*) device= ;;
		*) device="--device /nonexistent" ;;
		esac
		# shellcheck disable=SC2086
		atf_check -s exit:3 -o empty -e match:"$pattern" \
			"$IOMMUCTL" $device $args
	done <<'CASES'
|missing OBJECT
frob create|unknown object 'frob'
ioas|ioas: missing command
ioas cre|unknown command 'cre'
ioas Create|unknown command 'Create'
ioas destroy|ioas destroy: missing ID
ioas destroy abc|ID: 'abc' is not a number
ioas destroy 1 2|unexpected argument '2'
ioas destroy 0x1ffffffff|does not fit in 32 bits
ioas allow 1 0x2000-0x1000|end 0x1000 is below start 0x2000
ioas allow 1 0xffffffffffffffff+2|goes past 0xffffffffffffffff
ioas map 1 17E|'17E' does not fit in 64 bits
ioas map 1 0|SIZE must not be zero
ioas map 1 4K --iova 0xfffffffffffff000 --prot rw --hugepages --bogus|unknown option '--bogus'
ioas map 1 8K --iova 0xfffffffffffff000|goes past
ioas map 1 4K --prot x|--prot: 'x' is not r, w or rw
ioas map 1 4K -xz|ioas map: unknown option '-x'
ioas map 1 4K -i|ioas map: unknown option '-i'
ioas map 1 4K --iova|ioas map: option --iova needs a value
ioas map 1 4K --hugepages=1|ioas map: option --hugepages takes no value
-xV ioas get|unknown option '-x'
-Vx ioas get|unknown option '-x'
-V-V ioas get|unknown option '-.x2d'
--bogus=1 ioas get|unknown option '--bogus'
--json=1 ioas get|option '--json' takes no value
-Vb|option '-b' needs a value
--batch|option '--batch' needs a value
ioas unmap 1|ioas unmap: missing RANGE
ioas unmap 1 0-0xffffffffffffffff|use 'all'
ioas copy 2 1 0x1000|not a range
ioas option 1 huge-pages maybe|'maybe' is not on or off
option rlimit-mode 2|'2' is not user or process
compat set-iommu TYPE9|'TYPE9' is neither a known extension nor a number
compat map 0x1000+0|size is zero
--bogus ioas create|unknown option '--bogus'
--fd|option '--fd' needs a value
--fd 3 --device /dev/null ioas get|--fd and --device exclude each other
--fd 987 ioas get|--fd 987: not an open file descriptor
--fd x ioas get|--fd: 'x' is not a number
-b /dev/null ioas get|-b takes no OBJECT COMMAND
--list-opts ioas|--list-opts takes nothing or OBJECT COMMAND
--list-opts ioas frob|no command 'ioas frob'
--pid|option '--pid' needs a value
--pid x ioas get|--pid: 'x' is not a number
--pid 0 ioas get|--pid 0: not a process id
--pid 1 --device /dev/null ioas get|--pid and --device exclude each other
--pid 1 --fd x ioas get|--fd: 'x' is not a number
--force ioas create|--force applies to --pid only
status show x|unexpected argument 'x'
status --bogus|status show: unknown option '--bogus'
status frob|unknown command 'frob'
CASES
}

atf_test_case usage_error_json
usage_error_json_head()
{
	atf_set "descr" "A usage error in JSON mode is one error object with every key"
	atf_set "require.progs" "jq"
}
usage_error_json_body()
{
	ic_paths
	atf_check -s exit:3 -o save:out.json -e match:"unknown command" \
		"$IOMMUCTL" -j --device /nonexistent ioas frob
	ic_one_doc out.json
	ic_jq '.error | keys == ["command","errno","hint","ioctl","kind","line","message"]' out.json
	ic_jq '.error.kind == "usage" and .error.ioctl == null and .error.errno == null and .error.line == null' out.json
	ic_jq '.error.message | test("frob")' out.json

	atf_check -s exit:3 -o save:out2.json -e ignore \
		"$IOMMUCTL" --device /nonexistent -p ioas destroy abc
	ic_one_doc out2.json
	ic_jq '.error.command == "ioas destroy" and (.error.hint | test("usage: iommuctl ioas destroy ID"))' out2.json
}

atf_test_case missing_device
missing_device_head()
{
	atf_set "descr" "A missing device exits 4 and says why"
	atf_set "require.progs" "jq"
}
missing_device_body()
{
	ic_paths
	atf_check -s exit:4 -o empty -e save:err "$IOMMUCTL" --device /nonexistent ioas get
	atf_check -o ignore grep "cannot open /nonexistent: No such file or directory (ENOENT)" err
	# Not the default node: its absence says nothing of the kernel.
	atf_check -o ignore grep -F "iommuctl: hint: --device /nonexistent: No such file or directory; it names the iommufd node, /dev/iommu by default" err
	atf_check -s exit:1 grep CONFIG_IOMMUFD err

	atf_check -s exit:4 -o save:out.json -e ignore \
		"$IOMMUCTL" -j --device /nonexistent ioas create
	ic_one_doc out.json
	ic_jq '.error.kind == "unsupported" and .error.errno == "ENOENT"' out.json
	ic_jq '.error.hint | type == "string" and length > 0' out.json
}

atf_test_case no_dev_iommu
no_dev_iommu_head()
{
	atf_set "descr" "Without /dev/iommu, 'ioas get' exits 4 with the diagnosis"
}
no_dev_iommu_body()
{
	ic_paths
	[ -e /dev/iommu ] && atf_skip "this machine has /dev/iommu"
	atf_check -s exit:4 -o empty -e save:err "$IOMMUCTL" ioas get
	atf_check -o ignore grep "cannot open /dev/iommu" err
	atf_check -o ignore grep -E "^iommuctl: hint: .*(iommufd|CONFIG_IOMMUFD|cannot tell)" err
}

atf_test_case fd_not_iommufd
fd_not_iommufd_head()
{
	atf_set "descr" "An inherited fd that is no iommufd: ENOTTY, exit 4, says what the fd is"
	atf_set "require.progs" "jq"
}
fd_not_iommufd_body()
{
	ic_paths
	echo data >plain
	atf_check -s exit:4 -o empty -e save:err "$IOMMUCTL" --fd 5 ioas get 5<plain
	atf_check -o ignore grep "IOMMU_VFIO_IOAS: Inappropriate ioctl for device (ENOTTY)" err
	atf_check -o ignore grep "regular file.* is neither an iommufd nor a VFIO container" err

	atf_check -s exit:4 -o save:out.json -e ignore \
		"$IOMMUCTL" -j --fd 5 compat info 5</dev/null
	ic_one_doc out.json
	ic_jq '.error.ioctl == "VFIO_GET_API_VERSION" and .error.errno == "ENOTTY" and .error.kind == "unsupported"' out.json
	ic_jq '.error.hint | test("character device")' out.json

	# The fd is the caller's: still open afterwards.
	exec 6<plain
	atf_check -s exit:4 -o empty -e ignore "$IOMMUCTL" --fd 6 ioas create
	atf_check -o inline:"data\n" cat <&6
}

atf_test_case pid_errors
pid_errors_head()
{
	atf_set "descr" "--pid names the process and fd it could not use, and why"
	atf_set "require.progs" "jq"
}
pid_errors_body()
{
	ic_paths
	# A pid above pid_max cannot exist.
	atf_check -s exit:1 -o save:gone.json -e match:"no process 4194305" \
		"$IOMMUCTL" -j --pid 4194305 ioas get
	ic_one_doc gone.json
	ic_jq '.error.kind == "kernel" and .error.errno == "ESRCH"' gone.json

	# Our own shell holds no iommufd.
	atf_check -s exit:1 -o empty \
		-e match:"process $$ holds no iommufd or VFIO container open" \
		"$IOMMUCTL" --pid $$ compat info
	atf_check -s exit:1 -o empty -e match:"process $$ has no fd 987" \
		"$IOMMUCTL" --pid $$ --fd 987 compat info
}

atf_test_case status_shape
status_shape_head()
{
	atf_set "descr" "status is one JSON record with every key, on any machine"
	atf_set "require.progs" "jq"
}
status_shape_body()
{
	ic_paths
	atf_check -o save:st.json "$IOMMUCTL" -j status
	ic_one_doc st.json
	atf_check -o save:st2.json "$IOMMUCTL" -j status show
	ic_jq 'keys == ["groups","iommufd","mdev_parents","modules","processes","unreadable_pids","vfio_container","warnings"]' st.json
	ic_jq '.iommufd | keys == ["device","devt","misc_devt","node_matches"]' st.json
	ic_jq '.vfio_container | keys == ["device","devt","evidence","provider"]' st.json
	ic_jq '.vfio_container.provider | . == null or . == "iommufd" or . == "vfio"' st.json
	ic_jq '[.modules[].name] == ["iommufd","vfio","vfio_iommu_type1","vfio_pci","mdev","iommuctl_dmaprobe"]' st.json
	ic_jq 'all(.modules[]; keys == ["holders","name","parameters","path","refcnt","source","state","taint"])' st.json
	ic_jq 'all(.modules[]; .state | IN("live","coming","going","builtin","not-loaded","absent","unknown"))' st.json
	ic_jq 'all(.modules[]; (.holders | type == "array") and (.parameters | type == "array"))' st.json
	ic_jq 'all(.groups[]; (.devices | type == "array") and (.viable | type == "boolean"))' st.json
	ic_jq 'all(.processes[]; (.fds | length > 0) and (.pid | type == "number"))' st.json
	ic_jq '(.mdev_parents | type == "array") and (.unreadable_pids | type == "array") and (.warnings | type == "array")' st.json
	# Both spellings run the same command.
	ic_jq '.modules | length == 6' st2.json

	# Text: the same sections.
	atf_check -o save:st.txt "$IOMMUCTL" status
	for key in iommufd vfio_container modules groups mdev_parents processes warnings; do
		grep -q "^$key:" st.txt || atf_fail "text output lacks $key"
	done
}

atf_test_case status_unprivileged
status_unprivileged_head()
{
	atf_set "descr" "status without root reports what it could not read"
	atf_set "require.user" "root"
	atf_set "require.progs" "jq setpriv"
}
status_unprivileged_body()
{
	ic_paths
	# A process of root's that nobody may look into: ourselves, sleeping.
	sleep 60 &
	_sleeper=$!
	atf_check -o save:st.json setpriv --reuid=nobody --regid=nogroup \
		--clear-groups "$IOMMUCTL" -j status
	kill $_sleeper
	ic_jq ".unreadable_pids | index($_sleeper) != null" st.json
	ic_jq '.warnings | any(test("open files of [0-9]+ processes are not readable"))' st.json
}

atf_test_case output_errors
output_errors_head()
{
	atf_set "descr" "A full disk on stdout is an error, exit 2"
	atf_set "require.files" "/dev/full"
}
output_errors_body()
{
	ic_paths
	atf_check -s exit:2 -e match:"writing the output failed: No space left on device" \
		sh -c "'$IOMMUCTL' --list-cmds >/dev/full"
	atf_check -s exit:2 -e match:"writing the output failed" \
		sh -c "'$IOMMUCTL' -j --version >/dev/full"
	atf_check -s exit:2 -e match:"writing the output failed" \
		sh -c "'$IOMMUCTL' --help >/dev/full"
	# A failing command keeps its own exit status.
	atf_check -s exit:3 -e match:"unknown object" \
		sh -c "'$IOMMUCTL' -j frob x >/dev/full"
}

atf_test_case version
version_head()
{
	atf_set "descr" "--version in text and JSON agree"
	atf_set "require.progs" "jq"
}
version_body()
{
	ic_paths
	atf_check -o save:v.txt "$IOMMUCTL" --version
	atf_check -o save:v.json "$IOMMUCTL" -j --version
	ic_one_doc v.json
	ic_jq '.program == "iommuctl" and (.version | test("^[0-9]+\\.[0-9]+"))' v.json
	atf_check -o inline:"version: $(ic_jv .version v.json)\n" grep '^version:' v.txt
}

atf_test_case batch_errors
batch_errors_head()
{
	atf_set "descr" "Batch mode: comments and blank lines, line numbers, stop at the first error"
	atf_set "require.progs" "jq"
}
batch_errors_body()
{
	ic_paths
	printf '# a comment\n\n   \t\nioas destroy abc   # not a number\nioas create\n' >bad
	atf_check -s exit:3 -o empty -e save:err "$IOMMUCTL" --device /nonexistent -b bad
	atf_check -o ignore grep "^iommuctl: line 4: ioas destroy: ID: 'abc' is not a number" err
	atf_check -o ignore grep "batch stopped at line 4" err

	atf_check -s exit:3 -o save:out.json -e ignore \
		"$IOMMUCTL" -j --device /nonexistent -b - <bad
	ic_one_doc out.json
	ic_jq 'type == "array" and length == 1' out.json
	ic_jq '.[0].error.line == 4 and .[0].error.kind == "usage"' out.json

	# Good lines reach the device: the first one that needs it fails.
	printf 'ioas create # first\nioas get\n' >good
	atf_check -s exit:4 -o save:out2.json -e match:"line 1: cannot open /nonexistent" \
		"$IOMMUCTL" -j --device /nonexistent -b good
	ic_jq 'length == 1 and .[0].error.line == 1' out2.json

	# Global options are not commands.
	printf -- '-j ioas create\n' >opt
	atf_check -s exit:3 -e match:"line 1: unknown object '-j'" \
		"$IOMMUCTL" --device /nonexistent -b opt

	atf_check -s exit:3 -e match:"cannot open batch file ./missing" \
		"$IOMMUCTL" -b ./missing

	# Help prints text, which has no place in a batch.
	printf 'ioas help\n' >help
	atf_check -s exit:3 -e match:"help is not available in batch mode" \
		"$IOMMUCTL" -b help

	# An empty batch is an empty list.
	atf_check -o inline:"[]\n" "$IOMMUCTL" -j --device /nonexistent -b /dev/null
}

atf_test_case batch_bad_input
batch_bad_input_head()
{
	atf_set "descr" "Batch input that is not a text file of bounded lines is refused, naming the line"
	atf_set "require.progs" "jq"
	atf_set "timeout" "60"
}
batch_bad_input_body()
{
	ic_paths
	# A directory opens, then fails to read: say what it is (usage, 3).
	atf_check -s exit:3 -o save:dir.json -e match:"batch file . is a directory" \
		"$IOMMUCTL" -j -b .
	ic_one_doc dir.json
	ic_jq '.[0].error.kind == "usage" and .[0].error.errno == "EISDIR"' dir.json

	# Endless zeroes: refused at the first byte, not read until memory
	# runs out, and never an empty success.
	atf_check -s exit:3 -o save:zero.json -e match:"line 1: a NUL byte at column 1" \
		"$IOMMUCTL" -j -b /dev/zero
	ic_jq 'length == 1 and .[0].error.line == 1' zero.json

	# A NUL byte inside a line does not end it quietly.
	printf '# lines read before it run\nioas destroy 1\000 2\n' >nul
	atf_check -s exit:3 -o save:nul.json -e match:"line 2: a NUL byte at column 15" \
		"$IOMMUCTL" -j --device /nonexistent -b nul
	ic_jq '.[-1].error.line == 2' nul.json

	# Lines are bounded (65536 bytes); one past is an error, not growth.
	awk 'BEGIN { s = "#"; for (i = 1; i < 65536; i++) s = s "x"; print s; print s "x" }' >long
	atf_check -s exit:3 -o save:long.json -e match:"line 2: longer than 65536 bytes" \
		"$IOMMUCTL" -j -b long
	ic_jq 'length == 1 and .[0].error.line == 2' long.json
	atf_check -s exit:3 -o ignore -e match:"line 1: longer than 65536 bytes" \
		sh -c "tr '\\000' x </dev/zero | '$IOMMUCTL' -j -b -"
}

atf_test_case json_is_utf8
json_is_utf8_head()
{
	atf_set "descr" "-j output is UTF-8 whatever bytes an argument or batch line holds"
	atf_set "require.progs" "jq iconv"
}
json_is_utf8_body()
{
	ic_paths
	atf_check -s exit:3 -o save:arg.json -e ignore \
		"$IOMMUCTL" -j ioas destroy "$(printf 'a\377\376b')"
	atf_check -o ignore iconv -f UTF-8 -t UTF-8 arg.json
	ic_jq '.error.message | test("a\ufffd\ufffdb")' arg.json

	printf 'ioas frob \303\n' >bad
	atf_check -s exit:3 -o save:batch.json -e ignore "$IOMMUCTL" -j -b bad
	atf_check -o ignore iconv -f UTF-8 -t UTF-8 batch.json
	ic_jq '.[0].error.message | test("frob")' batch.json

	# A message cut at its buffer's end loses a character whole: many
	# two-byte characters put the cut inside one, either way round.
	for pad in "" x; do
		arg=$pad$(printf '\303\251%.0s' $(seq 300))
		atf_check -s exit:3 -o save:long.json -e ignore \
			"$IOMMUCTL" -j ioas destroy "$arg"
		atf_check -o ignore iconv -f UTF-8 -t UTF-8 long.json
		if grep -q "$(printf '\357\277\275')" long.json; then
			atf_fail "a replacement character where the message was cut"
		fi
		# The same for a message that names a device path.
		atf_check -s not-exit:0 -o save:dev.json -e ignore \
			"$IOMMUCTL" -j --device "/$arg" ioas get
		atf_check -o ignore iconv -f UTF-8 -t UTF-8 dev.json
		if grep -q "$(printf '\357\277\275')" dev.json; then
			atf_fail "a replacement character where the device message was cut"
		fi
	done
}

atf_test_case json_help
json_help_head()
{
	atf_set "descr" "-j --help and -j OBJECT help are one JSON document listing the commands"
	atf_set "require.progs" "jq"
}
json_help_body()
{
	ic_paths
	"$IOMMUCTL" --list-cmds | sort >cmds
	for args in "--help" "help"; do
		atf_check -o save:help.json "$IOMMUCTL" -j $args
		ic_one_doc help.json
		ic_jq '.object == null and (.options | map(.name) | index("--json") != null)' help.json
		jq -r '.commands[] | "\(.object) \(.command)"' help.json | sort >jcmds
		atf_check -o empty diff cmds jcmds
	done
	atf_check -o save:ioas.json "$IOMMUCTL" -j ioas help
	ic_one_doc ioas.json
	ic_jq '.object == "ioas" and .options == [] and all(.commands[]; .object == "ioas")' ioas.json
	ic_jq '.commands[] | select(.command == "map") | .options == ["--iova","--prot","--hugepages"]' ioas.json
}

# The commands as --list-cmds gives them, one "OBJECT COMMAND" per line.
list_cmds()
{
	"$IOMMUCTL" --list-cmds | sort
}

atf_test_case help_matches_commands
help_matches_commands_head()
{
	atf_set "descr" "--help and OBJECT help list exactly the commands of --list-cmds"
}
help_matches_commands_body()
{
	ic_paths
	list_cmds >cmds
	[ -s cmds ] || atf_fail "--list-cmds printed nothing"
	atf_check -o save:help "$IOMMUCTL" --help
	sed -n '/^Commands:/,/^$/p' help | awk '/^  [a-z]/ { print $1, $2 }' | sort >helpcmds
	atf_check -o empty diff cmds helpcmds
	atf_check -o save:help2 "$IOMMUCTL" help
	atf_check -o empty cmp help help2

	for object in $(cut -d' ' -f1 cmds | sort -u); do
		atf_check -o save:ohelp "$IOMMUCTL" "$object" help
		awk '/^  [a-z]/ { print $1, $2 }' ohelp | sort >ocmds
		grep "^$object " cmds >expected
		atf_check -o empty diff expected ocmds
	done

	# Every command's options are in its help line, and vice versa.
	while read -r object verb; do
		"$IOMMUCTL" --list-opts "$object" "$verb" | sort >opts
		grep "^  $object $verb\\( \\|\$\\)" help | grep -o -- '--[a-z-]*' | sort >helpopts
		atf_check -o empty diff opts helpopts
	done <cmds
}

atf_test_case man_matches_commands
man_matches_commands_head()
{
	atf_set "descr" "The man page documents every command and option and is lint-clean"
	atf_set "require.progs" "mandoc"
}
man_matches_commands_body()
{
	ic_paths
	[ -r "$MANPAGE" ] || atf_skip "no man page at $MANPAGE"
	atf_check -o empty -e empty mandoc -Tlint -Wwarning "$MANPAGE"
	mandoc -Tascii "$MANPAGE" | sed 's/.\x08//g' >man.txt
	list_cmds >cmds
	# Each command heads its own entry: "OBJECT COMMAND" at the start.
	while read -r object verb; do
		grep -q "^       $object $verb\\( \\|\$\\)" man.txt ||
			atf_fail "man page has no entry for '$object $verb'"
	done <cmds
	for opt in $("$IOMMUCTL" --list-opts) --list-cmds --list-opts; do
		grep -q -- "$opt" man.txt || atf_fail "man page does not mention $opt"
	done
	while read -r object verb; do
		for opt in $("$IOMMUCTL" --list-opts "$object" "$verb"); do
			grep -q "^       $object $verb .*$opt" man.txt ||
				atf_fail "man page entry '$object $verb' lacks $opt"
		done
	done <cmds
	# Exit statuses 0 to 4, each explained.
	for n in 0 1 2 3 4; do
		sed -n '/^EXIT STATUS/,/^[A-Z]/p' man.txt | grep -q "^       $n" ||
			atf_fail "exit status $n is not documented"
	done
}

# Complete the words given (the last one being completed) with the
# project's completion script; prints the candidates, sorted.
complete_words()
{
	bash -c '
		. "$1"
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		_iommuctl
		printf "%s\n" "${COMPREPLY[@]}" | sort
	' complete "$COMPLETION" "$@"
}

atf_test_case completion_matches_commands
completion_matches_commands_head()
{
	atf_set "descr" "Bash completion offers exactly the objects, commands and options of the program"
	atf_set "require.progs" "bash"
}
completion_matches_commands_body()
{
	ic_paths
	[ -r "$COMPLETION" ] || atf_skip "no completion at $COMPLETION"
	list_cmds >cmds

	cut -d' ' -f1 cmds | sort -u >objects
	complete_words "$IOMMUCTL" "" >got
	atf_check -o empty diff objects got
	complete_words "$IOMMUCTL" -j --fd 3 "" >got
	atf_check -o empty diff objects got

	for object in $(cat objects); do
		grep "^$object " cmds | cut -d' ' -f2 | sort >verbs
		complete_words "$IOMMUCTL" "$object" "" >got
		atf_check -o empty diff verbs got
	done

	"$IOMMUCTL" --list-opts | sort >opts
	complete_words "$IOMMUCTL" - >got
	atf_check -o empty diff opts got
	"$IOMMUCTL" --list-opts ioas map | sort >opts
	complete_words "$IOMMUCTL" ioas map 1 4K -- >got
	atf_check -o empty diff opts got
	complete_words "$IOMMUCTL" ioas map 1 4K --prot "" >got
	atf_check -o inline:"r\nrw\nw\n" cat got
}

atf_init_test_cases()
{
	atf_add_test_case usage_errors
	atf_add_test_case usage_error_json
	atf_add_test_case missing_device
	atf_add_test_case no_dev_iommu
	atf_add_test_case fd_not_iommufd
	atf_add_test_case pid_errors
	atf_add_test_case status_shape
	atf_add_test_case status_unprivileged
	atf_add_test_case output_errors
	atf_add_test_case version
	atf_add_test_case batch_errors
	atf_add_test_case batch_bad_input
	atf_add_test_case json_is_utf8
	atf_add_test_case json_help
	atf_add_test_case help_matches_commands
	atf_add_test_case man_matches_commands
	atf_add_test_case completion_matches_commands
}
