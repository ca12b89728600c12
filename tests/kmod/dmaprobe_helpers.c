// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libkmod.h>
#include <limits.h>
#include <linux/vfio.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "dmaprobe_helpers.h"
#include "uapi-iommufd.h"

#define DP_SYSMOD "/sys/module/" DMAPROBE_MODULE_NAME
#define DP_KO DMAPROBE_MODULE_NAME ".ko"
/* The work directory file that tells dp_cleanup() which mdevs to remove. */
#define DP_RECORD "dmaprobe-mdevs"

static bool read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	bool ok;

	if (!f)
		return false;
	ok = fgets(buf, len, f) != NULL;
	fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok;
}

/* 0 or the errno of the write, as sysfs reports it. */
static int write_sysfs(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	int err = 0;

	if (fd < 0)
		return errno;
	if (write(fd, val, strlen(val)) < 0)
		err = errno;
	close(fd);
	return err;
}

static struct kmod_ctx *dp_kmod(void)
{
	struct kmod_ctx *ctx = kmod_new(NULL, NULL);

	ATF_REQUIRE_MSG(ctx, "kmod_new failed");
	return ctx;
}

static const char *uname_release(void)
{
	static struct utsname u;

	ATF_REQUIRE(uname(&u) == 0);
	return u.release;
}

/* Value of a modinfo key of a module file, or "" when absent. */
static void modinfo(struct kmod_module *mod, const char *key, char *buf,
		    size_t len)
{
	struct kmod_list *info = NULL, *l;

	buf[0] = '\0';
	if (kmod_module_get_info(mod, &info) < 0)
		return;
	for (l = info; l; l = kmod_list_next(info, l)) {
		if (!strcmp(kmod_module_info_get_key(l), key)) {
			snprintf(buf, len, "%s", kmod_module_info_get_value(l));
			break;
		}
	}
	kmod_module_info_free_list(info);
}

