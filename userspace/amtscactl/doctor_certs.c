// SPDX-License-Identifier: GPL-2.0-only
/*
 * doctor: the PKI side. Every *.pem in the certificates directory must
 * hold a leaf-first chain ending in a self-signed root plus the leaf's
 * private key; the chain must verify and be in date, and the leaf must
 * carry what AMT checks (amt-protocol.md 4.2): serverAuth, and the Intel
 * provisioning OID or OU. Whether devices trust a root is in the hash list
 * of their v3 Hellos, which the state database does not record: doctor
 * checks the roots against Hellos the operator captured (--hello) and
 * otherwise says it cannot check.
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "doctor.h"
#include "hello_json.h"
#include "prov_match.h"

#define AMT_SETUP_OID "2.16.840.1.113741.1.2.3"
#define AMT_SETUP_OU "Intel(R) Client Setup Certificate"
#define EXPIRY_WARN_DAYS 30

struct pem_file {
	STACK_OF(X509) * chain; /* leaf first */
	EVP_PKEY *key;
};

static int read_pem(const char *path, struct pem_file *pf)
{
	STACK_OF(X509_INFO) * infos;
	X509_INFO *info;
	BIO *bio = BIO_new_file(path, "r");
	int i;

	if (!bio)
		return -1;
	infos = PEM_X509_INFO_read_bio(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (!infos)
		return -1;
	pf->chain = sk_X509_new_null();
	for (i = 0; i < sk_X509_INFO_num(infos); i++) {
		info = sk_X509_INFO_value(infos, i);
		if (info->x509 && sk_X509_push(pf->chain, info->x509))
			info->x509 = NULL;
		if (info->x_pkey && info->x_pkey->dec_pkey && !pf->key) {
			pf->key = info->x_pkey->dec_pkey;
			info->x_pkey->dec_pkey = NULL;
		}
	}
	sk_X509_INFO_pop_free(infos, X509_INFO_free);
	return 0;
}

static bool leaf_has_eku(X509 *leaf, int nid, const char *oid)
{
	EXTENDED_KEY_USAGE *eku =
		X509_get_ext_d2i(leaf, NID_ext_key_usage, NULL, NULL);
	char txt[80];
	bool found = false;
	int i;

	for (i = 0; eku && i < sk_ASN1_OBJECT_num(eku) && !found; i++) {
		ASN1_OBJECT *o = sk_ASN1_OBJECT_value(eku, i);

		if (nid != NID_undef)
			found = OBJ_obj2nid(o) == nid;
		else if (OBJ_obj2txt(txt, sizeof(txt), o, 1) > 0)
			found = !strcmp(txt, oid);
	}
	EXTENDED_KEY_USAGE_free(eku);
	return found;
}

static bool leaf_has_setup_ou(X509 *leaf)
{
	X509_NAME *subject = X509_get_subject_name(leaf);
	int i = -1;

	while ((i = X509_NAME_get_index_by_NID(
			subject, NID_organizationalUnitName, i)) >= 0) {
		ASN1_STRING *s = X509_NAME_ENTRY_get_data(
			X509_NAME_get_entry(subject, i));

		if (ASN1_STRING_length(s) == (int)strlen(AMT_SETUP_OU) &&
		    !memcmp(ASN1_STRING_get0_data(s), AMT_SETUP_OU,
			    strlen(AMT_SETUP_OU)))
			return true;
	}
	return false;
}

static void leaf_cn(X509 *leaf, char *buf, size_t len)
{
	if (X509_NAME_get_text_by_NID(X509_get_subject_name(leaf),
				      NID_commonName, buf, (int)len) < 0)
		snprintf(buf, len, "(no CN)");
}

/* Does the CN match suffix: equal, or ending in ".suffix"? */
/* Verify the chain against its own last certificate as the trust anchor. */
static const char *verify_chain(struct pem_file *pf)
{
	X509 *root = sk_X509_value(pf->chain, sk_X509_num(pf->chain) - 1);
	STACK_OF(X509) *untrusted = sk_X509_new_null();
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	const char *err = NULL;
	int i;

	if (!X509_self_signed(root, 1)) {
		err = "the chain does not end in a self-signed root";
		goto out;
	}
	for (i = 1; i < sk_X509_num(pf->chain) - 1; i++)
		sk_X509_push(untrusted, sk_X509_value(pf->chain, i));
	X509_STORE_add_cert(store, root);
	if (!X509_STORE_CTX_init(ctx, store, sk_X509_value(pf->chain, 0),
				 untrusted) ||
	    X509_verify_cert(ctx) != 1)
		err = X509_verify_cert_error_string(
			X509_STORE_CTX_get_error(ctx));
out:
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	sk_X509_free(untrusted);
	return err;
}

static void hex(const unsigned char *b, unsigned int n, char *out)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

/* Check one file; the leaf's CN goes to cn for the suffix check. Returns
 * true when it is usable. */
static bool check_file(struct doctor *d, const char *path, const char *name,
		       char *cn, size_t cnlen, X509 **root_out)
{
	struct pem_file pf = { 0 };
	unsigned char md[EVP_MAX_MD_SIZE];
	char digest[2 * EVP_MAX_MD_SIZE + 1], until[64];
	unsigned int mdlen, problems = d->fails;
	X509 *leaf, *root;
	struct stat st;
	struct tm tm;
	int days, secs;
	const char *err;
	bool oid, ou;

	if (read_pem(path, &pf) || !sk_X509_num(pf.chain)) {
		doctor_report(
			d, DOCTOR_FAIL, "certs",
			"the file must hold PEM certificates, leaf first, and the leaf's key",
			"%s: no certificate in it", name);
		goto out;
	}
	leaf = sk_X509_value(pf.chain, 0);
	root = sk_X509_value(pf.chain, sk_X509_num(pf.chain) - 1);
	leaf_cn(leaf, cn, cnlen);
	if (!pf.key)
		doctor_report(
			d, DOCTOR_FAIL, "certs",
			"append the leaf's private key to the file (amtscactl cert add does)",
			"%s: no private key", name);
	else if (X509_check_private_key(leaf, pf.key) != 1)
		doctor_report(
			d, DOCTOR_FAIL, "certs",
			"the key in the file belongs to another certificate",
			"%s: the private key does not match the leaf %s", name,
			cn);
	if (pf.key && !stat(path, &st) && (st.st_mode & 077))
		doctor_report(d, DOCTOR_WARN, "certs", "chmod 600 it",
			      "%s: holds a private key but is mode %04o", name,
			      (unsigned int)(st.st_mode & 07777));
	err = verify_chain(&pf);
	if (err)
		doctor_report(
			d, DOCTOR_FAIL, "certs",
			"the file must hold the leaf, its intermediates and the root, in that order, all in date",
			"%s: chain of %d does not verify: %s", name,
			sk_X509_num(pf.chain), err);
	oid = leaf_has_eku(leaf, NID_undef, AMT_SETUP_OID);
	ou = leaf_has_setup_ou(leaf);
	if (!oid && !ou)
		doctor_report(
			d, DOCTOR_FAIL, "certs",
			"AMT accepts only a leaf with EKU " AMT_SETUP_OID
			" or OU \"" AMT_SETUP_OU
			"\": get an AMT provisioning certificate",
			"%s: leaf %s has neither the AMT provisioning OID nor OU",
			name, cn);
	if (!leaf_has_eku(leaf, NID_server_auth, NULL))
		doctor_report(
			d, DOCTOR_FAIL, "certs",
			"AMT requires EKU serverAuth (1.3.6.1.5.5.7.3.1) on the leaf",
			"%s: leaf %s lacks EKU serverAuth", name, cn);
	ASN1_TIME_to_tm(X509_get0_notAfter(leaf), &tm);
	strftime(until, sizeof(until), "%Y-%m-%d", &tm);
	if (!ASN1_TIME_diff(&days, &secs, NULL, X509_get0_notAfter(leaf)))
		days = 0;
	if (days >= 0 && secs >= 0 && days < EXPIRY_WARN_DAYS && !err)
		doctor_report(d, DOCTOR_WARN, "certs",
			      "renew it before it expires",
			      "%s: leaf %s expires in %d days (%s)", name, cn,
			      days, until);
	if (d->fails != problems)
		goto out;
	X509_digest(root, EVP_sha256(), md, &mdlen);
	hex(md, mdlen, digest);
	doctor_report(
		d, DOCTOR_OK, "certs", NULL,
		"%s: %s, valid until %s, chain of %d, %s, root SHA-256 %s",
		name, cn, until, sk_X509_num(pf.chain),
		oid && ou ? "AMT OID and OU" :
		oid	  ? "AMT OID" :
			    "AMT OU",
		digest);
	X509_up_ref(root);
	*root_out = root;
out:
	sk_X509_pop_free(pf.chain, X509_free);
	EVP_PKEY_free(pf.key);
	return d->fails == problems;
}

/* A usable certificate: its leaf CN, its root and the file it is in. */
struct usable_cert {
	char cn[256];
	X509 *root;
	struct prov_root_digests digests;
	const char *name;
};

/* Read a captured Hello (at most AMT_HELLO_MAX_LEN bytes) into buf. */
static long read_hello(const char *path, __u8 *buf)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, AMT_HELLO_MAX_LEN + 1, f);
	fclose(f);
	return (long)n;
}

