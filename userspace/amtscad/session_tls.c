// SPDX-License-Identifier: GPL-2.0-only
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "session_tls.h"

struct psk_cred {
	char identity[9]; /* PID: 8 chars */
	unsigned char key[TLS_PSK_MAX_KEY];
	unsigned int key_len;
};

static int psk_index = -1;

static void psk_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx,
		     long argl, void *argp)
{
	(void)parent, (void)ad, (void)idx, (void)argl, (void)argp;
	if (ptr)
		OPENSSL_clear_free(ptr, sizeof(struct psk_cred));
}

static unsigned int psk_client_cb(SSL *ssl, const char *hint, char *identity,
				  unsigned int max_identity_len,
				  unsigned char *psk, unsigned int max_psk_len)
{
	const struct psk_cred *cred = SSL_get_ex_data(ssl, psk_index);

	(void)hint;
	if (!cred || strlen(cred->identity) + 1 > max_identity_len ||
	    cred->key_len > max_psk_len)
		return 0;
	strcpy(identity, cred->identity);
	memcpy(psk, cred->key, cred->key_len);
	return cred->key_len;
}

static SSL_CTX *ctx_new(int min_version, int max_version)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (!ctx)
		return NULL;
	if (!SSL_CTX_set_min_proto_version(ctx, min_version) ||
	    !SSL_CTX_set_max_proto_version(ctx, max_version)) {
		SSL_CTX_free(ctx);
		return NULL;
	}
	/* AMT devices present self-signed certificates during setup. */
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	/* A device must not make the daemon redo handshakes (CPU). */
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION);
	/*
	 * Read what the socket holds, not a record header and then its body
	 * in two read(2) calls each: about half of the daemon's reads in a
	 * fleet run. Whatever arrives past a response stays buffered in the
	 * SSL, so session.c reads on when SSL_has_pending().
	 */
	SSL_CTX_set_read_ahead(ctx, 1);
	return ctx;
}

SSL_CTX *session_tls_ctx_psk(const char *ciphers, int min_version,
			     int max_version)
{
	SSL_CTX *ctx;

	if (psk_index < 0)
		psk_index = SSL_get_ex_new_index(0, NULL, NULL, NULL, psk_free);
	if (psk_index < 0)
		return NULL;
	ctx = ctx_new(min_version, max_version);
	if (!ctx)
		return NULL;
	if (!SSL_CTX_set_cipher_list(ctx, ciphers)) {
		SSL_CTX_free(ctx);
		return NULL;
	}
	SSL_CTX_set_psk_client_callback(ctx, psk_client_cb);
	return ctx;
}

SSL_CTX *session_tls_ctx_pki(const char *chain_pem, const char *key_pem,
			     int min_version, int max_version)
{
	SSL_CTX *ctx = ctx_new(min_version, max_version);

	if (!ctx)
		return NULL;
	if (SSL_CTX_use_certificate_chain_file(ctx, chain_pem) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, key_pem, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		SSL_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

int session_tls_set_psk(SSL *ssl, const char *pid, const char *pps, int sha256)
{
	struct psk_cred *cred;
	size_t i;

	if (strlen(pid) != 8 || psk_index < 0)
		return -1;
	cred = OPENSSL_zalloc(sizeof(*cred));
	if (!cred)
		return -1;
	memcpy(cred->identity, pid, 8);
	for (i = 0; pps[i]; i++) {
		if (pps[i] == '-')
			continue;
		if (!isalnum((unsigned char)pps[i]) ||
		    cred->key_len == TLS_PSK_MAX_KEY) {
			OPENSSL_clear_free(cred, sizeof(*cred));
			return -1;
		}
		cred->key[cred->key_len++] = pps[i];
	}
	/* [U] derivation: SHA-256 of the 32 ASCII characters instead. */
	if (sha256 && cred->key_len == 32 &&
	    !EVP_Digest(cred->key, 32, cred->key, NULL, EVP_sha256(), NULL))
		cred->key_len = 0;
	if (cred->key_len != 32 || !SSL_set_ex_data(ssl, psk_index, cred)) {
		OPENSSL_clear_free(cred, sizeof(*cred));
		return -1;
	}
	return 0;
}
