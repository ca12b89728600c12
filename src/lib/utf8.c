// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

size_t utf8_seq_len(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	size_t n, i;

	if (p[0] < 0x80)
		return p[0] ? 1 : 0;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, cp = p[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are invalid. */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

bool utf8_valid(const char *s)
{
	size_t n;

	while (*s) {
		n = utf8_seq_len(s);
		if (!n)
			return false;
		s += n;
	}
	return true;
}

#define REPLACEMENT "\xef\xbf\xbd"

char *utf8_sanitize(const char *s)
{
	size_t len = strlen(s), n, o = 0;
	char *copy;

	/* Each byte becomes at most the three of U+FFFD. */
	copy = malloc(len * 3 + 1);
	if (!copy)
		return NULL;
	while (*s) {
		n = utf8_seq_len(s);
		if (n) {
			memcpy(copy + o, s, n);
			o += n;
			s += n;
		} else {
			memcpy(copy + o, REPLACEMENT, 3);
			o += 3;
			s++;
		}
	}
	copy[o] = '\0';
	return copy;
}

/* How a character at s is shown: itself, or \xNN per byte. n: its length. */
static size_t shown(const char *s, size_t *n, char *out)
{
	const unsigned char *p = (const unsigned char *)s;

	*n = utf8_seq_len(s);
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
