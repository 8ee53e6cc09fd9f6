// SPDX-License-Identifier: GPL-2.0-only
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <amtsca/device_state.h>

#include <netlink/errno.h>

#include "backend_xdp.h"
#include "config.h"
#include "link_watch.h"
#include "log.h"
#include "monotonic.h"
#include "xdp_backend.h"

/*
 * After a read that found Hellos the ring is left alone this long: woken
 * by each Hello, the main loop spent more on the wake-up than on the
 * Hello, and read every 1 ms it still woke once a millisecond in
 * `make bench-ingest` (epoll_wait 8 % of its samples): 5 ms took the
 * daemon's CPU per XDP Hello from 5.6-6.8 to 4.9-5.3 us (3 alternating
 * runs each). A Hello then waits at most 5 ms in the ring before the
 * intake stages it; the ring is pinned, so a daemon that crashes loses
 * none of those: the next start reads them.
 * 5 ms of Hellos at 25,000/s is 125 records, far from filling the ring
 * (4 MiB by default: ~4,600 records of an 841-byte Hello, ~40,000 of a
 * PSK one).
 */
#define RING_PAUSE_MS 5

struct backend_xdp {
	struct xdp_backend *xb;
	struct link_watch *lw;
	int epfd;
	bool ring_paused; /* out of the epoll set until ring_resume_ms */
	unsigned long long ring_resume_ms;
	enum xdp_attach_mode mode;
	hello_cb cb;
	void *ctx;
	unsigned int n_ifaces;
	struct {
		char name[IF_NAMESIZE];
		int ifindex; /* where our link is; 0 = not attached */
	} iface[CONFIG_XDP_MAX_IFACES];
};

/* The ring record of one Hello as a debug line. */
static void log_ring_record(const struct hello_event *ev)
{
	static const char hex[] = "0123456789abcdef";
	char addr[INET6_ADDRSTRLEN] = "?", uuid[33] = "-";
	const struct amt_hello_hdr *h = (const void *)ev->hello;
	int i;

	inet_ntop(ev->family, &ev->saddr, addr, sizeof(addr));
	if (ev->len >= sizeof(*h)) {
		for (i = 0; i < 16; i++) {
			uuid[2 * i] = hex[h->uuid[i] >> 4];
			uuid[2 * i + 1] = hex[h->uuid[i] & 15];
		}
		uuid[32] = '\0';
	}
	log_event(LOG_LVL_DEBUG, "xdp_hello",
		  "device=%s port=%u ifindex=%u vlan=%u uuid=%s len=%u", addr,
		  ev->sport, ev->ifindex, ev->vlan, uuid, ev->len);
}

/*
 * Ring-buffer Hello: the callback all backends share, which logs the
 * accepted ones (hello_queued). The record itself (port, interface, VLAN,
 * length) is a debug line: a second info line per Hello, its address and
 * UUID formatted again, was a tenth of the daemon's CPU per XDP Hello.
 */
static void backend_xdp_hello(const struct hello_event *ev, void *arg)
{
	struct backend_xdp *bx = arg;

	if (log_enabled(LOG_LVL_DEBUG))
		log_ring_record(ev);
	bx->cb(ev, bx->ctx);
}

/* link_watch report: (re)attach where the interface now is, or forget it. */
static void backend_xdp_link(const char *name, int ifindex, bool up, void *arg)
{
	struct backend_xdp *bx = arg;
	enum xdp_attach_mode used;
	char errbuf[256] = "";
	unsigned int i;

	for (i = 0; i < bx->n_ifaces && strcmp(bx->iface[i].name, name); i++)
		;
	if (i == bx->n_ifaces)
		return;
	if (bx->iface[i].ifindex && bx->iface[i].ifindex != ifindex) {
		xdp_backend_detach(bx->xb, bx->iface[i].ifindex);
		log_event(LOG_LVL_INFO, "xdp_detached", "if=%s ifindex=%d",
			  name, bx->iface[i].ifindex);
		bx->iface[i].ifindex = 0;
	}
	if (!ifindex) {
		log_event(LOG_LVL_WARN, "xdp_link_absent", "if=%s", name);
		return;
	}
	if (bx->iface[i].ifindex)
		return;
	if (xdp_backend_attach(bx->xb, ifindex, bx->mode, &used, errbuf,
			       sizeof(errbuf))) {
		log_event(LOG_LVL_ERR, "xdp_attach_failed",
			  "if=%s ifindex=%d up=%d error=\"%s\"", name, ifindex,
			  up, errbuf);
		return;
	}
	bx->iface[i].ifindex = ifindex;
	log_event(LOG_LVL_INFO, "xdp_attached",
		  "if=%s ifindex=%d up=%d mode=%s", name, ifindex, up,
		  xdp_attach_mode_name(used));
}

