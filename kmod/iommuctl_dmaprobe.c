// SPDX-License-Identifier: GPL-2.0-only
/*
 * iommuctl_dmaprobe: a mediated VFIO device that performs DMA on request.
 *
 * Each mdev is registered as an emulated-IOMMU VFIO device, so it works in a
 * type1 container, in an iommufd passed to VFIO_GROUP_SET_CONTAINER and, where
 * the kernel has it, through the device cdev. Userspace asks it, with ioctls
 * on the device fd, to read or write guest-visible memory by IOVA through
 * vfio_dma_rw() and to pin IOVA ranges through vfio_pin_pages(); it counts
 * what the VFIO core did, including every dma_unmap callback. The device
 * never dereferences a pinned page: every byte it moves goes through the
 * VFIO core's translation. See iommuctl-dmaprobe(4).
 */
#include <linux/device.h>
#include <linux/iommu.h>
#include <linux/list.h>
#include <linux/mdev.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>
#include <linux/workqueue.h>

#include "dmaprobe_compat.h"
#include "iommuctl_dmaprobe.h"

#if !IS_ENABLED(CONFIG_VFIO)
#error "iommuctl_dmaprobe needs a kernel built with CONFIG_VFIO"
#endif
#if !IS_ENABLED(CONFIG_VFIO_MDEV)
#error "iommuctl_dmaprobe needs a kernel built with CONFIG_VFIO_MDEV (enable an mdev driver or sample that selects it)"
#endif

struct dmaprobe_pin_rec {
	struct list_head node;
	u64 iova;
	u64 last;
	u32 npages;
};

struct dmaprobe_device {
	struct vfio_device vdev;
	/*
	 * Held across vfio_pin_pages() and vfio_unpin_pages(): a pin is on the
	 * list exactly while the VFIO core holds it, so a dma_unmap callback
	 * racing a pin request either sees the new pin or runs before the pin
	 * exists, and type1 never finds a pin nobody will release.
	 */
	struct mutex pin_lock;
	struct list_head pins;
	u32 nr_pins;
	/* DMA requests run in parallel and update the counters concurrently. */
	spinlock_t stats_lock;
	struct dmaprobe_counters stats;
};

struct dmaprobe_parent {
	struct device dev;
	struct mdev_parent mdev_parent;
};

static struct dmaprobe_parent *dmaprobe_parent;

static struct dmaprobe_device *to_dmaprobe(struct vfio_device *vdev)
{
	return container_of(vdev, struct dmaprobe_device, vdev);
}

/*
 * Last IOVA of a request: false when the range is empty, wraps, or does not
 * fit the dma_addr_t the VFIO core takes (a 32-bit dma_addr_t would silently
 * truncate the IOVA).
 */
static bool dmaprobe_range_last(u64 iova, u64 length, u64 *last)
{
	if (!length || check_add_overflow(iova, length - 1, last))
		return false;
	return (dma_addr_t)*last == *last;
}

static void dmaprobe_count_errno(struct dmaprobe_device *dp, int err)
{
	lockdep_assert_held(&dp->stats_lock);
	dp->stats.errors[err < DMAPROBE_ERRNO_SLOTS ? err : 0]++;
}

/* Releases every pin overlapping [first, last]; pin_lock held. */
static void dmaprobe_unpin_range(struct dmaprobe_device *dp, u64 first,
				 u64 last, u32 *released, u32 *pages)
{
	struct dmaprobe_pin_rec *rec, *tmp;

	lockdep_assert_held(&dp->pin_lock);
	*released = 0;
	*pages = 0;
	list_for_each_entry_safe(rec, tmp, &dp->pins, node) {
		if (rec->iova > last || rec->last < first)
			continue;
		/*
		 * iommufd insists that an unpin matches its pin exactly, so a
		 * pin is always released whole, even if only part of it
		 * overlaps.
		 */
		vfio_unpin_pages(&dp->vdev, rec->iova, rec->npages);
		list_del(&rec->node);
		dp->nr_pins--;
		(*released)++;
		*pages += rec->npages;
		kfree(rec);
	}

	spin_lock(&dp->stats_lock);
	dp->stats.pins_outstanding -= *released;
	dp->stats.pages_pinned -= *pages;
	spin_unlock(&dp->stats_lock);
}

