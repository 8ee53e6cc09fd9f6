/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test frames for the XDP program: Ethernet (+ 802.1Q tags), IPv4 or IPv6,
 * TCP or UDP, with checksums computed here by RFC 1071, independently of
 * the program's bpf/csum.h. Addresses: 198.18.0.2 -> 198.18.0.1 and
 * fd00::2 -> fd00::1, source port 40000.
 */
#ifndef AMTSCA_TCP_FRAME_H
#define AMTSCA_TCP_FRAME_H

#include <stddef.h>

/* The largest frame BPF_PROG_TEST_RUN takes without fragments. */
#define FRAME_MAX 3500
#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_PSH 0x08
#define TH_ACK 0x10

struct frame {
	unsigned char buf[FRAME_MAX];
	size_t len;
};

/* RFC 1071 sum of len bytes at p added to s, folded to 16 bits. */
unsigned int sum16(const unsigned char *p, size_t len, unsigned int s);

/* Set the IPv4 header and TCP checksums of f (UDP keeps 0). */
void fix_csums(struct frame *f, int v6, int nvlan);

/*
 * Ethernet (+ nvlan 802.1Q tags) + IPv4 or IPv6 + TCP (flags, seq, ack,
 * payload) or UDP, checksums set.
 */
void build_segment(struct frame *f, int v6, int nvlan, int l4proto,
		   unsigned short dport, unsigned char flags, unsigned int seq,
		   unsigned int ack, const unsigned char *payload, size_t plen);

#endif /* AMTSCA_TCP_FRAME_H */
