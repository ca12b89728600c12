/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * iommuctl_dmaprobe: userspace interface of the DMA probe mediated device.
 *
 * The requests are ioctls on the VFIO device file descriptor of a DMA probe
 * mdev. They follow the VFIO conventions: every argument starts with argsz
 * (the size userspace passes, at least the size of the structure) and flags
 * (no bit defined means the field must be 0), and the ioctl number carries no
 * size. See iommuctl-dmaprobe(4).
 *
 * An ioctl fails (-1 and errno) only when the request itself is wrong: bad
 * argsz, flags, length, alignment, a full pin table or an unreadable user
 * buffer. A request the device carried out to the VFIO core returns 0 and
 * puts what the core answered in status: 0 or a positive errno. That keeps
 * the device's own argument checks apart from the errno of vfio_dma_rw() and
 * vfio_pin_pages(), which is what a conformance audit compares.
 */
#ifndef IOMMUCTL_DMAPROBE_H
#define IOMMUCTL_DMAPROBE_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define DMAPROBE_API_VERSION 1

/* Names in sysfs, for mdev creation: see iommuctl-dmaprobe(4). */
#define DMAPROBE_MODULE_NAME "iommuctl_dmaprobe"
#define DMAPROBE_PARENT_NAME "iommuctl_dmaprobe"
#define DMAPROBE_MDEV_TYPE "iommuctl_dmaprobe-dma"
#define DMAPROBE_DEVICE_API "iommuctl-dmaprobe"

/* Largest single DMA request, in bytes. */
#define DMAPROBE_MAX_TRANSFER (2U << 20)
/* Largest single pin, in pages. */
#define DMAPROBE_MAX_PIN_PAGES 1024U
/* Pins a device may hold at once. */
#define DMAPROBE_MAX_PINS 256U
/* Mediated devices the parent offers. */
#define DMAPROBE_MAX_DEVICES 32U
/* Size of the errno histogram; slot 0 counts errnos >= this value. */
#define DMAPROBE_ERRNO_SLOTS 256U

/*
 * Not the VFIO type (';'): the VFIO core handles some of its own device
 * ioctls before the driver sees them, and a distinct type can never collide
 * with one it adds later.
 */
#define DMAPROBE_IOCTL_TYPE 0xBA

/**
 * DMAPROBE_GET_INFO - the device's limits
 * @argsz: in, sizeof(struct dmaprobe_info) or more
 * @flags: in, 0
 * @api_version: out, DMAPROBE_API_VERSION
 * @page_size: out, the kernel's PAGE_SIZE, the unit of a pin
 * @max_transfer: out, DMAPROBE_MAX_TRANSFER
 * @max_pin_pages: out, DMAPROBE_MAX_PIN_PAGES
 * @max_pins: out, DMAPROBE_MAX_PINS
 * @errno_slots: out, DMAPROBE_ERRNO_SLOTS
 * @reserved: out, 0
 */
struct dmaprobe_info {
	__u32 argsz;
	__u32 flags;
	__u32 api_version;
	__u32 page_size;
	__u64 max_transfer;
	__u32 max_pin_pages;
	__u32 max_pins;
	__u32 errno_slots;
	__u32 reserved;
};

#define DMAPROBE_GET_INFO _IO(DMAPROBE_IOCTL_TYPE, 0)

/*
 * Make the vfio_dma_rw() call from a workqueue worker, a kernel thread
 * without an mm, as a driver that does DMA outside the user's ioctl does;
 * the VFIO core then borrows the mapping owner's mm.
 */
#define DMAPROBE_DMA_KTHREAD (1U << 0)

/**
 * DMAPROBE_DMA_WRITE, DMAPROBE_DMA_READ - one DMA through vfio_dma_rw()
 * @argsz: in, sizeof(struct dmaprobe_dma) or more
 * @flags: in, DMAPROBE_DMA_KTHREAD or 0
 * @iova: in, first IOVA of the transfer, any alignment
 * @length: in, bytes, 1 to DMAPROBE_MAX_TRANSFER; iova + length - 1 must not
 *	    wrap
 * @pattern: in, DMA_WRITE only: byte i of the transfer is byte (i % 8) of
 *	     this value in little-endian order
 * @data: in, DMA_READ only: user address that receives @length bytes when
 *	  status is 0; untouched otherwise
 * @status: out, 0 or the positive errno vfio_dma_rw() returned. A failed
 *	    write may have stored a prefix of the transfer.
 * @reserved: in, 0
 */
