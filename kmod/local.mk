# SPDX-License-Identifier: GPL-2.0-or-later
#
# The iommuctl_dmaprobe test module. Kbuild does the building, in the build
# tree: `make` builds it when configure found a kernel build tree (see
# m4/iommuctl-kmod.m4), `make install` puts it in
# /lib/modules/RELEASE/$(INSTALL_MOD_DIR) under $(DESTDIR), `make clean`
# removes what Kbuild made. kmod/build-all-kernels builds it against every
# kernel the project supports, for CI.

kmod_sources = \
	kmod/Kbuild \
	kmod/iommuctl_dmaprobe.c \
	kmod/iommuctl_dmaprobe.h \
	kmod/dmaprobe_compat.h

EXTRA_DIST += $(kmod_sources) kmod/dkms.conf.in kmod/build-all-kernels
dist_man_MANS += man/iommuctl-dmaprobe.4

# The module's source as DKMS takes it: the Kbuild sources and the
# generated dkms.conf in /usr/src/NAME-VERSION, NAME and VERSION being
# dkms.conf's. Not part of `make install`, which builds the module itself;
# a distribution's DKMS package (debian/rules) asks for it. Needs no kernel
# tree, so it works with --disable-kmod.
dkmssrcdir = $(prefix)/src/$(PACKAGE_TARNAME)-dmaprobe-$(PACKAGE_VERSION)

install-dkms: kmod/dkms.conf
	$(MKDIR_P) '$(DESTDIR)$(dkmssrcdir)'
	for f in $(kmod_sources); do \
		$(INSTALL_DATA) "$(srcdir)/$$f" '$(DESTDIR)$(dkmssrcdir)' || exit 1; \
	done
	$(INSTALL_DATA) kmod/dkms.conf '$(DESTDIR)$(dkmssrcdir)'

uninstall-dkms:
	for f in $(kmod_sources) kmod/dkms.conf; do \
		rm -f '$(DESTDIR)$(dkmssrcdir)'/"$${f#kmod/}"; \
	done
	-rmdir '$(DESTDIR)$(dkmssrcdir)'

.PHONY: install-dkms uninstall-dkms

# distcheck installs under its own prefix: so must the module.
AM_DISTCHECK_CONFIGURE_FLAGS = --with-kmod-root=$$dc_install_base

INSTALL_MOD_DIR ?= extra

all-local: kmod-module
install-data-local: kmod-install
uninstall-local: kmod-uninstall
clean-local: kmod-clean
.PHONY: kmod-module kmod-install kmod-uninstall kmod-clean

if BUILD_KMOD
kmod_v = $(kmod_v_@AM_V@)
kmod_v_ = $(kmod_v_@AM_DEFAULT_V@)
kmod_v_0 = -s
kmod_v_1 = V=1
kmod_make = $(MAKE) $(kmod_v) --no-print-directory -C $(LINUX_OBJ) \
	M=$(abs_top_builddir)/kmod IOMMUCTL_VERSION=$(PACKAGE_VERSION)
kmod_dest = $(DESTDIR)$(KMOD_INSTALL_ROOT)/lib/modules/$(LINUX_RELEASE)/$(INSTALL_MOD_DIR)

# Kbuild builds next to the sources it finds in M=, so an out-of-srcdir
# build (and distcheck's read-only srcdir) gets links to them.
kmod-module:
	@if test "$(abs_top_srcdir)" != "$(abs_top_builddir)"; then \
		for f in $(kmod_sources); do \
			ln -sf "$(abs_top_srcdir)/$$f" "$$f" || exit 1; \
		done; \
	fi
	@echo "  KBUILD   kmod/iommuctl_dmaprobe.ko ($(LINUX_RELEASE))"
	+$(AM_V_at)$(kmod_make) modules

# depmod only for the live system: a staged tree (DESTDIR, --with-kmod-root)
# must not gain module indexes that would shadow the target's.
kmod-install:
	+$(AM_V_at)$(kmod_make) INSTALL_MOD_PATH='$(DESTDIR)$(KMOD_INSTALL_ROOT)' \
		INSTALL_MOD_DIR='$(INSTALL_MOD_DIR)' DEPMOD=true modules_install
	$(AM_V_at)if test -z '$(DESTDIR)$(KMOD_INSTALL_ROOT)'; then \
		depmod -a $(LINUX_RELEASE); \
	fi

kmod-uninstall:
	rm -f '$(kmod_dest)'/iommuctl_dmaprobe.ko*
	$(AM_V_at)if test -z '$(DESTDIR)$(KMOD_INSTALL_ROOT)'; then \
		depmod -a $(LINUX_RELEASE); \
	fi

kmod-clean:
	+$(AM_V_at)if test -f kmod/Kbuild; then $(kmod_make) clean; fi
	$(AM_V_at)if test "$(abs_top_srcdir)" != "$(abs_top_builddir)"; then \
		rm -f $(kmod_sources); \
	fi
else
kmod-module kmod-install kmod-uninstall kmod-clean:
	@:
endif
