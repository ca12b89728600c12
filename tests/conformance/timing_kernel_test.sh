# SPDX-License-Identifier: GPL-2.0-or-later
#
# iommuctl-conformance timing on the running kernel: a tiny run (two
# sizes, three rounds, every domain, mode and memory kind) whose JSON must
# hold every configuration, each measured with sane statistics or skipped
# with a reason, none failed; what this machine offers decides which must
# have been measured. Needs /dev/vfio/vfio or /dev/iommu: in the VM.
corpus_here=$(cd "$(dirname "$0")" && pwd -P)
. "$corpus_here/corpus-env.sh"

atf_test_case tiny cleanup
tiny_head() {
	atf_set descr "a tiny timing measures or skips, with the reason, every configuration"
	atf_set require.user root
	atf_set require.progs python3
	atf_set timeout 900
}
tiny_body() {
	[ -e /dev/vfio/vfio ] || [ -e /dev/iommu ] ||
		atf_skip "neither /dev/vfio/vfio nor /dev/iommu: this kernel has no VFIO container and no iommufd (run it in the VM: tests/vm/run -- kyua test ...)"
	# type1 without a domain needs an mdev's group: make one if we can.
	if mdev_setup; then
		echo "$mdev_uuid $mdev_loaded" >mdev.state
		set -- --mdev "$mdev_uuid"
	else
		echo "no DMA-probe mdev ($mdev_why): type1 without a domain is skipped"
		set --
	fi
	"$runner" timing -j --sizes 4K,2M --rounds 3 --html page.html "$@" \
		>timing.json 2>stderr
	status=$?
	cat stderr >&2
	[ $status = 0 ] || atf_fail "timing exited $status"
	[ ! -e page.html.tmp ] || atf_fail "page.html.tmp left behind"
	grep -q '<svg ' page.html || atf_fail "no plot in page.html"
	have_iommu=false have_vfio=false have_pci=false have_mdev=false
	[ -e /dev/iommu ] && have_iommu=true
	[ -e /dev/vfio/vfio ] && have_vfio=true
	for d in /sys/bus/pci/drivers/vfio-pci/0000:*; do
		[ -e "$d" ] && have_pci=true
	done
	[ -s mdev.state ] && have_mdev=true
	atf_check -o save:checked python3 - timing.json $have_iommu $have_vfio \
		$have_pci $have_mdev <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
iommu, vfio, pci, mdev = (a == "true" for a in sys.argv[2:6])
def fail(msg):
    sys.exit(msg)
if doc["format"] != "iommuctl-conformance-timing" or doc["rounds"] != 3:
    fail("not a 3-round timing document")
cfgs = doc["configurations"]
if len(cfgs) != 32:
    fail("%d configurations, expected 2 backends x 2 domains x 2 modes x 2 memory kinds x 2 sizes" % len(cfgs))
seen = set()
for c in cfgs:
    key = (c["backend"], c["domain"], c["mode"], c["memory"], c["size"])
    seen.add(key)
    name = " ".join(key)
    if c["status"] == "failed":
        fail("%s failed: %s" % (name, c["reason"]))
    if c["status"] == "skipped":
        if not c["reason"] or c["map"] is not None:
            fail("%s skipped without a reason" % name)
        continue
    if c["reason"] is not None or c["batch"] < 1:
        fail("%s measured with a reason or no batch" % name)
    for op in ("map", "unmap"):
        s = c[op]["latency_ns"]
        order = [s[k] for k in ("min", "p10", "q1", "median", "q3", "p90", "max")]
        if order != sorted(order) or order[0] <= 0:
            fail("%s %s: statistics out of order: %s" % (name, op, order))
        if len(c[op]["samples_ns"]) != 3 or c[op]["throughput_bytes_per_s"] <= 0:
            fail("%s %s: not three samples" % (name, op))
if len(seen) != 32 or {c["size"] for c in cfgs} != {"0x1000", "0x200000"}:
    fail("configurations repeated or sizes wrong")
def status(bk, dom, mem):
    return {c["status"] for c in cfgs
            if (c["backend"], c["domain"], c["memory"]) == (bk, dom, mem)}
def reasons(bk, dom):
    return {c["reason"] for c in cfgs if (c["backend"], c["domain"]) == (bk, dom)}
# What this machine offers must have been measured; what it lacks says so.
if iommu and status("iommufd", "none", "anon") != {"measured"}:
    fail("iommufd without a device, anonymous memory: not measured")
if not iommu and not all("no /dev/iommu" in r for r in reasons("iommufd", "device") | reasons("iommufd", "none")):
    fail("iommufd skipped without saying /dev/iommu is missing")
if vfio and pci and status("type1", "device", "anon") != {"measured"}:
    fail("type1 with a vfio-pci device, anonymous memory: not measured")
if iommu and pci and status("iommufd", "device", "anon") != {"measured"}:
    fail("iommufd with a vfio-pci device, anonymous memory: not measured")
if vfio and mdev and status("type1", "none", "anon") != {"measured"}:
    fail("type1 on an mdev, anonymous memory: not measured")
if vfio and not mdev and not all("mdev" in r for r in reasons("type1", "none")):
    fail("type1 without a domain skipped without naming the missing mdev")
for r in doc["ratios"]:
    both = all(c["status"] == "measured" for c in cfgs
               if (c["domain"], c["mode"], c["memory"], c["size"]) ==
                  (r["domain"], r["mode"], r["memory"], r["size"]))
    if both != (r["map"] is not None and r["unmap"] is not None and r["reason"] is None):
        fail("ratio %s does not follow its configurations" % r)
s = doc["summary"]
if s["measured"] + s["skipped"] != 32 or s["failed"]:
    fail("summary %s" % s)
print("measured %d, skipped %d" % (s["measured"], s["skipped"]))
PY
	cat checked
	python3 -c 'import jsonschema' 2>/dev/null ||
		atf_fail "python3-jsonschema is missing (tests/deps): the JSON cannot be checked against $timing_schema"
	atf_check python3 -c '
import json, sys, jsonschema
jsonschema.Draft202012Validator(json.load(open(sys.argv[1]))).validate(json.load(open(sys.argv[2])))
' "$timing_schema" timing.json
}
tiny_cleanup() {
	if [ -s mdev.state ]; then
		read -r mdev_uuid mdev_loaded <mdev.state
		mdev_teardown
	fi
}

atf_init_test_cases() {
	atf_add_test_case tiny
}
