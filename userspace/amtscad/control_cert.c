// SPDX-License-Identifier: GPL-2.0-only
/* Provisioning certificate bundles: OpenSSL checks, 0600 install, listing. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "control_cert.h"
#include "prov_match.h"

/* Bundles larger than this are not certificate chains. */
#define CERT_BUNDLE_MAX (256 * 1024)
#define AMT_PROVISIONING_OID "2.16.840.1.113741.1.2.3"
#define AMT_PROVISIONING_OU "Intel(R) Client Setup Certificate"

struct bundle {
	STACK_OF(X509) * certs; /* file order: leaf first */
	EVP_PKEY *key;
};

static void bundle_free(struct bundle *b)
{
	sk_X509_pop_free(b->certs, X509_free);
	EVP_PKEY_free(b->key);
}

/* Never prompt: an encrypted key is refused below. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

static int bundle_read(struct bundle *b, const char *pem, size_t len, char *err,
		       size_t errlen)
{
	STACK_OF(X509_INFO) * infos;
	X509_INFO *xi;
	BIO *bio;
	int i;

	memset(b, 0, sizeof(*b));
	if (len > CERT_BUNDLE_MAX) {
		snprintf(err, errlen, "larger than %d bytes", CERT_BUNDLE_MAX);
		return -1;
	}
	bio = BIO_new_mem_buf(pem, (int)len);
	infos = bio ? PEM_X509_INFO_read_bio(bio, NULL, no_passphrase, NULL) :
		      NULL;
	BIO_free(bio);
	b->certs = sk_X509_new_null();
	if (!infos || !b->certs) {
		snprintf(err, errlen, "not a PEM file");
		sk_X509_INFO_pop_free(infos, X509_INFO_free);
		bundle_free(b);
		return -1;
	}
	for (i = 0; i < sk_X509_INFO_num(infos); i++) {
		xi = sk_X509_INFO_value(infos, i);
		if (xi->x509 && sk_X509_push(b->certs, xi->x509))
			xi->x509 = NULL;
		if (xi->x_pkey && xi->x_pkey->dec_pkey && !b->key) {
			b->key = xi->x_pkey->dec_pkey;
			xi->x_pkey->dec_pkey = NULL;
		}
	}
	sk_X509_INFO_pop_free(infos, X509_INFO_free);
	ERR_clear_error();
	if (!sk_X509_num(b->certs) || !b->key) {
		snprintf(err, errlen, "%s",
			 b->key ? "no certificate in the file" :
				  "no unencrypted private key in the file");
		bundle_free(b);
		return -1;
	}
	return 0;
}

static bool is_amt_provisioning(X509 *leaf)
{
	EXTENDED_KEY_USAGE *eku;
	X509_NAME *subject = X509_get_subject_name(leaf);
	char oid[64], ou[128];
	bool found = false;
	int i;

	eku = X509_get_ext_d2i(leaf, NID_ext_key_usage, NULL, NULL);
	for (i = 0; eku && i < sk_ASN1_OBJECT_num(eku); i++) {
		OBJ_obj2txt(oid, sizeof(oid), sk_ASN1_OBJECT_value(eku, i), 1);
		found |= !strcmp(oid, AMT_PROVISIONING_OID);
	}
	EXTENDED_KEY_USAGE_free(eku);
	if (X509_NAME_get_text_by_NID(subject, NID_organizationalUnitName, ou,
				      sizeof(ou)) > 0)
		found |= !strcmp(ou, AMT_PROVISIONING_OU);
	return found;
}

/* Verify the chain to its last certificate, which must sign itself. */
static int verify_chain(struct bundle *b, char *err, size_t errlen)
{
	int n = sk_X509_num(b->certs), ok = 0;
	X509 *root = sk_X509_value(b->certs, n - 1);
	STACK_OF(X509) *middle = sk_X509_new_null();
	X509_STORE *trust = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	int i;

	if (X509_check_issued(root, root) != X509_V_OK) {
		snprintf(
			err, errlen,
			"the last certificate is not a self-signed root: add the root to the file");
		goto out;
	}
	if (!middle || !trust || !ctx || !X509_STORE_add_cert(trust, root)) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	for (i = 1; i < n - 1; i++)
		sk_X509_push(middle, sk_X509_value(b->certs, i));
	if (!X509_STORE_CTX_init(ctx, trust, sk_X509_value(b->certs, 0),
				 middle)) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	ok = X509_verify_cert(ctx) == 1;
	if (!ok)
		snprintf(err, errlen, "chain does not verify: %s",
			 X509_verify_cert_error_string(
				 X509_STORE_CTX_get_error(ctx)));
out:
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(trust);
	sk_X509_free(middle);
	return ok ? 0 : -1;
}

