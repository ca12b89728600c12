// SPDX-License-Identifier: GPL-2.0-or-later
#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "dirty-bits.h"
#include "names.h"
#include "parse.h"
#include "trace.h"
#include "uapi-iommufd.h"
#include "uapi-vfio.h"
#include "utf8.h"

/* Fields an op may carry; the table below says which and which are needed. */
enum {
	F_EXTENSION = 1 << 0,
	F_IOMMU_TYPE = 1 << 1,
	F_ARGSZ = 1 << 2,
	F_FLAGS = 1 << 3,
	F_BUFFER = 1 << 4,
	F_OFFSET = 1 << 5,
	F_IOVA = 1 << 6,
	F_SIZE = 1 << 7,
	F_PATTERN = 1 << 8,
	F_NPAGES = 1 << 9,
	F_WRITE = 1 << 10,
	F_REQUEST = 1 << 11,
	F_BYTES = 1 << 12,
	F_ARG = 1 << 13,
	F_FD = 1 << 14,
	F_RESULT = 1 << 15,
	F_OBJECT = 1 << 16,
	F_IOAS_OP = 1 << 17,
	F_RESERVED = 1 << 18,
	F_TAIL = 1 << 19,
	F_NEEDS_DEVICE = 1 << 20,
	F_OPTION = 1 << 21,
	F_OPTION_OP = 1 << 22,
	F_VAL64 = 1 << 23,
	F_PGSIZE = 1 << 24,
	F_BITMAP_SIZE = 1 << 25,
	F_KTHREAD = 1 << 26,
	F_PARAM = 1 << 27,
	F_VALUE = 1 << 28,
	F_LIMIT = 1 << 29,
	F_VADDR = 1 << 30,
};

/* A dirty bitmap handed to the kernel: its page size and its bytes. */
#define F_BITMAP (F_PGSIZE | F_BITMAP_SIZE)

/* What every native op may carry: its struct's size, a tail, a device. */
#define F_NATIVE (F_ARGSZ | F_TAIL | F_NEEDS_DEVICE)

static const struct {
	const char *name;
	unsigned int required;
	unsigned int optional;
} ops[OP_COUNT] = {
	[OP_GET_API_VERSION] = { "get_api_version", 0, 0 },
	[OP_CHECK_EXTENSION] = { "check_extension", F_EXTENSION, 0 },
	[OP_SET_IOMMU] = { "set_iommu", F_IOMMU_TYPE, 0 },
	[OP_GET_INFO] = { "get_info", 0, F_ARGSZ },
	[OP_MAP_DMA] = { "map_dma", F_IOVA | F_SIZE,
			 F_FLAGS | F_BUFFER | F_OFFSET | F_ARGSZ | F_VADDR },
	[OP_UNMAP_DMA] = { "unmap_dma", F_IOVA | F_SIZE,
			   F_FLAGS | F_ARGSZ | F_BITMAP },
	[OP_DIRTY_PAGES] = { "dirty_pages", F_FLAGS,
			     F_ARGSZ | F_IOVA | F_SIZE | F_BITMAP },
	[OP_IOCTL] = { "ioctl", F_REQUEST, F_BYTES | F_ARG | F_FD },
	[OP_ATTACH_GROUP] = { "attach_group", 0, 0 },
	[OP_OPEN_DEVICE] = { "open_device", 0, 0 },
	[OP_WRITE] = { "write", F_BUFFER | F_SIZE | F_PATTERN, F_OFFSET },
	[OP_VERIFY] = { "verify", F_BUFFER | F_SIZE | F_PATTERN, F_OFFSET },
	[OP_DMA_WRITE] = { "dma_write", F_IOVA | F_SIZE | F_PATTERN, F_KTHREAD },
	[OP_DMA_READ] = { "dma_read", F_IOVA | F_SIZE | F_PATTERN, F_KTHREAD },
	[OP_PIN] = { "pin", F_IOVA | F_NPAGES, F_WRITE },
	[OP_UNPIN] = { "unpin", F_IOVA | F_SIZE, 0 },
	[OP_CLOSE_DEVICE] = { "close_device", 0, 0 },
	[OP_DETACH_GROUP] = { "detach_group", 0, 0 },
	[OP_CLOSE_GROUP] = { "close_group", 0, 0 },
	[OP_MODULE_PARAM] = { "module_param", F_PARAM | F_VALUE, 0 },
	[OP_MEMLOCK] = { "memlock", F_LIMIT, 0 },
	[OP_MLOCK] = { "mlock", F_BUFFER | F_SIZE, F_OFFSET },
	[OP_LOCKED_MEMORY] = { "locked_memory", 0, 0 },
	[OP_PEER_MAP] = { "peer_map", F_SIZE, 0 },
	[OP_IOAS_ALLOC] = { "ioas_alloc", 0, F_RESULT | F_FLAGS | F_NATIVE },
	[OP_VFIO_IOAS] = { "vfio_ioas", F_IOAS_OP,
			   F_OBJECT | F_RESULT | F_RESERVED | F_NATIVE },
	[OP_DESTROY] = { "destroy", F_OBJECT, F_NATIVE },
	[OP_FAULT_QUEUE_ALLOC] = { "fault_queue_alloc", 0,
				   F_RESULT | F_FLAGS | F_NATIVE },
	[OP_OPTION] = { "option", F_OPTION | F_OPTION_OP,
			F_OBJECT | F_VAL64 | F_RESERVED | F_NATIVE },
};

static const char *const field_names[] = {
	"extension", "iommu_type", "argsz", "flags",   "buffer",
	"offset",    "iova",	   "size",  "pattern", "npages",
	"write",     "request",	   "bytes", "arg",     "fd",
	"result",    "object",	   "ioas_op", "reserved", "tail",
	"needs_device", "option",	   "option_op", "val64",
	"pgsize", "bitmap_size", "kthread", "param", "value", "limit",
	"vaddr",
};

static const char *const module_params[TRACE_NR_PARAMS] = {
	[TRACE_PARAM_DMA_ENTRY_LIMIT] = "vfio_iommu_type1.dma_entry_limit",
	[TRACE_PARAM_TYPE1_UNSAFE_INTERRUPTS] =
		"vfio_iommu_type1.allow_unsafe_interrupts",
	[TRACE_PARAM_IOMMUFD_UNSAFE_INTERRUPTS] =
		"iommufd.allow_unsafe_interrupts",
	[TRACE_PARAM_TYPE1_DISABLE_HUGEPAGES] =
		"vfio_iommu_type1.disable_hugepages",
};

/* IOMMU_VFIO_IOAS's ops by name; other numbers are written as numbers. */
static const char *const ioas_ops[] = { "get", "set", "clear" };
#define IOAS_OP_GET 0
#define IOAS_OP_SET 1
#define NR_IOAS_OPS (sizeof(ioas_ops) / sizeof(ioas_ops[0]))

/* IOMMU_OPTION's options and ops by name, as for ioas_ops. */
static const char *const options[] = { "rlimit_mode", "huge_pages" };
static const char *const option_ops[] = { "set", "get" };
#define NR_OPTIONS (sizeof(options) / sizeof(options[0]))
#define NR_OPTION_OPS (sizeof(option_ops) / sizeof(option_ops[0]))

static const char *const buf_kinds[] = {
	[TRACE_BUF_ANON] = "anonymous",
	[TRACE_BUF_HUGETLB] = "hugetlb",
	[TRACE_BUF_MEMFD] = "memfd",
	[TRACE_BUF_DEVICE_REGION] = "device_region",
};

