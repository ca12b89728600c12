// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iommuctl-conformance timing: the command line of the map/unmap timing
 * (timing.h). Parses and checks the options, measures once, renders the
 * text table or the JSON on standard output and the HTML page to a file
 * put in place only when whole.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "out.h"
#include "outputs.h"
#include "parse.h"
#include "timing.h"

const struct option timing_options[] = {
	{ "sizes", required_argument, NULL, 's' },
	{ "rounds", required_argument, NULL, 'r' },
	{ "domain", required_argument, NULL, 'D' },
	{ "mode", required_argument, NULL, 'M' },
	{ "memory", required_argument, NULL, 'm' },
	{ "device", required_argument, NULL, 'd' },
	{ "group", required_argument, NULL, 'g' },
	{ "mdev", required_argument, NULL, 'u' },
	{ "json", no_argument, NULL, 'j' },
	{ "html", required_argument, NULL, 'H' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const uint64_t default_sizes[] = {
	4ULL << 10, 64ULL << 10, 2ULL << 20, 32ULL << 20, 256ULL << 20, 1ULL << 30,
};

#define MIN_SIZE (4ULL << 10)
#define MAX_SIZE (1ULL << 30)
#define MIN_ROUNDS 3
#define MAX_ROUNDS 10000
#define DEFAULT_ROUNDS 11

static void timing_help(FILE *f)
{
	fprintf(f,
		"usage: %s timing [-j] [--html FILE] [--sizes LIST] [--rounds N]\n"
		"              [--domain device|none]... [--mode type1|type1v2]...\n"
		"              [--memory anon|hugetlb]... [--device BDF|--group N] [--mdev UUID]\n"
		"Time VFIO_IOMMU_MAP_DMA and VFIO_IOMMU_UNMAP_DMA on the type1 container and on\n"
		"iommufd's compat container; the ratios iommufd / type1 are the result.\n"
		"  --sizes LIST   comma-separated sizes, 4K to 1G, multiples of 4K\n"
		"                 (default 4K,64K,2M,32M,256M,1G)\n"
		"  --rounds N     rounds per configuration, %d to %d (default %d), after one warm-up\n"
		"  --domain NAME  device (a vfio-pci device's domain) or none (type1 on an mdev,\n"
		"                 iommufd with no device); repeatable, default both\n"
		"  --mode NAME    type1 or type1v2 (VFIO_SET_IOMMU); repeatable, default both\n"
		"  --memory NAME  anon (base pages) or hugetlb; repeatable, default both\n"
		"  --device BDF, --group N   the vfio-pci device of the device domain\n"
		"  --mdev UUID    the mdev type1 uses without a domain\n"
		"  -j, --json     JSON on standard output instead of the table\n"
		"  --html FILE    also write the page with the plots (inline SVG)\n"
		"See iommuctl-conformance(8), TIMING.\n",
		prog, MIN_ROUNDS, MAX_ROUNDS, DEFAULT_ROUNDS);
}

/* "PROG: timing: WHAT ARG: WHY" on stderr; -EINVAL. */
static int bad(const char *what, const char *arg, const char *why)
{
	fprintf(stderr, "%s: timing: %s%s%s: %s\n", prog, what, arg ? " " : "",
		arg ? arg : "", why);
	return -EINVAL;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int parse_sizes(struct timing_run *t, const char *arg)
{
	char item[64], msg[128];
	const char *p = arg, *comma;
	uint64_t v;
	size_t n;
	unsigned int i;

	t->nr_sizes = 0;
	do {
		comma = strchr(p, ',');
		n = comma ? (size_t)(comma - p) : strlen(p);
		if (!n || n >= sizeof(item))
			return bad("--sizes", arg,
				   "expected a comma-separated list of sizes such as 4K,2M,1G");
		memcpy(item, p, n);
		item[n] = '\0';
		if (parse_size(item, &v, msg, sizeof(msg)))
			return bad("--sizes", arg, msg);
		if (v < MIN_SIZE || v > MAX_SIZE || v % MIN_SIZE)
			return bad("--sizes:", item,
				   "a size is a multiple of 4K from 4K to 1G");
		for (i = 0; i < t->nr_sizes; i++)
			if (t->sizes[i] == v)
				return bad("--sizes:", item,
					   "given twice");
		if (t->nr_sizes == TIMING_MAX_SIZES)
			return bad("--sizes", arg,
				   "at most 16 sizes");
		t->sizes[t->nr_sizes++] = v;
		p = comma + 1;
	} while (comma);
	qsort(t->sizes, t->nr_sizes, sizeof(t->sizes[0]), cmp_u64);
	return 0;
}

static int parse_rounds(struct timing_run *t, const char *arg)
{
	char msg[128];
	uint32_t v;

	if (parse_u32(arg, &v, msg, sizeof(msg)))
		return bad("--rounds", arg, msg);
	if (v < MIN_ROUNDS || v > MAX_ROUNDS)
		return bad("--rounds", arg,
			   "from 3 (a median and a spread need them) to 10000");
	t->rounds = v;
	return 0;
}

/* An axis option: the name's index set in want, or a clear error. */
static int parse_axis(bool *want, const char *const *names, int count,
		      const char *opt, const char *arg, bool *seen)
{
	char expect[96] = "";
	int i = timing_lookup(names, count, arg);

	if (i >= 0) {
		if (!*seen)
			memset(want, 0, sizeof(bool) * (size_t)count);
		*seen = true;
		want[i] = true;
		return 0;
	}
	for (i = 0; i < count; i++)
		snprintf(expect + strlen(expect), sizeof(expect) - strlen(expect),
			 "%s%s", i ? (i + 1 == count ? " or " : ", ") : "",
			 names[i]);
	fprintf(stderr, "%s: timing: --%s %s: expected %s\n", prog, opt, arg,
		expect);
	return -EINVAL;
}

static int parse_target(struct replay_target *tg, const char *opt,
			const char *arg)
{
	char msg[128];
	uint32_t g;

	if (!strcmp(opt, "group")) {
		if (parse_u32(arg, &g, msg, sizeof(msg)) || g > INT32_MAX)
			return bad("--group", arg, "not a group number");
		tg->group = (int)g;
		return 0;
	}
	if (!*arg || strchr(arg, '/') || strlen(arg) >= sizeof(tg->device)) {
		fprintf(stderr, "%s: timing: --%s %s: %s\n", prog, opt, arg,
			strcmp(opt, "mdev") ?
				"not a device name: give a PCI address (0000:00:03.0), not a path" :
				"not an mdev UUID");
		return -EINVAL;
	}
	snprintf(tg->device, sizeof(tg->device), "%s", arg);
	return 0;
}

struct timing_args {
	bool json, help;
	struct output html;
	bool seen[3];
};

static int parse_one(struct timing_run *t, struct timing_args *a, int c)
{
	switch (c) {
	case 's':
		return parse_sizes(t, optarg);
	case 'r':
		return parse_rounds(t, optarg);
	case 'D':
		return parse_axis(t->want_domain, timing_domain_names, TD_COUNT,
				  "domain", optarg, &a->seen[0]);
	case 'M':
		return parse_axis(t->want_mode, timing_mode_names, TMODE_COUNT,
				  "mode", optarg, &a->seen[1]);
	case 'm':
		return parse_axis(t->want_memory, timing_memory_names,
				  TM_COUNT, "memory", optarg, &a->seen[2]);
	case 'd':
	case 'g':
		if (t->pci_given)
			return bad("--device and --group", NULL,
				   "they name one device: give one of them, once");
		t->pci_given = true;
		return parse_target(&t->pci, c == 'd' ? "device" : "group",
				    optarg);
	case 'u':
		if (t->mdev_given)
			return bad("--mdev", NULL, "give it once");
		t->mdev_given = true;
		return parse_target(&t->mdev, "mdev", optarg);
	case 'j':
		a->json = true;
		return 0;
	case 'H':
		if (a->html.path)
			return bad("--html", NULL, "give it once");
		a->html.path = optarg;
		return 0;
	case 'h':
		a->help = true;
		return 0;
	default:
		return -EINVAL;
	}
}

static int parse_timing_args(int argc, char **argv, struct timing_run *t,
			     struct timing_args *a)
{
	unsigned int i;
	int c;

	memcpy(t->sizes, default_sizes, sizeof(default_sizes));
	t->nr_sizes = sizeof(default_sizes) / sizeof(default_sizes[0]);
	t->rounds = DEFAULT_ROUNDS;
	for (i = 0; i < TD_COUNT; i++)
		t->want_domain[i] = true;
	for (i = 0; i < TMODE_COUNT; i++)
		t->want_mode[i] = true;
	for (i = 0; i < TM_COUNT; i++)
		t->want_memory[i] = true;
	t->pci.group = -1;
	t->mdev.group = -1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+j", timing_options, NULL)) != -1)
		if (parse_one(t, a, c))
			return -EINVAL;
	if (optind != argc)
		return bad(argv[optind], NULL, "timing takes no arguments");
	return 0;
}

/* An error that stops the run: stderr, and the JSON error object. */
static int timing_error(bool json, int status, const char *message)
{
	struct out_error e = { .kind = "internal", .command = "timing",
			       .message = message };
	struct out *o;

	fprintf(stderr, "%s: timing: %s\n", prog, message);
	if (!json)
		return status;
	o = out_new(OUT_JSON, 0, stdout);
	if (!o || out_error(o, &e) || out_finish(o))
		status = EXIT_INTERNAL;
	out_free(o);
	return status;
}

static int exit_status(const struct timing_run *t)
{
	unsigned int i, measured = 0, failed = 0;

	for (i = 0; i < t->nr_cells; i++) {
		measured += t->cells[i].status == TS_MEASURED;
		failed += t->cells[i].status == TS_FAILED;
	}
	if (failed)
		return EXIT_PARITY;
	return measured ? 0 : EXIT_UNSUPPORTED;
}

int cmd_timing(int argc, char **argv)
{
	struct timing_args a = { 0 };
	struct timing_run *t;
	int rc, status;

	t = calloc(1, sizeof(*t));
	if (!t)
		return EXIT_INTERNAL;
	if (parse_timing_args(argc, argv, t, &a)) {
		free(t);
		fprintf(stderr, "Try '%s timing --help'.\n", prog);
		return EXIT_USAGE;
	}
	if (a.help) {
		free(t);
		timing_help(stdout);
		return finish_stdout(0);
	}
	/* A page that cannot be written fails before the measuring. */
	if (a.html.path && output_open(&a.html)) {
		free(t);
		return EXIT_INTERNAL;
	}
	if (timing_cells_alloc(t) || timing_measure(t)) {
		status = timing_error(a.json, EXIT_INTERNAL, "out of memory");
		goto out;
	}
	rc = a.json ? timing_json(stdout, t) : timing_text(stdout, t);
	status = rc ? stdout_failed(rc) : exit_status(t);
	if (a.html.path) {
		rc = timing_html(a.html.f, t);
		if (rc)
			output_failed(a.html.path, rc);
		rc = output_close(&a.html, !rc) || rc;
		if (rc)
			status = EXIT_INTERNAL;
	}
out:
	if (a.html.f)
		output_close(&a.html, false);
	timing_run_release(t);
	free(t);
	return finish_stdout(status);
}
