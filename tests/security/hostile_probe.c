// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile_probe: the client half of the hostile-peer tests. It connects
 * with the daemon's own TLS client context (session_tls.c), sends WS-Man
 * requests and reads each answer with http_msg under the device limits
 * (each overridable), the way a provisioning session will, then prints one
 * line: result=... status=N body=N bytes=N ms=N client_hellos=N. A 401 is
 * answered with Digest credentials, at most --auth-retries times.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "http_digest.h"
#include "http_msg.h"
#include "test_net.h"
#include "../../userspace/amtscad/session_tls.h"

struct probe {
	struct http_msg_limits limits;
	const char *addr;
	unsigned int port;
	char pid[16];
	const char *pps;
	const char *password; /* Digest, user admin */
	bool allow_renegotiation;
	unsigned int requests;
	unsigned int auth_retries;
	int fd;
	SSL *ssl;
	size_t bytes;
	char result[160];
};

static int client_hellos;

/* Count the ClientHellos this side sends: 1 + renegotiations. */
static void count_client_hellos(int write_p, int version, int content_type,
				const void *buf, size_t len, SSL *ssl,
				void *arg)
{
	(void)version, (void)ssl, (void)arg;
	if (write_p && content_type == SSL3_RT_HANDSHAKE && len > 0 &&
	    ((const unsigned char *)buf)[0] == SSL3_MT_CLIENT_HELLO)
		client_hellos++;
}

static void set_tls_result(struct probe *p, const char *what)
{
	unsigned long e = ERR_peek_last_error();

	snprintf(p->result, sizeof(p->result), "tls %s: %s", what,
		 e ? ERR_reason_error_string(e) : strerror(errno));
	ERR_clear_error();
}

/* Wait for the socket as the last SSL call asked, up to timeout_ms. */
static bool wait_io(struct probe *p, int ret, long timeout_ms)
{
	struct pollfd pfd = { .fd = p->fd };
	int err = SSL_get_error(p->ssl, ret);

	if (err == SSL_ERROR_WANT_READ)
		pfd.events = POLLIN;
	else if (err == SSL_ERROR_WANT_WRITE)
		pfd.events = POLLOUT;
	else
		return false;
	return poll(&pfd, 1, timeout_ms < 0 ? -1 : (int)timeout_ms) == 1;
}

