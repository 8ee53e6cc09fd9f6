// SPDX-License-Identifier: GPL-2.0-only
/*
 * XDP backend: skeleton load, map pinning, bpf_link attach, ring-buffer
 * drain; see xdp_backend.h and docs/xdp-loader.md.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>
#include <linux/magic.h>

#include <amtsca/device_state.h>

#include "amtsca.skel.h"
#include "xdp_backend.h"
#include "xdp_event.h"

#define XDP_BACKEND_MAX_LINKS 64

struct xdp_attachment {
	int ifindex;
	int link_fd;
};

struct xdp_backend {
	struct amtsca *skel;
	struct ring_buffer *ring;
	xdp_hello_cb cb;
	void *cb_arg;
	int reused_maps;
	char pin_path[PATH_MAX];
	/* amtsca_known, mapped: bits are set with an atomic OR */
	__u64 *known;
	struct xdp_ring_stats ring_stats;
	struct xdp_attachment links[XDP_BACKEND_MAX_LINKS];
	int n_links;
	/*
	 * The record being handed to cb, decoded: one a backend, since the
	 * ring is read by one thread and cb does not keep it (was a 4.4 KiB
	 * malloc and free per record).
	 */
	struct hello_event ev;
};

static const char *const xdp_mode_names[] = {
	[XDP_ATTACH_NATIVE] = "native",
	[XDP_ATTACH_GENERIC] = "generic",
	[XDP_ATTACH_AUTO] = "auto",
};

int xdp_attach_mode_parse(const char *s, enum xdp_attach_mode *mode)
{
	unsigned int i;

	for (i = 0; i < sizeof(xdp_mode_names) / sizeof(xdp_mode_names[0]); i++)
		if (!strcmp(s, xdp_mode_names[i])) {
			*mode = i;
			return 0;
		}
	return -1;
}

const char *xdp_attach_mode_name(enum xdp_attach_mode mode)
{
	return xdp_mode_names[mode];
}

static int xdp_ring_record(void *ctx, void *data, size_t size)
{
	struct xdp_backend *b = ctx;

	if (xdp_event_parse(data, size, &b->ev)) {
		b->ring_stats.bad_records++;
	} else {
		b->ring_stats.records++;
		b->cb(&b->ev, b->cb_arg);
	}
	return 0;
}

/* mkdir -p dir, then insist that it is on a bpf filesystem. */
static int xdp_pin_dir(const char *dir, char *errbuf, size_t errlen)
{
	char path[PATH_MAX], *p;
	struct statfs fs;

	if (snprintf(path, sizeof(path), "%s", dir) >= (int)sizeof(path)) {
		snprintf(errbuf, errlen, "pin path too long: %s", dir);
		return -ENAMETOOLONG;
	}
	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) && errno != EEXIST)
			goto fail;
		*p = '/';
	}
	if (mkdir(path, 0700) && errno != EEXIST)
		goto fail;
	if (statfs(path, &fs))
		goto fail;
	if (fs.f_type != BPF_FS_MAGIC) {
		snprintf(errbuf, errlen,
			 "%s is not on a bpf filesystem: mount -t bpf bpf %s",
			 dir, dir);
		return -ENOTDIR;
	}
	return 0;
fail:
	snprintf(errbuf, errlen, "pin path %s: %s", path, strerror(errno));
	return -errno;
}

/*
 * Give every map (not the .rodata/.bss of the knobs) a pin path, so
 * libbpf re-uses a compatible pinned map or creates and pins a new one.
 */
static int xdp_set_pins(struct xdp_backend *b, const char *dir, char *errbuf,
			size_t errlen)
{
	struct bpf_map *map;
	char path[PATH_MAX];
	int err;

	bpf_object__for_each_map(map, b->skel->obj) {
		if (bpf_map__is_internal(map))
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir,
			     bpf_map__name(map)) >= (int)sizeof(path))
			return -ENAMETOOLONG;
		if (!access(path, F_OK))
			b->reused_maps++;
		err = bpf_map__set_pin_path(map, path);
		if (err) {
			snprintf(errbuf, errlen, "pin path %s: %s", path,
				 strerror(-err));
			return err;
		}
	}
	return 0;
}

