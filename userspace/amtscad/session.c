// SPDX-License-Identifier: GPL-2.0-only
/*
 * Session transport and lifecycle: non-blocking connect, TLS, HTTP with
 * Digest, timeouts, retries. The WS-Man steps live in session_steps.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>

#include "hello_json.h"
#include "daemon_metrics.h"
#include "log.h"
#include "monotonic.h"
#include "session_int.h"
#include "session_tls.h"
#include "store.h"

#define AUTH_MAX 1024

/* Record the device's state; a store error is logged, never silent. */
static void record(struct session *s, const char *state, const char *step,
		   const char *reason)
{
	if (store_set_state(s->st, s->uuid, state, step, reason))
		log_event(LOG_LVL_ERR, "store_failed",
			  "uuid=%s state=%s step=%s", s->uuid, state, step);
}

static void wipe_secrets(struct session *s)
{
	OPENSSL_cleanse(s->admin_password, sizeof(s->admin_password));
	OPENSSL_cleanse(s->new_pid, sizeof(s->new_pid));
	OPENSSL_cleanse(s->new_pps, sizeof(s->new_pps));
	if (s->body.data)
		OPENSSL_cleanse(s->body.data, s->body.cap);
	if (s->out)
		OPENSSL_cleanse(s->out, s->out_len);
}

static void conn_close(struct session *s)
{
	if (s->ssl) {
		/*
		 * The device closes after its 401 (and may have gone): no
		 * close_notify is sent, but the session is marked shut down
		 * so OpenSSL keeps it resumable for the reconnect, which then
		 * costs an abbreviated handshake instead of a full one.
		 */
		if (SSL_is_init_finished(s->ssl))
			SSL_set_shutdown(s->ssl, SSL_SENT_SHUTDOWN);
		SSL_free(s->ssl);
		s->ssl = NULL;
	}
	if (s->fd >= 0) {
		close(s->fd);
		s->fd = -1;
	}
}

static void watch(struct session *s, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = s };

	epoll_ctl(s->epfd, EPOLL_CTL_MOD, s->fd, &ev);
}

static void set_phase(struct session *s, enum session_phase ph,
		      unsigned int timeout_ms)
{
	s->phase = ph;
	s->phase_deadline = monotonic_ms() + timeout_ms;
}

static void finish(struct session *s, enum session_outcome outcome)
{
	conn_close(s);
	wipe_secrets(s);
	free(s->out);
	s->out = NULL;
	s->phase = PH_END;
	s->outcome = outcome;
	if (outcome == SESSION_DONE || outcome == SESSION_FAILED)
		daemon_metrics_session_end(s->env->metrics, s->pki,
					   (monotonic_ms() - s->born_ms) /
						   1000.0);
}

static bool retryable(const char *step)
{
	return !strcmp(step, "connect") || !strcmp(step, "timeout") ||
	       !strcmp(step, "io");
}

/*
 * Record the failure of this attempt: retry after a backoff when it is
 * transient and attempts remain, else the device is failed.
 */
static void fail(struct session *s, const char *kind, const char *reason)
{
	const struct amtsca_config *cfg = s->env->cfg;
	char where[64];
	bool again;

	snprintf(where, sizeof(where), "%s", kind);
	if (!strcmp(kind, "timeout") || !strcmp(kind, "io") ||
	    !strcmp(kind, "wsman"))
		snprintf(where, sizeof(where), "%s", step_name(s->step));
	again = retryable(kind) && s->attempt <= cfg->retries;
	daemon_metrics_failure(s->env->metrics, where);
	log_event(LOG_LVL_WARN, "session_failed",
		  "uuid=%s device=%s attempt=%u step=%s reason=\"%s\" retry=%s",
		  s->uuid, s->addr, s->attempt, where, reason,
		  again ? "yes" : "no");
	if (again) {
		record(s, "queued", where, reason);
		conn_close(s);
		set_phase(s, PH_BACKOFF,
			  cfg->backoff_ms
				  << (s->attempt - 1 < 16 ? s->attempt - 1 :
							    16));
		return;
	}
	record(s, "failed", where, reason);
	set_device_state(&s->env->hook, s->uuid_raw, AMTSCA_DEV_FAILED,
			 monotonic_expiry_ns(s->env->cfg->failed_hold_s));
	finish(s, SESSION_FAILED);
}

/* Last OpenSSL error as text, for failure records (never secret). */
static const char *tls_reason(SSL *ssl, int ret)
{
	unsigned long e = ERR_peek_last_error();
	int code = SSL_get_error(ssl, ret);

	if (e)
		return ERR_reason_error_string(e) ? ERR_reason_error_string(e) :
						    "tls_error";
	if (code == SSL_ERROR_SYSCALL)
		return "connection_reset";
	if (code == SSL_ERROR_ZERO_RETURN)
		return "closed_by_device";
	return "tls_error";
}

