// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The recorder's JSON writer (src/recorder/line.c): what it writes must
 * be what the trace reader reads, and a line that does not fit must be
 * dropped whole rather than cut. And the group ioctls as the trace's
 * own ops (src/recorder/call.c).
 */
#include <atf-c.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "binlog.h"
#include "uapi-vfio.h"

static char buf[256];

static struct rec_line *fresh(size_t cap)
{
	static struct rec_line l;

	memset(buf, 0, sizeof(buf));
	line_init(&l, buf, cap);
	return &l;
}

ATF_TC_WITHOUT_HEAD(strings_are_escaped);
ATF_TC_BODY(strings_are_escaped, tc)
{
	struct rec_line *l = fresh(sizeof(buf) - 1);

	line_str(l, "a\"b\\c\n\x01z");
	ATF_CHECK(!l->overflow);
	ATF_CHECK_STREQ(buf, "\"a\\\"b\\\\c\\u000a\\u0001z\"");
}

ATF_TC_WITHOUT_HEAD(numbers);
ATF_TC_BODY(numbers, tc)
{
	struct rec_line *l = fresh(sizeof(buf) - 1);

	line_hex(l, 0);
	line_raw(l, " ");
	line_hex(l, UINT64_MAX);
	line_raw(l, " ");
	line_dec(l, 0);
	line_raw(l, " ");
	line_dec(l, -1);
	line_raw(l, " ");
	line_dec(l, INT64_MIN);
	line_raw(l, " ");
	line_dec(l, 4096);
	ATF_CHECK_STREQ(buf, "\"0x0\" \"0xffffffffffffffff\" 0 -1 "
			     "-9223372036854775808 4096");
}

ATF_TC_WITHOUT_HEAD(bytes_and_errnos);
ATF_TC_BODY(bytes_and_errnos, tc)
{
	static const unsigned char b[] = { 0x00, 0x0f, 0xa5, 0xff };
	struct rec_line *l = fresh(sizeof(buf) - 1);

	line_bytes(l, b, sizeof(b));
	line_raw(l, " ");
	line_bytes(l, b, 0);
	line_raw(l, " ");
	line_errno(l, 0);
	line_raw(l, " ");
	line_errno(l, EINVAL);
	line_raw(l, " ");
	/* The kernel's own code VFIO returns for an unsupported request. */
	line_errno(l, 524);
	ATF_CHECK_STREQ(buf, "\"000fa5ff\" \"\" null \"EINVAL\" \"ENOTSUPP\"");
}

ATF_TC_WITHOUT_HEAD(overflow_is_sticky);
ATF_TC_BODY(overflow_is_sticky, tc)
{
	struct rec_line *l = fresh(8);

	line_raw(l, "12345");
	ATF_CHECK(!l->overflow);
	line_raw(l, "6789");
	ATF_CHECK(l->overflow);
	/* Nothing after an overflow lands, even what would fit. */
	line_raw(l, "x");
	ATF_CHECK_EQ(l->len, 5);
	ATF_CHECK(l->overflow);
}

ATF_TC_WITHOUT_HEAD(decimal_and_hex_helpers);
ATF_TC_BODY(decimal_and_hex_helpers, tc)
{
	char out[24];

	ATF_CHECK_EQ(rec_utoa(out, 0), 1);
	ATF_CHECK_STREQ(out, "0");
	ATF_CHECK_EQ(rec_utoa(out, 4294967296UL), 10);
	ATF_CHECK_STREQ(out, "4294967296");
	ATF_CHECK_EQ(rec_xtoa(out, 0x7f0000001000UL), 12);
	ATF_CHECK_STREQ(out, "7f0000001000");
}

/* SET_CONTAINER and UNSET_CONTAINER on a group are attach and detach. */
ATF_TC_WITHOUT_HEAD(group_ops);
ATF_TC_BODY(group_ops, tc)
{
	static char text[1024];
	struct rec_call c;
	struct rec_line l;

	memset(&c, 0, sizeof(c));
	c.role = ROLE_GROUP;
	c.request = IC_VFIO_GROUP_UNSET_CONTAINER;
	rec_call_classify(&c);
	line_init(&l, text, sizeof(text));
	rec_format_call(&l, &c);
	ATF_REQUIRE(!l.overflow);
	ATF_CHECK_MSG(strstr(text, "\"op\":\"detach_group\"") != NULL, "%s",
		      text);
	ATF_CHECK_MSG(!strstr(text, "\"request\""), "%s", text);

	memset(&c, 0, sizeof(c));
	c.role = ROLE_GROUP;
	c.request = IC_VFIO_GROUP_SET_CONTAINER;
	c.nin = sizeof(int);
	rec_call_classify(&c);
	line_init(&l, text, sizeof(text));
	rec_format_call(&l, &c);
	ATF_CHECK_MSG(strstr(text, "\"op\":\"attach_group\"") != NULL, "%s",
		      text);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, strings_are_escaped);
	ATF_TP_ADD_TC(tp, numbers);
	ATF_TP_ADD_TC(tp, bytes_and_errnos);
	ATF_TP_ADD_TC(tp, overflow_is_sticky);
	ATF_TP_ADD_TC(tp, decimal_and_hex_helpers);
	ATF_TP_ADD_TC(tp, group_ops);
	return atf_no_error();
}