/*
 * Give a new amtsca_config its SYN cookie key (128 bits from getrandom);
 * a key already there (a pinned map re-used) is kept, so cookies handed
 * out before a daemon restart stay valid.
 */
static int xdp_cookie_key(struct xdp_backend *b)
{
	int fd = bpf_map__fd(b->skel->maps.amtsca_config);
	struct amtsca_xdp_config cfg;
	__u32 zero = 0;

	if (bpf_map_lookup_elem(fd, &zero, &cfg))
		return -errno;
	if (cfg.cookie_key[0] || cfg.cookie_key[1])
		return 0;
	if (getrandom(cfg.cookie_key, sizeof(cfg.cookie_key), 0) !=
	    sizeof(cfg.cookie_key))
		return -EIO;
	return bpf_map_update_elem(fd, &zero, &cfg, BPF_ANY) ? -errno : 0;
}

/*
 * The kind of BPF object behind fd, from /proc/self/fdinfo ("prog_type:"
 * lines only for programs: map and program info share their first field,
 * so BPF_OBJ_GET_INFO_BY_FD cannot tell them apart); -1 if not a program.
 */
static int xdp_fd_prog_type(int fd)
{
	char path[64], line[128];
	int type = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (type < 0 && fgets(line, sizeof(line), f))
		if (sscanf(line, "prog_type: %d", &type) != 1)
			type = -1;
	fclose(f);
	return type;
}

/* The pinned program at path if it is an XDP program: its fd. */
static int xdp_next_prog_fd(const char *path, char *errbuf, size_t errlen)
{
	int fd = bpf_obj_get(path), err;

	if (fd < 0) {
		err = -errno;
		snprintf(errbuf, errlen, "xdp.next_prog %s: %s", path,
			 strerror(errno));
		return err;
	}
	if (xdp_fd_prog_type(fd) != BPF_PROG_TYPE_XDP) {
		close(fd);
		snprintf(errbuf, errlen,
			 "xdp.next_prog %s: not a pinned XDP program", path);
		return -EINVAL;
	}
	return fd;
}

/*
 * Put next_fd in amtsca_next's slot, or empty the slot (a map re-used
 * from an earlier run may still hold a program) when next_fd < 0.
 */
static int xdp_chain(struct xdp_backend *b, int next_fd, const char *path,
		     char *errbuf, size_t errlen)
{
	int fd = bpf_map__fd(b->skel->maps.amtsca_next), err = 0;
	__u32 zero = 0;

	if (next_fd < 0) {
		if (bpf_map_delete_elem(fd, &zero) && errno != ENOENT)
			err = -errno;
	} else if (bpf_map_update_elem(fd, &zero, &next_fd, BPF_ANY)) {
		err = -errno;
	}
	if (err)
		snprintf(
			errbuf, errlen,
			"xdp.next_prog %s: cannot follow amtsca: %s (it must be loaded as plain XDP: not for a devmap/cpumap, not with frags)",
			next_fd < 0 ? "(none)" : path, strerror(-err));
	return err;
}

