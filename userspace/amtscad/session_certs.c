// SPDX-License-Identifier: GPL-2.0-only
#include <dirent.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "log.h"
#include "prov_match.h"
#include "session_certs.h"

struct prov_cert {
	char name[128];
	char cn[256];
	struct prov_root_digests root;
	SSL_CTX *ctx;
};

/*
 * Chains are only ever added (cert_set_add, from the control thread) while
 * workers match, so an SSL_CTX handed out stays valid until cert_set_free;
 * lock guards the array, which an add may move.
 */
struct cert_set {
	pthread_mutex_t lock;
	struct prov_cert *certs;
	size_t n, cap;
	char *dir;
	SSL_CTX *(*make_ctx)(const char *path, void *arg);
	void *arg;
};

/* Read leaf CN and root hashes from the chain file; 0 on success. */
static int read_chain(const char *path, struct prov_cert *pc)
{
	X509 *x, *leaf = NULL, *root = NULL;
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
	    !prov_root_digests(root, &pc->root))
		ok = 1;
	X509_free(leaf);
	X509_free(root);
	return ok ? 0 : -1;
}

/* Load certs_dir/base into pc; logs either way. 0 on success. */
static int load_one(const struct cert_set *cs, const char *base,
		    struct prov_cert *pc)
{
	size_t blen = strlen(base);
	char path[512];

	if (blen < 5 || strcmp(base + blen - 4, ".pem") || strchr(base, '/') ||
	    snprintf(path, sizeof(path), "%s/%s", cs->dir, base) >=
		    (int)sizeof(path))
		return -1;
	memset(pc, 0, sizeof(*pc));
	snprintf(pc->name, sizeof(pc->name), "%s", base);
	if (read_chain(path, pc) || !(pc->ctx = cs->make_ctx(path, cs->arg))) {
		log_event(LOG_LVL_WARN, "cert_skipped",
			  "file=%s reason=\"no chain, CN or key\"", path);
		return -1;
	}
	log_event(LOG_LVL_INFO, "cert_loaded", "file=%s cn=%s", path, pc->cn);
	return 0;
}

/* Room for one more chain; the caller holds cs->lock or is alone. */
static struct prov_cert *next_slot(struct cert_set *cs)
{
	size_t cap = cs->cap ? cs->cap * 2 : 8;
	struct prov_cert *more;

	if (cs->n == cs->cap) {
		more = realloc(cs->certs, cap * sizeof(*more));
		if (!more)
			return NULL;
		cs->certs = more;
		cs->cap = cap;
	}
	return &cs->certs[cs->n];
}

struct cert_set *
cert_set_load(const char *certs_dir,
	      SSL_CTX *(*make_ctx)(const char *path, void *arg), void *arg)
{
	struct cert_set *cs = calloc(1, sizeof(*cs));
	struct dirent **names = NULL;
	struct prov_cert *pc;
	int n, i;

	if (!cs)
		return NULL;
	pthread_mutex_init(&cs->lock, NULL);
	cs->make_ctx = make_ctx;
	cs->arg = arg;
	cs->dir = strdup(certs_dir);
	if (!cs->dir) {
		cert_set_free(cs);
		return NULL;
	}
	n = scandir(certs_dir, &names, NULL, alphasort);
	if (n < 0) {
		log_event(LOG_LVL_WARN, "certs_dir_unreadable", "dir=%s",
			  certs_dir);
		return cs;
	}
	for (i = 0; i < n; i++) {
		pc = cs ? next_slot(cs) : NULL;
		if (cs && !pc) {
			cert_set_free(cs);
			cs = NULL;
		}
		if (pc && !load_one(cs, names[i]->d_name, pc))
			cs->n++;
		free(names[i]);
	}
	free(names);
	return cs;
}

/*
 * Is a chain of that file name served? Only the adding thread (the
 * control socket's) changes the names, so its answer holds until it adds.
 */
static bool served(struct cert_set *cs, const char *base)
{
	bool found = false;
	size_t i;

	pthread_mutex_lock(&cs->lock);
	for (i = 0; i < cs->n && !found; i++)
		found = !strcmp(cs->certs[i].name, base);
	pthread_mutex_unlock(&cs->lock);
	return found;
}

int cert_set_add(struct cert_set *cs, const char *base)
{
	struct prov_cert pc, *slot;

	if (served(cs, base))
		return 1;
	if (load_one(cs, base, &pc))
		return -1;
	pthread_mutex_lock(&cs->lock);
	slot = next_slot(cs);
	if (slot) {
		*slot = pc;
		cs->n++;
	}
	pthread_mutex_unlock(&cs->lock);
	if (!slot)
		SSL_CTX_free(pc.ctx);
	return slot ? 0 : -1;
}

void cert_set_free(struct cert_set *cs)
{
	size_t i;

	if (!cs)
		return;
	for (i = 0; i < cs->n; i++)
		SSL_CTX_free(cs->certs[i].ctx);
	free(cs->certs);
	free(cs->dir);
	pthread_mutex_destroy(&cs->lock);
	free(cs);
}

size_t cert_set_count(struct cert_set *cs)
{
	size_t n;

	if (!cs)
		return 0;
	pthread_mutex_lock(&cs->lock);
	n = cs->n;
	pthread_mutex_unlock(&cs->lock);
	return n;
}

SSL_CTX *cert_set_match(struct cert_set *cs, const __u8 *hello, __u32 len,
			__u32 flags, const char *domain, char *name,
			size_t name_len)
{
	SSL_CTX *ctx = NULL;
	size_t i;

	if (!cs || len < AMT_HELLO_PKI_HDR_LEN)
		return NULL;
	pthread_mutex_lock(&cs->lock);
	for (i = 0; i < cs->n && !ctx; i++) {
		const struct prov_cert *pc = &cs->certs[i];

		if (prov_cn_matches_domain(pc->cn, domain) &&
		    prov_hello_root_entry(hello, len, flags, &pc->root, NULL)) {
			snprintf(name, name_len, "%s", pc->name);
			ctx = pc->ctx;
		}
	}
	pthread_mutex_unlock(&cs->lock);
	return ctx;
}
