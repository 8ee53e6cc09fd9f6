// SPDX-License-Identifier: GPL-2.0-only
/* JSON rendering of a validated Hello, for amtscactl and the daemon's logs. */
#include "hello_json.h"

static const char hexdigits[] = "0123456789abcdef";

static void put_hex(char *out, const __u8 *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hexdigits[p[i] >> 4];
		out[2 * i + 1] = hexdigits[p[i] & 0xf];
	}
	out[2 * n] = '\0';
}

void amt_uuid_format(const __u8 uuid[16], char out[37])
{
	/* Byte order on the wire: 3 2 1 0 - 5 4 - 7 6 - 8 9 - 10..15. */
	static const __u8 order[16] = { 3, 2, 1,  0,  5,  4,  7,  6,
					8, 9, 10, 11, 12, 13, 14, 15 };
	int i, o = 0;

	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hexdigits[uuid[order[i]] >> 4];
		out[o++] = hexdigits[uuid[order[i]] & 0xf];
	}
	out[o] = '\0';
}

const char *amt_hash_alg_name(__u8 type, __u32 flags)
{
	switch (amt_hash_len(type, flags)) {
	case AMT_HASH_SHA1_LEN:
		return "sha1";
	case AMT_HASH_SHA256_LEN:
		return "sha256";
	case AMT_HASH_SHA384_LEN:
		return "sha384";
	case AMT_HASH_SHA512_LEN:
		return "sha512";
	}
	return "unknown";
}

int amt_hello_write_json(FILE *out, const __u8 *buf,
			 const struct amt_hello_info *info, __u32 flags)
{
	char uuid[37], hex[2 * AMT_HASH_MAX_LEN + 1];
	__u32 i, off;

	amt_uuid_format(buf + 8, uuid);
	fprintf(out,
		"{\"version\":%u,\"admin_credentials_set\":%s,"
		"\"retry_count\":%u,\"uuid\":\"%s\"",
		info->version, info->admin_credentials_set ? "true" : "false",
		info->retry_count, uuid);
	if (info->version == AMT_HELLO_VERSION_PSK) {
		/* The validator guarantees eight characters from A-Z 0-9. */
		fprintf(out, ",\"pid\":\"%.8s\"}",
			(const char *)buf + AMT_HELLO_HDR_LEN);
		return ferror(out) ? -1 : 0;
	}
	fputs(",\"hashes\":[", out);
	off = AMT_HELLO_PKI_HDR_LEN;
	for (i = 0; i < info->hash_count; i++) {
		__u8 type = buf[off], size = buf[off + 1];

		put_hex(hex, buf + off + AMT_HELLO_HASH_HDR_LEN, size);
		fprintf(out, "%s{\"alg\":\"%s\",\"hex\":\"%s\"}", i ? "," : "",
			amt_hash_alg_name(type, flags), hex);
		off += AMT_HELLO_HASH_HDR_LEN + size;
	}
	fputs("]}", out);
	return ferror(out) ? -1 : 0;
}
