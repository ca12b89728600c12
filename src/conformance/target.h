/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_TARGET_H
#define IOMMUCTL_TARGET_H

#include <stdbool.h>
#include <stddef.h>

/* The group and device the group-based backends use. */
struct replay_target {
	int group; /* -1: not chosen */
	char device[64]; /* PCI address or mdev UUID */
};

/*
 * Fill in what the command line left open, from the groups and mdev
 * parents under ROOT (NULL or "" for the running system): the group of
 * --device (an mdev UUID when mdev), the group's first VFIO device for
 * --group, or, with neither, a DMA-probe mdev, else the first device
 * bound to vfio-pci. 0, or -ENODEV with why filled in.
 */
int replay_target_resolve(const char *root, struct replay_target *t,
			  bool mdev, char *why, size_t len);

/*
 * Only one kind, for a caller that needs it (timing's domain and
 * no-domain setups): the DMA-probe mdev with the smallest UUID (mdev) or
 * the device bound to vfio-pci with the smallest address. 0, or -ENODEV
 * with why saying how to get one.
 */
int replay_target_pick(const char *root, struct replay_target *t, bool mdev,
		       char *why, size_t len);

/*
 * Whether the resolved target is an mdev, whose group has an emulated
 * IOMMU: type1 gives it no domain, iommufd an access, not a domain.
 */
bool replay_target_emulated(const struct replay_target *t);

/*
 * For a second process (the peer_map op): the device bound to vfio-pci
 * with the smallest address in another group than t's. 0, or -ENODEV
 * with why.
 */
int replay_target_other(const char *root, const struct replay_target *t,
			struct replay_target *other, char *why, size_t len);

/*
 * x86: no interrupt in ROOT/proc/interrupts goes through a remapping
 * chip ("IR-" names: Intel and AMD interrupt remapping), so a device's
 * MSIs are not isolated (booted with intremap=off, or no IOMMU); false
 * elsewhere, where this test does not apply.
 */
bool replay_msi_unisolated(const char *root);

/* MODULE's allow_unsafe_interrupts is Y (ROOT/sys/module); false if absent. */
bool replay_unsafe_interrupts(const char *root, const char *module);

/*
 * A trace's boot words (its header's "boot") against ROOT/proc/cmdline:
 * 0 when the kernel was booted with every one, else 1 with why naming
 * the first missing (or what kept the command line from being read).
 */
int replay_boot_missing(const char *root, const char *boot, char *why,
			size_t len);

#endif
