/* SPDX-License-Identifier: GPL-2.0-only */
/* AES-256-GCM sealing of secrets at rest, bound to their row by associated data. */
#ifndef AMTSCA_SECRETBOX_H
#define AMTSCA_SECRETBOX_H

#include <stddef.h>

#define SECRETBOX_KEY_LEN 32
#define SECRETBOX_NONCE_LEN 12
#define SECRETBOX_TAG_LEN 16
/* Sealed layout: nonce || ciphertext || tag. */
#define SECRETBOX_OVERHEAD (SECRETBOX_NONCE_LEN + SECRETBOX_TAG_LEN)

struct secretbox {
	unsigned char key[SECRETBOX_KEY_LEN];
};

/*
 * Load the key from path, creating 32 random bytes with mode 0600 if the file
 * is absent. Refuses group/other permission bits or a wrong size; on error
 * writes a message to err and returns -1.
 */
int secretbox_load_key(struct secretbox *box, const char *path, char *err,
		       size_t errlen);
/* Wipe the key. */
void secretbox_clear(struct secretbox *box);
/* Seal len bytes of plain into out (len + SECRETBOX_OVERHEAD bytes). */
int secretbox_seal(const struct secretbox *box, const unsigned char *plain,
		   size_t len, const char *ad, unsigned char *out);
/* Open sealed (len bytes) into out (len - SECRETBOX_OVERHEAD); -1 if forged. */
int secretbox_open(const struct secretbox *box, const unsigned char *sealed,
		   size_t len, const char *ad, unsigned char *out);

#endif
