// SPDX-License-Identifier: GPL-2.0-only
/*
 * amtsim: a fleet of simulated Intel AMT devices in Setup Mode, in one
 * event-driven process, or split among --workers processes (workers.c;
 * docs/amtsim.md). Each device has its own address,
 * UUID and credentials, sends Hellos to the SCA on its schedule and serves
 * TLS + Digest + WS-Man on port 16993 of its address until provisioned.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "device_model.h"
#include "fleet.h"
#include "model_glue.h"
#include "net_addrs.h"
#include "sca_locate.h"
#include "workers.h"

#define EVENTS_PER_WAIT 256
#define SWEEP_INTERVAL_MS 100

static volatile sig_atomic_t stop_signal;
/* Listening sockets on the device port, one per worker and family. */
static struct sim_listeners listeners4, listeners6;

static void on_signal(int sig)
{
	stop_signal = sig;
}

/* ADDR[:PORT], [V6]:PORT or V6 into f->sca. */
static int parse_sca(struct sim_fleet *f, const char *arg)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *port = NULL, *colon = strrchr(arg, ':');
	struct sca_locate_config cfg;
	char err[256];
	size_t n;

	sca_locate_defaults(&cfg);
	if (arg[0] == '[') {
		const char *end = strchr(arg, ']');

		if (!end || (end[1] && end[1] != ':'))
			goto bad;
		n = (size_t)(end - arg - 1);
		port = end[1] ? end + 2 : NULL;
		arg++;
	} else if (colon && strchr(arg, ':') == colon) {
		n = (size_t)(colon - arg);
		port = colon + 1;
	} else {
		n = strlen(arg);
	}
	if (n >= sizeof(host) || n >= sizeof(cfg.static_address))
		goto bad;
	memcpy(cfg.static_address, arg, n);
	cfg.static_address[n] = '\0';
	if (port) {
		char *end;
		unsigned long p = strtoul(port, &end, 10);

		if (!*port || *end || !p || p > 65535)
			goto bad;
		cfg.port = (uint16_t)p;
	}
	cfg.dns = false;
	if (sca_locate_resolve(&cfg, AF_UNSPEC, &f->sca, &f->sca_len, NULL, err,
			       sizeof(err)))
		goto bad;
	return 0;
bad:
	fprintf(stderr,
		"amtsim: --sca '%s': want ADDR[:PORT] with an IP address\n",
		arg);
	return -1;
}

static int locate_sca(struct sim_fleet *f)
{
	struct sca_locate_config cfg;
	char err[512], chosen[SCA_NAME_MAX];

	if (f->opt->sca)
		return parse_sca(f, f->opt->sca);
	if (sca_locate_load(f->opt->resolver_config, &cfg, err, sizeof(err)) ||
	    sca_locate_resolve(&cfg, f->opt->has_addr6 ? AF_UNSPEC : AF_INET,
			       &f->sca, &f->sca_len, chosen, err,
			       sizeof(err))) {
		fprintf(stderr, "amtsim: locating the SCA: %s\n", err);
		return -1;
	}
	if (f->opt->verbose)
		fprintf(stderr, "amtsim: SCA located as %s\n", chosen);
	return 0;
}

/* Hellos go out from the device address of the SCA's family. */
static int check_sca_family(const struct sim_fleet *f)
{
	if (f->sca.ss_family == AF_INET6 && !f->opt->has_addr6) {
		fprintf(stderr,
			"amtsim: the SCA address is IPv6: give --addr6-base\n");
		return -1;
	}
	return 0;
}

static void raise_nofile(uint32_t devices)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return;
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_cur < (rlim_t)devices * 2 + 64)
		fprintf(stderr,
			"amtsim: warning: only %llu file descriptors for %u devices\n",
			(unsigned long long)rl.rlim_cur, devices);
}

static int make_devices(struct sim_fleet *f)
{
	const struct sim_options *o = f->opt;
	uint32_t i;

	f->n = o->devices;
	f->dev = sim_shared_calloc(f->n, sizeof(*f->dev));
	/* One large zeroed block: pages a model never uses stay untouched. */
	f->models = sim_shared_calloc(f->n, sizeof(*f->models));
	f->heap = calloc(f->n, sizeof(*f->heap));
	if (!f->dev || !f->models || !f->heap) {
		fprintf(stderr, "amtsim: out of memory for %u devices\n", f->n);
		return -1;
	}
	for (i = 0; i < f->n; i++) {
		struct sim_device *d = &f->dev[i];

		d->index = i;
		d->heap_pos = SIM_NOT_QUEUED;
		d->timer_ms = UINT64_MAX;
		d->model = &f->models[i];
		d->pki = o->mode == SIM_MODE_PKI ||
			 (o->mode == SIM_MODE_MIXED && i % 2);
		if (sim_creds_derive(o->seed, i, &d->creds) ||
		    sim_model_init(f, d)) {
			fprintf(stderr,
				"amtsim: device %u: cannot initialise\n", i);
			return -1;
		}
		if (sim_model_knobs(f, d))
			return -1;
		/* --fault-clock: 1 to 48 hours fast or slow. */
		if (sim_chance(f, o->faults.clock)) {
			long long off =
				3600 + (long long)(sim_random(f) % (47 * 3600));

			d->model->clock_offset_s = sim_random(f) & 1 ? off :
								       -off;
		}
	}
	return 0;
}