static void dmaprobe_fill(u8 *buf, size_t len, u64 pattern)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = pattern >> (8 * (i % 8));
}

/* One vfio_dma_rw() handed to a workqueue worker: DMAPROBE_DMA_KTHREAD. */
struct dmaprobe_rw_work {
	struct work_struct work;
	struct vfio_device *vdev;
	u64 iova;
	void *buf;
	size_t length;
	bool write;
	int err;
};

static void dmaprobe_rw_workfn(struct work_struct *work)
{
	struct dmaprobe_rw_work *w =
		container_of(work, struct dmaprobe_rw_work, work);

	w->err = vfio_dma_rw(w->vdev, w->iova, w->buf, w->length, w->write);
}

/*
 * A worker has no mm of its own, so the VFIO core takes its kernel-thread
 * path (kthread_use_mm() of the mapping owner's mm) rather than the
 * caller's: the ioctl waits for it, so the buffer outlives the call.
 */
static int dmaprobe_rw(struct dmaprobe_device *dp, u64 iova, void *buf,
		       size_t length, bool write, bool kthread)
{
	struct dmaprobe_rw_work w = {
		.vdev = &dp->vdev,
		.iova = iova,
		.buf = buf,
		.length = length,
		.write = write,
	};

	if (!kthread)
		return vfio_dma_rw(&dp->vdev, iova, buf, length, write);
	INIT_WORK_ONSTACK(&w.work, dmaprobe_rw_workfn);
	queue_work(system_unbound_wq, &w.work);
	flush_work(&w.work);
	destroy_work_on_stack(&w.work);
	return w.err;
}

static long dmaprobe_ioctl_dma(struct dmaprobe_device *dp, void __user *uarg,
			       bool write)
{
	const size_t minsz = offsetofend(struct dmaprobe_dma, reserved);
	struct dmaprobe_dma req;
	long ret = 0;
	u64 last;
	void *buf;
	int err;

	if (copy_from_user(&req, uarg, minsz))
		return -EFAULT;
	if (req.argsz < minsz || req.flags & ~DMAPROBE_DMA_KTHREAD ||
	    req.reserved)
		return -EINVAL;
	if (write ? req.data : req.pattern)
		return -EINVAL;
	if (req.length > DMAPROBE_MAX_TRANSFER)
		return -E2BIG;
	if (!req.length)
		return -EINVAL;
	if (!dmaprobe_range_last(req.iova, req.length, &last))
		return -EOVERFLOW;

	/* Zeroed for reads so a short copy by a broken backend leaks nothing. */
	buf = write ? kvmalloc(req.length, GFP_KERNEL_ACCOUNT) :
		      kvzalloc(req.length, GFP_KERNEL_ACCOUNT);
	if (!buf)
		return -ENOMEM;
	if (write)
		dmaprobe_fill(buf, req.length, req.pattern);

	err = dmaprobe_rw(dp, req.iova, buf, req.length, write,
			  req.flags & DMAPROBE_DMA_KTHREAD);

	spin_lock(&dp->stats_lock);
	if (err) {
		dp->stats.dma_errors++;
		dmaprobe_count_errno(dp, -err);
	} else if (write) {
		dp->stats.dma_writes++;
		dp->stats.bytes_written += req.length;
	} else {
		dp->stats.dma_reads++;
		dp->stats.bytes_read += req.length;
	}
	spin_unlock(&dp->stats_lock);

	if (!err && !write &&
	    copy_to_user(u64_to_user_ptr(req.data), buf, req.length)) {
		ret = -EFAULT;
		goto out_free;
	}
	req.status = -err;
	if (copy_to_user(uarg + offsetof(struct dmaprobe_dma, status),
			 &req.status, sizeof(req.status)))
		ret = -EFAULT;
out_free:
	kvfree(buf);
	return ret;
}

