// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "iommuctl.h"
#include "names.h"
#include "uapi-iommufd.h"
#include "uapi-vfio.h"
#include "utf8.h"

static int set_error(struct ctx *c, int exit, const char *kind,
		     const char *ioctl, int err)
{
	c->err.exit = exit;
	c->err.kind = kind;
	c->err.ioctl = ioctl;
	c->err.err = err;
	c->err.message[0] = '\0';
	c->err.hint[0] = '\0';
	return exit;
}

/*
 * The message of the error, cut (if it must be) between characters: a
 * user's argument in it may be UTF-8 of any length.
 */
__attribute__((format(printf, 2, 3))) static void
set_message(struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	utf8_vsnprintf(c->err.message, sizeof(c->err.message), fmt, ap);
	va_end(ap);
}

int usage_error(struct ctx *c, const char *fmt, ...)
{
	char msg[384];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	utf8_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	rc = set_error(c, EXIT_USAGE, "usage", NULL, 0);
	if (c->cmd) {
		char usage[256];

		set_message(c, "%s: %s", c->cmd_name, msg);
		print_cmd_usage(usage, sizeof(usage), c->cmd);
		snprintf(c->err.hint, sizeof(c->err.hint), "usage: iommuctl %s",
			 usage);
	} else {
		set_message(c, "%s", msg);
	}
	return rc;
}

static bool is_iommufd_ioctl(unsigned long request)
{
	return _IOC_TYPE(request) == IC_IOMMUFD_TYPE &&
	       _IOC_NR(request) >= IC_IOMMUFD_CMD_DESTROY;
}

/*
 * A hint where the errno alone misleads. Most of these come from how
 * iommufd and the VFIO container differ in what they need first.
 */
void describe_ioctl_error(const struct ctx *c, unsigned long request, int err,
			  char *hint, size_t len)
{
	const struct iommu_fd *f = &c->fd;
	bool native = is_iommufd_ioctl(request);

	hint[0] = '\0';
	/* The legacy container fails iommufd ioctls with EINVAL, not ENOTTY. */
	if (native && f->kind == IOMMU_FD_VFIO) {
		utf8_snprintf(
			hint, len,
			"%s is a VFIO container, which does not serve iommufd ioctls: use /dev/iommu",
			f->path);
		return;
	}
	switch (err) {
	case ENOTTY:
		if (f->kind == IOMMU_FD_OTHER)
			utf8_snprintf(
				hint, len,
				"%s (%s) is neither an iommufd nor a VFIO container",
				f->path, f->what);
		else
			snprintf(hint, len,
				 "this kernel does not know this ioctl");
		break;
	case ENODEV:
		if (!native && f->kind == IOMMU_FD_IOMMUFD)
			snprintf(
				hint, len,
				"no compat IOAS is set: 'ioas set ID' chooses one");
		else if (request == IC_IOMMU_VFIO_IOAS)
			snprintf(hint, len, "no compat IOAS is set");
		break;
	case EINVAL:
		if (!native && f->kind == IOMMU_FD_VFIO &&
		    request != IC_VFIO_CHECK_EXTENSION)
			snprintf(
				hint, len,
				"a VFIO container needs a group and VFIO_SET_IOMMU before this ioctl");
		break;
	case ENOENT:
		if (request == IC_IOMMU_IOAS_UNMAP)
			snprintf(
				hint, len,
				"nothing is mapped there, or there is no such IOAS in this fd");
		else if (native && !c->batch)
			snprintf(
				hint, len,
				"no such object in this fd: objects die with the fd that made them; keep one with --fd or -b");
		else if (native)
			snprintf(hint, len, "no such object in this fd");
		break;
	case ENOMEM:
		if (request == IC_IOMMU_IOAS_MAP ||
		    request == IC_VFIO_IOMMU_MAP_DMA)
			snprintf(
				hint, len,
				"pinned memory counts against RLIMIT_MEMLOCK (ulimit -l)");
		break;
	case EPERM:
		if (request == IC_IOMMU_OPTION)
			snprintf(hint, len,
				 "changing rlimit-mode needs CAP_SYS_RESOURCE");
		break;
	case EBUSY:
		if (request == IC_IOMMU_OPTION)
			snprintf(
				hint, len,
				"rlimit-mode can only change while the fd holds no objects");
		else if (request == IC_IOMMU_DESTROY)
			snprintf(
				hint, len,
				"the object is in use: a device or page table holds it");
		break;
	case EEXIST:
		if (request == IC_IOMMU_IOAS_MAP ||
		    request == IC_IOMMU_IOAS_COPY ||
		    request == IC_VFIO_IOMMU_MAP_DMA)
			snprintf(hint, len,
				 "part of the IOVA range is already mapped");
		break;
	case EADDRINUSE:
		snprintf(
			hint, len,
			"the range conflicts with reserved IOVAs, or with mappings outside the new allowed ranges");
		break;
	}
}

int ioctl_error(struct ctx *c, unsigned long request, int rc)
{
	int err = -rc;
	int exit = err == ENOTTY ? EXIT_UNSUPPORTED : EXIT_KERNEL;

	set_error(c, exit, exit == EXIT_UNSUPPORTED ? "unsupported" : "kernel",
		  iommu_ioctl_name(request), err);
	set_message(c, "%s: %s: %s", c->cmd_name, c->err.ioctl, strerror(err));
	describe_ioctl_error(c, request, err, c->err.hint, sizeof(c->err.hint));
	return exit;
}

int sys_error(struct ctx *c, int rc, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	utf8_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	set_error(c, EXIT_KERNEL, "kernel", NULL, -rc);
	set_message(c, "%s: %s: %s", c->cmd_name, msg, strerror(-rc));
	return EXIT_KERNEL;
}

int internal_error(struct ctx *c, int rc, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	utf8_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	set_error(c, EXIT_INTERNAL, "internal", NULL, rc ? -rc : 0);
	if (rc)
		set_message(c, "%s: %s", msg, strerror(-rc));
	else
		set_message(c, "%s", msg);
	return EXIT_INTERNAL;
}

/*
 * stderr always gets the error as text; in JSON mode stdout gets it as
 * the error object too, as the document or as the batch's last element.
 */
struct out_error ctx_out_error(const struct ctx *c)
{
	return (struct out_error){
		.kind = c->err.kind,
		.command = c->cmd_name[0] ? c->cmd_name : NULL,
		.ioctl = c->err.ioctl,
		.err = c->err.err,
		.message = c->err.message,
		.hint = c->err.hint[0] ? c->err.hint : NULL,
		.line = c->line,
	};
}

void report_error(struct ctx *c)
{
	struct out_error e = ctx_out_error(c);
	const char *name = c->err.err ? errno_name(c->err.err) : NULL;

	fputs("iommuctl: ", stderr);
	if (c->line)
		fprintf(stderr, "line %u: ", c->line);
	fputs(c->err.message, stderr);
	if (name)
		fprintf(stderr, " (%s)", name);
	fputc('\n', stderr);
	if (c->err.hint[0])
		fprintf(stderr, "iommuctl: hint: %s\n", c->err.hint);
	if (c->out)
		out_error(c->out, &e);
}