/* One listener per worker, sharing the port with SO_REUSEPORT if more. */
static int listen_on(struct sim_fleet *f, struct sim_listeners *ls, int family)
{
	struct sockaddr_storage ss = { .ss_family = (sa_family_t)family };
	socklen_t len = sizeof(struct sockaddr_in);
	unsigned int n = sim_workers_count(f);
	struct sim_listener *l;
	int one = 1;

	if (family == AF_INET6) {
		((struct sockaddr_in6 *)&ss)->sin6_port =
			htons(f->opt->listen_port);
		len = sizeof(struct sockaddr_in6);
	} else {
		((struct sockaddr_in *)&ss)->sin_port =
			htons(f->opt->listen_port);
	}
	/*
	 * In order: a listener's index in the SO_REUSEPORT group is the order
	 * of listen(), which sim_workers_steer counts on.
	 */
	for (ls->n = 0; ls->n < n; ls->n++) {
		l = &ls->l[ls->n];
		l->kind = SIM_LISTENER;
		l->fd = socket(family,
			       SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (l->fd < 0 ||
		    setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &one,
			       sizeof(one)) ||
		    (n > 1 && setsockopt(l->fd, SOL_SOCKET, SO_REUSEPORT, &one,
					 sizeof(one))) ||
		    (family == AF_INET6 &&
		     setsockopt(l->fd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
				sizeof(one))) ||
		    bind(l->fd, (struct sockaddr *)&ss, len) ||
		    listen(l->fd, 4096)) {
			fprintf(stderr, "amtsim: listening on port %u: %s\n",
				f->opt->listen_port, strerror(errno));
			if (l->fd >= 0)
				close(l->fd);
			return -1;
		}
	}
	return sim_workers_steer(f, ls, family);
}

static void close_listeners(struct sim_listeners *ls)
{
	unsigned int i;

	for (i = 0; i < ls->n; i++)
		close(ls->l[i].fd);
	ls->n = 0;
}

static void dispatch(struct sim_fleet *f, struct epoll_event *ev)
{
	enum sim_conn_kind kind = *(enum sim_conn_kind *)ev->data.ptr;

	if (kind == SIM_LISTENER)
		sim_server_accept(f, ev->data.ptr);
	else if (kind == SIM_HELLO)
		sim_hello_event(f, ev->data.ptr, ev->events);
	else
		sim_server_event(f, ev->data.ptr, ev->events);
}

/* On a terminal: one line, redrawn each second, of the fleet's progress. */
static void show_progress(const struct sim_fleet *f, uint64_t elapsed_ms)
{
	fprintf(stderr, "\ramtsim: %llus operational %u/%u, gave up %u",
		(unsigned long long)(elapsed_ms / 1000), f->operational, f->n,
		f->done - f->operational);
}

static void run(struct sim_fleet *f)
{
	const struct sim_options *o = f->opt;
	struct epoll_event evs[EVENTS_PER_WAIT];
	uint64_t start = sim_now_ms(), last_sweep = start, all_done_at = 0;
	uint64_t last_progress = start;
	/* Workers would overwrite each other's line. */
	bool progress = isatty(STDERR_FILENO) && f->hi - f->lo == f->n;
	struct sim_device *d;
	int n, i;

	for (;;) {
		uint64_t now = sim_now_ms();

		if (stop_signal)
			return;
		if (o->duration_s > 0 && now - start >= o->duration_s * 1000)
			return;
		if (f->done == f->hi - f->lo && !all_done_at)
			all_done_at = now;
		if (all_done_at && now - all_done_at >= o->linger_s * 1000)
			return;
		n = epoll_wait(f->epfd, evs, EVENTS_PER_WAIT,
			       sim_timer_wait_ms(f, now, SWEEP_INTERVAL_MS));
		for (i = 0; i < n; i++)
			dispatch(f, &evs[i]);
		now = sim_now_ms();
		while ((d = sim_timer_due(f, now)))
			sim_hello_timer(f, d, now);
		if (now - last_sweep >= SWEEP_INTERVAL_MS) {
			sim_conn_expire(f, now);
			last_sweep = now;
		}
		if (progress && now - last_progress >= 1000) {
			show_progress(f, now - start);
			last_progress = now;
		}
	}
}

/*
 * Worker w's event loop over its devices [f->lo, f->hi): its listeners,
 * its first Hellos on the fleet's spread, until done or stopped.
 */