static long dmaprobe_ioctl_pin(struct dmaprobe_device *dp, void __user *uarg)
{
	const size_t minsz = offsetofend(struct dmaprobe_pin, status);
	struct dmaprobe_pin_rec *rec;
	struct dmaprobe_pin req;
	struct page **pages;
	long ret = 0;
	int pinned;
	u64 last;
	int prot;

	if (copy_from_user(&req, uarg, minsz))
		return -EFAULT;
	if (req.argsz < minsz || req.flags & ~DMAPROBE_PIN_WRITE)
		return -EINVAL;
	if (req.npages > DMAPROBE_MAX_PIN_PAGES)
		return -E2BIG;
	if (!req.npages || !PAGE_ALIGNED(req.iova))
		return -EINVAL;
	if (!dmaprobe_range_last(req.iova, (u64)req.npages << PAGE_SHIFT,
				 &last))
		return -EOVERFLOW;
	prot = IOMMU_READ;
	if (req.flags & DMAPROBE_PIN_WRITE)
		prot |= IOMMU_WRITE;

	/* The pages are never touched: only the pin itself is probed. */
	pages = kvcalloc(req.npages, sizeof(*pages), GFP_KERNEL_ACCOUNT);
	rec = kzalloc(sizeof(*rec), GFP_KERNEL_ACCOUNT);
	if (!pages || !rec) {
		ret = -ENOMEM;
		goto out_free;
	}

	mutex_lock(&dp->pin_lock);
	if (dp->nr_pins >= DMAPROBE_MAX_PINS) {
		mutex_unlock(&dp->pin_lock);
		ret = -ENOSPC;
		goto out_free;
	}
	pinned = vfio_pin_pages(&dp->vdev, req.iova, req.npages, prot, pages);
	/*
	 * Both backends grant all pages or none; a partial grant would leave
	 * pins the record cannot describe, so give them back.
	 */
	if (WARN_ON_ONCE(pinned >= 0 && pinned != (int)req.npages)) {
		if (pinned > 0)
			vfio_unpin_pages(&dp->vdev, req.iova, pinned);
		pinned = -EIO;
	}

	spin_lock(&dp->stats_lock);
	if (pinned < 0) {
		dp->stats.pin_errors++;
		dmaprobe_count_errno(dp, -pinned);
	} else {
		dp->stats.pins++;
		dp->stats.pins_outstanding++;
		dp->stats.pages_pinned += req.npages;
	}
	spin_unlock(&dp->stats_lock);

	if (pinned >= 0) {
		rec->iova = req.iova;
		rec->last = last;
		rec->npages = req.npages;
		list_add_tail(&rec->node, &dp->pins);
		dp->nr_pins++;
		rec = NULL;
	}
	mutex_unlock(&dp->pin_lock);

	req.status = pinned < 0 ? -pinned : 0;
	if (copy_to_user(uarg + offsetof(struct dmaprobe_pin, status),
			 &req.status, sizeof(req.status)))
		ret = -EFAULT;
out_free:
	kfree(rec);
	kvfree(pages);
	return ret;
}

static long dmaprobe_ioctl_unpin(struct dmaprobe_device *dp, void __user *uarg)
{
	const size_t minsz = offsetofend(struct dmaprobe_unpin, pages);
	struct dmaprobe_unpin req;
	u64 last;

	if (copy_from_user(&req, uarg, minsz))
		return -EFAULT;
	if (req.argsz < minsz || req.flags)
		return -EINVAL;
	if (!req.length)
		return -EINVAL;
	if (check_add_overflow(req.iova, req.length - 1, &last))
		return -EOVERFLOW;

	mutex_lock(&dp->pin_lock);
	dmaprobe_unpin_range(dp, req.iova, last, &req.released, &req.pages);
	spin_lock(&dp->stats_lock);
	dp->stats.unpins += req.released;
	spin_unlock(&dp->stats_lock);
	mutex_unlock(&dp->pin_lock);

	if (copy_to_user(uarg, &req, minsz))
		return -EFAULT;
	return 0;
}

