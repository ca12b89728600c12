/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_TEST_FIXTURE_H
#define IOMMUCTL_TEST_FIXTURE_H

#include <atf-c.h>

/*
 * The system tree of fixtures/sysfs.tree (sysfs and procfs as the VM
 * tier's iommufd guest lays them out), unpacked under the test's work
 * directory; fixture_root is where, for the readers' root argument.
 */
extern char fixture_root[];

void fixture_unpack(const atf_tc_t *tc);

/*
 * One manifest line on top of the tree: "d DIR", "f FILE CONTENT",
 * "a FILE CONTENT" (a further line) or "l LINK TARGET".
 */
void fixture_add(const char *line);

#endif
