/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The SYN cookie the XDP program's own (bpf/syncookie.h) is tested
 * against, built on userspace/lib/siphash.c.
 */
#ifndef AMTSCA_SIPHASH_REF_H
#define AMTSCA_SIPHASH_REF_H

#include <stdint.h>

/*
 * The SYN cookie include/amtsca/bpf_abi.h specifies: key as in
 * amtsca_xdp_config, addresses (4 or 16 bytes each), ports and isn in
 * network order as on the wire, tick the clock tick.
 */
uint32_t syncookie_ref(const uint64_t key[2], int v6, const uint8_t *saddr,
		       const uint8_t *daddr, uint16_t sport_be,
		       uint16_t dport_be, uint32_t isn_be, uint64_t tick);

#endif /* AMTSCA_SIPHASH_REF_H */
