// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile_device: a TLS server posing as an AMT device that misbehaves on
 * purpose, for pointing a provisioning session (or hostile_probe) at it.
 * It reads one HTTP request per exchange and answers according to --mode;
 * docs/security.md lists the modes. Connections are served one at a time,
 * each for at most --conn-seconds; every connection ends with one log line
 * on stderr: "conn=N mode=M outcome=... sent=BYTES".
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "http_msg.h"
#include "test_net.h"

struct conn {
	SSL *ssl;
	const struct settings *set;
	size_t sent;
	long long deadline_ms;
	const char *outcome;
	bool authorized; /* the last request carried Authorization */
	unsigned int nonces;
};

struct settings {
	const char *mode;
	const char *listen;
	unsigned int port;
	const char *psk_id;
	unsigned char psk_key[64];
	unsigned int psk_len;
	unsigned int interval_ms;
	unsigned int conn_seconds;
	unsigned int count;
};

static struct settings set = {
	.listen = "::",
	.port = 16993,
	.interval_ms = 50,
	.conn_seconds = 10,
	.count = 0,
};

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

static bool time_left(const struct conn *c)
{
	return test_now_ms() < c->deadline_ms;
}

/* Write all of buf; false once the peer is gone or the time is up. */
static bool send_bytes(struct conn *c, const void *buf, size_t len)
{
	int n;

	while (len) {
		if (!time_left(c)) {
			c->outcome = "time_up";
			return false;
		}
		n = SSL_write(c->ssl, buf, (int)len);
		if (n <= 0) {
			c->outcome = "peer_closed";
			return false;
		}
		c->sent += (size_t)n;
		buf = (const char *)buf + n;
		len -= (size_t)n;
	}
	return true;
}

static bool send_str(struct conn *c, const char *s)
{
	return send_bytes(c, s, strlen(s));
}

/* Read one request; false on EOF, error or a malformed request. */
static bool read_request(struct conn *c)
{
	static const struct http_msg_limits limits = {
		.max_header_bytes = 8192,
		.max_headers = 64,
		.max_body = 1 << 20,
	};
	struct http_msg m;
	char buf[4096];
	size_t used;
	int n, r = HTTP_MSG_NEED_MORE;

	if (http_msg_init(&m, HTTP_MSG_REQUEST, &limits))
		return false;
	while (r == HTTP_MSG_NEED_MORE) {
		n = SSL_read(c->ssl, buf, sizeof(buf));
		if (n <= 0)
			break;
		r = http_msg_feed(&m, buf, (size_t)n, &used);
	}
	c->authorized = r == HTTP_MSG_DONE &&
			http_msg_header(&m, "Authorization");
	http_msg_free(&m);
	return r == HTTP_MSG_DONE;
}

static bool repeat(struct conn *c, const char *piece)
{
	while (send_str(c, piece))
		;
	return false;
}

