/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_EXITCODES_H
#define IOMMUCTL_EXITCODES_H

/*
 * The exit codes every program of the project shares, documented in
 * iommuctl(8) and iommuctl-conformance(8), EXIT STATUS. Code 1 means
 * what failed in the program's own terms: for iommuctl the kernel said
 * no, for the conformance runner parity failures were found.
 */
enum {
	IOMMUCTL_EXIT_OK = 0,
	IOMMUCTL_EXIT_FAILED = 1,
	IOMMUCTL_EXIT_INTERNAL = 2, /* ENOMEM, EIO, a file that cannot be read */
	IOMMUCTL_EXIT_USAGE = 3,
	IOMMUCTL_EXIT_UNSUPPORTED = 4, /* no /dev/iommu, ioctl unknown here */
};

#endif
