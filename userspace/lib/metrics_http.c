// SPDX-License-Identifier: GPL-2.0-only
/*
 * The /metrics responder. Everything lives behind one epoll fd (listener,
 * clients, an expiry timerfd) so the daemon polls a single descriptor and
 * a slow or silent scraper never blocks its loop. Requests are parsed
 * with http_msg; each connection answers one request and is closed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "http_msg.h"
#include "metrics_http.h"

#define TAG_LISTENER UINT64_MAX
#define TAG_TIMER (UINT64_MAX - 1)
#define SWEEP_MS 250

static const struct http_msg_limits request_limits = {
	.max_header_bytes = 4096,
	.max_headers = 32,
	.max_body = 0,
};

struct client {
	int fd; /* -1 when the slot is free */
	struct http_msg req;
	char *out;
	size_t out_len, out_off;
	uint64_t deadline_ms;
};

struct metrics_http {
	struct metrics *metrics;
	int epfd, listen_fd, timer_fd;
	unsigned int timeout_ms;
	unsigned int nclients;
	struct client clients[METRICS_HTTP_MAX_CLIENTS];
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* "A.B.C.D:PORT" or "[V6]:PORT" into ss; -1 with a reason in err. */
static int parse_listen(const char *address, struct sockaddr_storage *ss,
			socklen_t *sslen, char *err, size_t errlen)
{
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	const char *colon, *host = address;
	char addr[INET6_ADDRSTRLEN];
	size_t hostlen;
	unsigned long port;
	char *end;

	memset(ss, 0, sizeof(*ss));
	if (*address == '[') {
		colon = strstr(address, "]:");
		host = address + 1;
		hostlen = colon ? (size_t)(colon - host) : 0;
		colon = colon ? colon + 1 : NULL;
	} else {
		colon = strrchr(address, ':');
		hostlen = colon ? (size_t)(colon - host) : 0;
	}
	if (!colon || !hostlen || hostlen >= sizeof(addr))
		goto bad;
	memcpy(addr, host, hostlen);
	addr[hostlen] = '\0';
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (errno || end == colon + 1 || *end || port == 0 || port > 65535)
		goto bad;
	if (*address != '[' && inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		*sslen = sizeof(*sin);
		return 0;
	}
	if (*address == '[' &&
	    inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		*sslen = sizeof(*sin6);
		return 0;
	}
bad:
	snprintf(
		err, errlen,
		"metrics listen address '%s': expected A.B.C.D:PORT or [V6]:PORT",
		address);
	return -1;
}

static int epoll_set(struct metrics_http *h, int op, int fd, uint32_t events,
		     uint64_t tag)
{
	struct epoll_event ev = { .events = events, .data.u64 = tag };

	return epoll_ctl(h->epfd, op, fd, &ev);
}

/* Sweep for expired clients only while there are clients. */
static void arm_timer(struct metrics_http *h)
{
	struct itimerspec its = { 0 };

	if (h->nclients) {
		its.it_value.tv_nsec = SWEEP_MS * 1000000L;
		its.it_interval.tv_nsec = SWEEP_MS * 1000000L;
	}
	timerfd_settime(h->timer_fd, 0, &its, NULL);
}

struct metrics_http *metrics_http_open(struct metrics *m, const char *address,
				       char *err, size_t errlen)
{
	struct metrics_http *h;
	struct sockaddr_storage ss;
	socklen_t sslen;
	int one = 1;
	unsigned int i;

	if (parse_listen(address, &ss, &sslen, err, errlen))
		return NULL;
	h = calloc(1, sizeof(*h));
	if (!h) {
		snprintf(err, errlen, "metrics: out of memory");
		return NULL;
	}
	h->metrics = m;
	h->timeout_ms = METRICS_HTTP_TIMEOUT_MS;
	h->epfd = h->listen_fd = h->timer_fd = -1;
	for (i = 0; i < METRICS_HTTP_MAX_CLIENTS; i++)
		h->clients[i].fd = -1;
	h->listen_fd = socket(ss.ss_family,
			      SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (h->listen_fd < 0 ||
	    setsockopt(h->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one,
		       sizeof(one)) ||
	    bind(h->listen_fd, (struct sockaddr *)&ss, sslen) ||
	    listen(h->listen_fd, METRICS_HTTP_MAX_CLIENTS)) {
		snprintf(err, errlen, "metrics: cannot listen on %s: %s",
			 address, strerror(errno));
		goto fail;
	}
	h->epfd = epoll_create1(EPOLL_CLOEXEC);
	h->timer_fd =
		timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (h->epfd < 0 || h->timer_fd < 0 ||
	    epoll_set(h, EPOLL_CTL_ADD, h->listen_fd, EPOLLIN, TAG_LISTENER) ||
	    epoll_set(h, EPOLL_CTL_ADD, h->timer_fd, EPOLLIN, TAG_TIMER)) {
		snprintf(err, errlen, "metrics: epoll: %s", strerror(errno));
		goto fail;
	}
	metrics_seal(m);
	return h;
fail:
	metrics_http_close(h);
	return NULL;
}

int metrics_http_fd(const struct metrics_http *h)
{
	return h->epfd;
}

static void client_close(struct metrics_http *h, struct client *c)
{
	close(c->fd);
	c->fd = -1;
	http_msg_free(&c->req);
	free(c->out);
	c->out = NULL;
	h->nclients--;
	if (!h->nclients)
		arm_timer(h);
}

static void accept_clients(struct metrics_http *h)
{
	struct client *c;
	unsigned int i;
	int fd;

	while ((fd = accept4(h->listen_fd, NULL, NULL,
			     SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		for (i = 0; i < METRICS_HTTP_MAX_CLIENTS; i++)
			if (h->clients[i].fd < 0)
				break;
		/* Full: refuse by closing; a scraper retries next interval. */
		if (i == METRICS_HTTP_MAX_CLIENTS ||
		    epoll_set(h, EPOLL_CTL_ADD, fd, EPOLLIN, i)) {
			close(fd);
			continue;
		}
		c = &h->clients[i];
		if (http_msg_init(&c->req, HTTP_MSG_REQUEST, &request_limits)) {
			close(fd);
			continue;
		}
		c->fd = fd;
		c->out_len = c->out_off = 0;
		c->deadline_ms = now_ms() + h->timeout_ms;
		if (!h->nclients++)
			arm_timer(h);
	}
}

/* The response head and, unless head_only, body into c->out. */
static void respond(struct client *c, int code, const char *reason,
		    const char *extra, const char *body, size_t body_len,
		    bool head_only)
{
	FILE *out = open_memstream(&c->out, &c->out_len);

	if (!out)
		return;
	fprintf(out,
		"HTTP/1.0 %d %s\r\nContent-Type: %s\r\n%sContent-Length: %zu\r\n"
		"Connection: close\r\n\r\n",
		code, reason,
		code == 200 ? "text/plain; version=0.0.4; charset=utf-8" :
			      "text/plain; charset=utf-8",
		extra, body_len);
	if (!head_only)
		fwrite(body, 1, body_len, out);
	if (fclose(out)) {
		free(c->out);
		c->out = NULL;
		c->out_len = 0;
	}
}

static void answer(struct metrics_http *h, struct client *c, int status)
{
	const char *target = c->req.target;
	size_t path_len, len;
	bool head;
	char *body;

	if (status != HTTP_MSG_DONE) {
		respond(c, 400, "Bad Request", "", "bad request\n", 12, false);
		return;
	}
	head = !strcmp(c->req.method, "HEAD");
	if (!head && strcmp(c->req.method, "GET")) {
		respond(c, 405, "Method Not Allowed", "Allow: GET, HEAD\r\n",
			"method not allowed\n", 19, false);
		return;
	}
	path_len = strcspn(target, "?");
	if (path_len != strlen("/metrics") ||
	    strncmp(target, "/metrics", path_len)) {
		respond(c, 404, "Not Found", "", "not found\n", 10, head);
		return;
	}
	body = metrics_render(h->metrics, &len);
	if (!body) {
		respond(c, 500, "Internal Server Error", "", "out of memory\n",
			14, head);
		return;
	}
	respond(c, 200, "OK", "", body, len, head);
	free(body);
}

/* Send what is pending; close when done or on error. */
static void flush_client(struct metrics_http *h, struct client *c, uint64_t tag)
{
	ssize_t n;

	if (!c->out) {
		client_close(h, c);
		return;
	}
	while (c->out_off < c->out_len) {
		n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
			 MSG_NOSIGNAL);
		if (n < 0 && errno == EAGAIN) {
			epoll_set(h, EPOLL_CTL_MOD, c->fd, EPOLLOUT, tag);
			return;
		}
		if (n <= 0)
			break;
		c->out_off += (size_t)n;
	}
	client_close(h, c);
}

static void read_client(struct metrics_http *h, struct client *c, uint64_t tag)
{
	char buf[1024];
	size_t used;
	ssize_t n;
	int r;

	for (;;) {
		n = recv(c->fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			client_close(h, c);
			return;
		}
		r = http_msg_feed(&c->req, buf, (size_t)n, &used);
		if (r != HTTP_MSG_NEED_MORE) {
			answer(h, c, r);
			flush_client(h, c, tag);
			return;
		}
	}
}

static void expire_clients(struct metrics_http *h)
{
	uint64_t expiry, now = now_ms();
	unsigned int i;

	if (read(h->timer_fd, &expiry, sizeof(expiry)) < 0 && errno != EAGAIN)
		return;
	for (i = 0; i < METRICS_HTTP_MAX_CLIENTS; i++)
		if (h->clients[i].fd >= 0 && h->clients[i].deadline_ms <= now)
			client_close(h, &h->clients[i]);
}

void metrics_http_dispatch(struct metrics_http *h)
{
	struct epoll_event evs[METRICS_HTTP_MAX_CLIENTS + 2];
	struct client *c;
	int n, i;

	n = epoll_wait(h->epfd, evs, sizeof(evs) / sizeof(evs[0]), 0);
	for (i = 0; i < n; i++) {
		uint64_t tag = evs[i].data.u64;

		if (tag == TAG_LISTENER) {
			accept_clients(h);
			continue;
		}
		if (tag == TAG_TIMER) {
			expire_clients(h);
			continue;
		}
		c = &h->clients[tag];
		if (c->fd < 0)
			continue;
		if (c->out)
			flush_client(h, c, tag);
		else
			read_client(h, c, tag);
	}
}

void metrics_http_set_timeout_ms(struct metrics_http *h, unsigned int ms)
{
	h->timeout_ms = ms;
}

void metrics_http_close(struct metrics_http *h)
{
	unsigned int i;

	if (!h)
		return;
	for (i = 0; i < METRICS_HTTP_MAX_CLIENTS; i++)
		if (h->clients[i].fd >= 0)
			client_close(h, &h->clients[i]);
	if (h->listen_fd >= 0)
		close(h->listen_fd);
	if (h->timer_fd >= 0)
		close(h->timer_fd);
	if (h->epfd >= 0)
		close(h->epfd);
	free(h);
}