static long dmaprobe_ioctl_counters(struct dmaprobe_device *dp,
				    void __user *uarg)
{
	const size_t minsz = offsetofend(struct dmaprobe_counters, errors);
	struct dmaprobe_counters *snap;
	u32 hdr[2];
	long ret = 0;

	if (copy_from_user(hdr, uarg, sizeof(hdr)))
		return -EFAULT;
	if (hdr[0] < minsz || hdr[1])
		return -EINVAL;

	snap = kmalloc(sizeof(*snap), GFP_KERNEL);
	if (!snap)
		return -ENOMEM;
	spin_lock(&dp->stats_lock);
	*snap = dp->stats;
	spin_unlock(&dp->stats_lock);
	snap->argsz = hdr[0];
	snap->flags = 0;
	if (copy_to_user(uarg, snap, minsz))
		ret = -EFAULT;
	kfree(snap);
	return ret;
}

static long dmaprobe_ioctl_info(void __user *uarg)
{
	const size_t minsz = offsetofend(struct dmaprobe_info, reserved);
	struct dmaprobe_info info;

	if (copy_from_user(&info, uarg, minsz))
		return -EFAULT;
	if (info.argsz < minsz || info.flags)
		return -EINVAL;

	info.api_version = DMAPROBE_API_VERSION;
	info.page_size = PAGE_SIZE;
	info.max_transfer = DMAPROBE_MAX_TRANSFER;
	info.max_pin_pages = DMAPROBE_MAX_PIN_PAGES;
	info.max_pins = DMAPROBE_MAX_PINS;
	info.errno_slots = DMAPROBE_ERRNO_SLOTS;
	info.reserved = 0;
	if (copy_to_user(uarg, &info, minsz))
		return -EFAULT;
	return 0;
}

/*
 * Generic VFIO users start with VFIO_DEVICE_GET_INFO: the device has no
 * regions, no interrupts and none of the bus flags.
 */
