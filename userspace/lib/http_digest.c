// SPDX-License-Identifier: GPL-2.0-only
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "http_chars.h"
#include "http_digest.h"

#define REALM_PREFIX "Digest:"
#define REALM_RANDOM_BYTES 16
#define NONCE_RANDOM_BYTES 24 /* 32 base64 characters, like AMT's nonces */
#define CNONCE_RANDOM_BYTES 16

const char *http_digest_strerror(int err)
{
	switch (err) {
	case HTTP_DIGEST_OK:
		return "ok";
	case HTTP_DIGEST_ERR_SCHEME:
		return "scheme is not Digest";
	case HTTP_DIGEST_ERR_SYNTAX:
		return "malformed parameter list";
	case HTTP_DIGEST_ERR_TOO_LONG:
		return "parameter value too long";
	case HTTP_DIGEST_ERR_DUPLICATE:
		return "parameter given twice";
	case HTTP_DIGEST_ERR_MISSING:
		return "required parameter missing";
	case HTTP_DIGEST_ERR_ALGORITHM:
		return "algorithm is not MD5";
	case HTTP_DIGEST_ERR_QOP:
		return "qop auth not offered or not used";
	case HTTP_DIGEST_ERR_NC:
		return "bad nonce count";
	case HTTP_DIGEST_ERR_BUFFER:
		return "output buffer too small";
	case HTTP_DIGEST_ERR_REALM:
		return "realm mismatch";
	case HTTP_DIGEST_ERR_NONCE:
		return "nonce mismatch";
	case HTTP_DIGEST_ERR_RESPONSE:
		return "wrong response";
	case HTTP_DIGEST_ERR_CRYPTO:
		return "OpenSSL failure";
	}
	return "unknown error";
}

/* One name=value pair; value is unescaped and NUL-terminated. */
struct digest_param {
	const char *name;
	size_t name_len;
	char value[HTTP_DIGEST_URI_MAX];
	size_t value_len;
	bool quoted;
};

typedef int (*param_fn)(void *ctx, const struct digest_param *p);

/*
 * Walk "Digest name=value, name="quoted", ..." calling fn for each pair.
 * Empty list elements are allowed (RFC 7230 #rule).
 */
static int parse_params(const char *s, size_t len, param_fn fn, void *ctx)
{
	static const char scheme[] = "Digest";
	struct digest_param p;
	size_t i = 0;
	int err;

	while (i < len && http_is_ows(s[i]))
		i++;
	if (len - i < sizeof(scheme) - 1 ||
	    strncasecmp(s + i, scheme, sizeof(scheme) - 1))
		return HTTP_DIGEST_ERR_SCHEME;
	i += sizeof(scheme) - 1;
	if (i < len && !http_is_ows(s[i]))
		return HTTP_DIGEST_ERR_SCHEME;

	for (;;) {
		while (i < len && (http_is_ows(s[i]) || s[i] == ','))
			i++;
		if (i == len)
			return HTTP_DIGEST_OK;
		p.name = s + i;
		while (i < len && http_is_tchar(s[i]))
			i++;
		p.name_len = (size_t)(s + i - p.name);
		while (i < len && http_is_ows(s[i]))
			i++;
		if (!p.name_len || i == len || s[i] != '=')
			return HTTP_DIGEST_ERR_SYNTAX;
		i++;
		while (i < len && http_is_ows(s[i]))
			i++;
		p.value_len = 0;
		p.quoted = i < len && s[i] == '"';
		if (p.quoted) {
			for (i++;; i++) {
				if (i == len)
					return HTTP_DIGEST_ERR_SYNTAX;
				if (s[i] == '"')
					break;
				if (s[i] == '\\' && ++i == len)
					return HTTP_DIGEST_ERR_SYNTAX;
				/* No CR/LF/NUL can reach a header we write. */
				if (http_is_ctl(s[i]))
					return HTTP_DIGEST_ERR_SYNTAX;
				if (p.value_len == sizeof(p.value) - 1)
					return HTTP_DIGEST_ERR_TOO_LONG;
				p.value[p.value_len++] = s[i];
			}
			i++;
		} else {
			while (i < len && http_is_tchar(s[i])) {
				if (p.value_len == sizeof(p.value) - 1)
					return HTTP_DIGEST_ERR_TOO_LONG;
				p.value[p.value_len++] = s[i++];
			}
			if (!p.value_len)
				return HTTP_DIGEST_ERR_SYNTAX;
		}
		p.value[p.value_len] = '\0';
		while (i < len && http_is_ows(s[i]))
			i++;
		if (i < len && s[i] != ',')
			return HTTP_DIGEST_ERR_SYNTAX;
		err = fn(ctx, &p);
		if (err)
			return err;
	}
}

