// SPDX-License-Identifier: GPL-2.0-only
/*
 * The device end of the test veth pair. The test kernel has no 802.1Q
 * support, so VLAN 7 is emulated here for the device's own TCP stack:
 * the tc egress program tags what it sends to the VLAN subnets
 * (198.18.7.0/24, fd00:a7::/64) with VID 7, and the XDP program strips
 * VID 7 tags on receive, drops other tags, and drops an untagged frame
 * from a VLAN subnet (a reply that lost its tag). Having an XDP program
 * also turns on the veth's NAPI, without which frames the SCA side sends
 * with XDP_TX are not delivered.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86DD
#define ETH_P_8021Q 0x8100
#define TEST_VID 7
#define TC_ACT_OK 0

struct vlan_tag {
	__be16 tci;
	__be16 proto;
};

/* 198.18.7.0/24 or fd00:a7::/64, from the first 8 address bytes. */
static __always_inline int in_vlan_subnet(const __u8 *a, int v6)
{
	if (v6)
		return a[0] == 0xfd && a[1] == 0 && a[2] == 0 && a[3] == 0xa7 &&
		       !a[4] && !a[5] && !a[6] && !a[7];
	return a[0] == 198 && a[1] == 18 && a[2] == 7;
}

SEC("xdp")
int device_rx(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct vlan_tag *vt = (void *)(eth + 1);
	__u8 macs[12];

	if ((void *)(vt + 1) > end)
		return XDP_PASS;
	if (eth->h_proto == bpf_htons(ETH_P_8021Q)) {
		if ((bpf_ntohs(vt->tci) & 0x0fff) != TEST_VID)
			return XDP_DROP;
		/* The MACs move up over the tag; the inner type stays. */
		__builtin_memcpy(macs, eth, sizeof(macs));
		__builtin_memcpy((__u8 *)data + 4, macs, sizeof(macs));
		return bpf_xdp_adjust_head(ctx, 4) ? XDP_DROP : XDP_PASS;
	}
	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = (void *)(eth + 1);

		if ((void *)(ip + 1) <= end &&
		    in_vlan_subnet((__u8 *)&ip->saddr, 0))
			return XDP_DROP;
	} else if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = (void *)(eth + 1);

		if ((void *)(ip6 + 1) <= end &&
		    in_vlan_subnet((__u8 *)&ip6->saddr, 1))
			return XDP_DROP;
	}
	return XDP_PASS;
}

SEC("tc")
int device_tx(struct __sk_buff *skb)
{
	__u8 daddr[8];
	int v6 = skb->protocol == bpf_htons(ETH_P_IPV6);

	if (!v6 && skb->protocol != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	if (bpf_skb_load_bytes(skb, v6 ? 14 + 24 : 14 + 16, daddr, v6 ? 8 : 4))
		return TC_ACT_OK;
	if (in_vlan_subnet(daddr, v6))
		bpf_skb_vlan_push(skb, bpf_htons(ETH_P_8021Q), TEST_VID);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
