// SPDX-License-Identifier: GPL-2.0-only
/*
 * The devices' TLS server on port 16993 (amt-protocol.md §3, §4, §8): one
 * listening socket for the whole fleet; the local address of an accepted
 * connection names the device. PSK devices accept only their PID as the
 * identity with the PPS-derived key; PKI devices present a self-signed
 * certificate and accept only a client chain that passes the checks of
 * the contract. Non-blocking SSL_accept/SSL_read/SSL_write.
 */
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "fleet.h"
#include "model_glue.h"

#define INTEL_SETUP_OID "2.16.840.1.113741.1.2.3"
#define INTEL_SETUP_OU "Intel(R) Client Setup Certificate"
/* The TLS handshake must finish within this (real) time. */
#define HANDSHAKE_TIMEOUT_MS 10000

/* A WS-Man request: small head, envelope up to the model's limit. */
static const struct http_msg_limits request_limits = {
	.max_header_bytes = 8192,
	.max_headers = 32,
	.max_body = 65536,
};

static unsigned int psk_server_cb(SSL *ssl, const char *identity,
				  unsigned char *psk, unsigned int max_len)
{
	struct sim_conn *c = SSL_get_app_data(ssl);
	const struct sim_fleet *f = SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl));
	const char *pid = sim_model_pid(c->dev), *pps = sim_model_pps(c->dev);

	if (!identity || strcmp(identity, pid)) {
		sim_fail(c->dev, SIM_FAIL_PSK_IDENTITY);
		c->failed = true;
		return 0;
	}
	if (f->opt->psk_key == SIM_PSK_KEY_SHA256) {
		if (max_len < 32)
			return 0;
		SHA256((const unsigned char *)pps, strlen(pps), psk);
		return 32;
	}
	if (strlen(pps) > max_len)
		return 0;
	memcpy(psk, pps, strlen(pps));
	return (unsigned int)strlen(pps);
}

static bool root_trusted(const struct sim_fleet *f, X509 *x)
{
	uint8_t d1[20], d256[32], d384[48];
	unsigned int len, i;

	if (!X509_digest(x, EVP_sha1(), d1, &len) ||
	    !X509_digest(x, EVP_sha256(), d256, &len) ||
	    !X509_digest(x, EVP_sha384(), d384, &len))
		return false;
	for (i = 0; i < f->n_roots; i++)
		if (!memcmp(d1, f->roots[i].sha1, 20) ||
		    !memcmp(d256, f->roots[i].sha256, 32) ||
		    !memcmp(d384, f->roots[i].sha384, 48))
			return true;
	return false;
}

/* The leaf carries the Intel setup OID in its EKU or the setup OU. */
static bool leaf_is_setup_cert(X509 *leaf)
{
	EXTENDED_KEY_USAGE *eku =
		X509_get_ext_d2i(leaf, NID_ext_key_usage, NULL, NULL);
	X509_NAME *subj = X509_get_subject_name(leaf);
	bool found = false;
	char oid[64];
	int i;

	for (i = 0; eku && i < sk_ASN1_OBJECT_num(eku) && !found; i++) {
		OBJ_obj2txt(oid, sizeof(oid), sk_ASN1_OBJECT_value(eku, i), 1);
		found = !strcmp(oid, INTEL_SETUP_OID);
	}
	EXTENDED_KEY_USAGE_free(eku);
	for (i = -1; !found;) {
		ASN1_STRING *s;

		i = X509_NAME_get_index_by_NID(subj, NID_organizationalUnitName,
					       i);
		if (i < 0)
			break;
		s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subj, i));
		found = (size_t)ASN1_STRING_length(s) ==
				strlen(INTEL_SETUP_OU) &&
			!memcmp(ASN1_STRING_get0_data(s), INTEL_SETUP_OU,
				strlen(INTEL_SETUP_OU));
	}
	return found;
}

/* CN equals the domain or ends with "." + domain (case-insensitive). */
static bool cn_in_domain(X509 *leaf, const char *domain)
{
	char cn[256];
	int n = X509_NAME_get_text_by_NID(X509_get_subject_name(leaf),
					  NID_commonName, cn, sizeof(cn));
	size_t dl = strlen(domain);

	if (n <= 0 || (size_t)n != strlen(cn))
		return false;
	if ((size_t)n == dl)
		return !strcasecmp(cn, domain);
	return (size_t)n > dl && cn[n - dl - 1] == '.' &&
	       !strcasecmp(cn + n - dl, domain);
}

/* Chain from leaf through the peer's certificates up to root. */
static bool chain_verifies(X509 *leaf, STACK_OF(X509) * peer, X509 *root)
{
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *xs = X509_STORE_CTX_new();
	bool ok = store && xs && X509_STORE_add_cert(store, root) &&
		  X509_STORE_CTX_init(xs, store, leaf, peer) &&
		  X509_verify_cert(xs) == 1;

	X509_STORE_CTX_free(xs);
	X509_STORE_free(store);
	return ok;
}

