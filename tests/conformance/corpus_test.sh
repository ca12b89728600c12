# SPDX-License-Identifier: GPL-2.0-or-later
#
# The trace corpus through the conformance runner, as TAP: one test per
# operation, named TRACE:CASE. Unexpected divergences and unmet
# expectations are "not ok"; known ones pass and carry their evidence in
# TAP comments. Without any usable backend the runner prints a skip plan.
#
# Run from the build tree (make check) it uses the built runner, the
# source tree's corpus and registry; installed, the installed ones.
here=$(cd "$(dirname "$0")" && pwd -P)
case $here in
"@abs_top_builddir@"/*)
	runner="@abs_top_builddir@/src/conformance/iommuctl-conformance"
	traces="@abs_top_srcdir@/tests/traces"
	registry="@abs_top_srcdir@/src/conformance/known-divergences.json"
	;;
*)
	runner="@sbindir@/iommuctl-conformance"
	traces="@pkgdatadir@/traces"
	registry="@pkgdatadir@/known-divergences.json"
	;;
esac
exec "$runner" run --tap --registry "$registry" "$traces"/*.jsonl
