// SPDX-License-Identifier: GPL-2.0-only
/* Control socket transport: listener, clients, deadlines, fd passing. */
#include <errno.h>
#include <grp.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
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
	struct control_server *cs;
	int fd;
	int passed_fd; /* -1 unless the request carried one */
	time_t deadline;
	size_t in_len;
	char in[CONTROL_LINE_MAX];
	struct control_request req;
	char *out; /* the reply, once computed */
	size_t out_len, out_off;
};

struct control_server {
	int listen_fd, epoll_fd, timer_fd;
	int bg_done_fd; /* eventfd: the background thread finished */
	bool timer_armed;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct control_env env;
	char *certs_dir, *hostname_prefix, *domain;
	struct client *clients[CONTROL_CLIENTS_MAX];
	/*
	 * psk import and backup run on a background thread with its own
	 * store connection, so a large file does not stall the daemon's loop;
	 * one at a time. The client leaves the epoll set until the thread is
	 * joined. The connection is opened with the other files, before the
	 * daemon drops privileges.
	 */
	struct client *bg_client;
	pthread_t bg_thread;
	struct store *bg_st;
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
	cs->listen_fd = cs->epoll_fd = cs->timer_fd = cs->bg_done_fd = -1;
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
	cs->bg_done_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (cs->epoll_fd < 0 || cs->timer_fd < 0 || cs->bg_done_fd < 0) {
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
	cs->bg_st = store_open(cc->db_path, cc->key_file, err, errlen);
	if (!cs->bg_st)
		goto fail;
	if (watch(cs, cs->listen_fd, EPOLLIN, &cs->listen_fd) ||
	    watch(cs, cs->timer_fd, EPOLLIN, &cs->timer_fd) ||
	    watch(cs, cs->bg_done_fd, EPOLLIN, &cs->bg_done_fd)) {
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

static int slot_of(struct control_server *cs, struct client *c)
{
	int i;

	for (i = 0; i < CONTROL_CLIENTS_MAX; i++)
		if (cs->clients[i] == c)
			return i;
	return -1;
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
		c->cs = cs;
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

/* Keep reply (freed) as c's output: one line of JSON. */
static void set_reply(struct client *c, struct json_object *reply)
{
	const char *text = json_object_to_json_string_ext(
		reply, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);

	c->out_len = strlen(text) + 1;
	c->out = malloc(c->out_len);
	if (c->out) {
		memcpy(c->out, text, c->out_len - 1);
		c->out[c->out_len - 1] = '\n';
	}
	json_object_put(reply);
}

static void *bg_main(void *arg)
{
	struct client *c = arg;
	struct control_server *cs = c->cs;
	struct control_env env = cs->env;
	uint64_t one = 1;

	env.st = cs->bg_st;
	set_reply(c, control_cmd_run(&env, &c->req, c->passed_fd));
	if (write(cs->bg_done_fd, &one, sizeof(one)) != sizeof(one))
		log_event(LOG_LVL_ERR, "control_background", "error=\"%s\"",
			  strerror(errno));
	return NULL;
}

/* Requests that may take long: psk import, backup. */
static bool runs_in_background(const struct control_request *req)
{
	return (req->argc == 2 && !strcmp(req->argv[0], "psk") &&
		!strcmp(req->argv[1], "import")) ||
	       (req->argc == 1 && !strcmp(req->argv[0], "backup"));
}

/* Start c's request on the background thread; false if that is not possible. */
static bool start_background(struct control_server *cs, struct client *c)
{
	if (cs->bg_client) {
		set_reply(c, control_error("a psk import or backup is already "
					   "running"));
		return false;
	}
	epoll_ctl(cs->epoll_fd, EPOLL_CTL_DEL, c->fd, NULL);
	cs->bg_client = c;
	if (pthread_create(&cs->bg_thread, NULL, bg_main, c) == 0)
		return true;
	cs->bg_client = NULL;
	watch(cs, c->fd, EPOLLIN, c);
	set_reply(c, control_error("cannot start the background thread: %s",
				   strerror(errno)));
	return false;
}

static void send_reply(struct control_server *cs, struct client *c)
{
	struct epoll_event ev = { .events = EPOLLOUT, .data.ptr = c };

	epoll_ctl(cs->epoll_fd, EPOLL_CTL_MOD, c->fd, &ev);
}

/* The request line is complete: compute the reply and start sending it. */
static void answer(struct control_server *cs, struct client *c)
{
	char err[160];

	if (control_request_parse(&c->req, c->in, c->in_len, err,
				  sizeof(err))) {
		set_reply(c, control_error("bad request: %s", err));
	} else {
		log_request(c->fd, &c->req);
		if (runs_in_background(&c->req)) {
			if (start_background(cs, c))
				return;
		} else {
			set_reply(c, control_cmd_run(&cs->env, &c->req,
						     c->passed_fd));
		}
	}
	send_reply(cs, c);
}

/* The background thread is done: join it and send its client the reply. */
static void finish_background(struct control_server *cs)
{
	struct client *c = cs->bg_client;
	uint64_t n;

	if (read(cs->bg_done_fd, &n, sizeof(n)) != sizeof(n) || !c)
		return;
	pthread_join(cs->bg_thread, NULL);
	cs->bg_client = NULL;
	c->deadline = now_s() + CONTROL_DEADLINE_S;
	if (watch(cs, c->fd, EPOLLOUT, c))
		client_free(cs, slot_of(cs, c));
}

/* Keep the first descriptor a request passed; close any other. */
static void keep_first_fd(struct client *c, struct cmsghdr *cm)
{
	size_t n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int), i;
	int fd;

	for (i = 0; i < n; i++) {
		memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
		if (c->passed_fd < 0)
			c->passed_fd = fd;
		else
			close(fd);
	}
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
	for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm))
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS)
			keep_first_fd(c, cm);
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

static void expire_clients(struct control_server *cs)
{
	uint64_t ticks;
	time_t now = now_s();
	int i;

	if (read(cs->timer_fd, &ticks, sizeof(ticks)) < 0 && errno != EAGAIN)
		return;
	for (i = 0; i < CONTROL_CLIENTS_MAX; i++) {
		if (cs->clients[i] && cs->clients[i] != cs->bg_client &&
		    cs->clients[i]->deadline <= now) {
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
		if (evs[i].data.ptr == &cs->bg_done_fd) {
			finish_background(cs);
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
	if (cs->bg_client)
		pthread_join(cs->bg_thread, NULL);
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
	if (cs->bg_done_fd >= 0)
		close(cs->bg_done_fd);
	store_close(cs->env.st);
	store_close(cs->bg_st);
	free(cs->certs_dir);
	free(cs->hostname_prefix);
	free(cs->domain);
	free(cs);
}
