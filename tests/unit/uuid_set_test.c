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

/* A small set under churn, every UUID checked after every step. */
TEST(small_churn)
{
	enum { N = 60 };
	bool in[N] = { false };
	struct uuid_set s;
	unsigned int i, j, k, seed = 777;
	__u8 u[16];

	ASSERT_EQ(0, uuid_set_init(&s, 2));
	for (k = 0; k < 100000; k++) {
		seed = seed * 1103515245u + 12345u;
		i = (seed >> 8) % N;
		uuid_of(i, u);
		if (in[i]) {
			ASSERT_TRUE(uuid_set_remove(&s, u));
		} else {
			ASSERT_EQ(0, uuid_set_add(&s, u));
		}
		in[i] = !in[i];
		for (j = 0; j < N; j++) {
			uuid_of(j, u);
			ASSERT_EQ(in[j], uuid_set_has(&s, u));
		}
	}
	EXPECT_TRUE(s.cap <= 128);
	uuid_set_free(&s);
}

/* The home slot of UUID number i in a set of cap slots (the tag's bits). */
static size_t home_of(unsigned int i, size_t cap)
{
	struct uuid_set s;
	size_t home = cap, j;
	__u8 u[16];

	uuid_of(i, u);
	if (uuid_set_init(&s, cap) || uuid_set_add(&s, u))
		return cap;
	for (j = 0; j < s.cap; j++)
		if (s.slots[j].tag)
			home = s.slots[j].tag & (cap - 1);
	uuid_set_free(&s);
	return home;
}

/* The first UUID number from *i on whose home is want in cap slots. */
static unsigned int find_home(unsigned int *i, size_t want, size_t cap)
{
	while (home_of(*i, cap) != want)
		(*i)++;
	return (*i)++;
}

/*
 * Removal where a cluster runs over the end of the array: entries after
 * the wrap whose home is at the start stay, those whose home is before
 * the end move back (64 slots, at most 3 entries: no doubling).
 */
TEST(wrap_around)
{
	unsigned int next = 0, a, c, d;
	struct uuid_set s;
	__u8 ua[16], uc[16], ud[16];

	a = find_home(&next, 63, 64);
	c = find_home(&next, 63, 64);
	d = find_home(&next, 0, 64);
	uuid_of(a, ua);
	uuid_of(c, uc);
	uuid_of(d, ud);

	/* a in slot 63, d in 0: removing a must leave d where it is. */
	ASSERT_EQ(0, uuid_set_init(&s, 64));
	ASSERT_EQ(0, uuid_set_add(&s, ua));
	ASSERT_EQ(0, uuid_set_add(&s, ud));
	ASSERT_TRUE(uuid_set_remove(&s, ua));
	EXPECT_TRUE(uuid_set_has(&s, ud));
	EXPECT_EQ(0, memcmp(s.slots[0].uuid, ud, 16));
	uuid_set_free(&s);

	/* a in 63, c in 0, d in 1: removing a moves c to 63 and d to 0. */
	ASSERT_EQ(0, uuid_set_init(&s, 64));
	ASSERT_EQ(0, uuid_set_add(&s, ua));
	ASSERT_EQ(0, uuid_set_add(&s, uc));
	ASSERT_EQ(0, uuid_set_add(&s, ud));
	ASSERT_TRUE(uuid_set_remove(&s, ua));
	EXPECT_TRUE(uuid_set_has(&s, uc));
	EXPECT_TRUE(uuid_set_has(&s, ud));
	EXPECT_FALSE(uuid_set_has(&s, ua));
	EXPECT_EQ(0, memcmp(s.slots[63].uuid, uc, 16));
	EXPECT_EQ(0, memcmp(s.slots[0].uuid, ud, 16));
	EXPECT_EQ(0, s.slots[1].tag);
	uuid_set_free(&s);
}

TEST_HARNESS_MAIN