static struct json_object *describe(struct bundle *b, const char *domain)
{
	X509 *leaf = sk_X509_value(b->certs, 0);
	X509 *root = sk_X509_value(b->certs, sk_X509_num(b->certs) - 1);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;
	char cn[256] = "", hex[2 * EVP_MAX_MD_SIZE + 1], when[64] = "";
	struct json_object *o = json_object_new_object();
	BIO *bio = BIO_new(BIO_s_mem());

	X509_NAME_get_text_by_NID(X509_get_subject_name(leaf), NID_commonName,
				  cn, sizeof(cn));
	X509_digest(root, EVP_sha256(), md, &mdlen);
	for (i = 0; i < mdlen; i++)
		sprintf(hex + 2 * i, "%02x", md[i]);
	hex[2 * mdlen] = '\0';
	if (bio && ASN1_TIME_print(bio, X509_get0_notAfter(leaf)))
		BIO_read(bio, when, sizeof(when) - 1);
	BIO_free(bio);
	json_object_object_add(o, "leaf_cn", json_object_new_string(cn));
	json_object_object_add(o, "root_sha256", json_object_new_string(hex));
	json_object_object_add(o, "not_after", json_object_new_string(when));
	json_object_object_add(o, "chain_length",
			       json_object_new_int(sk_X509_num(b->certs)));
	json_object_object_add(
		o, "domain_match",
		json_object_new_boolean(!domain[0] ||
					prov_cn_matches_domain(cn, domain)));
	return o;
}

static struct json_object *check(struct bundle *b, const char *domain,
				 char *err, size_t errlen)
{
	if (X509_check_private_key(sk_X509_value(b->certs, 0), b->key) != 1) {
		ERR_clear_error();
		snprintf(
			err, errlen,
			"the private key does not match the leaf (first) certificate");
		return NULL;
	}
	if (verify_chain(b, err, errlen))
		return NULL;
	if (!is_amt_provisioning(sk_X509_value(b->certs, 0))) {
		snprintf(
			err, errlen,
			"leaf has neither the AMT provisioning EKU " AMT_PROVISIONING_OID
			" nor OU \"" AMT_PROVISIONING_OU "\"");
		return NULL;
	}
	return describe(b, domain);
}

struct json_object *control_cert_check(const char *pem, size_t len,
				       const char *domain, char *err,
				       size_t errlen)
{
	struct json_object *o;
	struct bundle b;

	if (bundle_read(&b, pem, len, err, errlen))
		return NULL;
	o = check(&b, domain, err, errlen);
	bundle_free(&b);
	return o;
}

static bool valid_name(const char *name)
{
	size_t n = strlen(name);

	if (!n || n > 64 || name[0] == '.')
		return false;
	return strspn(name,
		      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		      "0123456789._-") == n;
}

/* Write the checked objects (not the raw bytes) to a new 0600 file. */
static int write_bundle(struct bundle *b, const char *dir, const char *name,
			char *err, size_t errlen)
{
	char tmp[4096], path[4096];
	BIO *bio = NULL;
	int fd, i, ok = 0;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s.pem", dir, name) >=
		    sizeof(path) ||
	    (size_t)snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", dir, name) >=
		    sizeof(tmp)) {
		snprintf(err, errlen, "path too long");
		return -1;
	}
	fd = mkostemp(tmp, O_CLOEXEC); /* mode 0600 */
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	bio = BIO_new_fd(fd, BIO_NOCLOSE);
	for (i = 0; bio && i < sk_X509_num(b->certs); i++)
		if (!PEM_write_bio_X509(bio, sk_X509_value(b->certs, i)))
			break;
	ok = bio && i == sk_X509_num(b->certs) &&
	     PEM_write_bio_PrivateKey(bio, b->key, NULL, NULL, 0, NULL, NULL) &&
	     BIO_flush(bio) == 1 && fsync(fd) == 0;
	BIO_free(bio);
	close(fd);
	/* NOREPLACE: an installed chain is never replaced. */
	if (!ok || renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE)) {
		snprintf(
			err, errlen, "%s: %s", path,
			!ok ? "write failed" :
			errno == EEXIST ?
			      "already installed (remove it first to replace it)" :
			      strerror(errno));
		ok = 0;
	}
	if (!ok)
		unlink(tmp);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	return ok ? 0 : -1;
}

