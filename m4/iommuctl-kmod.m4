# SPDX-License-Identifier: GPL-2.0-or-later
# Placeholder until kmod/ lands: defines the macro configure.ac calls.
AC_DEFUN([IOMMUCTL_KMOD], [])