/* --interface replaces xdp.interfaces; at least one is needed. */
static int backend_xdp_interfaces(struct backend_xdp *bx,
				  const struct config_xdp *x,
				  const struct options *opt)
{
	unsigned int i, n = opt->n_interfaces ?
				    (unsigned int)opt->n_interfaces :
				    x->n_interfaces;

	if (!n) {
		log_event(
			LOG_LVL_ERR, "config_error",
			"error=\"no interface: --interface IF or xdp.interfaces\"");
		return -1;
	}
	for (i = 0; i < n; i++)
		snprintf(bx->iface[i].name, sizeof(bx->iface[i].name), "%s",
			 opt->n_interfaces ? opt->interfaces[i] :
					     x->interfaces[i]);
	bx->n_ifaces = n;
	return 0;
}

/*
 * The configured prefixes and rates replace what the pinned maps held
 * from a previous run: the configuration file is the truth.
 */
static int backend_xdp_runtime_config(struct backend_xdp *bx,
				      const struct config_xdp *x)
{
	struct xdp_rates r = {
		.syn_rate = x->syn_rate,
		.syn_burst = x->syn_burst,
		.data_rate = x->data_rate,
		.data_burst = x->data_burst,
	};
	struct amtsca_xdp_config c;
	int err;

	err = xdp_backend_set_prefixes(bx->xb, x->prefixes, x->n_prefixes);
	if (!err)
		err = xdp_backend_set_rates(bx->xb, &r);
	if (!err)
		err = xdp_backend_get_config(bx->xb, &c);
	if (err) {
		log_event(LOG_LVL_ERR, "xdp_config_failed", "error=\"%s\"",
			  strerror(-err));
		return err;
	}
	log_event(
		LOG_LVL_INFO, "xdp_config",
		"v4_prefixes=%u v6_prefixes=%u syn_rate=%u syn_burst=%u data_rate=%u data_burst=%u",
		c.v4_prefixes, c.v6_prefixes, c.syn_rate, c.syn_burst,
		c.data_rate, c.data_burst);
	return 0;
}

int backend_xdp_reconfigure(struct backend_xdp *bx, const struct config_xdp *x)
{
	return backend_xdp_runtime_config(bx, x);
}

static int epoll_add(int epfd, int fd, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.fd = fd };

	return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
}

/*
 * Read the ring (woken: the ring's fd was readable; else a paced read,
 * which the ring's wake-up counters leave out); pause its wake-ups while
 * reads find Hellos.
 */
static void ring_read(struct backend_xdp *bx, bool woken)
{
	struct epoll_event ev = { .data.fd = xdp_backend_fd(bx->xb) };
	int n = woken ? xdp_backend_consume(bx->xb) : xdp_backend_drain(bx->xb);

	if (n < 0)
		log_event(LOG_LVL_ERR, "xdp_ring_failed", "error=\"%s\"",
			  strerror(-n));
	if (n > 0)
		bx->ring_resume_ms = monotonic_ms() + RING_PAUSE_MS;
	if ((n > 0) == bx->ring_paused)
		return;
	ev.events = n > 0 ? 0 : EPOLLIN;
	if (epoll_ctl(bx->epfd, EPOLL_CTL_MOD, ev.data.fd, &ev) == 0)
		bx->ring_paused = n > 0;
}

struct backend_xdp *backend_xdp_open(int epfd, const struct options *opt,
				     const struct amtsca_config *cfg,
				     hello_cb cb, void *ctx)
{
	const struct config_xdp *x = &cfg->xdp;
	const char *names[CONFIG_XDP_MAX_IFACES];
	struct xdp_backend_opts xo = {
		.pin_path = x->pin_path,
		.port = opt->port,
		.mss = x->mss,
		.window = x->window,
		.hello_flags = config_hello_flags(cfg),
		.queued_ttl_ns = x->queued_ttl_s * 1000000000ull,
		.ring_bytes = x->ring_kib * 1024u,
		.next_prog = x->next_prog,
	};
	struct backend_xdp *bx = calloc(1, sizeof(*bx));
	char errbuf[512] = "";
	unsigned int i;
	int err;

	if (!bx || backend_xdp_interfaces(bx, x, opt))
		goto fail;
	bx->cb = cb;
	bx->ctx = ctx;
	bx->epfd = epfd;
	xdp_attach_mode_parse(x->mode, &bx->mode);
	err = xdp_backend_open(&bx->xb, &xo, backend_xdp_hello, bx, errbuf,
			       sizeof(errbuf));
	if (err) {
		log_event(LOG_LVL_ERR, "xdp_load_failed", "error=\"%s\"",
			  errbuf);
		goto fail;
	}
	log_event(
		LOG_LVL_INFO, "xdp_loaded",
		"pin_path=%s reused_maps=%d port=%u mss=%u mode=%s ring_kib=%u next_prog=%s",
		xo.pin_path, xdp_backend_reused_maps(bx->xb), xo.port, xo.mss,
		x->mode, x->ring_kib, x->next_prog[0] ? x->next_prog : "none");
	if (backend_xdp_runtime_config(bx, x))
		goto fail;
	for (i = 0; i < bx->n_ifaces; i++)
		names[i] = bx->iface[i].name;
	err = link_watch_new(&bx->lw, names, bx->n_ifaces, backend_xdp_link,
			     bx);
	if (err) {
		log_event(LOG_LVL_ERR, "link_watch_failed", "error=\"%s\"",
			  nl_geterror(err));
		goto fail;
	}
	if (epoll_add(epfd, xdp_backend_fd(bx->xb), EPOLLIN) ||
	    epoll_add(epfd, link_watch_fd(bx->lw), EPOLLIN)) {
		log_event(LOG_LVL_ERR, "epoll_failed", "error=\"%s\"",
			  strerror(errno));
		goto fail;
	}
	link_watch_scan(bx->lw);
	return bx;
fail:
	backend_xdp_close(bx);
	return NULL;
}

