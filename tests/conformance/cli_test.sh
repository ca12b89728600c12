# SPDX-License-Identifier: GPL-2.0-or-later
#
# iommuctl-conformance as a user meets it on any machine: trace checking,
# listing, usage and exit codes, the schemas, the registry. The kernel
# side is corpus_test's.

here=$(cd "$(dirname "$0")" && pwd -P)
case $here in
"@abs_top_builddir@"/*)
	runner="@abs_top_builddir@/src/conformance/iommuctl-conformance"
	traces="@abs_top_srcdir@/tests/traces"
	data="@abs_top_srcdir@/src/conformance"
	man="@abs_top_srcdir@/man/iommuctl-conformance.8"
	completion="@abs_top_srcdir@/contrib/bash-completion/iommuctl-conformance"
	;;
*)
	runner="@sbindir@/iommuctl-conformance"
	traces="@pkgdatadir@/traces"
	data="@pkgdatadir@"
	man="@mandir@/man8/iommuctl-conformance.8"
	completion="@bashcompletiondir@/iommuctl-conformance"
	;;
esac
registry=$data/known-divergences.json

header='{"type":"header","format":"iommuctl-trace","version":1,"page_size":4096}'

# A case with no kernel in it (the command line, the documents, the
# corpus's files) skips in a guest (tests/vm sets ICTL_VM): the host and
# asan tiers run it, and under TCG it would take ten times as long.
host_only() {
	[ -z "${ICTL_VM:-}" ] ||
		atf_skip "no kernel interface in it: the host and asan tiers run it"
}

atf_test_case validate_corpus
validate_corpus_head() {
	atf_set descr "every corpus trace is valid and counted right"
}
validate_corpus_body() {
	host_only
	for t in "$traces"/*.jsonl; do
		n=$(grep -c '"type":"op"' "$t")
		atf_check -o "inline:$t: valid, $n operations\n" \
			"$runner" validate "$t"
	done
}

atf_test_case validate_errors
validate_errors_head() {
	atf_set descr "an invalid trace fails with its line and field"
}
validate_errors_body() {
	printf '%s\n\n%s\n' "$header" \
		'{"type":"op","op":"map_dma","iova":"0x1000","size":"0x1g"}' >bad.jsonl
	atf_check -s exit:1 -e match:'bad.jsonl: line 3: size: ' \
		"$runner" validate bad.jsonl
	printf '%s\n' '{"type":"op","op":"get_info"}' >noheader.jsonl
	atf_check -s exit:1 -e match:'line 1: type: the first record must be the header' \
		"$runner" validate noheader.jsonl
	atf_check -s exit:1 -e match:'nosuch.jsonl: No such file' \
		"$runner" validate nosuch.jsonl
	# Nothing half-written: a listing of a bad trace prints nothing.
	atf_check -s exit:1 -o empty -e match:'line 3' "$runner" list bad.jsonl
}

atf_test_case list_json
list_json_head() {
	atf_set descr "list -j gives one record per op, in order"
	atf_set require.progs python3
}
list_json_body() {
	t=$traces/unmap_v2.jsonl
	"$runner" list -j "$t" >list.json || atf_fail "list failed"
	grep -n '"type":"op"' "$t" | sed -E 's/^([0-9]+):.*"id":"([^"]*)".*/\1 \2/' >want
	python3 -c '
import json, sys
for r in json.load(open("list.json")):
    print(r["line"], r["id"])' >got || atf_fail "not a JSON array of records"
	atf_check -o file:want cat got
}

atf_test_case list_recorded
list_recorded_head() {
	atf_set descr "list shows a recorded op's fd, result and unreplayable reason"
}
list_recorded_body() {
	printf '%s\n' "$header" \
		'{"type":"op","op":"ioctl","fd":"device","request":"0x3b70","bytes":"0c00000000000000","recorded":{"ret":0,"errno":0,"out":"0c00000000000000"}}' \
		'{"type":"op","op":"ioctl","fd":"device","request":"0x3b6e","bytes":"14000000","recorded":{"ret":-1,"errno":"EINVAL"},"unreplayable":"passes eventfds"}' \
		'{"type":"op","op":"get_api_version"}' >rec.jsonl
	atf_check -o save:list.json "$runner" list -j rec.jsonl
	atf_check -o inline:'ioctl 0x3b70 (VFIO_DEVICE_GET_PCI_HOT_RESET_INFO), 8 bytes|device|ret 0, 8 bytes out|null\nioctl 0x3b6e (VFIO_DEVICE_SET_IRQS), 4 bytes|device|EINVAL|passes eventfds\nget_api_version|null|null|null\n' \
		jq -r '.[] | "\(.what)|\(.fd)|\(.recorded)|\(.unreplayable)"' list.json
}

