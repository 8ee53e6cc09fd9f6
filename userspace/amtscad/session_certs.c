// SPDX-License-Identifier: GPL-2.0-only
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "log.h"
#include "session_certs.h"

struct prov_cert {
	char name[128];
	char cn[256];
	unsigned char sha1[AMT_HASH_SHA1_LEN];
	unsigned char sha256[AMT_HASH_SHA256_LEN];
	unsigned char sha384[AMT_HASH_SHA384_LEN];
	SSL_CTX *ctx;
};

struct cert_set {
	struct prov_cert *certs;
	size_t n;
};

int cert_cn_matches_domain(const char *cn, const char *domain)
{
	size_t c = strlen(cn), d = strlen(domain);

	if (!d || c < d || strcasecmp(cn + c - d, domain))
		return 0;
	return c == d || cn[c - d - 1] == '.';
}

/* Read leaf CN and root hashes from the chain file; 0 on success. */
static int read_chain(const char *path, struct prov_cert *pc)
{
	X509 *x, *leaf = NULL, *root = NULL;
	unsigned int len;
	FILE *f = fopen(path, "r");
	int ok = 0;

	if (!f)
		return -1;
	while ((x = PEM_read_X509(f, NULL, NULL, NULL))) {
		if (!leaf)
			leaf = x;
		else {
			X509_free(root);
			root = x;
		}
	}
	fclose(f);
	if (!root && leaf)
		root = X509_dup(leaf);
	if (leaf && root &&
	    X509_NAME_get_text_by_NID(X509_get_subject_name(leaf),
				      NID_commonName, pc->cn,
				      sizeof(pc->cn)) > 0 &&
	    X509_digest(root, EVP_sha1(), pc->sha1, &len) &&
	    X509_digest(root, EVP_sha256(), pc->sha256, &len) &&
	    X509_digest(root, EVP_sha384(), pc->sha384, &len))
		ok = 1;
	X509_free(leaf);
	X509_free(root);
	return ok ? 0 : -1;
}

struct cert_set *
cert_set_load(const char *certs_dir,
	      SSL_CTX *(*make_ctx)(const char *path, void *arg), void *arg)
{
	struct cert_set *cs = calloc(1, sizeof(*cs));
	struct dirent **names = NULL;
	int n, i;

	if (!cs)
		return NULL;
	n = scandir(certs_dir, &names, NULL, alphasort);
	if (n < 0) {
		log_event(LOG_LVL_WARN, "certs_dir_unreadable", "dir=%s",
			  certs_dir);
		return cs;
	}
	cs->certs = calloc(n ? n : 1, sizeof(*cs->certs));
	for (i = 0; i < n; i++) {
		const char *base = names[i]->d_name;
		size_t blen = strlen(base);
		struct prov_cert *pc;
		char path[512];

		if (!cs->certs || blen < 5 || strcmp(base + blen - 4, ".pem"))
			goto next;
		snprintf(path, sizeof(path), "%s/%s", certs_dir, base);
		pc = &cs->certs[cs->n];
		snprintf(pc->name, sizeof(pc->name), "%s", base);
		if (read_chain(path, pc) || !(pc->ctx = make_ctx(path, arg))) {
			log_event(LOG_LVL_WARN, "cert_skipped",
				  "file=%s reason=\"no chain, CN or key\"",
				  path);
			goto next;
		}
		log_event(LOG_LVL_INFO, "cert_loaded", "file=%s cn=%s", path,
			  pc->cn);
		cs->n++;
next:
		free(names[i]);
	}
	free(names);
	if (!cs->certs) {
		free(cs);
		return NULL;
	}
	return cs;
}

void cert_set_free(struct cert_set *cs)
{
	size_t i;

	if (!cs)
		return;
	for (i = 0; i < cs->n; i++)
		SSL_CTX_free(cs->certs[i].ctx);
	free(cs->certs);
	free(cs);
}

size_t cert_set_count(const struct cert_set *cs)
{
	return cs ? cs->n : 0;
}

static const unsigned char *root_hash(const struct prov_cert *pc, __u8 type)
{
	switch (type) {
	case AMT_HASH_SHA1:
		return pc->sha1;
	case AMT_HASH_SHA256:
		return pc->sha256;
	case AMT_HASH_SHA384:
		return pc->sha384;
	}
	return NULL;
}

static int hello_has_root(const struct prov_cert *pc, const __u8 *hello,
			  __u32 len)
{
	__u32 off = AMT_HELLO_PKI_HDR_LEN, i, n = hello[AMT_HELLO_HDR_LEN];

	for (i = 0; i < n && off + AMT_HELLO_HASH_HDR_LEN <= len; i++) {
		__u8 type = hello[off], size = hello[off + 1];
		const unsigned char *h = root_hash(pc, type);

		if (off + AMT_HELLO_HASH_HDR_LEN + size > len)
			break;
		if (h && size == amt_hash_len(type, 0) &&
		    !memcmp(h, hello + off + AMT_HELLO_HASH_HDR_LEN, size))
			return 1;
		off += AMT_HELLO_HASH_HDR_LEN + size;
	}
	return 0;
}

SSL_CTX *cert_set_match(const struct cert_set *cs, const __u8 *hello, __u32 len,
			const char *domain, const char **name)
{
	size_t i;

	if (!cs || len < AMT_HELLO_PKI_HDR_LEN)
		return NULL;
	for (i = 0; i < cs->n; i++) {
		const struct prov_cert *pc = &cs->certs[i];

		if (cert_cn_matches_domain(pc->cn, domain) &&
		    hello_has_root(pc, hello, len)) {
			*name = pc->name;
			return pc->ctx;
		}
	}
	return NULL;
}
