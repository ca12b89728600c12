# SPDX-License-Identifier: GPL-2.0-or-later
#
# IOMMUCTL_KMOD: where to build the iommuctl_dmaprobe test module.
#
# The module is built when a kernel build tree is found: by default the one
# of the running kernel (/lib/modules/RELEASE/build, sources in .../source),
# or the trees given with --with-linux / --with-linux-obj. Without one the
# build is userspace only, with a notice; --disable-kmod asks for that
# outright. Asking for a tree that is not usable is an error.
#
# Substitutes LINUX, LINUX_OBJ, LINUX_RELEASE and KMOD_INSTALL_ROOT, defines
# the BUILD_KMOD conditional and generates kmod/dkms.conf.
AC_DEFUN([IOMMUCTL_KMOD], [
AC_ARG_ENABLE([kmod],
	[AS_HELP_STRING([--disable-kmod],
		[do not build the iommuctl_dmaprobe test kernel module (userspace only)])],
	[], [enable_kmod=auto])
AC_ARG_WITH([linux],
	[AS_HELP_STRING([--with-linux=DIR],
		[kernel source tree for the test module [/lib/modules/RELEASE/source]])],
	[], [with_linux=])
AC_ARG_WITH([linux-obj],
	[AS_HELP_STRING([--with-linux-obj=DIR],
		[kernel build tree for the test module [/lib/modules/RELEASE/build, or the --with-linux tree]])],
	[], [with_linux_obj=])
AC_ARG_WITH([kmod-root],
	[AS_HELP_STRING([--with-kmod-root=DIR],
		[install the test module under DIR/lib/modules/RELEASE instead of /lib/modules/RELEASE])],
	[], [with_kmod_root=])

AS_CASE([$with_linux], [yes|no], [AC_MSG_ERROR([--with-linux needs a directory])])
AS_CASE([$with_linux_obj], [yes|no], [AC_MSG_ERROR([--with-linux-obj needs a directory])])
AS_CASE([$with_kmod_root], [yes|no], [AC_MSG_ERROR([--with-kmod-root needs a directory])])

dnl Asked for explicitly: a missing or unusable tree is an error, not a notice.
iommuctl_kmod_required=no
AS_IF([test "x$enable_kmod" = xyes || test -n "$with_linux$with_linux_obj"],
	[iommuctl_kmod_required=yes])
AS_IF([test "x$enable_kmod" = xno && test -n "$with_linux$with_linux_obj"],
	[AC_MSG_ERROR([--disable-kmod contradicts --with-linux/--with-linux-obj])])

iommuctl_kmod_skip() {
	AS_IF([test $iommuctl_kmod_required = yes],
		[AC_MSG_ERROR([$[1]])],
		[AC_MSG_NOTICE([$[1]: building userspace only (the test module needs --with-linux-obj=DIR)])])
	build_kmod=no
}

build_kmod=no
LINUX=
LINUX_OBJ=
LINUX_RELEASE=
AS_IF([test "x$enable_kmod" != xno], [
	build_kmod=yes
	iommuctl_kmod_uname=`uname -r`
	dnl Given only a build tree, find its sources the way the kernel
	dnl records them: a "source" link (make O=), or the Makefile that
	dnl includes the source tree's (Debian's split header packages).
	AS_IF([test -n "$with_linux"], [LINUX=$with_linux],
		[test -n "$with_linux_obj"], [
			LINUX=$with_linux_obj
			iommuctl_kmod_inc=`sed -n 's,^include \(/.*\)/Makefile$,\1,p' \
				"$with_linux_obj/Makefile" 2>/dev/null | head -n 1`
			AS_IF([test -d "$with_linux_obj/source"],
				[LINUX=$with_linux_obj/source],
				[test -n "$iommuctl_kmod_inc"],
				[LINUX=$iommuctl_kmod_inc])],
		[LINUX=/lib/modules/$iommuctl_kmod_uname/source])
	AS_IF([test -n "$with_linux_obj"], [LINUX_OBJ=$with_linux_obj],
		[test -n "$with_linux"], [LINUX_OBJ=$with_linux],
		[LINUX_OBJ=/lib/modules/$iommuctl_kmod_uname/build])

	AC_MSG_CHECKING([for a kernel build tree])
	dnl UTS_RELEASE is what uname -r and vermagic say; Debian's 6.1
	dnl headers have the upstream version in include/config/kernel.release.
	LINUX_RELEASE=`sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' \
		"$LINUX_OBJ/include/generated/utsrelease.h" 2>/dev/null`
	AS_IF([test -n "$LINUX_RELEASE" && test -r "$LINUX_OBJ/Makefile"], [
		LINUX_OBJ=`cd "$LINUX_OBJ" && pwd -P`
		AC_MSG_RESULT([$LINUX_OBJ ($LINUX_RELEASE)])
	], [
		AC_MSG_RESULT([no])
		iommuctl_kmod_skip "no configured kernel build tree at $LINUX_OBJ"
	])
])

AS_IF([test $build_kmod = yes], [
	AC_MSG_CHECKING([for the kernel's VFIO mdev headers])
	AS_IF([test -r "$LINUX/include/linux/mdev.h" && test -r "$LINUX/include/linux/vfio.h"], [
		LINUX=`cd "$LINUX" && pwd -P`
		AC_MSG_RESULT([$LINUX])
	], [
		AC_MSG_RESULT([no])
		iommuctl_kmod_skip "no include/linux/mdev.h in the kernel source tree $LINUX (use --with-linux=DIR)"
	])
])

AS_IF([test $build_kmod = yes], [
	AC_MSG_CHECKING([whether $LINUX_RELEASE has VFIO and VFIO_MDEV])
	iommuctl_kmod_conf="$LINUX_OBJ/include/generated/autoconf.h"
	AS_IF([grep -Eq '^#define CONFIG_VFIO(_MODULE)? 1' "$iommuctl_kmod_conf" 2>/dev/null &&
	       grep -Eq '^#define CONFIG_VFIO_MDEV(_MODULE)? 1' "$iommuctl_kmod_conf"], [
		AC_MSG_RESULT([yes])
	], [
		AC_MSG_RESULT([no])
		iommuctl_kmod_skip "kernel $LINUX_RELEASE ($LINUX_OBJ) lacks CONFIG_VFIO or CONFIG_VFIO_MDEV"
	])
])

AS_IF([test "x$enable_kmod" = xno],
	[AC_MSG_NOTICE([--disable-kmod: building userspace only])])

KMOD_INSTALL_ROOT=$with_kmod_root
AC_SUBST([LINUX])
AC_SUBST([LINUX_OBJ])
AC_SUBST([LINUX_RELEASE])
AC_SUBST([KMOD_INSTALL_ROOT])
AM_CONDITIONAL([BUILD_KMOD], [test $build_kmod = yes])
AC_CONFIG_FILES([kmod/dkms.conf])
])
