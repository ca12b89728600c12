// SPDX-License-Identifier: GPL-2.0-or-later
#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "registry.h"
#include "utf8.h"

#define REGISTRY_FORMAT "iommuctl-known-divergences"
#define REGISTRY_VERSION 2
/* A registry is a few dozen entries; a bound makes a runaway file an error. */
#define REGISTRY_MAX_BYTES (1 << 20)

static const char *const backends[] = { "iommufd", "iommufd-nodev" };

static char *slurp(const char *path, int *err)
{
	char *buf = NULL;
	struct stat st;
	size_t n = 0;
	FILE *f;

	f = fopen(path, "re");
	if (!f) {
		*err = -errno;
		return NULL;
	}
	/* A directory opens, then reads as an I/O error: name it. */
	if (!fstat(fileno(f), &st) && S_ISDIR(st.st_mode)) {
		*err = -EISDIR;
		goto out;
	}
	buf = malloc(REGISTRY_MAX_BYTES + 1);
	if (!buf) {
		*err = -ENOMEM;
		goto out;
	}
	errno = 0;
	n = fread(buf, 1, REGISTRY_MAX_BYTES + 1, f);
	if (ferror(f) || n > REGISTRY_MAX_BYTES) {
		*err = !ferror(f) ? -EFBIG : errno ? -errno : -EIO;
		free(buf);
		buf = NULL;
		goto out;
	}
	buf[n] = '\0';
out:
	fclose(f);
	return buf;
}

static void list_release(struct value_list *l)
{
	unsigned int i;

	for (i = 0; i < l->nr; i++)
		free(l->v[i]);
	l->nr = 0;
}

static void entry_release(struct registry_entry *e)
{
	free(e->name);
	list_release(&e->ops);
	list_release(&e->backends);
	free(e->when);
	free(e->field);
	list_release(&e->type1);
	list_release(&e->other);
	free(e->since);
	free(e->until);
	free(e->observed);
	free(e->type1_function);
	free(e->other_function);
	free(e->why);
}

void registry_release(struct registry *reg)
{
	unsigned int i;

	for (i = 0; i < reg->nr; i++)
		entry_release(&reg->entries[i]);
	free(reg->entries);
	reg->entries = NULL;
	reg->nr = 0;
}

/* Where a loading error is: "FILE: entry N (NAME): KEY: ". */
struct where {
	const char *file;
	unsigned int n;
	const char *name;
	char *msg;
	size_t len;
};

static int bad(const struct where *w, const char *key, const char *what)
{
	utf8_snprintf(w->msg, w->len, "%s: entry %u%s%s%s: %s: %s", w->file,
		      w->n, w->name ? " (" : "", w->name ? w->name : "",
		      w->name ? ")" : "", key, what);
	return -EINVAL;
}

static int get_string(const struct where *w, const cJSON *v, const char *key,
		      char **dst)
{
	if (!cJSON_IsString(v) || !*v->valuestring)
		return bad(w, key, "expected a non-empty string");
	*dst = strdup(v->valuestring);
	return *dst ? 0 : -ENOMEM;
}

/* A string or an array of strings, each checked by ok(). */
static int get_list(const struct where *w, const cJSON *v, const char *key,
		    struct value_list *l, bool (*ok)(const char *))
{
	const cJSON *item;
	char *s;

	if (cJSON_IsString(v)) {
		if (ok && !ok(v->valuestring))
			return bad(w, key, "not a value this key takes");
		l->v[0] = strdup(v->valuestring);
		if (!l->v[0])
			return -ENOMEM;
		l->nr = 1;
		return 0;
	}
	if (!cJSON_IsArray(v) || !cJSON_GetArraySize(v))
		return bad(w, key,
			   "expected a string or a non-empty array of strings");
	cJSON_ArrayForEach(item, v)
	{
		if (!cJSON_IsString(item) || (ok && !ok(item->valuestring)))
			return bad(w, key, "not a value this key takes");
		if (l->nr == REGISTRY_MAX_LIST)
			return bad(w, key, "too many values");
		s = strdup(item->valuestring);
		if (!s)
			return -ENOMEM;
		l->v[l->nr++] = s;
	}
	return 0;
}