static void start_connect(struct session *s)
{
	const struct amtsca_config *cfg = s->env->cfg;
	struct epoll_event ev = { .events = EPOLLOUT, .data.ptr = s };
	struct sockaddr_storage ss = { 0 };
	socklen_t len;

	if (s->ev.family == AF_INET6) {
		struct sockaddr_in6 *a = (void *)&ss;

		a->sin6_family = AF_INET6;
		a->sin6_addr = s->ev.saddr.v6;
		a->sin6_port = htons(cfg->device_port);
		len = sizeof(*a);
	} else {
		struct sockaddr_in *a = (void *)&ss;

		a->sin_family = AF_INET;
		a->sin_addr = s->ev.saddr.v4;
		a->sin_port = htons(cfg->device_port);
		len = sizeof(*a);
	}
	s->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		       0);
	if (s->fd < 0) {
		fail(s, "connect", strerror(errno));
		return;
	}
	if (connect(s->fd, (struct sockaddr *)&ss, len) &&
	    errno != EINPROGRESS) {
		fail(s, "connect", strerror(errno));
		return;
	}
	if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->fd, &ev)) {
		fail(s, "connect", strerror(errno));
		return;
	}
	set_phase(s, PH_CONNECT, cfg->connect_timeout_ms);
}

static void send_request(struct session *s);
static void next_request(struct session *s);

/*
 * The device may already hold what an earlier attempt committed (the
 * CommitChanges answer was lost, or the daemon stopped right after it):
 * then the setup credentials fail and the stored ones - the reserved admin
 * password and, for PSK, the new pair - are the device's. Switch to them
 * once and start the steps over; Get SetupAndConfigurationService then
 * tells whether it is provisioned. False when there are none to try.
 */
static bool try_committed_credentials(struct session *s)
{
	char pw[sizeof(s->digest_password)], pid[16], pps[sizeof(s->pps)];
	bool ok;

	if (s->alt_tried)
		return false;
	s->alt_tried = true;
	ok = !store_get_admin_password(s->st, s->uuid, pw, sizeof(pw)) &&
	     (s->pki || (!store_get_new_psk(s->st, s->uuid, pid, sizeof(pid),
					    pps, sizeof(pps)) &&
			 strlen(pid) == AMT_HELLO_PID_LEN));
	if (ok) {
		memcpy(s->digest_password, pw, sizeof(pw));
		if (!s->pki) {
			memcpy(s->pid, pid, sizeof(s->pid));
			memcpy(s->pps, pps, sizeof(pps));
		}
		log_event(LOG_LVL_INFO, "session_committed_credentials",
			  "uuid=%s device=%s step=%s", s->uuid, s->addr,
			  step_name(s->step));
		conn_close(s);
		s->have_challenge = false;
		if (s->tls_session) {
			SSL_SESSION_free(s->tls_session);
			s->tls_session = NULL;
		}
		s->step = STEP_GET_GENERAL;
		next_request(s);
	}
	OPENSSL_cleanse(pw, sizeof(pw));
	OPENSSL_cleanse(pps, sizeof(pps));
	return ok;
}

/* After an SSL call returned r: true when it waits for readiness. */
static bool ssl_wait(struct session *s, int r)
{
	switch (SSL_get_error(s->ssl, r)) {
	case SSL_ERROR_WANT_READ:
		watch(s, EPOLLIN);
		return true;
	case SSL_ERROR_WANT_WRITE:
		watch(s, EPOLLOUT);
		return true;
	}
	return false;
}

static void tls_step(struct session *s)
{
	int r;

	ERR_clear_error();
	r = SSL_connect(s->ssl);
	if (r == 1) {
		if (s->tls_session)
			SSL_SESSION_free(s->tls_session);
		s->tls_session = SSL_get1_session(s->ssl);
		log_event(LOG_LVL_DEBUG, "session_tls", "uuid=%s resumed=%d",
			  s->uuid, SSL_session_reused(s->ssl));
		send_request(s);
		return;
	}
	if (ssl_wait(s, r))
		return;
	if (!s->pki && try_committed_credentials(s))
		return;
	/* The next attempt makes a full handshake: the device may not resume. */
	if (s->tls_session) {
		SSL_SESSION_free(s->tls_session);
		s->tls_session = NULL;
	}
	fail(s, "tls", tls_reason(s->ssl, r));
}

