/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Build Hellos in the wire format of <amtsca/hello.h>: the simulator and
 * the tests use these to produce exactly what a device sends.
 */
#ifndef AMTSCA_HELLO_ENCODE_H
#define AMTSCA_HELLO_ENCODE_H

#include <stddef.h>

#include <amtsca/hello.h>

struct amt_hello_fields {
	__u16 admin_credentials_set;
	__u32 retry_count;
	__u8 uuid[16]; /* wire (SMBIOS) order */
};

struct amt_hello_hash {
	__u8 type; /* AMT_HASH_* */
	__u8 size; /* digest length written to the wire */
	__u8 hash[AMT_HASH_MAX_LEN];
};

/*
 * Write a v2 Hello with an 8-character PID into out (cap bytes).
 * Returns its length (AMT_HELLO_PSK_LEN) or -1 if out is too small or
 * pid is not 8 characters of A-Z 0-9.
 */
long amt_hello_encode_psk(const struct amt_hello_fields *f, const char *pid,
			  __u8 *out, size_t cap);

/*
 * Write a v3 Hello with n hash entries into out (cap bytes). Returns its
 * length, or -1 if n is 0 or above AMT_HELLO_MAX_HASHES, an entry's size
 * exceeds AMT_HASH_MAX_LEN, or out is too small. Entry types and sizes
 * are written as given, so tests can build invalid Hellos too.
 */
long amt_hello_encode_pki(const struct amt_hello_fields *f,
			  const struct amt_hello_hash *hashes, unsigned int n,
			  __u8 *out, size_t cap);

#endif /* AMTSCA_HELLO_ENCODE_H */