static const char *const fd_roles[] = {
	[TRACE_FD_CONTAINER] = "container",
	[TRACE_FD_GROUP] = "group",
	[TRACE_FD_DEVICE] = "device",
};

const char *trace_module_param_name(uint32_t param)
{
	return param < TRACE_NR_PARAMS ? module_params[param] : NULL;
}

const char *trace_op_name(enum trace_op op)
{
	return op < OP_COUNT ? ops[op].name : NULL;
}

bool trace_expect_any(const struct trace_expect *e)
{
	return e->has_errno || e->has_unmapped || e->has_value || e->dirty[0];
}

bool trace_op_native(enum trace_op op)
{
	return op >= OP_IOAS_ALLOC && op < OP_COUNT;
}

size_t trace_native_size(enum trace_op op)
{
	switch (op) {
	case OP_IOAS_ALLOC:
		return sizeof(struct ic_iommu_ioas_alloc);
	case OP_VFIO_IOAS:
		return sizeof(struct ic_iommu_vfio_ioas);
	case OP_DESTROY:
		return sizeof(struct ic_iommu_destroy);
	case OP_FAULT_QUEUE_ALLOC:
		return sizeof(struct ic_iommu_fault_alloc);
	case OP_OPTION:
		return sizeof(struct ic_iommu_option);
	default:
		return 0;
	}
}

const char *trace_buf_kind_name(enum trace_buf_kind kind)
{
	return kind < TRACE_BUF_KIND_COUNT ? buf_kinds[kind] : NULL;
}

const char *trace_fd_role_name(enum trace_fd_role role)
{
	return role <= TRACE_FD_DEVICE ? fd_roles[role] : NULL;
}

void trace_reader_init(struct trace_reader *r, FILE *f)
{
	memset(r, 0, sizeof(*r));
	r->f = f;
}

static int fail(struct trace_reader *r, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct trace_reader *r, const char *field, const char *fmt, ...)
{
	char what[192];
	va_list ap;

	va_start(ap, fmt);
	utf8_vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (field)
		utf8_snprintf(r->error, sizeof(r->error), "line %u: %s: %s",
			      r->line, field, what);
	else
		utf8_snprintf(r->error, sizeof(r->error), "line %u: %s",
			      r->line, what);
	return -EINVAL;
}

/*
 * One line into r->linebuf. 1 for a line, 0 at the end, -errno. A line
 * longer than the bound is an error rather than a reason to grow: that
 * is what keeps memory bounded.
 */
static int read_line(struct trace_reader *r, size_t *len)
{
	size_t n = 0;
	int c;

	r->line++;
	while ((c = getc(r->f)) != EOF && c != '\n') {
		if (c == '\0')
			return fail(r, NULL, "contains a NUL byte");
		if (n == TRACE_MAX_LINE)
			return fail(r, NULL, "longer than %d bytes",
				    TRACE_MAX_LINE);
		r->linebuf[n++] = (char)c;
	}
	if (ferror(r->f)) {
		snprintf(r->error, sizeof(r->error), "line %u: %s", r->line,
			 strerror(errno ? errno : EIO));
		return -EIO;
	}
	if (c == EOF && n == 0)
		return 0;
	r->linebuf[n] = '\0';
	*len = n;
	return 1;
}

static bool blank(const char *s)
{
	return s[strspn(s, " \t\r")] == '\0';
}

/*
 * What a JSON parser lets through but a trace must not hold: bytes that
 * are not UTF-8 (RFC 8259 wants it, and reports copy the strings), and
 * the escape \u0000, which cuts a string short where C reads it.
 */
static int check_text(struct trace_reader *r, size_t len)
{
	const char *s = r->linebuf;
	bool in_string = false;
	size_t i, bad;

	if (!utf8_valid(s, len, &bad))
		return fail(r, NULL, "not UTF-8 at column %zu", bad + 1);
	for (i = 0; i < len; i++) {
		if (s[i] == '"') {
			in_string = !in_string;
		} else if (in_string && s[i] == '\\' && i + 1 < len) {
			if (!strncmp(s + i + 1, "u0000", 5))
				return fail(r, NULL,
					    "\\u0000 at column %zu: a string cannot hold a NUL",
					    i + 1);
			i++;
		}
	}
	return 0;
}

/*
 * JSON numbers from 2^53 on are not exact (2^53 + 1 reads as 2^53); the
 * contract says "0x..." strings. A number is taken only below it.
 */
#define JSON_EXACT_MAX 9007199254740991.0

static int get_u64(struct trace_reader *r, const cJSON *o, const char *key,
		   uint64_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	char msg[128];
	double d;

	if (cJSON_IsString(v)) {
		if (parse_u64(v->valuestring, out, msg, sizeof(msg)))
			return fail(r, key, "%s", msg);
		return 0;
	}
	if (cJSON_IsNumber(v)) {
		d = v->valuedouble;
		if (d < 0 || d > JSON_EXACT_MAX || d != (double)(uint64_t)d)
			return fail(
				r, key,
				"%g is not a whole number below 2^53 (write larger values as \"0x...\")",
				d);
		*out = (uint64_t)d;
		return 0;
	}
	return fail(r, key, "expected a number or a \"0x...\" string");
}

static int get_u32(struct trace_reader *r, const cJSON *o, const char *key,
		   uint32_t *out)
{
	uint64_t v;
	int rc;

	rc = get_u64(r, o, key, &v);
	if (rc)
		return rc;
	if (v > UINT32_MAX)
		return fail(r, key, "0x%" PRIx64 " does not fit in 32 bits", v);
	*out = (uint32_t)v;
	return 0;
}

static int get_str(struct trace_reader *r, const cJSON *o, const char *key,
		   char *out, size_t len, bool required)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!v) {
		if (required)
			return fail(r, key, "missing");
		out[0] = '\0';
		return 0;
	}
	if (!cJSON_IsString(v))
		return fail(r, key, "expected a string");
	if (strlen(v->valuestring) >= len)
		return fail(r, key, "longer than %zu characters", len - 1);
	strcpy(out, v->valuestring);
	return 0;
}

/* Every member must be one of keys (NULL-terminated): typos are errors. */
static int check_keys(struct trace_reader *r, const cJSON *o,
		      const char *const *keys, unsigned int mask,
		      const char *const *extra)
{
	const cJSON *m;
	unsigned int i;
	bool ok;

	cJSON_ArrayForEach(m, o)
	{
		/* A reader takes the first of two; another would take the last. */
		if (cJSON_GetObjectItemCaseSensitive(o, m->string) != m)
			return fail(r, m->string, "given twice");
		ok = false;
		for (i = 0; keys && keys[i] && !ok; i++)
			ok = !strcmp(m->string, keys[i]);
		for (i = 0;
		     i < sizeof(field_names) / sizeof(field_names[0]) && !ok;
		     i++)
			ok = (mask & (1U << i)) &&
			     !strcmp(m->string, field_names[i]);
		for (i = 0; extra && extra[i] && !ok; i++)
			ok = !strcmp(m->string, extra[i]);
		if (!ok)
			return fail(r, m->string, "unknown field");
	}
	return 0;
}

/*
 * A header's boot words: name or name=value, of the characters a kernel
 * parameter uses, one space between two; nothing a shell or QEMU's
 * -append would read otherwise.
 */
static bool boot_words_valid(const char *s)
{
	const char *p;

	if (!*s)
		return true;
	if (*s == ' ')
		return false;
	for (p = s; *p; p++) {
		if (*p == ' ') {
			if (p[1] == ' ' || !p[1])
				return false;
			continue;
		}
		if (!isalnum((unsigned char)*p) && !strchr("_.,:=-", *p))
			return false;
	}
	return true;
}