static int pki_fail(X509_STORE_CTX *xs, struct sim_conn *c,
		    enum sim_failure why, int err)
{
	sim_fail(c->dev, why);
	c->failed = true;
	X509_STORE_CTX_set_error(xs, err);
	return 0;
}

/* Replaces OpenSSL's chain check: the device trusts hashes, not roots. */
static int pki_verify_cb(X509_STORE_CTX *xs, void *arg)
{
	const struct sim_fleet *f = arg;
	SSL *ssl = X509_STORE_CTX_get_ex_data(
		xs, SSL_get_ex_data_X509_STORE_CTX_idx());
	struct sim_conn *c = SSL_get_app_data(ssl);
	X509 *leaf = X509_STORE_CTX_get0_cert(xs), *root = NULL;
	STACK_OF(X509) *peer = X509_STORE_CTX_get0_untrusted(xs);
	int i;

	if (!leaf)
		return pki_fail(xs, c, SIM_FAIL_PKI_NO_CERT,
				X509_V_ERR_UNSPECIFIED);
	for (i = 0; i < sk_X509_num(peer) && !root; i++)
		if (root_trusted(f, sk_X509_value(peer, i)))
			root = sk_X509_value(peer, i);
	if (!root)
		return pki_fail(xs, c, SIM_FAIL_PKI_ROOT,
				X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
	if (!chain_verifies(leaf, peer, root))
		return pki_fail(xs, c, SIM_FAIL_PKI_CHAIN,
				X509_V_ERR_CERT_SIGNATURE_FAILURE);
	if (!(X509_get_extension_flags(leaf) & EXFLAG_XKUSAGE) ||
	    !(X509_get_extended_key_usage(leaf) & XKU_SSL_SERVER) ||
	    !leaf_is_setup_cert(leaf))
		return pki_fail(xs, c, SIM_FAIL_PKI_USAGE,
				X509_V_ERR_INVALID_PURPOSE);
	if (!cn_in_domain(leaf, f->opt->domain))
		return pki_fail(xs, c, SIM_FAIL_PKI_DOMAIN,
				X509_V_ERR_HOSTNAME_MISMATCH);
	return 1;
}

static int load_root_hashes(struct sim_fleet *f)
{
	unsigned int i, len;

	for (i = 0; i < f->opt->n_trusted_roots; i++) {
		const char *path = f->opt->trusted_roots[i];
		FILE *fp = fopen(path, "r");
		X509 *x = fp ? PEM_read_X509(fp, NULL, NULL, NULL) : NULL;
		struct sim_root_hash *h = &f->roots[f->n_roots];

		if (fp)
			fclose(fp);
		if (!x) {
			fprintf(stderr, "amtsim: %s: %s\n", path,
				fp ? "no PEM certificate" : strerror(errno));
			return -1;
		}
		X509_digest(x, EVP_sha1(), h->sha1, &len);
		X509_digest(x, EVP_sha256(), h->sha256, &len);
		X509_digest(x, EVP_sha384(), h->sha384, &len);
		X509_free(x);
		f->n_roots++;
	}
	return 0;
}

/*
 * Resumption from the server's session cache (session id), not tickets:
 * OpenSSL 3.0 parses a session (for PKI with the client's chain, through
 * its slow key decoders) when it issues a ticket and again when it accepts
 * one, 9 % of amtsim's CPU in a PKI fleet; the cache only looks it up.
 * Sessions stay per device (session id context).
 */
static void no_tickets(SSL_CTX *ctx)
{
	SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_SERVER);
}

/*
 * One read(2) for what the socket holds instead of two per TLS record
 * (header, then body): about half of amtsim's reads in a fleet run.
 * read_requests() reads until SSL_read wants the socket, so nothing
 * stays buffered in the SSL without an epoll event to come.
 */
static void server_ctx_common(SSL_CTX *ctx, struct sim_fleet *f)
{
	SSL_CTX_set_app_data(ctx, f);
	no_tickets(ctx);
	SSL_CTX_set_read_ahead(ctx, 1);
}

static SSL_CTX *psk_ctx(struct sim_fleet *f)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	char list[512];

	if (!ctx)
		return NULL;
	/* TLS 1.0/1.1 PSK suites need security level 0 in OpenSSL 3. */
	snprintf(list, sizeof(list), "%s%s", f->opt->psk_ciphers,
		 f->opt->psk_min_tls < TLS1_2_VERSION ? ":@SECLEVEL=0" : "");
	if (!SSL_CTX_set_cipher_list(ctx, list) ||
	    !SSL_CTX_set_min_proto_version(ctx, f->opt->psk_min_tls) ||
	    !SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION)) {
		fprintf(stderr, "amtsim: bad --psk-ciphers '%s'\n",
			f->opt->psk_ciphers);
		SSL_CTX_free(ctx);
		return NULL;
	}
	SSL_CTX_set_psk_server_callback(ctx, psk_server_cb);
	server_ctx_common(ctx, f);
	return ctx;
}