static bool name_is(const struct digest_param *p, const char *name)
{
	return strlen(name) == p->name_len &&
	       !strncasecmp(p->name, name, p->name_len);
}

/* A known parameter: its slot and the bit that marks it as seen. */
struct param_slot {
	const char *name;
	char *dst;
	size_t cap;
};

static int store_param(const struct digest_param *p,
		       const struct param_slot *slots, size_t n,
		       unsigned int *seen)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!name_is(p, slots[i].name))
			continue;
		if (*seen & (1u << i))
			return HTTP_DIGEST_ERR_DUPLICATE;
		*seen |= 1u << i;
		if (p->value_len >= slots[i].cap)
			return HTTP_DIGEST_ERR_TOO_LONG;
		memcpy(slots[i].dst, p->value, p->value_len + 1);
		return HTTP_DIGEST_OK;
	}
	return HTTP_DIGEST_OK; /* unknown parameters are ignored */
}

struct challenge_ctx {
	struct http_digest_challenge *c;
	struct param_slot slots[6];
	char qop[HTTP_DIGEST_FIELD_MAX];
	char stale[HTTP_DIGEST_FIELD_MAX];
	unsigned int seen;
};

enum { CH_REALM, CH_NONCE, CH_OPAQUE, CH_ALGORITHM, CH_QOP, CH_STALE };

static int challenge_param(void *ctx, const struct digest_param *p)
{
	struct challenge_ctx *cc = ctx;

	return store_param(p, cc->slots, 6, &cc->seen);
}

/* Mark which tokens of a comma-separated qop list are present. */
static void scan_qop_list(const char *list, struct http_digest_challenge *c)
{
	const char *t = list;
	size_t n;

	while (*t) {
		while (*t == ',' || http_is_ows(*t))
			t++;
		n = strcspn(t, ", \t");
		if (n == 4 && !strncasecmp(t, "auth", 4))
			c->qop_auth = true;
		if (n == 8 && !strncasecmp(t, "auth-int", 8))
			c->qop_auth_int = true;
		t += n;
	}
}

int http_digest_parse_challenge(const char *hdr, size_t len,
				struct http_digest_challenge *c)
{
	struct challenge_ctx cc = {
		.c = c,
		.slots = {
			[CH_REALM] = { "realm", c->realm, sizeof(c->realm) },
			[CH_NONCE] = { "nonce", c->nonce, sizeof(c->nonce) },
			[CH_OPAQUE] = { "opaque", c->opaque, sizeof(c->opaque) },
			[CH_ALGORITHM] = { "algorithm", c->algorithm,
					   sizeof(c->algorithm) },
			[CH_QOP] = { "qop", cc.qop, sizeof(cc.qop) },
			[CH_STALE] = { "stale", cc.stale, sizeof(cc.stale) },
		},
	};
	int err;

	memset(c, 0, sizeof(*c));
	err = parse_params(hdr, len, challenge_param, &cc);
	if (err)
		return err;
	if (!(cc.seen & (1u << CH_REALM)) || !(cc.seen & (1u << CH_NONCE)))
		return HTTP_DIGEST_ERR_MISSING;
	c->has_qop = cc.seen & (1u << CH_QOP);
	scan_qop_list(cc.qop, c);
	c->stale = !strcasecmp(cc.stale, "true");
	return HTTP_DIGEST_OK;
}

