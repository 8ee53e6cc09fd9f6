// SPDX-License-Identifier: GPL-2.0-only
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "prov_match.h"

int prov_cn_matches_domain(const char *cn, const char *domain)
{
	size_t c = strlen(cn), d;

	while (*domain == '.')
		domain++;
	d = strlen(domain);
	if (!d || c < d || strcasecmp(cn + c - d, domain))
		return 0;
	return c == d || cn[c - d - 1] == '.';
}

int prov_root_digests(X509 *root, struct prov_root_digests *d)
{
	unsigned int len;
	int ok;

	ok = X509_digest(root, EVP_sha1(), d->sha1, &len) &&
	     X509_digest(root, EVP_sha256(), d->sha256, &len) &&
	     X509_digest(root, EVP_sha384(), d->sha384, &len) &&
	     X509_digest(root, EVP_sha512(), d->sha512, &len);
	return ok ? 0 : -1;
}

/* The digest a hash entry of type names, as flags read type 3. */
static const unsigned char *digest_for(const struct prov_root_digests *d,
				       __u8 type, __u32 flags)
{
	switch (type) {
	case AMT_HASH_SHA1:
		return d->sha1;
	case AMT_HASH_SHA256:
		return d->sha256;
	case AMT_HASH_SHA384:
		return (flags & AMT_HELLO_F_TYPE3_SHA512) ? d->sha512 :
							    d->sha384;
	}
	return NULL;
}

unsigned int prov_hello_root_entry(const __u8 *hello, __u32 len, __u32 flags,
				   const struct prov_root_digests *d,
				   __u8 *type)
{
	__u32 off = AMT_HELLO_PKI_HDR_LEN, i, n;
	const unsigned char *want;
	__u8 t, size;

	if (len < AMT_HELLO_PKI_HDR_LEN)
		return 0;
	n = hello[AMT_HELLO_HDR_LEN];
	for (i = 0; i < n && off + AMT_HELLO_HASH_HDR_LEN <= len; i++) {
		t = hello[off];
		size = hello[off + 1];
		if (off + AMT_HELLO_HASH_HDR_LEN + size > len)
			break;
		want = digest_for(d, t, flags);
		if (want && size == amt_hash_len(t, flags) &&
		    !memcmp(want, hello + off + AMT_HELLO_HASH_HDR_LEN, size)) {
			if (type)
				*type = t;
			return i + 1;
		}
		off += AMT_HELLO_HASH_HDR_LEN + size;
	}
	return 0;
}
