// SPDX-License-Identifier: GPL-2.0-only
/*
 * amtscad: turns Hellos into provisioned devices. The main thread owns the
 * epoll loop of the Hello backend and signals (signalfd) and feeds the
 * intake; the worker pool (workers.c) runs the provisioning sessions.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "backend_kmod.h"
#include "backend_socket.h"
#include "backend_xdp.h"
#include "config.h"
#include "confine.h"
#include "control.h"
#include "daemon_config.h"
#include "daemon_metrics.h"
#include "intake.h"
#include "log.h"
#include "options.h"
#include "session.h"
#include "session_tls.h"
#include "store.h"
#include "workers.h"

struct daemon {
	const struct options *opt;
	struct amtsca_config cfg;
	struct store *st; /* main thread's connection (intake) */
	struct intake *in;
	struct pool *pool;
	struct pool_stats final; /* counters once the pool has stopped */
	struct session_env env;
	enum backend_kind backend;
	time_t started_at;
	struct backend_xdp *xdp; /* for the control socket's BPF counters */
	struct daemon_metrics metrics;
	bool have_metrics;
};

static int signals_open(int epfd)
{
	struct epoll_event ev = { .events = EPOLLIN };
	sigset_t set;
	int fd;

	/*
	 * A device that closes its connection while a worker writes to it
	 * (OpenSSL writes with write(2)) must cost that session, not the
	 * daemon: SIGPIPE's default action killed amtscad.
	 */
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		return -1;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -1;
	fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0)
		return -1;
	ev.data.fd = fd;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev)) {
		close(fd);
		return -1;
	}
	return fd;
}

static void log_stats(struct daemon *d)
{
	struct intake_stats st;
	struct pool_stats ps = d->final;

	intake_get_stats(d->in, &st);
	if (d->pool)
		pool_get_stats(d->pool, &ps);
	log_event(LOG_LVL_INFO, "stats",
		  "accepted=%llu duplicate=%llu invalid=%llu resumed=%llu"
		  " queued=%zu active=%zu inflight=%u done=%llu failed=%llu"
		  " parked=%llu",
		  st.accepted, st.duplicate, st.invalid, st.resumed, st.queued,
		  st.active, ps.inflight, ps.done, ps.failed, ps.parked);
}

/* Returns false when the daemon should stop. */
static bool handle_signals(int sfd, struct daemon *d)
{
	struct signalfd_siginfo si;

	while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			log_event(LOG_LVL_INFO, "shutdown", "signal=%s",
				  strsignal(si.ssi_signo));
			return false;
		case SIGHUP:
			daemon_config_reload(d->opt, &d->cfg, d->xdp);
			break;
		case SIGUSR1:
			log_stats(d);
			break;
		}
	}
	return true;
}

/* The daemon's privileged start-up is over: drop privileges, sandbox. */
static int confine(const struct amtsca_config *cfg)
{
	char msg[320];

	if (confine_apply(cfg, msg, sizeof(msg))) {
		log_event(LOG_LVL_ERR, "confine_failed", "error=\"%s\"", msg);
		return -1;
	}
	log_event(LOG_LVL_INFO, "confined", "%s capabilities=%s seccomp=%s",
		  msg, cfg->security_capabilities, cfg->security_seccomp);
	return 0;
}

/* The Hello backends behind one interface for the loop. */
struct backends {
	struct backend_socket *bs;
	struct kmod_backend *kb;
	struct backend_xdp *xb;
};

static bool backend_open(struct backends *b, enum backend_kind kind,
			 const struct options *opt,
			 const struct amtsca_config *cfg, int epfd,
			 struct intake *in)
{
	switch (kind) {
	case BACKEND_SOCKET:
		b->bs = backend_socket_open(epfd, opt->listen_addr, opt->port,
					    opt->hello_timeout_ms,
					    config_hello_flags(cfg),
					    intake_hello, in);
		if (!b->bs)
			log_event(LOG_LVL_ERR, "listen_failed",
				  "addr=%s port=%u error=\"%s\"",
				  opt->listen_addr, opt->port, strerror(errno));
		return b->bs;
	case BACKEND_KMOD:
		b->kb = backend_kmod_open(epfd, opt->port,
					  opt->hello_timeout_ms,
					  config_hello_flags(cfg), intake_hello,
					  in);
		return b->kb;
	case BACKEND_XDP:
		b->xb = backend_xdp_open(epfd, opt, cfg, intake_hello, in);
		return b->xb;
	}
	return false;
}

