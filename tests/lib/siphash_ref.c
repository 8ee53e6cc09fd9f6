// SPDX-License-Identifier: GPL-2.0-only
/* The SYN cookie built on SipHash-2-4; see siphash_ref.h. */
#include <string.h>

#include "siphash.h"
#include "siphash_ref.h"

uint32_t syncookie_ref(const uint64_t key[2], int v6, const uint8_t *saddr,
		       const uint8_t *daddr, uint16_t sport_be,
		       uint16_t dport_be, uint32_t isn_be, uint64_t tick)
{
	size_t alen = v6 ? 16 : 4, n = 0;
	uint8_t k[16], msg[44];
	uint64_t h;
	int i;

	for (i = 0; i < 8; i++) {
		k[i] = key[0] >> (8 * i);
		k[8 + i] = key[1] >> (8 * i);
	}
	memcpy(msg + n, saddr, alen);
	n += alen;
	memcpy(msg + n, daddr, alen);
	n += alen;
	memcpy(msg + n, &sport_be, 2);
	memcpy(msg + n + 2, &dport_be, 2);
	memcpy(msg + n + 4, &isn_be, 4);
	n += 8;
	for (i = 0; i < 4; i++)
		msg[n + i] = tick >> (8 * i);
	n += 4;
	h = siphash(2, 4, k, msg, n);
	return ((uint32_t)h & ~1u) | (uint32_t)(tick & 1);
}