/* Appends "; " and a formatted note to why. */
static void add_why(char *why, size_t wlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void add_why(char *why, size_t wlen, const char *fmt, ...)
{
	size_t used = strlen(why);
	va_list ap;

	if (used && used + 2 < wlen) {
		strcpy(why + used, "; ");
		used += 2;
	}
	va_start(ap, fmt);
	vsnprintf(why + used, wlen - used, fmt, ap);
	va_end(ap);
}

/* A candidate file is usable when its vermagic names the running kernel. */
static bool try_file(struct kmod_ctx *ctx, const char *path, char *why,
		     size_t wlen)
{
	struct kmod_module *mod;
	char magic[256];
	size_t n;

	if (access(path, R_OK)) {
		add_why(why, wlen, "%s: %s", path, strerror(errno));
		return false;
	}
	if (kmod_module_new_from_path(ctx, path, &mod) < 0) {
		add_why(why, wlen, "%s: not a module", path);
		return false;
	}
	modinfo(mod, "vermagic", magic, sizeof(magic));
	kmod_module_unref(mod);
	n = strcspn(magic, " ");
	magic[n] = '\0';
	if (strcmp(magic, uname_release())) {
		add_why(why, wlen, "%s: built for %s", path,
			magic[0] ? magic : "(no vermagic)");
		return false;
	}
	return true;
}

/* A directory holds DIR/RELEASE/module.ko (build-all-kernels) or DIR/module.ko. */
static bool try_dir(struct kmod_ctx *ctx, const char *dir, char *path,
		    size_t len, char *why, size_t wlen)
{
	snprintf(path, len, "%s/%s/" DP_KO, dir, uname_release());
	if (try_file(ctx, path, why, wlen))
		return true;
	snprintf(path, len, "%s/" DP_KO, dir);
	return try_file(ctx, path, why, wlen);
}

static bool try_installed(struct kmod_ctx *ctx, char *path, size_t len,
			  char *why, size_t wlen)
{
	struct kmod_list *list = NULL;
	const char *p = NULL;
	bool ok = false;

	if (kmod_module_new_from_lookup(ctx, DMAPROBE_MODULE_NAME, &list) < 0 ||
	    !list) {
		add_why(why, wlen, "not installed for %s", uname_release());
		return false;
	}
	p = kmod_module_get_path(kmod_module_get_module(list));
	/* Like ndctl: only an out-of-tree install location is ours. */
	if (!p || (!strstr(p, "/extra/") && !strstr(p, "/updates/")))
		add_why(why, wlen,
			"installed copy %s is not under extra/ or updates/",
			p ? p : "(built in)");
	else if (snprintf(path, len, "%s", p) < (int)len)
		ok = try_file(ctx, path, why, wlen);
	kmod_module_unref_list(list);
	return ok;
}

bool dp_module_file(char *path, size_t len, char *why, size_t wlen)
{
	const char *env = getenv("IOMMUCTL_DMAPROBE_KO");
	struct kmod_ctx *ctx = dp_kmod();
	struct stat st;
	bool ok;

	why[0] = '\0';
	if (env && *env) {
		if (!stat(env, &st) && S_ISDIR(st.st_mode)) {
			ok = try_dir(ctx, env, path, len, why, wlen);
		} else {
			snprintf(path, len, "%s", env);
			ok = try_file(ctx, path, why, wlen);
		}
	} else {
		ok = try_dir(ctx, DP_BUILDDIR "/kmod-builds", path, len, why,
			     wlen) ||
		     try_dir(ctx, DP_BUILDDIR "/kmod", path, len, why, wlen) ||
		     try_installed(ctx, path, len, why, wlen);
	}
	kmod_unref(ctx);
	return ok;
}

/*
 * init_module() does not resolve dependencies: load what modinfo lists
 * (vfio, mdev) by name first, as modprobe would.
 */
static int load_dependencies(struct kmod_ctx *ctx, struct kmod_module *mod)
{
	char deps[256], *dep, *save = NULL;
	struct kmod_module *d;
	int err = 0;

	modinfo(mod, "depends", deps, sizeof(deps));
	for (dep = strtok_r(deps, ",", &save); dep && !err;
	     dep = strtok_r(NULL, ",", &save)) {
		if (kmod_module_new_from_name(ctx, dep, &d) < 0)
			return ENOMEM;
		if (kmod_module_get_initstate(d) < 0)
			err = -kmod_module_probe_insert_module(d, 0, NULL, NULL,
							       NULL, NULL);
		kmod_module_unref(d);
	}
	return err;
}

int dp_module_load(const char *path)
{
	struct kmod_ctx *ctx = dp_kmod();
	struct kmod_module *mod;
	int err;

	if (kmod_module_new_from_path(ctx, path, &mod) < 0) {
		kmod_unref(ctx);
		return ENOEXEC;
	}
	err = load_dependencies(ctx, mod);
	if (!err)
		err = -kmod_module_insert_module(mod, 0, NULL);
	kmod_module_unref(mod);
	kmod_unref(ctx);
	return err;
}

static struct kmod_module *our_module(struct kmod_ctx *ctx)
{
	struct kmod_module *mod;

	ATF_REQUIRE(kmod_module_new_from_name(ctx, DMAPROBE_MODULE_NAME,
					      &mod) == 0);
	return mod;
}

int dp_module_unload(void)
{
	struct kmod_ctx *ctx = dp_kmod();
	struct kmod_module *mod = our_module(ctx);
	int err = -kmod_module_remove_module(mod, 0);

	kmod_module_unref(mod);
	kmod_unref(ctx);
	return err;
}

bool dp_module_loaded(void)
{
	return access(DP_SYSMOD, F_OK) == 0;
}

long dp_module_refcnt(void)
{
	struct kmod_ctx *ctx = dp_kmod();
	struct kmod_module *mod = our_module(ctx);
	long n = kmod_module_get_refcnt(mod);

	kmod_module_unref(mod);
	kmod_unref(ctx);
	ATF_REQUIRE_MSG(n >= 0, "no refcnt for " DMAPROBE_MODULE_NAME ": %s",
			strerror((int)-n));
	return n;
}

/*
 * The module in memory must be the out-of-tree build of this version: live
 * (not built in), tainted 'O', and carrying our version.
 */
static bool module_is_ours(char *why, size_t wlen)
{
	struct kmod_ctx *ctx = dp_kmod();
	struct kmod_module *mod = our_module(ctx);
	int state = kmod_module_get_initstate(mod);
	char buf[64];
	bool ok = false;

	kmod_module_unref(mod);
	kmod_unref(ctx);
	if (state == KMOD_MODULE_BUILTIN)
		snprintf(why, wlen, "it is built into the kernel");
	else if (state != KMOD_MODULE_LIVE)
		snprintf(why, wlen, "its state is %s",
			 state < 0 ? "unknown" :
				     kmod_module_initstate_str(state));
	else if (!read_line(DP_SYSMOD "/taint", buf, sizeof(buf)) ||
		 !strchr(buf, 'O'))
		snprintf(why, wlen,
			 "it does not carry the out-of-tree taint 'O'");
	else if (!read_line(DP_SYSMOD "/version", buf, sizeof(buf)) ||
		 strcmp(buf, PACKAGE_VERSION))
		snprintf(why, wlen, "its version is %s, these tests are %s",
			 buf, PACKAGE_VERSION);
	else
		ok = true;
	return ok;
}

void dp_module_check_ours(void)
{
	char why[256];

	ATF_REQUIRE_MSG(module_is_ours(why, sizeof(why)),
			"loaded " DMAPROBE_MODULE_NAME " is not ours: %s", why);
}

void dp_require_module(void)
{
	char path[PATH_MAX], why[1024];
	int err;

	if (dp_module_loaded()) {
		if (!module_is_ours(why, sizeof(why)))
			atf_tc_skip("the loaded " DMAPROBE_MODULE_NAME
				    " is not this build's: %s",
				    why);
		return;
	}
	if (!dp_module_file(path, sizeof(path), why, sizeof(why)))
		atf_tc_skip(
			DMAPROBE_MODULE_NAME
			" is not loaded and no module file for %s was found "
			"(set IOMMUCTL_DMAPROBE_KO, see iommuctl-dmaprobe(4)): %s",
			uname_release(), why);
	err = dp_module_load(path);
	ATF_REQUIRE_MSG(!err || err == EEXIST, "loading %s: %s", path,
			strerror(err));
	dp_module_check_ours();
}

void dp_mdev_name(struct dp_mdev *m)
{
	FILE *rec;

	ATF_REQUIRE(read_line("/proc/sys/kernel/random/uuid", m->uuid,
			      sizeof(m->uuid)));
	m->group = -1;
	/* Recorded before creation so a failure half-way is cleaned too. */
	rec = fopen(DP_RECORD, "ae");
	ATF_REQUIRE(rec);
	fprintf(rec, "%s\n", m->uuid);
	fclose(rec);
}

void dp_mdev_find_group(struct dp_mdev *m)
{
	char path[PATH_MAX], link[PATH_MAX], *slash;
	ssize_t n;

	snprintf(path, sizeof(path), DP_MDEV_DIR "%s/iommu_group", m->uuid);
	n = readlink(path, link, sizeof(link) - 1);
	ATF_REQUIRE_MSG(n > 0, "%s: %s", path, strerror(errno));
	link[n] = '\0';
	slash = strrchr(link, '/');
	m->group = atoi(slash ? slash + 1 : link);
}

int dp_mdev_try_create(struct dp_mdev *m)
{
	int err;

	dp_mdev_name(m);
	err = write_sysfs(DP_TYPE_DIR "/create", m->uuid);
	if (err)
		return err;
	dp_mdev_find_group(m);
	return 0;
}

void dp_mdev_create(struct dp_mdev *m)
{
	int err = dp_mdev_try_create(m);

	ATF_REQUIRE_MSG(!err, "creating mdev %s in " DP_TYPE_DIR ": %s",
			m->uuid, strerror(err));
}

void dp_mdev_remove(const struct dp_mdev *m)
{
	char path[PATH_MAX];
	int err;

	snprintf(path, sizeof(path), DP_MDEV_DIR "%s/remove", m->uuid);
	err = write_sysfs(path, "1");
	ATF_REQUIRE_MSG(!err, "removing mdev %s: %s", m->uuid, strerror(err));
}

bool dp_mdev_exists(const struct dp_mdev *m)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), DP_MDEV_DIR "%s", m->uuid);
	return access(path, F_OK) == 0;
}

