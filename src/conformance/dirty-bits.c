// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dirty-bits.h"

static bool bit_set(const uint64_t *words, uint64_t i)
{
	return words[i / 64] >> (i % 64) & 1;
}

int dirty_bits_format(const uint64_t *words, size_t nwords, char *buf,
		      size_t len)
{
	uint64_t nbits = (uint64_t)nwords * 64, i = 0, first;
	size_t n = 0;
	int w;

	if (!len)
		return -ENOSPC;
	buf[0] = '\0';
	while (i < nbits) {
		if (!bit_set(words, i)) {
			i++;
			continue;
		}
		for (first = i; i < nbits && bit_set(words, i); i++)
			;
		if (first == i - 1)
			w = snprintf(buf + n, len - n, "%s%" PRIu64,
				     n ? "," : "", first);
		else
			w = snprintf(buf + n, len - n,
				     "%s%" PRIu64 "-%" PRIu64, n ? "," : "",
				     first, i - 1);
		if (w < 0 || (size_t)w >= len - n)
			return -ENOSPC;
		n += (size_t)w;
	}
	if (!n && snprintf(buf, len, "none") >= (int)len)
		return -ENOSPC;
	return 0;
}

/* One decimal index at *s; advances *s. */
static int parse_index(const char **s, uint64_t *v)
{
	char *end;

	if (**s < '0' || **s > '9')
		return -EINVAL;
	errno = 0;
	*v = strtoull(*s, &end, 10);
	if (errno)
		return -EINVAL;
	*s = end;
	return 0;
}

int dirty_bits_parse(const char *text, uint64_t *words, size_t nwords)
{
	uint64_t nbits = (uint64_t)nwords * 64, first, last, i;
	bool any = false;
	uint64_t next = 0;
	const char *s = text;

	memset(words, 0, nwords * sizeof(*words));
	if (!strcmp(text, "none"))
		return 0;
	for (;;) {
		if (parse_index(&s, &first))
			return -EINVAL;
		last = first;
		if (*s == '-') {
			s++;
			if (parse_index(&s, &last) || last < first)
				return -EINVAL;
		}
		if ((any && first < next) || last >= nbits)
			return -EINVAL;
		for (i = first; i <= last; i++)
			words[i / 64] |= (uint64_t)1 << (i % 64);
		any = true;
		next = last + 1;
		if (!*s)
			return 0;
		if (*s++ != ',')
			return -EINVAL;
	}
}
