// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iommuctl's command-line handling, from the command table down to the
 * per-command argument checks, without a kernel: every case here must be
 * decided before any file is opened.
 */
#include <atf-c.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "iommuctl.h"
#include "uapi-iommufd.h"
#include "uapi-vfio.h"

static struct ctx c;
static FILE *null_out;

/* A context whose device does not exist, so any open() would show. */
static void ctx_init(void)
{
	memset(&c, 0, sizeof(c));
	c.device = "/nonexistent/iommu";
	c.fd.fd = -1;
	null_out = fopen("/dev/null", "w");
	ATF_REQUIRE(null_out);
	c.out = out_new(OUT_JSON, 0, null_out);
	ATF_REQUIRE(c.out);
}

static void ctx_fini(void)
{
	out_free(c.out);
	fclose(null_out);
}

/* Run words as a command line (OBJECT VERB ARGS...). */
#define RUN(...)                                                              \
	({                                                                    \
		char *argv_[] = { __VA_ARGS__, NULL };                        \
		run_command(&c, sizeof(argv_) / sizeof(argv_[0]) - 1, argv_); \
	})

static void expect_usage(int rc, const char *pattern)
{
	ATF_CHECK_EQ_MSG(rc, EXIT_USAGE, "exit %d: %s", rc, c.err.message);
	ATF_CHECK_STREQ(c.err.kind ? c.err.kind : "", "usage");
	ATF_CHECK_MATCH(pattern, c.err.message);
	ATF_CHECK_MSG(!c.have_fd, "an fd was opened for a usage error");
}

/* Split words for the command verb of object; returns parse result. */
static int parse(struct cmd_args *a, const char *object, int argc, char **argv)
{
	c.cmd = cmd_find(object, argv[0]);
	ATF_REQUIRE(c.cmd);
	snprintf(c.cmd_name, sizeof(c.cmd_name), "%s %s", object, argv[0]);
	return parse_cmd_args(&c, argc, argv, a);
}

ATF_TC_WITHOUT_HEAD(options_and_positionals);
ATF_TC_BODY(options_and_positionals, tc)
{
	char *argv[] = { "map",	   "1", "4K",	       "--iova", "0x1000",
			 "--prot", "r", "--hugepages", NULL };
	char *permuted[] = { "map", "--prot=w", "2", "--iova=1M", "8K", NULL };
	struct cmd_args a;

	ctx_init();
	ATF_REQUIRE_EQ(parse(&a, "ioas", 8, argv), 0);
	ATF_CHECK_EQ(a.argc, 2);
	ATF_CHECK_STREQ(a.argv[0], "1");
	ATF_CHECK_STREQ(a.argv[1], "4K");
	ATF_CHECK(a.iova_set && a.iova == 0x1000);
	ATF_CHECK(a.read && !a.write);
	ATF_CHECK(a.hugepages);

	/* Options may come anywhere, and with '='. */
	ATF_REQUIRE_EQ(parse(&a, "ioas", 5, permuted), 0);
	ATF_CHECK_EQ(a.argc, 2);
	ATF_CHECK_STREQ(a.argv[0], "2");
	ATF_CHECK_STREQ(a.argv[1], "8K");
	ATF_CHECK(a.iova_set && a.iova == 1 << 20);
	ATF_CHECK(!a.read && a.write);
	ATF_CHECK(!a.hugepages);
	ctx_fini();
}

ATF_TC_WITHOUT_HEAD(defaults);
ATF_TC_BODY(defaults, tc)
{
	char *argv[] = { "map", "1", "4K", NULL };
	struct cmd_args a;

	ctx_init();
	ATF_REQUIRE_EQ(parse(&a, "ioas", 3, argv), 0);
	ATF_CHECK(!a.iova_set);
	ATF_CHECK(a.read && a.write);
	ATF_CHECK(!a.hugepages);
	ctx_fini();
}

