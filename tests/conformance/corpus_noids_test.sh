# SPDX-License-Identifier: GPL-2.0-or-later
#
# A user's own recording has no op ids, and its report must read as the
# corpus's does: the whole corpus (the synthetic traces and the real
# programs' ones) is replayed twice, as committed and with every op's id
# deleted, and each op must get the same verdict and the same divergences
# with the same registry entries. Neither run may match a divergence to
# more than one registry entry.
#
# pci lets the runner pick the device (a vfio-pci device in the VM); mdev
# replays on a DMA-probe mdev it creates and removes, so the device DMA
# steps run too.
corpus_here=$(cd "$(dirname "$0")" && pwd -P)
. "$corpus_here/corpus-env.sh"

# Copies of the corpus under DIR, every op's "id" removed.
strip_ids() {
	python3 - "$traces" "$1" <<'PY'
import json, os, sys
src, dst = sys.argv[1:]
for sub in ("", "real"):
    os.makedirs(os.path.join(dst, sub), exist_ok=True)
    for name in sorted(os.listdir(os.path.join(src, sub))):
        if not name.endswith(".jsonl"):
            continue
        with open(os.path.join(src, sub, name)) as f, \
             open(os.path.join(dst, sub, name), "w") as out:
            for line in f:
                if line.strip():
                    rec = json.loads(line)
                    rec.pop("id", None)
                    line = json.dumps(rec) + "\n"
                out.write(line)
PY
}

# What must not depend on ids: per op, its verdict and its divergences.
verdicts() {
	python3 - "$1" <<'PY'
import json, sys
rep = json.load(open(sys.argv[1]))
for t in rep["traces"]:
    base = t["trace"].rsplit("/", 1)[-1]
    for op in t["ops"]:
        print(base, op["line"], op["op"], op["verdict"])
        for d in op["divergences"]:
            print("   ", d["backend"], d["field"], d["type1"], d["other"],
                  d["registry"], ",".join(d["also_matched"]))
s = rep["summary"]
print("ambiguous", s["ambiguous"])
PY
}

# compare REAL [RUN-OPTION...]: REAL is whether to include the real
# programs' traces, which need the PCI device (they map its BARs).
compare() {
	local status real=$1 with without
	shift
	strip_ids noids
	with="$traces/*.jsonl" without="noids/*.jsonl"
	if $real; then
		with="$with $traces/real/*.jsonl"
		without="$without noids/real/*.jsonl"
	fi
	# shellcheck disable=SC2086
	"$runner" run -j --registry "$registry" "$@" $with >with.json \
		2>with.err
	status=$?
	[ $status -le 1 ] || atf_fail "runner exit $status: $(cat with.err)"
	# shellcheck disable=SC2086
	"$runner" run -j --registry "$registry" "$@" $without \
		>without.json 2>without.err
	status=$?
	[ $status -le 1 ] || atf_fail "runner exit $status: $(cat without.err)"
	verdicts with.json >with.txt
	verdicts without.json >without.txt
	grep -q ' match$\| known-divergence$' with.txt ||
		atf_fail "no op was compared: $(cat with.err)"
	atf_check -o match:'^ambiguous 0$' tail -n 1 with.txt
	diff -u with.txt without.txt >ids.diff ||
		atf_fail "verdicts depend on op ids: $(cat ids.diff)"
}

common_head() {
	atf_set require.user root
	atf_set require.files "/dev/iommu /dev/vfio/vfio"
	atf_set require.progs python3
	atf_set timeout 900
}

atf_test_case pci
pci_head() {
	atf_set descr "the corpus without op ids gets the same verdicts and entries (vfio-pci device)"
	common_head
}
pci_body() {
	compare true
}

atf_test_case mdev cleanup
mdev_head() {
	atf_set descr "the corpus without op ids gets the same verdicts and entries (DMA-probe mdev)"
	common_head
}
mdev_body() {
	mdev_setup || atf_skip "$mdev_why"
	echo "$mdev_uuid" >mdev.uuid
	echo "$mdev_loaded" >mdev.loaded
	compare false --mdev "$mdev_uuid"
}
mdev_cleanup() {
	[ -f mdev.uuid ] || return 0
	mdev_uuid=$(cat mdev.uuid)
	mdev_loaded=$(cat mdev.loaded)
	mdev_teardown
}

atf_init_test_cases() {
	atf_add_test_case pci
	atf_add_test_case mdev
}