static int parse_header(struct trace_reader *r, const cJSON *o,
			struct trace_header *h)
{
	static const char *const keys[] = { "type",   "format",	   "version",
					    "source", "page_size", "kernel",
					    "boot",   NULL };
	const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(o, "format");
	uint32_t version = 0;
	int rc;

	rc = check_keys(r, o, keys, 0, NULL);
	if (rc)
		return rc;
	if (!cJSON_IsString(fmt) || strcmp(fmt->valuestring, "iommuctl-trace"))
		return fail(r, "format", "expected \"iommuctl-trace\"");
	if (!cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(o, "version")))
		return fail(r, "version", "expected the number %d",
			    TRACE_VERSION);
	rc = get_u32(r, o, "version", &version);
	if (rc)
		return rc;
	if (version != TRACE_VERSION)
		return fail(r, "version",
			    "%u is not a version this reader knows (%d)",
			    version, TRACE_VERSION);
	h->version = version;
	rc = get_u64(r, o, "page_size", &h->page_size);
	if (rc)
		return rc;
	if (!h->page_size || (h->page_size & (h->page_size - 1)))
		return fail(r, "page_size", "not a power of two");
	rc = get_str(r, o, "source", h->source, sizeof(h->source), false);
	if (!rc)
		rc = get_str(r, o, "kernel", h->kernel, sizeof(h->kernel),
			     false);
	if (!rc)
		rc = get_str(r, o, "boot", h->boot, sizeof(h->boot), false);
	if (!rc && !boot_words_valid(h->boot))
		return fail(r, "boot",
			    "expected kernel command-line words (letters, digits and _.,:=-) separated by single spaces");
	return rc;
}

static int parse_buffer(struct trace_reader *r, const cJSON *o,
			struct trace_buffer *b)
{
	static const char *const keys[] = { "type",   "name",	       "size",
					    "align",  "kind",	       "prot",
					    "region", "region_offset", NULL };
	char kind[16] = "anonymous", prot[8] = "rw";
	bool region;
	unsigned int i;
	int rc;

	rc = check_keys(r, o, keys, 0, NULL);
	if (rc)
		return rc;
	rc = get_str(r, o, "name", b->name, sizeof(b->name), true);
	if (rc)
		return rc;
	if (!b->name[0])
		return fail(r, "name", "empty");
	for (i = 0; i < r->nr_buffers; i++)
		if (!strcmp(r->buffers[i].name, b->name))
			return fail(r, "name", "buffer \"%s\" declared twice",
				    b->name);
	if (r->nr_buffers == TRACE_MAX_BUFFERS)
		return fail(r, "name", "more than %d buffers",
			    TRACE_MAX_BUFFERS);
	rc = get_u64(r, o, "size", &b->size);
	if (rc)
		return rc;
	if (!b->size)
		return fail(r, "size", "a buffer cannot be empty");
	b->align = 0;
	if (cJSON_GetObjectItemCaseSensitive(o, "align")) {
		rc = get_u64(r, o, "align", &b->align);
		if (rc)
			return rc;
		if (b->align & (b->align - 1))
			return fail(r, "align", "not a power of two");
	}
	if (cJSON_GetObjectItemCaseSensitive(o, "kind")) {
		rc = get_str(r, o, "kind", kind, sizeof(kind), true);
		if (rc)
			return fail(
				r, "kind",
				"expected anonymous, hugetlb, memfd or device_region");
	}
	for (i = 0; i < TRACE_BUF_KIND_COUNT; i++)
		if (!strcmp(kind, buf_kinds[i]))
			break;
	if (i == TRACE_BUF_KIND_COUNT)
		return fail(
			r, "kind",
			"\"%s\": expected anonymous, hugetlb, memfd or device_region",
			kind);
	b->kind = i;
	/* Where in the device a region buffer is, and only there. */
	region = b->kind == TRACE_BUF_DEVICE_REGION;
	if (region) {
		if (!cJSON_GetObjectItemCaseSensitive(o, "region"))
			return fail(
				r, "region",
				"missing (a device_region buffer needs it)");
		rc = get_u32(r, o, "region", &b->region);
		if (!rc && cJSON_GetObjectItemCaseSensitive(o, "region_offset"))
			rc = get_u64(r, o, "region_offset", &b->region_offset);
		if (rc)
			return rc;
	} else if (cJSON_GetObjectItemCaseSensitive(o, "region")) {
		return fail(r, "region", "only a device_region buffer has one");
	} else if (cJSON_GetObjectItemCaseSensitive(o, "region_offset")) {
		return fail(r, "region_offset",
			    "only a device_region buffer has one");
	}
	if (cJSON_GetObjectItemCaseSensitive(o, "prot")) {
		rc = get_str(r, o, "prot", prot, sizeof(prot), true);
		if (rc)
			return fail(r, "prot",
				    "expected \"rw\", \"r\" or \"none\"");
	}
	if (!strcmp(prot, "rw"))
		b->prot = TRACE_PROT_READ | TRACE_PROT_WRITE;
	else if (!strcmp(prot, "r"))
		b->prot = TRACE_PROT_READ;
	else if (!strcmp(prot, "none"))
		b->prot = 0;
	else
		return fail(r, "prot",
			    "\"%s\": expected \"rw\", \"r\" or \"none\"", prot);
	r->buffers[r->nr_buffers++] = *b;
	return 0;
}

/* A number, or a name the given lookup knows. */
static int get_id(struct trace_reader *r, const cJSON *o, const char *key,
		  uint32_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	int id;

	if (cJSON_IsString(v) && v->valuestring[0] &&
	    (v->valuestring[0] < '0' || v->valuestring[0] > '9')) {
		id = vfio_extension_lookup(v->valuestring);
		if (id < 0)
			return fail(r, key,
				    "\"%s\" is not a VFIO extension name",
				    v->valuestring);
		*out = (uint32_t)id;
		return 0;
	}
	return get_u32(r, o, key, out);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Hex digits into out (max bytes); key names the field in errors. */
static int get_bytes(struct trace_reader *r, const cJSON *v, const char *key,
		     uint8_t *out, size_t max, size_t *len)
{
	const char *s;
	size_t n, i;
	int hi, lo;

	if (!cJSON_IsString(v))
		return fail(r, key, "expected a string of hex digits");
	s = v->valuestring;
	n = strlen(s);
	if (n % 2)
		return fail(r, key, "odd number of hex digits");
	if (n / 2 > max)
		return fail(r, key, "more than %zu bytes", max);
	for (i = 0; i < n / 2; i++) {
		hi = hexval(s[2 * i]);
		lo = hexval(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return fail(r, key, "not a hex digit at offset %zu",
				    2 * i + (hi < 0 ? 0 : 1));
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	*len = n / 2;
	return 0;
}

/* The object an earlier op named name, or -1. */
static int find_object(const struct trace_reader *r, const char *name)
{
	unsigned int i;

	for (i = 0; i < r->nr_objects; i++)
		if (!strcmp(r->objects[i], name))
			return (int)i;
	return -1;
}

/* A string that names an object rather than giving its number. */
static bool is_name(const cJSON *v)
{
	return cJSON_IsString(v) && v->valuestring[0] &&
	       (v->valuestring[0] < '0' || v->valuestring[0] > '9');
}

/* A name an earlier op bound, into *index. */
static int get_object_name(struct trace_reader *r, const cJSON *v,
			   const char *key, int *index)
{
	*index = find_object(r, v->valuestring);
	if (*index < 0)
		return fail(r, key,
			    "\"%s\" is not named by an op before this line",
			    v->valuestring);
	return 0;
}

/*
 * object: a name an earlier op bound with result, or a number taken as
 * it is (an id no object has, 0 say: iommufd's ids start at 1).
 */
static int get_object(struct trace_reader *r, const cJSON *o,
		      struct trace_opdesc *d)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "object");

	if (is_name(v))
		return get_object_name(r, v, "object", &d->object);
	if (!cJSON_IsString(v) && !cJSON_IsNumber(v))
		return fail(r, "object",
			    "expected the name an earlier op bound with result, or a number");
	return get_u32(r, o, "object", &d->object_id);
}

/* result: a new name for the object the op makes or finds. */
static int get_result(struct trace_reader *r, const cJSON *o,
		      struct trace_opdesc *d)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "result");

	if (!is_name(v))
		return fail(r, "result",
			    "expected a name that does not start with a digit");
	if (strlen(v->valuestring) >= TRACE_NAME_LEN)
		return fail(r, "result", "longer than %d characters",
			    TRACE_NAME_LEN - 1);
	if (find_object(r, v->valuestring) >= 0)
		return fail(r, "result", "\"%s\" is named twice",
			    v->valuestring);
	if (r->nr_objects == TRACE_MAX_OBJECTS)
		return fail(r, "result", "more than %d named objects",
			    TRACE_MAX_OBJECTS);
	d->result = (int)r->nr_objects;
	return 0;
}

