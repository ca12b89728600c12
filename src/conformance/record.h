/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_RECORD_H
#define IOMMUCTL_RECORD_H

/*
 * iommuctl-conformance record [-o FILE] [--fork=stop|follow] -- PROGRAM
 * [ARGS...]: run PROGRAM with the recorder preloaded, then check the
 * trace it wrote. Returns PROGRAM's exit status (128 + signal when a
 * signal ended it), or the runner's own exit codes when it could not run.
 */
int cmd_record(int argc, char **argv);

#endif
