/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * OpenSSL client contexts for a provisioning session.
 * PSK: identity = the device's PID, key = the PPS as ASCII with the dashes
 * removed (32 bytes) [U, configurable derivation later]; per-connection
 * credentials ride on the SSL object, never in a global.
 * PKI: the provisioning certificate chain and its key, presented when the
 * device asks for a client certificate.
 */
#ifndef AMTSCAD_SESSION_TLS_H
#define AMTSCAD_SESSION_TLS_H

#include <openssl/ssl.h>

#define TLS_PSK_MAX_KEY 64

/* ciphers: TLS 1.2 cipher list; min/max: TLS1_VERSION ... TLS1_3_VERSION. */
SSL_CTX *session_tls_ctx_psk(const char *ciphers, int min_version,
			     int max_version);
SSL_CTX *session_tls_ctx_pki(const char *chain_pem, const char *key_pem,
			     int min_version, int max_version);
/*
 * Attach the PID/PPS pair to ssl; 0, or -1 if either is malformed. The key
 * is the 32 PPS characters as ASCII, or their SHA-256 when sha256 is set
 * (session.psk_key_derivation).
 */
int session_tls_set_psk(SSL *ssl, const char *pid, const char *pps, int sha256);

#endif /* AMTSCAD_SESSION_TLS_H */
