// SPDX-License-Identifier: GPL-2.0-or-later
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "iommuctl.h"
#include "utf8.h"

/*
 * The args string of a command is its grammar: words are positionals,
 * [WORD] is optional, WORD... repeats. Counting from it keeps the help
 * text and the checks from drifting apart.
 */
static void spec_bounds(const char *spec, int *min, int *max)
{
	const char *p = spec;
	int words = 0;

	*min = 0;
	*max = 0;
	while (*p) {
		size_t n;

		p += strspn(p, " ");
		n = strcspn(p, " ");
		if (!n)
			break;
		words++;
		if (*p != '[')
			*min = words;
		if ((n >= 3 && !strncmp(p + n - 3, "...", 3)) ||
		    (n >= 4 && !strncmp(p + n - 4, "...]", 4)))
			*max = -1;
		p += n;
	}
	if (*max == 0)
		*max = words;
}

/* The name of positional i ("ID"), without brackets or dots. */
static void spec_word(const char *spec, int i, char *buf, size_t len)
{
	const char *p = spec;
	size_t n = 0;

	for (;;) {
		p += strspn(p, " ");
		n = strcspn(p, " ");
		if (!i-- || !n)
			break;
		p += n;
	}
	if (*p == '[') {
		p++;
		n--;
	}
	while (n && (p[n - 1] == ']' || p[n - 1] == '.'))
		n--;
	snprintf(buf, len, "%.*s", (int)n, p);
}

static int parse_prot(struct ctx *c, const char *s, struct cmd_args *a)
{
	if (!strcmp(s, "r")) {
		a->read = true;
		a->write = false;
	} else if (!strcmp(s, "w")) {
		a->read = false;
		a->write = true;
	} else if (!strcmp(s, "rw")) {
		a->read = true;
		a->write = true;
	} else {
		return usage_error(c, "--prot: '%s' is not r, w or rw", s);
	}
	return 0;
}

bool option_given_value(const struct option *opts, const char *word)
{
	size_t n = strcspn(word, "=");

	if (strncmp(word, "--", 2) || !word[n])
		return false;
	for (; opts->name; opts++)
		if (opts->has_arg == no_argument &&
		    strlen(opts->name) == n - 2 &&
		    !strncmp(opts->name, word + 2, n - 2))
			return true;
	return false;
}

void option_culprit(char *buf, size_t len, const struct option *opts,
		    char *const *argv, int opt)
{
	/* The word getopt finished last; a short one may be mid-group. */
	const char *word = argv[optind - 1];

	if (!strncmp(word, "--", 2) &&
	    (opt == ':' || !optopt || option_given_value(opts, word)))
		utf8_snprintf(buf, len, "%.*s", (int)strcspn(word, "="), word);
	else if (isgraph(optopt) && optopt != '-')
		snprintf(buf, len, "-%c", optopt);
	else
		snprintf(buf, len, "-\\x%02x", optopt & 0xff);
}

int parse_cmd_args(struct ctx *c, int argc, char **argv, struct cmd_args *a)
{
	static const struct option no_opts[] = { { NULL, 0, NULL, 0 } };
	const struct option *opts = c->cmd->opts ? c->cmd->opts : no_opts;
	int opt, rc, min, max, n;

	memset(a, 0, sizeof(*a));
	a->read = true;
	a->write = true;
	/* 0, not 1: glibc then also resets its argument permutation state. */
	optind = 0;
	opterr = 0;
	for (;;) {
		char culprit[64];

		/* ':' first: a missing value is ':', an unknown option '?'. */
		opt = getopt_long(argc, argv, ":", opts, NULL);
		if (opt == -1)
			break;
		if (opt == ':' || opt == '?')
			option_culprit(culprit, sizeof(culprit), opts, argv,
				       opt);
		if (opt == '?' && option_given_value(opts, argv[optind - 1]))
			return usage_error(c, "option %s takes no value",
					   culprit);
		switch (opt) {
		case 'i':
			rc = arg_size(c, "--iova", optarg, &a->iova);
			if (rc)
				return rc;
			a->iova_set = true;
			break;
		case 'p':
			rc = parse_prot(c, optarg, a);
			if (rc)
				return rc;
			break;
		case 'H':
			a->hugepages = true;
			break;
		case ':':
			return usage_error(c, "option %s needs a value",
					   culprit);
		default:
			return usage_error(c, "unknown option '%s'", culprit);
		}
	}
	a->argc = argc - optind;
	a->argv = argv + optind;

	spec_bounds(c->cmd->args, &min, &max);
	n = a->argc;
	if (n < min) {
		char word[32];

		spec_word(c->cmd->args, n, word, sizeof(word));
		return usage_error(c, "missing %s", word);
	}
	if (max >= 0 && n > max)
		return usage_error(c, "unexpected argument '%s'", a->argv[max]);
	return 0;
}

int arg_id(struct ctx *c, const char *what, const char *s, uint32_t *out)
{
	char msg[256];

	if (parse_u32(s, out, msg, sizeof(msg)))
		return usage_error(c, "%s: %s", what, msg);
	return 0;
}

int arg_size(struct ctx *c, const char *what, const char *s, uint64_t *out)
{
	char msg[256];

	if (parse_size(s, out, msg, sizeof(msg)))
		return usage_error(c, "%s: %s", what, msg);
	return 0;
}

int arg_range(struct ctx *c, const char *what, const char *s,
	      struct parse_range *out)
{
	char msg[256];

	if (parse_range(s, out, msg, sizeof(msg)))
		return usage_error(c, "%s: %s", what, msg);
	return 0;
}

/*
 * RANGE|all as the unmap commands take it. A range covering all 2^64
 * bytes has no length the ioctls can carry, so it must be spelled "all";
 * with "all", *iova and *length are left for the caller's own spelling.
 */
int arg_range_or_all(struct ctx *c, const char *what, const char *s, bool *all,
		     uint64_t *iova, uint64_t *length)
{
	struct parse_range r;
	int rc;

	*all = !strcmp(s, "all");
	if (*all)
		return 0;
	rc = arg_range(c, what, s, &r);
	if (rc)
		return rc;
	if (parse_range_length(&r, length))
		return usage_error(c, "'%s' spans 2^64 bytes: use 'all'", s);
	*iova = r.start;
	return 0;
}