atf_test_case usage
usage_head() {
	atf_set descr "usage errors exit 3"
}
usage_body() {
	atf_check -s exit:3 -e match:usage "$runner"
	atf_check -s exit:3 -e match:'unknown command "frob"' "$runner" frob
	atf_check -s exit:3 -e match:'--backend qemu: expected' \
		"$runner" run --backend qemu "$traces/raw.jsonl"
	atf_check -s exit:3 -e match:'no trace given' "$runner" run
	atf_check -s exit:3 -e match:'not a group number' \
		"$runner" run --group x "$traces/raw.jsonl"
	atf_check -o match:'^usage: ' "$runner" --help
}

atf_test_case no_backend
no_backend_head() {
	atf_set descr "without /dev/vfio/vfio and /dev/iommu nothing runs, and it says so"
}
no_backend_body() {
	if [ -e /dev/vfio/vfio ] || [ -e /dev/iommu ]; then
		atf_skip "this machine has a VFIO container or iommufd"
	fi
	atf_check -s exit:4 -o match:'iommufd-nodev: not run: cannot open /dev/iommu' \
		-e ignore "$runner" run --registry "$registry" "$traces/raw.jsonl"
	"$runner" run --tap --registry "$registry" "$traces/raw.jsonl" >tap ||
		atf_fail "--tap must not fail when everything is skipped"
	n=$(grep -c '"type":"op"' "$traces/raw.jsonl")
	atf_check -o "inline:$n\n" grep -c '^ok [0-9]* - raw.jsonl:.* # SKIP ' tap
	atf_check -o "inline:1..$n\n" tail -n 1 tap
}

atf_test_case html_page
html_page_head() {
	atf_set descr "--html writes one page with a row per op, or nothing"
}
html_page_body() {
	t=$traces/raw.jsonl
	"$runner" run --html page.html --registry "$registry" "$t" \
		>/dev/null 2>&1
	[ -f page.html ] || atf_fail "no page written"
	[ ! -e page.html.tmp ] || atf_fail "temporary file left behind"
	n=$(grep -c '"type":"op"' "$t")
	atf_check -o "inline:$n\n" grep -c '^<tr><td>' page.html
	atf_check -o "inline:1\n" grep -c '^<table><tr><th>case' page.html
	atf_check -o "inline:1\n" grep -c '^<table class="divergences">' page.html
	atf_check -o match:'</html>' tail -n 1 page.html
	atf_check -s exit:2 -e match:'nosuchdir/page.html.tmp' \
		"$runner" run --html nosuchdir/page.html --registry "$registry" "$t"
}

atf_test_case outputs
outputs_head() {
	atf_set descr "-o FORMAT:FILE writes each format from one replay; counts are JSON numbers"
	atf_set require.progs python3
}
outputs_body() {
	t=$traces/unmap_v1.jsonl
	atf_check -s not-exit:2 -o save:stdout -e ignore "$runner" run \
		--registry "$registry" -o json:r.json -o tap:r.tap \
		-o html:r.html -o text:r.txt "$t"
	# Nothing asked for standard output: the text report goes there too.
	atf_check cmp stdout r.txt
	atf_check -o match:'^1\.\.' tail -n 1 r.tap
	atf_check -o match:'</html>' tail -n 1 r.html
	atf_check -o inline:'int int\n' python3 -c '
import json, sys
r = json.load(open("r.json"))
print(type(r["summary"]["skipped"]).__name__,
      type(r["summary"]["ambiguous"]).__name__)'
	atf_check -s exit:3 -e match:'expected FORMAT:FILE' \
		"$runner" run -o pdf:x "$t"
	[ ! -e x ] || atf_fail "a refused output was written"
}