int xdp_backend_open(struct xdp_backend **out,
		     const struct xdp_backend_opts *opts, xdp_hello_cb cb,
		     void *arg, char *errbuf, size_t errlen)
{
	struct xdp_backend *b = calloc(1, sizeof(*b));
	bool chained = opts->next_prog && opts->next_prog[0];
	int err, next_fd = -1;

	if (!b) {
		snprintf(errbuf, errlen, "out of memory");
		return -ENOMEM;
	}
	if (chained) {
		next_fd = xdp_next_prog_fd(opts->next_prog, errbuf, errlen);
		if (next_fd < 0) {
			free(b);
			return next_fd;
		}
	}
	b->cb = cb;
	b->cb_arg = arg;
	b->skel = amtsca__open();
	if (!b->skel) {
		err = -errno;
		snprintf(errbuf, errlen, "open BPF skeleton: %s",
			 strerror(errno));
		goto fail;
	}
	b->skel->rodata->sca_port = opts->port;
	b->skel->rodata->sca_mss = opts->mss;
	if (opts->window)
		b->skel->rodata->sca_window = opts->window;
	b->skel->rodata->hello_flags = opts->hello_flags;
	b->skel->rodata->queued_ttl_ns = opts->queued_ttl_ns;
	b->skel->rodata->chain_next = chained;
	if (opts->ring_bytes)
		bpf_map__set_max_entries(b->skel->maps.amtsca_events,
					 opts->ring_bytes);
	snprintf(b->pin_path, sizeof(b->pin_path), "%s", opts->pin_path);
	err = xdp_pin_dir(opts->pin_path, errbuf, errlen);
	if (!err)
		err = xdp_set_pins(b, opts->pin_path, errbuf, errlen);
	if (err)
		goto fail;
	err = amtsca__load(b->skel);
	if (err) {
		snprintf(
			errbuf, errlen,
			"load BPF program: %s (a map pinned under %s by another amtsca version cannot be re-used: remove the directory)",
			strerror(-err), opts->pin_path);
		goto fail;
	}
	b->known = mmap(NULL, AMTSCA_KNOWN_WORDS * sizeof(__u64),
			PROT_READ | PROT_WRITE, MAP_SHARED,
			bpf_map__fd(b->skel->maps.amtsca_known), 0);
	if (b->known == MAP_FAILED) {
		err = -errno;
		b->known = NULL;
		snprintf(errbuf, errlen, "map amtsca_known: %s",
			 strerror(errno));
		goto fail;
	}
	err = xdp_cookie_key(b);
	if (err) {
		snprintf(errbuf, errlen, "SYN cookie key: %s", strerror(-err));
		goto fail;
	}
	err = xdp_chain(b, next_fd, opts->next_prog, errbuf, errlen);
	if (err)
		goto fail;
	b->ring = ring_buffer__new(bpf_map__fd(b->skel->maps.amtsca_events),
				   xdp_ring_record, b, NULL);
	if (!b->ring) {
		err = -errno;
		snprintf(errbuf, errlen, "ring buffer: %s", strerror(errno));
		goto fail;
	}
	if (next_fd >= 0)
		close(next_fd);
	*out = b;
	return 0;
fail:
	if (next_fd >= 0)
		close(next_fd);
	xdp_backend_close(b, false);
	return err;
}

int xdp_backend_reused_maps(const struct xdp_backend *b)
{
	return b->reused_maps;
}

static struct xdp_attachment *xdp_find_link(struct xdp_backend *b, int ifindex)
{
	int i;

	for (i = 0; i < b->n_links; i++)
		if (b->links[i].ifindex == ifindex)
			return &b->links[i];
	return NULL;
}

int xdp_backend_detach(struct xdp_backend *b, int ifindex)
{
	struct xdp_attachment *a = xdp_find_link(b, ifindex);

	if (!a)
		return 0;
	close(a->link_fd);
	*a = b->links[--b->n_links];
	return 0;
}

static int xdp_link(struct xdp_backend *b, int ifindex, __u32 flags)
{
	LIBBPF_OPTS(bpf_link_create_opts, opts, .flags = flags);
	int fd = bpf_link_create(xdp_backend_prog_fd(b), ifindex, BPF_XDP,
				 &opts);

	return fd < 0 ? -errno : fd;
}

int xdp_backend_attach(struct xdp_backend *b, int ifindex,
		       enum xdp_attach_mode mode, enum xdp_attach_mode *used,
		       char *errbuf, size_t errlen)
{
	int fd;

	/* Our old link on this ifindex (if any) must go before a new one. */
	xdp_backend_detach(b, ifindex);
	if (b->n_links == XDP_BACKEND_MAX_LINKS) {
		snprintf(errbuf, errlen, "more than %d interfaces",
			 XDP_BACKEND_MAX_LINKS);
		return -E2BIG;
	}
	*used = mode == XDP_ATTACH_GENERIC ? XDP_ATTACH_GENERIC :
					     XDP_ATTACH_NATIVE;
	fd = xdp_link(b, ifindex,
		      *used == XDP_ATTACH_NATIVE ? XDP_FLAGS_DRV_MODE :
						   XDP_FLAGS_SKB_MODE);
	if (fd < 0 && mode == XDP_ATTACH_AUTO && fd != -EBUSY) {
		*used = XDP_ATTACH_GENERIC;
		fd = xdp_link(b, ifindex, XDP_FLAGS_SKB_MODE);
	}
	if (fd < 0) {
		snprintf(
			errbuf, errlen, "attach %s: %s%s",
			xdp_attach_mode_name(*used), strerror(-fd),
			fd == -EBUSY ?
				" (another XDP program holds the interface: bpftool net show)" :
				"");
		return fd;
	}
	b->links[b->n_links].ifindex = ifindex;
	b->links[b->n_links].link_fd = fd;
	b->n_links++;
	return 0;
}