static long read_long(const char *path)
{
	char buf[64], *end;
	long v;

	ATF_REQUIRE_MSG(read_line(path, buf, sizeof(buf)), "%s: %s", path,
			strerror(errno));
	v = strtol(buf, &end, 10);
	ATF_REQUIRE_MSG(end != buf && !*end, "%s: not a number: %s", path, buf);
	return v;
}

long dp_mdev_gauge(const struct dp_mdev *m, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), DP_MDEV_DIR "%s/dmaprobe/%s", m->uuid,
		 name);
	return read_long(path);
}

long dp_available_instances(void)
{
	return read_long(DP_TYPE_DIR "/available_instances");
}

void dp_cleanup(void)
{
	char uuid[64], path[PATH_MAX];
	FILE *rec = fopen(DP_RECORD, "re");

	if (!rec)
		return;
	while (fgets(uuid, sizeof(uuid), rec)) {
		uuid[strcspn(uuid, "\n")] = '\0';
		snprintf(path, sizeof(path), DP_MDEV_DIR "%s/remove", uuid);
		if (!access(path, F_OK))
			write_sysfs(path, "1");
	}
	fclose(rec);
}

void dp_head(atf_tc_t *tc, enum dp_backend b, const char *descr, int timeout)
{
	atf_tc_set_md_var(tc, "descr", "%s (%s)", descr,
			  b == DP_TYPE1 ?
				  "type1 container /dev/vfio/vfio" :
				  "iommufd compat container /dev/iommu");
	atf_tc_set_md_var(tc, "require.user", "root");
	atf_tc_set_md_var(tc, "require.files",
			  b == DP_TYPE1 ? "/dev/vfio/vfio" : "/dev/iommu");
	atf_tc_set_md_var(tc, "timeout", "%d", timeout);
}

