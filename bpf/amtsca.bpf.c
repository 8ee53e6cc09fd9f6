// SPDX-License-Identifier: GPL-2.0-only
/*
 * amtsca XDP Hello responder. It classifies frames (Ethernet with up to
 * two VLAN tags, IPv4/IPv6, TCP to the SCA port), answers a SYN to the SCA
 * port with a SYN-ACK whose sequence number is a SYN cookie (syncookie.h),
 * and a data segment carrying a valid cookie with ACK+FIN (valid Hello, queued in
 * the ring buffer amtsca_events) or RST (invalid Hello), and the device's
 * FIN with an ACK, all by XDP_TX; pure ACKs and RSTs to the port are
 * dropped; everything not addressed to the SCA port leaves with XDP_PASS
 * untouched, or goes on to the next XDP program when one is chained.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "amtsca/hello.h"
#include "amtsca/bpf_abi.h"
#include "amtsca/device_state.h"
#include "csum.h"
#include "syncookie.h"

#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86DD
#define ETH_P_8021Q 0x8100
#define ETH_P_8021AD 0x88A8
#define IPPROTO_TCP_NR 6

const volatile __u16 sca_port = 9971;
const volatile __u16 sca_mss = 1460;
/* TCP window of every reply ([U]: the device's stack is not described). */
const volatile __u16 sca_window = 64240;
/* amt_hello_validate() flags (AMT_HELLO_F_*), a load-time knob. */
const volatile __u32 hello_flags = 0;
/*
 * How long the program's own mark of a device it queued (amtsca_recent)
 * suppresses its re-sent Hellos, unless the daemon writes the device's
 * state first; 0 = no mark.
 */
const volatile __u64 queued_ttl_ns = 120ull * 1000000000ull;
/*
 * Share the interface: traffic this program passes goes on to the XDP
 * program in amtsca_next (xdp.next_prog). A load-time knob, so that with
 * it off the verifier removes the tail call and passing costs nothing more.
 */
const volatile __u32 chain_next = 0;

#define REPLY_TTL 64
#define TCP_SYNACK_LEN 24 /* header + MSS option */
#define TCP_PLAIN_LEN 20 /* header without options */
#define EVENTS_RING_BYTES (256 * 1024)
/*
 * Ring wake-ups: a Hello is built and validated in a per-CPU scratch
 * record (amtsca_scratch) and only a new valid one gets a ring record, so
 * the ring holds nothing but events. Then the
 * kernel's adaptive wake-up is right as it is: garbage and duplicates wake
 * no reader, and no discarded record can leave the consumer behind, where
 * a later event would not wake it. (Reserving in the ring and discarding
 * needed a forced wake-up per event instead, a self-IPI: ~6 us each in
 * the bench VM.)
 */

/* TCP flag byte (offset 13 of the header). */
#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_ACK 0x10

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct amtsca_counters);
} amtsca_counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, EVENTS_RING_BYTES);
} amtsca_events SEC(".maps");

/* One Hello record a CPU, where a data segment is checked before queuing. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct amtsca_hello_event);
} amtsca_scratch SEC(".maps");

/*
 * Hello segments dropped without an ACK: the device's FIN behind one must
 * not be acknowledged, or the device takes its Hello as delivered.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, AMTSCA_UNACKED_MAX);
	__type(key, struct amtsca_flow_key);
	__type(value, struct amtsca_unacked);
} amtsca_unacked SEC(".maps");

/*
 * Written by the daemon; a Hello whose entry suppresses raises no event.
 * LRU: DONE entries never expire, so a plain hash filled up after
 * AMTSCA_DEVICES_MAX provisioned devices and refused every mark from then
 * on; now the longest unused entry goes (its device's next Hello reaches
 * the daemon, whose database knows it).
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, AMTSCA_DEVICES_MAX);
	__type(key, struct amtsca_dev_key);
	__type(value, struct amtsca_dev_entry);
} amtsca_devices SEC(".maps");

/*
 * The devices this program queued and the daemon has not written since,
 * direct-mapped by UUID (amtsca_recent_slot). Beside amtsca_devices rather
 * than a QUEUED insert there: an inlined array lookup and plain stores
 * instead of a hash insert (~40 % of a new device's Hello, bench/README.md).
 * Two devices sharing a slot only cost the evicted one a duplicate event
 * if it re-sends before the daemon has read it; the daemon de-duplicates.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, AMTSCA_RECENT_SLOTS);
	__type(key, __u32);
	__type(value, struct amtsca_recent);
} amtsca_recent SEC(".maps");

/*
 * Which UUIDs may have an amtsca_devices entry (bpf_abi.h): a new device's
 * clear bit saves the hash lookup, a bucket and an element that are cold
 * for a device never seen (the biggest item left in a new device's Hello,
 * bench/README.md).
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, AMTSCA_KNOWN_WORDS);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, __u64);
} amtsca_known SEC(".maps");

/* The program that gets what this one passes, when chain_next is set. */
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} amtsca_next SEC(".maps");

/* Runtime configuration written by userspace; all zero = no limits. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct amtsca_xdp_config);
} amtsca_config SEC(".maps");

/* Allowed source prefixes, consulted only while the config counts some. */
struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, AMTSCA_ALLOW_MAX);
	__uint(map_flags, BPF_F_NO_PREALLOC); /* required for LPM tries */
	__type(key, struct amtsca_lpm_v4);
	__type(value, __u8);
} amtsca_allow_v4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, AMTSCA_ALLOW_MAX);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct amtsca_lpm_v6);
	__type(value, __u8);
} amtsca_allow_v6 SEC(".maps");

