// SPDX-License-Identifier: GPL-2.0-only
/*
 * amtsca XDP Hello responder. It classifies frames (Ethernet with up to
 * two VLAN tags, IPv4/IPv6, TCP to the SCA port) and answers a SYN to the
 * SCA port with a SYN-ACK whose sequence number is a kernel SYN cookie
 * (XDP_TX); everything not addressed to the SCA port leaves with XDP_PASS
 * untouched, other segments to the port still pass for now.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "amtsca/bpf_abi.h"
#include "csum.h"

#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86DD
#define ETH_P_8021Q 0x8100
#define ETH_P_8021AD 0x88A8
#define IPPROTO_TCP_NR 6

const volatile __u16 sca_port = 9971;
const volatile __u16 sca_mss = 1460;

#define REPLY_TTL 64
#define REPLY_WINDOW 64240
#define TCP_SYNACK_LEN 24 /* header + MSS option */

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct amtsca_counters);
} amtsca_counters SEC(".maps");

struct vlan_tag {
	__be16 tci;
	__be16 proto;
};

static __always_inline void swap_macs(struct ethhdr *eth)
{
	unsigned char tmp[6];

	__builtin_memcpy(tmp, eth->h_source, 6);
	__builtin_memcpy(eth->h_source, eth->h_dest, 6);
	__builtin_memcpy(eth->h_dest, tmp, 6);
}

/*
 * Turn the SYN at tcp into our SYN-ACK in place: ports swapped, seq = cookie,
 * ack = their seq + 1, one MSS option. The caller has made the packet end
 * right after the 24-byte TCP header and fills in the checksum.
 */
static __always_inline void build_synack(struct tcphdr *tcp, __u32 cookie)
{
	__u8 *opt = (__u8 *)(tcp + 1);
	__be16 port = tcp->source;
	__u32 their_seq = bpf_ntohl(tcp->seq);

	tcp->source = tcp->dest;
	tcp->dest = port;
	tcp->ack_seq = bpf_htonl(their_seq + 1);
	tcp->seq = bpf_htonl(cookie);
	((__u16 *)tcp)[6] = 0;
	tcp->doff = TCP_SYNACK_LEN / 4;
	tcp->syn = 1;
	tcp->ack = 1;
	tcp->window = bpf_htons(REPLY_WINDOW);
	tcp->check = 0;
	tcp->urg_ptr = 0;
	opt[0] = 2; /* TCPOPT_MSS */
	opt[1] = 4;
	opt[2] = sca_mss >> 8;
	opt[3] = sca_mss & 0xff;
}

/* Fix up the IPv4 header of the reply in place; returns the pseudo-header sum. */
static __always_inline __u32 reply_ip4(struct iphdr *ip)
{
	__be32 addr = ip->saddr;

	ip->saddr = ip->daddr;
	ip->daddr = addr;
	ip->tos = 0;
	ip->tot_len = bpf_htons(sizeof(*ip) + TCP_SYNACK_LEN);
	ip->id = 0;
	ip->frag_off = bpf_htons(0x4000); /* DF */
	ip->ttl = REPLY_TTL;
	ip->check = 0;
	ip->check = csum_fold(csum_words((__u16 *)ip, sizeof(*ip) / 2, 0));
	return csum_words((__u16 *)&ip->saddr, 4, 0);
}

static __always_inline __u32 reply_ip6(struct ipv6hdr *ip6)
{
	struct in6_addr addr = ip6->saddr;

	ip6->saddr = ip6->daddr;
	ip6->daddr = addr;
	ip6->payload_len = bpf_htons(TCP_SYNACK_LEN);
	ip6->hop_limit = REPLY_TTL;
	return csum_words((__u16 *)&ip6->saddr, 16, 0);
}

/*
 * Rewrite the (already trimmed) SYN into the SYN-ACK: l3off is 14, 18 or
 * 22 and iplen 20 or 40, both re-derived after bpf_xdp_adjust_tail.
 */
