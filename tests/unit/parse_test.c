// SPDX-License-Identifier: GPL-2.0-or-later
#include <atf-c.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "parse.h"

static char msg[256];

static uint64_t u64_ok(const char *s)
{
	uint64_t v = 0;

	ATF_REQUIRE_EQ_MSG(parse_u64(s, &v, msg, sizeof(msg)), 0, "'%s': %s", s,
			   msg);
	return v;
}

static void u64_err(const char *s, int err)
{
	uint64_t v = 12345;

	msg[0] = '\0';
	ATF_CHECK_EQ_MSG(parse_u64(s, &v, msg, sizeof(msg)), err,
			 "'%s' gave %s", s, msg);
	ATF_CHECK_EQ_MSG(v, 12345, "'%s' wrote the output on error", s);
	/* The message names what was wrong with the input itself. */
	ATF_CHECK_MSG(strstr(msg, s) != NULL, "'%s' not in message '%s'", s,
		      msg);
}

ATF_TC_WITHOUT_HEAD(u64_numbers);
ATF_TC_BODY(u64_numbers, tc)
{
	ATF_CHECK_EQ(u64_ok("0"), 0);
	ATF_CHECK_EQ(u64_ok("4096"), 4096);
	ATF_CHECK_EQ(u64_ok("0x1000"), 0x1000);
	ATF_CHECK_EQ(u64_ok("0XaBcD"), 0xabcd);
	/* Leading zeros are decimal, not octal. */
	ATF_CHECK_EQ(u64_ok("010"), 10);
	ATF_CHECK_EQ(u64_ok("18446744073709551615"), UINT64_MAX);
	ATF_CHECK_EQ(u64_ok("0xffffffffffffffff"), UINT64_MAX);
	ATF_CHECK_EQ(u64_ok("0x0000000000000000ffffffffffffffff"), UINT64_MAX);
}

ATF_TC_WITHOUT_HEAD(u64_rejects);
ATF_TC_BODY(u64_rejects, tc)
{
	u64_err("", -EINVAL);
	u64_err("0x", -EINVAL);
	u64_err("abc", -EINVAL);
	u64_err("12abc", -EINVAL);
	u64_err("-1", -EINVAL);
	u64_err("+1", -EINVAL);
	u64_err(" 1", -EINVAL);
	u64_err("1 ", -EINVAL);
	u64_err("0x12g", -EINVAL);
	u64_err("4K", -EINVAL);
	u64_err("18446744073709551616", -ERANGE);
	u64_err("0x10000000000000000", -ERANGE);
	u64_err("99999999999999999999999", -ERANGE);
}

ATF_TC_WITHOUT_HEAD(u32_bounds);
ATF_TC_BODY(u32_bounds, tc)
{
	uint32_t v = 7;

	ATF_CHECK_EQ(parse_u32("4294967295", &v, msg, sizeof(msg)), 0);
	ATF_CHECK_EQ(v, UINT32_MAX);
	ATF_CHECK_EQ(parse_u32("0xffffffff", &v, msg, sizeof(msg)), 0);
	ATF_CHECK_EQ(v, UINT32_MAX);
	v = 7;
	ATF_CHECK_EQ(parse_u32("4294967296", &v, msg, sizeof(msg)), -ERANGE);
	ATF_CHECK_EQ(parse_u32("0x100000000", &v, msg, sizeof(msg)), -ERANGE);
	ATF_CHECK_EQ(parse_u32("1x", &v, msg, sizeof(msg)), -EINVAL);
	ATF_CHECK_EQ(v, 7);
}

static uint64_t size_ok(const char *s)
{
	uint64_t v = 0;

	ATF_REQUIRE_EQ_MSG(parse_size(s, &v, msg, sizeof(msg)), 0, "'%s': %s",
			   s, msg);
	return v;
}

ATF_TC_WITHOUT_HEAD(size_suffixes);
ATF_TC_BODY(size_suffixes, tc)
{
	ATF_CHECK_EQ(size_ok("0"), 0);
	ATF_CHECK_EQ(size_ok("4096"), 4096);
	ATF_CHECK_EQ(size_ok("4K"), 4096);
	ATF_CHECK_EQ(size_ok("4k"), 4096);
	ATF_CHECK_EQ(size_ok("2M"), 2ULL << 20);
	ATF_CHECK_EQ(size_ok("1G"), 1ULL << 30);
	ATF_CHECK_EQ(size_ok("3T"), 3ULL << 40);
	ATF_CHECK_EQ(size_ok("1P"), 1ULL << 50);
	ATF_CHECK_EQ(size_ok("15E"), 15ULL << 60);
	ATF_CHECK_EQ(size_ok("0x10K"), 0x10ULL << 10);
	/* In hex, a trailing E is the digit fourteen, not exbi. */
	ATF_CHECK_EQ(size_ok("0x1E"), 0x1e);
	ATF_CHECK_EQ(size_ok("0x1e"), 0x1e);
}

ATF_TC_WITHOUT_HEAD(size_rejects);
ATF_TC_BODY(size_rejects, tc)
{
	static const struct {
		const char *s;
		int err;
	} cases[] = {
		{ "", -EINVAL },
		{ "K", -EINVAL },
		{ "4KB", -EINVAL },
		{ "4 K", -EINVAL },
		{ "-4K", -EINVAL },
		{ "4X", -EINVAL },
		{ "16E", -ERANGE },
		{ "16384P", -ERANGE },
		{ "0x400000000000000K", -ERANGE },
		{ "18446744073709551615K", -ERANGE },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t v = 99;

		ATF_CHECK_EQ_MSG(parse_size(cases[i].s, &v, msg, sizeof(msg)),
				 cases[i].err, "'%s' gave '%s'", cases[i].s,
				 msg);
		ATF_CHECK_EQ(v, 99);
	}
}