static bool is_backend(const char *s)
{
	unsigned int i;

	for (i = 0; i < sizeof(backends) / sizeof(backends[0]); i++)
		if (!strcmp(s, backends[i]))
			return true;
	return false;
}

/* A trace op name, or a raw ioctl's name as the runner prints it. */
static bool is_op(const char *s)
{
	int op;

	for (op = 0; op < OP_COUNT; op++)
		if (!strcmp(s, trace_op_name(op)))
			return true;
	if (strncmp(s, "VFIO_", 5) && strncmp(s, "IOMMU_", 6))
		return false;
	for (; *s; s++)
		if (!isupper((unsigned char)*s) && !isdigit((unsigned char)*s) &&
		    *s != '_')
			return false;
	return true;
}

static bool is_value(const char *s)
{
	return *s != '\0';
}

static bool is_version(const char *s)
{
	bool digit = false;

	for (; *s; s++) {
		if (isdigit((unsigned char)*s))
			digit = true;
		else if (*s != '.' || !digit)
			return false;
		else
			digit = false;
	}
	return digit;
}

static int parse_atom(const struct where *w, const char *word,
		      struct cond_atom *a)
{
	const char *name = word;
	int c;

	a->side = SIDE_BOTH;
	if (!strncmp(word, "type1.", 6)) {
		a->side = SIDE_ONLY_TYPE1;
		name = word + 6;
	} else if (!strncmp(word, "other.", 6)) {
		a->side = SIDE_ONLY_OTHER;
		name = word + 6;
	}
	c = cond_lookup(name);
	if (c < 0 || (c == C_MAPPINGS_DIFFER && a->side != SIDE_BOTH)) {
		char what[96];

		snprintf(what, sizeof(what), "\"%s\" is no condition",
			 word);
		return bad(w, "when", what);
	}
	a->cond = c;
	return 0;
}

/* "term term ...", a term "[!]atom|atom|...", an atom "[type1.|other.]name". */
static int parse_when(const struct where *w, struct registry_entry *e)
{
	char *copy, *save = NULL, *word, *alt, *save2;
	struct cond_term *t;
	int rc = 0;

	copy = strdup(e->when);
	if (!copy)
		return -ENOMEM;
	for (word = strtok_r(copy, " ", &save); word && !rc;
	     word = strtok_r(NULL, " ", &save)) {
		if (e->nr_terms == REGISTRY_MAX_TERMS) {
			rc = bad(w, "when", "too many terms");
			break;
		}
		t = &e->terms[e->nr_terms++];
		t->negated = *word == '!';
		if (t->negated)
			word++;
		for (alt = strtok_r(word, "|", &save2); alt && !rc;
		     alt = strtok_r(NULL, "|", &save2)) {
			if (t->nr == REGISTRY_MAX_LIST) {
				rc = bad(w, "when", "too many alternatives");
				break;
			}
			rc = parse_atom(w, alt, &t->atoms[t->nr++]);
		}
		if (!rc && !t->nr)
			rc = bad(w, "when", "an empty term");
	}
	free(copy);
	return rc;
}

static int entry_load(struct registry_entry *e, const cJSON *item,
		      struct where *w)
{
	static const char *const keys[] = {
		"name",	   "op",       "backends",	 "when",
		"field",   "type1",    "other",		 "since",
		"until",   "observed", "type1_function", "other_function",
		"why",
	};
	const cJSON *v;
	unsigned int k;
	int rc;

