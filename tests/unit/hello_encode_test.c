// SPDX-License-Identifier: GPL-2.0-only
/* Hello encoder: every encoding round-trips through amt_hello_validate(). */
#include <stdlib.h>
#include <string.h>

#include <amtsca/hello.h>

#include "hello_corpus.h"
#include "hello_encode.h"
#include "hexbuf.h"
#include "kselftest_harness.h"

static const struct amt_hello_fields fields = {
	.admin_credentials_set = 1,
	.retry_count = 0x01020304,
	.uuid = { 0x4b, 0x52, 0x9b, 0x93, 0xd4, 0x13, 0x18, 0x1d, 0xe4, 0x87,
		  0x1c, 0x69, 0x7a, 0x6b, 0x7a, 0x2b },
};

static void fill_hash(struct amt_hello_hash *h, __u8 type, __u8 size, __u8 seed)
{
	int i;

	h->type = type;
	h->size = size;
	for (i = 0; i < size; i++)
		h->hash[i] = (__u8)(seed + i);
}

TEST(psk_round_trip)
{
	struct amt_hello_info info;
	__u8 buf[AMT_HELLO_PSK_LEN];

	ASSERT_EQ(AMT_HELLO_PSK_LEN,
		  amt_hello_encode_psk(&fields, "AB12CD34", buf, sizeof(buf)));
	ASSERT_EQ(AMT_HELLO_OK, amt_hello_validate(buf, sizeof(buf), 0, &info));
	EXPECT_EQ(1, info.admin_credentials_set);
	EXPECT_EQ(AMT_HELLO_VERSION_PSK, info.version);
	EXPECT_EQ(0x01020304u, info.retry_count);
	EXPECT_EQ(AMT_HELLO_PSK_LEN, info.len);
	EXPECT_EQ(0, memcmp(buf + 8, fields.uuid, 16));
	EXPECT_EQ(0, memcmp(buf + 24, "AB12CD34", 8));
}

TEST(psk_rejects_bad_pid_and_short_buffer)
{
	__u8 buf[AMT_HELLO_PSK_LEN];

	EXPECT_EQ(-1,
		  amt_hello_encode_psk(&fields, "ab12cd34", buf, sizeof(buf)));
	EXPECT_EQ(-1,
		  amt_hello_encode_psk(&fields, "AB12CD3", buf, sizeof(buf)));
	EXPECT_EQ(-1,
		  amt_hello_encode_psk(&fields, "AB12CD345", buf, sizeof(buf)));
	EXPECT_EQ(-1, amt_hello_encode_psk(&fields, "AB12CD34", buf,
					   sizeof(buf) - 1));
}

TEST(pki_round_trip_every_type_and_count)
{
	static const struct {
		__u8 type, size;
		__u32 flags;
	} kinds[] = {
		{ AMT_HASH_SHA1, AMT_HASH_SHA1_LEN, 0 },
		{ AMT_HASH_SHA256, AMT_HASH_SHA256_LEN, 0 },
		{ AMT_HASH_SHA384, AMT_HASH_SHA384_LEN, 0 },
		{ AMT_HASH_SHA384, AMT_HASH_SHA512_LEN,
		  AMT_HELLO_F_TYPE3_SHA512 },
	};
	static struct amt_hello_hash hashes[AMT_HELLO_MAX_HASHES];
	static __u8 buf[AMT_HELLO_MAX_LEN];
	struct amt_hello_info info;
	unsigned int k, n, i;
	size_t off;
	long len;

	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		for (n = 1; n <= AMT_HELLO_MAX_HASHES; n++) {
			for (i = 0; i < n; i++)
				fill_hash(&hashes[i], kinds[k].type,
					  kinds[k].size, (__u8)(i * 7));
			len = amt_hello_encode_pki(&fields, hashes, n, buf,
						   sizeof(buf));
			ASSERT_EQ((long)(AMT_HELLO_PKI_HDR_LEN +
					 n * (2 + kinds[k].size)),
				  len);
			ASSERT_EQ(AMT_HELLO_OK,
				  amt_hello_validate(buf, (__u32)len,
						     kinds[k].flags, &info));
			ASSERT_EQ(AMT_HELLO_VERSION_PKI, info.version);
			ASSERT_EQ(n, info.hash_count);
			ASSERT_EQ(1, info.admin_credentials_set);
			ASSERT_EQ(0x01020304u, info.retry_count);
			ASSERT_EQ((__u32)len, info.len);
			off = AMT_HELLO_PKI_HDR_LEN;
			for (i = 0; i < n; i++) {
				ASSERT_EQ(kinds[k].type, buf[off]);
				ASSERT_EQ(kinds[k].size, buf[off + 1]);
				ASSERT_EQ(0,
					  memcmp(buf + off + 2, hashes[i].hash,
						 kinds[k].size));
				off += 2 + kinds[k].size;
			}
		}
	}
}

