/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SipHash-c-d (Aumasson, Bernstein 2012): the keyed hash of the daemon's
 * in-memory tables (an attacker who picks the keys cannot make them
 * collide), and the reference the XDP program's own SYN cookie
 * (bpf/syncookie.h) is tested against.
 */
#ifndef AMTSCA_SIPHASH_H
#define AMTSCA_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

/* SipHash-c-d of len bytes at msg under the 16-byte key k. */
uint64_t siphash(int c, int d, const uint8_t k[16], const uint8_t *msg,
		 size_t len);

#endif /* AMTSCA_SIPHASH_H */