/*
 * /dev/vfio/vfio may itself be iommufd (CONFIG_IOMMUFD_VFIO_CONTAINER).
 * IOMMU_DESTROY tells them apart: iommufd looks the ID up (ENOENT), the
 * legacy container has no such ioctl before VFIO_SET_IOMMU (EINVAL).
 */
static void check_backend(struct dp_ctx *c)
{
	struct ic_iommu_destroy d = { .size = sizeof(d), .id = 0 };
	bool iommufd;

	ATF_REQUIRE(ioctl(c->container, IC_IOMMU_DESTROY, &d) < 0);
	iommufd = errno == ENOENT;
	if (c->backend == DP_TYPE1 && iommufd)
		atf_tc_skip("/dev/vfio/vfio is served by iommufd "
			    "(CONFIG_IOMMUFD_VFIO_CONTAINER): no legacy type1 "
			    "container to test");
	ATF_REQUIRE_MSG(c->backend == DP_TYPE1 || iommufd,
			"/dev/iommu answered IOMMU_DESTROY with %s, not ENOENT",
			dp_errname(errno));
}

void dp_open(struct dp_ctx *c, enum dp_backend b, uint32_t iommu_type)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };
	const char *node = b == DP_TYPE1 ? "/dev/vfio/vfio" : "/dev/iommu";
	char path[64];

	dp_require_module();
	memset(c, 0, sizeof(*c));
	c->backend = b;
	c->name = b == DP_TYPE1 ? "type1" : "iommufd";
	c->container = open(node, O_RDWR | O_CLOEXEC);
	if (c->container < 0 && errno == ENOENT)
		atf_tc_skip("no %s in this kernel", node);
	ATF_REQUIRE_MSG(c->container >= 0, "open %s: %s", node,
			strerror(errno));
	check_backend(c);

	dp_mdev_create(&c->mdev);
	snprintf(path, sizeof(path), "/dev/vfio/%d", c->mdev.group);
	c->group = open(path, O_RDWR | O_CLOEXEC);
	ATF_REQUIRE_MSG(c->group >= 0, "open %s: %s", path, strerror(errno));
	ATF_REQUIRE_MSG(ioctl(c->group, VFIO_GROUP_GET_STATUS, &st) == 0,
			"VFIO_GROUP_GET_STATUS: %s", strerror(errno));
	ATF_REQUIRE_MSG(st.flags & VFIO_GROUP_FLAGS_VIABLE,
			"group %d of the mdev is not viable", c->mdev.group);
	ATF_REQUIRE_MSG(
		ioctl(c->group, VFIO_GROUP_SET_CONTAINER, &c->container) == 0,
		"VFIO_GROUP_SET_CONTAINER %s: %s", node, strerror(errno));
	if (ioctl(c->container, VFIO_SET_IOMMU, iommu_type)) {
		if (b == DP_TYPE1 && errno == ENODEV)
			atf_tc_skip("VFIO_SET_IOMMU %u: no type1 IOMMU driver "
				    "(vfio_iommu_type1 not loaded)",
				    iommu_type);
		atf_tc_fail("VFIO_SET_IOMMU %u on %s: %s", iommu_type, node,
			    strerror(errno));
	}
	dp_reopen_device(c);
}

void dp_reopen_device(struct dp_ctx *c)
{
	c->device = ioctl(c->group, VFIO_GROUP_GET_DEVICE_FD, c->mdev.uuid);
	ATF_REQUIRE_MSG(c->device >= 0, "VFIO_GROUP_GET_DEVICE_FD %s: %s",
			c->mdev.uuid, strerror(errno));
}