bool backend_xdp_handle(struct backend_xdp *bx, int fd)
{
	int err;

	if (fd == xdp_backend_fd(bx->xb)) {
		ring_read(bx, true);
		return true;
	}
	if (fd == link_watch_fd(bx->lw)) {
		err = link_watch_process(bx->lw);
		if (err)
			log_event(LOG_LVL_WARN, "link_watch_failed",
				  "error=\"%s\"", nl_geterror(err));
		return true;
	}
	return false;
}

int backend_xdp_timeout(struct backend_xdp *bx)
{
	unsigned long long now = monotonic_ms();

	if (!bx->ring_paused)
		return -1;
	return bx->ring_resume_ms > now ? (int)(bx->ring_resume_ms - now) : 0;
}

void backend_xdp_poll(struct backend_xdp *bx)
{
	if (bx->ring_paused && monotonic_ms() >= bx->ring_resume_ms)
		ring_read(bx, false);
}

void backend_xdp_set_device_state(struct backend_xdp *bx,
				  const uint8_t uuid[16],
				  enum amtsca_dev_state state,
				  uint64_t expires_ns)
{
	int err = xdp_backend_set_device_state(bx->xb, uuid, state, expires_ns);

	if (err)
		log_event(LOG_LVL_WARN, "xdp_state_failed",
			  "state=%d error=\"%s\"", state, strerror(-err));
}

void backend_xdp_set_device_states(struct backend_xdp *bx,
				   const uint8_t (*uuids)[16], size_t n,
				   enum amtsca_dev_state state,
				   uint64_t expires_ns)
{
	int err = xdp_backend_set_device_states(bx->xb, uuids, n, state,
						expires_ns);

	if (err)
		log_event(LOG_LVL_WARN, "xdp_state_failed",
			  "state=%d devices=%zu error=\"%s\"", state, n,
			  strerror(-err));
}

int backend_xdp_read_counters(struct backend_xdp *bx,
			      struct amtsca_counters *sum)
{
	return xdp_backend_read_counters(bx->xb, sum);
}

void backend_xdp_log_stats(struct backend_xdp *bx)
{
	struct amtsca_counters c;
	struct xdp_ring_stats rs;
	char line[512];
	size_t off = 0;
	unsigned int i;

	xdp_backend_ring_stats(bx->xb, &rs);
	if (xdp_backend_read_counters(bx->xb, &c))
		memset(&c, 0, sizeof(c));
	const struct {
		const char *name;
		uint64_t value;
	} f[] = {
		{ "wakeups", rs.wakeups },
		{ "empty_wakeups", rs.empty_wakeups },
		{ "records", rs.records },
		{ "bad_records", rs.bad_records },
		{ "syn_ack", c.syn_ack },
		{ "hello_event", c.hello_event },
		{ "suppressed", c.suppressed },
		{ "rst", c.rst },
		{ "ring_full", c.ring_full },
		{ "fin_unacked", c.fin_unacked },
		{ "bad_cookie", c.bad_cookie },
		{ "bad_csum", c.bad_csum },
		{ "not_allowed", c.not_allowed },
		{ "rate_syn", c.rate_syn },
		{ "rate_data", c.rate_data },
	};

	line[0] = '\0';
	for (i = 0; i < sizeof(f) / sizeof(f[0]) && off < sizeof(line); i++)
		off += snprintf(line + off, sizeof(line) - off, "%s%s=%llu",
				i ? " " : "", f[i].name,
				(unsigned long long)f[i].value);
	log_event(LOG_LVL_INFO, "xdp_stats", "%s", line);
}

void backend_xdp_close(struct backend_xdp *bx)
{
	unsigned int i;

	if (!bx)
		return;
	if (bx->xb) {
		/*
		 * Detach first, then read the ring once more: a Hello the
		 * program acknowledged after the loop's last read is
		 * recorded now, not left in the pinned ring for a next
		 * start that may never come.
		 */
		for (i = 0; i < bx->n_ifaces; i++)
			if (bx->iface[i].ifindex)
				xdp_backend_detach(bx->xb,
						   bx->iface[i].ifindex);
		xdp_backend_drain(bx->xb);
		backend_xdp_log_stats(bx);
	}
	link_watch_free(bx->lw);
	xdp_backend_close(bx->xb, false);
	free(bx);
}