static void start_tls(struct session *s)
{
	s->ssl = SSL_new(s->ctx);
	if (!s->ssl || !SSL_set_fd(s->ssl, s->fd) ||
	    (!s->pki &&
	     session_tls_set_psk(s->ssl, s->pid, s->pps, s->env->psk_sha256))) {
		fail(s, "tls", "setup_failed");
		return;
	}
	if (s->tls_session)
		SSL_set_session(s->ssl, s->tls_session);
	set_phase(s, PH_TLS, s->env->cfg->tls_timeout_ms);
	tls_step(s);
}

static void connect_done(struct session *s)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len) || err) {
		fail(s, "connect", strerror(err ? err : errno));
		return;
	}
	start_tls(s);
}

/* Frame s->body as POST /wsman with Digest credentials when we have them. */
static int frame_request(struct session *s)
{
	char auth[AUTH_MAX] = "";
	int n, r;

	if (s->have_challenge) {
		r = http_digest_authorization(&s->challenge, "admin",
					      s->digest_password, "POST",
					      "/wsman", NULL, ++s->nc, auth,
					      sizeof(auth));
		if (r)
			return -1;
	}
	/* The previous request may have carried a password or PPS. */
	if (s->out)
		OPENSSL_cleanse(s->out, s->out_len);
	free(s->out);
	s->out_len = s->body.len + AUTH_MAX + 256;
	s->out = malloc(s->out_len);
	if (!s->out)
		return -1;
	n = snprintf(s->out, s->out_len,
		     "POST /wsman HTTP/1.1\r\nHost: %s:%u\r\n"
		     "Content-Type: application/soap+xml;charset=UTF-8\r\n"
		     "Content-Length: %zu\r\n%s%s%s\r\n",
		     s->addr, s->env->cfg->device_port, s->body.len,
		     auth[0] ? "Authorization: " : "", auth,
		     auth[0] ? "\r\n" : "");
	OPENSSL_cleanse(auth, sizeof(auth));
	if (n < 0 || (size_t)n + s->body.len > s->out_len)
		return -1;
	memcpy(s->out + n, s->body.data, s->body.len);
	s->out_len = n + s->body.len;
	s->out_off = 0;
	return 0;
}

static void write_request(struct session *s)
{
	int r;

	while (s->out_off < s->out_len) {
		ERR_clear_error();
		r = SSL_write(s->ssl, s->out + s->out_off,
			      (int)(s->out_len - s->out_off));
		if (r > 0) {
			s->out_off += r;
			continue;
		}
		if (!ssl_wait(s, r))
			fail(s, "io", tls_reason(s->ssl, r));
		return;
	}
	http_msg_reset(&s->resp);
	s->phase = PH_RECV;
	watch(s, EPOLLIN);
}

/* Send the current step's request, connecting first when needed. */
static void send_request(struct session *s)
{
	if (!s->ssl) {
		start_connect(s);
		return;
	}
	if (frame_request(s)) {
		fail(s, "http", "request_framing");
		return;
	}
	set_phase(s, PH_SEND, s->env->cfg->request_timeout_ms);
	write_request(s);
}

static void next_request(struct session *s)
{
	const char *reason = "build_failed";

	if (step_build(s, &reason)) {
		fail(s, "wsman", reason);
		return;
	}
	if (s->secrets_unsaved) {
		/* Not on the wire before it is on disk: the worker commits. */
		set_phase(s, PH_SECRETS, s->env->cfg->request_timeout_ms);
		return;
	}
	send_request(s);
}

bool session_secrets_waiting(const struct session *s)
{
	return s->phase == PH_SECRETS;
}

void session_save_secrets(struct session *s)
{
	s->secrets_saved = step_save_secrets(s) == 0;
}

void session_secrets_committed(struct session *s, bool committed)
{
	bool ok = committed && s->secrets_saved;

	s->secrets_unsaved = 0;
	s->secrets_saved = false;
	if (!ok) {
		fail(s, "wsman", "store_failed");
		return;
	}
	send_request(s);
}

static void provisioned(struct session *s, const char *detail)
{
	/* The state and the consumed pair in one commit. */
	bool batch = store_batch_begin(s->st) == 0;

	record(s, "done", "commit", detail);
	if (!s->pki) {
		char hello_pid[AMT_HELLO_PID_LEN + 1] = { 0 };

		memcpy(hello_pid, s->ev.hello + AMT_HELLO_HDR_LEN,
		       AMT_HELLO_PID_LEN);
		store_psk_consume(s->st, hello_pid);
	}
	if (batch && store_batch_end(s->st, 1))
		log_event(LOG_LVL_ERR, "store_failed", "uuid=%s state=done",
			  s->uuid);
	set_device_state(&s->env->hook, s->uuid_raw, AMTSCA_DEV_DONE, 0);
	log_event(LOG_LVL_INFO, "session_done",
		  "uuid=%s device=%s mode=%s attempt=%u%s%s", s->uuid, s->addr,
		  s->pki ? "pki" : "psk", s->attempt, detail ? " detail=" : "",
		  detail ? detail : "");
	finish(s, SESSION_DONE);
}