struct json_object *control_cert_install(const char *certs_dir,
					 const char *name, const char *pem,
					 size_t len, const char *domain,
					 char *err, size_t errlen)
{
	struct json_object *o;
	struct bundle b;
	char path[4096];

	if (!valid_name(name)) {
		snprintf(
			err, errlen,
			"name '%.64s' must be 1..64 characters A-Z a-z 0-9 . _ - not starting with a dot",
			name);
		return NULL;
	}
	if (bundle_read(&b, pem, len, err, errlen))
		return NULL;
	o = check(&b, domain, err, errlen);
	if (o && write_bundle(&b, certs_dir, name, err, errlen)) {
		json_object_put(o);
		o = NULL;
	}
	bundle_free(&b);
	if (o) {
		snprintf(path, sizeof(path), "%s/%s.pem", certs_dir, name);
		json_object_object_add(o, "name", json_object_new_string(name));
		json_object_object_add(o, "path", json_object_new_string(path));
	}
	return o;
}

/* Read a whole small file; NULL with err set. */
static char *slurp(int dirfd, const char *name, size_t *len, char *err,
		   size_t errlen)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	char *buf = NULL;
	struct stat sb;
	ssize_t n;

	if (fd < 0 || fstat(fd, &sb) || !S_ISREG(sb.st_mode) ||
	    sb.st_size > CERT_BUNDLE_MAX) {
		snprintf(err, errlen, "%s",
			 fd < 0 ? strerror(errno) :
				  "not a regular file of at most 256 KiB");
		goto out;
	}
	buf = malloc((size_t)sb.st_size + 1);
	n = buf ? read(fd, buf, (size_t)sb.st_size) : -1;
	if (n != sb.st_size) {
		snprintf(err, errlen, "read error");
		free(buf);
		buf = NULL;
		goto out;
	}
	*len = (size_t)n;
out:
	if (fd >= 0)
		close(fd);
	return buf;
}

struct json_object *control_cert_list(const char *certs_dir, const char *domain,
				      char *err, size_t errlen)
{
	struct json_object *list, *o;
	struct dirent **names;
	char why[256], *pem;
	size_t len, nlen;
	int n, i, dfd;

	dfd = open(certs_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	n = dfd >= 0 ? scandirat(dfd, ".", &names, NULL, alphasort) : -1;
	if (n < 0) {
		snprintf(err, errlen, "%s: %s", certs_dir, strerror(errno));
		if (dfd >= 0)
			close(dfd);
		return NULL;
	}
	list = json_object_new_array();
	for (i = 0; i < n; i++) {
		nlen = strlen(names[i]->d_name);
		if (names[i]->d_name[0] == '.' || nlen < 5 ||
		    strcmp(names[i]->d_name + nlen - 4, ".pem"))
			goto next;
		pem = slurp(dfd, names[i]->d_name, &len, why, sizeof(why));
		o = pem ? control_cert_check(pem, len, domain, why,
					     sizeof(why)) :
			  NULL;
		if (pem) {
			explicit_bzero(pem, len);
			free(pem);
		}
		if (!o) {
			o = json_object_new_object();
			json_object_object_add(o, "error",
					       json_object_new_string(why));
		}
		json_object_object_add(
			o, "name",
			json_object_new_string_len(names[i]->d_name,
						   (int)nlen - 4));
		json_object_array_add(list, o);
next:
		free(names[i]);
	}
	free(names);
	close(dfd);
	return list;
}
