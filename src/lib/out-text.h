/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_OUT_TEXT_H
#define IOMMUCTL_OUT_TEXT_H

#include <cjson/cJSON.h>
#include <stdio.h>

/*
 * Render one record as indented "key: value" lines. Private to the output
 * layer (out.c), which owns the tree. Returns 0 or -errno.
 */
int out_text_render(FILE *f, const cJSON *record);

#endif
