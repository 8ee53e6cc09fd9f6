/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The Hello validator as it was before its hash loop compared (type, size)
 * pairs (commit 87e186b, include/amtsca/hello.h): a reference the shipped
 * amt_hello_validate() must agree with on every input - verdict, err_off
 * and every info field (tests/unit/hello_equiv_test.c,
 * tests/fuzz/hello_fuzz.c). Test code only; the shipped header has one
 * validator. It uses the shipped amt_hash_len(), amt_pid_char_ok() and
 * amt_hello_fail(), which the change left as they were.
 */
#ifndef AMTSCA_HELLO_VALIDATE_REF_H
#define AMTSCA_HELLO_VALIDATE_REF_H

#include <amtsca/hello.h>

static inline int amt_hello_validate_ref(const __u8 *buf, __u32 len,
					 __u32 flags,
					 struct amt_hello_info *info)
{
	__u32 off, i, n, hlen;
	__u8 c;

	info->admin_credentials_set = 0;
	info->version = 0;
	info->retry_count = 0;
	info->hash_count = 0;
	info->len = 0;
	info->err_off = 0;

	if (len < AMT_HELLO_HDR_LEN)
		return amt_hello_fail(info, AMT_HELLO_ERR_TRUNCATED_HEADER,
				      len);

	info->admin_credentials_set = buf[0] | (__u16)buf[1] << 8;
	info->version = buf[2] | (__u16)buf[3] << 8;
	info->retry_count = buf[4] | (__u32)buf[5] << 8 | (__u32)buf[6] << 16 |
			    (__u32)buf[7] << 24;

	if (info->admin_credentials_set > 1)
		return amt_hello_fail(info, AMT_HELLO_ERR_ADMIN_FLAG, 0);

	if (info->version == AMT_HELLO_VERSION_PSK) {
		if (len < AMT_HELLO_PSK_LEN)
			return amt_hello_fail(info, AMT_HELLO_ERR_PSK_LENGTH,
					      len);
		for (i = 0; i < AMT_HELLO_PID_LEN; i++) {
			c = buf[AMT_HELLO_HDR_LEN + i];
			if (!amt_pid_char_ok(c, flags))
				return amt_hello_fail(info,
						      AMT_HELLO_ERR_PID_CHAR,
						      AMT_HELLO_HDR_LEN + i);
		}
		if (len > AMT_HELLO_PSK_LEN)
			return amt_hello_fail(info, AMT_HELLO_ERR_TRAILING,
					      AMT_HELLO_PSK_LEN);
		info->len = AMT_HELLO_PSK_LEN;
		return AMT_HELLO_OK;
	}

	if (info->version != AMT_HELLO_VERSION_PKI)
		return amt_hello_fail(info, AMT_HELLO_ERR_VERSION, 2);

	if (len < AMT_HELLO_PKI_HDR_LEN)
		return amt_hello_fail(info, AMT_HELLO_ERR_TRUNCATED_COUNT, len);
	n = buf[AMT_HELLO_HDR_LEN];
	info->hash_count = n;
	if (n == 0)
		return amt_hello_fail(info, AMT_HELLO_ERR_NO_HASHES,
				      AMT_HELLO_HDR_LEN);
	if (n > AMT_HELLO_MAX_HASHES)
		return amt_hello_fail(info, AMT_HELLO_ERR_TOO_MANY_HASHES,
				      AMT_HELLO_HDR_LEN);

	off = AMT_HELLO_PKI_HDR_LEN;
	for (i = 0; i < AMT_HELLO_MAX_HASHES; i++) {
		if (i >= n)
			break;
		/*
		 * off can never reach AMT_HELLO_MAX_LEN here (n entries of at
		 * most 66 bytes fit by construction); the explicit bound is
		 * for the BPF verifier, which cannot infer it from the loop.
		 */
		if (off > AMT_HELLO_MAX_LEN - AMT_HELLO_HASH_HDR_LEN ||
		    len < AMT_HELLO_HASH_HDR_LEN ||
		    off > len - AMT_HELLO_HASH_HDR_LEN)
			return amt_hello_fail(
				info, AMT_HELLO_ERR_TRUNCATED_ENTRY, len);
		hlen = amt_hash_len(buf[off], flags);
		if (!hlen)
			return amt_hello_fail(info, AMT_HELLO_ERR_HASH_TYPE,
					      off);
		if (buf[off + 1] != hlen)
			return amt_hello_fail(info, AMT_HELLO_ERR_HASH_SIZE,
					      off + 1);
		off += AMT_HELLO_HASH_HDR_LEN;
		if (hlen > len - off)
			return amt_hello_fail(
				info, AMT_HELLO_ERR_TRUNCATED_HASH, len);
		/*
		 * Advance by the size byte, read once more (it equals hlen
		 * here). For the BPF verifier the fresh load is a range, not
		 * one of three constants, so the paths through this loop
		 * merge instead of multiplying per combination of types.
		 */
		off += *(const volatile __u8 *)&buf[off - 1];
	}
	if (off != len)
		return amt_hello_fail(info, AMT_HELLO_ERR_TRAILING, off);
	info->len = off;
	return AMT_HELLO_OK;
}

#endif /* AMTSCA_HELLO_VALIDATE_REF_H */
