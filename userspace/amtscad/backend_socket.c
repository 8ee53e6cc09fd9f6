// SPDX-License-Identifier: GPL-2.0-only
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "backend_socket.h"
#include "log.h"
#include "monotonic.h"

#define MAX_CONNS 1024

struct hello_conn {
	int fd;
	unsigned long long deadline_ms;
	struct sockaddr_storage peer, local;
	__u32 len;
	__u8 buf[AMT_HELLO_MAX_LEN];
};

/*
 * Each event names its connection by fd: slot_of_fd finds it, and free
 * slots are a stack (scanning the 1,024 slots for both was 4 % of the
 * daemon's CPU per Hello in make bench-ingest).
 */
struct backend_socket {
	int epfd, lfd;
	unsigned int timeout_ms;
	unsigned int hello_flags; /* amt_hello_validate() flags */
	hello_cb cb;
	void *ctx;
	int *slot_of_fd; /* -1: not a connection of ours */
	int n_fds; /* entries in slot_of_fd */
	int n_free;
	int free_slots[MAX_CONNS];
	struct hello_conn conns[MAX_CONNS];
};

static int make_listener(const char *addr, unsigned short port)
{
	struct sockaddr_in6 sa6 = { .sin6_family = AF_INET6,
				    .sin6_port = htons(port) };
	struct sockaddr_in sa4 = { .sin_family = AF_INET,
				   .sin_port = htons(port) };
	struct sockaddr *sa;
	socklen_t salen;
	int fd, one = 1, zero = 0;

	if (inet_pton(AF_INET6, addr, &sa6.sin6_addr) == 1) {
		sa = (struct sockaddr *)&sa6;
		salen = sizeof(sa6);
	} else if (inet_pton(AF_INET, addr, &sa4.sin_addr) == 1) {
		sa = (struct sockaddr *)&sa4;
		salen = sizeof(sa4);
	} else {
		errno = EINVAL;
		return -1;
	}
	fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* "::" also takes IPv4 devices (v4-mapped). */
	if (sa->sa_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	if (bind(fd, sa, salen) || listen(fd, 1024)) {
		close(fd);
		return -1;
	}
	return fd;
}

struct backend_socket *backend_socket_open(int epfd, const char *addr,
					   unsigned short port,
					   unsigned int timeout_ms,
					   unsigned int hello_flags, hello_cb cb,
					   void *ctx)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct backend_socket *bs = calloc(1, sizeof(*bs));
	int i;

	if (!bs)
		return NULL;
	for (i = 0; i < MAX_CONNS; i++) {
		bs->conns[i].fd = -1;
		bs->free_slots[i] = MAX_CONNS - 1 - i;
	}
	bs->n_free = MAX_CONNS;
	bs->epfd = epfd;
	bs->timeout_ms = timeout_ms;
	bs->hello_flags = hello_flags;
	bs->cb = cb;
	bs->ctx = ctx;
	bs->lfd = make_listener(addr, port);
	if (bs->lfd < 0) {
		free(bs);
		return NULL;
	}
	ev.data.fd = bs->lfd;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, bs->lfd, &ev)) {
		close(bs->lfd);
		free(bs);
		return NULL;
	}
	return bs;
}

static void conn_close(struct backend_socket *bs, struct hello_conn *c)
{
	bs->slot_of_fd[c->fd] = -1;
	bs->free_slots[bs->n_free++] = (int)(c - bs->conns);
	close(c->fd); /* also removes it from the epoll set */
	c->fd = -1;
}

/* Room for fd in slot_of_fd; false without memory. */
static bool fd_room(struct backend_socket *bs, int fd)
{
	int n = bs->n_fds ? bs->n_fds : 1024, i, *p;

	if (fd < bs->n_fds)
		return true;
	while (n <= fd)
		n *= 2;
	p = realloc(bs->slot_of_fd, n * sizeof(*p));
	if (!p)
		return false;
	for (i = bs->n_fds; i < n; i++)
		p[i] = -1;
	bs->slot_of_fd = p;
	bs->n_fds = n;
	return true;
}

static void addr_to_event(const struct sockaddr_storage *ss, int *family,
			  void *v4, void *v6, __u16 *port)
{
	const struct sockaddr_in6 *s6 = (const void *)ss;
	const struct sockaddr_in *s4 = (const void *)ss;

	if (ss->ss_family == AF_INET6 &&
	    !IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
		*family = AF_INET6;
		memcpy(v6, &s6->sin6_addr, 16);
		*port = ntohs(s6->sin6_port);
	} else if (ss->ss_family == AF_INET6) {
		*family = AF_INET;
		memcpy(v4, &s6->sin6_addr.s6_addr[12], 4);
		*port = ntohs(s6->sin6_port);
	} else {
		*family = AF_INET;
		memcpy(v4, &s4->sin_addr, 4);
		*port = ntohs(s4->sin_port);
	}
}