/*
 * One of names (its index is the uAPI's number) or a number up to max;
 * want says what was expected.
 */
static int get_enum(struct trace_reader *r, const cJSON *o, const char *key,
		    const char *const *names, unsigned int n, uint32_t max,
		    const char *want, uint32_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	unsigned int i;
	int rc;

	if (!is_name(v)) {
		rc = get_u32(r, o, key, out);
		if (!rc && *out > max)
			rc = fail(r, key, "0x%x does not fit in the uAPI's 16 bits",
				  *out);
		return rc;
	}
	for (i = 0; i < n; i++)
		if (!strcmp(v->valuestring, names[i])) {
			*out = i;
			return 0;
		}
	return fail(r, key, "\"%s\": expected %s", v->valuestring, want);
}

/* A module parameter, by its name only: the list is all a trace may set. */
static int get_module_param(struct trace_reader *r, const cJSON *o,
			    uint32_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "param");
	uint32_t i;

	if (!cJSON_IsString(v))
		return fail(r, "param", "expected a parameter's name");
	for (i = 0; i < TRACE_NR_PARAMS; i++)
		if (!strcmp(v->valuestring, module_params[i])) {
			*out = i;
			return 0;
		}
	return fail(r, "param",
		    "\"%s\" is not one a trace may set: %s, %s, %s or %s",
		    v->valuestring, module_params[0], module_params[1],
		    module_params[2], module_params[3]);
}

/*
 * Which of object and result vfio_ioas takes follows its op: set takes
 * the IOAS, get may name what it finds; an op the kernel does not know
 * may carry an object, as raw bytes would.
 */
static int check_vfio_ioas(struct trace_reader *r, const cJSON *o,
			   const struct trace_opdesc *d)
{
	bool object = cJSON_GetObjectItemCaseSensitive(o, "object");

	if (d->ioas_op == IOAS_OP_SET && !object)
		return fail(r, "object", "missing (vfio_ioas set needs it)");
	if (d->ioas_op < NR_IOAS_OPS && d->ioas_op != IOAS_OP_SET && object)
		return fail(r, "object", "only vfio_ioas set takes an object");
	if (d->ioas_op != IOAS_OP_GET &&
	    cJSON_GetObjectItemCaseSensitive(o, "result"))
		return fail(r, "result", "only vfio_ioas get finds an object");
	if (d->ioas_op != IOAS_OP_GET && d->expect.ioas >= 0)
		return fail(r, "expect.ioas", "only vfio_ioas get reports one");
	return 0;
}

static int get_fd_role(struct trace_reader *r, const cJSON *o,
		       enum trace_fd_role *role)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "fd");
	unsigned int i;

	for (i = 0; cJSON_IsString(v) && i <= TRACE_FD_DEVICE; i++)
		if (!strcmp(v->valuestring, fd_roles[i])) {
			*role = i;
			return 0;
		}
	return fail(r, "fd", "expected \"container\", \"group\" or \"device\"");
}

static int get_buffer_ref(struct trace_reader *r, const cJSON *o,
			  struct trace_opdesc *d)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "buffer");
	unsigned int i;

	if (cJSON_IsNull(v)) {
		d->buffer = -1;
		return 0;
	}
	if (!cJSON_IsString(v))
		return fail(r, "buffer", "expected a buffer name or null");
	for (i = 0; i < r->nr_buffers; i++)
		if (!strcmp(r->buffers[i].name, v->valuestring)) {
			d->buffer = (int)i;
			return 0;
		}
	return fail(r, "buffer", "\"%s\" is not declared before this line",
		    v->valuestring);
}

/*
 * null (success) or an errno name, into a positive errno; the 0 that
 * traces wrote for success before is read as null.
 */
static int get_errno(struct trace_reader *r, const cJSON *v, const char *field,
		     int *err)
{
	if (cJSON_IsNull(v) || (cJSON_IsNumber(v) && v->valuedouble == 0)) {
		*err = 0;
		return 0;
	}
	if (!cJSON_IsString(v))
		return fail(r, field, "expected null or an errno name");
	*err = errno_lookup(v->valuestring);
	if (*err < 0)
		return fail(r, field, "\"%s\" is not an errno name",
			    v->valuestring);
	return 0;
}

static int parse_recorded(struct trace_reader *r, const cJSON *o,
			  struct trace_recorded *rd)
{
	static const char *const keys[] = { "ret", "errno", "out", NULL };
	const cJSON *v;
	int rc;

	if (!cJSON_IsObject(o))
		return fail(r, "recorded", "expected an object");
	rc = check_keys(r, o, keys, 0, NULL);
	if (rc)
		return rc;
	v = cJSON_GetObjectItemCaseSensitive(o, "ret");
	if (!cJSON_IsNumber(v) || v->valuedouble < -JSON_EXACT_MAX ||
	    v->valuedouble > JSON_EXACT_MAX ||
	    v->valuedouble != (double)(int64_t)v->valuedouble)
		return fail(r, "recorded.ret", "expected a whole number");
	rd->ret = (int64_t)v->valuedouble;
	v = cJSON_GetObjectItemCaseSensitive(o, "errno");
	if (!v)
		return fail(r, "recorded.errno", "missing");
	rc = get_errno(r, v, "recorded.errno", &rd->err);
	if (rc)
		return rc;
	rd->nout = 0;
	v = cJSON_GetObjectItemCaseSensitive(o, "out");
	if (v)
		return get_bytes(r, v, "recorded.out", rd->out,
				 sizeof(rd->out), &rd->nout);
	return 0;
}

/*
 * expect.dirty: the bits the op's bitmap must hold, in the one form a
 * replay reports them (dirty-bits.h), so the two compare as text.
 */
static int get_dirty(struct trace_reader *r, const cJSON *v,
		     struct trace_opdesc *d)
{
	uint64_t words[TRACE_MAX_BITMAP / 8];
	char canon[TRACE_DIRTY_LEN];