/* Per-source token buckets (generic cell rate algorithm). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, AMTSCA_RATE_MAX);
	__type(key, struct amtsca_src_key);
	__type(value, struct amtsca_src_rate);
} amtsca_rate SEC(".maps");

/* Hellos split over several segments, while incomplete. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, AMTSCA_REASM_MAX);
	__type(key, struct amtsca_flow_key);
	__type(value, struct amtsca_reasm);
} amtsca_reasm SEC(".maps");

enum seg_kind { SEG_SYN, SEG_DATA, SEG_FIN };

static __always_inline int count_drop(__u64 *counter)
{
	(*counter)++;
	return XDP_DROP;
}

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
 * Sum of the two 16-bit words of a 32-bit value as they lie in memory
 * (the value read with a native load), for a checksum.
 */
static __always_inline __u32 csum_u32(__u32 v)
{
	return (v & 0xffff) + (v >> 16);
}

/*
 * The reply's headers are written a whole 16- or 32-bit field at a time
 * and their checksums summed from the values in registers, not read back:
 * a 16-bit load of a word just written by two byte stores cannot take
 * its bytes from the store buffer and waits for the stores to reach the
 * cache (a store-forwarding stall: ~3.5 % of the program's samples in a
 * profile of the Hello case sat on one such load, bench/README.md).
 */

/*
 * Turn the segment at tcp into our reply in place: ports swapped, the given
 * seq/ack/flags, and for a SYN-ACK (tcp_len 24) one MSS option. The caller
 * has made the packet end right after the tcp_len-byte TCP header and
 * fills in the checksum. Returns the sum of the header's words.
 */
static __always_inline __u32 build_tcp(struct tcphdr *tcp, __u32 seq, __u32 ack,
				       __u8 flags, __u32 tcp_len)
{
	__be32 ports = *(__be32 *)&tcp->source;
	__be32 seq_be = bpf_htonl(seq), ack_be = bpf_htonl(ack);
	__be16 off_flags = bpf_htons((tcp_len / 4) << 12 | flags);
	__be16 window = bpf_htons(sca_window);
	__be16 port = tcp->source;
	__be32 mss_opt;
	__u32 sum;

	tcp->source = tcp->dest;
	tcp->dest = port;
	tcp->seq = seq_be;
	tcp->ack_seq = ack_be;
	*(__be16 *)((__u8 *)tcp + 12) = off_flags;
	tcp->window = window;
	tcp->check = 0;
	tcp->urg_ptr = 0;
	sum = csum_u32(ports) + csum_u32(seq_be) + csum_u32(ack_be) +
	      off_flags + window;
	if (tcp_len == TCP_SYNACK_LEN) {
		/* TCPOPT_MSS, length 4 */
		mss_opt = bpf_htonl(2 << 24 | 4 << 16 | sca_mss);
		*(__be32 *)(tcp + 1) = mss_opt;
		sum += csum_u32(mss_opt);
	}
	return sum;
}

/*
 * Rewrite the reply's IPv4 header in place (the segment's had no options);
 * return the pseudo-header's address sum.
 */
static __always_inline __u32 reply_ip4(struct iphdr *ip, __u32 tcp_len)
{
	const __be16 ver_ihl_tos = bpf_htons(0x4500);
	const __be16 df = bpf_htons(0x4000);
	const __be16 ttl_proto = bpf_htons(REPLY_TTL << 8 | IPPROTO_TCP_NR);
	__be16 tot_len = bpf_htons(sizeof(*ip) + tcp_len);
	__be32 saddr = ip->saddr, daddr = ip->daddr;
	__u32 addr_sum = csum_u32(saddr) + csum_u32(daddr);

	*(__be16 *)ip = ver_ihl_tos;
	ip->tot_len = tot_len;
	ip->id = 0;
	ip->frag_off = df;
	*(__be16 *)&ip->ttl = ttl_proto;
	ip->saddr = daddr;
	ip->daddr = saddr;
	ip->check =
		csum_fold(ver_ihl_tos + tot_len + df + ttl_proto + addr_sum);
	return addr_sum;
}

static __always_inline __u32 reply_ip6(struct ipv6hdr *ip6, __u32 tcp_len)
{
	struct in6_addr addr = ip6->saddr;

	ip6->saddr = ip6->daddr;
	ip6->daddr = addr;
	ip6->payload_len = bpf_htons(tcp_len);
	ip6->hop_limit = REPLY_TTL;
	return csum_words((__u16 *)&ip6->saddr, 16, 0);
}

/*
 * Rewrite the (already trimmed) segment into the reply: l3off is 14, 18 or
 * 22 and iplen 20 or 40, both re-derived after bpf_xdp_adjust_tail.
 */
static __always_inline int build_reply(struct xdp_md *ctx, __u64 l3off, int v6,
				       __u32 seq, __u32 ack, __u8 flags,
				       __u32 tcp_len)
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
	if ((void *)tcp + tcp_len > end)
		return XDP_DROP;
	/* The check above, at a variable offset, does not cover data itself. */
	if (data + sizeof(struct ethhdr) > end)
		return XDP_DROP;
	sum = build_tcp(tcp, seq, ack, flags, tcp_len);
	swap_macs(data);
	sum += v6 ? reply_ip6(l3, tcp_len) : reply_ip4(l3, tcp_len);
	sum += bpf_htons(IPPROTO_TCP_NR) + bpf_htons(tcp_len);
	tcp->check = csum_fold(sum);
	return XDP_TX;
}

/*
 * Trim (or grow) the frame to exactly the reply's length and rewrite it.
 * Verifier work-around: build_reply is called with a constant v6 (and the
 * callers pass a constant tcp_len), so each inlined copy has constant
 * header lengths after bpf_xdp_adjust_tail.
 */