static void backend_dispatch(struct backends *b, int fd)
{
	if (b->xb && backend_xdp_handle(b->xb, fd))
		return;
	if (b->kb && fd == kmod_backend_fd(b->kb))
		kmod_backend_receive(b->kb);
	else if (b->bs)
		backend_socket_handle(b->bs, fd);
}

/*
 * The backends' events of one wake-up are one intake batch: the intake
 * records the Hellos of its batches together, one transaction at most
 * every few ms, and the workers get them once it has committed
 * (intake.h). A Hello that is not recorded is not lost: its device is
 * still in Setup Mode and says it again.
 */
static void backend_dispatch_all(struct daemon *d, struct backends *b,
				 const struct epoll_event *evs, int n,
				 const int *skip, int nskip)
{
	int i, k;

	/* Also after a time-out: the batch ends in the intake's commit. */
	intake_batch_begin(d->in);
	for (i = 0; i < n; i++) {
		for (k = 0; k < nskip && evs[i].data.fd != skip[k]; k++)
			;
		if (k == nskip)
			backend_dispatch(b, evs[i].data.fd);
	}
	if (b->xb)
		backend_xdp_poll(b->xb);
	intake_batch_end(d->in);
}

static int sooner(int a, int b)
{
	return a < 0 || (b >= 0 && b < a) ? b : a;
}

/* The socket backend's deadlines, the XDP ring's next read, the commit. */
static int loop_timeout(struct backends *b, struct intake *in)
{
	int t = b->bs ? backend_socket_expire(b->bs) : -1;

	if (b->xb)
		t = sooner(t, backend_xdp_timeout(b->xb));
	return sooner(t, intake_timeout_ms(in));
}

/*
 * Stop taking Hellos. The XDP backend stays until the sessions are done:
 * they write device states through it, and its pinned ring keeps what
 * arrives meanwhile for the next start.
 */
static void backend_stop_intake(struct backends *b)
{
	backend_socket_close(b->bs);
	if (b->kb)
		kmod_backend_close(b->kb);
	b->bs = NULL;
	b->kb = NULL;
}

static void backend_close(struct backends *b)
{
	backend_stop_intake(b);
	backend_xdp_close(b->xb);
	b->xb = NULL;
}

/* Session and intake device states go to the BPF device-state map. */
static void xdp_state_hook(void *ctx, const __u8 uuid[16],
			   enum amtsca_dev_state state, __u64 expires_ns)
{
	backend_xdp_set_device_state(ctx, uuid, state, expires_ns);
}

static void xdp_states_hook(void *ctx, const __u8 (*uuids)[16], size_t n,
			    enum amtsca_dev_state state, __u64 expires_ns)
{
	backend_xdp_set_device_states(ctx, uuids, n, state, expires_ns);
}

/* Control socket (helper D): counters for amtscactl status/stats. */
static void control_stats(void *ctx, struct daemon_stats *out)
{
	struct daemon *d = ctx;
	struct intake_stats st;
	struct pool_stats ps = { 0 };

	intake_get_stats(d->in, &st);
	if (d->pool)
		pool_get_stats(d->pool, &ps);
	out->backend = backend_name(d->backend);
	out->started_at = d->started_at;
	out->hellos_accepted = st.accepted;
	out->hellos_duplicate = st.duplicate;
	out->hellos_invalid = st.invalid;
	out->queued = st.queued;
	out->sessions_inflight = ps.inflight;
	out->sessions_done = ps.done;
	out->sessions_failed = ps.failed;
}

static int control_bpf_counters(void *ctx, struct amtsca_counters *sum)
{
	struct daemon *d = ctx;

	return d->xdp ? backend_xdp_read_counters(d->xdp, sum) : -1;
}

/* A scrape of /metrics: refresh the gauges from the loop's view, answer. */
static void metrics_scrape(struct daemon *d)
{
	struct daemon_metrics_snapshot snap = { .st = d->st };
	struct amtsca_counters sum;
	struct intake_stats st;
	struct pool_stats ps = { 0 };

	intake_get_stats(d->in, &st);
	if (d->pool)
		pool_get_stats(d->pool, &ps);
	snap.accepted = st.accepted;
	snap.duplicate = st.duplicate;
	snap.queued = st.queued;
	snap.inflight = ps.inflight;
	snap.done = ps.done;
	snap.failed = ps.failed;
	snap.parked = ps.parked;
	if (d->xdp && backend_xdp_read_counters(d->xdp, &sum) == 0)
		snap.xdp = &sum;
	daemon_metrics_dispatch(&d->metrics, &snap);
}

