// SPDX-License-Identifier: GPL-2.0-only
/* SipHash-c-d, byte by byte as the paper specifies it; see siphash.h. */
#include "siphash.h"

static uint64_t rotl(uint64_t x, int b)
{
	return x << b | x >> (64 - b);
}

static uint64_t le64(const uint8_t *p, size_t n)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static void rounds(uint64_t v[4], int n)
{
	while (n--) {
		v[0] += v[1];
		v[1] = rotl(v[1], 13) ^ v[0];
		v[0] = rotl(v[0], 32);
		v[2] += v[3];
		v[3] = rotl(v[3], 16) ^ v[2];
		v[0] += v[3];
		v[3] = rotl(v[3], 21) ^ v[0];
		v[2] += v[1];
		v[1] = rotl(v[1], 17) ^ v[2];
		v[2] = rotl(v[2], 32);
	}
}

uint64_t siphash(int c, int d, const uint8_t k[16], const uint8_t *msg,
		 size_t len)
{
	uint64_t k0 = le64(k, 8), k1 = le64(k + 8, 8), m, v[4];
	size_t off;

	v[0] = k0 ^ 0x736f6d6570736575ull;
	v[1] = k1 ^ 0x646f72616e646f6dull;
	v[2] = k0 ^ 0x6c7967656e657261ull;
	v[3] = k1 ^ 0x7465646279746573ull;
	for (off = 0; off + 8 <= len; off += 8) {
		m = le64(msg + off, 8);
		v[3] ^= m;
		rounds(v, c);
		v[0] ^= m;
	}
	m = le64(msg + off, len - off) | (uint64_t)(len & 0xff) << 56;
	v[3] ^= m;
	rounds(v, c);
	v[0] ^= m;
	v[2] ^= 0xff;
	rounds(v, d);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}