static __always_inline int send_reply(struct xdp_md *ctx, __u64 l3off, int v6,
				      __u32 seq, __u32 ack, __u8 flags,
				      __u32 tcp_len)
{
	__u32 iplen = v6 ? sizeof(struct ipv6hdr) : sizeof(struct iphdr);
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	long len;

	/*
	 * Verifier work-around: the empty asm makes clang subtract the two
	 * 64-bit pointers (a privileged program may; the result is an
	 * unknown scalar) instead of folding data_end - data into 32-bit
	 * arithmetic on a packet pointer, which the verifier refuses. Cheaper
	 * than bpf_xdp_get_buff_len(); the frame is linear (no frags).
	 */
	asm volatile("" : "+r"(data), "+r"(end));
	len = end - data;

	if (bpf_xdp_adjust_tail(ctx, (int)(l3off + iplen + tcp_len) - len))
		return XDP_DROP;
	if (v6)
		return build_reply(ctx, l3off, 1, seq, ack, flags, tcp_len);
	return build_reply(ctx, l3off, 0, seq, ack, flags, tcp_len);
}

/* Where the classifier found the segment. */
struct seg {
	void *l3;
	struct tcphdr *tcp;
	__u64 l3off;
	__u32 th_len;
	int v6;
	__u16 vlan_id[2];
	/* pseudo-header + TCP header sum; the payload's is added to it */
	__u64 csum;
	/* the one clock read of the segment: rate, cookie, record */
	__u64 now;
	const struct amtsca_xdp_config *cfg;
};

static __always_inline int syn_segment(struct xdp_md *ctx,
				       struct amtsca_counters *cnt,
				       const struct seg *s)
{
	__u32 seq = bpf_ntohl(s->tcp->seq);
	__u32 cookie;

	cookie = cookie_hash(s->cfg->cookie_key, s->l3, s->v6, s->tcp,
			     s->tcp->seq, s->now >> AMTSCA_COOKIE_TICK_SHIFT);
	cnt->syn_ack++;
	if (s->v6)
		return send_reply(ctx, s->l3off, 1, cookie, seq + 1,
				  TH_SYN | TH_ACK, TCP_SYNACK_LEN);
	return send_reply(ctx, s->l3off, 0, cookie, seq + 1, TH_SYN | TH_ACK,
			  TCP_SYNACK_LEN);
}

/*
 * The segment's source and destination address into 16-byte fields; an
 * IPv4 address fills the first 4 bytes, the rest are 0.
 */
static __always_inline void copy_addrs(__u8 *saddr, __u8 *daddr,
				       const struct seg *s)
{
	__builtin_memset(saddr, 0, 16);
	__builtin_memset(daddr, 0, 16);
	if (s->v6) {
		struct ipv6hdr *ip6 = s->l3;

		__builtin_memcpy(saddr, &ip6->saddr, 16);
		__builtin_memcpy(daddr, &ip6->daddr, 16);
	} else {
		struct iphdr *ip = s->l3;

		__builtin_memcpy(saddr, &ip->saddr, 4);
		__builtin_memcpy(daddr, &ip->daddr, 4);
	}
}

static __always_inline void fill_event(struct amtsca_hello_event *ev,
				       struct xdp_md *ctx, const struct seg *s)
{
	copy_addrs(ev->saddr, ev->daddr, s);
	ev->ktime_ns = s->now;
	ev->ifindex = ctx->ingress_ifindex;
	ev->ip_version = s->v6 ? 6 : 4;
	ev->sport = bpf_ntohs(s->tcp->source);
	ev->dport = bpf_ntohs(s->tcp->dest);
	ev->vlan_id[0] = s->vlan_id[0];
	ev->vlan_id[1] = s->vlan_id[1];
}

/*
 * Verifier work-around: the validator is a global (non-static, noinline)
 * function, so it is verified once on its own with ev and len unknown.
 * Inlined into the program, every distinct offset path through its hash
 * loop combined with the caller's state, and verification exceeded the
 * one-million-instruction limit.
 */
__noinline int validate_event(struct amtsca_hello_event *ev, __u32 len)
{
	struct amt_hello_info info;

	if (!ev)
		return AMT_HELLO_ERR_TRUNCATED_HEADER;
	return amt_hello_validate(ev->data, len, hello_flags, &info);
}

/* A device key on the stack, also read as words for its recent slot. */
union dev_key {
	struct amtsca_dev_key k;
	__u32 w[4];
};

static __always_inline void hello_dev_key(union dev_key *key, const __u8 *hello)
{
	__builtin_memcpy(key->k.uuid,
			 hello + __builtin_offsetof(struct amt_hello_hdr, uuid),
			 sizeof(key->k.uuid));
}

/* Can the device have an amtsca_devices entry? 0 only if it has none. */
static __always_inline int device_maybe_known(const union dev_key *key)
{
	__u64 h = amtsca_known_hash(key->w);
	__u32 word = amtsca_known_word(h);
	__u64 *w = bpf_map_lookup_elem(&amtsca_known, &word);

	return !w || amtsca_known_maybe(*w, h);
}

/*
 * A valid Hello of the device key at now: does it need an event? Not if
 * the program queued the device less than queued_ttl_ns ago and the daemon
 * has not written its state since (amtsca_recent), nor if the device
 * table's entry suppresses (QUEUED, IN_PROGRESS, DONE, FAILED before its
 * expiry: amtsca_dev_suppresses). If it does, *mark is the slot to mark
 * once the Hello is queued (NULL: no mark).
 */