void dp_close(struct dp_ctx *c)
{
	if (c->device >= 0)
		close(c->device);
	close(c->group);
	close(c->container);
	dp_mdev_remove(&c->mdev);
	ATF_REQUIRE_MSG(!dp_mdev_exists(&c->mdev), "mdev %s still present",
			c->mdev.uuid);
}

void *dp_buffer(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ATF_REQUIRE_MSG(p != MAP_FAILED, "mmap %zu: %s", size, strerror(errno));
	return p;
}

int dp_map(struct dp_ctx *c, void *va, uint64_t iova, uint64_t size,
	   bool writable)
{
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m),
		.flags = VFIO_DMA_MAP_FLAG_READ |
			 (writable ? VFIO_DMA_MAP_FLAG_WRITE : 0),
		.vaddr = (uintptr_t)va,
		.iova = iova,
		.size = size,
	};

	return ioctl(c->container, VFIO_IOMMU_MAP_DMA, &m) ? errno : 0;
}

void dp_map_ok(struct dp_ctx *c, void *va, uint64_t iova, uint64_t size,
	       bool writable)
{
	int err = dp_map(c, va, iova, size, writable);

	ATF_REQUIRE_MSG(!err,
			"%s: VFIO_IOMMU_MAP_DMA iova 0x%llx size 0x%llx: %s",
			c->name, (unsigned long long)iova,
			(unsigned long long)size, dp_errname(err));
}

int dp_unmap(struct dp_ctx *c, uint64_t iova, uint64_t size, uint32_t flags,
	     uint64_t *unmapped)
{
	struct vfio_iommu_type1_dma_unmap u = {
		.argsz = sizeof(u),
		.flags = flags,
		.iova = iova,
		.size = size,
	};
	int err = ioctl(c->container, VFIO_IOMMU_UNMAP_DMA, &u) ? errno : 0;

	if (unmapped)
		*unmapped = u.size;
	return err;
}

int dp_dma_write(struct dp_ctx *c, uint64_t iova, uint64_t len,
		 uint64_t pattern)
{
	struct dmaprobe_dma r = {
		.argsz = sizeof(r),
		.iova = iova,
		.length = len,
		.pattern = pattern,
	};

	ATF_REQUIRE_MSG(ioctl(c->device, DMAPROBE_DMA_WRITE, &r) == 0,
			"DMAPROBE_DMA_WRITE: %s", strerror(errno));
	return r.status;
}

int dp_dma_read(struct dp_ctx *c, uint64_t iova, uint64_t len, void *data)
{
	struct dmaprobe_dma r = {
		.argsz = sizeof(r),
		.iova = iova,
		.length = len,
		.data = (uintptr_t)data,
	};

	ATF_REQUIRE_MSG(ioctl(c->device, DMAPROBE_DMA_READ, &r) == 0,
			"DMAPROBE_DMA_READ: %s", strerror(errno));
	return r.status;
}

int dp_pin(struct dp_ctx *c, uint64_t iova, uint32_t npages, uint32_t flags)
{
	struct dmaprobe_pin r = {
		.argsz = sizeof(r),
		.flags = flags,
		.iova = iova,
		.npages = npages,
	};

	ATF_REQUIRE_MSG(ioctl(c->device, DMAPROBE_PIN, &r) == 0,
			"DMAPROBE_PIN: %s", strerror(errno));
	return r.status;
}

uint32_t dp_unpin(struct dp_ctx *c, uint64_t iova, uint64_t length)
{
	struct dmaprobe_unpin r = {
		.argsz = sizeof(r),
		.iova = iova,
		.length = length,
	};

	ATF_REQUIRE_MSG(ioctl(c->device, DMAPROBE_UNPIN, &r) == 0,
			"DMAPROBE_UNPIN: %s", strerror(errno));
	return r.released;
}

void dp_counters(struct dp_ctx *c, struct dmaprobe_counters *cnt)
{
	memset(cnt, 0, sizeof(*cnt));
	cnt->argsz = sizeof(*cnt);
	ATF_REQUIRE_MSG(ioctl(c->device, DMAPROBE_GET_COUNTERS, cnt) == 0,
			"DMAPROBE_GET_COUNTERS: %s", strerror(errno));
}

uint8_t dp_pattern_byte(uint64_t pattern, uint64_t i)
{
	return pattern >> (8 * (i % 8));
}

const char *dp_errname(int err)
{
	const char *name;

	if (!err)
		return "0";
	name = strerrorname_np(err);
	return name ? name : "E?";
}

void dp_observe(const struct dp_ctx *c, const char *fmt, ...)
{
	va_list ap;

	printf("observed %s: ", c->name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}
