// SPDX-License-Identifier: GPL-2.0-only
/*
 * A stand-in for another XDP program sharing the interface with amtsca
 * (xdp.next_prog, tests/xdp/chain.sh): it counts the frames it is handed,
 * and among them TCP to the SCA port (which amtsca must keep), and drops
 * UDP to port 9 (discard), so a test sees both that traffic reached it
 * and that its verdict counted. Everything else: XDP_PASS.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define ETH_P_IP 0x0800
#define IPPROTO_TCP_NR 6
#define IPPROTO_UDP_NR 17
#define DISCARD_PORT 9
#define SCA_PORT 9971

struct next_counts {
	__u64 seen; /* every frame handed over */
	__u64 dropped; /* UDP to the discard port */
	__u64 sca_port; /* TCP to the SCA port: never, amtsca answers it */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct next_counts);
} next_counts SEC(".maps");

SEC("xdp")
int next_prog(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct next_counts *c;
	struct iphdr *ip;
	struct udphdr *udp;
	__u32 zero = 0;

	c = bpf_map_lookup_elem(&next_counts, &zero);
	if (!c)
		return XDP_PASS;
	__sync_fetch_and_add(&c->seen, 1);
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) ||
	    ip->ihl != 5)
		return XDP_PASS;
	/* The ports sit at the same offsets in TCP and UDP. */
	udp = (void *)(ip + 1);
	if ((void *)(udp + 1) > end)
		return XDP_PASS;
	if (ip->protocol == IPPROTO_TCP_NR && udp->dest == bpf_htons(SCA_PORT))
		__sync_fetch_and_add(&c->sca_port, 1);
	if (ip->protocol != IPPROTO_UDP_NR)
		return XDP_PASS;
	if (udp->dest != bpf_htons(DISCARD_PORT))
		return XDP_PASS;
	__sync_fetch_and_add(&c->dropped, 1);
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