static const char soap_body[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?><a:Envelope "
	"xmlns:a=\"http://www.w3.org/2003/05/soap-envelope\"><a:Body/>"
	"</a:Envelope>";

static bool serve_ok(struct conn *c)
{
	char head[256];

	snprintf(head, sizeof(head),
		 "HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml; "
		 "charset=UTF-8\r\nContent-Length: %zu\r\n\r\n",
		 strlen(soap_body));
	if (!send_str(c, head) || !send_str(c, soap_body))
		return false;
	c->outcome = "answered";
	return true;
}

static bool serve_oversized_headers(struct conn *c)
{
	return send_str(c, "HTTP/1.1 200 OK\r\n") &&
	       repeat(c, "X-Pad: 0123456789012345678901234567890123456789\r\n");
}

static bool serve_long_line(struct conn *c)
{
	return send_str(c, "HTTP/1.1 200 OK\r\nX-Pad: ") &&
	       repeat(c, "0123456789abcdef0123456789abcdef");
}

static bool serve_endless_body(struct conn *c)
{
	return send_str(c, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked"
			   "\r\n\r\n") &&
	       repeat(c, "20\r\n0123456789abcdef0123456789abcdef\r\n");
}

static bool serve_endless_length(struct conn *c)
{
	return send_str(c, "HTTP/1.1 200 OK\r\nContent-Length: "
			   "1000000000000\r\n\r\n") &&
	       repeat(c, "0123456789abcdef0123456789abcdef");
}

static bool serve_garbage(struct conn *c)
{
	unsigned char buf[256];
	unsigned int x = 0x2545F491, i;

	do {
		/* xorshift: the same bytes every run. */
		for (i = 0; i < sizeof(buf); i++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			buf[i] = (unsigned char)x;
		}
	} while (send_bytes(c, buf, sizeof(buf)));
	return false;
}

static bool serve_truncated(struct conn *c)
{
	if (!send_str(c, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"
			 "<?xml version="))
		return false;
	c->outcome = "truncated";
	return false;
}

static bool serve_slowloris(struct conn *c)
{
	char msg[256];
	size_t i;

	snprintf(msg, sizeof(msg),
		 "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n%s",
		 strlen(soap_body), soap_body);
	for (i = 0; msg[i]; i++) {
		if (!send_bytes(c, msg + i, 1))
			return false;
		sleep_ms(c->set->interval_ms);
	}
	c->outcome = "answered_slowly";
	return true;
}

static bool serve_silent(struct conn *c)
{
	char buf[256];

	/* Hold the connection open without a byte until the peer leaves. */
	while (time_left(c) && SSL_read(c->ssl, buf, sizeof(buf)) > 0)
		;
	c->outcome = time_left(c) ? "peer_closed" : "time_up";
	return false;
}

static bool send_401(struct conn *c, const char *challenge)
{
	char head[512];

	snprintf(head, sizeof(head),
		 "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: %s\r\n"
		 "Content-Length: 0\r\n\r\n",
		 challenge);
	return send_str(c, head);
}

static bool serve_bad_digest(struct conn *c)
{
	if (!send_401(c, "Digest realm=\"Digest:0000\", nonce=\"unterminated"))
		return false;
	c->outcome = "bad_challenge_sent";
	return true;
}

/* 401 with a fresh nonce to every request, right credentials or not. */
static bool serve_digest_loop(struct conn *c)
{
	char challenge[128];
	unsigned int n = 0;

	do {
		snprintf(challenge, sizeof(challenge),
			 "Digest realm=\"Digest:0000\", nonce=\"n%u\", "
			 "qop=\"auth\"",
			 n++);
		if (!send_401(c, challenge))
			return false;
	} while (read_request(c));
	c->outcome = "digest_loop_ended";
	return false;
}

/* Ask for a new handshake before every answer (TLS 1.2). */
static bool serve_renegotiate(struct conn *c)
{
	if (SSL_renegotiate(c->ssl) != 1 || SSL_do_handshake(c->ssl) != 1) {
		c->outcome = "renegotiation_failed";
		return false;
	}
	return serve_ok(c);
}

/*
 * Hostile XML after a Digest exchange that accepts any answer: the
 * session gets as far as parsing the WS-Man response body.
 */
static bool serve_xml(struct conn *c, const char *body, size_t len)
{
	char head[256], challenge[128];

	if (!c->authorized) {
		snprintf(challenge, sizeof(challenge),
			 "Digest realm=\"Digest:0000\", nonce=\"x%u\", "
			 "qop=\"auth\"",
			 c->nonces++);
		return send_401(c, challenge);
	}
	snprintf(head, sizeof(head),
		 "HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml; "
		 "charset=UTF-8\r\nContent-Length: %zu\r\n\r\n",
		 len);
	if (!send_str(c, head) || !send_bytes(c, body, len))
		return false;
	c->outcome = "xml_sent";
	return true;
}

static bool serve_xml_garbage(struct conn *c)
{
	static const char body[] = "<<<a:Envelope \x01 not XML >>>";

	return serve_xml(c, body, sizeof(body) - 1);
}

/* "Billion laughs": ten levels of ten references each. */
static bool serve_xml_bomb(struct conn *c)
{
	char body[4096];
	size_t n;
	int i, j;

	n = (size_t)snprintf(body, sizeof(body),
			     "<?xml version=\"1.0\"?><!DOCTYPE a:Envelope "
			     "[<!ENTITY l0 \"lol\">");
	for (i = 1; i < 10; i++) {
		n += (size_t)snprintf(body + n, sizeof(body) - n,
				      "<!ENTITY l%d \"", i);
		for (j = 0; j < 10; j++)
			n += (size_t)snprintf(body + n, sizeof(body) - n,
					      "&l%d;", i - 1);
		n += (size_t)snprintf(body + n, sizeof(body) - n, "\">");
	}
	n += (size_t)snprintf(body + n, sizeof(body) - n,
			      "]><a:Envelope xmlns:a=\"http://www.w3.org/2003/"
			      "05/soap-envelope\"><a:Body>&l9;</a:Body>"
			      "</a:Envelope>");
	return serve_xml(c, body, n);
}

/* 5000 nested elements inside the envelope: past libxml2's depth limit. */
static bool serve_xml_deep(struct conn *c)
{
	static const char open[] = "<a:Envelope xmlns:a=\"http://www.w3.org/"
				   "2003/05/soap-envelope\"><a:Body>";
	const size_t depth = 5000;
	size_t n = 0, i, len = sizeof(open) - 1 + depth * 7;
	char *body = malloc(len);
	bool r;

	if (!body)
		return false;
	memcpy(body, open, sizeof(open) - 1);
	n = sizeof(open) - 1;
	for (i = 0; i < depth; i++, n += 3)
		memcpy(body + n, "<x>", 3);
	for (i = 0; i < depth; i++, n += 4)
		memcpy(body + n, "</x>", 4);
	r = serve_xml(c, body, n);
	free(body);
	return r;
}

static const struct {
	const char *name;
	bool (*serve)(struct conn *c); /* false: close the connection */
} modes[] = {
	{ "ok", serve_ok },
	{ "oversized-headers", serve_oversized_headers },
	{ "long-line", serve_long_line },
	{ "endless-body", serve_endless_body },
	{ "endless-length", serve_endless_length },
	{ "garbage", serve_garbage },
	{ "truncated", serve_truncated },
	{ "slowloris", serve_slowloris },
	{ "silent", serve_silent },
	{ "bad-digest", serve_bad_digest },
	{ "digest-loop", serve_digest_loop },
	{ "renegotiate", serve_renegotiate },
	{ "xml-garbage", serve_xml_garbage },
	{ "xml-bomb", serve_xml_bomb },
	{ "xml-deep", serve_xml_deep },
};

static int handshakes; /* started on the connection being served */

static void count_handshakes(const SSL *ssl, int where, int ret)
{
	(void)ssl, (void)ret;
	if (where & SSL_CB_HANDSHAKE_START)
		handshakes++;
}

static unsigned int psk_server_cb(SSL *ssl, const char *identity,
				  unsigned char *psk, unsigned int max_psk_len)
{
	(void)ssl;
	if (!set.psk_id || strcmp(identity, set.psk_id) ||
	    set.psk_len > max_psk_len)
		return 0;
	memcpy(psk, set.psk_key, set.psk_len);
	return set.psk_len;
}

/* A throw-away self-signed P-256 certificate, as a device in setup has. */
static int use_self_signed(SSL_CTX *ctx)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	X509_NAME *name;
	int ok = key && x;

	if (ok) {
		name = X509_get_subject_name(x);
		ok = X509_set_version(x, 2) &&
		     ASN1_INTEGER_set(X509_get_serialNumber(x), 1) &&
		     X509_gmtime_adj(X509_getm_notBefore(x), -60) &&
		     X509_gmtime_adj(X509_getm_notAfter(x), 86400) &&
		     X509_set_pubkey(x, key) &&
		     X509_NAME_add_entry_by_txt(
			     name, "CN", MBSTRING_ASC,
			     (const unsigned char *)"hostile-device", -1, -1,
			     0) &&
		     X509_set_issuer_name(x, name) &&
		     X509_sign(x, key, EVP_sha256()) &&
		     SSL_CTX_use_certificate(ctx, x) == 1 &&
		     SSL_CTX_use_PrivateKey(ctx, key) == 1;
	}
	X509_free(x);
	EVP_PKEY_free(key);
	return ok ? 0 : -1;
}