static SSL_CTX *pki_ctx(struct sim_fleet *f)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

	if (!ctx)
		return NULL;
	if (!SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) ||
	    !SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION)) {
		SSL_CTX_free(ctx);
		return NULL;
	}
	SSL_CTX_set_verify(
		ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
	SSL_CTX_set_cert_verify_callback(ctx, pki_verify_cb, f);
	server_ctx_common(ctx, f);
	return ctx;
}

int sim_tls_init(struct sim_fleet *f)
{
	if (load_root_hashes(f))
		return -1;
	f->psk_ctx = psk_ctx(f);
	f->pki_ctx = pki_ctx(f);
	if (!f->psk_ctx || !f->pki_ctx)
		return -1;
	if (f->opt->mode != SIM_MODE_PSK) {
		f->device_key = EVP_RSA_gen(2048);
		if (!f->device_key)
			return -1;
	}
	return 0;
}

void sim_tls_free(struct sim_fleet *f)
{
	SSL_CTX_free(f->psk_ctx);
	SSL_CTX_free(f->pki_ctx);
	EVP_PKEY_free(f->device_key);
}

/* The PKI device's self-signed certificate. */
static X509 *device_cert(struct sim_fleet *f, struct sim_device *d)
{
	X509 *x;
	X509_NAME *name;

	x = X509_new();
	if (!x)
		return NULL;
	name = X509_get_subject_name(x);
	if (!X509_set_version(x, 2) ||
	    !ASN1_INTEGER_set(X509_get_serialNumber(x), d->index + 1) ||
	    !X509_gmtime_adj(X509_getm_notBefore(x), -86400) ||
	    !X509_gmtime_adj(X509_getm_notAfter(x), 20L * 365 * 86400) ||
	    !X509_NAME_add_entry_by_txt(
		    name, "CN", MBSTRING_ASC,
		    (const unsigned char *)d->creds.uuid_str, -1, -1, 0) ||
	    !X509_set_issuer_name(x, name) ||
	    !X509_set_pubkey(x, f->device_key) ||
	    !X509_sign(x, f->device_key, EVP_sha256())) {
		X509_free(x);
		return NULL;
	}
	return x;
}

int sim_tls_device_certs(struct sim_fleet *f)
{
	uint32_t i;

	for (i = 0; i < f->n; i++)
		if (f->dev[i].pki &&
		    !(f->dev[i].cert = device_cert(f, &f->dev[i]))) {
			fprintf(stderr, "amtsim: device %u: no certificate\n",
				i);
			return -1;
		}
	return 0;
}

void sim_server_accept(struct sim_fleet *f, struct sim_listener *l)
{
	struct sockaddr_storage local;
	socklen_t len = sizeof(local);
	struct sim_device *d;
	struct sim_conn *c;
	int fd;

	fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	if (getsockname(fd, (struct sockaddr *)&local, &len) ||
	    !(d = sim_device_by_addr(f, &local)) || d->gave_up) {
		close(fd);
		return;
	}
	c = sim_conn_new(f, SIM_SERVER, fd, d);
	if (!c) {
		close(fd);
		return;
	}
	c->deadline_ms = sim_now_ms() + HANDSHAKE_TIMEOUT_MS;
	c->ssl = SSL_new(d->pki ? f->pki_ctx : f->psk_ctx);
	if (!c->ssl || !SSL_set_fd(c->ssl, fd) ||
	    http_msg_init(&c->req, HTTP_MSG_REQUEST, &request_limits)) {
		sim_conn_close(f, c, false);
		return;
	}
	SSL_set_app_data(c->ssl, c);
	/*
	 * TLS session resumption [U: assumed, docs/protocol-choices.md]:
	 * a session resumes only with the device that made it, as each
	 * real device has its own ticket key and session cache.
	 */
	if (!SSL_set_session_id_context(c->ssl, d->creds.uuid,
					sizeof(d->creds.uuid))) {
		sim_conn_close(f, c, false);
		return;
	}
	if (d->pki) {
		if (!SSL_use_certificate(c->ssl, d->cert) ||
		    !SSL_use_PrivateKey(c->ssl, f->device_key)) {
			sim_conn_close(f, c, false);
			return;
		}
	} else {
		/* As the DASH clone does: the PID is the identity hint. */
		SSL_use_psk_identity_hint(c->ssl, sim_model_pid(d));
	}
	/*
	 * --fault-stall: accept, then never say a word until the peer gives
	 * up or the idle timeout passes (edge-triggered: unread data must
	 * not wake the loop again and again).
	 */
	if (sim_chance(f, f->opt->faults.stall)) {
		c->stalled = true;
		c->deadline_ms = sim_now_ms() +
				 (uint64_t)(f->opt->idle_timeout_s * 1000);
	}
	if (sim_conn_watch(f, c, c->stalled ? EPOLLRDHUP | EPOLLET : EPOLLIN))
		sim_conn_close(f, c, false);
}