static __always_inline int hello_is_new(struct amtsca_counters *cnt,
					const union dev_key *key, __u64 now,
					struct amtsca_recent **mark)
{
	__u32 slot = amtsca_recent_slot(key->w);
	struct amtsca_dev_entry *e;
	struct amtsca_recent *r;

	*mark = NULL;
	r = queued_ttl_ns ? bpf_map_lookup_elem(&amtsca_recent, &slot) : NULL;
	if (r && amtsca_recent_holds(r, key->w, now)) {
		cnt->suppressed++;
		return 0;
	}
	e = device_maybe_known(key) ?
		    bpf_map_lookup_elem(&amtsca_devices, &key->k) :
		    NULL;
	if (e && amtsca_dev_suppresses(e, now)) {
		cnt->suppressed++;
		return 0;
	}
	*mark = r;
	return 1;
}

/* The device key was queued at now: its slot in amtsca_recent says so. */
static __always_inline void mark_queued(struct amtsca_recent *r,
					const union dev_key *key, __u64 now)
{
	if (r)
		amtsca_recent_set(r, key->w, now + queued_ttl_ns);
}

/*
 * len as a helper's size argument in [1, AMT_HELLO_MAX_LEN], or 0 when it
 * is outside. Verifier work-around (6.1): its verifier does not raise a
 * lower bound of 0 after "len != 0", so the 1 comes from adding it to a
 * value clang cannot see through (empty asm) and fold back into len.
 */
static __always_inline __u32 size_arg(__u32 len)
{
	__u32 n = len - 1;

	asm volatile("" : "+r"(n));
	if (n >= AMT_HELLO_MAX_LEN)
		return 0;
	return n + 1;
}

/*
 * The ring is full: no mark, so the device's retransmission (it gets no
 * ACK) is queued once there is room.
 */
static __always_inline int ring_full(struct amtsca_counters *cnt)
{
	cnt->ring_full++;
	return -1;
}

/*
 * Copy a new valid Hello into the ring: its header and its len bytes, the
 * exact record bpf_abi.h specifies, from the record it was validated in
 * (still in cache). One helper call instead of reserve, header copy,
 * reading the payload from the packet again and submit. 0, or -1 (full).
 */
static __always_inline int queue_hello(struct amtsca_counters *cnt,
				       const struct amtsca_hello_event *ev,
				       __u32 len)
{
	__u32 n = size_arg(len);

	if (!n || bpf_ringbuf_output(&amtsca_events, (void *)ev,
				     AMTSCA_HELLO_EVENT_HDR + n, 0))
		return ring_full(cnt);
	cnt->hello_event++;
	return 0;
}

/* Reasons that only mean "more bytes to come": the Hello may go on. */
static __always_inline int hello_incomplete(__u32 reason)
{
	return reason == AMT_HELLO_ERR_TRUNCATED_HEADER ||
	       reason == AMT_HELLO_ERR_PSK_LENGTH ||
	       reason == AMT_HELLO_ERR_TRUNCATED_COUNT ||
	       reason == AMT_HELLO_ERR_TRUNCATED_ENTRY ||
	       reason == AMT_HELLO_ERR_TRUNCATED_HASH;
}

static __always_inline void count_invalid(struct amtsca_counters *cnt,
					  __u32 reason)
{
	/*
	 * Verifier work-around: clang knows the range validate_event()
	 * returns and drops the bound check, which the verifier needs for
	 * the array index; the empty asm hides the value from clang so the
	 * check stays.
	 */
	asm volatile("" : "+r"(reason));
	if (reason < AMT_HELLO_REASON_COUNT)
		cnt->hello_invalid[reason]++;
}

static __always_inline void flow_key(struct amtsca_flow_key *k,
				     const struct seg *s)
{
	copy_addrs(k->saddr, k->daddr, s);
	k->sport = s->tcp->source;
	k->dport = s->tcp->dest;
	k->ip_version = s->v6 ? 6 : 4;
}

/*
 * A Hello segment is dropped without an ACK, for the device to send it
 * again: remember where its FIN comes (fin_seq), so fin_segment does not
 * acknowledge the dropped bytes with it. Returns XDP_DROP.
 */
static __always_inline int drop_unacked(const struct seg *s, __u32 fin_seq,
					__u32 their_ack)
{
	struct amtsca_unacked u = { .fin_seq = fin_seq, .our_seq = their_ack };
	struct amtsca_flow_key key;

	flow_key(&key, s);
	bpf_map_update_elem(&amtsca_unacked, &key, &u, BPF_ANY);
	return XDP_DROP;
}

/* The plain (20-byte TCP header) reply to send: seq, ack and flags. */
struct reply {
	__u32 seq;
	__u32 ack;
	__u8 flags;
};

/* Handler result: answer with the struct reply the handler filled in. */
#define VERDICT_REPLY 100

static __always_inline int set_reply(struct amtsca_counters *cnt,
				     struct reply *r, __u32 seq, __u32 ack,
				     __u8 flags)
{
	r->seq = seq;
	r->ack = ack;
	r->flags = flags;
	if (flags & TH_RST)
		cnt->rst++;
	else if (flags & TH_FIN)
		cnt->ack_fin++;
	return VERDICT_REPLY;
}

/* Zeroes, the initial value of a new amtsca_reasm entry. */
static struct amtsca_reasm reasm_blank;

/*
 * The first segment of a Hello that goes on in later segments (valid
 * cookie, validator says "incomplete", no FIN): keep its bytes in
 * amtsca_reasm under the connection and acknowledge them. The same
 * segment sent again while later bytes are stored is only acknowledged.
 */
