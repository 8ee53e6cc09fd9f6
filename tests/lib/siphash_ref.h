/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SipHash-c-d as the paper specifies it (Aumasson, Bernstein 2012), byte
 * by byte: the reference the XDP program's own SYN cookie
 * (bpf/syncookie.h) is tested against, and the cookie built from it.
 */
#ifndef AMTSCA_SIPHASH_REF_H
#define AMTSCA_SIPHASH_REF_H

#include <stddef.h>
#include <stdint.h>

/* SipHash-c-d of len bytes at msg under the 16-byte key k. */
uint64_t siphash_ref(int c, int d, const uint8_t k[16], const uint8_t *msg,
		     size_t len);

/*
 * The SYN cookie include/amtsca/bpf_abi.h specifies: key as in
 * amtsca_xdp_config, addresses (4 or 16 bytes each), ports and isn in
 * network order as on the wire, tick the clock tick.
 */
uint32_t syncookie_ref(const uint64_t key[2], int v6, const uint8_t *saddr,
		       const uint8_t *daddr, uint16_t sport_be,
		       uint16_t dport_be, uint32_t isn_be, uint64_t tick);

#endif /* AMTSCA_SIPHASH_REF_H */