	if (!d->has_bitmap)
		return fail(r, "expect.dirty",
			    "only an op with a bitmap (pgsize, bitmap_size) reports one");
	if (!cJSON_IsString(v))
		return fail(r, "expect.dirty",
			    "expected \"none\" or bit indexes such as \"0,2-5\"");
	if (dirty_bits_parse(v->valuestring, words,
			     (d->bitmap_size + 7) / 8))
		return fail(r, "expect.dirty",
			    "\"%s\": not ascending bit indexes and ranges inside the %" PRIu64
			    "-byte bitmap",
			    v->valuestring, d->bitmap_size);
	if (dirty_bits_format(words, (d->bitmap_size + 7) / 8, canon,
			      sizeof(canon)))
		return fail(r, "expect.dirty", "longer than %d characters",
			    TRACE_DIRTY_LEN - 1);
	if (strcmp(canon, v->valuestring))
		return fail(r, "expect.dirty", "write \"%s\" as \"%s\"",
			    v->valuestring, canon);
	snprintf(d->expect.dirty, sizeof(d->expect.dirty), "%s", canon);
	return 0;
}

static int parse_expect(struct trace_reader *r, const cJSON *o,
			struct trace_opdesc *d)
{
	static const char *const keys[] = { "errno", "unmapped", "value",
					    "ioas",  "val64",	 "dirty",
					    NULL };
	struct trace_expect *e = &d->expect;
	const cJSON *v;
	int rc;

	if (!cJSON_IsObject(o))
		return fail(r, "expect", "expected an object");
	rc = check_keys(r, o, keys, 0, NULL);
	if (rc)
		return rc;
	v = cJSON_GetObjectItemCaseSensitive(o, "errno");
	if (v) {
		e->has_errno = true;
		rc = get_errno(r, v, "expect.errno", &e->err);
		if (rc)
			return rc;
	}
	if (cJSON_GetObjectItemCaseSensitive(o, "unmapped")) {
		rc = get_u64(r, o, "unmapped", &e->unmapped);
		if (rc)
			return fail(r, "expect.unmapped", "%s",
				    strchr(r->error, ':') + 2);
		e->has_unmapped = true;
	}
	v = cJSON_GetObjectItemCaseSensitive(o, "value");
	if (v) {
		if (!cJSON_IsNumber(v) || v->valuedouble < -2147483648.0 ||
		    v->valuedouble > 2147483647.0 ||
		    v->valuedouble != (double)(int64_t)v->valuedouble)
			return fail(r, "expect.value",
				    "expected a whole number of 32 bits");
		e->value = (int64_t)v->valuedouble;
		e->has_value = true;
	}
	if (cJSON_GetObjectItemCaseSensitive(o, "val64")) {
		if (d->op != OP_OPTION)
			return fail(r, "expect.val64", "only option reports one");
		rc = get_u64(r, o, "val64", &e->val64);
		if (rc)
			return fail(r, "expect.val64", "%s",
				    strchr(r->error, ':') + 2);
		e->has_val64 = true;
	}
	v = cJSON_GetObjectItemCaseSensitive(o, "dirty");
	if (v) {
		rc = get_dirty(r, v, d);
		if (rc)
			return rc;
	}
	v = cJSON_GetObjectItemCaseSensitive(o, "ioas");
	if (!v)
		return 0;
	if (d->op != OP_VFIO_IOAS)
		return fail(r, "expect.ioas", "only vfio_ioas get reports one");
	if (!is_name(v))
		return fail(r, "expect.ioas",
			    "expected the name an earlier op bound with result");
	return get_object_name(r, v, "expect.ioas", &e->ioas);
}

/*
 * pgsize and bitmap_size come together: the bitmap the runner hands the
 * kernel. A dirty_pages op names GET_BITMAP's range only with one.
 */
static int check_bitmap(struct trace_reader *r, const cJSON *o,
			struct trace_opdesc *d)
{
	bool pgsize = cJSON_GetObjectItemCaseSensitive(o, "pgsize");
	bool bytes = cJSON_GetObjectItemCaseSensitive(o, "bitmap_size");

	if (pgsize != bytes)
		return fail(r, pgsize ? "bitmap_size" : "pgsize",
			    "missing: a bitmap needs pgsize and bitmap_size");
	d->has_bitmap = pgsize;
	if (d->bitmap_size > TRACE_MAX_BITMAP)
		return fail(r, "bitmap_size",
			    "0x%" PRIx64 ": the runner hands the kernel at most %d bytes",
			    d->bitmap_size, TRACE_MAX_BITMAP);
	if (d->op != OP_DIRTY_PAGES || d->has_bitmap)
		return 0;
	if (cJSON_GetObjectItemCaseSensitive(o, "iova") ||
	    cJSON_GetObjectItemCaseSensitive(o, "size"))
		return fail(r, cJSON_GetObjectItemCaseSensitive(o, "iova") ?
				       "iova" :
				       "size",
			    "only with a bitmap (GET_BITMAP's range)");
	return 0;
}

/* memlock's limit: bytes, or "unlimited" (RLIM_INFINITY). */
static int get_limit(struct trace_reader *r, const cJSON *o, uint64_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "limit");

	if (cJSON_IsString(v) && !strcmp(v->valuestring, "unlimited")) {
		*out = TRACE_UNLIMITED;
		return 0;
	}
	return get_u64(r, o, "limit", out);
}

static int parse_op(struct trace_reader *r, const cJSON *o,
		    struct trace_opdesc *d)
{
	static const char *const keys[] = { "type",	    "op",
					    "id",	    "note",
					    "expect",	    "recorded",
					    "unreplayable", NULL };
	const cJSON *op = cJSON_GetObjectItemCaseSensitive(o, "op");
	unsigned int i, allowed;
	const cJSON *v;
	uint64_t u;
	int rc;

	memset(d, 0, offsetof(struct trace_opdesc, bytes));
	memset(&d->expect, 0, sizeof(d->expect));
	memset(&d->recorded, 0, offsetof(struct trace_recorded, out));
	d->buffer = -1;
	d->result = -1;
	d->object = -1;
	d->expect.ioas = -1;
	if (!cJSON_IsString(op))
		return fail(r, "op", "missing or not a string");
	for (i = 0; i < OP_COUNT; i++)
		if (!strcmp(op->valuestring, ops[i].name))
			break;
	if (i == OP_COUNT)
		return fail(r, "op", "\"%s\" is not an operation",
			    op->valuestring);
	d->op = i;
	allowed = ops[i].required | ops[i].optional;
	rc = check_keys(r, o, keys, allowed, NULL);
	if (rc)
		return rc;
	for (i = 0; i < sizeof(field_names) / sizeof(field_names[0]); i++)
		if ((ops[d->op].required & (1U << i)) &&
		    !cJSON_GetObjectItemCaseSensitive(o, field_names[i]))
			return fail(r, field_names[i], "missing (%s needs it)",
				    ops[d->op].name);

