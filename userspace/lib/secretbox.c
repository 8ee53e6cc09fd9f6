// SPDX-License-Identifier: GPL-2.0-only
/* AES-256-GCM via OpenSSL EVP; the key lives in a 0600 file of 32 bytes. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "secretbox.h"

static int create_key(struct secretbox *box, const char *path, char *err,
		      size_t errlen)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot create key file: %s", path,
			 strerror(errno));
		return -1;
	}
	if (RAND_bytes(box->key, SECRETBOX_KEY_LEN) != 1 ||
	    write(fd, box->key, SECRETBOX_KEY_LEN) != SECRETBOX_KEY_LEN ||
	    fsync(fd) != 0) {
		snprintf(err, errlen, "%s: cannot write key file", path);
		close(fd);
		unlink(path);
		secretbox_clear(box);
		return -1;
	}
	close(fd);
	return 0;
}

int secretbox_load_key(struct secretbox *box, const char *path, char *err,
		       size_t errlen)
{
	struct stat st;
	ssize_t got;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 && errno == ENOENT)
		return create_key(box, path, err, errlen);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot open key file: %s", path,
			 strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || (st.st_mode & 077)) {
		snprintf(
			err, errlen,
			"%s: key file must not be accessible to group or others (mode %04o); chmod 600 it",
			path, (unsigned int)(st.st_mode & 07777));
		close(fd);
		return -1;
	}
	if (st.st_size != SECRETBOX_KEY_LEN) {
		snprintf(err, errlen,
			 "%s: key file must be exactly %d bytes, not %lld",
			 path, SECRETBOX_KEY_LEN, (long long)st.st_size);
		close(fd);
		return -1;
	}
	got = read(fd, box->key, SECRETBOX_KEY_LEN);
	close(fd);
	if (got != SECRETBOX_KEY_LEN) {
		snprintf(err, errlen, "%s: short read of key file", path);
		secretbox_clear(box);
		return -1;
	}
	return 0;
}

void secretbox_clear(struct secretbox *box)
{
	OPENSSL_cleanse(box->key, sizeof(box->key));
}

/* One GCM pass; enc selects seal or open. The tag is set/read by the caller. */
static EVP_CIPHER_CTX *gcm_start(const struct secretbox *box,
				 const unsigned char *nonce, const char *ad,
				 int enc)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int outl;

	if (!ctx)
		return NULL;
	if (EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), NULL, box->key, nonce,
			      enc) != 1 ||
	    EVP_CipherUpdate(ctx, NULL, &outl, (const unsigned char *)ad,
			     (int)strlen(ad)) != 1) {
		EVP_CIPHER_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

int secretbox_seal(const struct secretbox *box, const unsigned char *plain,
		   size_t len, const char *ad, unsigned char *out)
{
	unsigned char *ct = out + SECRETBOX_NONCE_LEN;
	EVP_CIPHER_CTX *ctx;
	int outl, fin, ok;

	if (RAND_bytes(out, SECRETBOX_NONCE_LEN) != 1)
		return -1;
	ctx = gcm_start(box, out, ad, 1);
	if (!ctx)
		return -1;
	ok = EVP_CipherUpdate(ctx, ct, &outl, plain, (int)len) == 1 &&
	     EVP_CipherFinal_ex(ctx, ct + outl, &fin) == 1 &&
	     EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, SECRETBOX_TAG_LEN,
				 ct + len) == 1;
	EVP_CIPHER_CTX_free(ctx);
	return ok ? 0 : -1;
}

int secretbox_open(const struct secretbox *box, const unsigned char *sealed,
		   size_t len, const char *ad, unsigned char *out)
{
	const unsigned char *ct = sealed + SECRETBOX_NONCE_LEN;
	size_t ctlen;
	EVP_CIPHER_CTX *ctx;
	int outl, fin, ok;

	if (len < SECRETBOX_OVERHEAD)
		return -1;
	ctlen = len - SECRETBOX_OVERHEAD;
	ctx = gcm_start(box, sealed, ad, 0);
	if (!ctx)
		return -1;
	ok = EVP_CipherUpdate(ctx, out, &outl, ct, (int)ctlen) == 1 &&
	     EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, SECRETBOX_TAG_LEN,
				 (void *)(ct + ctlen)) == 1 &&
	     EVP_CipherFinal_ex(ctx, out + outl, &fin) == 1;
	EVP_CIPHER_CTX_free(ctx);
	if (!ok)
		OPENSSL_cleanse(out, ctlen);
	return ok ? 0 : -1;
}
