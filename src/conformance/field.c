// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "field.h"
#include "names.h"

static struct field *append(struct field_list *l, const char *key,
			    enum field_kind kind)
{
	struct field *f;

	if (strlen(key) >= FIELD_KEY_LEN) {
		errno = EINVAL;
		return NULL;
	}
	/* A result has a handful of fields: grow one at a time. */
	f = realloc(l->f, (l->nr + 1) * sizeof(*f));
	if (!f) {
		errno = ENOMEM;
		return NULL;
	}
	l->f = f;
	f = &f[l->nr++];
	memset(f, 0, sizeof(*f));
	snprintf(f->key, sizeof(f->key), "%s", key);
	f->kind = kind;
	return f;
}

int field_add_u64(struct field_list *l, const char *key, uint64_t v)
{
	struct field *f = append(l, key, FIELD_U64);

	if (!f)
		return -errno;
	f->u = v;
	return 0;
}

int field_add_s64(struct field_list *l, const char *key, int64_t v)
{
	struct field *f = append(l, key, FIELD_S64);

	if (!f)
		return -errno;
	f->s = v;
	return 0;
}

int field_add_hex(struct field_list *l, const char *key, uint64_t v)
{
	struct field *f = append(l, key, FIELD_HEX);

	if (!f)
		return -errno;
	f->u = v;
	return 0;
}

int field_add_errno(struct field_list *l, const char *key, int err)
{
	struct field *f = append(l, key, FIELD_ERRNO);

	if (!f)
		return -errno;
	f->err = err;
	return 0;
}

int field_add_range(struct field_list *l, const char *key, uint64_t start,
		    uint64_t end)
{
	struct field *f = append(l, key, FIELD_RANGE);

	if (!f)
		return -errno;
	f->range[0] = start;
	f->range[1] = end;
	return 0;
}

int field_add_str(struct field_list *l, const char *key, const char *s)
{
	char *copy = strdup(s);
	struct field *f;

	if (!copy)
		return -ENOMEM;
	f = append(l, key, FIELD_STR);
	if (!f) {
		free(copy);
		return -errno;
	}
	f->str = copy;
	return 0;
}

void field_list_release(struct field_list *l)
{
	unsigned int i;

	for (i = 0; i < l->nr; i++)
		if (l->f[i].kind == FIELD_STR)
			free(l->f[i].str);
	free(l->f);
	l->f = NULL;
	l->nr = 0;
}

const struct field *field_find(const struct field_list *l, const char *key)
{
	unsigned int i;

	for (i = 0; i < l->nr; i++)
		if (!strcmp(l->f[i].key, key))
			return &l->f[i];
	return NULL;
}

bool field_equal(const struct field *a, const struct field *b)
{
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case FIELD_U64:
	case FIELD_HEX:
		return a->u == b->u;
	case FIELD_S64:
		return a->s == b->s;
	case FIELD_ERRNO:
		return a->err == b->err;
	case FIELD_RANGE:
		return a->range[0] == b->range[0] && a->range[1] == b->range[1];
	case FIELD_STR:
		return !strcmp(a->str, b->str);
	}
	return false;
}

void field_format(const struct field *f, char *buf, size_t len)
{
	switch (f->kind) {
	case FIELD_U64:
		snprintf(buf, len, "%" PRIu64, f->u);
		break;
	case FIELD_S64:
		snprintf(buf, len, "%" PRId64, f->s);
		break;
	case FIELD_HEX:
		snprintf(buf, len, "0x%" PRIx64, f->u);
		break;
	case FIELD_ERRNO:
		snprintf(buf, len, "%s", errno_str(f->err));
		break;
	case FIELD_RANGE:
		snprintf(buf, len, "0x%" PRIx64 "-0x%" PRIx64, f->range[0],
			 f->range[1]);
		break;
	case FIELD_STR:
		snprintf(buf, len, "%s", f->str);
		break;
	}
}

char *field_list_join(const struct field_list *l)
{
	char val[256], *s, *p;
	size_t len = 1, n;
	unsigned int i;

	for (i = 0; i < l->nr; i++) {
		field_format(&l->f[i], val, sizeof(val));
		len += strlen(l->f[i].key) + 1 + strlen(val) + 1;
	}
	s = malloc(len);
	if (!s)
		return NULL;
	p = s;
	*p = '\0';
	for (i = 0; i < l->nr; i++) {
		field_format(&l->f[i], val, sizeof(val));
		n = (size_t)snprintf(p, len - (size_t)(p - s), "%s%s=%s",
				     i ? " " : "", l->f[i].key, val);
		p += n;
	}
	return s;
}
