// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "global-options.h"
#include "holders.h"
#include "iommuctl.h"
#include "pidfd.h"
#include "utf8.h"

/*
 * Without --fd, the process's one iommufd or VFIO container is the fd to
 * borrow; several are ambiguous and none is an error, each listed so
 * that the user can pick one with --fd.
 */
static int find_pid_fd(struct ctx *c, int pid, int *fd)
{
	char list[256] = "";
	struct iommu_holders h;
	unsigned int i, n = 0;
	size_t len = 0;
	int rc;

	rc = iommu_holders_read(NULL, pid, &h);
	if (rc)
		return rc;
	for (i = 0; h.nr && i < h.procs[0].nr_fds; i++) {
		const struct iommu_holder_fd *f = &h.procs[0].fds[i];

		if (f->kind != IOMMU_NODE_IOMMUFD &&
		    f->kind != IOMMU_NODE_CONTAINER)
			continue;
		*fd = f->fd;
		n++;
		if (len < sizeof(list))
			len += utf8_snprintf(list + len, sizeof(list) - len,
					     "%s%d (%s)", n > 1 ? ", " : "",
					     f->fd, f->path);
	}
	iommu_holders_release(&h);
	if (n == 1)
		return 0;
	if (!n) {
		rc = usage_error(
			c, "process %d holds no iommufd or VFIO container open",
			pid);
		c->err.exit = EXIT_KERNEL;
		c->err.kind = "kernel";
		return -ENOENT;
	}
	usage_error(c, "process %d holds %u iommufd or VFIO container fds", pid,
		    n);
	utf8_snprintf(c->err.hint, sizeof(c->err.hint),
		      "choose one with --fd: %s", list);
	return -EEXIST;
}

static int borrow_error(struct ctx *c, int pid, int fd, int rc)
{
	c->err.exit = EXIT_KERNEL;
	c->err.kind = "kernel";
	c->err.ioctl = NULL;
	c->err.err = -rc;
	if (fd < 0)
		snprintf(c->err.message, sizeof(c->err.message),
			 "cannot list the fds of process %d: %s", pid,
			 strerror(-rc));
	else
		snprintf(c->err.message, sizeof(c->err.message),
			 "cannot borrow fd %d of process %d: %s", fd, pid,
			 strerror(-rc));
	switch (-rc) {
	case EPERM:
	case EACCES:
		snprintf(
			c->err.hint, sizeof(c->err.hint),
			"the kernel's ptrace access check refused: run as the process's "
			"user or as root (see /proc/sys/kernel/yama/ptrace_scope)");
		break;
	case ENOSYS:
		c->err.exit = EXIT_UNSUPPORTED;
		c->err.kind = "unsupported";
		snprintf(c->err.hint, sizeof(c->err.hint),
			 "pidfd_getfd needs Linux 5.6 or later");
		break;
	case EBADF:
		snprintf(c->err.hint, sizeof(c->err.hint),
			 "process %d has no fd %d", pid, fd);
		break;
	case ESRCH:
		snprintf(c->err.hint, sizeof(c->err.hint),
			 "there is no process %d", pid);
		break;
	default:
		c->err.hint[0] = '\0';
	}
	return c->err.exit;
}

static int setup_pid(struct ctx *c, const struct global *g)
{
	uint32_t pid, n;
	int rc, fd;

	rc = arg_id(c, "--pid", g->pid, &pid);
	if (rc)
		return rc;
	if (!pid || pid > INT_MAX)
		return usage_error(c, "--pid %s: not a process id", g->pid);
	if (g->fd) {
		rc = arg_id(c, "--fd", g->fd, &n);
		if (rc)
			return rc;
		if (n > INT_MAX)
			return usage_error(c, "--fd %s: too large", g->fd);
		fd = n;
	} else {
		rc = find_pid_fd(c, pid, &fd);
		if (rc == -ENOENT || rc == -EEXIST)
			return c->err.exit;
		if (rc)
			return borrow_error(c, pid, -1, rc);
	}
	rc = iommu_fd_borrow(&c->fd, pid, fd);
	if (rc)
		return borrow_error(c, pid, fd, rc);
	c->pid = pid;
	c->have_fd = true;
	return 0;
}