static int write_all(struct probe *p, const char *s, size_t len)
{
	int n;

	while (len) {
		n = SSL_write(p->ssl, s, (int)len);
		if (n <= 0) {
			if (wait_io(p, n, 5000))
				continue;
			set_tls_result(p, "write");
			return -1;
		}
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

static int send_request(struct probe *p, const char *authorization)
{
	static const char body[] = "<a:Envelope/>";
	char req[4096];
	int n;

	n = snprintf(req, sizeof(req),
		     "POST /wsman HTTP/1.1\r\nHost: %s:%u\r\n%s%s%s"
		     "Content-Type: application/soap+xml;charset=UTF-8\r\n"
		     "Content-Length: %zu\r\n\r\n%s",
		     p->addr, p->port, authorization ? "Authorization: " : "",
		     authorization ? authorization : "",
		     authorization ? "\r\n" : "", strlen(body), body);
	if (n < 0 || (size_t)n >= sizeof(req))
		return -1;
	return write_all(p, req, (size_t)n);
}

/* Read one response into m; returns the http_msg status. */
static int read_response(struct probe *p, struct http_msg *m)
{
	char buf[4096];
	size_t used;
	int n, r = HTTP_MSG_NEED_MORE;

	while (r == HTTP_MSG_NEED_MORE) {
		n = SSL_read(p->ssl, buf, sizeof(buf));
		if (n > 0) {
			p->bytes += (size_t)n;
			r = http_msg_feed(m, buf, (size_t)n, &used);
			continue;
		}
		if (SSL_get_error(p->ssl, n) == SSL_ERROR_ZERO_RETURN)
			return http_msg_eof(m);
		if (SSL_get_error(p->ssl, n) == SSL_ERROR_WANT_READ ||
		    SSL_get_error(p->ssl, n) == SSL_ERROR_WANT_WRITE) {
			if (!wait_io(p, n, http_msg_time_left_ms(m)))
				r = http_msg_expired(m);
			continue;
		}
		set_tls_result(p, "read");
		return HTTP_MSG_NEED_MORE;
	}
	return r;
}

/* Answer a 401; false (with the result set) if it cannot be answered. */
static bool digest_answer(struct probe *p, const struct http_msg *m,
			  unsigned int nc, char *out, size_t cap)
{
	struct http_digest_challenge ch;
	const char *hdr = http_msg_header(m, "WWW-Authenticate");
	int err;

	if (!hdr) {
		snprintf(p->result, sizeof(p->result), "digest: no challenge");
		return false;
	}
	err = http_digest_parse_challenge(hdr, strlen(hdr), &ch);
	if (!err)
		err = http_digest_authorization(&ch, "admin", p->password,
						"POST", "/wsman", NULL, nc, out,
						cap);
	if (err) {
		snprintf(p->result, sizeof(p->result), "digest: %s",
			 http_digest_strerror(err));
		return false;
	}
	return true;
}

/* One request and its answer, with Digest retries; false to stop. */
static bool exchange(struct probe *p, int *status, size_t *body)
{
	char auth[2048];
	struct http_msg m;
	unsigned int tries = 0;
	bool have_auth = false;
	int r;

	if (http_msg_init(&m, HTTP_MSG_RESPONSE, &p->limits))
		return false;
	for (;;) {
		if (send_request(p, have_auth ? auth : NULL))
			break;
		r = read_response(p, &m);
		if (r != HTTP_MSG_DONE) {
			if (r != HTTP_MSG_NEED_MORE)
				snprintf(p->result, sizeof(p->result), "%s",
					 http_msg_strerror(r));
			break;
		}
		*status = m.status_code;
		*body = m.body_len;
		if (m.status_code != 401) {
			snprintf(p->result, sizeof(p->result), "done");
			http_msg_free(&m);
			return true;
		}
		if (tries++ == p->auth_retries) {
			snprintf(p->result, sizeof(p->result),
				 "digest: still 401 after %u answers",
				 p->auth_retries);
			break;
		}
		if (!digest_answer(p, &m, tries, auth, sizeof(auth)))
			break;
		have_auth = true;
		http_msg_reset(&m);
	}
	http_msg_free(&m);
	return false;
}

static int run(struct probe *p)
{
	SSL_CTX *ctx =
		session_tls_ctx_psk("PSK", TLS1_2_VERSION, TLS1_2_VERSION);
	long long start = test_now_ms(), deadline;
	size_t body = 0;
	unsigned int i;
	int status = 0, r;

	snprintf(p->result, sizeof(p->result), "connect failed");
	p->fd = ctx ? test_tcp_socket(p->addr, p->port, false) : -1;
	if (p->fd < 0)
		goto out;
	/* The daemon's context refuses renegotiation; the control allows it. */
	if (p->allow_renegotiation)
		SSL_CTX_clear_options(ctx, SSL_OP_NO_RENEGOTIATION);
	SSL_CTX_set_msg_callback(ctx, count_client_hellos);
	p->ssl = SSL_new(ctx);
	if (!p->ssl || !SSL_set_fd(p->ssl, p->fd) ||
	    session_tls_set_psk(p->ssl, p->pid, p->pps, 0))
		goto out;
	/* Non-blocking from here: every wait is bounded by poll(). */
	SSL_set_mode(p->ssl, SSL_MODE_AUTO_RETRY);
	if (fcntl(p->fd, F_SETFL, O_NONBLOCK))
		goto out;
	deadline =
		test_now_ms() + (p->limits.max_ms ? p->limits.max_ms : 10000);
	while ((r = SSL_connect(p->ssl)) != 1) {
		if (!wait_io(p, r, (long)(deadline - test_now_ms()))) {
			set_tls_result(p, "handshake");
			goto out;
		}
	}
	for (i = 0; i < p->requests; i++)
		if (!exchange(p, &status, &body))
			break;
out:
	printf("result=\"%s\" status=%d body=%zu bytes=%zu ms=%lld client_hellos=%d\n",
	       p->result, status, body, p->bytes, test_now_ms() - start,
	       client_hellos);
	if (p->ssl)
		SSL_free(p->ssl);
	if (p->fd >= 0)
		close(p->fd);
	SSL_CTX_free(ctx);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "connect", required_argument, NULL, 'a' },
		{ "port", required_argument, NULL, 'p' },
		{ "psk", required_argument, NULL, 'k' },
		{ "max-ms", required_argument, NULL, 't' },
		{ "max-body", required_argument, NULL, 'b' },
		{ "max-header-bytes", required_argument, NULL, 'H' },
		{ "max-line", required_argument, NULL, 'L' },
		{ "max-message-bytes", required_argument, NULL, 'M' },
		{ "requests", required_argument, NULL, 'n' },
		{ "auth-retries", required_argument, NULL, 'r' },
		{ "allow-renegotiation", no_argument, NULL, 'R' },
		{ "password", required_argument, NULL, 'w' },
		{ 0 },
	};
	struct probe p = {
		.limits = http_msg_device_limits,
		.addr = "::1",
		.port = 16993,
		.requests = 1,
		.auth_retries = 2,
		.password = "P@ssw0rd",
		.fd = -1,
	};
	char *colon;
	int c;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			p.addr = optarg;
			break;
		case 'p':
			p.port = (unsigned int)atoi(optarg);
			break;
		case 'k':
			colon = strchr(optarg, ':');
			if (!colon || colon - optarg >= (long)sizeof(p.pid))
				goto usage;
			snprintf(p.pid, sizeof(p.pid), "%.*s",
				 (int)(colon - optarg), optarg);
			p.pps = colon + 1;
			break;
		case 't':
			p.limits.max_ms = (unsigned int)atoi(optarg);
			break;
		case 'b':
			p.limits.max_body = (size_t)atol(optarg);
			break;
		case 'H':
			p.limits.max_header_bytes = (size_t)atol(optarg);
			break;
		case 'L':
			p.limits.max_line = (size_t)atol(optarg);
			break;
		case 'M':
			p.limits.max_message_bytes = (size_t)atol(optarg);
			break;
		case 'n':
			p.requests = (unsigned int)atoi(optarg);
			break;
		case 'r':
			p.auth_retries = (unsigned int)atoi(optarg);
			break;
		case 'R':
			p.allow_renegotiation = true;
			break;
		case 'w':
			p.password = optarg;
			break;
		default:
			goto usage;
		}
	}
	if (!p.pps || optind != argc)
		goto usage;
	return run(&p);
usage:
	fprintf(stderr,
		"usage: hostile_probe --psk PID:PPS [--connect ADDR] [--port N]\n"
		"       [--max-ms N] [--max-body N] [--max-header-bytes N]\n"
		"       [--max-line N] [--max-message-bytes N] [--requests N]\n"
		"       [--auth-retries N] [--allow-renegotiation] [--password PW]\n");
	return 2;
}
