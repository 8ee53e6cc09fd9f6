// SPDX-License-Identifier: GPL-2.0-only
/*
 * The floor under hello_v3_841: what any XDP responder must do with a new
 * device's 841-byte Hello arriving in one IPv4 segment, with shortcuts no
 * real responder can take (the frame's layout and the Hello's length are
 * compile-time constants, so no bound is checked at run time beyond the
 * frame's) and with nothing else: verify the IPv4 and TCP checksums, check
 * the SYN cookie, put the Hello and its header into the ring (one copy,
 * straight from the packet), answer ACK+FIN. No reassembly, no rate limit,
 * no counters. floor_v3_841 neither validates nor de-duplicates the Hello;
 * floor_validated_v3_841 validates it (the shared validator, on the ring
 * record); floor_deduped_v3_841 also de-duplicates it as amtsca_xdp does
 * (its recent slot and known filter), short of the device table.
 * The checksum, cookie and validator code is amtsca_xdp's own (csum.h,
 * syncookie.h, amtsca/hello.h). xdp_bench runs all three through the same
 * harness as amtsca_xdp; they bound from below what hello_v3_841 can cost.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "amtsca/hello.h"
#include "amtsca/bpf_abi.h"
#include "csum.h"
#include "syncookie.h"
#include "xdp_bench.h"

#define FLOOR_PAYLOAD_OFF (14 + 20 + 20) /* Ethernet, IPv4, TCP */
#define FLOOR_REPLY_LEN (FLOOR_PAYLOAD_OFF) /* the same headers, no data */

/* amtsca_xdp's cookie key, copied in by xdp_bench before the run. */
__u64 cookie_key[2];
/* Segments that took the whole path (valid cookie, ring record, reply). */
__u64 floor_done;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024); /* xdp_bench sets the bench's size */
} floor_events SEC(".maps");

/* floor_deduped_v3_841's de-dup: amtsca_xdp's two tables, own copies. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, AMTSCA_RECENT_SLOTS);
	__type(key, __u32);
	__type(value, struct amtsca_recent);
} floor_recent SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, AMTSCA_KNOWN_WORDS);
	__type(key, __u32);
	__type(value, __u64);
} floor_known SEC(".maps");

/* The Hello as the validator is handed it: a constant length. */
struct floor_hello {
	__u8 b[FLOOR_HELLO_LEN];
};

/*
 * Verifier work-around, as validate_event() in amtsca_xdp: a global
 * function, verified once on its own.
 */
__noinline int floor_validate(const struct floor_hello *h)
{
	struct amt_hello_info info;

	if (!h)
		return AMT_HELLO_ERR_TRUNCATED_HEADER;
	return amt_hello_validate(h->b, FLOOR_HELLO_LEN, 0, &info);
}

/*
 * The least de-dup: the device's recent slot and its known-filter word,
 * one load each at a place the UUID (w) decides, checked as amtsca_xdp
 * checks them (the device table, which amtsca_xdp looks up for the few
 * whose filter bits are all set, is left out). 1: new, and *mark is its
 * slot.
 */
static __always_inline int floor_new(const __u32 *w, __u64 now,
				     struct amtsca_recent **mark)
{
	__u32 slot = amtsca_recent_slot(w), word;
	struct amtsca_recent *r;
	__u64 h, *k;

	r = bpf_map_lookup_elem(&floor_recent, &slot);
	if (!r || amtsca_recent_holds(r, w, now))
		return 0;
	h = amtsca_known_hash(w);
	word = amtsca_known_word(h);
	k = bpf_map_lookup_elem(&floor_known, &word);
	if (!k || amtsca_known_maybe(*k, h))
		return 0;
	*mark = r;
	return 1;
}

/*
 * The floor's path; validate and dedup (constants) add the shared
 * validator and the least de-dup.
 */
