/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_DIFF_H
#define IOMMUCTL_DIFF_H

/*
 * iommuctl-conformance diff REPORT-A REPORT-B: argv[0] is "diff". Exit
 * status 0 when the reports agree case by case, 1 when they do not, 2
 * when one cannot be read, 3 for a usage error.
 */
int cmd_diff(int argc, char **argv);

#endif