static __always_inline int
reasm_begin(struct xdp_md *ctx, struct amtsca_counters *cnt,
	    const struct seg *s, const struct amtsca_hello_event *ev,
	    __u32 payload_off, __u32 plen, __u32 their_seq, __u32 their_ack,
	    struct reply *r)
{
	struct amtsca_flow_key key;
	struct amtsca_reasm *e;
	__u32 n;

	flow_key(&key, s);
	e = bpf_map_lookup_elem(&amtsca_reasm, &key);
	if (e && e->our_seq == their_ack &&
	    (__s32)(e->next_seq - (their_seq + plen)) > 0) {
		cnt->seg_dup++;
		return set_reply(cnt, r, their_ack, e->next_seq, TH_ACK);
	}
	if (bpf_map_update_elem(&amtsca_reasm, &key, &reasm_blank, BPF_ANY))
		return count_drop(&cnt->reasm_fail);
	e = bpf_map_lookup_elem(&amtsca_reasm, &key);
	if (!e)
		return count_drop(&cnt->reasm_fail);
	/* The record header: addresses, ports, ifindex, VLANs. */
	__builtin_memcpy(&e->ev, ev,
			 __builtin_offsetof(struct amtsca_hello_event, data));
	n = size_arg(plen);
	if (!n || bpf_xdp_load_bytes(ctx, payload_off, e->ev.data, n)) {
		bpf_map_delete_elem(&amtsca_reasm, &key);
		return count_drop(&cnt->malformed);
	}
	e->ev.len = plen;
	e->next_seq = their_seq + plen;
	e->our_seq = their_ack;
	cnt->seg_acked++;
	return set_reply(cnt, r, their_ack, their_seq + plen, TH_ACK);
}

/*
 * A data segment whose ack is no cookie: the next part of a Hello held in
 * amtsca_reasm (matched by connection and our sequence number), or
 * dropped. In-order bytes are appended (an overlap with stored bytes is
 * skipped), a gap is dropped for the device to fill by retransmission.
 * Complete and valid: queued as an event (or suppressed) and ACK+FIN;
 * still incomplete: ACK; invalid, or incomplete with FIN: RST.
 */
static __always_inline int
reasm_continue(struct xdp_md *ctx, struct amtsca_counters *cnt,
	       const struct seg *s, __u32 payload_off, __u32 plen,
	       __u32 their_seq, __u32 their_ack, __u32 fin, struct reply *r)
{
	struct amtsca_recent *mark;
	struct amtsca_flow_key key;
	struct amtsca_reasm *e;
	union dev_key dev;
	__u32 skip, add, reason;
	__u64 have;
	__u8 *dst;
	__u32 n;
	__s32 ahead;

	flow_key(&key, s);
	e = bpf_map_lookup_elem(&amtsca_reasm, &key);
	if (!e || e->our_seq != their_ack)
		return count_drop(&cnt->bad_cookie);
	ahead = their_seq - e->next_seq;
	if (ahead > 0)
		return count_drop(&cnt->seg_gap);
	skip = -ahead;
	if (skip >= plen) {
		cnt->seg_dup++;
		return set_reply(cnt, r, their_ack, e->next_seq, TH_ACK);
	}
	add = plen - skip;
	have = e->ev.len;
	if (plen > AMT_HELLO_MAX_LEN || have > AMT_HELLO_MAX_LEN ||
	    have + add > AMT_HELLO_MAX_LEN) {
		bpf_map_delete_elem(&amtsca_reasm, &key);
		cnt->oversize++;
		return set_reply(cnt, r, their_ack, their_seq + plen + fin,
				 TH_RST | TH_ACK);
	}
	/*
	 * Verifier work-around (6.1): its verifier loses the bound of have
	 * when clang spills the register before the check above, so it is
	 * checked again, hidden from clang by an empty asm, and the
	 * destination pointer (which keeps its own range when spilled) is
	 * made right there.
	 */
	asm volatile("" : "+r"(have));
	if (have > AMT_HELLO_MAX_LEN)
		return count_drop(&cnt->malformed);
	dst = &e->ev.data[have];
	asm volatile("" : "+r"(dst));
	/*
	 * The whole segment goes after the stored bytes for its checksum;
	 * the slack behind ev.data takes it (and is what lets the verifier
	 * accept a copy of up to AMT_HELLO_MAX_LEN at this offset).
	 */
	n = size_arg(plen);
	if (!n || bpf_xdp_load_bytes(ctx, payload_off, dst, n))
		return count_drop(&cnt->malformed);
	if (csum_fold64(csum_bytes(dst, plen, s->csum))) {
		cnt->bad_csum++;
		return drop_unacked(s, their_seq + plen, their_ack);
	}
	/* Overlap: copy again without the bytes already stored. */
	if (skip) {
		n = size_arg(add);
		if (!n || bpf_xdp_load_bytes(ctx, payload_off + skip, dst, n))
			return count_drop(&cnt->malformed);
	}
	reason = validate_event(&e->ev, have + add);
	if (hello_incomplete(reason) && !fin) {
		e->ev.len = have + add;
		e->next_seq = their_seq + plen;
		cnt->seg_acked++;
		return set_reply(cnt, r, their_ack, their_seq + plen, TH_ACK);
	}
	if (reason != AMT_HELLO_OK) {
		bpf_map_delete_elem(&amtsca_reasm, &key);
		count_invalid(cnt, reason);
		return set_reply(cnt, r, their_ack, their_seq + plen + fin,
				 TH_RST | TH_ACK);
	}
	e->ev.len = have + add;
	e->ev.ktime_ns = s->now;
	hello_dev_key(&dev, e->ev.data);
	if (hello_is_new(cnt, &dev, s->now, &mark)) {
		if (queue_hello(cnt, &e->ev, have + add)) {
			/* Kept as it was: the device re-sends this part. */
			e->ev.len = have;
			return drop_unacked(s, their_seq + plen, their_ack);
		}
		mark_queued(mark, &dev, s->now);
	}
	bpf_map_delete_elem(&amtsca_reasm, &key);
	return set_reply(cnt, r, their_ack, their_seq + plen + fin,
			 TH_FIN | TH_ACK);
}

