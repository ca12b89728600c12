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

int fputs_printable(const char *s, FILE *f)
{
	const unsigned char *p;
	size_t n;

	while (*s) {
		p = (const unsigned char *)s;
		n = utf8_seq_len(s);
		/* U+0080..U+009F, the C1 controls, are 0xc2 0x80..0x9f. */
		if (!n || *p < 0x20 || *p == 0x7f ||
		    (n == 2 && p[0] == 0xc2 && p[1] < 0xa0)) {
			if (n == 2) {
				if (fprintf(f, "\\x%02x\\x%02x", p[0], p[1]) < 0)
					return EOF;
			} else if (fprintf(f, "\\x%02x", *p) < 0) {
				return EOF;
			}
			s += n == 2 ? 2 : 1;
			continue;
		}
		if (fwrite(s, 1, n, f) != n)
			return EOF;
		s += n;
	}
	return 0;
}
