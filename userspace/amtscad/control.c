// SPDX-License-Identifier: GPL-2.0-only
/* Control socket transport: listener, clients, deadlines, fd passing. */
#include <errno.h>
#include <grp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "control.h"
#include "control_cmds.h"
#include "log.h"

#define CONTROL_CLIENTS_MAX 32
#define CONTROL_DEADLINE_S 10

struct client {
	int fd;
	int passed_fd; /* -1 unless the request carried one */
	time_t deadline;
	size_t in_len;
	char in[CONTROL_LINE_MAX];
	char *out; /* the reply, once computed */
	size_t out_len, out_off;
};

struct control_server {
	int listen_fd, epoll_fd, timer_fd;
	bool timer_armed;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct control_env env;
	char *certs_dir, *hostname_prefix, *domain;
	struct client *clients[CONTROL_CLIENTS_MAX];
};

static time_t now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static int watch(struct control_server *cs, int fd, uint32_t events, void *ptr)
{
	struct epoll_event ev = { .events = events, .data.ptr = ptr };

	return epoll_ctl(cs->epoll_fd, EPOLL_CTL_ADD, fd, &ev);
}

/* Bind path 0660 (umask around bind: no window with wider modes). */
static int bind_socket(struct control_server *cs, const char *group, char *err,
		       size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct group *gr = NULL;
	mode_t old;
	int fd, r;

	if (strlen(cs->path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "%s: socket path too long", cs->path);
		return -1;
	}
	if (group && group[0] && !(gr = getgrnam(group))) {
		snprintf(err, errlen, "control group '%s' does not exist",
			 group);
		return -1;
	}
	strcpy(sa.sun_path, cs->path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto fail;
	/* A socket file nobody answers on is left from a crash: replace it. */
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
		snprintf(err, errlen, "%s: another amtscad is listening on it",
			 cs->path);
		close(fd);
		return -1;
	}
	if (errno == ECONNREFUSED)
		unlink(cs->path);
	close(fd);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto fail;
	old = umask(0117);
	r = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (r || chmod(cs->path, 0660) ||
	    (gr && chown(cs->path, (uid_t)-1, gr->gr_gid)) || listen(fd, 16))
		goto fail;
	cs->listen_fd = fd;
	return 0;
fail:
	snprintf(err, errlen, "%s: %s", cs->path, strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

struct control_server *control_server_open(const struct control_config *cc,
					   const struct control_handlers *h,
					   void *ctx, char *err, size_t errlen)
{
	struct control_server *cs = calloc(1, sizeof(*cs));

	if (!cs) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	cs->listen_fd = cs->epoll_fd = cs->timer_fd = -1;
	snprintf(cs->path, sizeof(cs->path), "%s", cc->socket_path);
	cs->certs_dir = strdup(cc->certs_dir ? cc->certs_dir : "");
	cs->hostname_prefix =
		strdup(cc->hostname_prefix ? cc->hostname_prefix : "");
	cs->domain = strdup(cc->domain ? cc->domain : "");
	cs->env = (struct control_env){ .h = h,
					.ctx = ctx,
					.certs_dir = cs->certs_dir,
					.hostname_prefix = cs->hostname_prefix,
					.domain = cs->domain };
	if (!cs->certs_dir || !cs->hostname_prefix || !cs->domain) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	cs->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	cs->timer_fd =
		timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (cs->epoll_fd < 0 || cs->timer_fd < 0) {
		snprintf(err, errlen, "control: %s", strerror(errno));
		goto fail;
	}
	if (strlen(cc->socket_path) >= sizeof(cs->path)) {
		snprintf(err, errlen, "%s: socket path too long",
			 cc->socket_path);
		goto fail;
	}
	if (bind_socket(cs, cc->group, err, errlen))
		goto fail;
	cs->env.st = store_open(cc->db_path, cc->key_file, err, errlen);
	if (!cs->env.st)
		goto fail;
	if (watch(cs, cs->listen_fd, EPOLLIN, &cs->listen_fd) ||
	    watch(cs, cs->timer_fd, EPOLLIN, &cs->timer_fd)) {
		snprintf(err, errlen, "control: %s", strerror(errno));
		goto fail;
	}
	return cs;
fail:
	control_server_close(cs);
	return NULL;
}

int control_server_fd(const struct control_server *cs)
{
	return cs->epoll_fd;
}

static void client_free(struct control_server *cs, int slot)
{
	struct client *c = cs->clients[slot];

	close(c->fd);
	if (c->passed_fd >= 0)
		close(c->passed_fd);
	free(c->out);
	free(c);
	cs->clients[slot] = NULL;
}

/* Tick once a second while any client is connected, to expire them. */
static void arm_timer(struct control_server *cs)
{
	struct itimerspec its = { .it_interval.tv_sec = 1,
				  .it_value.tv_sec = 1 };
	bool any = false;
	int i;

	for (i = 0; i < CONTROL_CLIENTS_MAX; i++)
		any |= cs->clients[i] != NULL;
	if (any == cs->timer_armed)
		return;
	if (!any)
		its = (struct itimerspec){ 0 };
	if (timerfd_settime(cs->timer_fd, 0, &its, NULL) == 0)
		cs->timer_armed = any;
}

static void accept_clients(struct control_server *cs)
{
	struct client *c;
	int fd, i;

	while ((fd = accept4(cs->listen_fd, NULL, NULL,
			     SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		for (i = 0; i < CONTROL_CLIENTS_MAX && cs->clients[i]; i++)
			;
		c = i < CONTROL_CLIENTS_MAX ? calloc(1, sizeof(*c)) : NULL;
		if (!c) {
			log_event(LOG_LVL_WARN, "control_refused",
				  "reason=\"too many clients\"");
			close(fd);
			continue;
		}
		c->fd = fd;
		c->passed_fd = -1;
		c->deadline = now_s() + CONTROL_DEADLINE_S;
		if (watch(cs, fd, EPOLLIN, c)) {
			close(fd);
			free(c);
			continue;
		}
		cs->clients[i] = c;
	}
}

static void log_request(int fd, const struct control_request *req)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len))
		cred.uid = (uid_t)-1;
	log_event(LOG_LVL_INFO, "control_request", "uid=%d command=%s%s%s",
		  (int)cred.uid, req->argv[0], req->argc > 1 ? " arg=" : "",
		  req->argc > 1 ? req->argv[1] : "");
}

/* The request line is complete: compute the reply and start sending it. */
static void answer(struct control_server *cs, struct client *c)
{
	struct control_request req;
	struct json_object *reply;
	struct epoll_event ev = { .events = EPOLLOUT, .data.ptr = c };
	char err[160];
	const char *text;

	if (control_request_parse(&req, c->in, c->in_len, err, sizeof(err))) {
		reply = control_error("bad request: %s", err);
	} else {
		log_request(c->fd, &req);
		reply = control_cmd_run(&cs->env, &req, c->passed_fd);
	}
	text = json_object_to_json_string_ext(
		reply, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	c->out_len = strlen(text) + 1;
	c->out = malloc(c->out_len);
	if (c->out) {
		memcpy(c->out, text, c->out_len - 1);
		c->out[c->out_len - 1] = '\n';
	}
	json_object_put(reply);
	epoll_ctl(cs->epoll_fd, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Read what is there; answer at the newline. Returns -1 to drop c. */
static int client_read(struct control_server *cs, struct client *c)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = c->in + c->in_len,
			     .iov_len = sizeof(c->in) - c->in_len };
	struct msghdr msg = { .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;
	ssize_t n;

	n = recvmsg(c->fd, &msg, MSG_CMSG_CLOEXEC);
	if (n < 0)
		return errno == EAGAIN ? 0 : -1;
	for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
		if (cm->cmsg_level == SOL_SOCKET &&
		    cm->cmsg_type == SCM_RIGHTS &&
		    cm->cmsg_len == CMSG_LEN(sizeof(int))) {
			if (c->passed_fd >= 0)
				close(c->passed_fd);
			memcpy(&c->passed_fd, CMSG_DATA(cm), sizeof(int));
		}
	}
	if (n == 0)
		return -1; /* closed before a whole line */
	c->in_len += (size_t)n;
	if (memchr(c->in + c->in_len - n, '\n', (size_t)n) ||
	    c->in_len == sizeof(c->in))
		answer(cs, c);
	return 0;
}

/* Send more of the reply. Returns -1 when c is finished or broken. */
static int client_write(struct client *c)
{
	ssize_t n;

	if (!c->out)
		return -1;
	n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
		 MSG_NOSIGNAL | MSG_DONTWAIT);
	if (n < 0)
		return errno == EAGAIN ? 0 : -1;
	c->out_off += (size_t)n;
	return c->out_off == c->out_len ? -1 : 0;
}

static int slot_of(struct control_server *cs, struct client *c)
{
	int i;

	for (i = 0; i < CONTROL_CLIENTS_MAX; i++)
		if (cs->clients[i] == c)
			return i;
	return -1;
}

static void expire_clients(struct control_server *cs)
{
	uint64_t ticks;
	time_t now = now_s();
	int i;

	if (read(cs->timer_fd, &ticks, sizeof(ticks)) < 0 && errno != EAGAIN)
		return;
	for (i = 0; i < CONTROL_CLIENTS_MAX; i++) {
		if (cs->clients[i] && cs->clients[i]->deadline <= now) {
			log_event(LOG_LVL_WARN, "control_timeout", "after_s=%d",
				  CONTROL_DEADLINE_S);
			client_free(cs, i);
		}
	}
}

void control_server_dispatch(struct control_server *cs)
{
	struct epoll_event evs[CONTROL_CLIENTS_MAX + 2];
	struct client *c;
	int n, i, slot, r;

	n = epoll_wait(cs->epoll_fd, evs, CONTROL_CLIENTS_MAX + 2, 0);
	for (i = 0; i < n; i++) {
		if (evs[i].data.ptr == &cs->listen_fd) {
			accept_clients(cs);
			continue;
		}
		if (evs[i].data.ptr == &cs->timer_fd) {
			expire_clients(cs);
			continue;
		}
		c = evs[i].data.ptr;
		slot = slot_of(cs, c);
		if (slot < 0)
			continue; /* freed earlier in this batch */
		if (c->out)
			r = client_write(c);
		else if (evs[i].events & EPOLLIN)
			r = client_read(cs, c);
		else
			r = -1;
		if (r)
			client_free(cs, slot);
	}
	arm_timer(cs);
}

void control_server_close(struct control_server *cs)
{
	int i;

	if (!cs)
		return;
	for (i = 0; i < CONTROL_CLIENTS_MAX; i++)
		if (cs->clients[i])
			client_free(cs, i);
	if (cs->listen_fd >= 0) {
		close(cs->listen_fd);
		unlink(cs->path);
	}
	if (cs->epoll_fd >= 0)
		close(cs->epoll_fd);
	if (cs->timer_fd >= 0)
		close(cs->timer_fd);
	store_close(cs->env.st);
	free(cs->certs_dir);
	free(cs->hostname_prefix);
	free(cs->domain);
	free(cs);
}