static struct parse_range range_ok(const char *s)
{
	struct parse_range r = { 0, 0 };

	ATF_REQUIRE_EQ_MSG(parse_range(s, &r, msg, sizeof(msg)), 0, "'%s': %s",
			   s, msg);
	return r;
}

ATF_TC_WITHOUT_HEAD(range_forms);
ATF_TC_BODY(range_forms, tc)
{
	struct parse_range r;
	uint64_t len;

	r = range_ok("0x1000-0x1fff");
	ATF_CHECK_EQ(r.start, 0x1000);
	ATF_CHECK_EQ(r.last, 0x1fff);

	r = range_ok("0x1000+4K");
	ATF_CHECK_EQ(r.start, 0x1000);
	ATF_CHECK_EQ(r.last, 0x1fff);
	ATF_CHECK_EQ(parse_range_length(&r, &len), 0);
	ATF_CHECK_EQ(len, 4096);

	/* A one-byte range is a range; whether the kernel takes it is its call. */
	r = range_ok("5-5");
	ATF_CHECK_EQ(r.start, 5);
	ATF_CHECK_EQ(r.last, 5);

	r = range_ok("1M+1M");
	ATF_CHECK_EQ(r.start, 1ULL << 20);
	ATF_CHECK_EQ(r.last, (2ULL << 20) - 1);

	r = range_ok("0xffffffffffffffff+1");
	ATF_CHECK_EQ(r.start, UINT64_MAX);
	ATF_CHECK_EQ(r.last, UINT64_MAX);

	r = range_ok("0-0xffffffffffffffff");
	ATF_CHECK_EQ(r.start, 0);
	ATF_CHECK_EQ(r.last, UINT64_MAX);
	/* The whole space is 2^64 bytes long: that length does not fit. */
	ATF_CHECK_EQ(parse_range_length(&r, &len), -ERANGE);

	r = range_ok("1-0xffffffffffffffff");
	ATF_CHECK_EQ(parse_range_length(&r, &len), 0);
	ATF_CHECK_EQ(len, UINT64_MAX);
}

ATF_TC_WITHOUT_HEAD(range_rejects);
ATF_TC_BODY(range_rejects, tc)
{
	static const struct {
		const char *s;
		int err;
	} cases[] = {
		{ "0x1000", -EINVAL },
		{ "0x2000-0x1000", -EINVAL },
		{ "1-0", -EINVAL },
		{ "0+0", -EINVAL },
		{ "-5", -EINVAL },
		{ "5-", -EINVAL },
		{ "5+", -EINVAL },
		{ "a-b", -EINVAL },
		{ "1-2-3", -EINVAL },
		{ "1+2+3", -EINVAL },
		{ "0xffffffffffffffff+2", -ERANGE },
		{ "0x8000000000000001+8E", -ERANGE },
		{ "0-18446744073709551616", -ERANGE },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct parse_range r = { 7, 7 };

		msg[0] = '\0';
		ATF_CHECK_EQ_MSG(parse_range(cases[i].s, &r, msg, sizeof(msg)),
				 cases[i].err, "'%s' gave '%s'", cases[i].s,
				 msg);
		ATF_CHECK_MSG(strstr(msg, cases[i].s) != NULL,
			      "'%s' not named in '%s'", cases[i].s, msg);
		ATF_CHECK(r.start == 7 && r.last == 7);
	}
}

ATF_TC_WITHOUT_HEAD(message_bounded);
ATF_TC_BODY(message_bounded, tc)
{
	char small[8];
	uint64_t v;

	memset(small, 'x', sizeof(small));
	ATF_CHECK_EQ(parse_u64("not-a-number-at-all", &v, small, sizeof(small)),
		     -EINVAL);
	ATF_CHECK_EQ(strlen(small), sizeof(small) - 1);
	/* No buffer at all is allowed too. */
	ATF_CHECK_EQ(parse_u64("zz", &v, NULL, 0), -EINVAL);
}

/* A byte that is not a printable character is named by its value. */
ATF_TC_WITHOUT_HEAD(message_names_bytes);
ATF_TC_BODY(message_names_bytes, tc)
{
	uint64_t v;

	ATF_CHECK_EQ(parse_u64("1\xc3\xa9", &v, msg, sizeof(msg)), -EINVAL);
	ATF_CHECK_MSG(strstr(msg, "unexpected byte 0xc3"), "%s", msg);
	ATF_CHECK_EQ(parse_u64("1\t", &v, msg, sizeof(msg)), -EINVAL);
	ATF_CHECK_MSG(strstr(msg, "unexpected byte 0x09"), "%s", msg);
	ATF_CHECK_EQ(parse_u64("1z", &v, msg, sizeof(msg)), -EINVAL);
	ATF_CHECK_MSG(strstr(msg, "unexpected 'z'"), "%s", msg);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, u64_numbers);
	ATF_TP_ADD_TC(tp, u64_rejects);
	ATF_TP_ADD_TC(tp, u32_bounds);
	ATF_TP_ADD_TC(tp, size_suffixes);
	ATF_TP_ADD_TC(tp, size_rejects);
	ATF_TP_ADD_TC(tp, range_forms);
	ATF_TP_ADD_TC(tp, range_rejects);
	ATF_TP_ADD_TC(tp, message_bounded);
	ATF_TP_ADD_TC(tp, message_names_bytes);
	return atf_no_error();
}