static __always_inline int synack(struct xdp_md *ctx, __u32 l3off, int v6,
				  __u32 cookie)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__u32 iplen = v6 ? sizeof(struct ipv6hdr) : sizeof(struct iphdr);
	struct tcphdr *tcp;
	void *l3;
	__u32 sum;

	if (l3off > 22)
		return XDP_DROP;
	l3 = data + l3off;
	tcp = l3 + iplen;
	if ((void *)tcp + TCP_SYNACK_LEN > end)
		return XDP_DROP;
	/* The check above, at a variable offset, does not cover data itself. */
	if (data + sizeof(struct ethhdr) > end)
		return XDP_DROP;
	build_synack(tcp, cookie);
	swap_macs(data);
	sum = v6 ? reply_ip6(l3) : reply_ip4(l3);
	sum += bpf_htons(IPPROTO_TCP_NR) + bpf_htons(TCP_SYNACK_LEN);
	tcp->check =
		csum_fold(csum_words((__u16 *)tcp, TCP_SYNACK_LEN / 2, sum));
	return XDP_TX;
}

SEC("xdp")
int amtsca_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct amtsca_counters *cnt;
	struct ethhdr *eth = data;
	struct tcphdr *tcp;
	void *l3;
	__u32 zero = 0, l3off, th_len, iplen;
	__u8 th_buf[60] = {};
	__s64 cookie;
	__u16 proto;
	int i;

	cnt = bpf_map_lookup_elem(&amtsca_counters, &zero);
	if (!cnt)
		return XDP_PASS;
	cnt->rx_total++;
	if ((void *)(eth + 1) > end)
		goto pass;
	proto = bpf_ntohs(eth->h_proto);
	l3 = eth + 1;
	for (i = 0; i < 2; i++) {
		struct vlan_tag *vt = l3;

		if (proto != ETH_P_8021Q && proto != ETH_P_8021AD)
			break;
		if ((void *)(vt + 1) > end)
			goto pass;
		proto = bpf_ntohs(vt->proto);
		l3 = vt + 1;
	}
	l3off = l3 - data;
	if (proto == ETH_P_IP) {
		struct iphdr *ip = l3;

		if ((void *)(ip + 1) > end || ip->protocol != IPPROTO_TCP_NR ||
		    ip->ihl < 5)
			goto pass;
		tcp = l3 + ip->ihl * 4;
	} else if (proto == ETH_P_IPV6) {
		struct ipv6hdr *ip6 = l3;

		if ((void *)(ip6 + 1) > end || ip6->nexthdr != IPPROTO_TCP_NR)
			goto pass;
		tcp = (void *)(ip6 + 1);
	} else {
		goto pass;
	}
	if ((void *)(tcp + 1) > end)
		goto pass;
	if (tcp->dest != bpf_htons(sca_port))
		goto pass;
	cnt->port_tcp++;
	if (!(tcp->syn && !tcp->ack && !tcp->rst && !tcp->fin))
		return XDP_PASS;
	th_len = tcp->doff * 4;
	if (th_len < sizeof(*tcp) || (void *)tcp + th_len > end) {
		cnt->malformed++;
		return XDP_DROP;
	}
	/*
	 * Verifier work-around: a packet pointer checked against a variable
	 * length (doff) is not accepted as a helper's memory argument, so the
	 * cookie helpers get a copy of the TCP header on the stack.
	 */
	if (bpf_xdp_load_bytes(ctx, (void *)tcp - data, th_buf, th_len)) {
		cnt->malformed++;
		return XDP_DROP;
	}
	if (proto == ETH_P_IP) {
		struct iphdr *ip = l3;

		/* Replies carry no IP options; a SYN with them is dropped. */
		if (ip->ihl != 5) {
			cnt->malformed++;
			return XDP_DROP;
		}
		cookie = bpf_tcp_raw_gen_syncookie_ipv4(ip, (void *)th_buf,
							th_len);
		iplen = sizeof(*ip);
	} else {
		cookie = bpf_tcp_raw_gen_syncookie_ipv6(l3, (void *)th_buf,
							th_len);
		iplen = sizeof(struct ipv6hdr);
	}
	if (cookie < 0) {
		cnt->malformed++;
		return XDP_DROP;
	}
	if (bpf_xdp_adjust_tail(ctx, (int)(l3off + iplen + TCP_SYNACK_LEN) -
					     (int)(end - data)))
		return XDP_DROP;
	cnt->syn_ack++;
	/*
	 * Verifier work-around: two calls with a constant v6, so each inlined
	 * copy has a constant IP header length after bpf_xdp_adjust_tail.
	 */
	if (proto == ETH_P_IPV6)
		return synack(ctx, l3off, 1, (__u32)cookie);
	return synack(ctx, l3off, 0, (__u32)cookie);
pass:
	cnt->pass_other++;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
