// SPDX-License-Identifier: GPL-2.0-only
/*
 * amt_hello_validate() against the reference validator it replaced
 * (tests/lib/hello_validate_ref.h): the same verdict, err_off and info
 * fields for the corpus, every prefix and every single-byte value at every
 * offset of each corpus Hello, and random Hellos built to reach every
 * branch of the hash loop, under every flag set.
 */
#include <stdlib.h>
#include <string.h>

#include <amtsca/hello.h>

#include "hello_corpus.h"
#include "hello_validate_ref.h"
#include "kselftest_harness.h"

static const __u32 flag_sets[] = { 0, AMT_HELLO_F_TYPE3_SHA512,
				   AMT_HELLO_F_PID_PRINTABLE,
				   AMT_HELLO_F_TYPE3_SHA512 |
					   AMT_HELLO_F_PID_PRINTABLE };
#define FLAG_SETS (sizeof(flag_sets) / sizeof(flag_sets[0]))

/* Inputs compared, and those on which the two disagreed. */
struct tally {
	unsigned long runs;
	unsigned long diffs;
	unsigned long reasons[AMT_HELLO_REASON_COUNT]; /* the reference's */
};

/*
 * Both validators on buf[0..len) (a heap block of exactly len bytes where
 * ASan should see an over-read) under every flag set; the first few
 * disagreements are printed.
 */
static void compare(struct tally *t, const __u8 *buf, __u32 len,
		    const char *what, size_t pos)
{
	struct amt_hello_info got, want;
	unsigned int f;
	int r, ref;

	for (f = 0; f < FLAG_SETS; f++) {
		memset(&got, 0xa5, sizeof(got));
		memset(&want, 0x5a, sizeof(want));
		r = amt_hello_validate(buf, len, flag_sets[f], &got);
		ref = amt_hello_validate_ref(buf, len, flag_sets[f], &want);
		t->runs++;
		if (ref >= 0 && ref < AMT_HELLO_REASON_COUNT)
			t->reasons[ref]++;
		if (r == ref &&
		    got.admin_credentials_set == want.admin_credentials_set &&
		    got.version == want.version &&
		    got.retry_count == want.retry_count &&
		    got.hash_count == want.hash_count && got.len == want.len &&
		    got.err_off == want.err_off)
			continue;
		if (t->diffs++ < 10)
			fprintf(stderr,
				"# %s at %zu, len %u, flags %u: %s/%u/%u/%u "
				"against %s/%u/%u/%u (reason/err_off/len/"
				"hash_count)\n",
				what, pos, len, flag_sets[f],
				amt_hello_reason_str(r), got.err_off, got.len,
				got.hash_count, amt_hello_reason_str(ref),
				want.err_off, want.len, want.hash_count);
	}
}

/* Every proper prefix and the whole of each corpus file. */
TEST(corpus_and_prefixes)
{
	struct tally t = { 0 };
	struct hello_case *cases;
	unsigned char *copy;
	size_t cut;
	int n, i;

	n = hello_corpus_load(&cases);
	ASSERT_GT(n, 30);
	for (i = 0; i < n; i++) {
		for (cut = 0; cut <= cases[i].len; cut++) {
			copy = malloc(cut ? cut : 1);
			ASSERT_NE(NULL, copy);
			memcpy(copy, cases[i].data, cut);
			compare(&t, copy, (__u32)cut, cases[i].file, cut);
			free(copy);
		}
	}
	hello_corpus_free(cases, n);
	EXPECT_EQ(0, t.diffs);
	TH_LOG("%lu inputs x flag sets compared", t.runs);
}

/* Each corpus file with one byte set to each of its 256 values. */
TEST(every_single_byte_value)
{
	struct tally t = { 0 };
	struct hello_case *cases;
	unsigned char *buf, keep;
	size_t pos;
	int n, i, v;

	n = hello_corpus_load(&cases);
	ASSERT_GT(n, 30);
	for (i = 0; i < n; i++) {
		/* The corpus buffers are exactly len bytes long. */
		buf = cases[i].data;
		for (pos = 0; pos < cases[i].len; pos++) {
			keep = buf[pos];
			for (v = 0; v < 256; v++) {
				buf[pos] = (unsigned char)v;
				compare(&t, buf, (__u32)cases[i].len,
					cases[i].file, pos);
			}
			buf[pos] = keep;
		}
	}
	hello_corpus_free(cases, n);
	EXPECT_EQ(0, t.diffs);
	TH_LOG("%lu inputs x flag sets compared", t.runs);
}