ATF_TC_WITHOUT_HEAD(option_errors);
ATF_TC_BODY(option_errors, tc)
{
	ctx_init();
	expect_usage(RUN("ioas", "map", "1", "4K", "--bogus"), "--bogus");
	expect_usage(RUN("ioas", "map", "1", "4K", "--iova"),
		     "--iova needs a value");
	expect_usage(RUN("ioas", "map", "1", "4K", "--prot", "rx"),
		     "'rx' is not r, w or rw");
	expect_usage(RUN("ioas", "map", "1", "4K", "--iova", "1-2"),
		     "--iova: '1-2'");
	/* Options belong to their command: destroy takes none. */
	expect_usage(RUN("ioas", "destroy", "1", "--iova", "0"), "--iova");
	expect_usage(RUN("ioas", "map", "1", "4K", "-x"), "-x");
	ctx_fini();
}

ATF_TC_WITHOUT_HEAD(positional_counts);
ATF_TC_BODY(positional_counts, tc)
{
	ctx_init();
	expect_usage(RUN("ioas", "destroy"), "missing ID");
	expect_usage(RUN("ioas", "destroy", "1", "2"),
		     "unexpected argument '2'");
	expect_usage(RUN("ioas", "copy", "1", "2"), "missing SRC_RANGE");
	expect_usage(RUN("ioas", "map", "1"), "missing SIZE");
	expect_usage(RUN("ioas", "option", "1"), "missing OPTION");
	expect_usage(RUN("ioas", "option", "1", "huge-pages", "on", "x"),
		     "unexpected argument 'x'");
	expect_usage(RUN("ioas", "create", "now"), "unexpected argument 'now'");
	expect_usage(RUN("compat", "check-extension"), "missing EXTENSION");
	expect_usage(RUN("compat", "unmap"), "missing RANGE|all");
	expect_usage(RUN("option", "rlimit-mode", "user", "x"),
		     "unexpected argument 'x'");
	ctx_fini();
}

ATF_TC_WITHOUT_HEAD(values);
ATF_TC_BODY(values, tc)
{
	ctx_init();
	expect_usage(RUN("ioas", "destroy", "abc"),
		     "ID: 'abc' is not a number");
	expect_usage(RUN("ioas", "destroy", "4294967296"), "32 bits");
	expect_usage(RUN("ioas", "destroy", "-1"), "'-1'");
	expect_usage(RUN("ioas", "map", "1", "0"), "SIZE must not be zero");
	expect_usage(RUN("ioas", "map", "1", "16E"), "64 bits");
	expect_usage(RUN("ioas", "map", "1", "8K", "--iova",
			 "0xfffffffffffff000"),
		     "goes past");
	expect_usage(RUN("ioas", "allow", "1", "0x2000-0x1000"), "below start");
	expect_usage(RUN("ioas", "allow", "1", "0-1M", "junk"), "'junk'");
	expect_usage(RUN("ioas", "unmap", "1", "0-0xffffffffffffffff"),
		     "use 'all'");
	expect_usage(RUN("ioas", "unmap", "1", "everything"), "'everything'");
	expect_usage(RUN("ioas", "option", "1", "hugepages"),
		     "unknown option 'hugepages'");
	expect_usage(RUN("ioas", "option", "1", "huge-pages", "yes"),
		     "'yes' is not on or off");
	expect_usage(RUN("option", "rlimit-mode", "global"),
		     "'global' is not user or process");
	expect_usage(RUN("compat", "set-iommu", "type3"), "'type3'");
	expect_usage(RUN("compat", "check-extension", "TYPE1_IOMMU", "nope"),
		     "'nope'");
	expect_usage(RUN("compat", "map", "0x1000+0"), "size is zero");
	ctx_fini();
}

ATF_TC_WITHOUT_HEAD(exact_names);
ATF_TC_BODY(exact_names, tc)
{
	ctx_init();
	expect_usage(RUN("ioa", "create"), "unknown object 'ioa'");
	expect_usage(RUN("ioas", "cre"), "unknown command 'cre'");
	expect_usage(RUN("ioas", "CREATE"), "unknown command 'CREATE'");
	expect_usage(RUN("ioas", "create-"), "unknown command");
	expect_usage(RUN("ioas"), "missing command");
	ctx_fini();
}