static __always_inline int floor_segment(struct xdp_md *ctx, int validate,
					 int dedup)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct amtsca_recent *mark = NULL;
	struct amtsca_hello_event *ev;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + 14;
	struct tcphdr *tcp = data + 34;
	__u32 seq, ack, sum, uuid[4];
	__be16 sport;
	__be32 addr;
	__u64 csum, now;
	__u8 mac[6];

	if (data + FLOOR_PAYLOAD_OFF + FLOOR_HELLO_LEN > end ||
	    tcp->dest != bpf_htons(9971))
		return XDP_PASS;
	if (csum_fold(csum_words((__u16 *)ip, 10, 0)))
		return XDP_DROP;
	csum = csum_words((__u16 *)&ip->saddr, 4, 0) + bpf_htons(IPPROTO_TCP) +
	       bpf_htons(20 + FLOOR_HELLO_LEN);
	csum = csum_words((__u16 *)tcp, 10, csum);
	/*
	 * The whole 4-byte groups through bpf_csum_diff, then the one byte
	 * left: at an even offset from the TCP header, the low byte of its
	 * word as a native (little-endian) load reads it.
	 */
	_Static_assert(FLOOR_HELLO_LEN % 4 == 1, "one byte after the groups");
	csum = bpf_csum_diff(NULL, 0, data + FLOOR_PAYLOAD_OFF,
			     FLOOR_HELLO_LEN - 1, csum);
	csum += *(__u8 *)(data + FLOOR_PAYLOAD_OFF + FLOOR_HELLO_LEN - 1);
	if (csum_fold64(csum))
		return XDP_DROP;
	now = bpf_ktime_get_coarse_ns();
	seq = bpf_ntohl(tcp->seq);
	ack = bpf_ntohl(tcp->ack_seq);
	sport = tcp->source;
	if (!cookie_valid(cookie_key, ip, 0, tcp, bpf_htonl(seq - 1), ack - 1,
			  now))
		return XDP_DROP;

	ev = bpf_ringbuf_reserve(&floor_events,
				 AMTSCA_HELLO_EVENT_HDR + FLOOR_HELLO_LEN, 0);
	if (!ev)
		return XDP_DROP;
	ev->ktime_ns = now;
	__builtin_memset(ev->saddr, 0, 32);
	__builtin_memcpy(ev->saddr, &ip->saddr, 4);
	__builtin_memcpy(ev->daddr, &ip->daddr, 4);
	ev->ifindex = ctx->ingress_ifindex;
	ev->len = FLOOR_HELLO_LEN;
	ev->ip_version = 4;
	ev->sport = bpf_ntohs(sport);
	ev->dport = 9971;
	ev->vlan_id[0] = 0;
	ev->vlan_id[1] = 0;
	if (bpf_xdp_load_bytes(ctx, FLOOR_PAYLOAD_OFF, ev->data,
			       FLOOR_HELLO_LEN) ||
	    (validate &&
	     floor_validate((const struct floor_hello *)ev->data))) {
		bpf_ringbuf_discard(ev, 0);
		return XDP_DROP;
	}
	__builtin_memcpy(
		uuid, ev->data + __builtin_offsetof(struct amt_hello_hdr, uuid),
		sizeof(uuid));
	if (dedup && !floor_new(uuid, now, &mark)) {
		bpf_ringbuf_discard(ev, 0);
		return XDP_DROP;
	}
	if (mark)
		amtsca_recent_set(mark, uuid, now + 120ull * 1000000000ull);
	bpf_ringbuf_submit(ev, 0);

	if (bpf_xdp_adjust_tail(ctx, FLOOR_REPLY_LEN - (int)(end - data)))
		return XDP_DROP;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	eth = data;
	ip = data + 14;
	tcp = data + 34;
	if (data + FLOOR_REPLY_LEN > end)
		return XDP_DROP;
	__builtin_memcpy(mac, eth->h_source, 6);
	__builtin_memcpy(eth->h_source, eth->h_dest, 6);
	__builtin_memcpy(eth->h_dest, mac, 6);
	addr = ip->saddr;
	ip->saddr = ip->daddr;
	ip->daddr = addr;
	ip->tot_len = bpf_htons(40);
	ip->id = 0;
	ip->ttl = 64;
	ip->check = 0;
	ip->check = csum_fold(csum_words((__u16 *)ip, 10, 0));
	tcp->source = tcp->dest;
	tcp->dest = sport;
	tcp->seq = bpf_htonl(ack);
	tcp->ack_seq = bpf_htonl(seq + FLOOR_HELLO_LEN);
	((__u8 *)tcp)[13] = 0x11; /* ACK | FIN */
	tcp->check = 0;
	sum = csum_words((__u16 *)&ip->saddr, 4, 0) + bpf_htons(IPPROTO_TCP) +
	      bpf_htons(20);
	tcp->check = csum_fold(csum_words((__u16 *)tcp, 10, sum));
	floor_done++;
	return XDP_TX;
}

SEC("xdp")
int floor_v3_841(struct xdp_md *ctx)
{
	return floor_segment(ctx, 0, 0);
}

SEC("xdp")
int floor_validated_v3_841(struct xdp_md *ctx)
{
	return floor_segment(ctx, 1, 0);
}

SEC("xdp")
int floor_deduped_v3_841(struct xdp_md *ctx)
{
	return floor_segment(ctx, 1, 1);
}

char LICENSE[] SEC("license") = "GPL";