static long dmaprobe_ioctl_vfio_info(void __user *uarg)
{
	const size_t minsz = offsetofend(struct vfio_device_info, num_irqs);
	struct vfio_device_info info;

	if (copy_from_user(&info, uarg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;

	info.flags = 0;
	info.num_regions = 0;
	info.num_irqs = 0;
	if (copy_to_user(uarg, &info, minsz))
		return -EFAULT;
	return 0;
}

static long dmaprobe_ioctl(struct vfio_device *vdev, unsigned int cmd,
			   unsigned long arg)
{
	struct dmaprobe_device *dp = to_dmaprobe(vdev);
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		return dmaprobe_ioctl_vfio_info(uarg);
	case DMAPROBE_GET_INFO:
		return dmaprobe_ioctl_info(uarg);
	case DMAPROBE_DMA_WRITE:
		return dmaprobe_ioctl_dma(dp, uarg, true);
	case DMAPROBE_DMA_READ:
		return dmaprobe_ioctl_dma(dp, uarg, false);
	case DMAPROBE_PIN:
		return dmaprobe_ioctl_pin(dp, uarg);
	case DMAPROBE_UNPIN:
		return dmaprobe_ioctl_unpin(dp, uarg);
	case DMAPROBE_GET_COUNTERS:
		return dmaprobe_ioctl_counters(dp, uarg);
	}
	return -ENOTTY;
}

/*
 * The VFIO core calls this before the user's unmap completes, for every
 * mapping that holds a pin of this device (type1 with the whole vfio_dma,
 * iommufd with the whole area). Each overlapping pin must go: type1 BUG()s
 * when pins survive repeated callbacks and iommufd gives up the unmap.
 */
static void dmaprobe_dma_unmap(struct vfio_device *vdev, u64 iova, u64 length)
{
	struct dmaprobe_device *dp = to_dmaprobe(vdev);
	u32 released = 0;
	u32 pages = 0;

	mutex_lock(&dp->pin_lock);
	if (length)
		dmaprobe_unpin_range(dp, iova,
				     iova + min(length - 1, U64_MAX - iova),
				     &released, &pages);
	spin_lock(&dp->stats_lock);
	dp->stats.unmap_callbacks++;
	dp->stats.unmap_released += released;
	dp->stats.last_unmap_iova = iova;
	dp->stats.last_unmap_length = length;
	spin_unlock(&dp->stats_lock);
	mutex_unlock(&dp->pin_lock);
}

static int dmaprobe_open_device(struct vfio_device *vdev)
{
	struct dmaprobe_device *dp = to_dmaprobe(vdev);

	spin_lock(&dp->stats_lock);
	memset(&dp->stats, 0, sizeof(dp->stats));
	spin_unlock(&dp->stats_lock);
	return 0;
}

/* Pins must not outlive the container or IOAS the device leaves next. */
static void dmaprobe_close_device(struct vfio_device *vdev)
{
	struct dmaprobe_device *dp = to_dmaprobe(vdev);
	u32 released;
	u32 pages;

	mutex_lock(&dp->pin_lock);
	dmaprobe_unpin_range(dp, 0, U64_MAX, &released, &pages);
	mutex_unlock(&dp->pin_lock);
}

static int dmaprobe_init_dev(struct vfio_device *vdev)
{
	struct dmaprobe_device *dp = to_dmaprobe(vdev);

	mutex_init(&dp->pin_lock);
	INIT_LIST_HEAD(&dp->pins);
	spin_lock_init(&dp->stats_lock);
	return 0;
}

static void dmaprobe_release_dev(struct vfio_device *vdev)
{
	mutex_destroy(&to_dmaprobe(vdev)->pin_lock);
}

static const struct vfio_device_ops dmaprobe_dev_ops = {
	.name = "iommuctl-dmaprobe",
	.init = dmaprobe_init_dev,
	.release = dmaprobe_release_dev,
	.open_device = dmaprobe_open_device,
	.close_device = dmaprobe_close_device,
	.ioctl = dmaprobe_ioctl,
	.dma_unmap = dmaprobe_dma_unmap,
	DMAPROBE_IOMMUFD_OPS
};

/*
 * The two gauges that must return to zero once the device is closed, readable
 * without opening it: that is how a leak check looks at a closed device.
 */
static ssize_t dmaprobe_show_gauge(struct device *dev, char *buf, bool pages)
{
	struct dmaprobe_device *dp = dev_get_drvdata(dev);
	u64 val;

	spin_lock(&dp->stats_lock);
	val = pages ? dp->stats.pages_pinned : dp->stats.pins_outstanding;
	spin_unlock(&dp->stats_lock);
	return sysfs_emit(buf, "%llu\n", val);
}

static ssize_t pins_outstanding_show(struct device *dev,
				     struct device_attribute *attr, char *buf)
{
	return dmaprobe_show_gauge(dev, buf, false);
}
static DEVICE_ATTR_RO(pins_outstanding);

static ssize_t pages_pinned_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	return dmaprobe_show_gauge(dev, buf, true);
}
static DEVICE_ATTR_RO(pages_pinned);

static struct attribute *dmaprobe_dev_attrs[] = {
	&dev_attr_pins_outstanding.attr,
	&dev_attr_pages_pinned.attr,
	NULL,
};

static const struct attribute_group dmaprobe_dev_group = {
	.name = "dmaprobe",
	.attrs = dmaprobe_dev_attrs,
};

static const struct attribute_group *dmaprobe_dev_groups[] = {
	&dmaprobe_dev_group,
	NULL,
};

