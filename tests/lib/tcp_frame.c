// SPDX-License-Identifier: GPL-2.0-only
/* Test frames for the XDP program (tcp_frame.h). */
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>

#include "tcp_frame.h"

/* RFC 1071 sum, computed here independently of bpf/csum.h. */
unsigned int sum16(const unsigned char *p, size_t len, unsigned int s)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += (p[i] << 8) | p[i + 1];
	if (len & 1)
		s += p[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return s;
}

/*
 * Set the IPv4 header checksum and the TCP checksum of the segment (l3
 * header at l3) as a sender with no offload would; UDP keeps 0.
 */
void fix_csums(struct frame *f, int v6, int nvlan)
{
	unsigned char *l3 = f->buf + 14 + 4 * nvlan, *l4;
	size_t l4len;
	unsigned int s;

	if (v6) {
		l4 = l3 + 40;
		l4len = (l3[4] << 8) | l3[5];
		if (l3[6] != IPPROTO_TCP)
			return;
		s = sum16(l3 + 8, 32, IPPROTO_TCP + l4len);
	} else {
		l4 = l3 + 20;
		l4len = ((l3[2] << 8) | l3[3]) - 20;
		l3[10] = l3[11] = 0;
		s = sum16(l3, 20, 0);
		l3[10] = ~s >> 8;
		l3[11] = ~s & 0xff;
		if (l3[9] != IPPROTO_TCP)
			return;
		s = sum16(l3 + 12, 8, IPPROTO_TCP + l4len);
	}
	l4[16] = l4[17] = 0;
	s = sum16(l4, l4len, s);
	l4[16] = ~s >> 8;
	l4[17] = ~s & 0xff;
}

/*
 * Ethernet (+ nvlan 802.1Q tags) + IPv4 or IPv6 + TCP (flags, seq, ack,
 * payload) or UDP.
 */
void build_segment(struct frame *f, int v6, int nvlan, int l4proto,
		   unsigned short dport, unsigned char flags, unsigned int seq,
		   unsigned int ack, const unsigned char *payload, size_t plen)
{
	unsigned char *p = f->buf;
	unsigned short proto = v6 ? ETH_P_IPV6 : ETH_P_IP;
	size_t l4len = l4proto == IPPROTO_TCP ? sizeof(struct tcphdr) :
						sizeof(struct udphdr);
	int i;

	memset(f, 0, sizeof(*f));
	memcpy(p, "\x02\0\0\0\0\x01\x02\0\0\0\0\x02", 12);
	p += 12;
	for (i = 0; i < nvlan; i++) {
		*(unsigned short *)p = htons(ETH_P_8021Q);
		*(unsigned short *)(p + 2) = htons(100 + i);
		p += 4;
	}
	*(unsigned short *)p = htons(proto);
	p += 2;
	if (v6) {
		struct ipv6hdr *ip6 = (void *)p;

		ip6->version = 6;
		ip6->payload_len = htons(l4len + plen);
		ip6->nexthdr = l4proto;
		ip6->hop_limit = 64;
		inet_pton(AF_INET6, "fd00::2", &ip6->saddr);
		inet_pton(AF_INET6, "fd00::1", &ip6->daddr);
		p += sizeof(*ip6);
	} else {
		struct iphdr *ip = (void *)p;

		ip->version = 4;
		ip->ihl = 5;
		ip->tot_len = htons(sizeof(*ip) + l4len + plen);
		ip->ttl = 64;
		ip->protocol = l4proto;
		inet_pton(AF_INET, "198.18.0.2", &ip->saddr);
		inet_pton(AF_INET, "198.18.0.1", &ip->daddr);
		p += sizeof(*ip);
	}
	if (l4proto == IPPROTO_TCP) {
		struct tcphdr *tcp = (void *)p;

		tcp->source = htons(40000);
		tcp->dest = htons(dport);
		tcp->seq = htonl(seq);
		tcp->ack_seq = htonl(ack);
		tcp->doff = 5;
		p[13] = flags;
		tcp->window = htons(1024);
	} else {
		struct udphdr *udp = (void *)p;

		udp->source = htons(40000);
		udp->dest = htons(dport);
		udp->len = htons(sizeof(*udp));
	}
	if (plen)
		memcpy(p + l4len, payload, plen);
	f->len = p + l4len + plen - f->buf;
	fix_csums(f, v6, nvlan);
}