/* Act on an SSL_* result: wait for the socket, or give up on the conn. */
static int ssl_wait(struct sim_fleet *f, struct sim_conn *c, int ret)
{
	switch (SSL_get_error(c->ssl, ret)) {
	case SSL_ERROR_WANT_READ:
		return sim_conn_watch(f, c, EPOLLIN);
	case SSL_ERROR_WANT_WRITE:
		return sim_conn_watch(f, c, EPOLLIN | EPOLLOUT);
	default:
		return -1;
	}
}

/* Drive SSL_accept: 1 done, 0 waiting for the socket, -1 c was closed. */
static int handshake(struct sim_fleet *f, struct sim_conn *c)
{
	int ret;

	/* SSL_get_error() reads the thread's queue: clear what others left. */
	ERR_clear_error();
	ret = SSL_accept(c->ssl);

	if (ret == 1) {
		c->handshake_done = true;
		sim_count_session(c->dev);
		c->deadline_ms = sim_now_ms() +
				 (uint64_t)(f->opt->idle_timeout_s * 1000);
		return 1;
	}
	if (!ssl_wait(f, c, ret))
		return 0;
	/* PSK identity and PKI checks counted their own reason. */
	if (c->dev->pki && !c->failed && !SSL_get0_peer_certificate(c->ssl))
		sim_fail(c->dev, SIM_FAIL_PKI_NO_CERT);
	else if (!c->failed)
		sim_fail(c->dev, SIM_FAIL_TLS_HANDSHAKE);
	ERR_clear_error();
	sim_conn_close(f, c, false);
	return -1;
}

/*
 * Write what is pending in c->out. Returns 1 when all of it went out, 0 when
 * the socket is full (EPOLLOUT resumes), -1 when c was closed.
 */
static int flush(struct sim_fleet *f, struct sim_conn *c)
{
	while (c->out_off < c->out_len) {
		int ret;

		ERR_clear_error();
		ret = SSL_write(c->ssl, c->out + c->out_off,
				(int)(c->out_len - c->out_off));

		if (ret <= 0) {
			if (!ssl_wait(f, c, ret))
				return 0;
			ERR_clear_error();
			sim_conn_close(f, c, false);
			return -1;
		}
		c->out_off += (size_t)ret;
	}
	free(c->out);
	c->out = NULL;
	c->out_len = c->out_off = 0;
	if (c->close_after_write) {
		sim_conn_close(f, c, c->reset_after_write);
		return -1;
	}
	return sim_conn_watch(f, c, EPOLLIN) ? -1 : 1;
}

/* Feed n bytes to the parser, answering each whole request; -1: closed. */
static int feed(struct sim_fleet *f, struct sim_conn *c, const char *buf,
		size_t n)
{
	size_t off = 0, used;
	int st;

	while (off < n && !c->close_after_write) {
		st = http_msg_feed(&c->req, buf + off, n - off, &used);
		off += used;
		if (st == HTTP_MSG_NEED_MORE)
			break;
		if (sim_http_request(f, c, st))
			return -1;
		http_msg_reset(&c->req);
	}
	return 0;
}

static void read_requests(struct sim_fleet *f, struct sim_conn *c)
{
	char buf[16384];
	int ret;

	for (;;) {
		ERR_clear_error();
		ret = SSL_read(c->ssl, buf, sizeof(buf));
		if (ret <= 0) {
			if (ssl_wait(f, c, ret)) {
				ERR_clear_error();
				sim_conn_close(f, c, false);
			}
			return;
		}
		c->deadline_ms = sim_now_ms() +
				 (uint64_t)(f->opt->idle_timeout_s * 1000);
		if (feed(f, c, buf, (size_t)ret))
			return;
		if ((c->out || c->close_after_write) && flush(f, c) <= 0)
			return;
	}
}

void sim_server_event(struct sim_fleet *f, struct sim_conn *c, uint32_t events)
{
	if (c->stalled) {
		if (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR))
			sim_conn_close(f, c, false);
		return;
	}
	if (!c->handshake_done && handshake(f, c) <= 0)
		return;
	if ((c->out || c->close_after_write) && flush(f, c) <= 0)
		return;
	read_requests(f, c);
}
