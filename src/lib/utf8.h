/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_UTF8_H
#define IOMMUCTL_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * Strings that come from outside (trace ids and paths, arguments) meet
 * two readers that trust them: a JSON parser, which wants valid UTF-8,
 * and a terminal, which obeys the control characters in them.
 */

/* Length of the valid UTF-8 sequence at s, 0 for an invalid one or NUL. */
size_t utf8_seq_len(const char *s);

bool utf8_valid(const char *s);

/*
 * A copy of s with each byte that starts no valid sequence replaced by
 * U+FFFD; NULL without memory. Free it.
 */
char *utf8_sanitize(const char *s);

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