ATF_TC_WITHOUT_HEAD(valid_args_reach_the_fd);
ATF_TC_BODY(valid_args_reach_the_fd, tc)
{
	int rc;

	/* Good arguments go on to open the device, which is missing here. */
	ctx_init();
	rc = RUN("ioas", "map", "1", "4K", "--iova", "0x1000");
	ATF_CHECK_EQ(rc, EXIT_UNSUPPORTED);
	ATF_CHECK_MATCH("/nonexistent/iommu", c.err.message);
	rc = RUN("compat", "check-extension", "type1v2_iommu", "9");
	ATF_CHECK_EQ(rc, EXIT_UNSUPPORTED);
	ctx_fini();
}

static void hint_for(enum iommu_fd_kind kind, unsigned long request, int err,
		     char *hint, size_t len)
{
	c.fd.kind = kind;
	snprintf(c.fd.path, sizeof(c.fd.path), "/some/path");
	snprintf(c.fd.what, sizeof(c.fd.what), "regular file");
	describe_ioctl_error(&c, request, err, hint, len);
}

ATF_TC_WITHOUT_HEAD(hints);
ATF_TC_BODY(hints, tc)
{
	char hint[256];

	ctx_init();
	hint_for(IOMMU_FD_IOMMUFD, IC_IOMMU_IOAS_ALLOC, ENOTTY, hint,
		 sizeof(hint));
	ATF_CHECK_MATCH("this kernel does not know this ioctl", hint);
	hint_for(IOMMU_FD_OTHER, IC_IOMMU_IOAS_ALLOC, ENOTTY, hint,
		 sizeof(hint));
	ATF_CHECK_MATCH("/some/path \\(regular file\\) is neither", hint);
	hint_for(IOMMU_FD_VFIO, IC_IOMMU_IOAS_ALLOC, EINVAL, hint,
		 sizeof(hint));
	ATF_CHECK_MATCH("VFIO container.*use /dev/iommu", hint);
	hint_for(IOMMU_FD_IOMMUFD, IC_IOMMU_VFIO_IOAS, ENODEV, hint,
		 sizeof(hint));
	ATF_CHECK_MATCH("no compat IOAS is set", hint);
	hint_for(IOMMU_FD_IOMMUFD, IC_VFIO_IOMMU_GET_INFO, ENODEV, hint,
		 sizeof(hint));
	ATF_CHECK_MATCH("no compat IOAS is set", hint);
	hint_for(IOMMU_FD_VFIO, IC_VFIO_IOMMU_GET_INFO, EINVAL, hint,
		 sizeof(hint));
	ATF_CHECK_MATCH("VFIO_SET_IOMMU", hint);
	/* No advice is better than wrong advice. */
	hint_for(IOMMU_FD_IOMMUFD, IC_IOMMU_IOAS_MAP, EFAULT, hint,
		 sizeof(hint));
	ATF_CHECK_STREQ(hint, "");
	ctx_fini();
}

ATF_TC_WITHOUT_HEAD(table);
ATF_TC_BODY(table, tc)
{
	unsigned int i, j;

	for (i = 0; i < nr_commands; i++) {
		const struct cmd *a = &commands[i];

		ATF_CHECK_MSG(cmd_find(a->object, a->verb) == a, "%s %s",
			      a->object, a->verb);
		ATF_CHECK_MSG(cmd_find(a->object, "help"),
			      "object %s has no help", a->object);
		ATF_CHECK(a->summary && a->summary[0]);
		for (j = 0; j < i; j++)
			ATF_CHECK_MSG(strcmp(a->object, commands[j].object) ||
					      strcmp(a->verb, commands[j].verb),
				      "%s %s twice", a->object, a->verb);
	}
	ATF_CHECK(!cmd_find("ioas", ""));
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, options_and_positionals);
	ATF_TP_ADD_TC(tp, defaults);
	ATF_TP_ADD_TC(tp, option_errors);
	ATF_TP_ADD_TC(tp, positional_counts);
	ATF_TP_ADD_TC(tp, values);
	ATF_TP_ADD_TC(tp, exact_names);
	ATF_TP_ADD_TC(tp, valid_args_reach_the_fd);
	ATF_TP_ADD_TC(tp, hints);
	ATF_TP_ADD_TC(tp, table);
	return atf_no_error();
}