/* xorshift32: a fixed sequence, so a failure repeats. */
static __u32 next_rand(__u32 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/*
 * A v3 Hello: a count near and beyond the limits, entries mostly of valid
 * pairs under one reading of type 3 or the other, some with a wrong type
 * or size, then cut short or extended at random.
 */
static __u32 random_pki(__u8 *b, __u32 cap, __u32 *s)
{
	static const __u8 types[] = { 1, 2, 3, 3, 0, 4, 255 };
	static const __u8 sizes[] = { 20, 32, 48, 64, 0, 33, 255 };
	__u32 off = AMT_HELLO_PKI_HDR_LEN, count, i, k, size, len;

	for (i = 0; i < AMT_HELLO_HDR_LEN; i++)
		b[i] = (__u8)next_rand(s);
	b[0] &= 1;
	b[1] = 0;
	b[2] = AMT_HELLO_VERSION_PKI;
	b[3] = 0;
	count = next_rand(s) % 8 ? next_rand(s) % 30 : next_rand(s) % 256;
	b[AMT_HELLO_HDR_LEN] = (__u8)count;
	for (i = 0; i < count && off + 2 + 255 <= cap; i++) {
		k = next_rand(s) % 64 ? next_rand(s) % 4 : next_rand(s) % 7;
		b[off] = types[k];
		size = next_rand(s) % 64 ? sizes[k] : sizes[next_rand(s) % 7];
		b[off + 1] = (__u8)size;
		memset(b + off + 2, (int)i, size);
		off += 2 + size;
	}
	len = off;
	switch (next_rand(s) % 4) {
	case 0:
		len = next_rand(s) % (off + 1);
		break;
	case 1:
		len = off + next_rand(s) % (cap - off + 1);
		break;
	}
	for (i = off; i < len; i++)
		b[i] = (__u8)next_rand(s);
	return len;
}

/* A v2 Hello: each PID byte from A-Z 0-9, printable ASCII, or anything. */
static __u32 random_psk(__u8 *b, __u32 *s)
{
	static const char classes[][37] = {
		"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", "!-~az{|}`@[]^_/:;<=>?"
	};
	__u32 i, pick;

	for (i = 0; i < AMT_HELLO_PSK_LEN + 8; i++)
		b[i] = (__u8)next_rand(s);
	b[0] &= 1;
	b[1] = 0;
	b[2] = AMT_HELLO_VERSION_PSK;
	b[3] = 0;
	for (i = AMT_HELLO_HDR_LEN; i < AMT_HELLO_PSK_LEN; i++) {
		pick = next_rand(s) % 16;
		if (pick < 12)
			b[i] = (__u8)classes[0][next_rand(s) % 36];
		else if (pick < 15)
			b[i] = (__u8)classes[1][next_rand(s) % 21];
	}
	return next_rand(s) % 8 ? AMT_HELLO_PSK_LEN :
				  next_rand(s) % (AMT_HELLO_PSK_LEN + 8);
}

TEST(random_hellos)
{
	/* Room for 255 entries of 257 bytes, beyond AMT_HELLO_MAX_LEN. */
	enum { CAP = AMT_HELLO_PKI_HDR_LEN + 255 * 257, ROUNDS = 200000 };
	struct tally t = { 0 };
	__u32 seed = 0x2545f491, len;
	unsigned char *b, *exact;
	int round;

	b = malloc(CAP);
	ASSERT_NE(NULL, b);
	for (round = 0; round < ROUNDS; round++) {
		len = round % 4 ? random_pki(b, CAP, &seed) :
				  random_psk(b, &seed);
		exact = malloc(len ? len : 1);
		ASSERT_NE(NULL, exact);
		memcpy(exact, b, len);
		compare(&t, exact, len, "random", (size_t)round);
		free(exact);
	}
	free(b);
	EXPECT_EQ(0, t.diffs);
	TH_LOG("%lu inputs x flag sets compared", t.runs);
	/* The generator reaches every verdict of the PID and the hash loop. */
	for (round = AMT_HELLO_OK; round < AMT_HELLO_REASON_COUNT; round++) {
		if (round == AMT_HELLO_ERR_ADMIN_FLAG ||
		    round == AMT_HELLO_ERR_VERSION)
			continue;
		EXPECT_LT(100, t.reasons[round])
		TH_LOG("%s: %lu", amt_hello_reason_str(round),
		       t.reasons[round]);
	}
}

TEST_HARNESS_MAIN
