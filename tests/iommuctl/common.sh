# SPDX-License-Identifier: GPL-2.0-or-later
#
# Shared by the iommuctl atf-sh tests; the build pastes it into each test
# script after the interpreter line and substitutes the @dirs@.

# Where the program under test and its documents are: beside this script
# in the build tree (make check, the VM tier), else where make install
# put them.
ic_paths()
{
	_here=$(atf_get_srcdir)
	if [ -x "$_here/../../src/iommuctl/iommuctl" ]; then
		IOMMUCTL=$_here/../../src/iommuctl/iommuctl
		MANPAGE=@abs_top_srcdir@/man/iommuctl.8
		COMPLETION=@abs_top_srcdir@/contrib/bash-completion/iommuctl
	else
		IOMMUCTL=@sbindir@/iommuctl
		MANPAGE=@mandir@/man8/iommuctl.8
		COMPLETION=@bashcompletiondir@/iommuctl
	fi
	HELPER=$_here/vfio_group_helper
}

# jq -e FILTER FILE, failing the test with the document when it is false.
ic_jq()
{
	if ! jq -e "$1" "$2" >/dev/null; then
		echo "jq '$1' is false for:" >&2
		cat "$2" >&2
		atf_fail "$2: $1"
	fi
}

# The value of FILTER in FILE, raw.
ic_jv()
{
	jq -r "$1" "$2"
}

# Standard output must be exactly one JSON document.
ic_one_doc()
{
	[ "$(jq -s length "$1")" = 1 ] || atf_fail "$1 is not one JSON document"
}