static int dmaprobe_probe(struct mdev_device *mdev)
{
	struct dmaprobe_device *dp;
	int ret;

	dp = vfio_alloc_device(dmaprobe_device, vdev, &mdev->dev,
			       &dmaprobe_dev_ops);
	if (IS_ERR(dp))
		return PTR_ERR(dp);

	/*
	 * drvdata first: the sysfs gauges appear as soon as the device is
	 * registered.
	 */
	dev_set_drvdata(&mdev->dev, dp);
	ret = vfio_register_emulated_iommu_dev(&dp->vdev);
	if (ret)
		goto err_put;
	return 0;

err_put:
	vfio_put_device(&dp->vdev);
	return ret;
}

/*
 * Blocks while the device is open; the module cannot be unloaded then
 * either, because an open VFIO device holds a reference on its driver.
 */
static void dmaprobe_remove(struct mdev_device *mdev)
{
	struct dmaprobe_device *dp = dev_get_drvdata(&mdev->dev);

	vfio_unregister_group_dev(&dp->vdev);
	vfio_put_device(&dp->vdev);
}

static ssize_t dmaprobe_show_description(struct mdev_type *mtype, char *buf)
{
	return sysfs_emit(buf,
			  "DMA through vfio_dma_rw() and vfio_pin_pages()\n");
}

static struct mdev_driver dmaprobe_driver = {
	.device_api = DMAPROBE_DEVICE_API,
	.max_instances = DMAPROBE_MAX_DEVICES,
	.driver = {
		.name = DMAPROBE_MODULE_NAME,
		.owner = THIS_MODULE,
		.mod_name = KBUILD_MODNAME,
		.dev_groups = dmaprobe_dev_groups,
	},
	.probe = dmaprobe_probe,
	.remove = dmaprobe_remove,
	.show_description = dmaprobe_show_description,
};

/* The mdev core names the type directory "<class>-<sysfs_name>". */
static struct mdev_type dmaprobe_type = {
	.sysfs_name = "dma",
	.pretty_name = "DMA probe",
};

static struct mdev_type *dmaprobe_types[] = {
	&dmaprobe_type,
};

static struct class dmaprobe_class = {
	.name = DMAPROBE_PARENT_NAME,
};

static void dmaprobe_parent_release(struct device *dev)
{
	kfree(container_of(dev, struct dmaprobe_parent, dev));
}

static int __init dmaprobe_init(void)
{
	struct dmaprobe_parent *parent;
	int ret;

	ret = class_register(&dmaprobe_class);
	if (ret)
		return ret;
	ret = mdev_register_driver(&dmaprobe_driver);
	if (ret)
		goto err_class;

	parent = kzalloc(sizeof(*parent), GFP_KERNEL);
	if (!parent) {
		ret = -ENOMEM;
		goto err_driver;
	}
	device_initialize(&parent->dev);
	parent->dev.class = &dmaprobe_class;
	parent->dev.release = dmaprobe_parent_release;
	ret = dev_set_name(&parent->dev, DMAPROBE_PARENT_NAME);
	if (ret)
		goto err_put;
	ret = device_add(&parent->dev);
	if (ret)
		goto err_put;

	ret = mdev_register_parent(&parent->mdev_parent, &parent->dev,
				   &dmaprobe_driver, dmaprobe_types,
				   ARRAY_SIZE(dmaprobe_types));
	if (ret)
		goto err_del;
	dmaprobe_parent = parent;
	return 0;

err_del:
	device_del(&parent->dev);
err_put:
	put_device(&parent->dev);
err_driver:
	mdev_unregister_driver(&dmaprobe_driver);
err_class:
	class_unregister(&dmaprobe_class);
	return ret;
}

/* Removes the mdevs still present; none is open, or unload was refused. */
static void __exit dmaprobe_exit(void)
{
	mdev_unregister_parent(&dmaprobe_parent->mdev_parent);
	device_unregister(&dmaprobe_parent->dev);
	mdev_unregister_driver(&dmaprobe_driver);
	class_unregister(&dmaprobe_class);
}

module_init(dmaprobe_init);
module_exit(dmaprobe_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("iommuctl DMA probe: mdev VFIO device doing DMA on request");
MODULE_AUTHOR("The iommuctl developers");
MODULE_VERSION(IOMMUCTL_VERSION);
