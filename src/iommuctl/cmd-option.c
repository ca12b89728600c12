// SPDX-License-Identifier: GPL-2.0-or-later
#include <string.h>

#include "iommuctl.h"
#include "ioas.h"

/* Values of IOMMU_OPTION_RLIMIT_MODE, by the kernel's numbering. */
static const char *const rlimit_modes[] = { "user", "process" };

int cmd_option_rlimit_mode(struct ctx *c, const struct cmd_args *a)
{
	const struct iommu_fd *f;
	uint64_t val = 0;
	int rc;

	if (a->argc) {
		if (!strcmp(a->argv[0], rlimit_modes[1]))
			val = 1;
		else if (strcmp(a->argv[0], rlimit_modes[0]))
			return usage_error(c, "'%s' is not user or process",
					   a->argv[0]);
	}
	f = ctx_fd(c);
	if (!f)
		return c->err.exit;
	if (a->argc)
		rc = iommu_option_set(f->fd, IC_IOMMU_OPTION_RLIMIT_MODE, 0,
				      val);
	else
		rc = iommu_option_get(f->fd, IC_IOMMU_OPTION_RLIMIT_MODE, 0,
				      &val);
	if (rc)
		return ioctl_error(c, IC_IOMMU_OPTION, rc);
	out_record_begin(c->out);
	out_str(c->out, "option", "rlimit-mode");
	if (val < 2)
		out_str(c->out, "value", rlimit_modes[val]);
	else
		out_u64(c->out, "value", val);
	return record_done(c);
}
