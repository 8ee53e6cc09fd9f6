// SPDX-License-Identifier: GPL-2.0-only
#include <string.h>

#include "hello_encode.h"

static void put_le16(__u8 *p, __u16 v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8;
}

static void put_le32(__u8 *p, __u32 v)
{
	put_le16(p, v & 0xffff);
	put_le16(p + 2, v >> 16);
}

static void put_header(const struct amt_hello_fields *f, __u16 version,
		       __u8 *out)
{
	put_le16(out, f->admin_credentials_set);
	put_le16(out + 2, version);
	put_le32(out + 4, f->retry_count);
	memcpy(out + 8, f->uuid, sizeof(f->uuid));
}

long amt_hello_encode_psk(const struct amt_hello_fields *f, const char *pid,
			  __u8 *out, size_t cap)
{
	size_t i;

	if (cap < AMT_HELLO_PSK_LEN || strlen(pid) != AMT_HELLO_PID_LEN)
		return -1;
	for (i = 0; i < AMT_HELLO_PID_LEN; i++)
		if (!((pid[i] >= 'A' && pid[i] <= 'Z') ||
		      (pid[i] >= '0' && pid[i] <= '9')))
			return -1;
	put_header(f, AMT_HELLO_VERSION_PSK, out);
	memcpy(out + AMT_HELLO_HDR_LEN, pid, AMT_HELLO_PID_LEN);
	return AMT_HELLO_PSK_LEN;
}

long amt_hello_encode_pki(const struct amt_hello_fields *f,
			  const struct amt_hello_hash *hashes, unsigned int n,
			  __u8 *out, size_t cap)
{
	size_t off = AMT_HELLO_PKI_HDR_LEN;
	unsigned int i;

	if (n == 0 || n > AMT_HELLO_MAX_HASHES || cap < off)
		return -1;
	for (i = 0; i < n; i++) {
		if (hashes[i].size > AMT_HASH_MAX_LEN ||
		    cap - off < AMT_HELLO_HASH_HDR_LEN + (size_t)hashes[i].size)
			return -1;
		out[off] = hashes[i].type;
		out[off + 1] = hashes[i].size;
		memcpy(out + off + AMT_HELLO_HASH_HDR_LEN, hashes[i].hash,
		       hashes[i].size);
		off += AMT_HELLO_HASH_HDR_LEN + hashes[i].size;
	}
	put_header(f, AMT_HELLO_VERSION_PKI, out);
	out[AMT_HELLO_HDR_LEN] = (__u8)n;
	return (long)off;
}
