// SPDX-License-Identifier: GPL-2.0-only
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "session_secrets.h"

/* No XML metacharacters or quotes: the password travels in SOAP bodies. */
static const char symbols[] = "!#%*+-=?@^_";
static const char alnum_upper[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/*
 * Random bytes drawn from OpenSSL a block at a time: one RAND_bytes call
 * per character cost more than the rest of making the secret.
 */
struct random_pool {
	unsigned char b[64];
	size_t pos;
};

static void pool_init(struct random_pool *p)
{
	p->pos = sizeof(p->b);
}

static void pool_wipe(struct random_pool *p)
{
	OPENSSL_cleanse(p->b, sizeof(p->b));
	p->pos = sizeof(p->b);
}

/* Unbiased index in 0..n-1 from random bytes (rejection sampling). */
static int random_index(struct random_pool *p, unsigned int n,
			unsigned int *out)
{
	unsigned int limit = 256 - 256 % n;
	unsigned char b;

	do {
		if (p->pos == sizeof(p->b)) {
			if (RAND_bytes(p->b, sizeof(p->b)) != 1)
				return -1;
			p->pos = 0;
		}
		b = p->b[p->pos++];
	} while (b >= limit);
	*out = b % n;
	return 0;
}

static int random_from(struct random_pool *p, const char *set, char *out)
{
	unsigned int i;

	if (random_index(p, strlen(set), &i))
		return -1;
	*out = set[i];
	return 0;
}

int secret_password_ok(const char *pw)
{
	int upper = 0, lower = 0, digit = 0, symbol = 0;
	size_t len = strlen(pw), i;

	for (i = 0; i < len; i++) {
		unsigned char c = pw[i];

		upper |= isupper(c) != 0;
		lower |= islower(c) != 0;
		digit |= isdigit(c) != 0;
		symbol |= isgraph(c) && !isalnum(c);
	}
	return len >= 8 && len <= 32 && upper && lower && digit && symbol;
}

int secret_admin_password(char *out, size_t len)
{
	static const char *const classes[] = {
		"ABCDEFGHIJKLMNOPQRSTUVWXYZ",
		"abcdefghijklmnopqrstuvwxyz",
		"0123456789",
		symbols,
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
		"!#%*+-=?@^_",
	};
	struct random_pool pool;
	size_t i;
	int r = 0;

	if (len < 8 || len > 32)
		return -1;
	pool_init(&pool);
	/* Draw until every class is present; expected < 2 rounds at 16. */
	do {
		for (i = 0; i < len && !r; i++)
			r = random_from(&pool, classes[4], &out[i]);
		out[len] = '\0';
	} while (!r && !secret_password_ok(out));
	pool_wipe(&pool);
	return r;
}

int secret_pid_pps_chars(char *out, size_t len)
{
	struct random_pool pool;
	size_t i;
	int r = 0;

	pool_init(&pool);
	for (i = 0; i < len && !r; i++)
		r = random_from(&pool, alnum_upper, &out[i]);
	out[len] = '\0';
	pool_wipe(&pool);
	return r;
}

int secret_hostname(const char *prefix, const char *uuid, char *out,
		    size_t outlen)
{
	size_t n = strlen(uuid), i, p;
	int w;

	if (n != 36)
		return -1;
	w = snprintf(out, outlen, "%s%s", prefix, uuid + 24);
	if (w < 0 || (size_t)w >= outlen)
		return -1;
	for (p = strlen(prefix), i = p; out[i]; i++)
		out[i] = tolower((unsigned char)out[i]);
	return 0;
}

int secret_acl_digest(const char *user, const char *realm, const char *password,
		      int base64, char *out, size_t outlen)
{
	unsigned char md[16];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok, i;

	ok = ctx && EVP_DigestInit_ex(ctx, EVP_md5(), NULL) &&
	     EVP_DigestUpdate(ctx, user, strlen(user)) &&
	     EVP_DigestUpdate(ctx, ":", 1) &&
	     EVP_DigestUpdate(ctx, realm, strlen(realm)) &&
	     EVP_DigestUpdate(ctx, ":", 1) &&
	     EVP_DigestUpdate(ctx, password, strlen(password)) &&
	     EVP_DigestFinal_ex(ctx, md, &mdlen) && mdlen == 16;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return -1;
	if (base64) {
		if (outlen < 25)
			return -1;
		EVP_EncodeBlock((unsigned char *)out, md, 16);
	} else {
		if (outlen < 33)
			return -1;
		for (i = 0; i < 16; i++)
			snprintf(out + 2 * i, 3, "%02x", md[i]);
	}
	OPENSSL_cleanse(md, sizeof(md));
	return 0;
}