/* The Hello is complete when the peer half-closes or the validator accepts it. */
static void conn_finish(struct backend_socket *bs, struct hello_conn *c,
			bool eof)
{
	struct amt_hello_info info;
	struct hello_event ev = { 0 };
	int reason;

	reason = amt_hello_validate(c->buf, c->len, bs->hello_flags, &info);
	if (reason == AMT_HELLO_OK && info.len == c->len) {
		addr_to_event(&c->peer, &ev.family, &ev.saddr.v4, &ev.saddr.v6,
			      &ev.sport);
		addr_to_event(&c->local, &ev.family, &ev.daddr.v4, &ev.daddr.v6,
			      &ev.dport);
		ev.timestamp_ns = monotonic_ms() * 1000000ULL;
		ev.len = c->len;
		memcpy(ev.hello, c->buf, c->len);
		bs->cb(&ev, bs->ctx);
		conn_close(bs, c);
		return;
	}
	/* Incomplete Hellos wait for more bytes until EOF or the deadline. */
	if (!eof && c->len < AMT_HELLO_MAX_LEN && reason != AMT_HELLO_OK &&
	    (reason == AMT_HELLO_ERR_TRUNCATED_HEADER ||
	     reason == AMT_HELLO_ERR_PSK_LENGTH ||
	     reason == AMT_HELLO_ERR_TRUNCATED_COUNT ||
	     reason == AMT_HELLO_ERR_TRUNCATED_ENTRY ||
	     reason == AMT_HELLO_ERR_TRUNCATED_HASH))
		return;
	log_event(LOG_LVL_WARN, "hello_rejected",
		  "backend=socket reason=%s offset=%u len=%u",
		  amt_hello_reason_str(reason), info.err_off, c->len);
	conn_close(bs, c);
}

static void accept_all(struct backend_socket *bs)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP };
	socklen_t len;
	int fd, i;

	for (;;) {
		struct sockaddr_storage peer;

		len = sizeof(peer);
		fd = accept4(bs->lfd, (struct sockaddr *)&peer, &len,
			     SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;
		if (!bs->n_free || !fd_room(bs, fd)) {
			/* The device retries its Hello; nothing is lost. */
			log_event(LOG_LVL_WARN, "hello_conn_limit",
				  "backend=socket max=%d", MAX_CONNS);
			close(fd);
			continue;
		}
		i = bs->free_slots[--bs->n_free];
		bs->slot_of_fd[fd] = i;
		bs->conns[i].fd = fd;
		bs->conns[i].len = 0;
		bs->conns[i].peer = peer;
		len = sizeof(bs->conns[i].local);
		getsockname(fd, (struct sockaddr *)&bs->conns[i].local, &len);
		bs->conns[i].deadline_ms = monotonic_ms() + bs->timeout_ms;
		ev.data.fd = fd;
		if (epoll_ctl(bs->epfd, EPOLL_CTL_ADD, fd, &ev))
			conn_close(bs, &bs->conns[i]);
	}
}

bool backend_socket_handle(struct backend_socket *bs, int fd)
{
	struct hello_conn *c;
	ssize_t n;

	if (fd == bs->lfd) {
		accept_all(bs);
		return true;
	}
	if (fd < 0 || fd >= bs->n_fds || bs->slot_of_fd[fd] < 0)
		return false;
	c = &bs->conns[bs->slot_of_fd[fd]];
	n = read(fd, c->buf + c->len, sizeof(c->buf) - c->len);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return true;
	if (n > 0)
		c->len += n;
	conn_finish(bs, c, n <= 0);
	return true;
}

int backend_socket_expire(struct backend_socket *bs)
{
	unsigned long long now = monotonic_ms(), next = ~0ULL;
	int i;

	for (i = 0; i < MAX_CONNS; i++) {
		struct hello_conn *c = &bs->conns[i];

		if (c->fd < 0)
			continue;
		if (c->deadline_ms <= now) {
			log_event(LOG_LVL_WARN, "hello_timeout",
				  "backend=socket len=%u", c->len);
			conn_close(bs, c);
		} else if (c->deadline_ms < next) {
			next = c->deadline_ms;
		}
	}
	return next == ~0ULL ? -1 : (int)(next - now);
}

void backend_socket_close(struct backend_socket *bs)
{
	int i;

	if (!bs)
		return;
	for (i = 0; i < MAX_CONNS; i++)
		if (bs->conns[i].fd >= 0)
			conn_close(bs, &bs->conns[i]);
	close(bs->lfd);
	free(bs->slot_of_fd);
	free(bs);
}