void xdp_backend_close(struct xdp_backend *b, bool remove_pins)
{
	if (!b)
		return;
	while (b->n_links)
		xdp_backend_detach(b, b->links[0].ifindex);
	ring_buffer__free(b->ring);
	if (b->known)
		munmap(b->known, AMTSCA_KNOWN_WORDS * sizeof(__u64));
	if (b->skel && remove_pins) {
		bpf_object__unpin_maps(b->skel->obj, NULL);
		rmdir(b->pin_path);
	}
	amtsca__destroy(b->skel);
	free(b);
}

int xdp_backend_prog_fd(const struct xdp_backend *b)
{
	return bpf_program__fd(b->skel->progs.amtsca_xdp);
}

int xdp_backend_fd(const struct xdp_backend *b)
{
	return ring_buffer__epoll_fd(b->ring);
}

int xdp_backend_consume(struct xdp_backend *b)
{
	int n = ring_buffer__consume(b->ring);

	b->ring_stats.wakeups++;
	if (!n)
		b->ring_stats.empty_wakeups++;
	return n;
}

int xdp_backend_drain(struct xdp_backend *b)
{
	return ring_buffer__consume(b->ring);
}

void xdp_backend_ring_stats(const struct xdp_backend *b,
			    struct xdp_ring_stats *st)
{
	*st = b->ring_stats;
}

/*
 * Clear the program's amtsca_recent mark of uuid, if its slot holds it:
 * once the daemon has written a device's state, that entry decides alone
 * (an expired FAILED or a deleted entry lets the next Hello through).
 */
static int xdp_clear_recent(struct xdp_backend *b, const uint8_t uuid[16])
{
	int fd = bpf_map__fd(b->skel->maps.amtsca_recent);
	struct amtsca_recent r;
	__u32 w[4], slot;

	memcpy(w, uuid, sizeof(w));
	slot = amtsca_recent_slot(w);
	if (bpf_map_lookup_elem(fd, &slot, &r))
		return -errno;
	if (memcmp(r.uuid, uuid, sizeof(r.uuid)) || !r.expires_ns)
		return 0;
	memset(&r, 0, sizeof(r));
	return bpf_map_update_elem(fd, &slot, &r, BPF_ANY) ? -errno : 0;
}

/*
 * Set uuid's amtsca_known bits, before its entry is written: the program
 * skips the device table for devices with one of them clear.
 */
static void xdp_set_known(struct xdp_backend *b, const uint8_t uuid[16])
{
	__u32 w[4];
	__u64 h;

	memcpy(w, uuid, sizeof(w));
	h = amtsca_known_hash(w);
	__atomic_fetch_or(&b->known[amtsca_known_word(h)], amtsca_known_mask(h),
			  __ATOMIC_SEQ_CST);
}

int xdp_backend_set_device_state(struct xdp_backend *b, const uint8_t uuid[16],
				 uint32_t state, uint64_t expires_ns)
{
	int fd = bpf_map__fd(b->skel->maps.amtsca_devices);
	struct amtsca_dev_entry e = { .state = state,
				      .expires_ns = expires_ns };
	struct amtsca_dev_key key;
	int err;

	memcpy(key.uuid, uuid, sizeof(key.uuid));
	xdp_set_known(b, uuid);
	if (state == AMTSCA_DEV_UNKNOWN) {
		err = bpf_map_delete_elem(fd, &key);
		if (err && errno != ENOENT)
			return -errno;
	} else if (bpf_map_update_elem(fd, &key, &e, BPF_ANY)) {
		return -errno;
	}
	return xdp_clear_recent(b, uuid);
}