	if (!cJSON_IsObject(item))
		return bad(w, "entry", "expected an object");
	rc = get_string(w, cJSON_GetObjectItemCaseSensitive(item, "name"),
			"name", &e->name);
	if (rc)
		return rc;
	w->name = e->name;
	cJSON_ArrayForEach(v, item)
	{
		for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if (v->string && !strcmp(v->string, keys[k]))
				break;
		if (k == sizeof(keys) / sizeof(keys[0]))
			return bad(w, v->string ? v->string : "?",
				   "unknown key");
		if (cJSON_GetObjectItemCaseSensitive(item, v->string) != v)
			return bad(w, v->string, "given twice");
	}
	rc = get_list(w, cJSON_GetObjectItemCaseSensitive(item, "op"), "op",
		      &e->ops, is_op);
	if (!rc)
		rc = get_list(w,
			      cJSON_GetObjectItemCaseSensitive(item,
							       "backends"),
			      "backends", &e->backends, is_backend);
	v = cJSON_GetObjectItemCaseSensitive(item, "when");
	if (!rc && !cJSON_IsString(v))
		rc = bad(w, "when", "expected a string (\"\": always)");
	if (!rc) {
		e->when = strdup(v->valuestring);
		rc = e->when ? parse_when(w, e) : -ENOMEM;
	}
	if (!rc)
		rc = get_string(w,
				cJSON_GetObjectItemCaseSensitive(item, "field"),
				"field", &e->field);
	if (!rc)
		rc = get_list(w, cJSON_GetObjectItemCaseSensitive(item, "type1"),
			      "type1", &e->type1, is_value);
	if (!rc)
		rc = get_list(w, cJSON_GetObjectItemCaseSensitive(item, "other"),
			      "other", &e->other, is_value);
	if (!rc)
		rc = get_string(w,
				cJSON_GetObjectItemCaseSensitive(item, "since"),
				"since", &e->since);
	if (!rc && !is_version(e->since))
		rc = bad(w, "since", "expected a release such as \"6.2\"");
	v = cJSON_GetObjectItemCaseSensitive(item, "until");
	if (!rc && !cJSON_IsNull(v)) {
		rc = get_string(w, v, "until", &e->until);
		if (!rc && !is_version(e->until))
			rc = bad(w, "until",
				 "expected null or a release such as \"6.13\"");
	}
	if (!rc)
		rc = get_string(w,
				cJSON_GetObjectItemCaseSensitive(item,
								 "observed"),
				"observed", &e->observed);
	if (!rc)
		rc = get_string(w,
				cJSON_GetObjectItemCaseSensitive(
					item, "type1_function"),
				"type1_function", &e->type1_function);
	if (!rc)
		rc = get_string(w,
				cJSON_GetObjectItemCaseSensitive(
					item, "other_function"),
				"other_function", &e->other_function);
	if (!rc)
		rc = get_string(w, cJSON_GetObjectItemCaseSensitive(item, "why"),
				"why", &e->why);
	return rc;
}

int registry_parse(struct registry *reg, const char *text, const char *name,
		   char *msg, size_t len)
{
	struct where w = { .file = name, .msg = msg, .len = len };
	const cJSON *list, *item, *v;
	unsigned int i, n = 0;
	size_t bad_at;
	int rc = 0;
	cJSON *doc;

	memset(reg, 0, sizeof(*reg));
	/* Its strings go into reports, which are UTF-8. */
	if (!utf8_valid(text, strlen(text), &bad_at)) {
		snprintf(msg, len, "%s: not UTF-8 at byte %zu", name,
			 bad_at + 1);
		return -EINVAL;
	}
	doc = cJSON_Parse(text);
	if (!doc) {
		snprintf(msg, len, "%s: not JSON", name);
		return -EINVAL;
	}
	v = cJSON_GetObjectItemCaseSensitive(doc, "format");
	if (!cJSON_IsString(v) || strcmp(v->valuestring, REGISTRY_FORMAT)) {
		snprintf(msg, len, "%s: format: expected \"%s\"", name,
			 REGISTRY_FORMAT);
		rc = -EINVAL;
		goto out;
	}
	v = cJSON_GetObjectItemCaseSensitive(doc, "version");
	if (!cJSON_IsNumber(v) || v->valuedouble != REGISTRY_VERSION) {
		snprintf(msg, len, "%s: version: expected %d", name,
			 REGISTRY_VERSION);
		rc = -EINVAL;
		goto out;
	}
	list = cJSON_GetObjectItemCaseSensitive(doc, "entries");
	if (!cJSON_IsArray(list) || cJSON_GetArraySize(doc) != 3) {
		snprintf(msg, len,
			 "%s: expected the keys format, version and entries (an array), nothing else",
			 name);
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
		w.n = n;
		w.name = NULL;
		rc = entry_load(&reg->entries[n - 1], item, &w);
		for (i = 0; !rc && i + 1 < n; i++)
			if (!strcmp(reg->entries[i].name,
				    reg->entries[n - 1].name))
				rc = bad(&w, "name", "used by an earlier entry");
		if (rc) {
			if (rc == -ENOMEM)
				snprintf(msg, len, "%s: out of memory", name);
			registry_release(reg);
			goto out;
		}
	}
out:
	cJSON_Delete(doc);
	return rc;
}