static SSL_CTX *server_ctx(bool tls12_only)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

	if (!ctx || use_self_signed(ctx) ||
	    !SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) ||
	    (tls12_only &&
	     !SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION)) ||
	    !SSL_CTX_set_cipher_list(ctx, "PSK:ECDHE-ECDSA-AES128-GCM-SHA256:"
					  "ECDHE-ECDSA-AES256-GCM-SHA384")) {
		SSL_CTX_free(ctx);
		return NULL;
	}
	SSL_CTX_set_info_callback(ctx, count_handshakes);
	SSL_CTX_set_psk_server_callback(ctx, psk_server_cb);
	return ctx;
}

static void serve_connection(SSL_CTX *ctx, int fd, unsigned int n,
			     bool (*serve)(struct conn *c))
{
	struct timeval tv = { set.conn_seconds, 0 };
	struct conn c = {
		.set = &set,
		.deadline_ms = test_now_ms() + set.conn_seconds * 1000LL,
		.outcome = "handshake_failed",
	};

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	handshakes = 0;
	c.ssl = SSL_new(ctx);
	if (c.ssl && SSL_set_fd(c.ssl, fd) && SSL_accept(c.ssl) == 1) {
		c.outcome = "no_request";
		while (read_request(&c) && serve(&c))
			;
		if (ERR_GET_REASON(ERR_peek_last_error()) ==
		    SSL_R_NO_RENEGOTIATION)
			c.outcome = "renegotiation_refused";
		SSL_shutdown(c.ssl);
	}
	fprintf(stderr, "conn=%u mode=%s outcome=%s sent=%zu handshakes=%d\n",
		n, set.mode, c.outcome, c.sent, handshakes);
	ERR_clear_error();
	SSL_free(c.ssl);
	close(fd);
}