int xdp_backend_set_device_states(struct xdp_backend *b,
				  const uint8_t (*uuids)[16], uint32_t n,
				  uint32_t state, uint64_t expires_ns)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts, .elem_flags = BPF_ANY);
	int fd = bpf_map__fd(b->skel->maps.amtsca_devices);
	struct amtsca_dev_entry *e;
	uint32_t i, count = n;
	int err;

	if (!n)
		return 0;
	if (state == AMTSCA_DEV_UNKNOWN)
		return -EINVAL;
	e = calloc(n, sizeof(*e));
	if (!e)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		e[i].state = state;
		e[i].expires_ns = expires_ns;
		xdp_set_known(b, uuids[i]);
	}
	/* The keys are the 16 UUID bytes (struct amtsca_dev_key). */
	err = bpf_map_update_batch(fd, uuids, e, &count, &opts) ? -errno : 0;
	free(e);
	return err;
}

/* An LPM key of p for the trie of its family; returns that trie's fd. */
static int xdp_lpm_key(struct xdp_backend *b, const struct config_prefix *p,
		       struct amtsca_lpm_v6 *key)
{
	int alen = p->family == AF_INET ? 4 : 16;

	if ((p->family != AF_INET && p->family != AF_INET6) ||
	    p->len > alen * 8)
		return -EINVAL;
	memset(key, 0, sizeof(*key));
	key->prefixlen = p->len;
	/* amtsca_lpm_v4 is the same layout with a 4-byte address. */
	memcpy(key->addr, p->addr, alen);
	return bpf_map__fd(p->family == AF_INET ?
				   b->skel->maps.amtsca_allow_v4 :
				   b->skel->maps.amtsca_allow_v6);
}

/* Keys of one trie into keys[] (at most AMTSCA_ALLOW_MAX); returns count. */
static int xdp_lpm_keys(int fd, struct amtsca_lpm_v6 *keys)
{
	struct amtsca_lpm_v6 *prev = NULL;
	int n = 0;

	while (n < AMTSCA_ALLOW_MAX &&
	       !bpf_map_get_next_key(fd, prev, &keys[n])) {
		prev = &keys[n];
		n++;
	}
	return n;
}

/* Read-modify-write of amtsca_config key 0. */
static int xdp_config_edit(struct xdp_backend *b,
			   void (*edit)(struct amtsca_xdp_config *,
					const void *),
			   const void *arg)
{
	int fd = bpf_map__fd(b->skel->maps.amtsca_config);
	struct amtsca_xdp_config cfg;
	__u32 zero = 0;

	if (bpf_map_lookup_elem(fd, &zero, &cfg))
		return -errno;
	edit(&cfg, arg);
	return bpf_map_update_elem(fd, &zero, &cfg, BPF_ANY) ? -errno : 0;
}

static void xdp_edit_counts(struct amtsca_xdp_config *cfg, const void *arg)
{
	const __u32 *counts = arg;

	cfg->v4_prefixes = counts[0];
	cfg->v6_prefixes = counts[1];
}

/* Make the per-family prefix counts match the tries. */
static int xdp_sync_prefix_counts(struct xdp_backend *b)
{
	struct amtsca_lpm_v6 *keys = calloc(AMTSCA_ALLOW_MAX, sizeof(*keys));
	__u32 counts[2];
	int err;

	if (!keys)
		return -ENOMEM;
	counts[0] =
		xdp_lpm_keys(bpf_map__fd(b->skel->maps.amtsca_allow_v4), keys);
	counts[1] =
		xdp_lpm_keys(bpf_map__fd(b->skel->maps.amtsca_allow_v6), keys);
	free(keys);
	err = xdp_config_edit(b, xdp_edit_counts, counts);
	return err;
}

static int xdp_prefix_put(struct xdp_backend *b, const struct config_prefix *p)
{
	struct amtsca_lpm_v6 key;
	__u8 one = 1;
	int fd = xdp_lpm_key(b, p, &key);

	if (fd < 0)
		return fd;
	return bpf_map_update_elem(fd, &key, &one, BPF_ANY) ? -errno : 0;
}

