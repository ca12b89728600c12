/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_IOMMUCTL_H
#define IOMMUCTL_IOMMUCTL_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "fd.h"
#include "out.h"
#include "parse.h"

/* Exit codes, documented in iommuctl(8), EXIT STATUS. */
enum {
	EXIT_OK = 0,
	EXIT_KERNEL = 1, /* the operation failed: the kernel said no */
	EXIT_INTERNAL = 2, /* our fault or the system's: ENOMEM, EIO, ... */
	EXIT_USAGE = 3, /* bad command line or batch line */
	EXIT_UNSUPPORTED = 4, /* no /dev/iommu, or ioctl unknown here */
};

struct cli_error {
	int exit;
	const char *kind;
	const char *ioctl;
	int err;
	char message[512];
	char hint[512];
};

struct cmd;

/*
 * A command's arguments after the generic parsing in run_command():
 * positionals (already counted against the table's args string) and the
 * few options commands share.
 */
struct cmd_args {
	int argc;
	char **argv;
	bool iova_set;
	uint64_t iova;
	bool read; /* --prot, default rw */
	bool write;
	bool hugepages;
};

/* One invocation: shared by all commands of a batch. */
struct ctx {
	struct out *out;
	const char *device; /* opened on first use unless have_fd */
	struct iommu_fd fd;
	bool have_fd;
	int pid; /* --pid: c->fd is borrowed from this process */
	bool force; /* --force: state changes on a borrowed fd too */
	bool json; /* -j: results and errors go out as JSON */
	bool batch;
	unsigned int line; /* batch line being run, 0 outside batch */
	const struct cmd *cmd; /* command being run */
	char cmd_name[64]; /* "ioas map", for messages */
	struct cli_error err;
};

/*
 * A command: one row of the flat table in commands.c. args names the
 * positionals ("ID [RANGE...]": [] optional, ... repeatable) for help and
 * for counting; opts are the options it takes. Commands open the fd
 * themselves (ctx_fd()) once their arguments check out, so a usage error
 * never costs an open() and objects that need no fd fit the same table.
 */
struct cmd {
	const char *object;
	const char *verb;
	int (*fn)(struct ctx *c, const struct cmd_args *a);
	const char *args;
	const char *summary;
	const struct option *opts;
	unsigned int flags;
};

/*
 * Commands that leave the fd as they found it: the only ones allowed on
 * a fd borrowed with --pid unless --force is given.
 */
#define CMD_READ_ONLY (1U << 0)

extern const struct cmd commands[];
extern const unsigned int nr_commands;

const struct cmd *cmd_find(const char *object, const char *verb);
bool cmd_object_exists(const char *object);
void print_help(FILE *f);
void print_object_help(FILE *f, const char *object);
/*
 * The help as a record, for -j: the usage line, the global options (with
 * object NULL) and the commands, all of them or those of object.
 */
int help_record(struct ctx *c, const char *object);
void print_cmd_usage(char *buf, size_t len, const struct cmd *cmd);
int list_cmds(FILE *f);
int list_opts(FILE *f, const char *object, const char *verb);

/* Run OBJECT VERB ARGS... (argv[0] is the object); returns an exit code. */
int run_command(struct ctx *c, int argc, char **argv);

/*
 * Find OBJECT VERB's row (into c->cmd) and parse its arguments: what
 * run_command() does before the command runs. 0 or an exit code.
 */
int cmd_prepare(struct ctx *c, int argc, char **argv, struct cmd_args *a);

/* The longest batch line, without its newline. */
#define BATCH_MAX_LINE 65536

/*
 * Batch mode (-b): each line of path ("-": standard input) run by
 * run_command(), stopping at the first that fails; an exit code.
 */
int run_batch(struct ctx *c, const char *path);

/* The same over an open stream, each command line given to run(). */
int batch_run(struct ctx *c, FILE *f, const char *path,
	      int (*run)(struct ctx *c, int argc, char **argv));

/* The fd to work on, opened on first use; NULL after setting c->err. */
const struct iommu_fd *ctx_fd(struct ctx *c);

