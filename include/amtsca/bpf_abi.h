/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * What the XDP program (bpf/amtsca.bpf.c) and userspace share: the per-CPU
 * counters (their field names reach bpftool through BTF), the ring-buffer
 * record of an accepted Hello, the runtime configuration, the allowed-prefix
 * and rate-limit maps and the map pin names under the pin directory
 * (default /sys/fs/bpf/amtsca). docs/xdp.md describes every map.
 *
 * Load-time knobs (const volatile, skeleton rodata): sca_port (9971),
 * sca_mss (1460), hello_flags (AMT_HELLO_F_*), queued_ttl_ns (how long the
 * program's amtsca_recent mark of a device it has just queued suppresses
 * its re-sent Hellos; default 120 s, 0 = no mark).
 *
 * The program verifies IPv4 header and TCP checksums of every segment to the
 * SCA port and drops bad ones: a veth peer that sends with checksum offload
 * (CHECKSUM_PARTIAL) must have it off (ethtool -K IF tx off) in tests.
 */
#ifndef AMTSCA_BPF_ABI_H
#define AMTSCA_BPF_ABI_H

#if !defined(__bpf__)
#include <linux/types.h>
#endif
#include "amtsca/hello.h"

#define AMTSCA_PIN_DIR_DEFAULT "/sys/fs/bpf/amtsca"
#define AMTSCA_MAP_COUNTERS "amtsca_counters"
#define AMTSCA_MAP_EVENTS "amtsca_events"
/*
 * LRU hash of struct amtsca_dev_key -> struct amtsca_dev_entry
 * (device_state.h): full, it drops the entry used longest ago.
 */
#define AMTSCA_MAP_DEVICES "amtsca_devices"
#define AMTSCA_DEVICES_MAX 65536
/*
 * Array, AMTSCA_RECENT_SLOTS x struct amtsca_recent: the devices the
 * program queued and the daemon has not written since, slot
 * amtsca_recent_slot(uuid). The program writes a slot when it queues a
 * Hello; userspace clears a device's slot when it writes the device's
 * entry in amtsca_devices, which from then on decides alone.
 */
#define AMTSCA_MAP_RECENT "amtsca_recent"
#define AMTSCA_RECENT_BITS 12
#define AMTSCA_RECENT_SLOTS (1u << AMTSCA_RECENT_BITS)

struct amtsca_recent {
	__u64 expires_ns; /* CLOCK_MONOTONIC ns; suppresses until then */
	__u8 uuid[16]; /* the device's, as in the Hello */
};

/* The slot of the UUID held in w[4] (its bytes as native 32-bit words). */
static inline __u32 amtsca_recent_slot(const __u32 *w)
{
	return ((w[0] ^ w[1] ^ w[2] ^ w[3]) * 0x9e3779b1u) >>
	       (32 - AMTSCA_RECENT_BITS);
}

/* Does slot r suppress the UUID held in w[4] at now (CLOCK_MONOTONIC ns)? */
static inline int amtsca_recent_holds(const struct amtsca_recent *r,
				      const __u32 *w, __u64 now)
{
	__u32 u[4];

	__builtin_memcpy(u, r->uuid, sizeof(u));
	return u[0] == w[0] && u[1] == w[1] && u[2] == w[2] && u[3] == w[3] &&
	       now < r->expires_ns;
}

/* Mark the UUID held in w[4] in slot r until expires_ns. */
static inline void amtsca_recent_set(struct amtsca_recent *r, const __u32 *w,
				     __u64 expires_ns)
{
	__builtin_memcpy(r->uuid, w, sizeof(r->uuid));
	r->expires_ns = expires_ns;
}

/*
 * Array (BPF_F_MMAPABLE), AMTSCA_KNOWN_WORDS x __u64, a blocked Bloom
 * filter: for every UUID userspace writes into amtsca_devices, the bits
 * amtsca_known_mask() of word amtsca_known_word() are set, atomically and
 * before the entry is written, and never cleared. A clear one of them
 * proves the device has no entry, so the program skips the hash lookup for
 * a device never seen; all set (the device, or others hashing alike) means
 * look it up. Three bits in one word: still one load, and with 50,000
 * devices known ~0.5 % of new UUIDs are looked up in vain, against ~4.7 %
 * with one bit (bench/README.md).
 */
#define AMTSCA_MAP_KNOWN "amtsca_known"
#define AMTSCA_KNOWN_BITS 20
#define AMTSCA_KNOWN_WORDS (1u << (AMTSCA_KNOWN_BITS - 6))

/* The filter's hash of the UUID held in w[4] (its bytes as native words). */
static inline __u64 amtsca_known_hash(const __u32 *w)
{
	return (((__u64)(w[0] ^ w[2]) << 32) | (w[1] ^ w[3])) *
	       0x9e3779b97f4a7c15ull;
}

