// SPDX-License-Identifier: GPL-2.0-only
#include <amtsca/hello.h>

#include "hello_reason.h"

static const char *const reason_desc[AMT_HELLO_REASON_COUNT] = {
	[AMT_HELLO_OK] = "valid Hello",
	[AMT_HELLO_ERR_TRUNCATED_HEADER] = "shorter than the 24-byte header",
	[AMT_HELLO_ERR_ADMIN_FLAG] = "admin-credentials flag is not 0 or 1",
	[AMT_HELLO_ERR_VERSION] =
		"interface version is neither 2 (PSK) nor 3 (PKI)",
	[AMT_HELLO_ERR_PSK_LENGTH] = "PSK Hello shorter than 32 bytes",
	[AMT_HELLO_ERR_PID_CHAR] = "PID character outside A-Z and 0-9",
	[AMT_HELLO_ERR_TRUNCATED_COUNT] =
		"PKI Hello ends before the hash count",
	[AMT_HELLO_ERR_NO_HASHES] =
		"PKI Hello lists no root certificate hashes",
	[AMT_HELLO_ERR_TOO_MANY_HASHES] = "PKI Hello lists more than 64 hashes",
	[AMT_HELLO_ERR_TRUNCATED_ENTRY] =
		"data ends inside a hash entry's type and size",
	[AMT_HELLO_ERR_HASH_TYPE] =
		"hash type is not 1 (SHA-1), 2 (SHA-256) or 3 (SHA-384)",
	[AMT_HELLO_ERR_HASH_SIZE] = "hash size does not match its type",
	[AMT_HELLO_ERR_TRUNCATED_HASH] = "data ends inside a hash",
	[AMT_HELLO_ERR_TRAILING] = "bytes follow the last field",
};

const char *amt_hello_reason_desc(int reason)
{
	if (reason < 0 || reason >= AMT_HELLO_REASON_COUNT)
		return "unknown reason";
	return reason_desc[reason];
}