/* Prometheus text on metrics.listen; the daemon runs on without it. */
static int metrics_open(struct daemon *d, int epfd)
{
	struct epoll_event ev = { .events = EPOLLIN };
	char err[256];

	if (daemon_metrics_open(&d->metrics, d->cfg.metrics_listen, err,
				sizeof(err))) {
		log_event(LOG_LVL_WARN, "metrics_unavailable", "error=\"%s\"",
			  err);
		return -1;
	}
	d->have_metrics = true;
	d->env.metrics = &d->metrics.am;
	ev.data.fd = daemon_metrics_fd(&d->metrics);
	if (ev.data.fd >= 0)
		epoll_ctl(epfd, EPOLL_CTL_ADD, ev.data.fd, &ev);
	return ev.data.fd;
}

static int control_cert_installed(void *ctx, const char *file)
{
	struct daemon *d = ctx;

	return cert_set_add(d->env.certs, file);
}

static struct control_server *control_open(struct daemon *d, int epfd)
{
	static const struct control_handlers h = {
		.get_stats = control_stats,
		.get_bpf_counters = control_bpf_counters,
		.cert_installed = control_cert_installed,
	};
	const struct amtsca_config *cfg = &d->cfg;
	const struct control_config ccfg = {
		.socket_path = cfg->control_socket,
		.group = cfg->control_group,
		.db_path = cfg->db_path,
		.key_file = cfg->key_file,
		.certs_dir = cfg->certs_dir,
		.hostname_prefix = cfg->hostname_prefix,
		.domain = cfg->domain,
	};
	struct epoll_event ev = { .events = EPOLLIN };
	struct control_server *cs;
	char err[256];

	cs = control_server_open(&ccfg, &h, d, err, sizeof(err));
	if (!cs) {
		log_event(LOG_LVL_ERR, "control_unavailable", "error=\"%s\"",
			  err);
		return NULL;
	}
	ev.data.fd = control_server_fd(cs);
	epoll_ctl(epfd, EPOLL_CTL_ADD, ev.data.fd, &ev);
	return cs;
}

static int run(const struct options *opt, struct daemon *d)
{
	struct control_server *ctl = NULL;
	struct backends b = { 0 };
	struct epoll_event evs[64];
	int epfd, sfd, n, i, resumed, own[3], mfd;
	bool running = true;

	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (epfd < 0)
		return -1;
	sfd = signals_open(epfd);
	if (sfd < 0) {
		close(epfd);
		return -1;
	}
	if (!backend_open(&b, opt->backend, opt, &d->cfg, epfd, d->in))
		goto out;
	if (b.xb)
		d->env.hook = (struct device_state_hook){
			.set = xdp_state_hook,
			.ctx = b.xb,
			.set_many = xdp_states_hook,
		};
	d->xdp = b.xb;
	/*
	 * Files and the control socket are opened while privileged; then
	 * confine, and only then start the worker threads, which inherit
	 * the dropped credentials and the seccomp filter.
	 */
	d->pool = pool_new(&d->env, d->in, d->cfg.workers, d->cfg.max_inflight);
	if (!d->pool)
		goto out;
	ctl = control_open(d, epfd);
	mfd = metrics_open(d, epfd);
	if (confine(&d->cfg) || (!opt->intake_only && pool_run(d->pool)))
		goto out;
	intake_set_wake(d->in, pool_wake, d->pool);
	resumed = intake_resume(d->in);
	log_event(LOG_LVL_INFO, "started",
		  "backend=%s addr=%s port=%u resumed=%d pki_certs=%zu "
		  "sessions=%s",
		  backend_name(opt->backend), opt->listen_addr, opt->port,
		  resumed, cert_set_count(d->env.certs),
		  opt->intake_only ? "off" : "on");
	own[0] = sfd;
	own[1] = ctl ? control_server_fd(ctl) : -1;
	own[2] = mfd;
	while (running) {
		n = epoll_wait(epfd, evs, 64, loop_timeout(&b, d->in));
		if (n < 0 && errno != EINTR)
			break;
		for (i = 0; i < n; i++) {
			if (evs[i].data.fd == sfd)
				running = handle_signals(sfd, d);
			else if (ctl &&
				 evs[i].data.fd == control_server_fd(ctl))
				control_server_dispatch(ctl);
			else if (mfd >= 0 && evs[i].data.fd == mfd)
				metrics_scrape(d);
		}
		backend_dispatch_all(d, &b, evs, n, own, 3);
	}
	intake_flush(d->in);
	/* Stop taking Hellos first, then drain the sessions. */
	backend_stop_intake(&b);
	pool_stop(d->pool, d->cfg.drain_timeout_ms, &d->final);
	d->pool = NULL;
	log_stats(d);
out:
	pool_stop(d->pool, 0, NULL);
	d->pool = NULL;
	control_server_close(ctl);
	if (d->have_metrics)
		daemon_metrics_close(&d->metrics);
	d->env.metrics = NULL;
	backend_close(&b);
	d->xdp = NULL;
	close(sfd);
	close(epfd);
	return running ? -1 : 0;
}