/* The word of hash h: its top AMTSCA_KNOWN_BITS - 6 bits. */
static inline __u32 amtsca_known_word(__u64 h)
{
	return h >> (64 - (AMTSCA_KNOWN_BITS - 6));
}

/* The three bits of hash h in its word: the next three 6-bit fields. */
static inline __u64 amtsca_known_mask(__u64 h)
{
	return 1ull << (h >> 44 & 63) | 1ull << (h >> 38 & 63) |
	       1ull << (h >> 32 & 63);
}

/* May the UUID of hash h have an entry, by its filter word's value? */
static inline int amtsca_known_maybe(__u64 word, __u64 h)
{
	__u64 mask = amtsca_known_mask(h);

	return (word & mask) == mask;
}

/* Array, one entry (key 0): struct amtsca_xdp_config. */
#define AMTSCA_MAP_CONFIG "amtsca_config"
/* LPM tries: struct amtsca_lpm_v4 / amtsca_lpm_v6 -> __u8 (value unused, 1). */
#define AMTSCA_MAP_ALLOW_V4 "amtsca_allow_v4"
#define AMTSCA_MAP_ALLOW_V6 "amtsca_allow_v6"
#define AMTSCA_ALLOW_MAX 1024
/* LRU hash: struct amtsca_src_key -> struct amtsca_src_rate. */
#define AMTSCA_MAP_RATE "amtsca_rate"
#define AMTSCA_RATE_MAX 65536
/*
 * LRU hash: struct amtsca_flow_key -> struct amtsca_reasm, the Hellos
 * that arrive in more than one segment, while they are incomplete. Private
 * to the program; userspace only pins it.
 */
#define AMTSCA_MAP_REASM "amtsca_reasm"
#define AMTSCA_REASM_MAX 512

/* One per CPU; userspace sums them. Every field counts packets. */
struct amtsca_counters {
	__u64 rx_total; /* every frame the program saw */
	__u64 pass_other; /* not for the SCA port: XDP_PASS untouched */
	__u64 port_tcp; /* TCP segments to the SCA port */
	__u64 syn_ack; /* SYNs answered with a SYN-ACK carrying a cookie */
	__u64 malformed; /* bad TCP/IP header length or IP options: dropped */
	__u64 bad_cookie; /* data segments whose ack is no valid cookie: dropped */
	__u64 ring_full; /* data segments dropped, no ACK: ring buffer full */
	__u64 hello_event; /* valid Hellos submitted to the ring: ACK+FIN */
	__u64 oversize; /* Hello longer than AMT_HELLO_MAX_LEN: RST */
	__u64 ack_fin; /* ACK+FIN replies sent */
	__u64 rst; /* RST replies sent */
	__u64 fin_ack; /* device FINs (no payload) answered with an ACK */
	__u64 stray; /* pure ACKs and RSTs to the port: dropped */
	/* valid Hellos whose amtsca_devices entry suppresses: ACK+FIN, no event */
	__u64 suppressed;
	__u64 not_allowed; /* source outside the allowed prefixes: XDP_PASS */
	__u64 rate_syn; /* SYNs over their source's rate: dropped */
	__u64 rate_data; /* data segments over their source's rate: dropped */
	__u64 bad_csum; /* bad IPv4 header or TCP checksum: dropped */
	__u64 seg_acked; /* first/middle segments of a split Hello: stored, ACK */
	__u64 seg_dup; /* already stored bytes sent again: ACK re-sent */
	__u64 seg_gap; /* segments past the next expected byte: dropped */
	__u64 reasm_fail; /* no room in amtsca_reasm: dropped, no ACK */
	/* invalid Hellos by enum amt_hello_reason (index 0 unused): RST */
	__u64 hello_invalid[AMT_HELLO_REASON_COUNT];
	/* device FINs behind a Hello dropped without ACK: dropped too */
	__u64 fin_unacked;
};

/*
 * Runtime configuration, array map amtsca_config key 0; all zero (the
 * state after load) = no filter, no rate limit. Userspace writes it.
 */
struct amtsca_xdp_config {
	/*
	 * Entries userspace put into amtsca_allow_v4 / amtsca_allow_v6; 0 =
	 * every source of that family is allowed (the trie is not consulted).
	 * Otherwise a source matching no prefix is not answered: XDP_PASS,
	 * counted in not_allowed.
	 */
	__u32 v4_prefixes;
	__u32 v6_prefixes;
	/*
	 * Token buckets per source address (amtsca_rate): SYNs, and data
	 * segments (Hello or FIN), per second and bucket depth; rate 0 = no
	 * limit. Over the limit: dropped, counted in rate_syn / rate_data.
	 */
	__u32 syn_rate;
	__u32 syn_burst;
	__u32 data_rate;
	__u32 data_burst;
	/*
	 * SipHash key of the SYN cookies (below); the loader fills it from
	 * getrandom() when the map is new, so a daemon restart on the
	 * pinned map keeps cookies in flight valid.
	 */
	__u64 cookie_key[2];
};

