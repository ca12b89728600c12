/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_RECORD_H
#define IOMMUCTL_RECORD_H

#include <getopt.h>

/*
 * iommuctl-conformance record [-o FILE] [--fork=stop|follow]
 * [--log-dir=DIR] -- PROGRAM [ARGS...]: run PROGRAM with the recorder
 * preloaded, its logs in local memory, then convert them into the trace
 * and check it. Returns PROGRAM's exit
 * status (128 + signal when a signal ended it), or the runner's own exit
 * codes when it could not run. record --convert FILE.bin [-o FILE]: only
 * the conversion, of a log a program run without record left.
 */
int cmd_record(int argc, char **argv);

/* record's options, for --list-opts. */
extern const struct option record_options[];

#endif
