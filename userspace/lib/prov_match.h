/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The rules that pair a provisioning certificate with a device, shared by
 * the daemon's sessions and cert add and by amtscactl doctor: the leaf CN
 * against the domain, the chain's root against the hashes of a v3 Hello.
 */
#ifndef AMTSCA_PROV_MATCH_H
#define AMTSCA_PROV_MATCH_H

#include <openssl/x509.h>

#include <amtsca/hello.h>

/* Is cn the domain, or does it end with "." + domain (case-insensitive)? */
int prov_cn_matches_domain(const char *cn, const char *domain);

/* A root certificate's digests, one per algorithm a hash entry may name. */
struct prov_root_digests {
	unsigned char sha1[AMT_HASH_SHA1_LEN];
	unsigned char sha256[AMT_HASH_SHA256_LEN];
	unsigned char sha384[AMT_HASH_SHA384_LEN];
	unsigned char sha512[AMT_HASH_SHA512_LEN];
};

/* Fill d from root; 0, or -1 when OpenSSL fails. */
int prov_root_digests(X509 *root, struct prov_root_digests *d);

/*
 * The 1-based index of the first hash entry of hello (validated, v3, len
 * bytes) that names the root of d, hash type 3 read as the AMT_HELLO_F_*
 * flags say, and its hash type in *type (when type is not NULL); 0 when
 * none does.
 */
unsigned int prov_hello_root_entry(const __u8 *hello, __u32 len, __u32 flags,
				   const struct prov_root_digests *d,
				   __u8 *type);

#endif /* AMTSCA_PROV_MATCH_H */