int registry_load(struct registry *reg, const char *path, char *msg, size_t len)
{
	char *text;
	int rc = 0;

	memset(reg, 0, sizeof(*reg));
	text = slurp(path, &rc);
	if (!text) {
		snprintf(msg, len, "%s: %s", path, strerror(-rc));
		return rc;
	}
	rc = registry_parse(reg, text, path, msg, len);
	free(text);
	return rc;
}

static bool atom_holds(const struct cond_atom *a, cond_set type1,
		       cond_set other)
{
	cond_set bit = COND_BIT(a->cond);

	switch (a->side) {
	case SIDE_ONLY_TYPE1:
		return type1 & bit;
	case SIDE_ONLY_OTHER:
		return other & bit;
	default:
		return (type1 & bit) && (other & bit);
	}
}

bool registry_when(const struct registry_entry *e, cond_set type1,
		   cond_set other)
{
	const struct cond_term *t;
	unsigned int i, j;
	bool any;

	for (i = 0; i < e->nr_terms; i++) {
		t = &e->terms[i];
		any = false;
		for (j = 0; j < t->nr && !any; j++)
			any = atom_holds(&t->atoms[j], type1, other);
		if (any == t->negated)
			return false;
	}
	return true;
}

/* Compare two releases by their numeric parts: <0, 0, >0. */
static int version_cmp(const char *a, const char *b)
{
	unsigned long x, y;
	char *ea, *eb;
	int i;

	for (i = 0; i < 3; i++) {
		x = isdigit((unsigned char)*a) ? strtoul(a, &ea, 10) : 0;
		y = isdigit((unsigned char)*b) ? strtoul(b, &eb, 10) : 0;
		if (x != y)
			return x < y ? -1 : 1;
		if (isdigit((unsigned char)*a))
			a = *ea == '.' ? ea + 1 : ea;
		if (isdigit((unsigned char)*b))
			b = *eb == '.' ? eb + 1 : eb;
	}
	return 0;
}

bool registry_in_range(const struct registry_entry *e, const char *kernel)
{
	if (!kernel || !isdigit((unsigned char)*kernel))
		return true;
	if (version_cmp(kernel, e->since) < 0)
		return false;
	return !e->until || version_cmp(kernel, e->until) < 0;
}

static bool list_has(const struct value_list *l, const char *s)
{
	unsigned int i;

	for (i = 0; i < l->nr; i++)
		if (!strcmp(l->v[i], s))
			return true;
	return false;
}

static bool value_matches(const struct value_list *l, const char *s)
{
	if (list_has(l, s))
		return true;
	return strcmp(s, "(absent)") && list_has(l, "*");
}

/* "iova_range[]" stands for iova_range[0], iova_range[1], ... */
static bool field_matches(const char *pattern, const char *field)
{
	size_t n = strlen(pattern);

	if (!strcmp(pattern, "*") || !strcmp(pattern, field))
		return true;
	if (n < 2 || strcmp(pattern + n - 2, "[]"))
		return false;
	return !strncmp(pattern, field, n - 1) &&
	       field[strlen(field) - 1] == ']';
}

unsigned int registry_match(const struct registry *reg,
			    const struct registry_query *q,
			    const struct registry_entry **found,
			    unsigned int max)
{
	const struct registry_entry *e;
	unsigned int i, n = 0;

	for (i = 0; i < reg->nr; i++) {
		e = &reg->entries[i];
		if (!list_has(&e->ops, q->op) &&
		    !(q->ioctl && list_has(&e->ops, q->ioctl)))
			continue;
		if (!list_has(&e->backends, q->backend) ||
		    !field_matches(e->field, q->field) ||
		    !value_matches(&e->type1, q->type1_value) ||
		    !value_matches(&e->other, q->other_value) ||
		    !registry_in_range(e, q->kernel) ||
		    !registry_when(e, q->type1_conds, q->other_conds))
			continue;
		if (n < max)
			found[n] = e;
		n++;
	}
	return n;
}