/*
 * SYN cookie: our ISN for a device's SYN is SipHash-2-4, keyed with
 * cookie_key (k0 = cookie_key[0], k1 = cookie_key[1]), of the message
 *
 *   IPv4: saddr(4) daddr(4) sport(2) dport(2) isn(4) tick(4)  = 20 bytes
 *   IPv6: saddr(16) daddr(16) sport(2) dport(2) isn(4) tick(4) = 44 bytes
 *
 * with addresses, ports and the device's ISN as on the wire (network
 * order) and tick = CLOCK_MONOTONIC_COARSE ns >> AMTSCA_COOKIE_TICK_SHIFT,
 * its low 32 bits as a little-endian word (they wrap after ~9,000 years
 * of uptime). Four bytes, not eight: SipHash takes the message 8 bytes a
 * compression and the last 0-7 with the length, so 20 bytes take three
 * compressions where 24 took four (10 rounds instead of 12, 16 instead
 * of 18 for IPv6). The cookie is the hash's low 32 bits with
 * bit 0 replaced by bit 0 of tick; a data segment's ack - 1 is accepted
 * when it equals the cookie of the current tick or the one before, so a
 * cookie lives 69 to 137 s.
 */
#define AMTSCA_COOKIE_TICK_SHIFT 36

struct amtsca_lpm_v4 {
	__u32 prefixlen; /* 0-32 */
	__u8 addr[4]; /* network order */
};

struct amtsca_lpm_v6 {
	__u32 prefixlen; /* 0-128 */
	__u8 addr[16]; /* network order */
};

/* A source address; IPv4 as IPv4-mapped IPv6 (::ffff:a.b.c.d). */
struct amtsca_src_key {
	__u8 addr[16];
};

/*
 * Generic cell rate algorithm: the time at which the bucket would be full
 * again (CLOCK_MONOTONIC ns), one per kind of segment.
 */
struct amtsca_src_rate {
	__u64 syn_tat_ns;
	__u64 data_tat_ns;
};

/*
 * One accepted Hello in the ring buffer amtsca_events. Addresses and ports
 * are as the device sent them (saddr/sport = device); an IPv4 address fills
 * the first 4 bytes of its 16, the rest are 0. A ring record is exactly
 * AMTSCA_HELLO_EVENT_HDR + len bytes: data[] is cut after the Hello.
 */
struct amtsca_hello_event {
	/* at reception: bpf_ktime_get_coarse_ns(), CLOCK_MONOTONIC_COARSE */
	__u64 ktime_ns;
	__u8 saddr[16]; /* network order */
	__u8 daddr[16]; /* network order */
	__u32 ifindex; /* receiving interface */
	__u32 len; /* bytes of data[] holding the Hello */
	__u16 ip_version; /* 4 or 6 */
	__u16 sport; /* host order */
	__u16 dport; /* host order */
	__u16 vlan_id[2]; /* outer, inner 802.1Q/802.1ad VID; 0 = none */
	__u8 data[AMT_HELLO_MAX_LEN];
};

#define AMTSCA_HELLO_EVENT_HDR \
	__builtin_offsetof(struct amtsca_hello_event, data)

/* A TCP connection as the device sent it (addresses as in the event). */
struct amtsca_flow_key {
	__u8 saddr[16];
	__u8 daddr[16];
	__u16 sport; /* network order */
	__u16 dport; /* network order */
	__u32 ip_version;
};

/*
 * LRU hash: struct amtsca_flow_key -> struct amtsca_unacked, connections
 * whose Hello segment was dropped without an ACK (ring full, bad checksum),
 * so the device's FIN behind it is not acknowledged either. Private to the
 * program; userspace only pins it.
 */
#define AMTSCA_MAP_UNACKED "amtsca_unacked"
#define AMTSCA_UNACKED_MAX 4096

struct amtsca_unacked {
	__u32 fin_seq; /* the device's sequence number after the dropped bytes */
	__u32 our_seq; /* our sequence number the device acknowledges */
};

/* A Hello arriving in several segments, bytes ev.data[0..ev.len) so far. */
struct amtsca_reasm {
	__u32 next_seq; /* the device's next expected sequence number */
	__u32 our_seq; /* our sequence number the device acknowledges */
	struct amtsca_hello_event ev;
	/*
	 * Room so the verifier accepts a copy of up to AMT_HELLO_MAX_LEN
	 * bytes at any offset below AMT_HELLO_MAX_LEN into ev.data; never
	 * read.
	 */
	__u8 slack[AMT_HELLO_MAX_LEN];
};

#endif /* AMTSCA_BPF_ABI_H */
