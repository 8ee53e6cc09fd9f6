/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The program's own SYN cookie: SipHash-2-4 keyed with the 128-bit
 * cookie_key of amtsca_config over the connection, the device's ISN and a
 * coarse clock (include/amtsca/bpf_abi.h, "SYN cookie", has the exact
 * message). Written out here instead of calling
 * bpf_tcp_raw_{gen,check}_syncookie_*: those cost ~100 ns a call on this
 * machine (two SipHash calls behind a retpolined helper, docs/xdp.md), this
 * one a third of that. We terminate the TCP connection ourselves and send no
 * data, so the cookie need not be the kernel's nor encode an MSS.
 */
#ifndef AMTSCA_BPF_SYNCOOKIE_H
#define AMTSCA_BPF_SYNCOOKIE_H

#define ROTL64(x, b) (((x) << (b)) | ((x) >> (64 - (b))))

struct sip_state {
	__u64 v0, v1, v2, v3;
};

static __always_inline void sip_round(struct sip_state *s)
{
	s->v0 += s->v1;
	s->v1 = ROTL64(s->v1, 13);
	s->v1 ^= s->v0;
	s->v0 = ROTL64(s->v0, 32);
	s->v2 += s->v3;
	s->v3 = ROTL64(s->v3, 16);
	s->v3 ^= s->v2;
	s->v0 += s->v3;
	s->v3 = ROTL64(s->v3, 21);
	s->v3 ^= s->v0;
	s->v2 += s->v1;
	s->v1 = ROTL64(s->v1, 17);
	s->v1 ^= s->v2;
	s->v2 = ROTL64(s->v2, 32);
}

static __always_inline void sip_init(struct sip_state *s, const __u64 *key)
{
	s->v0 = key[0] ^ 0x736f6d6570736575ull;
	s->v1 = key[1] ^ 0x646f72616e646f6dull;
	s->v2 = key[0] ^ 0x6c7967656e657261ull;
	s->v3 = key[1] ^ 0x7465646279746573ull;
}

/* One 8-byte message word (little-endian, as SipHash reads it). */
static __always_inline void sip_word(struct sip_state *s, __u64 m)
{
	s->v3 ^= m;
	sip_round(s);
	sip_round(s);
	s->v0 ^= m;
}

/*
 * The last block, the message's last 0-7 bytes (tail) with its length in
 * the top byte, and finalization.
 */
static __always_inline __u64 sip_final(struct sip_state *s, __u64 tail,
				       __u32 len)
{
	sip_word(s, tail | (__u64)len << 56);
	s->v2 ^= 0xff;
	sip_round(s);
	sip_round(s);
	sip_round(s);
	sip_round(s);
	return s->v0 ^ s->v1 ^ s->v2 ^ s->v3;
}

/* A 32-bit load of 4 bytes in memory order (x86 takes them unaligned). */
static __always_inline __u64 load32(const void *p)
{
	return *(const __u32 *)p;
}

/*
 * The cookie of the connection (l3 at its IP header, th at its TCP
 * header, addresses and ports as the device sent them) whose device ISN
 * is isn (network order) at clock tick t: the hash's low 32 bits with bit
 * 0 replaced by bit 0 of t.
 */
static __always_inline __u32 cookie_hash(const __u64 *key, const void *l3,
					 int v6, const void *th, __be32 isn,
					 __u64 t)
{
	struct sip_state s;
	__u64 h;

	sip_init(&s, key);
	if (v6) {
		const __u8 *a = (const __u8 *)&((struct ipv6hdr *)l3)->saddr;
		int i;

		/* saddr and daddr are adjacent: 32 bytes, 4 words. */
#pragma unroll
		for (i = 0; i < 4; i++) {
			__u64 lo = load32(a + 8 * i),
			      hi = load32(a + 8 * i + 4);

			sip_word(&s, lo | hi << 32);
		}
	} else {
		const struct iphdr *ip = l3;

		sip_word(&s, load32(&ip->saddr) | load32(&ip->daddr) << 32);
	}
	sip_word(&s, load32(th) | (__u64)(__u32)isn << 32);
	/* The tick's low 32 bits are the message's last 4 bytes. */
	h = sip_final(&s, (__u32)t, v6 ? 44 : 20);
	return ((__u32)h & ~1u) | (__u32)(t & 1);
}

/*
 * Is cookie (our ISN, the ack of their first data segment less one)
 * valid for the connection now? It was made at this tick or the one
 * before: bit 0 tells which, so one hash decides.
 */
static __always_inline int cookie_valid(const __u64 *key, const void *l3,
					int v6, const void *th, __be32 isn,
					__u32 cookie, __u64 now_ns)
{
	__u64 t = now_ns >> AMTSCA_COOKIE_TICK_SHIFT;

	if ((t & 1) != (cookie & 1))
		t--;
	return cookie_hash(key, l3, v6, th, isn, t) == cookie;
}

#endif /* AMTSCA_BPF_SYNCOOKIE_H */