/* Which usable roots does the device that sent this v3 Hello trust? */
static void check_hello(struct doctor *d, const char *path,
			const struct usable_cert *certs, unsigned int ncerts)
{
	static __u8 buf[AMT_HELLO_MAX_LEN + 1];
	char trusted[512] = "";
	__u32 flags = config_hello_flags(&d->cfg);
	unsigned int i, entry;
	__u8 type;
	struct amt_hello_info info;
	long len = read_hello(path, buf);
	int r;

	if (len < 0) {
		doctor_report(d, DOCTOR_FAIL, "certs", NULL, "%s: %s", path,
			      strerror(errno));
		return;
	}
	r = amt_hello_validate(buf, (__u32)len, flags, &info);
	if (r != AMT_HELLO_OK) {
		doctor_report(
			d, DOCTOR_FAIL, "certs",
			"give the raw Hello bytes a device sent to port 9971",
			"%s: not a valid Hello: %s", path,
			amt_hello_reason_str(r));
		return;
	}
	if (info.version != AMT_HELLO_VERSION_PKI) {
		doctor_report(
			d, DOCTOR_WARN, "certs",
			"give a v3 (PKI) Hello: only those list trusted roots",
			"%s: a version %u Hello carries no root hashes", path,
			info.version);
		return;
	}
	for (i = 0; i < ncerts; i++) {
		entry = prov_hello_root_entry(buf, (__u32)len, flags,
					      &certs[i].digests, &type);
		if (!entry)
			continue;
		snprintf(trusted + strlen(trusted),
			 sizeof(trusted) - strlen(trusted),
			 "%s%s (%s entry %u)", *trusted ? ", " : "",
			 certs[i].name, amt_hash_alg_name(type, flags), entry);
	}
	if (*trusted)
		doctor_report(d, DOCTOR_OK, "certs", NULL,
			      "%s: the device trusts the root of %s", path,
			      trusted);
	else
		doctor_report(
			d, DOCTOR_FAIL, "certs",
			"install a chain whose root the device trusts, or add the root's hash to the device (MEBx or USB setup)",
			"%s: none of %u usable roots is among the device's %u trusted hashes",
			path, ncerts, info.hash_count);
}

