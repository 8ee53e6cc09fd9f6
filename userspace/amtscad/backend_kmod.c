// SPDX-License-Identifier: GPL-2.0-only
#include <sys/epoll.h>

#include "backend_kmod.h"
#include "log.h"

struct kmod_backend *backend_kmod_open(int epfd, unsigned short port,
				       unsigned int timeout_ms,
				       unsigned int hello_flags, hello_cb cb,
				       void *ctx)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct kmod_backend *kb;
	struct kmod_config cfg;
	char errbuf[256] = "";
	int err;

	err = kmod_backend_open(&kb, cb, ctx, errbuf, sizeof(errbuf));
	if (err) {
		log_event(LOG_LVL_ERR, "kmod_open_failed", "error=\"%s %s\"",
			  kmod_backend_strerror(err), errbuf);
		return NULL;
	}
	kmod_config_init(&cfg);
	cfg.port = port;
	cfg.timeout_ms = timeout_ms;
	cfg.hello_flags = hello_flags;
	err = kmod_backend_set_config(kb, &cfg);
	if (!err)
		err = kmod_backend_subscribe(kb);
	ev.data.fd = kmod_backend_fd(kb);
	if (!err && epoll_ctl(epfd, EPOLL_CTL_ADD, ev.data.fd, &ev))
		err = -1;
	if (err) {
		log_event(LOG_LVL_ERR, "kmod_setup_failed", "error=\"%s\"",
			  kmod_backend_strerror(err));
		kmod_backend_close(kb);
		return NULL;
	}
	return kb;
}