/* Error reporting: each fills c->err and returns the exit code. */
__attribute__((format(printf, 2, 3))) int usage_error(struct ctx *c,
						      const char *fmt, ...);
int ioctl_error(struct ctx *c, unsigned long request, int rc);
__attribute__((format(printf, 3, 4))) int sys_error(struct ctx *c, int rc,
						    const char *fmt, ...);
__attribute__((format(printf, 3, 4))) int internal_error(struct ctx *c, int rc,
							 const char *fmt, ...);
void report_error(struct ctx *c);
/* The error c holds, as the output layer's error object takes it. */
struct out_error ctx_out_error(const struct ctx *c);
void describe_ioctl_error(const struct ctx *c, unsigned long request, int err,
			  char *hint, size_t len);

/*
 * The option getopt_long() just refused (it returned opt, ':' or '?'),
 * as the user spelt it, into buf: "--name" without its "=value", or "-x"
 * out of a group of short options ("-\xHH" for a byte that is no
 * printable option letter).
 */
void option_culprit(char *buf, size_t len, const struct option *opts,
		    char *const *argv, int opt);

/* Whether word is "--name=value" for an option of opts that takes none. */
bool option_given_value(const struct option *opts, const char *word);

/* Split argv into options and positionals for c->cmd; 0 or EXIT_USAGE. */
int parse_cmd_args(struct ctx *c, int argc, char **argv, struct cmd_args *a);

/* Argument helpers for commands; each returns 0 or EXIT_USAGE. */
int arg_id(struct ctx *c, const char *what, const char *s, uint32_t *out);
int arg_size(struct ctx *c, const char *what, const char *s, uint64_t *out);
int arg_range(struct ctx *c, const char *what, const char *s,
	      struct parse_range *out);
int arg_range_or_all(struct ctx *c, const char *what, const char *s,
		     bool *all, uint64_t *iova, uint64_t *length);

/*
 * Memory for map commands: anonymous, populated, and never unmapped, so
 * that it lives as long as the process (and so as the mappings made from
 * it within one invocation or batch).
 */
int mem_alloc(struct ctx *c, uint64_t size, bool hugepages, void **va);

/* Close the command's record; EXIT_OK or EXIT_INTERNAL. */
int record_done(struct ctx *c);

/* Output helpers shared by commands. */
void out_iova_range(struct out *o, const char *key, uint64_t start,
		    uint64_t last);

/* Commands. */
int cmd_help(struct ctx *c, const struct cmd_args *a);
int cmd_ioas_create(struct ctx *c, const struct cmd_args *a);
int cmd_ioas_destroy(struct ctx *c, const struct cmd_args *a);
int cmd_ioas_ranges(struct ctx *c, const struct cmd_args *a);
int cmd_ioas_allow(struct ctx *c, const struct cmd_args *a);
int cmd_ioas_map(struct ctx *c, const struct cmd_args *a);
int cmd_ioas_unmap(struct ctx *c, const struct cmd_args *a);
int cmd_ioas_copy(struct ctx *c, const struct cmd_args *a);
int cmd_ioas_option(struct ctx *c, const struct cmd_args *a);
int cmd_ioas_get(struct ctx *c, const struct cmd_args *a);
int cmd_ioas_set(struct ctx *c, const struct cmd_args *a);
int cmd_ioas_clear(struct ctx *c, const struct cmd_args *a);
int cmd_option_rlimit_mode(struct ctx *c, const struct cmd_args *a);
int cmd_compat_info(struct ctx *c, const struct cmd_args *a);
int cmd_compat_set_iommu(struct ctx *c, const struct cmd_args *a);
int cmd_compat_map(struct ctx *c, const struct cmd_args *a);
int cmd_compat_unmap(struct ctx *c, const struct cmd_args *a);
int cmd_compat_check_extension(struct ctx *c, const struct cmd_args *a);
int cmd_status_show(struct ctx *c, const struct cmd_args *a);

#endif