struct dmaprobe_dma {
	__u32 argsz;
	__u32 flags;
	__u64 iova;
	__u64 length;
	__u64 pattern;
	__u64 data;
	__u32 status;
	__u32 reserved;
};

#define DMAPROBE_DMA_WRITE _IO(DMAPROBE_IOCTL_TYPE, 1)
#define DMAPROBE_DMA_READ _IO(DMAPROBE_IOCTL_TYPE, 2)

/* Pin for device writes too (IOMMU_WRITE); a pin is always readable. */
#define DMAPROBE_PIN_WRITE (1U << 0)

/**
 * DMAPROBE_PIN - pin pages through vfio_pin_pages() and keep them pinned
 * @argsz: in, sizeof(struct dmaprobe_pin) or more
 * @flags: in, DMAPROBE_PIN_WRITE or 0
 * @iova: in, page-aligned first IOVA
 * @npages: in, 1 to DMAPROBE_MAX_PIN_PAGES
 * @status: out, 0 or the positive errno vfio_pin_pages() returned
 *
 * The pin lasts until DMAPROBE_UNPIN covers it, until the user unmaps any
 * part of it (the dma_unmap callback releases it) or until the device is
 * closed.
 */
struct dmaprobe_pin {
	__u32 argsz;
	__u32 flags;
	__u64 iova;
	__u32 npages;
	__u32 status;
};

#define DMAPROBE_PIN _IO(DMAPROBE_IOCTL_TYPE, 3)

/**
 * DMAPROBE_UNPIN - release every pin that overlaps a range
 * @argsz: in, sizeof(struct dmaprobe_unpin) or more
 * @flags: in, 0
 * @iova: in, first IOVA of the range
 * @length: in, bytes, at least 1; iova 0 and length ~0 cover everything
 * @released: out, number of pins released
 * @pages: out, number of pages they held
 */
struct dmaprobe_unpin {
	__u32 argsz;
	__u32 flags;
	__u64 iova;
	__u64 length;
	__u32 released;
	__u32 pages;
};

#define DMAPROBE_UNPIN _IO(DMAPROBE_IOCTL_TYPE, 4)

/**
 * DMAPROBE_GET_COUNTERS - what the device did since it was opened
 * @argsz: in, sizeof(struct dmaprobe_counters) or more
 * @flags: in, 0
 * @bytes_written: bytes the device wrote to memory
 * @bytes_read: bytes the device read from memory
 * @dma_writes: DMA writes that succeeded
 * @dma_reads: DMA reads that succeeded
 * @dma_errors: DMA requests vfio_dma_rw() failed
 * @pins: pins vfio_pin_pages() granted
 * @pin_errors: pins vfio_pin_pages() refused
 * @unpins: pins released by DMAPROBE_UNPIN
 * @pins_outstanding: pins held now
 * @pages_pinned: pages held now
 * @unmap_callbacks: dma_unmap callbacks the VFIO core made
 * @unmap_released: pins released by those callbacks
 * @last_unmap_iova: IOVA of the last dma_unmap callback
 * @last_unmap_length: length of the last dma_unmap callback
 * @errors: failed DMA and pin requests by errno; slot 0 counts the errnos
 *	    that have no slot of their own
 *
 * Every counter starts at zero when the device is opened.
 */
struct dmaprobe_counters {
	__u32 argsz;
	__u32 flags;
	__u64 bytes_written;
	__u64 bytes_read;
	__u64 dma_writes;
	__u64 dma_reads;
	__u64 dma_errors;
	__u64 pins;
	__u64 pin_errors;
	__u64 unpins;
	__u64 pins_outstanding;
	__u64 pages_pinned;
	__u64 unmap_callbacks;
	__u64 unmap_released;
	__u64 last_unmap_iova;
	__u64 last_unmap_length;
	__u64 errors[DMAPROBE_ERRNO_SLOTS];
};

#define DMAPROBE_GET_COUNTERS _IO(DMAPROBE_IOCTL_TYPE, 5)

#endif /* IOMMUCTL_DMAPROBE_H */
