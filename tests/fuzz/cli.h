/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_FUZZ_CLI_H
#define IOMMUCTL_FUZZ_CLI_H

#include "iommuctl.h"

/*
 * What iommuctl does with one command line up to the point where it
 * would touch the system: find the command, parse its options and every
 * positional as each kind of argument, and put the result or the error
 * into c->out as a record. Returns the exit code of the parsing.
 */
int fuzz_cli_line(struct ctx *c, int argc, char **argv);

/* Write c->out's document and require it to be UTF-8 JSON. */
void fuzz_cli_finish(struct ctx *c, FILE *f, char **text, size_t *len);

#endif
