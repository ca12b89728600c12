// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdbool.h>

#include "out-text.h"
#include "utf8.h"

/*
 * The text form mirrors the JSON tree so that both show the same facts:
 * members as "key: value", nested objects indented by two, arrays of
 * scalars on one line, arrays of objects as "- " items. null reads
 * "none" and an empty array "(none)".
 */

static void indent(FILE *f, int depth, bool *dash)
{
	if (*dash) {
		fprintf(f, "%*s- ", depth - 2, "");
		*dash = false;
	} else {
		fprintf(f, "%*s", depth, "");
	}
}

static void scalar(FILE *f, const cJSON *item)
{
	if (cJSON_IsString(item))
		fputs_printable(item->valuestring, f);
	else if (cJSON_IsBool(item))
		fputs(cJSON_IsTrue(item) ? "true" : "false", f);
	else if (cJSON_IsNumber(item))
		/*
		 * Integers of 32 bits or less and out_double()'s values:
		 * %.15g prints the first exactly and the second in full.
		 */
		fprintf(f, "%.15g", item->valuedouble);
	else
		fputs("none", f);
}

static bool is_container(const cJSON *item)
{
	return cJSON_IsObject(item) || cJSON_IsArray(item);
}

static bool all_scalars(const cJSON *array)
{
	const cJSON *el;

	cJSON_ArrayForEach(el, array) {
		if (is_container(el))
			return false;
	}
	return true;
}

static void scalar_list(FILE *f, const cJSON *array)
{
	const cJSON *el;

	if (!cJSON_GetArraySize(array)) {
		fputs("(none)", f);
		return;
	}
	cJSON_ArrayForEach(el, array) {
		if (el != array->child)
			fputc(' ', f);
		scalar(f, el);
	}
}

static void object(FILE *f, const cJSON *obj, int depth, bool dash);

static void array(FILE *f, const cJSON *arr, int depth)
{
	const cJSON *el;

	cJSON_ArrayForEach(el, arr) {
		bool dash = true;

		if (cJSON_IsObject(el) && cJSON_GetArraySize(el)) {
			object(f, el, depth + 4, true);
			continue;
		}
		indent(f, depth + 4, &dash);
		if (cJSON_IsArray(el))
			scalar_list(f, el);
		else
			scalar(f, el);
		fputc('\n', f);
	}
}

static void object(FILE *f, const cJSON *obj, int depth, bool dash)
{
	const cJSON *m;

	cJSON_ArrayForEach(m, obj) {
		indent(f, depth, &dash);
		fprintf(f, "%s:", m->string);
		if (!is_container(m)) {
			fputc(' ', f);
			scalar(f, m);
			fputc('\n', f);
		} else if (cJSON_IsArray(m) && all_scalars(m)) {
			fputc(' ', f);
			scalar_list(f, m);
			fputc('\n', f);
		} else if (cJSON_IsArray(m)) {
			fputc('\n', f);
			array(f, m, depth);
		} else if (!cJSON_GetArraySize(m)) {
			fputs(" (none)\n", f);
		} else {
			fputc('\n', f);
			object(f, m, depth + 2, false);
		}
	}
}

int out_text_render(FILE *f, const cJSON *record)
{
	errno = 0;
	object(f, record, 0, false);
	/* The write's own error when stdio kept it (ENOSPC, EPIPE). */
	if (ferror(f))
		return errno ? -errno : -EIO;
	return 0;
}
