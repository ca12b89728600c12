// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

/* The replacement character, U+FFFD, in UTF-8. */
static const char replacement[] = "\xef\xbf\xbd";

/*
 * The length of the valid sequence at s (at most len bytes), or 0. The
 * second byte's range depends on the first (RFC 3629, section 4): that is
 * what rules out overlong forms, surrogates and values past U+10FFFF.
 */
static size_t seq_len(const unsigned char *s, size_t len)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (len < n || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

bool utf8_valid(const char *s, size_t len, size_t *bad)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t off = 0, n;

	while (off < len) {
		n = seq_len(p + off, len - off);
		if (!n) {
			if (bad)
				*bad = off;
			return false;
		}
		off += n;
	}
	return true;
}

char *utf8_sanitize(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), off = 0, o = 0, n;
	char *out;

	/* Each bad byte grows to three at most. */
	if (len > (SIZE_MAX - 1) / 3)
		return NULL;
	out = malloc(3 * len + 1);
	if (!out)
		return NULL;
	while (off < len) {
		n = seq_len(p + off, len - off);
		if (n) {
			memcpy(out + o, s + off, n);
			o += n;
			off += n;
		} else {
			memcpy(out + o, replacement, 3);
			o += 3;
			off++;
		}
	}
	out[o] = '\0';
	return out;
}

int utf8_vsnprintf(char *buf, size_t len, const char *fmt, va_list ap)
{
	size_t end, start;
	int rc;

	rc = vsnprintf(buf, len, fmt, ap);
	if (rc < 0 || !len || (size_t)rc < len)
		return rc;
	/* Cut: find where the last character starts, and whether it fits. */
	end = len - 1;
	start = end;
	while (start && end - start < 3 &&
	       ((unsigned char)buf[start - 1] & 0xc0) == 0x80)
		start--;
	if (start && ((unsigned char)buf[start - 1] & 0x80) &&
	    seq_len((const unsigned char *)buf + start - 1, end - start + 1) !=
		    end - start + 1)
		buf[start - 1] = '\0';
	return rc;
}

int utf8_snprintf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = utf8_vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return rc;
}

/* How a character at s is shown: itself, or \xNN per byte. n: its length. */
static size_t shown(const char *s, size_t *n, char *out)
{
	const unsigned char *p = (const unsigned char *)s;

	*n = seq_len(p, strnlen(s, 4));
	/* U+0080..U+009F, the C1 controls, are 0xc2 0x80..0x9f. */
	if (*n == 2 && p[0] == 0xc2 && p[1] < 0xa0)
		return (size_t)sprintf(out, "\\x%02x\\x%02x", p[0], p[1]);
	if (!*n || *p < 0x20 || *p == 0x7f) {
		*n = 1;
		return (size_t)sprintf(out, "\\x%02x", *p);
	}
	memcpy(out, s, *n);
	return *n;
}

int fputs_printable(const char *s, FILE *f)
{
	char out[16];
	size_t n, k;

	while (*s) {
		k = shown(s, &n, out);
		if (fwrite(out, 1, k, f) != k)
			return EOF;
		s += n;
	}
	return 0;
}

char *utf8_printable(char *buf, size_t len, const char *s)
{
	size_t n, k, o = 0;
	char out[16];

	if (!len)
		return buf;
	while (*s) {
		k = shown(s, &n, out);
		if (o + k >= len)
			break;
		memcpy(buf + o, out, k);
		o += k;
		s += n;
	}
	buf[o] = '\0';
	return buf;
}
