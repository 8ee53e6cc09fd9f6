/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Provisioning certificates for TLS-PKI sessions: every *.pem in the
 * profile's certs_dir holding a chain (leaf first, root last) and the
 * leaf's private key. A device is served by the first chain whose root's
 * SHA-1/256/384 (or SHA-512, when the [hello] rules read hash type 3 so)
 * is in the device's Hello and whose leaf CN ends with the profile domain.
 * Safe to use from several threads.
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
/*
 * Load certs_dir/base (a *.pem file name) and serve it from the next
 * match on: 0; 1 when a chain of that name is loaded already (a restart
 * replaces it); -1 when it does not load (logged).
 */
int cert_set_add(struct cert_set *cs, const char *base);
void cert_set_free(struct cert_set *cs);
size_t cert_set_count(struct cert_set *cs);

/*
 * The SSL_CTX of the first chain matching the validated v3 Hello
 * (hello/len, read with the AMT_HELLO_F_* flags) and domain, or NULL; name
 * gets the file's base name. The SSL_CTX lives as long as cs.
 */
SSL_CTX *cert_set_match(struct cert_set *cs, const __u8 *hello, __u32 len,
			__u32 flags, const char *domain, char *name,
			size_t name_len);

#endif /* AMTSCAD_SESSION_CERTS_H */