struct credentials_ctx {
	struct param_slot slots[10];
	unsigned int seen;
};

enum {
	CR_USERNAME,
	CR_REALM,
	CR_NONCE,
	CR_URI,
	CR_RESPONSE,
	CR_CNONCE,
	CR_OPAQUE,
	CR_ALGORITHM,
	CR_QOP,
	CR_NC,
};

static int credentials_param(void *ctx, const struct digest_param *p)
{
	struct credentials_ctx *cc = ctx;

	return store_param(p, cc->slots, 10, &cc->seen);
}

static bool all_digits(const char *s, const char *set, size_t min, size_t max)
{
	size_t n = strspn(s, set);

	return !s[n] && n >= min && n <= max;
}

static int parse_nc(const char *text, bool quoted, bool allow_decimal,
		    uint32_t *nc)
{
	unsigned long long v;

	if (!quoted && all_digits(text, "0123456789abcdefABCDEF", 8, 8)) {
		*nc = (uint32_t)strtoul(text, NULL, 16);
		return HTTP_DIGEST_OK;
	}
	if (quoted && allow_decimal && all_digits(text, "0123456789", 1, 10)) {
		v = strtoull(text, NULL, 10);
		if (v > UINT32_MAX)
			return HTTP_DIGEST_ERR_NC;
		*nc = (uint32_t)v;
		return HTTP_DIGEST_OK;
	}
	return HTTP_DIGEST_ERR_NC;
}

/* nc needs to know whether it was quoted, so it is caught before storing. */
struct nc_ctx {
	struct credentials_ctx cc;
	bool nc_quoted;
};

static int credentials_param_nc(void *ctx, const struct digest_param *p)
{
	struct nc_ctx *nctx = ctx;

	if (name_is(p, "nc"))
		nctx->nc_quoted = p->quoted;
	return credentials_param(&nctx->cc, p);
}

int http_digest_parse_authorization(const char *hdr, size_t len,
				    bool allow_quoted_decimal_nc,
				    struct http_digest_credentials *r)
{
	struct nc_ctx n = {
		.cc.slots = {
			[CR_USERNAME] = { "username", r->username,
					  sizeof(r->username) },
			[CR_REALM] = { "realm", r->realm, sizeof(r->realm) },
			[CR_NONCE] = { "nonce", r->nonce, sizeof(r->nonce) },
			[CR_URI] = { "uri", r->uri, sizeof(r->uri) },
			[CR_RESPONSE] = { "response", r->response,
					  sizeof(r->response) },
			[CR_CNONCE] = { "cnonce", r->cnonce, sizeof(r->cnonce) },
			[CR_OPAQUE] = { "opaque", r->opaque, sizeof(r->opaque) },
			[CR_ALGORITHM] = { "algorithm", r->algorithm,
					   sizeof(r->algorithm) },
			[CR_QOP] = { "qop", r->qop, sizeof(r->qop) },
			[CR_NC] = { "nc", r->nc_text, sizeof(r->nc_text) },
		},
	};
	const unsigned int required = 1u << CR_USERNAME | 1u << CR_REALM |
				      1u << CR_NONCE | 1u << CR_URI |
				      1u << CR_RESPONSE;
	int err;

