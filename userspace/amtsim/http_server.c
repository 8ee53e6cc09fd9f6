// SPDX-License-Identifier: GPL-2.0-only
/*
 * HTTP on an established device TLS session (amt-protocol.md §5.1): POST
 * /wsman with Digest (user admin, realm per device, qop=auth); the first
 * request without credentials gets 401 and the connection closes, as AMT
 * does; a nonce lives --nonce-lifetime seconds (then 401 stale=true) and
 * its nc must increase (a replayed nc gets 401). Authenticated bodies go
 * to the device model; its reply is sent chunked.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "fleet.h"
#include "model_glue.h"

#define AMT_SERVER "Intel(R) Active Management Technology 16.1.25.2124"
#define LOGON_FAILED_HTML                                                   \
	"<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01 Transitional//EN\">" \
	"<html><head><title>Intel&reg; Active Management Technology"        \
	"</title></head><body><p>Log on failed. Incorrect user name or "    \
	"password, or user account temporarily locked.</p></body></html>"

/* Append printf output to c->out. */
static int out_printf(struct sim_conn *c, const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	p = realloc(c->out, c->out_len + (size_t)n + 1);
	if (!p)
		return -1;
	c->out = p;
	va_start(ap, fmt);
	vsnprintf(p + c->out_len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	c->out_len += (size_t)n;
	return 0;
}

static void http_date(char *out, size_t cap)
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(out, cap, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

static const char *reason_phrase(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	default:
		return "Internal Server Error";
	}
}

/* A short error page; the connection closes after it. */
static int send_error(struct sim_conn *c, int status,
		      const char *www_authenticate)
{
	char date[64];
	const char *body = status == 401 ? LOGON_FAILED_HTML : "";

	http_date(date, sizeof(date));
	c->close_after_write = true;
	return out_printf(c,
			  "HTTP/1.1 %d %s\r\n%s%s%sDate: %s\r\nServer: %s\r\n"
			  "Content-Type: text/html\r\nContent-Length: %zu\r\n"
			  "Connection: close\r\n\r\n%s",
			  status, reason_phrase(status),
			  www_authenticate ? "WWW-Authenticate: " : "",
			  www_authenticate ? www_authenticate : "",
			  www_authenticate ? "\r\n" : "", date, AMT_SERVER,
			  strlen(body), body);
}

static int send_soap(struct sim_conn *c, const struct sim_reply *r,
		     bool keep_alive)
{
	char date[64];

	http_date(date, sizeof(date));
	c->close_after_write = !keep_alive;
	if (out_printf(c,
		       "HTTP/1.1 %d %s\r\nDate: %s\r\nServer: %s\r\n"
		       "X-Frame-Options: DENY\r\n"
		       "Content-Type: application/soap+xml;charset=UTF-8\r\n"
		       "Transfer-Encoding: chunked\r\n%s\r\n",
		       r->http_status, reason_phrase(r->http_status), date,
		       AMT_SERVER, keep_alive ? "" : "Connection: close\r\n"))
		return -1;
	if (r->len &&
	    out_printf(c, "%zx\r\n%.*s\r\n", r->len, (int)r->len, r->body))
		return -1;
	return out_printf(c, "0\r\n\r\n");
}

/* 401 with a fresh nonce for the device. */
static int challenge(struct sim_conn *c, bool stale)
{
	struct sim_device *d = c->dev;
	struct sim_nonce *slot = &d->nonces[d->next_nonce];
	struct http_digest_challenge ch;
	char hdr[512];

	d->next_nonce = (d->next_nonce + 1) % SIM_NONCES;
	if (http_digest_make_challenge(&ch, d->creds.realm, stale) ||
	    strlen(ch.nonce) >= sizeof(slot->value) ||
	    http_digest_format_challenge(&ch, hdr, sizeof(hdr)))
		return -1;
	strcpy(slot->value, ch.nonce);
	slot->last_nc = 0;
	slot->issued_ms = sim_now_ms();
	return send_error(c, 401, hdr);
}

static struct sim_nonce *find_nonce(struct sim_fleet *f, struct sim_device *d,
				    const char *value)
{
	uint64_t now = sim_now_ms();
	unsigned int i;

	for (i = 0; i < SIM_NONCES; i++) {
		struct sim_nonce *n = &d->nonces[i];

		if (n->issued_ms && !strcmp(n->value, value) &&
		    now - n->issued_ms <=
			    (uint64_t)(f->opt->nonce_lifetime_s * 1000))
			return n;
	}
	return NULL;
}

/*
 * Check the Authorization header. 0: authenticated; else the 401 has been
 * queued (or -1 on an internal error).
 */
static int authenticate(struct sim_fleet *f, struct sim_conn *c)
{
	struct sim_device *d = c->dev;
	const char *hdr = http_msg_header(&c->req, "Authorization");
	struct http_digest_credentials cred;
	struct http_digest_challenge ch = { .has_qop = true, .qop_auth = true };
	char ha1[HTTP_DIGEST_HEX_LEN + 1];
	struct sim_nonce *slot;

	if (!hdr)
		return challenge(c, false) ? -1 : 1;
	if (http_digest_parse_authorization(hdr, strlen(hdr), true, &cred) ||
	    strcmp(cred.uri, c->req.target) || strcmp(cred.username, "admin") ||
	    sim_model_admin_ha1(f, d, ha1)) {
		sim_fail(d, SIM_FAIL_DIGEST_PASSWORD);
		return challenge(c, false) ? -1 : 1;
	}
	strcpy(ch.realm, d->creds.realm);
	strcpy(ch.nonce, cred.nonce);
	if (http_digest_verify_ha1(&cred, &ch, c->req.method, ha1)) {
		sim_fail(d, SIM_FAIL_DIGEST_PASSWORD);
		return challenge(c, false) ? -1 : 1;
	}
	slot = find_nonce(f, d, cred.nonce);
	if (!slot) {
		sim_fail(d, SIM_FAIL_DIGEST_STALE);
		return challenge(c, true) ? -1 : 1;
	}
	if (cred.nc <= slot->last_nc) {
		sim_fail(d, SIM_FAIL_DIGEST_REPLAY);
		return challenge(c, false) ? -1 : 1;
	}
	slot->last_nc = cred.nc;
	return 0;
}

static bool wants_close(const struct http_msg *m)
{
	const char *conn = http_msg_header(m, "Connection");

	if (conn)
		return !strcasecmp(conn, "close");
	return m->version_minor == 0;
}

/* --fault-reboot: the device restarts into Setup Mode instead of committing. */
static bool reboot_fault(struct sim_fleet *f, struct sim_conn *c)
{
	struct sim_device *d = c->dev;

	if (!memmem(c->req.body, c->req.body_len, "CommitChanges", 13) ||
	    !sim_chance(f, f->opt->faults.reboot))
		return false;
	sim_fail(d, SIM_FAIL_INJECTED_REBOOT);
	sim_model_reboot(d);
	sim_hello_start(f, d, sim_now_ms());
	return true;
}

/* The result of queuing a reply: on an internal error c is closed. */
static int queued(struct sim_fleet *f, struct sim_conn *c, int err)
{
	if (!err)
		return 0;
	sim_conn_close(f, c, false);
	return -1;
}

int sim_http_request(struct sim_fleet *f, struct sim_conn *c, int status)
{
	struct sim_device *d = c->dev;
	struct sim_reply r = { 0 };
	bool was_operational = sim_model_operational(d);
	int ret;

	if (status < 0) {
		sim_fail(d, SIM_FAIL_HTTP);
		return queued(f, c, send_error(c, 400, NULL));
	}
	/* What was answered before still goes out, then the reset. */
	if (sim_chance(f, f->opt->faults.reset)) {
		c->close_after_write = c->reset_after_write = true;
		return 0;
	}
	if (strcmp(c->req.method, "POST"))
		return queued(f, c, send_error(c, 405, NULL));
	if (strcmp(c->req.target, "/wsman"))
		return queued(f, c, send_error(c, 404, NULL));
	ret = authenticate(f, c);
	if (ret)
		return queued(f, c, ret < 0);
	if (reboot_fault(f, c)) {
		c->close_after_write = c->reset_after_write = true;
		return 0;
	}
	if (sim_model_handle(d, c->req.body, c->req.body_len, &r))
		return queued(f, c, -1);
	ret = send_soap(c, &r, !wants_close(&c->req));
	free(r.body);
	if (!was_operational && sim_model_operational(d))
		sim_device_done(f, d, true);
	return queued(f, c, ret);
}
