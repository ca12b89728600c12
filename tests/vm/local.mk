# SPDX-License-Identifier: GPL-2.0-or-later
#
# The VM environment and the whole-project test run. `make check` runs the
# host tier only; `make check-all` is the project's test command (README):
# host, sanitizer, module-build and VM tiers with one closing count.

EXTRA_DIST += \
	tests/run-tiers \
	tests/deps/packages \
	tests/deps/debian-common-packages \
	tests/deps/debian-12-packages \
	tests/deps/debian-13-packages \
	tests/vm/common.sh \
	tests/vm/build-kernel \
	tests/vm/fetch-kernel-source \
	tests/vm/fetch-stock-kernel \
	tests/vm/mkinitramfs \
	tests/vm/initramfs-init \
	tests/vm/guest-init \
	tests/vm/guest-kyua \
	tests/vm/run \
	tests/vm/run-selftest \
	tests/vm/kernel-selftests \
	tests/vm/vfio-selftests \
	tests/vm/guest-vfio-selftests \
	tests/vm/smoke-compat-info \
	tests/vm/guest-parity \
	tests/vm/guest-debug \
	tests/vm/debug-known-reports \
	tests/vm/kernel/iommufd.config \
	tests/vm/kernel/iommufd-7.2.config \
	tests/vm/kernel/debug.config \
	tests/vm/kernel/versions \
	tests/vm/selftests/iommufd-compat.h \
	tests/vm/selftests/expected-failures \
	tests/vm/selftests/vfio-compat.h \
	tests/vm/selftests/vfio-expected-failures-6.12 \
	tests/vm/selftests/vfio-expected-failures-7.2

check-all: all
	$(SHELL) $(abs_top_srcdir)/tests/run-tiers $(abs_top_srcdir) $(abs_top_builddir)

# The debug tier alone: a KASAN, lockdep and kmemleak build of the iommufd
# guest kernel, the module's tests (with the fault-injection sweep) and the
# mdev corpus under it. Not part of check-all: see README, "Testing".
check-debug: all
	$(SHELL) $(abs_top_srcdir)/tests/run-tiers $(abs_top_srcdir) $(abs_top_builddir) debug

.PHONY: check-all check-debug
