/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_DIFF_H
#define IOMMUCTL_DIFF_H

#include <getopt.h>

/*
 * iommuctl-conformance diff [-j] [--html FILE] REPORT REPORT [REPORT...]:
 * argv[0] is "diff". N saved reports (kernels, hosts) as one matrix of
 * the cases that differ. Exit status 0 when every case is in every report
 * with the same verdict and results, 1 when not, 2 when a report cannot
 * be read or the output written, 3 for a usage error.
 */
int cmd_diff(int argc, char **argv);

/* diff's options, for --list-opts. */
extern const struct option diff_options[];

#endif
