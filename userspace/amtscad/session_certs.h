/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Provisioning certificates for TLS-PKI sessions: every *.pem in the
 * profile's certs_dir holding a chain (leaf first, root last) and the
 * leaf's private key. A device is served by the first chain whose root's
 * SHA-1/256/384 is in the device's Hello and whose leaf CN ends with the
 * profile domain.
 */
#ifndef AMTSCAD_SESSION_CERTS_H
#define AMTSCAD_SESSION_CERTS_H

#include <stddef.h>

#include <openssl/ssl.h>

#include <amtsca/hello.h>

struct cert_set;

/*
 * Load certs_dir; each chain gets an SSL_CTX from make_ctx(chain_path).
 * A file that does not load is logged and skipped. NULL on no memory.
 */
struct cert_set *
cert_set_load(const char *certs_dir,
	      SSL_CTX *(*make_ctx)(const char *path, void *arg), void *arg);
void cert_set_free(struct cert_set *cs);
size_t cert_set_count(const struct cert_set *cs);

/*
 * The SSL_CTX of the first chain matching the validated v3 Hello
 * (hello/len) and domain, or NULL; *name gets the file's base name.
 */
SSL_CTX *cert_set_match(const struct cert_set *cs, const __u8 *hello, __u32 len,
			const char *domain, const char **name);

/* Does the leaf CN cn end with domain at a label boundary (or equal it)? */
int cert_cn_matches_domain(const char *cn, const char *domain);

#endif /* AMTSCAD_SESSION_CERTS_H */