static int simulate(struct sim_fleet *f, unsigned int w)
{
	uint64_t start = sim_now_ms(),
		 spread = sim_scaled_ms(f, f->opt->hello_spread_s);
	struct sim_listener *ls[2] = {
		&listeners4.l[w],
		listeners6.n ? &listeners6.l[w] : NULL,
	};
	uint32_t i;

	f->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (f->epfd < 0) {
		fprintf(stderr, "amtsim: epoll: %s\n", strerror(errno));
		return -1;
	}
	for (i = 0; i < 2; i++) {
		struct epoll_event ev = { .events = EPOLLIN,
					  .data.ptr = ls[i] };

		if (ls[i] &&
		    epoll_ctl(f->epfd, EPOLL_CTL_ADD, ls[i]->fd, &ev)) {
			fprintf(stderr, "amtsim: epoll: %s\n", strerror(errno));
			return -1;
		}
	}
	for (i = f->lo; i < f->hi; i++)
		sim_hello_start(f, &f->dev[i], start + spread * i / f->n);
	run(f);
	return 0;
}

static void free_fleet(struct sim_fleet *f)
{
	uint32_t i;

	while (f->conns)
		sim_conn_close(f, f->conns, false);
	for (i = 0; f->dev && i < f->n; i++)
		X509_free(f->dev[i].cert);
	sim_shared_free(f->dev, f->n, sizeof(*f->dev));
	sim_shared_free(f->models, f->n, sizeof(*f->models));
	free(f->heap);
	sim_tls_free(f);
	if (f->epfd >= 0)
		close(f->epfd);
}

static int write_state(const struct sim_fleet *f, const char *path)
{
	FILE *out = fopen(path, "w");
	uint32_t i;
	int err = !out;

	if (out) {
		err |= fputs("{\"devices\":[", out) == EOF;
		for (i = 0; i < f->n && !err; i++) {
			err |= i && fputc(',', out) == EOF;
			err |= sim_model_json(&f->dev[i], out) != 0;
		}
		err |= fprintf(out, "],\"operational\":%u,\"total\":%u}\n",
			       f->operational, f->n) < 0;
		err |= fclose(out) != 0;
	}
	if (err)
		fprintf(stderr, "amtsim: writing %s: %s\n", path,
			strerror(errno));
	return err ? -1 : 0;
}

static int write_creds(const struct sim_options *o)
{
	FILE *out = fopen(o->creds_out, "w");
	int err = !out;

	if (out) {
		err |= sim_creds_write_csv(out, o->seed, o->devices) != 0;
		err |= fclose(out) != 0;
	}
	if (err)
		fprintf(stderr, "amtsim: writing %s: %s\n", o->creds_out,
			strerror(errno));
	return err ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct sim_options o;
	struct sim_fleet f = { .opt = &o, .epfd = -1 };
	struct sim_net_addrs *addrs = NULL;
	struct sigaction sa = { .sa_handler = on_signal };
	struct timespec t0, t1;
	int rc = 1;

	if (sim_options_parse(argc, argv, &o))
		return 2;
	if (o.creds_out && write_creds(&o))
		return 1;
	if (o.creds_only)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	signal(SIGPIPE, SIG_IGN);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	f.rng = o.seed * 0x9e3779b97f4a7c15ULL + 1;
	raise_nofile(o.devices);
	if (locate_sca(&f) || check_sca_family(&f) || sim_tls_init(&f) ||
	    make_devices(&f) || sim_tls_device_certs(&f))
		goto out;
	if (o.add_addrs_ifname &&
	    !(addrs = sim_net_addrs_add(&f, o.add_addrs_ifname)))
		goto out;
	if (o.add_route_ifname &&
	    !(addrs = sim_net_routes_add(&f, o.add_route_ifname)))
		goto out;
	if (listen_on(&f, &listeners4, AF_INET) ||
	    (o.has_addr6 && listen_on(&f, &listeners6, AF_INET6)))
		goto out;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (o.verbose)
		fprintf(stderr, "amtsim: %u devices ready in %.3f s\n", f.n,
			(double)(t1.tv_sec - t0.tv_sec) +
				(double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	if (listeners4.n == 1) {
		f.hi = f.n;
		rc = simulate(&f, 0) ? 1 : 0;
	} else {
		rc = sim_workers_run(&f, simulate, &stop_signal) ? 1 : 0;
	}
	if (o.state_out && write_state(&f, o.state_out))
		rc = 1;
	if (isatty(STDERR_FILENO))
		fputc('\n', stderr); /* end the progress line */
	printf("operational %u/%u\n", f.operational, f.n);
out:
	sim_net_addrs_remove(addrs);
	close_listeners(&listeners4);
	close_listeners(&listeners6);
	free_fleet(&f);
	return rc;
}