	memset(r, 0, sizeof(*r));
	err = parse_params(hdr, len, credentials_param_nc, &n);
	if (err)
		return err;
	if ((n.cc.seen & required) != required)
		return HTTP_DIGEST_ERR_MISSING;
	if (!all_digits(r->response, "0123456789abcdefABCDEF",
			HTTP_DIGEST_HEX_LEN, HTTP_DIGEST_HEX_LEN))
		return HTTP_DIGEST_ERR_SYNTAX;
	if (r->algorithm[0] && strcasecmp(r->algorithm, "MD5"))
		return HTTP_DIGEST_ERR_ALGORITHM;
	if (!(n.cc.seen & (1u << CR_QOP)))
		return HTTP_DIGEST_OK;
	if (strcasecmp(r->qop, "auth"))
		return HTTP_DIGEST_ERR_QOP;
	if (!(n.cc.seen & (1u << CR_CNONCE)) || !(n.cc.seen & (1u << CR_NC)))
		return HTTP_DIGEST_ERR_MISSING;
	return parse_nc(r->nc_text, n.nc_quoted, allow_quoted_decimal_nc,
			&r->nc);
}

static void to_hex(const unsigned char *b, size_t n, char *out, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 0xf];
	}
	out[2 * n] = '\0';
}

/* out = lowercase hex MD5 of the parts joined by ':'. */
static int md5_join(char out[HTTP_DIGEST_HEX_LEN + 1], const char *const *parts,
		    size_t n)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	bool ok = ctx && EVP_DigestInit_ex(ctx, EVP_md5(), NULL);
	size_t i;

	for (i = 0; ok && i < n; i++)
		ok = (!i || EVP_DigestUpdate(ctx, ":", 1)) &&
		     EVP_DigestUpdate(ctx, parts[i], strlen(parts[i]));
	ok = ok && EVP_DigestFinal_ex(ctx, md, &md_len) && md_len == 16;
	EVP_MD_CTX_free(ctx);
	if (ok)
		to_hex(md, 16, out, false);
	/* HA1 = MD5(user:realm:password) is as good as the password. */
	OPENSSL_cleanse(md, sizeof(md));
	return ok ? 0 : -1;
}

int http_digest_ha1(const char *user, const char *realm, const char *password,
		    char out[HTTP_DIGEST_HEX_LEN + 1])
{
	const char *a1[] = { user, realm, password };

	return md5_join(out, a1, 3) ? HTTP_DIGEST_ERR_CRYPTO : HTTP_DIGEST_OK;
}

/* The request digest from HA1; qop "" selects the RFC 2069 form. */
static int digest_response_ha1(const char *ha1, const char *method,
			       const char *uri, const char *nonce,
			       const char *nc_text, const char *cnonce,
			       const char *qop,
			       char out[HTTP_DIGEST_HEX_LEN + 1])
{
	char ha2[HTTP_DIGEST_HEX_LEN + 1];
	const char *a2[] = { method, uri };
	const char *with_qop[] = { ha1, nonce, nc_text, cnonce, qop, ha2 };
	const char *without_qop[] = { ha1, nonce, ha2 };

	if (md5_join(ha2, a2, 2))
		return -1;
	if (qop[0])
		return md5_join(out, with_qop, 6);
	return md5_join(out, without_qop, 3);
}

static int digest_response(const char *user, const char *realm,
			   const char *password, const char *method,
			   const char *uri, const char *nonce,
			   const char *nc_text, const char *cnonce,
			   const char *qop, char out[HTTP_DIGEST_HEX_LEN + 1])
{
	char ha1[HTTP_DIGEST_HEX_LEN + 1];
	int r;

	if (http_digest_ha1(user, realm, password, ha1))
		return -1;
	r = digest_response_ha1(ha1, method, uri, nonce, nc_text, cnonce, qop,
				out);
	OPENSSL_cleanse(ha1, sizeof(ha1));
	return r;
}

/* Bounded string builder: overflow is sticky and reported once at the end. */
struct strbuf {
	char *p;
	size_t cap, len;
	bool overflow;
};

static void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (sb->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(sb->p + sb->len, sb->cap - sb->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sb->cap - sb->len)
		sb->overflow = true;
	else
		sb->len += (size_t)n;
}

/* Append one character (the buffer stays NUL-terminated). */
static void sb_putc(struct strbuf *sb, char ch)
{
	if (sb->overflow)
		return;
	if (sb->cap - sb->len < 2) {
		sb->overflow = true;
		return;
	}
	sb->p[sb->len++] = ch;
	sb->p[sb->len] = '\0';
}