atf_test_case diff_reports
diff_reports_head() {
	atf_set descr "diff names each case whose verdict or results changed"
}
report() {
	# report KERNEL VERDICT IOMMUFD-ERRNO EXTRA-CASE SUCCESS: a success is
	# null, or "0" as reports wrote it before, which diff reads the same.
	cat <<EOT
{"format":"iommuctl-conformance-report","version":1,"kernel":"$1","traces":[{"trace":"t","error":null,"ops":[
 {"case":"t:a","verdict":"match","results":{"type1":{"skipped":false,"skip_reason":null,"errno":null,"fields":"unmapped=0x1000"},"iommufd":{"skipped":false,"skip_reason":null,"errno":$5,"fields":"unmapped=0x1000"}}},
 {"case":"t:b","verdict":"$2","results":{"type1":{"skipped":false,"skip_reason":null,"errno":"EINVAL","fields":""},"iommufd":{"skipped":false,"skip_reason":null,"errno":"$3","fields":""}}}$4
]}]}
EOT
}
diff_reports_body() {
	report 6.1 match EINVAL "" null >a.json
	report 6.12 unexpected-divergence ENOENT \
		',{"case":"t:c","verdict":"match","results":{}}' '"0"' >b.json
	cat >want <<EOT
A: a.json, kernel 6.1
B: b.json, kernel 6.12
t:b:
    verdict: A match, B unexpected-divergence
    iommufd A: errno EINVAL
    iommufd B: errno ENOENT
t:c: only in B
3 cases, 2 in every report, 1 changed, 1 not in every report
EOT
	atf_check -s exit:1 -o file:want "$runner" diff a.json b.json
	atf_check -o match:'2 cases, 2 in every report, 0 changed, 0 not in every report' \
		"$runner" diff a.json a.json
	echo '{"format":"something"}' >c.json
	atf_check -s exit:2 -o empty -e match:'c.json: not a report' \
		"$runner" diff a.json c.json
	atf_check -s exit:2 -o empty -e match:'is a directory' \
		"$runner" diff a.json .
	atf_check -s exit:3 -e match:usage "$runner" diff a.json
	atf_check -s exit:3 -e match:usage "$runner" diff --bogus a.json b.json
	[ -w /dev/full ] || return 0
	atf_check -s exit:2 -e match:'standard output: No space left' \
		sh -c '"$0" diff a.json b.json >/dev/full' "$runner"
}

atf_test_case diff_matrix
diff_matrix_head() {
	atf_set descr "diff of three reports: one matrix, reports with the same result share a line, in text, JSON and HTML"
	atf_set require.progs "python3"
}
diff_matrix_body() {
	report 6.1 match EINVAL "" null >a.json
	report 6.12 unexpected-divergence ENOENT \
		',{"case":"t:c","verdict":"match","results":{}}' null >b.json
	report 7.2 match EINVAL "" null >c.json
	cat >want <<EOT
A: a.json, kernel 6.1
B: b.json, kernel 6.12
C: c.json, kernel 7.2
t:b:
    verdict: A match, B unexpected-divergence, C match
    iommufd A,C: errno EINVAL
    iommufd B: errno ENOENT
t:c: only in B
3 cases, 2 in every report, 1 changed, 1 not in every report
EOT
	atf_check -s exit:1 -o file:want "$runner" diff a.json b.json c.json
	# Options anywhere; the JSON holds every report's column.
	atf_check -s exit:1 -o save:d.json "$runner" diff a.json b.json c.json -j
	atf_check -o inline:'3 2 1 1\nt:b match,unexpected-divergence,match EINVAL,ENOENT,EINVAL\nt:c None,match,None\n' python3 -c '
import json
d = json.load(open("d.json"))
assert d["format"] == "iommuctl-conformance-diff"
assert [r["kernel"] for r in d["reports"]] == ["6.1", "6.12", "7.2"]
s = d["summary"]
print(s["cases"], s["in_every_report"], s["changed"], s["not_in_every_report"])
b, c = d["cases"]
print(b["case"], ",".join(b["verdicts"]),
      ",".join(r["errno"] for r in b["results"]["iommufd"]))
print(c["case"], ",".join(str(v) for v in c["verdicts"]))'
	atf_check -s exit:1 -o ignore "$runner" diff --html m.html a.json b.json c.json
	atf_check -o match:'<th>B: 6.12</th>' cat m.html
	atf_check -o match:'class="v differs">errno ENOENT' cat m.html
	atf_check -o match:'</html>' tail -n 1 m.html
	# Each report's registry entries, with the kernels they hold for.
	sed 's/"t:b","verdict":"unexpected-divergence"/"t:b","verdict":"known-divergence","divergences":[{"backend":"iommufd","field":"errno","registry":"x-entry","since":"6.2","until":"7.1"},{"backend":"iommufd","field":"size","registry":null}]/' \
		b.json >e.json
	atf_check -s exit:1 -o match:'^    explained in B: x-entry \(since 6\.2, until 7\.1\); unexpected \(iommufd size\)$' \
		"$runner" diff a.json e.json
	# Nothing half-written where the HTML cannot go.
	atf_check -s exit:2 -o empty -e match:'nodir/m.html' \
		"$runner" diff --html nodir/m.html a.json b.json
}