static void handle_response(struct session *s)
{
	const char *hdr, *conn = http_msg_header(&s->resp, "Connection");
	struct wsman_response *r;
	char reason[WSMAN_TEXT_MAX + 64];
	enum step_result res;
	int err;

	s->conn_close = conn && !strcasecmp(conn, "close");
	if (s->resp.status_code == 401) {
		/* One challenge per connection; a second 401 means wrong password. */
		hdr = http_msg_header(&s->resp, "WWW-Authenticate");
		if (s->have_challenge && !s->challenge.stale) {
			if (!try_committed_credentials(s))
				fail(s, "auth", "digest_rejected");
			return;
		}
		if (!hdr || http_digest_parse_challenge(hdr, strlen(hdr),
							&s->challenge)) {
			fail(s, "auth", "bad_challenge");
			return;
		}
		s->have_challenge = true;
		s->nc = 0;
		conn_close(s);
		send_request(s);
		return;
	}
	if (s->resp.status_code != 200 && s->resp.status_code != 500) {
		snprintf(reason, sizeof(reason), "http_status_%d",
			 s->resp.status_code);
		fail(s, "http", reason);
		return;
	}
	r = malloc(sizeof(*r));
	if (!r) {
		fail(s, "wsman", "nomem");
		return;
	}
	err = wsman_parse_response(s->resp.body, s->resp.body_len, r);
	if (err) {
		snprintf(reason, sizeof(reason), "bad_response:%s",
			 wsman_strerror(err));
		res = STEP_ERROR;
	} else {
		res = step_handle(s, r, reason, sizeof(reason));
	}
	free(r);
	if (s->conn_close)
		conn_close(s);
	switch (res) {
	case STEP_NEXT:
		next_request(s);
		break;
	case STEP_FINISHED:
		provisioned(s, NULL);
		break;
	case STEP_ALREADY:
		provisioned(s, "already_provisioned");
		break;
	case STEP_ERROR:
		fail(s, "wsman", reason);
		break;
	}
}

static void read_response(struct session *s)
{
	char buf[8192];
	size_t used;
	int r, st;

	for (;;) {
		ERR_clear_error();
		r = SSL_read(s->ssl, buf, sizeof(buf));
		if (r <= 0) {
			if (ssl_wait(s, r))
				return;
			/* Close: completes a body that runs to EOF. */
			if (http_msg_eof(&s->resp) == HTTP_MSG_DONE) {
				s->conn_close = true;
				handle_response(s);
			} else {
				fail(s, "io", tls_reason(s->ssl, r));
			}
			return;
		}
		st = http_msg_feed(&s->resp, buf, (size_t)r, &used);
		if (st == HTTP_MSG_DONE) {
			handle_response(s);
			return;
		}
		if (st < 0) {
			fail(s, "http", http_msg_strerror(st));
			return;
		}
	}
}

void session_io(struct session *s)
{
	switch (s->phase) {
	case PH_CONNECT:
		connect_done(s);
		break;
	case PH_TLS:
		tls_step(s);
		break;
	case PH_SEND:
		write_request(s);
		break;
	case PH_RECV:
		read_response(s);
		break;
	default:
		break;
	}
}

/* Look up the device's credentials; permanent failure when missing. */
static int load_credentials(struct session *s)
{
	const struct amtsca_config *cfg = s->env->cfg;
	int r;

	if (s->pki) {
		s->ctx = cert_set_match(s->env->certs, s->ev.hello, s->ev.len,
					config_hello_flags(cfg), cfg->domain,
					s->cert_name, sizeof(s->cert_name));
		if (!s->ctx) {
			fail(s, "credentials", "no_matching_cert");
			return -1;
		}
		snprintf(s->digest_password, sizeof(s->digest_password), "%s",
			 cfg->pki_digest_password);
		return 0;
	}
	s->ctx = s->env->psk_ctx;
	if (store_psk_lookup(s->st, s->pid, s->pps, sizeof(s->pps))) {
		fail(s, "credentials", "no_psk_for_pid");
		return -1;
	}
	r = store_psk_lookup_mebx(s->st, s->pid, s->digest_password,
				  sizeof(s->digest_password));
	if (r < 0) {
		fail(s, "credentials", "store_failed");
		return -1;
	}
	if (r == 1)
		snprintf(s->digest_password, sizeof(s->digest_password), "%s",
			 cfg->default_mebx_password);
	return 0;
}

