// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A JSON writer small enough to live in every traced process: it fills
 * a caller's buffer, allocates nothing and calls nothing that is unsafe
 * in a signal handler.
 */
#include <string.h>

#include "binlog.h"
#include "names.h"

static const char hexdigits[] = "0123456789abcdef";

size_t rec_utoa(char *out, unsigned long v)
{
	char tmp[24];
	size_t n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
	return n;
}

size_t rec_xtoa(char *out, unsigned long v)
{
	char tmp[24];
	size_t n = 0, i;

	do {
		tmp[n++] = hexdigits[v & 15];
		v >>= 4;
	} while (v);
	for (i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
	return n;
}

void line_init(struct rec_line *l, char *buf, size_t cap)
{
	l->buf = buf;
	l->len = 0;
	l->cap = cap;
	l->overflow = false;
}

static void put(struct rec_line *l, const char *s, size_t n)
{
	if (l->overflow || n > l->cap - l->len) {
		l->overflow = true;
		return;
	}
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

void line_raw(struct rec_line *l, const char *s)
{
	put(l, s, strlen(s));
}

void line_str(struct rec_line *l, const char *s)
{
	char esc[6] = "\\u00";
	unsigned char c;

	put(l, "\"", 1);
	for (; *s; s++) {
		c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			esc[1] = (char)c;
			put(l, esc, 2);
		} else if (c < 0x20) {
			esc[1] = 'u';
			esc[4] = hexdigits[c >> 4];
			esc[5] = hexdigits[c & 15];
			put(l, esc, 6);
		} else {
			put(l, (const char *)&c, 1);
		}
	}
	put(l, "\"", 1);
}

void line_hex(struct rec_line *l, uint64_t v)
{
	char out[20], *p = out + sizeof(out);

	*--p = '"';
	do {
		*--p = hexdigits[v & 15];
		v >>= 4;
	} while (v);
	*--p = 'x';
	*--p = '0';
	*--p = '"';
	put(l, p, (size_t)(out + sizeof(out) - p));
}

void line_dec(struct rec_line *l, int64_t v)
{
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	char out[24], *p = out + sizeof(out);

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	put(l, p, (size_t)(out + sizeof(out) - p));
}

void line_bytes(struct rec_line *l, const void *p, size_t n)
{
	const unsigned char *b = p;
	char pair[2];
	size_t i;

	put(l, "\"", 1);
	for (i = 0; i < n; i++) {
		pair[0] = hexdigits[b[i] >> 4];
		pair[1] = hexdigits[b[i] & 15];
		put(l, pair, 2);
	}
	put(l, "\"", 1);
}

void line_errno(struct rec_line *l, int err)
{
	if (!err) {
		put(l, "null", 4);
		return;
	}
	/*
	 * The library's table, which the trace reader reads names back
	 * with. Nameless, the line fails validation rather than lie.
	 */
	line_str(l, errno_str(err));
}
