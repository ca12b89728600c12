/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_UTF8_H
#define IOMMUCTL_UTF8_H

#include <stdarg.h>
#include <stdio.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * UTF-8 as RFC 3629 has it: no overlong forms, no UTF-16 surrogates,
 * nothing above U+10FFFF. JSON text must be UTF-8 (RFC 8259), and our
 * strings come from command lines, files and the kernel, which promise
 * nothing of the kind: these are the checks the output layer and the
 * readers share.
 */

/*
 * Whether s[0..len) is UTF-8. When it is not, *bad (if not NULL) is the
 * offset of the first byte that does not start a valid sequence.
 */
bool utf8_valid(const char *s, size_t len, size_t *bad);

/*
 * A copy of the string s with every byte that does not belong to a
 * valid sequence replaced by U+FFFD, or NULL when out of memory. The
 * caller frees it.
 */
char *utf8_sanitize(const char *s);

/*
 * vsnprintf(), except that output cut short at len never ends inside a
 * multi-byte sequence: the partial character is dropped whole.
 * Returns what vsnprintf() returns.
 */
int utf8_vsnprintf(char *buf, size_t len, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/* The same with the arguments given here. */
int utf8_snprintf(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Write s for a terminal: control characters (C0, DEL, C1) and bytes of
 * invalid UTF-8 as \xNN, so a trace cannot move the cursor or change the
 * terminal's state. Returns 0 or EOF.
 */
int fputs_printable(const char *s, FILE *f);

/*
 * The same into buf as a string, cut at a whole character when it does
 * not fit. Returns buf.
 */
char *utf8_printable(char *buf, size_t len, const char *s);

#endif
