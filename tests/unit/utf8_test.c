// SPDX-License-Identifier: GPL-2.0-or-later
/* utf8.c: what JSON and a terminal may be given of outside strings. */
#define _GNU_SOURCE
#include <atf-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

ATF_TC_WITHOUT_HEAD(sequences);
ATF_TC_BODY(sequences, tc)
{
	ATF_CHECK_EQ(utf8_seq_len("a"), 1);
	ATF_CHECK_EQ(utf8_seq_len(""), 0);
	ATF_CHECK_EQ(utf8_seq_len("\xc3\xa9"), 2);
	ATF_CHECK_EQ(utf8_seq_len("\xe2\x82\xac"), 3);
	ATF_CHECK_EQ(utf8_seq_len("\xf0\x9f\x98\x80"), 4);
	/* Overlong forms, surrogates, past U+10FFFF, cut short. */
	ATF_CHECK_EQ(utf8_seq_len("\xc0\xaf"), 0);
	ATF_CHECK_EQ(utf8_seq_len("\xe0\x80\xaf"), 0);
	ATF_CHECK_EQ(utf8_seq_len("\xed\xa0\x80"), 0);
	ATF_CHECK_EQ(utf8_seq_len("\xf4\x90\x80\x80"), 0);
	ATF_CHECK_EQ(utf8_seq_len("\xe2\x82"), 0);
	ATF_CHECK_EQ(utf8_seq_len("\xff"), 0);
	ATF_CHECK(utf8_valid("map-4k \xe2\x82\xac"));
	ATF_CHECK(!utf8_valid("bad\xff"));
}

ATF_TC_WITHOUT_HEAD(sanitize);
ATF_TC_BODY(sanitize, tc)
{
	char *s = utf8_sanitize("a\xff\xfe" "b\xe2\x82\xac");

	ATF_REQUIRE(s);
	ATF_CHECK_STREQ(s, "a\xef\xbf\xbd\xef\xbf\xbd" "b\xe2\x82\xac");
	ATF_CHECK(utf8_valid(s));
	free(s);
}

ATF_TC_WITHOUT_HEAD(printable);
ATF_TC_BODY(printable, tc)
{
	char buf[64], *text = NULL;
	size_t len = 0;
	FILE *f;

	ATF_CHECK_STREQ(utf8_printable(buf, sizeof(buf),
				       "red\x1b[31m\r\n\x7f \xc2\x9b\xe2\x82\xac\xff"),
			"red\\x1b[31m\\x0d\\x0a\\x7f \\xc2\\x9b\xe2\x82\xac\\xff");
	/* Cut at a whole character: never half an escape. */
	ATF_CHECK_STREQ(utf8_printable(buf, 6, "ab\x1b"), "ab");
	f = open_memstream(&text, &len);
	ATF_REQUIRE(f);
	ATF_CHECK_EQ(fputs_printable("x\x1b", f), 0);
	fclose(f);
	ATF_CHECK_STREQ(text, "x\\x1b");
	free(text);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, sequences);
	ATF_TP_ADD_TC(tp, sanitize);
	ATF_TP_ADD_TC(tp, printable);
	return atf_no_error();
}
