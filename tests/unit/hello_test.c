// SPDX-License-Identifier: GPL-2.0-only
/* The Hello validator and its JSON rendering. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amtsca/hello.h>

#include "hello_corpus.h"
#include "hello_json.h"
#include "hello_reason.h"
#include "hexbuf.h"
#include "kselftest_harness.h"

static const unsigned char uuid_bytes[16] = {
	0x4b, 0x52, 0x9b, 0x93, 0xd4, 0x13, 0x18, 0x1d,
	0xe4, 0x87, 0x1c, 0x69, 0x7a, 0x6b, 0x7a, 0x2b,
};

/* Validate a copy in a heap block of exactly len bytes, so ASan sees any over-read. */
static int validate_exact(const unsigned char *src, size_t len, __u32 flags,
			  struct amt_hello_info *info)
{
	unsigned char *copy = malloc(len ? len : 1);
	int r;

	memcpy(copy, src, len);
	r = amt_hello_validate(copy, (__u32)len, flags, info);
	free(copy);
	return r;
}

static size_t build_psk(unsigned char *b, __u16 admin, __u32 retry,
			const char *pid)
{
	b[0] = admin & 0xff;
	b[1] = admin >> 8;
	b[2] = AMT_HELLO_VERSION_PSK;
	b[3] = 0;
	b[4] = retry & 0xff;
	b[5] = (retry >> 8) & 0xff;
	b[6] = (retry >> 16) & 0xff;
	b[7] = retry >> 24;
	memcpy(b + 8, uuid_bytes, 16);
	memcpy(b + 24, pid, 8);
	return AMT_HELLO_PSK_LEN;
}

/* A v3 Hello with n entries of the given type/size, hash bytes = index. */
static size_t build_pki(unsigned char *b, int n, __u8 type, __u8 size)
{
	size_t off = AMT_HELLO_PKI_HDR_LEN;
	int i;

	build_psk(b, 1, 0, "AAAAAAAA");
	b[2] = AMT_HELLO_VERSION_PKI;
	b[24] = (unsigned char)n;
	for (i = 0; i < n; i++) {
		b[off] = type;
		b[off + 1] = size;
		memset(b + off + 2, i, size);
		off += 2 + size;
	}
	return off;
}

TEST(corpus_verdicts)
{
	struct hello_case *cases;
	struct amt_hello_info info;
	int n, i, r;

	n = hello_corpus_load(&cases);
	ASSERT_GT(n, 30);
	for (i = 0; i < n; i++) {
		r = validate_exact(cases[i].data, cases[i].len, 0, &info);
		EXPECT_STREQ(cases[i].verdict, amt_hello_reason_str(r))
		TH_LOG("%s", cases[i].file);
		if (r != AMT_HELLO_OK) {
			EXPECT_EQ(cases[i].err_off, info.err_off)
			TH_LOG("%s", cases[i].file);
		} else {
			EXPECT_EQ(cases[i].len, info.len)
			TH_LOG("%s", cases[i].file);
		}
	}
	hello_corpus_free(cases, n);
}

/* Every rejection reason has at least one corpus file that triggers it. */
TEST(corpus_covers_every_reason)
{
	struct hello_case *cases;
	int n, i, reason, seen;

	n = hello_corpus_load(&cases);
	ASSERT_GT(n, 0);
	for (reason = 0; reason < AMT_HELLO_REASON_COUNT; reason++) {
		seen = 0;
		for (i = 0; i < n; i++)
			seen |= !strcmp(cases[i].verdict,
					amt_hello_reason_str(reason));
		EXPECT_TRUE(seen)
		TH_LOG("no corpus case for %s", amt_hello_reason_str(reason));
	}
	hello_corpus_free(cases, n);
}

TEST(reason_names_and_texts_distinct)
{
	int a, b;

	for (a = 0; a < AMT_HELLO_REASON_COUNT; a++) {
		EXPECT_STRNE("unknown_reason", amt_hello_reason_str(a));
		EXPECT_STRNE("unknown reason", amt_hello_reason_desc(a));
		for (b = a + 1; b < AMT_HELLO_REASON_COUNT; b++) {
			EXPECT_STRNE(amt_hello_reason_str(a),
				     amt_hello_reason_str(b));
			EXPECT_STRNE(amt_hello_reason_desc(a),
				     amt_hello_reason_desc(b));
		}
	}
	EXPECT_STREQ("unknown_reason",
		     amt_hello_reason_str(AMT_HELLO_REASON_COUNT));
	EXPECT_STREQ("unknown reason", amt_hello_reason_desc(-1));
}

TEST(psk_fields)
{
	unsigned char b[AMT_HELLO_PSK_LEN];
	struct amt_hello_info info;

	build_psk(b, 0, 0x01020304, "Z0Y1X2W3");
	ASSERT_EQ(AMT_HELLO_OK, validate_exact(b, sizeof(b), 0, &info));
	EXPECT_EQ(0, info.admin_credentials_set);
	EXPECT_EQ(2, info.version);
	EXPECT_EQ(0x01020304, info.retry_count);
	EXPECT_EQ(32, info.len);
	EXPECT_EQ(0, info.hash_count);
}

