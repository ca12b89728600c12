/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_FUZZ_H
#define IOMMUCTL_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/*
 * Every harness is this function over one input, for libFuzzer
 * (--enable-fuzzers, make check-fuzz) and for the seed replay that runs
 * in every build (seeds_test). A property that does not hold aborts:
 * libFuzzer saves the input, the replay fails the test.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Whether text[0..len) is one JSON value in UTF-8; aborts otherwise. */
void fuzz_require_json(const char *text, size_t len, const char *what);

#endif
