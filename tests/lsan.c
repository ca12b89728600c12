// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Link into every atf-c test program. libatf-c does not free the test
 * case list it builds for the runner, and LeakSanitizer
 * (--enable-sanitizers) would fail every program on that alone. The suppressions name only libatf-c's
 * own list functions, so a leak in the code under test is still reported.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_options(void);

/* Quietly: a test's stderr is part of its result. */
const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
}

const char *__lsan_default_suppressions(void)
{
	return "leak:atf_tp_get_tcs\n"
	       "leak:atf_map_init_charpp\n"
	       "leak:atf_list_init\n"
	       "leak:atf_list_append\n";
}
