// SPDX-License-Identifier: GPL-2.0-only
/* uuid_set: the intake's set of active devices (open addressing). */
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

#include "../../userspace/amtscad/uuid_set.h"

/* UUID number i: a fixed prefix, i big-endian at the end (as a fleet). */
static void uuid_of(unsigned int i, __u8 u[16])
{
	memset(u, 0xa5, 16);
	u[12] = i >> 24;
	u[13] = i >> 16;
	u[14] = i >> 8;
	u[15] = i;
}

TEST(add_has_remove)
{
	struct uuid_set s;
	__u8 a[16], b[16];

	ASSERT_EQ(0, uuid_set_init(&s, 2));
	uuid_of(1, a);
	uuid_of(2, b);
	EXPECT_FALSE(uuid_set_has(&s, a));
	ASSERT_EQ(0, uuid_set_add(&s, a));
	EXPECT_TRUE(uuid_set_has(&s, a));
	EXPECT_FALSE(uuid_set_has(&s, b));
	ASSERT_EQ(0, uuid_set_add(&s, b));
	EXPECT_EQ(2, s.n);
	EXPECT_TRUE(s.cap >= 4);
	EXPECT_TRUE(uuid_set_remove(&s, a));
	EXPECT_FALSE(uuid_set_remove(&s, a));
	EXPECT_FALSE(uuid_set_has(&s, a));
	EXPECT_TRUE(uuid_set_has(&s, b));
	EXPECT_EQ(1, s.n);
	uuid_set_free(&s);
}

/* The all-zero UUID is a UUID like any other, not an empty slot. */
TEST(zero_uuid)
{
	struct uuid_set s;
	__u8 z[16] = { 0 };

	ASSERT_EQ(0, uuid_set_init(&s, 4));
	EXPECT_FALSE(uuid_set_has(&s, z));
	ASSERT_EQ(0, uuid_set_add(&s, z));
	EXPECT_TRUE(uuid_set_has(&s, z));
	EXPECT_TRUE(uuid_set_remove(&s, z));
	EXPECT_FALSE(uuid_set_has(&s, z));
	uuid_set_free(&s);
}

/*
 * Many adds (through several doublings) and removals in a pseudo-random
 * order, against a plain array of flags: after every removal each UUID
 * is found exactly when it should be, so the backward shift never loses
 * an entry whose probe passed the freed slot.
 */
TEST(against_reference)
{
	enum { N = 6000 };
	static bool in[N];
	struct uuid_set s;
	unsigned int i, k, seed = 12345;
	__u8 u[16];
	size_t n = 0;

	ASSERT_EQ(0, uuid_set_init(&s, 2));
	for (i = 0; i < N; i++) {
		uuid_of(i * 7919u, u);
		ASSERT_EQ(0, uuid_set_add(&s, u));
		in[i] = true;
		n++;
	}
	EXPECT_EQ(n, s.n);
	EXPECT_TRUE(s.n * 2 <= s.cap);
	for (k = 0; k < 4 * N; k++) {
		seed = seed * 1103515245u + 12345u;
		i = (seed >> 8) % N;
		uuid_of(i * 7919u, u);
		ASSERT_EQ(in[i], uuid_set_remove(&s, u));
		if (in[i])
			n--;
		in[i] = false;
		if (k % 3 == 0) {
			i = (seed >> 4) % N;
			uuid_of(i * 7919u, u);
			if (!in[i]) {
				ASSERT_EQ(0, uuid_set_add(&s, u));
				in[i] = true;
				n++;
			}
		}
		if (k % 997 == 0) {
			for (i = 0; i < N; i++) {
				uuid_of(i * 7919u, u);
				ASSERT_EQ(in[i], uuid_set_has(&s, u));
			}
		}
	}
	EXPECT_EQ(n, s.n);
	for (i = 0; i < N; i++) {
		uuid_of(i * 7919u, u);
		ASSERT_EQ(in[i], uuid_set_has(&s, u));
	}
	uuid_set_free(&s);
}

TEST_HARNESS_MAIN
