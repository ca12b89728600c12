// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <atf-c.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

static bool valid(const char *s)
{
	return utf8_valid(s, strlen(s), NULL);
}

ATF_TC_WITHOUT_HEAD(valid_text);
ATF_TC_BODY(valid_text, tc)
{
	ATF_CHECK(valid(""));
	ATF_CHECK(valid("ioas map"));
	ATF_CHECK(valid("caf\xc3\xa9"));
	ATF_CHECK(valid("\xe2\x82\xac"));
	ATF_CHECK(valid("\xf0\x9f\x98\x80"));
	/* The ends of each range: U+0080, U+07FF, U+D7FF, U+E000, U+10FFFF. */
	ATF_CHECK(valid("\xc2\x80\xdf\xbf\xed\x9f\xbf\xee\x80\x80"));
	ATF_CHECK(valid("\xf4\x8f\xbf\xbf"));
}

ATF_TC_WITHOUT_HEAD(invalid_text);
ATF_TC_BODY(invalid_text, tc)
{
	static const struct {
		const char *s;
		size_t bad;
	} cases[] = {
		{ "ab\xff", 2 }, /* never in UTF-8 */
		{ "\x80", 0 }, /* a continuation alone */
		{ "x\xc3", 1 }, /* cut short */
		{ "\xc0\xaf", 0 }, /* overlong "/" */
		{ "\xe0\x80\xaf", 0 }, /* overlong, three bytes */
		{ "\xed\xa0\x80", 0 }, /* a surrogate, U+D800 */
		{ "\xf4\x90\x80\x80", 0 }, /* past U+10FFFF */
		{ "\xf5\x80\x80\x80", 0 },
		{ "ok\xe2\x82", 2 },
	};
	unsigned int i;
	size_t bad;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bad = 99;
		ATF_CHECK_MSG(!utf8_valid(cases[i].s, strlen(cases[i].s), &bad),
			      "case %u passed", i);
		ATF_CHECK_EQ_MSG(bad, cases[i].bad, "case %u: offset %zu", i,
				 bad);
	}
}

ATF_TC_WITHOUT_HEAD(sanitize);
ATF_TC_BODY(sanitize, tc)
{
	char *s;

	s = utf8_sanitize("a\xff" "b\xc3\xa9\xc3");
	ATF_REQUIRE(s);
	ATF_CHECK_STREQ(s, "a\xef\xbf\xbd" "b\xc3\xa9\xef\xbf\xbd");
	ATF_CHECK(valid(s));
	free(s);
	s = utf8_sanitize("plain");
	ATF_REQUIRE(s);
	ATF_CHECK_STREQ(s, "plain");
	free(s);
}

static int fmt(char *buf, size_t len, const char *f, ...)
{
	va_list ap;
	int rc;

	va_start(ap, f);
	rc = utf8_vsnprintf(buf, len, f, ap);
	va_end(ap);
	return rc;
}

/* A cut never leaves half a character; what fits whole stays. */
ATF_TC_WITHOUT_HEAD(cut_between_characters);
ATF_TC_BODY(cut_between_characters, tc)
{
	char buf[6];

	/* "ab" + U+20AC: 5 bytes, and room for 5. */
	ATF_CHECK_EQ(fmt(buf, sizeof(buf), "%s", "ab\xe2\x82\xac"), 5);
	ATF_CHECK_STREQ(buf, "ab\xe2\x82\xac");
	/* Room for 5 of 6: the euro sign does not fit whole. */
	ATF_CHECK_EQ(fmt(buf, sizeof(buf), "%s", "abc\xe2\x82\xac"), 6);
	ATF_CHECK_STREQ(buf, "abc");
	ATF_CHECK_EQ(fmt(buf, sizeof(buf), "%s", "abcd\xc3\xa9"), 6);
	ATF_CHECK_STREQ(buf, "abcd");
	ATF_CHECK_EQ(fmt(buf, sizeof(buf), "%s", "abc\xc3\xa9x"), 6);
	ATF_CHECK_STREQ(buf, "abc\xc3\xa9");
	ATF_CHECK_EQ(fmt(buf, sizeof(buf), "%s", "a\xf0\x9f\x98\x80"), 5);
	ATF_CHECK_STREQ(buf, "a\xf0\x9f\x98\x80");
	ATF_CHECK_EQ(fmt(buf, sizeof(buf), "%s", "ab\xf0\x9f\x98\x80"), 6);
	ATF_CHECK_STREQ(buf, "ab");
	ATF_CHECK_EQ(fmt(buf, sizeof(buf), "%s", "abcdefg"), 7);
	ATF_CHECK_STREQ(buf, "abcde");
}

/* What a terminal may be given of an outside string. */
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
	/* A sequence cut short by the end of the string is bytes. */
	ATF_CHECK_STREQ(utf8_printable(buf, sizeof(buf), "a\xe2\x82"),
			"a\\xe2\\x82");
	f = open_memstream(&text, &len);
	ATF_REQUIRE(f);
	ATF_CHECK_EQ(fputs_printable("x\x1b", f), 0);
	fclose(f);
	ATF_CHECK_STREQ(text, "x\\x1b");
	free(text);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, valid_text);
	ATF_TP_ADD_TC(tp, invalid_text);
	ATF_TP_ADD_TC(tp, sanitize);
	ATF_TP_ADD_TC(tp, cut_between_characters);
	ATF_TP_ADD_TC(tp, printable);
	return atf_no_error();
}