/*
 * A data segment (ACK, payload > 0) of plen bytes at payload_off: with a
 * valid cookie, copy the payload into a ring-buffer record, validate it
 * there and answer ACK+FIN (valid: record submitted unless suppressed),
 * ACK (the start of a longer Hello: kept in amtsca_reasm) or RST
 * (invalid: discarded). Without one, it may continue a kept Hello.
 */
static __always_inline int data_segment(struct xdp_md *ctx,
					struct amtsca_counters *cnt,
					const struct seg *s, __u32 payload_off,
					__u32 plen, struct reply *r)
{
	__u32 fin = ((__u8 *)s->tcp)[13] & TH_FIN;
	__u32 their_seq = bpf_ntohl(s->tcp->seq);
	__u32 their_ack = bpf_ntohl(s->tcp->ack_seq);
	struct amtsca_hello_event *ev;
	struct amtsca_recent *mark;
	__u32 reason, n, zero = 0;
	union dev_key dev;

	if (!cookie_valid(s->cfg->cookie_key, s->l3, s->v6, s->tcp,
			  bpf_htonl(their_seq - 1), their_ack - 1, s->now))
		return reasm_continue(ctx, cnt, s, payload_off, plen, their_seq,
				      their_ack, fin, r);
	/* A FIN riding on the Hello takes one sequence number too. */
	if (plen > AMT_HELLO_MAX_LEN) {
		cnt->oversize++;
		return set_reply(cnt, r, their_ack, their_seq + plen + fin,
				 TH_RST | TH_ACK);
	}
	ev = bpf_map_lookup_elem(&amtsca_scratch, &zero);
	if (!ev)
		return XDP_DROP;
	fill_event(ev, ctx, s);
	ev->len = plen;
	/*
	 * Verifier work-around: the copy length must be provably in
	 * [1, sizeof(ev->data)] in the register passed to the helper, so
	 * it goes through size_arg() even though the caller and the
	 * oversize check above already established it.
	 */
	n = size_arg(plen);
	if (!n || bpf_xdp_load_bytes(ctx, payload_off, ev->data, n))
		return count_drop(&cnt->malformed);
	if (csum_fold64(csum_bytes(ev->data, plen, s->csum))) {
		cnt->bad_csum++;
		return drop_unacked(s, their_seq + plen, their_ack);
	}
	/*
	 * The validator runs on the record's bytes, not the packet: the
	 * record has a constant size, which bounds every index it computes
	 * (packet pointers at a variable offset would need a check per load).
	 */
	reason = validate_event(ev, plen);
	if (reason == AMT_HELLO_OK) {
		hello_dev_key(&dev, ev->data);
		if (hello_is_new(cnt, &dev, s->now, &mark)) {
			/* Ring full: no ACK, the device retransmits later. */
			if (queue_hello(cnt, ev, plen))
				return drop_unacked(s, their_seq + plen,
						    their_ack);
			mark_queued(mark, &dev, s->now);
		}
		return set_reply(cnt, r, their_ack, their_seq + plen + fin,
				 TH_FIN | TH_ACK);
	}
	if (hello_incomplete(reason) && !fin)
		return reasm_begin(ctx, cnt, s, ev, payload_off, plen,
				   their_seq, their_ack, r);
	count_invalid(cnt, reason);
	return set_reply(cnt, r, their_ack, their_seq + plen + fin,
			 TH_RST | TH_ACK);
}

/*
 * The device's FIN (no payload). After our ACK+FIN: acknowledge it (seq =
 * their ack, ack = their seq + 1) and the connection is closed on both
 * sides; there is no cookie to check (its ack covers our FIN as well), and
 * the reply goes only to the sender at the size of what it sent. While
 * amtsca_reasm holds the start of its Hello: the Hello ended incomplete,
 * RST counted under the validator's reason. Right behind a Hello segment
 * dropped without an ACK (amtsca_unacked): dropped as well, since its ACK
 * would acknowledge the lost Hello and the device would never resend it.
 */
static __always_inline int fin_segment(struct amtsca_counters *cnt,
				       const struct seg *s, struct reply *r)
{
	__u32 their_seq = bpf_ntohl(s->tcp->seq);
	__u32 their_ack = bpf_ntohl(s->tcp->ack_seq);
	struct amtsca_flow_key key;
	struct amtsca_unacked *u;
	struct amtsca_reasm *e;

	flow_key(&key, s);
	u = bpf_map_lookup_elem(&amtsca_unacked, &key);
	if (u) {
		if (u->our_seq == their_ack && u->fin_seq == their_seq)
			return count_drop(&cnt->fin_unacked);
		bpf_map_delete_elem(&amtsca_unacked, &key);
	}
	e = bpf_map_lookup_elem(&amtsca_reasm, &key);
	if (e && e->our_seq == their_ack && e->next_seq == their_seq) {
		count_invalid(cnt, validate_event(&e->ev, e->ev.len));
		bpf_map_delete_elem(&amtsca_reasm, &key);
		return set_reply(cnt, r, their_ack, their_seq + 1,
				 TH_RST | TH_ACK);
	}
	cnt->fin_ack++;
	return set_reply(cnt, r, their_ack, their_seq + 1, TH_ACK);
}