/* Begin attempt number s->attempt from the first step. */
static void start_attempt(struct session *s)
{
	s->step = STEP_GET_GENERAL;
	s->have_challenge = false;
	s->message_id = 0;
	s->secrets_unsaved = 0;
	wipe_secrets(s);
	memset(s->admin_password, 0, sizeof(s->admin_password));
	if (s->tls_session) {
		SSL_SESSION_free(s->tls_session);
		s->tls_session = NULL;
	}
	s->attempt_deadline = monotonic_ms() + s->env->cfg->session_timeout_ms;
	record(s, "in_progress", "start", NULL);
	set_device_state(&s->env->hook, s->uuid_raw, AMTSCA_DEV_IN_PROGRESS,
			 monotonic_expiry_ns(s->env->cfg->state_expiry_s));
	log_event(LOG_LVL_INFO, "session_start",
		  "uuid=%s device=%s mode=%s attempt=%u%s%s", s->uuid, s->addr,
		  s->pki ? "pki" : "psk", s->attempt,
		  s->pki ? " cert=" : " pid=", s->pki ? s->cert_name : s->pid);
	next_request(s);
}

struct session *session_new(const struct session_env *env, struct store *st,
			    int epfd, const struct hello_event *ev)
{
	struct session *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->env = env;
	s->st = st;
	s->epfd = epfd;
	s->fd = -1;
	s->ev = *ev;
	s->born_ms = monotonic_ms();
	wsman_buf_init(&s->body);
	if (http_msg_init(&s->resp, HTTP_MSG_RESPONSE,
			  &http_msg_device_limits)) {
		free(s);
		return NULL;
	}
	memcpy(s->uuid_raw, ev->hello + 8, 16);
	amt_uuid_format(s->uuid_raw, s->uuid);
	inet_ntop(ev->family, &ev->saddr, s->addr, sizeof(s->addr));
	s->pki = (ev->hello[2] | ev->hello[3] << 8) == AMT_HELLO_VERSION_PKI;
	if (!s->pki)
		memcpy(s->pid, ev->hello + AMT_HELLO_HDR_LEN,
		       AMT_HELLO_PID_LEN);
	s->attempt = 1;
	if (load_credentials(s) == 0)
		start_attempt(s);
	return s;
}

uint64_t session_tick(struct session *s, uint64_t now)
{
	if (s->phase == PH_END)
		return UINT64_MAX;
	if (s->phase == PH_BACKOFF) {
		if (now >= s->phase_deadline) {
			s->attempt++;
			start_attempt(s);
		}
	} else if (now >= s->phase_deadline || now >= s->attempt_deadline) {
		fail(s, "timeout",
		     s->phase == PH_CONNECT ? "connect_timeout" :
		     s->phase == PH_TLS	    ? "tls_timeout" :
					      "response_timeout");
	}
	if (s->phase == PH_END)
		return UINT64_MAX;
	if (s->phase == PH_BACKOFF)
		return s->phase_deadline;
	return s->phase_deadline < s->attempt_deadline ? s->phase_deadline :
							 s->attempt_deadline;
}

enum session_outcome session_outcome(const struct session *s)
{
	return s->phase == PH_END ? s->outcome : SESSION_RUNNING;
}

bool session_in_backoff(const struct session *s)
{
	return s->phase == PH_BACKOFF;
}

void session_park(struct session *s)
{
	if (s->phase == PH_END)
		return;
	record(s, "queued", step_name(s->step), "shutdown");
	set_device_state(&s->env->hook, s->uuid_raw, AMTSCA_DEV_UNKNOWN, 0);
	log_event(LOG_LVL_INFO, "session_parked", "uuid=%s step=%s", s->uuid,
		  step_name(s->step));
	finish(s, SESSION_PARKED);
}

const __u8 *session_uuid(const struct session *s)
{
	return s->uuid_raw;
}

void session_free(struct session *s)
{
	if (!s)
		return;
	conn_close(s);
	wipe_secrets(s);
	OPENSSL_cleanse(s->pps, sizeof(s->pps));
	OPENSSL_cleanse(s->digest_password, sizeof(s->digest_password));
	OPENSSL_cleanse(&s->challenge, sizeof(s->challenge));
	if (s->tls_session)
		SSL_SESSION_free(s->tls_session);
	free(s->out);
	wsman_buf_free(&s->body);
	http_msg_free(&s->resp);
	free(s);
}