/* Append name="value" with '"' and '\' escaped, preceded by ", " if needed. */
static void sb_quoted(struct strbuf *sb, const char *name, const char *value)
{
	/* Every parameter but the first, right after "Digest ", gets a comma. */
	sb_printf(sb, "%s%s=\"", sb->len > strlen("Digest ") ? ", " : "", name);
	/* A character at a time: a printf each was 4 % of the daemon's CPU. */
	for (; *value; value++) {
		if (*value == '"' || *value == '\\')
			sb_putc(sb, '\\');
		sb_putc(sb, *value);
	}
	sb_putc(sb, '"');
}

static int sb_finish(struct strbuf *sb)
{
	return sb->overflow ? HTTP_DIGEST_ERR_BUFFER : HTTP_DIGEST_OK;
}

static bool has_ctl(const char *s)
{
	for (; *s; s++)
		if (http_is_ctl(*s))
			return true;
	return false;
}

static int random_bytes(unsigned char *b, size_t n)
{
	return RAND_bytes(b, (int)n) == 1 ? HTTP_DIGEST_OK :
					    HTTP_DIGEST_ERR_CRYPTO;
}

int http_digest_authorization(const struct http_digest_challenge *c,
			      const char *username, const char *password,
			      const char *method, const char *uri,
			      const char *cnonce, uint32_t nc, char *out,
			      size_t cap)
{
	struct strbuf sb = { .p = out, .cap = cap };
	unsigned char raw[CNONCE_RANDOM_BYTES];
	char own_cnonce[2 * CNONCE_RANDOM_BYTES + 1];
	char response[HTTP_DIGEST_HEX_LEN + 1];
	char nc_text[9];
	const char *qop = c->has_qop ? "auth" : "";
	int err;

	if (c->algorithm[0] && strcasecmp(c->algorithm, "MD5"))
		return HTTP_DIGEST_ERR_ALGORITHM;
	if (c->has_qop && !c->qop_auth)
		return HTTP_DIGEST_ERR_QOP;
	/* Nothing the caller passes may split the header it goes into. */
	if (has_ctl(username) || has_ctl(method) || has_ctl(uri) ||
	    (cnonce && has_ctl(cnonce)))
		return HTTP_DIGEST_ERR_SYNTAX;
	if (!cnonce) {
		err = random_bytes(raw, sizeof(raw));
		if (err)
			return err;
		to_hex(raw, sizeof(raw), own_cnonce, false);
		cnonce = own_cnonce;
	}
	snprintf(nc_text, sizeof(nc_text), "%08x", nc);
	if (digest_response(username, c->realm, password, method, uri, c->nonce,
			    nc_text, cnonce, qop, response))
		return HTTP_DIGEST_ERR_CRYPTO;

	if (!cap)
		return HTTP_DIGEST_ERR_BUFFER;
	out[0] = '\0';
	sb_printf(&sb, "Digest ");
	sb_quoted(&sb, "username", username);
	sb_quoted(&sb, "realm", c->realm);
	sb_quoted(&sb, "nonce", c->nonce);
	sb_quoted(&sb, "uri", uri);
	if (c->algorithm[0])
		sb_printf(&sb, ", algorithm=%s", c->algorithm);
	if (qop[0]) {
		sb_printf(&sb, ", qop=%s, nc=%s", qop, nc_text);
		sb_quoted(&sb, "cnonce", cnonce);
	}
	sb_quoted(&sb, "response", response);
	if (c->opaque[0])
		sb_quoted(&sb, "opaque", c->opaque);
	return sb_finish(&sb);
}

int http_digest_new_nonce(struct http_digest_challenge *c)
{
	unsigned char raw[NONCE_RANDOM_BYTES];
	int err = random_bytes(raw, sizeof(raw));

	if (err)
		return err;
	EVP_EncodeBlock((unsigned char *)c->nonce, raw, sizeof(raw));
	return HTTP_DIGEST_OK;
}

