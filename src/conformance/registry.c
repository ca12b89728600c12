// SPDX-License-Identifier: GPL-2.0-or-later
#include <cjson/cJSON.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"

/* A registry is a few dozen entries; a bound makes a runaway file an error. */
#define REGISTRY_MAX_BYTES (1 << 20)

static char *slurp(const char *path, int *err)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f;

	f = fopen(path, "re");
	if (!f) {
		*err = -errno;
		return NULL;
	}
	buf = malloc(REGISTRY_MAX_BYTES + 1);
	if (!buf) {
		*err = -ENOMEM;
		goto out;
	}
	n = fread(buf, 1, REGISTRY_MAX_BYTES + 1, f);
	if (ferror(f) || n > REGISTRY_MAX_BYTES) {
		*err = ferror(f) ? -EIO : -EFBIG;
		free(buf);
		buf = NULL;
		goto out;
	}
	buf[n] = '\0';
out:
	fclose(f);
	return buf;
}

void registry_release(struct registry *reg)
{
	struct registry_entry *e;
	unsigned int i;

	for (i = 0; i < reg->nr; i++) {
		e = &reg->entries[i];
		free(e->name);
		free(e->case_glob);
		free(e->backend);
		free(e->field);
		free(e->type1);
		free(e->other);
		free(e->type1_function);
		free(e->other_function);
		free(e->kernels);
		free(e->why);
	}
	free(reg->entries);
	reg->entries = NULL;
	reg->nr = 0;
}

static int entry_load(struct registry_entry *e, const cJSON *item,
		      unsigned int n, const char *path, char *msg, size_t len)
{
	static const char *const keys[] = {
		"name",	 "case",	   "backend",	     "field",	"type1",
		"other", "type1_function", "other_function", "kernels", "why",
	};
	char **dst[] = {
		&e->name,	    &e->case_glob,
		&e->backend,	    &e->field,
		&e->type1,	    &e->other,
		&e->type1_function, &e->other_function,
		&e->kernels,	    &e->why,
	};
	const cJSON *v;
	unsigned int k;

	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		v = cJSON_GetObjectItemCaseSensitive(item, keys[k]);
		if (!cJSON_IsString(v)) {
			snprintf(msg, len,
				 "%s: entry %u: %s: missing or not a string",
				 path, n, keys[k]);
			return -EINVAL;
		}
		*dst[k] = strdup(v->valuestring);
		if (!*dst[k])
			return -ENOMEM;
	}
	return 0;
}

int registry_load(struct registry *reg, const char *path, char *msg, size_t len)
{
	const cJSON *list, *item;
	unsigned int n = 0;
	int rc = 0;
	cJSON *doc;
	char *text;

	memset(reg, 0, sizeof(*reg));
	text = slurp(path, &rc);
	if (!text) {
		snprintf(msg, len, "%s: %s", path, strerror(-rc));
		return rc;
	}
	doc = cJSON_Parse(text);
	free(text);
	list = cJSON_GetObjectItemCaseSensitive(doc, "entries");
	if (!cJSON_IsArray(list)) {
		snprintf(msg, len,
			 "%s: expected an object with an \"entries\" array",
			 path);
		rc = -EINVAL;
		goto out;
	}
	reg->entries = calloc((size_t)cJSON_GetArraySize(list) + 1,
			      sizeof(*reg->entries));
	if (!reg->entries) {
		rc = -ENOMEM;
		goto out;
	}
	cJSON_ArrayForEach(item, list)
	{
		/* Counted first, so that release frees a half-loaded entry. */
		reg->nr = ++n;
		rc = entry_load(&reg->entries[n - 1], item, n, path, msg, len);
		if (rc) {
			registry_release(reg);
			goto out;
		}
	}
out:
	cJSON_Delete(doc);
	return rc;
}

const struct registry_entry *
registry_match(const struct registry *reg, const char *case_name,
	       const char *backend, const char *field, const char *type1_value,
	       const char *other_value)
{
	const struct registry_entry *e;
	unsigned int i;

	for (i = 0; i < reg->nr; i++) {
		e = &reg->entries[i];
		if (!fnmatch(e->case_glob, case_name, 0) &&
		    !fnmatch(e->backend, backend, 0) &&
		    !fnmatch(e->field, field, 0) &&
		    !fnmatch(e->type1, type1_value, 0) &&
		    !fnmatch(e->other, other_value, 0))
			return e;
	}
	return NULL;
}