static int tls_version(const char *v)
{
	return !strcmp(v, "1.0") ? TLS1_VERSION :
	       !strcmp(v, "1.1") ? TLS1_1_VERSION :
				   TLS1_2_VERSION;
}

static SSL_CTX *pki_ctx(const char *path, void *arg)
{
	const struct amtsca_config *cfg = arg;
	SSL_CTX *ctx =
		session_tls_ctx_pki(path, path, TLS1_2_VERSION, TLS1_2_VERSION);

	if (ctx && !SSL_CTX_set_cipher_list(ctx, cfg->pki_ciphers)) {
		SSL_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

/* TLS contexts: one for every PSK session, one per PKI chain. */
static int tls_setup(struct daemon *d)
{
	const struct amtsca_config *cfg = &d->cfg;
	char ciphers[CONFIG_PATH_MAX + 16];
	int min = tls_version(cfg->psk_min_tls);

	/* OpenSSL 3 refuses TLS 1.0/1.1 and PSK suites above level 0. */
	snprintf(ciphers, sizeof(ciphers), "%s%s", cfg->psk_ciphers,
		 strstr(cfg->psk_ciphers, "@SECLEVEL") ? "" : ":@SECLEVEL=0");
	d->env.psk_ctx = session_tls_ctx_psk(ciphers, min,
					     tls_version(cfg->psk_max_tls));
	if (!d->env.psk_ctx) {
		fprintf(stderr, "amtscad: session.psk_ciphers/psk_*_tls: "
				"OpenSSL refused them\n");
		return -1;
	}
	d->env.certs = cert_set_load(cfg->certs_dir, pki_ctx, (void *)cfg);
	return d->env.certs ? 0 : -1;
}

/*
 * Every session in flight holds a socket and every Hello connection of the
 * socket backend one more: the default soft limit of 1,024 descriptors
 * stalls a large fleet, so take the hard limit.
 */
static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl))
			log_event(LOG_LVL_WARN, "fd_limit", "error=\"%s\"",
				  strerror(errno));
	}
}

int main(int argc, char **argv)
{
	struct daemon d = { 0 };
	struct options opt;
	char err[512];
	int rc = 1;

	if (options_parse(&opt, argc, argv))
		return 2;
	if (daemon_config_read(&opt, &d.cfg, err, sizeof(err))) {
		fprintf(stderr, "amtscad: %s\n", err);
		return 2;
	}
	d.opt = &opt;
	if (opt.verbose)
		log_set_level(LOG_LVL_DEBUG);
	raise_fd_limit();
	if (!opt.backend_given && !strcmp(d.cfg.backend, "kmod"))
		opt.backend = BACKEND_KMOD;
	if (!opt.port_given)
		opt.port = d.cfg.port;
	d.backend = opt.backend;
	d.started_at = time(NULL);
	d.env.cfg = &d.cfg;
	d.env.psk_sha256 = !strcmp(d.cfg.psk_key_derivation, "sha256");
	if (tls_setup(&d))
		goto out;
	d.st = store_open(d.cfg.db_path, d.cfg.key_file, err, sizeof(err));
	if (!d.st) {
		fprintf(stderr, "amtscad: %s\n", err);
		goto out;
	}
	d.in = intake_new(d.st, &d.env.hook, d.cfg.state_expiry_s,
			  config_hello_flags(&d.cfg));
	if (d.in && run(&opt, &d) == 0)
		rc = 0;
out:
	intake_free(d.in);
	store_close(d.st);
	SSL_CTX_free(d.env.psk_ctx);
	cert_set_free(d.env.certs);
	return rc;
}
