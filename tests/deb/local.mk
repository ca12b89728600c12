# SPDX-License-Identifier: GPL-2.0-or-later
#
# The Debian packaging (debian/) travels in the tarball, so the packages
# build from a release as from a checkout, and tests/deb/check proves
# them: built, linted, installed with apt, DKMS-built and tested.

EXTRA_DIST += \
	debian/changelog \
	debian/check-upstream-version \
	debian/control \
	debian/copyright \
	debian/iommuctl-dkms.install \
	debian/iommuctl-dkms.lintian-overrides \
	debian/iommuctl-tests.install \
	debian/iommuctl-tests.lintian-overrides \
	debian/iommuctl.docs \
	debian/iommuctl.install \
	debian/iommuctl.lintian-overrides \
	debian/rules \
	debian/source/format \
	tests/deb/check

# A tarball whose changelog names another version than configure.ac
# would build packages that lie about what they hold.
dist-hook:
	$(SHELL) $(srcdir)/debian/check-upstream-version $(srcdir)