/*
 * Is the segment's source inside the allowed prefixes? With none
 * configured for its family every source is: the trie is not consulted.
 */
static __always_inline int source_allowed(const struct amtsca_xdp_config *cfg,
					  const struct seg *s)
{
	if (s->v6) {
		struct amtsca_lpm_v6 k = { .prefixlen = 128 };

		if (!cfg->v6_prefixes)
			return 1;
		__builtin_memcpy(k.addr, &((struct ipv6hdr *)s->l3)->saddr, 16);
		return bpf_map_lookup_elem(&amtsca_allow_v6, &k) != NULL;
	} else {
		struct amtsca_lpm_v4 k = { .prefixlen = 32 };

		if (!cfg->v4_prefixes)
			return 1;
		__builtin_memcpy(k.addr, &((struct iphdr *)s->l3)->saddr, 4);
		return bpf_map_lookup_elem(&amtsca_allow_v4, &k) != NULL;
	}
}

/* The segment's source address as a rate-limit key (IPv4 mapped). */
static __always_inline void source_key(struct amtsca_src_key *k,
				       const struct seg *s)
{
	if (s->v6) {
		__builtin_memcpy(k->addr, &((struct ipv6hdr *)s->l3)->saddr,
				 16);
	} else {
		__builtin_memset(k->addr, 0, 10);
		k->addr[10] = 0xff;
		k->addr[11] = 0xff;
		__builtin_memcpy(&k->addr[12], &((struct iphdr *)s->l3)->saddr,
				 4);
	}
}

/*
 * Token bucket of the segment's source for SYNs (data 0) or data segments
 * (data 1), as a generic cell rate algorithm: the bucket holds burst
 * segments and refills one per 1/rate s; tat is the time it would be
 * full again. Returns 1 when the segment is over the limit. Updates race
 * benignly between CPUs (a few extra segments may pass).
 */
static __always_inline int over_rate(const struct seg *s, __u32 rate,
				     __u32 burst, int data)
{
	struct amtsca_src_rate *r, fresh;
	struct amtsca_src_key key;
	__u64 now = s->now, interval, tat, *tatp;

	if (!rate)
		return 0;
	source_key(&key, s);
	interval = 1000000000ull / rate;
	r = bpf_map_lookup_elem(&amtsca_rate, &key);
	if (!r) {
		/* A new source starts with a full bucket, less this one. */
		fresh.syn_tat_ns = now;
		fresh.data_tat_ns = now;
		if (data)
			fresh.data_tat_ns += interval;
		else
			fresh.syn_tat_ns += interval;
		bpf_map_update_elem(&amtsca_rate, &key, &fresh, BPF_ANY);
		return 0;
	}
	tatp = data ? &r->data_tat_ns : &r->syn_tat_ns;
	tat = *tatp > now ? *tatp : now;
	if (tat - now > (__u64)(burst ? burst - 1 : 0) * interval)
		return 1;
	*tatp = tat + interval;
	return 0;
}

/*
 * Sum the pseudo-header and the TCP header (th_len bytes, read from the
 * packet a 32-bit word at a time) into s->csum; -1 if the header runs
 * past end (the caller has checked it does not).
 */
static __always_inline int tcp_header_csum(struct seg *s, void *end,
					   __u32 tcp_len)
{
	const __u32 *w = (const __u32 *)s->tcp;
	__u64 sum;
	int i;

	if (s->v6)
		sum = csum_words((__u16 *)&((struct ipv6hdr *)s->l3)->saddr, 16,
				 0);
	else
		sum = csum_words((__u16 *)&((struct iphdr *)s->l3)->saddr, 4,
				 0);
	sum += bpf_htons(IPPROTO_TCP_NR) + bpf_htons(tcp_len);
#pragma unroll
	for (i = 0; i < 15; i++) {
		if (i * 4u >= s->th_len)
			break;
		if ((void *)(w + i + 1) > end)
			return -1;
		sum += w[i];
	}
	s->csum = sum;
	return 0;
}

/*
 * Not ours: to the next program if one is chained (an empty slot or a
 * failed tail call falls through), else to the kernel stack.
 */
static __always_inline int pass_on(struct xdp_md *ctx)
{
	__u32 zero = 0;

	if (chain_next)
		bpf_tail_call(ctx, &amtsca_next, zero);
	return XDP_PASS;
}

