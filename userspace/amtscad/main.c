// SPDX-License-Identifier: GPL-2.0-only
/*
 * amtscad: turns Hellos into provisioned devices. This file owns the main
 * epoll loop: the Hello backend, signals (signalfd) and intake.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "backend_kmod.h"
#include "backend_socket.h"
#include "config.h"
#include "confine.h"
#include "intake.h"
#include "log.h"
#include "options.h"

static int signals_open(int epfd)
{
	struct epoll_event ev = { .events = EPOLLIN };
	sigset_t set;
	int fd;

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

static void log_stats(struct intake *in)
{
	struct intake_stats st;

	intake_get_stats(in, &st);
	log_event(LOG_LVL_INFO, "stats",
		  "accepted=%llu duplicate=%llu invalid=%llu queued=%zu",
		  st.accepted, st.duplicate, st.invalid, st.queued);
}

/* Returns false when the daemon should stop. */
static bool handle_signals(int sfd, struct intake *in)
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
			log_event(LOG_LVL_INFO, "reload", "signal=SIGHUP");
			break;
		case SIGUSR1:
			log_stats(in);
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

static int run(const struct options *opt, const struct amtsca_config *cfg,
	       struct intake *in)
{
	struct backend_socket *bs = NULL;
	struct kmod_backend *kb = NULL;
	struct epoll_event evs[64];
	int epfd, sfd, n, i, timeout;
	bool running = true;

	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (epfd < 0)
		return -1;
	sfd = signals_open(epfd);
	if (sfd < 0) {
		close(epfd);
		return -1;
	}
	switch (opt->backend) {
	case BACKEND_SOCKET:
		bs = backend_socket_open(epfd, opt->listen_addr, opt->port,
					 opt->hello_timeout_ms, intake_hello,
					 in);
		if (!bs)
			log_event(LOG_LVL_ERR, "listen_failed",
				  "addr=%s port=%u error=\"%s\"",
				  opt->listen_addr, opt->port, strerror(errno));
		break;
	case BACKEND_KMOD:
		kb = backend_kmod_open(epfd, opt->port, opt->hello_timeout_ms,
				       intake_hello, in);
		break;
	case BACKEND_XDP:
		log_event(LOG_LVL_ERR, "backend_unavailable",
			  "backend=xdp hint=\"use --backend socket or kmod\"");
		break;
	}
	if ((!bs && !kb) || confine(cfg))
		goto out;
	log_event(LOG_LVL_INFO, "started", "backend=%s addr=%s port=%u",
		  backend_name(opt->backend), opt->listen_addr, opt->port);
	while (running) {
		timeout = bs ? backend_socket_expire(bs) : -1;
		n = epoll_wait(epfd, evs, 64, timeout);
		if (n < 0 && errno != EINTR)
			break;
		for (i = 0; i < n; i++) {
			int fd = evs[i].data.fd;

			if (fd == sfd)
				running = handle_signals(sfd, in);
			else if (kb && fd == kmod_backend_fd(kb))
				kmod_backend_receive(kb);
			else if (bs)
				backend_socket_handle(bs, fd);
		}
	}
	log_stats(in);
out:
	backend_socket_close(bs);
	if (kb)
		kmod_backend_close(kb);
	close(sfd);
	close(epfd);
	return running ? -1 : 0;
}

/* Defaults, then the file (if -c named it or the default exists), then -o. */
static int load_config(const struct options *opt, struct amtsca_config *cfg)
{
	char err[320];
	int i;

	config_defaults(cfg);
	if ((opt->config_given || access(opt->config_path, F_OK) == 0) &&
	    config_load(cfg, opt->config_path, err, sizeof(err)))
		goto fail;
	for (i = 0; i < opt->n_overrides; i++)
		if (config_override(cfg, opt->overrides[i], err, sizeof(err)))
			goto fail;
	return 0;
fail:
	fprintf(stderr, "amtscad: %s\n", err);
	return -1;
}

int main(int argc, char **argv)
{
	struct amtsca_config cfg;
	struct options opt;
	struct intake *in;
	int err;

	if (options_parse(&opt, argc, argv) || load_config(&opt, &cfg))
		return 2;
	if (opt.verbose)
		log_set_level(LOG_LVL_DEBUG);
	in = intake_new();
	if (!in)
		return 1;
	err = run(&opt, &cfg, in);
	intake_free(in);
	return err ? 1 : 0;
}
