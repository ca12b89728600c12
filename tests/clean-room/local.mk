# SPDX-License-Identifier: GPL-2.0-or-later
#
# The clean-room runner (CI proves README's commands with it) and its tests.

testscleanroomdir = $(testsdir)/clean-room
testscleanroom_SCRIPTS = tests/clean-room/clean_room_test
dist_testscleanroom_DATA = tests/clean-room/Kyuafile
# The installed suite tests the installed runner.
dist_testscleanroom_SCRIPTS = tests/clean-room/run
EXTRA_DIST += tests/clean-room/clean_room_test.sh
CLEANFILES += $(testscleanroom_SCRIPTS)

tests/clean-room/clean_room_test: tests/clean-room/clean_room_test.sh Makefile
	$(AM_V_GEN)interp='$(ATF_SH)'; $(make_script)