int http_digest_make_challenge(struct http_digest_challenge *c,
			       const char *realm, bool stale)
{
	unsigned char raw[REALM_RANDOM_BYTES];
	int err;

	memset(c, 0, sizeof(*c));
	if (realm) {
		if (strlen(realm) >= sizeof(c->realm))
			return HTTP_DIGEST_ERR_TOO_LONG;
		if (has_ctl(realm))
			return HTTP_DIGEST_ERR_SYNTAX;
		strcpy(c->realm, realm);
	} else {
		err = random_bytes(raw, sizeof(raw));
		if (err)
			return err;
		strcpy(c->realm, REALM_PREFIX);
		to_hex(raw, sizeof(raw), c->realm + strlen(REALM_PREFIX), true);
	}
	c->has_qop = true;
	c->qop_auth = true;
	c->stale = stale;
	return http_digest_new_nonce(c);
}

int http_digest_format_challenge(const struct http_digest_challenge *c,
				 char *out, size_t cap)
{
	struct strbuf sb = { .p = out, .cap = cap };

	if (!cap)
		return HTTP_DIGEST_ERR_BUFFER;
	out[0] = '\0';
	sb_printf(&sb, "Digest ");
	sb_quoted(&sb, "realm", c->realm);
	sb_quoted(&sb, "nonce", c->nonce);
	sb_printf(&sb, ", stale=\"%s\"", c->stale ? "true" : "false");
	if (c->has_qop)
		sb_printf(&sb, ", qop=\"%s\"",
			  c->qop_auth_int ? "auth-int, auth" : "auth");
	if (c->opaque[0])
		sb_quoted(&sb, "opaque", c->opaque);
	return sb_finish(&sb);
}

int http_digest_verify_ha1(const struct http_digest_credentials *r,
			   const struct http_digest_challenge *c,
			   const char *method, const char *ha1)
{
	char expected[HTTP_DIGEST_HEX_LEN + 1], got[HTTP_DIGEST_HEX_LEN + 1];
	size_t i;

	if (strcmp(r->realm, c->realm))
		return HTTP_DIGEST_ERR_REALM;
	if (strcmp(r->nonce, c->nonce))
		return HTTP_DIGEST_ERR_NONCE;
	/* A client may not fall back to RFC 2069 when qop was offered. */
	if (c->has_qop && !r->qop[0])
		return HTTP_DIGEST_ERR_QOP;
	if (strlen(r->response) != HTTP_DIGEST_HEX_LEN ||
	    strlen(ha1) != HTTP_DIGEST_HEX_LEN)
		return HTTP_DIGEST_ERR_SYNTAX;
	for (i = 0; i <= HTTP_DIGEST_HEX_LEN; i++)
		got[i] = (char)tolower((unsigned char)ha1[i]);
	if (digest_response_ha1(got, method, r->uri, r->nonce, r->nc_text,
				r->cnonce, r->qop, expected))
		return HTTP_DIGEST_ERR_CRYPTO;
	for (i = 0; i <= HTTP_DIGEST_HEX_LEN; i++)
		got[i] = (char)tolower((unsigned char)r->response[i]);
	if (CRYPTO_memcmp(expected, got, HTTP_DIGEST_HEX_LEN))
		return HTTP_DIGEST_ERR_RESPONSE;
	return HTTP_DIGEST_OK;
}

int http_digest_verify(const struct http_digest_credentials *r,
		       const struct http_digest_challenge *c,
		       const char *method, const char *password)
{
	char ha1[HTTP_DIGEST_HEX_LEN + 1];
	int err;

	if (http_digest_ha1(r->username, r->realm, password, ha1))
		return HTTP_DIGEST_ERR_CRYPTO;
	err = http_digest_verify_ha1(r, c, method, ha1);
	OPENSSL_cleanse(ha1, sizeof(ha1));
	return err;
}