SEC("xdp")
int amtsca_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct amtsca_counters *cnt;
	struct amtsca_xdp_config *cfg;
	struct ethhdr *eth = data;
	struct seg s = {};
	__u32 zero = 0, ip_payload, plen;
	enum seg_kind kind;
	/*
	 * Verifier work-around: initialized, else on a drop path clang
	 * stores its undefined value to a stack slot, and the verifier
	 * refuses the read of a register never written.
	 */
	struct reply r = {};
	int verdict;
	__u16 proto;
	__u8 flags;
	int i;

	cnt = bpf_map_lookup_elem(&amtsca_counters, &zero);
	if (!cnt)
		return XDP_PASS;
	cnt->rx_total++;
	if ((void *)(eth + 1) > end)
		goto pass;
	proto = bpf_ntohs(eth->h_proto);
	s.l3 = eth + 1;
	for (i = 0; i < 2; i++) {
		struct vlan_tag *vt = s.l3;

		if (proto != ETH_P_8021Q && proto != ETH_P_8021AD)
			break;
		if ((void *)(vt + 1) > end)
			goto pass;
		s.vlan_id[i] = bpf_ntohs(vt->tci) & 0x0fff;
		proto = bpf_ntohs(vt->proto);
		s.l3 = vt + 1;
	}
	/*
	 * Verifier work-around: derived from the tag count, not as
	 * s.l3 - data, so the offset stays a bounded scalar that can be
	 * added to a packet pointer again after bpf_xdp_adjust_tail.
	 */
	s.l3off = sizeof(struct ethhdr) + i * sizeof(struct vlan_tag);
	if (proto == ETH_P_IP) {
		struct iphdr *ip = s.l3;

		if ((void *)(ip + 1) > end || ip->protocol != IPPROTO_TCP_NR ||
		    ip->ihl < 5)
			goto pass;
		s.tcp = s.l3 + ip->ihl * 4;
		ip_payload = bpf_ntohs(ip->tot_len) - ip->ihl * 4;
	} else if (proto == ETH_P_IPV6) {
		struct ipv6hdr *ip6 = s.l3;

		if ((void *)(ip6 + 1) > end || ip6->nexthdr != IPPROTO_TCP_NR)
			goto pass;
		s.v6 = 1;
		s.tcp = (void *)(ip6 + 1);
		ip_payload = bpf_ntohs(ip6->payload_len);
	} else {
		goto pass;
	}
	if ((void *)(s.tcp + 1) > end)
		goto pass;
	if (s.tcp->dest != bpf_htons(sca_port))
		goto pass;
	cnt->port_tcp++;
	/* Looked up only here: passing other traffic costs no lookup. */
	cfg = bpf_map_lookup_elem(&amtsca_config, &zero);
	if (!cfg)
		return XDP_PASS;
	s.cfg = cfg;
	if (!source_allowed(cfg, &s)) {
		/* Not ours to answer: the next program or the stack decides. */
		cnt->not_allowed++;
		return pass_on(ctx);
	}
	flags = ((__u8 *)s.tcp)[13];
	s.th_len = s.tcp->doff * 4;
	/*
	 * Replies carry no IP options, and the IP length must hold the TCP
	 * header and fit the frame (Ethernet padding may follow it).
	 */
	if (s.th_len < sizeof(struct tcphdr) ||
	    (void *)s.tcp + s.th_len > end ||
	    (!s.v6 && ((struct iphdr *)s.l3)->ihl != 5) ||
	    ip_payload < s.th_len || (void *)s.tcp + ip_payload > end)
		return count_drop(&cnt->malformed);
	plen = ip_payload - s.th_len;
	if ((flags & (TH_SYN | TH_ACK | TH_RST | TH_FIN)) == TH_SYN)
		kind = SEG_SYN;
	else if ((flags & (TH_SYN | TH_ACK | TH_RST)) == TH_ACK && plen > 0)
		kind = SEG_DATA;
	else if ((flags & (TH_SYN | TH_ACK | TH_RST | TH_FIN)) ==
		 (TH_ACK | TH_FIN))
		kind = SEG_FIN;
	else if ((flags & TH_RST) ||
		 (flags & (TH_SYN | TH_ACK | TH_FIN)) == TH_ACK)
		/* A pure ACK (e.g. of our FIN) or an RST: nothing to answer. */
		return count_drop(&cnt->stray);
	else
		return XDP_PASS;
	/* A SYN carrying data (TCP Fast Open) is no device's. */
	if (kind == SEG_SYN && plen)
		return count_drop(&cnt->malformed);
	/* Every segment answered below has its checksums verified first. */
	if (!s.v6 && csum_fold(csum_words(s.l3, sizeof(struct iphdr) / 2, 0)))
		return count_drop(&cnt->bad_csum);
	if (tcp_header_csum(&s, end, ip_payload))
		return count_drop(&cnt->malformed);
	if (kind != SEG_DATA && csum_fold64(s.csum))
		return count_drop(&cnt->bad_csum);
	/*
	 * CLOCK_MONOTONIC_COARSE (the last tick's time, 1-4 ms behind): a
	 * load where bpf_ktime_get_ns() reads the TSC, 15-30 ns less here
	 * (bench/README.md); every use is coarser than a tick anyway.
	 */
	s.now = bpf_ktime_get_coarse_ns();
	if (kind == SEG_SYN) {
		if (over_rate(&s, cfg->syn_rate, cfg->syn_burst, 0))
			return count_drop(&cnt->rate_syn);
		return syn_segment(ctx, cnt, &s);
	}
	if (over_rate(&s, cfg->data_rate, cfg->data_burst, 1))
		return count_drop(&cnt->rate_data);
	if (kind == SEG_FIN)
		verdict = fin_segment(cnt, &s, &r);
	else
		/*
		 * The payload's checksum is verified on its copy. Verifier
		 * work-around: the payload offset is summed from scalars; as
		 * s.tcp + th_len - data clang folds it into 32-bit pointer
		 * arithmetic, which the verifier refuses.
		 */
		verdict = data_segment(ctx, cnt, &s,
				       s.l3off +
					       (s.v6 ? sizeof(struct ipv6hdr) :
						       sizeof(struct iphdr)) +
					       s.th_len,
				       plen, &r);
	if (verdict != VERDICT_REPLY)
		return verdict;
	/* One place builds every plain reply: one inlined copy per family. */
	if (s.v6)
		return send_reply(ctx, s.l3off, 1, r.seq, r.ack, r.flags,
				  TCP_PLAIN_LEN);
	return send_reply(ctx, s.l3off, 0, r.seq, r.ack, r.flags,
			  TCP_PLAIN_LEN);
pass:
	cnt->pass_other++;
	return pass_on(ctx);
}

char LICENSE[] SEC("license") = "GPL";
