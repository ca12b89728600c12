// SPDX-License-Identifier: GPL-2.0-or-later
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "parse.h"
#include "utf8.h"

__attribute__((format(printf, 4, 5))) static int
fail(char *msg, size_t msglen, int err, const char *fmt, ...)
{
	va_list ap;

	if (msglen) {
		va_start(ap, fmt);
		utf8_vsnprintf(msg, msglen, fmt, ap);
		va_end(ap);
	}
	return err;
}

static bool has_hex_prefix(const char *s, size_t len)
{
	return len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
}

/*
 * Digits of s up to len bytes: strtoull() would take a sign (and wrap a
 * negative number around), blanks and octal, none of which belongs in an
 * IOVA.
 */
static int parse_digits(const char *s, size_t len, uint64_t *out,
			const char *whole, char *msg, size_t msglen)
{
	unsigned int base = 10;
	uint64_t v = 0;
	size_t i = 0;

	if (has_hex_prefix(s, len)) {
		base = 16;
		i = 2;
	}
	if (i == len)
		return fail(msg, msglen, -EINVAL, "'%s' is not a number",
			    whole);
	for (; i < len; i++) {
		unsigned int d;
		char c = s[i];

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else if ((unsigned char)c < 0x20 || (unsigned char)c >= 0x7f)
			return fail(msg, msglen, -EINVAL,
				    "'%s' is not a number: unexpected byte 0x%02x",
				    whole, (unsigned char)c);
		else
			return fail(msg, msglen, -EINVAL,
				    "'%s' is not a number: unexpected '%c'",
				    whole, c);
		if (v > (UINT64_MAX - d) / base)
			return fail(msg, msglen, -ERANGE,
				    "'%s' does not fit in 64 bits", whole);
		v = v * base + d;
	}
	*out = v;
	return 0;
}

int parse_u64(const char *s, uint64_t *out, char *msg, size_t msglen)
{
	return parse_digits(s, strlen(s), out, s, msg, msglen);
}

int parse_u32(const char *s, uint32_t *out, char *msg, size_t msglen)
{
	uint64_t v;
	int rc;

	rc = parse_u64(s, &v, msg, msglen);
	if (rc)
		return rc;
	if (v > UINT32_MAX)
		return fail(msg, msglen, -ERANGE,
			    "'%s' does not fit in 32 bits", s);
	*out = v;
	return 0;
}

static unsigned int suffix_shift(char c)
{
	switch (c) {
	case 'k':
	case 'K':
		return 10;
	case 'm':
	case 'M':
		return 20;
	case 'g':
	case 'G':
		return 30;
	case 't':
	case 'T':
		return 40;
	case 'p':
	case 'P':
		return 50;
	case 'e':
	case 'E':
		return 60;
	}
	return 0;
}

/* A size within s[0..len), for use on both halves of a range. */
static int parse_size_n(const char *s, size_t len, uint64_t *out,
			const char *whole, char *msg, size_t msglen)
{
	unsigned int shift = 0;
	uint64_t v;
	int rc;

	if (len > 1)
		shift = suffix_shift(s[len - 1]);
	/* In hex, E is a digit: 0x1E is thirty, not 1 << 60. */
	if (shift && has_hex_prefix(s, len) &&
	    isxdigit((unsigned char)s[len - 1]))
		shift = 0;
	if (shift)
		len--;
	rc = parse_digits(s, len, &v, whole, msg, msglen);
	if (rc)
		return rc;
	if (shift && v > (UINT64_MAX >> shift))
		return fail(msg, msglen, -ERANGE,
			    "'%s' does not fit in 64 bits", whole);
	*out = v << shift;
	return 0;
}

int parse_size(const char *s, uint64_t *out, char *msg, size_t msglen)
{
	return parse_size_n(s, strlen(s), out, s, msg, msglen);
}

int parse_range(const char *s, struct parse_range *out, char *msg,
		size_t msglen)
{
	const char *sep = strpbrk(s, "-+");
	uint64_t start, second;
	int rc;

	if (!sep)
		return fail(
			msg, msglen, -EINVAL,
			"'%s' is not a range: expected START-LAST or START+SIZE",
			s);
	rc = parse_size_n(s, sep - s, &start, s, msg, msglen);
	if (rc)
		return rc;
	rc = parse_size_n(sep + 1, strlen(sep + 1), &second, s, msg, msglen);
	if (rc)
		return rc;

	if (*sep == '-') {
		if (second < start)
			return fail(msg, msglen, -EINVAL,
				    "'%s': end 0x%llx is below start 0x%llx", s,
				    (unsigned long long)second,
				    (unsigned long long)start);
		out->start = start;
		out->last = second;
		return 0;
	}
	if (!second)
		return fail(msg, msglen, -EINVAL, "'%s': size is zero", s);
	if (second - 1 > UINT64_MAX - start)
		return fail(msg, msglen, -ERANGE,
			    "'%s': start + size goes past 0xffffffffffffffff",
			    s);
	out->start = start;
	out->last = start + (second - 1);
	return 0;
}

int parse_range_length(const struct parse_range *r, uint64_t *len)
{
	if (r->start == 0 && r->last == UINT64_MAX)
		return -ERANGE;
	*len = r->last - r->start + 1;
	return 0;
}