/*
 * Every byte of the PID, every value: A-Z and 0-9 only by default, '!' to
 * '~' with AMT_HELLO_F_PID_PRINTABLE.
 */
TEST(psk_every_pid_byte_checked)
{
	unsigned char b[AMT_HELLO_PSK_LEN];
	struct amt_hello_info info;
	int pos, c, ok, printable;

	for (printable = 0; printable < 2; printable++) {
		for (pos = 0; pos < AMT_HELLO_PID_LEN; pos++) {
			for (c = 0; c < 256; c++) {
				build_psk(b, 1, 0, "ABCD1234");
				b[24 + pos] = (unsigned char)c;
				ok = printable ? c >= '!' && c <= '~' :
						 (c >= 'A' && c <= 'Z') ||
							 (c >= '0' && c <= '9');
				EXPECT_EQ(ok ? AMT_HELLO_OK :
					       AMT_HELLO_ERR_PID_CHAR,
					  validate_exact(
						  b, sizeof(b),
						  printable ?
							  AMT_HELLO_F_PID_PRINTABLE :
							  0,
						  &info));
				if (!ok)
					EXPECT_EQ(24 + pos, info.err_off);
			}
		}
	}
}

TEST(admin_flag_values)
{
	unsigned char b[AMT_HELLO_PSK_LEN];
	struct amt_hello_info info;
	unsigned int v;

	for (v = 0; v <= 0xffff; v += (v < 4 ? 1 : 257)) {
		build_psk(b, (__u16)v, 0, "ABCD1234");
		EXPECT_EQ(v <= 1 ? AMT_HELLO_OK : AMT_HELLO_ERR_ADMIN_FLAG,
			  validate_exact(b, sizeof(b), 0, &info));
	}
}

TEST(version_values)
{
	unsigned char b[AMT_HELLO_PSK_LEN];
	struct amt_hello_info info;
	unsigned int v;

	for (v = 0; v <= 0xffff; v += (v < 8 ? 1 : 255)) {
		build_psk(b, 1, 0, "ABCD1234");
		b[2] = v & 0xff;
		b[3] = v >> 8;
		if (v == AMT_HELLO_VERSION_PSK || v == AMT_HELLO_VERSION_PKI)
			continue;
		EXPECT_EQ(AMT_HELLO_ERR_VERSION,
			  validate_exact(b, sizeof(b), 0, &info));
		EXPECT_EQ(2, info.err_off);
		EXPECT_EQ(v, info.version);
	}
}

/* Every proper prefix of a valid Hello is refused, at the right place. */
TEST(every_prefix_refused)
{
	struct amt_hello_info info;
	unsigned char *data;
	size_t len, cut;
	int r;

	ASSERT_EQ(0, read_whole_file(HELLO_CORPUS_DIR "/meshcentral-841.bin",
				     &data, &len));
	ASSERT_EQ(841, len);
	for (cut = 0; cut < len; cut++) {
		r = validate_exact(data, cut, 0, &info);
		EXPECT_NE(AMT_HELLO_OK, r);
		if (cut < 24) {
			EXPECT_EQ(AMT_HELLO_ERR_TRUNCATED_HEADER, r);
		} else if (cut == 24) {
			EXPECT_EQ(AMT_HELLO_ERR_TRUNCATED_COUNT, r);
		} else if ((cut - 25) % 34 < 2) {
			EXPECT_EQ(AMT_HELLO_ERR_TRUNCATED_ENTRY, r);
		} else {
			EXPECT_EQ(AMT_HELLO_ERR_TRUNCATED_HASH, r);
		}
		EXPECT_EQ(cut, info.err_off);
	}
	free(data);
}

TEST(captures_decode)
{
	static const char *const files[] = { "meshcentral-807.bin",
					     "meshcentral-841.bin",
					     "meshcentral-841-retry1.bin" };
	static const unsigned int counts[] = { 23, 24, 24 },
				  lens[] = { 807, 841, 841 },
				  retries[] = { 0, 0, 1 };
	struct amt_hello_info info;
	char path[512];
	unsigned char *data;
	size_t len;
	int i;

	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", HELLO_CORPUS_DIR,
			 files[i]);
		ASSERT_EQ(0, read_whole_file(path, &data, &len));
		ASSERT_EQ(AMT_HELLO_OK, validate_exact(data, len, 0, &info));
		EXPECT_EQ(lens[i], info.len);
		EXPECT_EQ(counts[i], info.hash_count);
		EXPECT_EQ(retries[i], info.retry_count);
		EXPECT_EQ(1, info.admin_credentials_set);
		EXPECT_EQ(3, info.version);
		free(data);
	}
}

