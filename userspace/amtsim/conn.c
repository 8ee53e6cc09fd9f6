// SPDX-License-Identifier: GPL-2.0-only
/* Connection bookkeeping shared by the Hello emitter and the server. */
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>

#include "fleet.h"

struct sim_conn *sim_conn_new(struct sim_fleet *f, enum sim_conn_kind kind,
			      int fd, struct sim_device *d)
{
	struct sim_conn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->kind = kind;
	c->fd = fd;
	c->dev = d;
	c->next = f->conns;
	if (f->conns)
		f->conns->prev = c;
	f->conns = c;
	f->n_conns++;
	return c;
}

int sim_conn_watch(struct sim_fleet *f, struct sim_conn *c, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = c };
	int op = c->epoll_events ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;

	if (c->epoll_events == events)
		return 0;
	if (epoll_ctl(f->epfd, op, c->fd, &ev))
		return -1;
	c->epoll_events = events;
	return 0;
}

/* reset: abort with a TCP RST instead of an orderly close. */
void sim_conn_close(struct sim_fleet *f, struct sim_conn *c, bool reset)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	if (reset)
		setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	else if (c->ssl && c->handshake_done)
		SSL_shutdown(c->ssl);
	/* Nothing of this connection may linger in the error queue. */
	ERR_clear_error();
	close(c->fd);
	SSL_free(c->ssl);
	if (c->kind == SIM_SERVER)
		http_msg_free(&c->req);
	free(c->out);
	free(c->hello);
	if (c->prev)
		c->prev->next = c->next;
	else
		f->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	f->n_conns--;
	free(c);
}

void sim_conn_expire(struct sim_fleet *f, uint64_t now)
{
	struct sim_conn *c = f->conns, *next;

	for (; c; c = next) {
		next = c->next;
		if (c->deadline_ms > now)
			continue;
		if (c->kind == SIM_HELLO)
			sim_fail(c->dev, SIM_FAIL_HELLO_CONNECT);
		sim_conn_close(f, c, false);
	}
}