TEST(pki_mixed_types)
{
	struct amt_hello_hash hashes[3];
	struct amt_hello_info info;
	__u8 buf[256];
	long len;

	fill_hash(&hashes[0], AMT_HASH_SHA1, AMT_HASH_SHA1_LEN, 1);
	fill_hash(&hashes[1], AMT_HASH_SHA384, AMT_HASH_SHA384_LEN, 2);
	fill_hash(&hashes[2], AMT_HASH_SHA256, AMT_HASH_SHA256_LEN, 3);
	len = amt_hello_encode_pki(&fields, hashes, 3, buf, sizeof(buf));
	ASSERT_EQ(25 + 22 + 50 + 34, len);
	ASSERT_EQ(AMT_HELLO_OK, amt_hello_validate(buf, (__u32)len, 0, &info));
	EXPECT_EQ(3, info.hash_count);
}

TEST(pki_limits)
{
	static struct amt_hello_hash hashes[AMT_HELLO_MAX_HASHES + 1];
	static __u8 buf[AMT_HELLO_MAX_LEN + 100];
	unsigned int i;

	for (i = 0; i <= AMT_HELLO_MAX_HASHES; i++)
		fill_hash(&hashes[i], AMT_HASH_SHA256, AMT_HASH_SHA256_LEN, 0);
	EXPECT_EQ(-1,
		  amt_hello_encode_pki(&fields, hashes, 0, buf, sizeof(buf)));
	EXPECT_EQ(-1, amt_hello_encode_pki(&fields, hashes,
					   AMT_HELLO_MAX_HASHES + 1, buf,
					   sizeof(buf)));
	/* One byte short of the second entry. */
	EXPECT_EQ(-1, amt_hello_encode_pki(&fields, hashes, 2, buf,
					   25 + 2 * 34 - 1));
	EXPECT_EQ(25 + 2 * 34,
		  amt_hello_encode_pki(&fields, hashes, 2, buf, 25 + 2 * 34));
	hashes[0].size = AMT_HASH_MAX_LEN + 1;
	EXPECT_EQ(-1,
		  amt_hello_encode_pki(&fields, hashes, 1, buf, sizeof(buf)));
}

/* Pull the next "key":"value" string out of JSON text; returns past it. */
static const char *json_string(const char *p, const char *key, char *out,
			       size_t cap)
{
	char pat[32];
	const char *end;

	snprintf(pat, sizeof(pat), "\"%s\":\"", key);
	p = strstr(p, pat);
	if (!p)
		return NULL;
	p += strlen(pat);
	end = strchr(p, '"');
	if (!end || (size_t)(end - p) >= cap)
		return NULL;
	memcpy(out, p, end - p);
	out[end - p] = '\0';
	return end + 1;
}

/* Rebuild the captured MeshCentral Hello from its decoded JSON fields. */
TEST(reproduces_meshcentral_841)
{
	static const __u8 order[16] = { 3, 2, 1,  0,  5,  4,  7,  6,
					8, 9, 10, 11, 12, 13, 14, 15 };
	static struct amt_hello_hash hashes[AMT_HELLO_MAX_HASHES];
	static __u8 out[AMT_HELLO_MAX_LEN];
	struct amt_hello_fields f = { 0 };
	unsigned char *bin, *json, canon[16];
	char text[2 * AMT_HASH_MAX_LEN + 1];
	size_t bin_len, json_len, bad;
	unsigned int n = 0, i;
	const char *p;
	long len;

	ASSERT_EQ(0, read_whole_file(HELLO_CORPUS_DIR "/meshcentral-841.bin",
				     &bin, &bin_len));
	ASSERT_EQ(0, read_whole_file(HELLO_CORPUS_DIR "/meshcentral-841.json",
				     &json, &json_len));
	json = realloc(json, json_len + 1);
	json[json_len] = '\0';

	ASSERT_NE(NULL, strstr((char *)json, "\"version\":3"));
	ASSERT_NE(NULL, strstr((char *)json, "\"admin_credentials_set\":true"));
	ASSERT_NE(NULL, strstr((char *)json, "\"retry_count\":0"));
	f.admin_credentials_set = 1;
	f.retry_count = 0;

	p = json_string((char *)json, "uuid", text, sizeof(text));
	ASSERT_NE(NULL, p);
	for (i = 0; text[i]; i++)
		if (text[i] == '-')
			memmove(text + i, text + i + 1, strlen(text + i));
	ASSERT_EQ(16, hex_decode(text, canon, sizeof(canon), &bad));
	for (i = 0; i < 16; i++)
		f.uuid[order[i]] = canon[i];

	while ((p = json_string(p, "alg", text, sizeof(text)))) {
		ASSERT_LT(n, AMT_HELLO_MAX_HASHES);
		ASSERT_STREQ("sha256", text);
		p = json_string(p, "hex", text, sizeof(text));
		ASSERT_NE(NULL, p);
		hashes[n].type = AMT_HASH_SHA256;
		hashes[n].size = (__u8)hex_decode(text, hashes[n].hash,
						  AMT_HASH_MAX_LEN, &bad);
		ASSERT_EQ(AMT_HASH_SHA256_LEN, hashes[n].size);
		n++;
	}
	ASSERT_EQ(24, n);

	len = amt_hello_encode_pki(&f, hashes, n, out, sizeof(out));
	ASSERT_EQ((long)bin_len, len);
	EXPECT_EQ(0, memcmp(out, bin, bin_len));
	free(bin);
	free(json);
}

TEST_HARNESS_MAIN