TEST(hash_count_bounds)
{
	static unsigned char b[AMT_HELLO_MAX_LEN + 128];
	struct amt_hello_info info;
	size_t len;

	len = build_pki(b, AMT_HELLO_MAX_HASHES, AMT_HASH_SHA384, 48);
	EXPECT_EQ(AMT_HELLO_OK, validate_exact(b, len, 0, &info));
	EXPECT_EQ(AMT_HELLO_MAX_HASHES, info.hash_count);

	len = build_pki(b, AMT_HELLO_MAX_HASHES + 1, AMT_HASH_SHA1, 20);
	EXPECT_EQ(AMT_HELLO_ERR_TOO_MANY_HASHES,
		  validate_exact(b, len, 0, &info));
	EXPECT_EQ(24, info.err_off);

	/* The largest valid Hello is exactly AMT_HELLO_MAX_LEN bytes. */
	len = build_pki(b, AMT_HELLO_MAX_HASHES, AMT_HASH_SHA384, 64);
	EXPECT_EQ(AMT_HELLO_MAX_LEN, len);
	EXPECT_EQ(AMT_HELLO_OK,
		  validate_exact(b, len, AMT_HELLO_F_TYPE3_SHA512, &info));
	EXPECT_EQ(AMT_HELLO_ERR_HASH_SIZE, validate_exact(b, len, 0, &info));
	EXPECT_EQ(26, info.err_off);
}

TEST(type3_interpretation_flag)
{
	unsigned char b[256];
	struct amt_hello_info info;
	size_t len;

	len = build_pki(b, 1, AMT_HASH_SHA384, 48);
	EXPECT_EQ(AMT_HELLO_OK, validate_exact(b, len, 0, &info));
	EXPECT_EQ(AMT_HELLO_ERR_HASH_SIZE,
		  validate_exact(b, len, AMT_HELLO_F_TYPE3_SHA512, &info));
	EXPECT_STREQ("sha384", amt_hash_alg_name(3, 0));
	EXPECT_STREQ("sha512", amt_hash_alg_name(3, AMT_HELLO_F_TYPE3_SHA512));
	EXPECT_STREQ("unknown", amt_hash_alg_name(4, 0));
}

TEST(uuid_smbios_order)
{
	char s[37];

	amt_uuid_format(uuid_bytes, s);
	EXPECT_STREQ("939b524b-13d4-1d18-e487-1c697a6b7a2b", s);
}

static char *render(const unsigned char *b, size_t len, __u32 flags)
{
	struct amt_hello_info info;
	char *text = NULL;
	size_t size;
	FILE *f;

	if (amt_hello_validate(b, (__u32)len, flags, &info) != AMT_HELLO_OK)
		return NULL;
	f = open_memstream(&text, &size);
	if (amt_hello_write_json(f, b, &info, flags)) {
		fclose(f);
		free(text);
		return NULL;
	}
	fclose(f);
	return text;
}

TEST(json_psk)
{
	unsigned char b[AMT_HELLO_PSK_LEN];
	char *s;

	build_psk(b, 1, 7, "ABCD1234");
	s = render(b, sizeof(b), 0);
	ASSERT_NE(NULL, s);
	EXPECT_STREQ("{\"version\":2,\"admin_credentials_set\":true,"
		     "\"retry_count\":7,"
		     "\"uuid\":\"939b524b-13d4-1d18-e487-1c697a6b7a2b\","
		     "\"pid\":\"ABCD1234\"}",
		     s);
	free(s);
}

TEST(json_pki)
{
	unsigned char b[256];
	size_t len;
	char *s;

	len = build_pki(b, 2, AMT_HASH_SHA1, 20);
	b[27] = 0xab;
	s = render(b, len, 0);
	ASSERT_NE(NULL, s);
	EXPECT_STREQ(
		"{\"version\":3,\"admin_credentials_set\":true,"
		"\"retry_count\":0,"
		"\"uuid\":\"939b524b-13d4-1d18-e487-1c697a6b7a2b\","
		"\"hashes\":["
		"{\"alg\":\"sha1\",\"hex\":\"ab00000000000000000000000000000000000000\"},"
		"{\"alg\":\"sha1\",\"hex\":\"0101010101010101010101010101010101010101\"}]}",
		s);
	free(s);
}

TEST(hex_decoding)
{
	unsigned char out[4];
	size_t bad = 99;

	EXPECT_EQ(3, hex_decode("0aFf 10", out, sizeof(out), &bad));
	EXPECT_EQ(0x0a, out[0]);
	EXPECT_EQ(0xff, out[1]);
	EXPECT_EQ(0x10, out[2]);
	EXPECT_EQ(0, hex_decode(" \n", out, sizeof(out), &bad));
	EXPECT_EQ(-1, hex_decode("0g", out, sizeof(out), &bad));
	EXPECT_EQ(1, bad);
	EXPECT_EQ(-1, hex_decode("abc", out, sizeof(out), &bad));
	EXPECT_EQ(3, bad);
	EXPECT_EQ(-1, hex_decode("a b", out, sizeof(out), &bad));
	EXPECT_EQ(1, bad);
	EXPECT_EQ(-1, hex_decode("0011223344", out, sizeof(out), &bad));
	EXPECT_EQ(8, bad);
}

TEST_HARNESS_MAIN