	rc = get_str(r, o, "id", d->id, sizeof(d->id), false);
	if (!rc)
		rc = get_str(r, o, "note", d->note, sizeof(d->note), false);
	if (!rc)
		rc = get_str(r, o, "unreplayable", d->unreplayable,
			     sizeof(d->unreplayable), false);
	if (rc)
		return rc;

#define FIELD(f, key) \
	((allowed & (f)) && cJSON_GetObjectItemCaseSensitive(o, key))
	if (FIELD(F_EXTENSION, "extension"))
		rc = get_id(r, o, "extension", &d->arg);
	if (!rc && FIELD(F_IOMMU_TYPE, "iommu_type"))
		rc = get_id(r, o, "iommu_type", &d->arg);
	if (!rc && FIELD(F_ARG, "arg"))
		rc = get_u32(r, o, "arg", &d->arg);
	if (!rc && FIELD(F_ARGSZ, "argsz")) {
		rc = get_u32(r, o, "argsz", &d->argsz);
		d->has_argsz = true;
	}
	if (!rc && FIELD(F_FLAGS, "flags")) {
		rc = get_u32(r, o, "flags", &d->flags);
		d->has_flags = true;
	}
	if (!rc && FIELD(F_BUFFER, "buffer"))
		rc = get_buffer_ref(r, o, d);
	/* Without a buffer the address is 0: an offset would be lost. */
	if (!rc && FIELD(F_OFFSET, "offset") && d->buffer < 0)
		rc = fail(r, "offset", "only with a buffer");
	if (!rc && FIELD(F_OFFSET, "offset"))
		rc = get_u64(r, o, "offset", &d->offset);
	/* A user address of no buffer's, kept where the offset would be. */
	if (!rc && FIELD(F_VADDR, "vaddr") && d->buffer >= 0)
		rc = fail(r, "vaddr", "only without a buffer (it is the address)");
	if (!rc && FIELD(F_VADDR, "vaddr"))
		rc = get_u64(r, o, "vaddr", &d->offset);
	if (!rc && FIELD(F_IOVA, "iova"))
		rc = get_u64(r, o, "iova", &d->iova);
	if (!rc && FIELD(F_SIZE, "size"))
		rc = get_u64(r, o, "size", &d->size);
	if (!rc && FIELD(F_PATTERN, "pattern"))
		rc = get_u64(r, o, "pattern", &d->pattern);
	if (!rc && FIELD(F_NPAGES, "npages"))
		rc = get_u32(r, o, "npages", &d->npages);
	if (!rc && FIELD(F_REQUEST, "request")) {
		rc = get_u64(r, o, "request", &u);
		if (!rc && u > UINT32_MAX)
			rc = fail(r, "request", "an ioctl number has 32 bits");
		d->request = (unsigned long)u;
	}
	if (!rc && FIELD(F_BYTES, "bytes"))
		rc = get_bytes(r, cJSON_GetObjectItemCaseSensitive(o, "bytes"),
			       "bytes", d->bytes, sizeof(d->bytes), &d->nbytes);
	d->has_bytes = !rc && FIELD(F_BYTES, "bytes");
	if (!rc && FIELD(F_FD, "fd"))
		rc = get_fd_role(r, o, &d->fd);
	if (!rc && FIELD(F_IOAS_OP, "ioas_op"))
		rc = get_enum(r, o, "ioas_op", ioas_ops, NR_IOAS_OPS, UINT16_MAX,
			      "get, set, clear or a number", &d->ioas_op);
	if (!rc && FIELD(F_OPTION, "option"))
		rc = get_enum(r, o, "option", options, NR_OPTIONS, UINT32_MAX,
			      "rlimit_mode, huge_pages or a number",
			      &d->option);
	if (!rc && FIELD(F_OPTION_OP, "option_op"))
		rc = get_enum(r, o, "option_op", option_ops, NR_OPTION_OPS,
			      UINT16_MAX, "get, set or a number", &d->ioas_op);
	if (!rc && FIELD(F_VAL64, "val64"))
		rc = get_u64(r, o, "val64", &d->val64);
	if (!rc && FIELD(F_PARAM, "param"))
		rc = get_module_param(r, o, &d->param);
	if (!rc && FIELD(F_VALUE, "value"))
		rc = get_u64(r, o, "value", &d->val64);
	/* Each of them is an unsigned int or a bool in the kernel. */
	if (!rc && FIELD(F_VALUE, "value") && d->val64 > UINT32_MAX)
		rc = fail(r, "value", "0x%" PRIx64 " does not fit in 32 bits",
			  d->val64);
	if (!rc && FIELD(F_LIMIT, "limit"))
		rc = get_limit(r, o, &d->val64);
	if (!rc && FIELD(F_PGSIZE, "pgsize"))
		rc = get_u64(r, o, "pgsize", &d->pgsize);
	if (!rc && FIELD(F_BITMAP_SIZE, "bitmap_size"))
		rc = get_u64(r, o, "bitmap_size", &d->bitmap_size);
	if (!rc && FIELD(F_OBJECT, "object"))
		rc = get_object(r, o, d);
	if (!rc && FIELD(F_RESULT, "result"))
		rc = get_result(r, o, d);
	if (!rc && FIELD(F_RESERVED, "reserved"))
		rc = get_u32(r, o, "reserved", &d->reserved);
	if (!rc && d->reserved > UINT16_MAX)
		rc = fail(r, "reserved",
			  "0x%x does not fit in the uAPI's 16 bits", d->reserved);
	if (!rc && FIELD(F_TAIL, "tail"))
		rc = get_bytes(r, cJSON_GetObjectItemCaseSensitive(o, "tail"),
			       "tail", d->tail, sizeof(d->tail), &d->ntail);
#undef FIELD
	if (rc)
		return rc;
	v = cJSON_GetObjectItemCaseSensitive(o, "write");
	if (v) {
		if (!cJSON_IsBool(v))
			return fail(r, "write", "expected true or false");
		d->write = cJSON_IsTrue(v);
	}
	v = cJSON_GetObjectItemCaseSensitive(o, "kthread");
	if (v) {
		if (!cJSON_IsBool(v))
			return fail(r, "kthread", "expected true or false");
		d->kthread = cJSON_IsTrue(v);
	}
	rc = check_bitmap(r, o, d);
	if (rc)
		return rc;
	v = cJSON_GetObjectItemCaseSensitive(o, "needs_device");
	if (v) {
		if (!cJSON_IsBool(v))
			return fail(r, "needs_device", "expected true or false");
		d->needs_device = cJSON_IsTrue(v);
	}
	if (d->op == OP_IOCTL && d->has_bytes &&
	    cJSON_GetObjectItemCaseSensitive(o, "arg"))
		return fail(r, "arg", "an ioctl takes bytes or arg, not both");

	/* The memory steps must stay inside their buffer. */
	if ((d->op == OP_WRITE || d->op == OP_VERIFY)) {
		if (d->buffer < 0)
			return fail(r, "buffer", "%s needs a buffer",
				    ops[d->op].name);
		if (d->offset > r->buffers[d->buffer].size ||
		    d->size > r->buffers[d->buffer].size - d->offset)
			return fail(
				r, "size",
				"offset + size go past the end of buffer \"%s\"",
				r->buffers[d->buffer].name);
	}
	if (d->buffer >= 0 && d->offset > r->buffers[d->buffer].size)
		return fail(r, "offset", "past the end of buffer \"%s\"",
			    r->buffers[d->buffer].name);
	/*
	 * What lies after a buffer is the runner's own memory, or nothing:
	 * a map reaching there would pin it, and a device could write it.
	 */
	if (d->op == OP_MAP_DMA && d->buffer >= 0 &&
	    d->size > r->buffers[d->buffer].size - d->offset)
		return fail(
			r, "size",
			"offset + size go past the end of buffer \"%s\" (0x%" PRIx64
			" bytes)",
			r->buffers[d->buffer].name, r->buffers[d->buffer].size);

