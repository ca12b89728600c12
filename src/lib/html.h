/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_HTML_H
#define IOMMUCTL_HTML_H

#include <stdio.h>

/* Write s (NULL: nothing) as HTML text or attribute value. */
void html_escape(FILE *f, const char *s);

#endif