int xdp_backend_prefix_add(struct xdp_backend *b, const struct config_prefix *p)
{
	int err = xdp_prefix_put(b, p);

	return err ?: xdp_sync_prefix_counts(b);
}

int xdp_backend_prefix_remove(struct xdp_backend *b,
			      const struct config_prefix *p)
{
	struct amtsca_lpm_v6 key;
	int fd = xdp_lpm_key(b, p, &key);

	if (fd < 0)
		return fd;
	if (bpf_map_delete_elem(fd, &key))
		return -errno;
	return xdp_sync_prefix_counts(b);
}

static bool xdp_prefix_listed(const struct amtsca_lpm_v6 *key, int family,
			      const struct config_prefix *list, unsigned int n)
{
	int alen = family == AF_INET ? 4 : 16;
	unsigned int i;

	for (i = 0; i < n; i++)
		if (list[i].family == family && list[i].len == key->prefixlen &&
		    !memcmp(list[i].addr, key->addr, alen))
			return true;
	return false;
}

int xdp_backend_set_prefixes(struct xdp_backend *b,
			     const struct config_prefix *list, unsigned int n)
{
	static const int families[] = { AF_INET, AF_INET6 };
	struct amtsca_lpm_v6 *keys;
	unsigned int i;
	int f, k, nkeys, fd, err = 0;

	for (i = 0; i < n && !err; i++)
		err = xdp_prefix_put(b, &list[i]);
	keys = calloc(AMTSCA_ALLOW_MAX, sizeof(*keys));
	if (!err && !keys)
		err = -ENOMEM;
	for (f = 0; f < 2 && !err; f++) {
		fd = bpf_map__fd(families[f] == AF_INET ?
					 b->skel->maps.amtsca_allow_v4 :
					 b->skel->maps.amtsca_allow_v6);
		nkeys = xdp_lpm_keys(fd, keys);
		for (k = 0; k < nkeys; k++)
			if (!xdp_prefix_listed(&keys[k], families[f], list, n))
				bpf_map_delete_elem(fd, &keys[k]);
	}
	free(keys);
	return err ?: xdp_sync_prefix_counts(b);
}

static void xdp_edit_rates(struct amtsca_xdp_config *cfg, const void *arg)
{
	const struct xdp_rates *r = arg;

	cfg->syn_rate = r->syn_rate;
	cfg->syn_burst = r->syn_burst;
	cfg->data_rate = r->data_rate;
	cfg->data_burst = r->data_burst;
}

int xdp_backend_set_rates(struct xdp_backend *b, const struct xdp_rates *r)
{
	return xdp_config_edit(b, xdp_edit_rates, r);
}

int xdp_backend_get_config(struct xdp_backend *b, struct amtsca_xdp_config *cfg)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(bpf_map__fd(b->skel->maps.amtsca_config),
				   &zero, cfg) ?
		       -errno :
		       0;
}

int xdp_backend_read_counters(struct xdp_backend *b,
			      struct amtsca_counters *sum)
{
	/* Per-CPU values come in 8-byte aligned slots, one per possible CPU. */
	_Static_assert(sizeof(*sum) % sizeof(__u64) == 0,
		       "amtsca_counters holds only __u64 fields");
	const size_t nfields = sizeof(*sum) / sizeof(__u64);
	int ncpu = libbpf_num_possible_cpus();
	__u64 *vals, *out = (__u64 *)sum;
	__u32 zero = 0;
	size_t i;
	int cpu;

	if (ncpu < 1)
		return ncpu < 0 ? ncpu : -EINVAL;
	vals = calloc(ncpu, sizeof(*sum));
	if (!vals)
		return -ENOMEM;
	if (bpf_map_lookup_elem(bpf_map__fd(b->skel->maps.amtsca_counters),
				&zero, vals)) {
		free(vals);
		return -errno;
	}
	memset(sum, 0, sizeof(*sum));
	for (cpu = 0; cpu < ncpu; cpu++)
		for (i = 0; i < nfields; i++)
			out[i] += vals[cpu * nfields + i];
	free(vals);
	return 0;
}