	v = cJSON_GetObjectItemCaseSensitive(o, "recorded");
	if (v) {
		rc = parse_recorded(r, v, &d->recorded);
		if (rc)
			return rc;
		d->has_recorded = true;
	}
	v = cJSON_GetObjectItemCaseSensitive(o, "expect");
	if (v) {
		rc = parse_expect(r, v, d);
		if (rc)
			return rc;
	}
	if (d->op == OP_VFIO_IOAS) {
		rc = check_vfio_ioas(r, o, d);
		if (rc)
			return rc;
	}
	/* The runner hands the kernel the struct, the tail and zeros. */
	if (trace_op_native(d->op) && d->has_argsz &&
	    d->argsz > TRACE_MAX_BYTES)
		return fail(r, "argsz",
			    "%u: the runner passes at most %d bytes", d->argsz,
			    TRACE_MAX_BYTES);
	if (d->ntail && d->has_argsz &&
	    d->argsz < trace_native_size(d->op) + d->ntail)
		return fail(
			r, "tail",
			"argsz %u leaves it out: the struct is %zu bytes, the tail %zu",
			d->argsz, trace_native_size(d->op), d->ntail);
	/* Bound last: the op's own fields cannot refer to its result. */
	if (d->result >= 0)
		strcpy(r->objects[r->nr_objects++],
		       cJSON_GetObjectItemCaseSensitive(o, "result")
			       ->valuestring);
	return 0;
}

int trace_read(struct trace_reader *r, struct trace_rec *rec)
{
	const cJSON *type;
	const char *end;
	size_t len = 0;
	cJSON *o;
	int rc;

	if (r->error[0])
		return -EINVAL;
	do {
		rc = read_line(r, &len);
		if (rc <= 0) {
			if (rc == 0 && !r->seen_header)
				return fail(r, NULL, "empty trace: no header");
			return rc;
		}
	} while (blank(r->linebuf));

	rc = check_text(r, len);
	if (rc)
		return rc;
	/* One value per line: anything after it is an error, not ignored. */
	o = cJSON_ParseWithLengthOpts(r->linebuf, len + 1, &end, true);
	if (!o)
		return fail(r, NULL, "not valid JSON near column %zu",
			    (size_t)(cJSON_GetErrorPtr() - r->linebuf) + 1);
	if (!cJSON_IsObject(o)) {
		rc = fail(r, NULL, "a record must be a JSON object");
		goto out;
	}
	memset(rec, 0, offsetof(struct trace_rec, op));
	rec->line = r->line;
	type = cJSON_GetObjectItemCaseSensitive(o, "type");
	if (!cJSON_IsString(type)) {
		rc = fail(r, "type", "missing or not a string");
		goto out;
	}
	if (!strcmp(type->valuestring, "header")) {
		if (r->seen_header) {
			rc = fail(r, "type", "a second header");
			goto out;
		}
		rec->kind = TRACE_HEADER;
		memset(&rec->header, 0, sizeof(rec->header));
		rc = parse_header(r, o, &rec->header);
		r->seen_header = !rc;
		goto out;
	}
	if (!r->seen_header) {
		rc = fail(r, "type", "the first record must be the header");
		goto out;
	}
	if (!strcmp(type->valuestring, "buffer")) {
		rec->kind = TRACE_BUFFER;
		memset(&rec->buffer, 0, sizeof(rec->buffer));
		rc = parse_buffer(r, o, &rec->buffer);
	} else if (!strcmp(type->valuestring, "op")) {
		rec->kind = TRACE_OP;
		rc = parse_op(r, o, &rec->op);
	} else {
		rc = fail(r, "type", "\"%s\": expected header, buffer or op",
			  type->valuestring);
	}
out:
	cJSON_Delete(o);
	return rc ? rc : 1;
}

static int add_hex(cJSON *o, const char *key, uint64_t v)
{
	char s[24];

	snprintf(s, sizeof(s), "0x%" PRIx64, v);
	return cJSON_AddStringToObject(o, key, s) ? 0 : -ENOMEM;
}

/*
 * A whole number, written exactly: cJSON prints a double with 15
 * significant digits where it can, which changes values from 10^15 on.
 */
static int add_num(cJSON *o, const char *key, int64_t v)
{
	char text[24];

	snprintf(text, sizeof(text), "%" PRId64, v);
	return cJSON_AddRawToObject(o, key, text) ? 0 : -ENOMEM;
}

static int add_str(cJSON *o, const char *key, const char *v)
{
	return cJSON_AddStringToObject(o, key, v) ? 0 : -ENOMEM;
}

/* Whether the op's object is given as a number rather than a name. */
static bool object_number(const struct trace_opdesc *d)
{
	if (d->object >= 0)
		return false;
	if (d->op == OP_DESTROY)
		return true;
	if (d->op == OP_OPTION)
		return d->object_id != 0;
	return d->op == OP_VFIO_IOAS &&
	       (d->ioas_op == IOAS_OP_SET ||
		(d->ioas_op >= NR_IOAS_OPS && d->object_id));
}

/* The native ops' fields; hex has room for the tail. */
static int write_native(cJSON *o, const struct trace_reader *r,
			const struct trace_opdesc *d, char *hex)
{
	size_t i;
	int rc = 0;

	if (d->op == OP_VFIO_IOAS)
		rc = d->ioas_op < NR_IOAS_OPS ?
			     add_str(o, "ioas_op", ioas_ops[d->ioas_op]) :
			     add_num(o, "ioas_op", d->ioas_op);
	if (d->op == OP_OPTION)
		rc = d->option < NR_OPTIONS ?
			     add_str(o, "option", options[d->option]) :
			     add_num(o, "option", d->option);
	if (!rc && d->op == OP_OPTION)
		rc = d->ioas_op < NR_OPTION_OPS ?
			     add_str(o, "option_op", option_ops[d->ioas_op]) :
			     add_num(o, "option_op", d->ioas_op);
	if (!rc && d->op == OP_OPTION && d->val64)
		rc = add_hex(o, "val64", d->val64);
	if (!rc && d->object >= 0)
		rc = add_str(o, "object", r->objects[d->object]);
	if (!rc && object_number(d))
		rc = add_num(o, "object", d->object_id);
	if (!rc && d->result >= 0)
		rc = add_str(o, "result", r->objects[d->result]);
	if (!rc && d->reserved)
		rc = add_num(o, "reserved", d->reserved);
	if (!rc && d->ntail) {
		for (i = 0; i < d->ntail; i++)
			snprintf(hex + 2 * i, 3, "%02x", d->tail[i]);
		hex[2 * d->ntail] = '\0';
		rc = add_str(o, "tail", hex);
	}
	if (!rc && d->needs_device)
		rc = cJSON_AddBoolToObject(o, "needs_device", true) ? 0 :
								      -ENOMEM;
	return rc;
}

static int add_errno(cJSON *o, const char *key, int err)
{
	if (err)
		return cJSON_AddStringToObject(o, key, errno_name(err)) ?
			       0 :
			       -ENOMEM;
	return cJSON_AddNullToObject(o, key) ? 0 : -ENOMEM;
}

/* hex: room for 2 * TRACE_MAX_BYTES + 1 characters. */
static int write_recorded(cJSON *o, const struct trace_recorded *rd, char *hex)
{
	cJSON *x = cJSON_AddObjectToObject(o, "recorded");
	size_t i;
	int rc;

	if (!x)
		return -ENOMEM;
	rc = add_num(x, "ret", rd->ret);
	if (!rc)
		rc = add_errno(x, "errno", rd->err);
	if (rc || !rd->nout)
		return rc;
	for (i = 0; i < rd->nout; i++)
		snprintf(hex + 2 * i, 3, "%02x", rd->out[i]);
	hex[2 * rd->nout] = '\0';
	return cJSON_AddStringToObject(x, "out", hex) ? 0 : -ENOMEM;
}

