/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * HTTP Digest authentication (RFC 2617 / RFC 7616), MD5 with qop=auth or
 * the RFC 2069 form without qop: the WWW-Authenticate and Authorization
 * header parsers, the client response and the server challenge/verify.
 * Header arguments are the field value after "WWW-Authenticate:" or
 * "Authorization:", starting with the scheme "Digest".
 */
#ifndef AMTSCA_HTTP_DIGEST_H
#define AMTSCA_HTTP_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP_DIGEST_FIELD_MAX 256 /* longest parameter value kept, + NUL */
#define HTTP_DIGEST_URI_MAX 1024
#define HTTP_DIGEST_HEX_LEN 32 /* an MD5 digest in hex */

enum http_digest_err {
	HTTP_DIGEST_OK = 0,
	HTTP_DIGEST_ERR_SCHEME = -1, /* scheme is not "Digest" */
	HTTP_DIGEST_ERR_SYNTAX = -2, /* not a list of name=value */
	HTTP_DIGEST_ERR_TOO_LONG = -3, /* a value exceeds its field */
	HTTP_DIGEST_ERR_DUPLICATE = -4, /* a parameter given twice */
	HTTP_DIGEST_ERR_MISSING = -5, /* a required parameter is absent */
	HTTP_DIGEST_ERR_ALGORITHM = -6, /* algorithm other than MD5 */
	HTTP_DIGEST_ERR_QOP = -7, /* qop offered/used without "auth" */
	HTTP_DIGEST_ERR_NC = -8, /* nc neither 8 hex digits nor "decimal" */
	HTTP_DIGEST_ERR_BUFFER = -9, /* output buffer too small */
	HTTP_DIGEST_ERR_REALM = -10, /* realm does not match the challenge */
	HTTP_DIGEST_ERR_NONCE = -11, /* nonce does not match the challenge */
	HTTP_DIGEST_ERR_RESPONSE = -12, /* wrong response (password) */
	HTTP_DIGEST_ERR_CRYPTO = -13, /* OpenSSL failed (random bytes, MD5) */
};

const char *http_digest_strerror(int err);

/* A parsed WWW-Authenticate challenge, or one a server made. */
struct http_digest_challenge {
	char realm[HTTP_DIGEST_FIELD_MAX];
	char nonce[HTTP_DIGEST_FIELD_MAX];
	char opaque[HTTP_DIGEST_FIELD_MAX]; /* "" when absent */
	char algorithm[HTTP_DIGEST_FIELD_MAX]; /* "" when absent (= MD5) */
	bool has_qop; /* a qop list was offered */
	bool qop_auth; /* ... and it contains "auth" */
	bool qop_auth_int; /* ... and it contains "auth-int" */
	bool stale;
};

/* A parsed Authorization header. */
struct http_digest_credentials {
	char username[HTTP_DIGEST_FIELD_MAX];
	char realm[HTTP_DIGEST_FIELD_MAX];
	char nonce[HTTP_DIGEST_FIELD_MAX];
	char uri[HTTP_DIGEST_URI_MAX];
	char response[HTTP_DIGEST_FIELD_MAX];
	char cnonce[HTTP_DIGEST_FIELD_MAX];
	char opaque[HTTP_DIGEST_FIELD_MAX];
	char algorithm[HTTP_DIGEST_FIELD_MAX];
	char qop[HTTP_DIGEST_FIELD_MAX]; /* "" for RFC 2069 */
	char nc_text[HTTP_DIGEST_FIELD_MAX]; /* as sent: it is hashed */
	uint32_t nc;
};

/* Parse a WWW-Authenticate value of len bytes (need not be NUL-terminated). */
int http_digest_parse_challenge(const char *hdr, size_t len,
				struct http_digest_challenge *c);

/*
 * Write the Authorization value answering c into out. qop=auth is used when
 * offered (then cnonce and nc are required; cnonce NULL makes a random one),
 * the RFC 2069 form when no qop was offered. Control characters in
 * username, method, uri or cnonce give HTTP_DIGEST_ERR_SYNTAX.
 */
int http_digest_authorization(const struct http_digest_challenge *c,
			      const char *username, const char *password,
			      const char *method, const char *uri,
			      const char *cnonce, uint32_t nc, char *out,
			      size_t cap);

/*
 * Server side: fill c with realm "Digest:" + 32 uppercase hex (a random one
 * when realm is NULL), a fresh random nonce (32 base64 characters, as AMT
 * sends), qop auth and the given stale flag.
 */
int http_digest_make_challenge(struct http_digest_challenge *c,
			       const char *realm, bool stale);

/* Give c a fresh random nonce. */
int http_digest_new_nonce(struct http_digest_challenge *c);

/* Write the WWW-Authenticate value for c into out. */
int http_digest_format_challenge(const struct http_digest_challenge *c,
				 char *out, size_t cap);

/*
 * Parse an Authorization value. nc is accepted as 8 hex digits (RFC 2617)
 * or, when allow_quoted_decimal_nc, also as a quoted decimal (nc="6", seen
 * from host-based setup clients).
 */
int http_digest_parse_authorization(const char *hdr, size_t len,
				    bool allow_quoted_decimal_nc,
				    struct http_digest_credentials *r);

/*
 * Check r against the challenge c that was issued, the request method and
 * the user's password. Returns HTTP_DIGEST_OK or the first mismatch.
 */
int http_digest_verify(const struct http_digest_credentials *r,
		       const struct http_digest_challenge *c,
		       const char *method, const char *password);

/*
 * As http_digest_verify, for a server that keeps only HA1 =
 * MD5(user ":" realm ":" password) in hex (any case), as AMT stores the
 * admin password set by SetAdminAclEntryEx.
 */
int http_digest_verify_ha1(const struct http_digest_credentials *r,
			   const struct http_digest_challenge *c,
			   const char *method, const char *ha1);

/* out = HA1 = lowercase hex MD5(user ":" realm ":" password). */
int http_digest_ha1(const char *user, const char *realm, const char *password,
		    char out[HTTP_DIGEST_HEX_LEN + 1]);

#endif /* AMTSCA_HTTP_DIGEST_H */