/* "PID:PPS": key = the PPS without dashes, as ASCII (session_tls.c). */
static int parse_psk(char *arg)
{
	char *colon = strchr(arg, ':'), *p;

	if (!colon)
		return -1;
	*colon = '\0';
	set.psk_id = arg;
	for (p = colon + 1; *p; p++) {
		if (*p == '-')
			continue;
		if (set.psk_len == sizeof(set.psk_key))
			return -1;
		set.psk_key[set.psk_len++] = (unsigned char)*p;
	}
	return set.psk_len ? 0 : -1;
}

static void usage(void)
{
	size_t i;

	fprintf(stderr,
		"usage: hostile_device --mode MODE [--listen ADDR] [--port N]\n"
		"       [--psk PID:PPS] [--interval-ms N] [--conn-seconds N]\n"
		"       [--count N]\nmodes:");
	for (i = 0; i < sizeof(modes) / sizeof(*modes); i++)
		fprintf(stderr, " %s", modes[i].name);
	fputc('\n', stderr);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "listen", required_argument, NULL, 'l' },
		{ "port", required_argument, NULL, 'p' },
		{ "psk", required_argument, NULL, 'k' },
		{ "interval-ms", required_argument, NULL, 'i' },
		{ "conn-seconds", required_argument, NULL, 's' },
		{ "count", required_argument, NULL, 'c' },
		{ 0 },
	};
	bool (*serve)(struct conn * c) = NULL;
	unsigned int n;
	SSL_CTX *ctx;
	size_t i;
	int c, lfd, fd;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'm':
			set.mode = optarg;
			break;
		case 'l':
			set.listen = optarg;
			break;
		case 'p':
			set.port = (unsigned int)atoi(optarg);
			break;
		case 'k':
			if (parse_psk(optarg)) {
				fprintf(stderr, "hostile_device: bad --psk\n");
				return 2;
			}
			break;
		case 'i':
			set.interval_ms = (unsigned int)atoi(optarg);
			break;
		case 's':
			set.conn_seconds = (unsigned int)atoi(optarg);
			break;
		case 'c':
			set.count = (unsigned int)atoi(optarg);
			break;
		default:
			usage();
			return 2;
		}
	}
	for (i = 0; set.mode && i < sizeof(modes) / sizeof(*modes); i++)
		if (!strcmp(set.mode, modes[i].name))
			serve = modes[i].serve;
	if (!serve || optind != argc) {
		usage();
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	ctx = server_ctx(serve == serve_renegotiate || set.psk_id);
	lfd = ctx ? test_tcp_socket(set.listen, set.port, true) : -1;
	if (lfd < 0) {
		fprintf(stderr, "hostile_device: cannot serve on %s port %u\n",
			set.listen, set.port);
		return 1;
	}
	fprintf(stderr, "listening addr=%s port=%u mode=%s\n", set.listen,
		set.port, set.mode);
	for (n = 1; !set.count || n <= set.count; n++) {
		fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		serve_connection(ctx, fd, n, serve);
	}
	close(lfd);
	SSL_CTX_free(ctx);
	return 0;
}