static int write_op(cJSON *o, const struct trace_reader *r,
		    const struct trace_opdesc *d)
{
	unsigned int allowed = ops[d->op].required | ops[d->op].optional;
	const struct trace_expect *e = &d->expect;
	char hex[2 * TRACE_MAX_BYTES + 1];
	cJSON *x;
	size_t i;
	int rc = 0;

	if (!cJSON_AddStringToObject(o, "op", ops[d->op].name))
		return -ENOMEM;
	if (d->id[0] && !cJSON_AddStringToObject(o, "id", d->id))
		return -ENOMEM;
	if (d->note[0] && !cJSON_AddStringToObject(o, "note", d->note))
		return -ENOMEM;
	if (allowed & F_EXTENSION)
		rc = add_num(o, "extension", d->arg);
	if (!rc && (allowed & F_IOMMU_TYPE))
		rc = add_num(o, "iommu_type", d->arg);
	if (!rc && d->has_argsz)
		rc = add_num(o, "argsz", d->argsz);
	if (!rc && d->has_flags)
		rc = add_num(o, "flags", d->flags);
	if (!rc && (allowed & F_BUFFER) && d->buffer >= 0)
		rc = cJSON_AddStringToObject(o, "buffer",
					     r->buffers[d->buffer].name) ?
			     0 :
			     -ENOMEM;
	if (!rc && (allowed & F_OFFSET) && d->buffer >= 0)
		rc = add_hex(o, "offset", d->offset);
	if (!rc && (allowed & F_BUFFER) && d->buffer < 0 && d->op == OP_MAP_DMA)
		rc = cJSON_AddNullToObject(o, "buffer") ? 0 : -ENOMEM;
	if (!rc && (allowed & F_VADDR) && d->buffer < 0 && d->offset)
		rc = add_hex(o, "vaddr", d->offset);
	if (!rc && (allowed & F_IOVA) &&
	    (d->op != OP_DIRTY_PAGES || d->has_bitmap))
		rc = add_hex(o, "iova", d->iova);
	if (!rc && (allowed & F_SIZE) &&
	    (d->op != OP_DIRTY_PAGES || d->has_bitmap))
		rc = add_hex(o, "size", d->size);
	if (!rc && d->has_bitmap)
		rc = add_hex(o, "pgsize", d->pgsize);
	if (!rc && d->has_bitmap)
		rc = add_hex(o, "bitmap_size", d->bitmap_size);
	if (!rc && d->kthread)
		rc = cJSON_AddBoolToObject(o, "kthread", true) ? 0 : -ENOMEM;
	if (!rc && (allowed & F_PATTERN))
		rc = add_hex(o, "pattern", d->pattern);
	if (!rc && (allowed & F_NPAGES))
		rc = add_num(o, "npages", d->npages);
	if (!rc && (allowed & F_WRITE))
		rc = cJSON_AddBoolToObject(o, "write", d->write) ? 0 : -ENOMEM;
	if (!rc && (allowed & F_REQUEST))
		rc = add_hex(o, "request", d->request);
	if (!rc && d->has_bytes) {
		for (i = 0; i < d->nbytes; i++)
			snprintf(hex + 2 * i, 3, "%02x", d->bytes[i]);
		hex[2 * d->nbytes] = '\0';
		rc = cJSON_AddStringToObject(o, "bytes", hex) ? 0 : -ENOMEM;
	} else if (!rc && d->op == OP_IOCTL) {
		rc = add_num(o, "arg", d->arg);
	}
	if (!rc && d->op == OP_IOCTL && d->fd != TRACE_FD_CONTAINER)
		rc = cJSON_AddStringToObject(o, "fd", fd_roles[d->fd]) ?
			     0 :
			     -ENOMEM;
	if (!rc && (allowed & F_PARAM))
		rc = add_str(o, "param", module_params[d->param]);
	if (!rc && (allowed & F_VALUE))
		rc = add_num(o, "value", (int64_t)d->val64);
	if (!rc && (allowed & F_LIMIT))
		rc = d->val64 == TRACE_UNLIMITED ? add_str(o, "limit", "unlimited") :
						   add_hex(o, "limit", d->val64);
	if (!rc)
		rc = write_native(o, r, d, hex);
	if (!rc && d->unreplayable[0])
		rc = cJSON_AddStringToObject(o, "unreplayable",
					     d->unreplayable) ?
			     0 :
			     -ENOMEM;
	if (!rc && d->has_recorded)
		rc = write_recorded(o, &d->recorded, hex);
	if (rc || !(e->has_errno || e->has_unmapped || e->has_value ||
		    e->ioas >= 0 || e->has_val64 || e->dirty[0]))
		return rc;
	x = cJSON_AddObjectToObject(o, "expect");
	if (!x)
		return -ENOMEM;
	if (e->has_errno)
		rc = add_errno(x, "errno", e->err);
	if (!rc && e->has_unmapped)
		rc = add_hex(x, "unmapped", e->unmapped);
	if (!rc && e->has_value)
		rc = add_num(x, "value", e->value);
	if (!rc && e->ioas >= 0)
		rc = add_str(x, "ioas", r->objects[e->ioas]);
	if (!rc && e->has_val64)
		rc = add_hex(x, "val64", e->val64);
	if (!rc && e->dirty[0])
		rc = add_str(x, "dirty", e->dirty);
	return rc;
}

int trace_write(FILE *f, const struct trace_reader *r,
		const struct trace_rec *rec)
{
	const struct trace_header *h = &rec->header;
	const struct trace_buffer *b = &rec->buffer;
	static const char *const prots[] = { "none", "r", "none", "rw" };
	char *s = NULL;
	cJSON *o;
	int rc = -ENOMEM;

	o = cJSON_CreateObject();
	if (!o)
		return -ENOMEM;
	switch (rec->kind) {
	case TRACE_HEADER:
		if (!cJSON_AddStringToObject(o, "type", "header") ||
		    !cJSON_AddStringToObject(o, "format", "iommuctl-trace") ||
		    add_num(o, "version", h->version) ||
		    !cJSON_AddStringToObject(o, "source", h->source) ||
		    add_hex(o, "page_size", h->page_size) ||
		    !cJSON_AddStringToObject(o, "kernel", h->kernel) ||
		    (h->boot[0] &&
		     !cJSON_AddStringToObject(o, "boot", h->boot)))
			goto out;
		break;
	case TRACE_BUFFER:
		if (!cJSON_AddStringToObject(o, "type", "buffer") ||
		    !cJSON_AddStringToObject(o, "name", b->name) ||
		    add_hex(o, "size", b->size) ||
		    (b->align && add_hex(o, "align", b->align)) ||
		    !cJSON_AddStringToObject(o, "kind",
					     trace_buf_kind_name(b->kind)) ||
		    !cJSON_AddStringToObject(o, "prot", prots[b->prot & 3]))
			goto out;
		if (b->kind == TRACE_BUF_DEVICE_REGION &&
		    (add_num(o, "region", b->region) ||
		     add_hex(o, "region_offset", b->region_offset)))
			goto out;
		break;
	case TRACE_OP:
		if (!cJSON_AddStringToObject(o, "type", "op"))
			goto out;
		rc = write_op(o, r, &rec->op);
		if (rc)
			goto out;
		break;
	}
	s = cJSON_PrintUnformatted(o);
	if (!s) {
		rc = -ENOMEM;
		goto out;
	}
	rc = fprintf(f, "%s\n", s) < 0 ? -EIO : 0;
out:
	free(s);
	cJSON_Delete(o);
	return rc;
}