static int pem_filter(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return n > 4 && !strcmp(e->d_name + n - 4, ".pem");
}

void doctor_check_certs(struct doctor *d)
{
	static struct usable_cert certs[DOCTOR_MAX_ITEMS + 1];
	unsigned int ncerts = 0, i, j;
	struct dirent **names;
	char path[4096];
	bool matched;
	int n, k;

	n = scandir(d->certs_dir, &names, pem_filter, alphasort);
	if (n <= 0) {
		doctor_report(
			d, DOCTOR_WARN, "certs",
			"amtscactl cert add FILE.pem (needed for Hello v3 / PKI devices only)",
			"no certificates in %s%s%s%s: PKI devices cannot be provisioned",
			d->certs_dir, n < 0 ? " (" : "",
			n < 0 ? strerror(errno) : "", n < 0 ? ")" : "");
		return;
	}
	for (k = 0; k < n; k++) {
		struct usable_cert *c = &certs[ncerts];

		snprintf(path, sizeof(path), "%s/%s", d->certs_dir,
			 names[k]->d_name);
		c->name = names[k]->d_name;
		if (!check_file(d, path, c->name, c->cn, sizeof(c->cn),
				&c->root))
			continue;
		if (prov_root_digests(c->root, &c->digests)) {
			X509_free(c->root);
			continue;
		}
		if (ncerts < DOCTOR_MAX_ITEMS)
			ncerts++;
		else
			X509_free(c->root); /* beyond the list: checked only */
	}
	for (i = 0; i < d->nsuffixes; i++) {
		for (matched = false, j = 0; j < ncerts && !matched; j++)
			matched = prov_cn_matches_domain(certs[j].cn,
							 d->suffixes[i]);
		if (!matched)
			doctor_report(
				d, DOCTOR_WARN, "certs",
				"AMT matches the leaf CN against the domain it got from DHCP: add a certificate for that domain",
				"no usable certificate's CN is or ends in %s",
				d->suffixes[i]);
	}
	for (i = 0; i < d->nhellos; i++)
		check_hello(d, d->hellos[i], certs, ncerts);
	if (!d->nhellos)
		doctor_report(
			d, DOCTOR_SKIP, "certs", NULL,
			"cannot check that devices trust these roots: the state database does not record the hash lists of their v3 Hellos (give captured Hellos with --hello FILE)");
	for (j = 0; j < ncerts; j++)
		X509_free(certs[j].root);
	for (k = 0; k < n; k++)
		free(names[k]);
	free(names);
}
