// SPDX-License-Identifier: GPL-2.0-only
/*
 * amtsca XDP Hello responder. This increment classifies frames (Ethernet
 * with up to two VLAN tags, IPv4/IPv6, TCP to the SCA port) and counts
 * them; everything not addressed to the SCA port leaves with XDP_PASS
 * untouched.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "amtsca/bpf_abi.h"

#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86DD
#define ETH_P_8021Q 0x8100
#define ETH_P_8021AD 0x88A8
#define IPPROTO_TCP_NR 6

const volatile __u16 sca_port = 9971;

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

SEC("xdp")
int amtsca_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct amtsca_counters *cnt;
	struct ethhdr *eth = data;
	struct tcphdr *tcp;
	void *l3;
	__u16 proto;
	__u32 zero = 0;
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
	return XDP_PASS;
pass:
	cnt->pass_other++;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