atf_test_case diff_scale
diff_scale_head() {
	atf_set descr "diff of two 100 000-case reports takes seconds: each case is looked up through an index, not by a scan"
	atf_set require.progs "python3"
	atf_set timeout 300
}
diff_scale_body() {
	host_only
	python3 -c '
import json
for name, every in (("a", 0), ("b", 7)):
    ops = [{"case": "t%d:op-%d" % (i // 500, i), "verdict": "match",
            "results": {"type1": {"skipped": False, "errno": "0", "fields": "a=0x1"},
                        "iommufd": {"skipped": False,
                                    "errno": "EINVAL" if every and i % every == 0 else "0",
                                    "fields": "a=0x1"}}} for i in range(100000)]
    json.dump({"format": "iommuctl-conformance-report", "version": 2,
               "kernel": name, "traces": [{"trace": "t", "ops": ops}]},
              open(name + ".json", "w"))'
	atf_check -s exit:1 -o match:'^100000 cases, 100000 in every report, 14286 changed, 0 not in every report$' \
		"$runner" diff a.json b.json
}

atf_test_case registry_errors
registry_errors_head() {
	atf_set descr "a broken registry is an internal error naming entry and field"
	atf_set require.progs python3
}
registry_entry() {
	# registry_entry KEY VALUE: a valid format 2 entry with KEY set to
	# VALUE (raw JSON), or with KEY added when the entry has no such key.
	python3 -c '
import json, sys
e = {"name": "x", "op": "map_dma", "backends": ["iommufd"], "when": "wraps",
     "field": "errno", "type1": "EINVAL", "other": "EOVERFLOW",
     "since": "6.2", "until": None, "observed": "6.12.117",
     "type1_function": "f", "other_function": "g", "why": "w"}
if len(sys.argv) > 1:
    e[sys.argv[1]] = json.loads(sys.argv[2])
print(json.dumps({"format": "iommuctl-known-divergences", "version": 2,
                  "entries": [e]}))' "$@"
}
registry_errors_body() {
	host_only
	registry_entry >reg.json
	atf_check -s not-exit:2 -o ignore -e ignore \
		"$runner" run --registry reg.json \
		"$traces/raw.jsonl"
	registry_entry case '"*"' >reg.json
	atf_check -s exit:2 -e match:'reg.json: entry 1 \(x\): case: unknown key' \
		"$runner" run --registry reg.json "$traces/raw.jsonl"
	registry_entry backends '"iommufd*"' >reg.json
	atf_check -s exit:2 -e match:'entry 1 \(x\): backends: not a value' \
		"$runner" run --registry reg.json "$traces/raw.jsonl"
	registry_entry when '"wraps other.no-such-thing"' >reg.json
	atf_check -s exit:2 \
		-e match:'entry 1 \(x\): when: "other.no-such-thing" is no condition' \
		"$runner" run --registry reg.json "$traces/raw.jsonl"
	registry_entry since '6.2' >reg.json
	atf_check -s exit:2 -e match:'entry 1 \(x\): since: expected a non-empty string' \
		"$runner" run --registry reg.json "$traces/raw.jsonl"
	registry_entry type1 '["EINVAL", 22]' >reg.json
	atf_check -s exit:2 -e match:'entry 1 \(x\): type1: not a value' \
		"$runner" run --registry reg.json "$traces/raw.jsonl"
	echo '{"format":"iommuctl-known-divergences","version":1,"entries":[]}' >reg.json
	atf_check -s exit:2 -e match:'version: expected 2' \
		"$runner" run --registry reg.json "$traces/raw.jsonl"
	echo '[]' >reg.json
	atf_check -s exit:2 -e match:'format: expected' \
		"$runner" run --registry reg.json "$traces/raw.jsonl"
	# With JSON on standard output the error is the document there.
	atf_check -s exit:2 -e match:'format: expected' \
		-o match:'"error": *\{' \
		"$runner" run -j --registry reg.json "$traces/raw.jsonl"
}

atf_test_case schemas
schemas_head() {
	atf_set descr "the corpus validates against trace.schema.json, which rejects what the reader rejects"
	atf_set require.progs python3
}
schemas_body() {
	host_only
	# The distribution's python3 carries python3-jsonschema even where
	# another python3 (pyenv, a venv) comes first in PATH.
	py=
	for p in python3 /usr/bin/python3; do
		if "$p" -c 'import jsonschema' 2>/dev/null; then
			py=$p
			break
		fi
	done
	[ -n "$py" ] ||
		atf_skip "no python3 with the jsonschema module (python3-jsonschema)"
	printf '%s\n' \
		'{"type":"op","op":"map_dma","iova":1}' \
		'{"type":"buffer","name":"a"}' \
		'{"type":"op","op":"get_info","argsz":"0x100000000"}' \
		'{"type":"op","op":"pin","iova":0,"npages":1,"write":1}' \
		'{"type":"op","op":"ioctl","request":1,"bytes":"abc"}' \
		'{"type":"op","op":"vfio_ioas"}' \
		'{"type":"op","op":"vfio_ioas","ioas_op":"put"}' \
		'{"type":"op","op":"vfio_ioas","ioas_op":65536}' \
		'{"type":"op","op":"destroy"}' \
		'{"type":"op","op":"ioas_alloc","result":"1a"}' \
		'{"type":"op","op":"destroy","object":0,"needs_device":1}' \
		'{"type":"op","op":"destroy","object":0,"tail":"0"}' \
		'{"type":"op","op":"option","option":"dirty","option_op":"get"}' \
		'{"type":"op","op":"dirty_pages","flags":4,"pgsize":4096}' \
		'{"type":"op","op":"dirty_pages","flags":4,"iova":0}' \
		'{"type":"op","op":"unmap_dma","iova":0,"size":1,"bitmap_size":5000,"pgsize":4096}' \
		'{"type":"op","op":"dma_read","iova":0,"size":1,"pattern":0,"kthread":1}' >bad-lines
	atf_check "$py" -c '
import glob, json, sys
import jsonschema
v = jsonschema.Draft202012Validator(json.load(open(sys.argv[1])))
for t in glob.glob(sys.argv[2] + "/*.jsonl"):
    for n, line in enumerate(open(t), 1):
        if line.strip():
            for e in v.iter_errors(json.loads(line)):
                sys.exit("%s:%d: %s" % (t, n, e.message))
for line in open("bad-lines"):
    if not list(v.iter_errors(json.loads(line))):
        sys.exit("schema accepts " + line)
' "$data/trace.schema.json" "$traces"
	for line in $(cat bad-lines); do
		printf '%s\n%s\n' "$header" "$line" >one.jsonl
		atf_check -s exit:1 -e match:'line 2: ' "$runner" validate one.jsonl
	done
}

atf_test_case timing_usage
timing_usage_head() {
	atf_set descr "timing names what is wrong with each bad option and exits 3"
}
timing_usage_body() {
	atf_check -o match:'^usage: iommuctl-conformance timing ' \
		-o match:'--sizes LIST' "$runner" timing --help
	for bad in '--sizes 3K|--sizes: 3K: a size is a multiple of 4K from 4K to 1G' \
		'--sizes 2G|--sizes: 2G: a size is a multiple of 4K' \
		'--sizes 4K,,8K|--sizes 4K,,8K: expected a comma-separated list' \
		'--sizes 4K,4096|--sizes: 4096: given twice' \
		'--sizes 4K,x|--sizes 4K,x: ' \
		'--rounds 2|--rounds 2: from 3' \
		'--rounds x|--rounds x: ' \
		'--mode v3|--mode v3: expected type1 or type1v2' \
		'--domain iommu|--domain iommu: expected device or none' \
		'--memory shm|--memory shm: expected anon or hugetlb' \
		'--group x|--group x: not a group number' \
		'--device a/b|--device a/b: not a device name' \
		'--device 0000:00:03.0 --group 3|--device and --group: they name one device' \
		'extra|extra: timing takes no arguments' \
		'--frob|unrecognized option'; do
		args=${bad%%|*} msg=${bad#*|}
		# shellcheck disable=SC2086
		atf_check -s exit:3 -o empty -e match:"$msg" \
			"$runner" timing $args
	done
}

atf_test_case timing_host
timing_host_head() {
	atf_set descr "without VFIO and iommufd every timing configuration is skipped with the reason, exit 4"
	atf_set require.progs python3
}
timing_host_body() {
	if [ -e /dev/vfio/vfio ] || [ -e /dev/iommu ]; then
		atf_skip "this machine has a VFIO container or iommufd (timing_kernel_test measures there)"
	fi
	atf_check -s exit:4 -o save:t.json "$runner" timing -j --sizes 4K \
		--rounds 3 --html page.html
	atf_check -o inline:'16 skipped\n' python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for c in d["configurations"]:
    want = "no /dev/vfio/vfio" if c["backend"] == "type1" else "no /dev/iommu"
    assert c["status"] == "skipped" and want in c["reason"], c
    assert c["map"] is None and c["unmap"] is None, c
assert all(r["map"] is None and r["reason"] for r in d["ratios"])
print(d["summary"]["skipped"], "skipped")' t.json
	grep -q 'nothing measured' page.html || atf_fail "the page does not say nothing was measured"
	atf_check -s exit:4 -o match:'^Absolute times are only meaningful on the host that ran them' \
		-o match:'^16 configurations: 0 measured, 16 skipped, 0 failed$' \
		"$runner" timing --sizes 4K --rounds 3
	# A page that cannot be written fails first, and nothing is left.
	atf_check -s exit:2 -o empty -e match:'nodir/p.html.tmp: No such file' \
		"$runner" timing --sizes 4K --rounds 3 --html nodir/p.html
	mkdir ro && chmod 500 ro
	if ! touch ro/probe 2>/dev/null; then
		atf_check -s exit:2 -o empty -e match:'ro/p.html.tmp: Permission denied' \
			"$runner" timing --sizes 4K --rounds 3 --html ro/p.html
	fi
	[ ! -e ro/p.html ] || atf_fail "half-written page left"
}

atf_test_case man_matches_commands
man_matches_commands_head() {
	atf_set descr "the man page documents every command and option of the command table"
}
man_matches_commands_body() {
	host_only
	[ -r "$man" ] || atf_skip "$man not installed"
	cmds=$("$runner" --list-cmds)
	[ -n "$cmds" ] || atf_fail "no commands in --list-cmds"
	for c in $cmds; do
		grep -q "^\.B iommuctl-conformance $c\$" "$man" ||
			atf_fail "SYNOPSIS lacks $c"
		grep -q "^\.BI* $c\( \|\$\)" "$man" ||
			atf_fail "COMMANDS lacks $c"
		"$runner" --help | grep -q "iommuctl-conformance $c " ||
			atf_fail "usage lacks $c"
		for o in $("$runner" --list-opts "$c"); do
			grep -qF -- "$(echo "$o" | sed 's/-/\\-/g')" "$man" ||
				atf_fail "the man page lacks $c's $o"
		done
	done
	atf_check -s exit:3 -e match:'unknown option' "$runner" --list-opts nosuch
}

# Complete the words given (the last one being completed) with the
# project's completion script; prints the candidates, sorted.
complete_words() {
	PATH=$(dirname "$runner"):$PATH bash -c '
		. "$1"
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		_iommuctl_conformance
		[ ${#COMPREPLY[@]} = 0 ] || printf "%s\n" "${COMPREPLY[@]}" | sort
	' complete "$completion" iommuctl-conformance "$@"
}

atf_test_case completion
completion_head() {
	atf_set descr "bash completion offers the man page's commands and each command's options"
	atf_set require.progs bash
}
completion_body() {
	host_only
	[ -r "$completion" ] || atf_skip "no completion at $completion"
	[ -r "$man" ] || atf_skip "$man not installed"
	sed -n 's/^\.B iommuctl-conformance \([a-z]*\)$/\1/p' "$man" | sort -u >want
	complete_words "" >got
	atf_check -o empty diff want got
	complete_words run - >got
	atf_check -o inline:'--backend\n--case\n--device\n--group\n--html\n--json\n--mdev\n--output\n--registry\n--tap\n-b\n-j\n-o\n' cat got
	complete_words record - >got
	atf_check -o inline:'--convert\n--fork\n--log-dir\n--output\n-o\n' cat got
	complete_words timing - >got
	atf_check -o inline:'--device\n--domain\n--group\n--html\n--json\n--mdev\n--memory\n--mode\n--rounds\n--sizes\n-j\n' cat got
	complete_words timing --domain "" >got
	atf_check -o inline:'device\nnone\n' cat got
	complete_words timing --mode "" >got
	atf_check -o inline:'type1\ntype1v2\n' cat got
	complete_words timing --memory "" >got
	atf_check -o inline:'anon\nhugetlb\n' cat got
	complete_words timing "" >got
	atf_check -o empty cat got
	complete_words run --backend "" >got
	atf_check -o inline:'iommufd\niommufd-nodev\ntype1\n' cat got
	# After "--" comes the recorded program: nothing of ours.
	complete_words record -o t.jsonl -- "" >got
	atf_check -o empty cat got
	touch a.jsonl b.json
	complete_words validate "" >got
	atf_check -o inline:'a.jsonl\n' cat got
	complete_words diff "" >got
	atf_check -o inline:'b.json\n' cat got
}

# Issue 15: inputs a hostile or careless user gives the runner. The run's
# own verdicts depend on the machine; what is checked here is that the
# runner reads the input, keeps going and says what is wrong.

# check_rows N REPORT: the text report has N op rows.
check_rows() {
	atf_check -o "inline:$1\n" grep -c \
		'^  [^ ].* \(match\|known-divergence\|unexpected-divergence\|skipped\)$' "$2"
}

atf_test_case long_names
long_names_head() {
	atf_set descr "a trace whose file name is long runs, with and without --case"
}
long_names_body() {
	long=$(printf 't%.0s' $(seq 1 200)).jsonl
	cp "$traces/map.jsonl" "$long"
	n=$(grep -c '"type":"op"' "$long")
	atf_check -s not-exit:2 -o save:out -e ignore \
		"$runner" run --registry "$registry" "$long"
	check_rows "$n" out
	atf_check -s not-exit:2 -o save:out -e ignore \
		"$runner" run --registry "$registry" --case map-4k "$long"
	atf_check -o match:'^  map-4k  ' cat out
	check_rows 1 out
}

atf_test_case case_in_path_with_colon
case_in_path_with_colon_head() {
	atf_set descr "--case finds its case in a trace whose path has a ':'"
}
case_in_path_with_colon_body() {
	mkdir a:b
	cp "$traces/map.jsonl" a:b/c:d.jsonl
	atf_check -s not-exit:3 -o save:out -e ignore \
		"$runner" run --registry "$registry" --case map-4k a:b/c:d.jsonl
	atf_check -o match:'^  map-4k  ' cat out
	atf_check -s exit:3 -e match:'no case "nosuch"' \
		"$runner" run --registry "$registry" --case nosuch a:b/c:d.jsonl
}

atf_test_case read_once
read_once_head() {
	atf_set descr "a trace on a pipe, /dev/stdin or a FIFO is read once and replayed on every backend"
	atf_set timeout 60
}
read_once_body() {
	t=$traces/map.jsonl
	# The same report, line for line, whether the trace is a file, a
	# pipe or a FIFO; it has a row for each op at least.
	atf_check -s not-exit:2 -o save:direct -e ignore \
		"$runner" run --registry "$registry" "$t"
	n=$(wc -l <direct)
	[ "$n" -gt "$(grep -c '"type":"op"' "$t")" ] ||
		atf_fail "the report of $t has only $n lines"
	cat "$t" | atf_check -s not-exit:2 -o save:out -e ignore \
		"$runner" run --registry "$registry" /dev/stdin
	[ "$(wc -l <out)" = "$n" ] || atf_fail "/dev/stdin: $(wc -l <out) lines, not $n"
	mkfifo fifo
	cat "$t" >fifo &
	atf_check -s not-exit:2 -o save:out -e ignore timeout 20 \
		"$runner" run --registry "$registry" fifo
	[ "$(wc -l <out)" = "$n" ] || atf_fail "fifo: $(wc -l <out) lines, not $n"
	cat "$t" >fifo &
	atf_check -o "inline:fifo: valid, $(grep -c '"type":"op"' "$t") operations\n" timeout 20 \
		"$runner" validate fifo
}

atf_test_case bad_traces_kept
bad_traces_kept_head() {
	atf_set descr "a trace that cannot be read is invalid; the others are still reported; exit 1"
	atf_set require.progs jq
}
bad_traces_kept_body() {
	cp "$traces/raw.jsonl" good.jsonl
	mkdir dir.jsonl
	ln -s loop.jsonl loop.jsonl
	printf 'not json\n' >bad.jsonl
	atf_check -s exit:1 -o ignore -e save:err "$runner" run \
		--registry "$registry" -o json:r.json -o tap:r.tap -o html:r.html \
		good.jsonl nosuch.jsonl dir.jsonl loop.jsonl bad.jsonl
	atf_check -o ignore grep -F 'nosuch.jsonl: No such file or directory' err
	atf_check -o ignore grep -F 'dir.jsonl: a directory, not a trace file' err
	atf_check -o ignore grep -F 'loop.jsonl: Too many levels of symbolic links' err
	atf_check -o ignore grep -F 'bad.jsonl: line 1: not valid JSON' err
	atf_check -o inline:'good.jsonl false\nnosuch.jsonl invalid\ndir.jsonl invalid\nloop.jsonl invalid\nbad.jsonl invalid\n' \
		jq -r '.traces[] | "\(.trace) \(if .error then .verdict else false end)"' r.json
	atf_check -o inline:'4\n' jq .summary.invalid_traces r.json
	n=$(grep -c '"type":"op"' good.jsonl)
	atf_check -o "inline:$n\n" jq '.traces[0].ops | length' r.json
	atf_check -o inline:'4\n' grep -c '^not ok .* - [a-z]*\.jsonl # ' r.tap
	atf_check -o inline:'4\n' grep -c '<td class="u" colspan="4">invalid: ' r.html
}

atf_test_case list_escapes
list_escapes_head() {
	atf_set descr "list does not pass a trace's control characters to the terminal"
}
list_escapes_body() {
	printf '%s\n%s\n' "$header" \
		'{"type":"op","op":"get_api_version","id":"red\u001b[31mtext"}' >esc.jsonl
	if ! "$runner" validate esc.jsonl >/dev/null 2>&1; then
		atf_skip "the trace reader refuses control characters in ids"
	fi
	atf_check -o save:out "$runner" list esc.jsonl
	atf_check -s exit:1 grep -q "$(printf '\033')" out
	atf_check -o ignore grep -F 'red\x1b[31mtext' out
	# The text and TAP reports escape them too.
	atf_check -s not-exit:2 -o save:out -e save:err \
		"$runner" run --registry "$registry" -o tap:tap esc.jsonl
	atf_check -s exit:1 grep -q "$(printf '\033')" out tap
	atf_check -o ignore grep -F 'red\x1b[31mtext' out
	atf_check -o ignore grep -F 'red\x1b[31mtext' tap
}

atf_test_case json_utf8
json_utf8_head() {
	atf_set descr "the JSON report is valid UTF-8 whatever bytes the trace's path holds"
	atf_set require.progs python3
}
json_utf8_body() {
	f=$(printf 'bad\377\376.jsonl')
	cp "$traces/raw.jsonl" "$f"
	atf_check -s not-exit:2 -o save:r.json -e ignore \
		"$runner" run -j --registry "$registry" "$f"
	atf_check -o inline:'bad\xef\xbf\xbd\xef\xbf\xbd.jsonl\n' python3 -c '
import json, sys
r = json.loads(open("r.json", "rb").read().decode("utf-8"))
print(repr(r["traces"][0]["trace"].encode("utf-8"))[2:-1])'
}

atf_test_case write_errors
write_errors_head() {
	atf_set descr "a full standard output is an error said on stderr (exit 2)"
}
write_errors_body() {
	[ -w /dev/full ] || atf_skip "no /dev/full"
	t=$traces/raw.jsonl
	for args in "validate $t" "list $t" "run --registry $registry $t" \
		"run -j --registry $registry $t" "--list-cmds"; do
		# shellcheck disable=SC2086
		atf_check -s exit:2 -e match:'standard output: No space left' \
			sh -c '"$0" "$@" >/dev/full' "$runner" $args
	done
}

atf_test_case directories
directories_head() {
	atf_set descr "a directory as registry or report says so; a device as report is written in place"
}
directories_body() {
	t=$traces/raw.jsonl
	mkdir d
	atf_check -s exit:2 -e match:'registry: d: Is a directory' \
		"$runner" run --registry d "$t"
	atf_check -s exit:2 -e match:'d: is a directory' \
		"$runner" run --registry "$registry" -o json:d "$t"
	atf_check -s exit:2 -e match:'d: is a directory' \
		"$runner" run --registry "$registry" --html d "$t"
	atf_check -s not-exit:2 -o ignore -e ignore \
		"$runner" run --registry "$registry" -o json:/dev/null "$t"
	[ -c /dev/null ] || atf_fail "/dev/null was replaced"
}

atf_init_test_cases() {
	atf_add_test_case validate_corpus
	atf_add_test_case validate_errors
	atf_add_test_case list_json
	atf_add_test_case list_recorded
	atf_add_test_case usage
	atf_add_test_case no_backend
	atf_add_test_case html_page
	atf_add_test_case outputs
	atf_add_test_case diff_reports
	atf_add_test_case diff_matrix
	atf_add_test_case diff_scale
	atf_add_test_case registry_errors
	atf_add_test_case schemas
	atf_add_test_case timing_usage
	atf_add_test_case timing_host
	atf_add_test_case man_matches_commands
	atf_add_test_case completion
	atf_add_test_case long_names
	atf_add_test_case case_in_path_with_colon
	atf_add_test_case read_once
	atf_add_test_case bad_traces_kept
	atf_add_test_case list_escapes
	atf_add_test_case json_utf8
	atf_add_test_case write_errors
	atf_add_test_case directories
}