static int setup_fd(struct ctx *c, const struct global *g)
{
	uint32_t n;
	int rc;

	if (g->pid && g->device)
		return usage_error(c, "--pid and --device exclude each other");
	if (g->fd && g->device)
		return usage_error(c, "--fd and --device exclude each other");
	if (g->force && !g->pid)
		return usage_error(c, "--force applies to --pid only");
	c->force = g->force;
	if (g->pid)
		return setup_pid(c, g);
	if (g->device)
		c->device = g->device;
	if (!g->fd)
		return 0;
	rc = arg_id(c, "--fd", g->fd, &n);
	if (rc)
		return rc;
	if (n > INT_MAX || iommu_fd_inherit(&c->fd, n))
		return usage_error(c, "--fd %s: not an open file descriptor",
				   g->fd);
	c->have_fd = true;
	return 0;
}

static int print_version(struct ctx *c)
{
	out_record_begin(c->out);
	out_str(c->out, "program", PACKAGE_NAME);
	out_str(c->out, "version", PACKAGE_VERSION);
	return record_done(c);
}

/* -j asks for one JSON document, so the help is a record there. */
static int help(struct ctx *c)
{
	if (c->json)
		return help_record(c, NULL);
	print_help(stdout);
	return EXIT_OK;
}

static int run(struct ctx *c, const struct global *g, int argc, char **argv)
{
	int rc;

	if (g->help)
		return help(c);
	if (g->version)
		return print_version(c);
	if (g->list_cmds)
		return list_cmds(stdout);
	if (g->list_opts) {
		if (argc != 0 && argc != 2)
			return usage_error(
				c,
				"--list-opts takes nothing or OBJECT COMMAND");
		if (list_opts(stdout, argc ? argv[0] : NULL,
			      argc ? argv[1] : NULL))
			return usage_error(c, "--list-opts: no command '%s %s'",
					   argv[0], argv[1]);
		return EXIT_OK;
	}
	rc = setup_fd(c, g);
	if (rc)
		return rc;
	if (g->batch) {
		if (argc)
			return usage_error(
				c,
				"-b takes no OBJECT COMMAND on the command line ('%s')",
				argv[0]);
		return run_batch(c, g->batch);
	}
	if (!argc)
		return usage_error(c, "missing OBJECT (see iommuctl --help)");
	if (argc == 1 && !strcmp(argv[0], "help"))
		return help(c);
	return run_command(c, argc, argv);
}

int main(int argc, char **argv)
{
	struct ctx c = { .device = IOMMU_DEFAULT_DEVICE, .fd = { .fd = -1 } };
	struct global g = { 0 };
	unsigned int flags = 0;
	int rc, wrc;

	rc = parse_global(&c, argc, argv, &g);
	if (g.pretty)
		flags |= OUT_PRETTY;
	if (g.batch)
		flags |= OUT_LIST;
	c.json = g.json;
	c.out = out_new(g.json ? OUT_JSON : OUT_TEXT, flags, stdout);
	if (!c.out) {
		fprintf(stderr, "iommuctl: out of memory\n");
		return EXIT_INTERNAL;
	}
	if (!rc)
		rc = run(&c, &g, argc - optind, argv + optind);
	if (rc) {
		report_error(&c);
		if (c.batch && c.line)
			fprintf(stderr,
				"iommuctl: batch stopped at line %u; the lines after it were not "
				"run\n",
				c.line);
	}
	wrc = out_finish(c.out);
	if (wrc) {
		fprintf(stderr, "iommuctl: writing the output failed: %s\n",
			strerror(-wrc));
		if (!rc)
			rc = EXIT_INTERNAL;
	}
	out_free(c.out);
	iommu_fd_close(&c.fd);
	return rc;
}
