/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internet checksum arithmetic done inline: bpf_csum_diff costs ~20 ns a
 * call here (docs/perf-anchors), a few adds cost almost nothing. Sums are
 * of 16-bit words as they lie in memory (native loads), folded at the end;
 * that is the byte order the checksum field itself is stored in.
 */
#ifndef AMTSCA_BPF_CSUM_H
#define AMTSCA_BPF_CSUM_H

/* Sum of n 16-bit words at p (n bounded by the caller's constant). */
static __always_inline __u32 csum_words(const __u16 *p, int n, __u32 sum)
{
	int i;

	for (i = 0; i < n; i++)
		sum += p[i];
	return sum;
}

static __always_inline __u16 csum_fold(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

/*
 * Fold a 64-bit running sum; 0 means a block that includes its checksum
 * verifies.
 */
static __always_inline __u16 csum_fold64(__u64 sum)
{
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffffffff) + (sum >> 32);
	return csum_fold((__u32)sum);
}

/* bpf_csum_diff takes at most 512 bytes a call on kernel 6.1. */
#define CSUM_CHUNK 512
#define CSUM_MAX_CHUNKS 9 /* AMT_HELLO_MAX_LEN / CSUM_CHUNK, rounded up */

/*
 * Add the len bytes at p (len <= AMT_HELLO_MAX_LEN; p has that many
 * readable bytes) to sum, the first byte being the high-order byte of a
 * word. Whole 4-byte groups go through bpf_csum_diff (csum_partial in the
 * kernel), 512 bytes a call; the 1-3 bytes left are added here.
 */
static __always_inline __u64 csum_bytes(const __u8 *p, __u32 len, __u64 sum)
{
	const __u32 max_whole = AMT_HELLO_MAX_LEN & ~3u;
	const __u8 *tail;
	__u32 whole, rem, n, off;
	__s64 ret;
	int i;

	if (len > AMT_HELLO_MAX_LEN)
		return sum;
	whole = len & ~3u;
	/*
	 * One call for every whole group where the kernel takes it (6.18
	 * does); 6.1 refuses more than 512 bytes (-EINVAL) and gets chunks.
	 * Verifier work-around (6.1): the size is bounded again behind an
	 * empty asm, as below.
	 */
	n = whole;
	asm volatile("" : "+r"(n));
	if (n > max_whole)
		n = max_whole;
	ret = n ? bpf_csum_diff(NULL, 0, (void *)p, n, 0) : 0;
	if (ret >= 0) {
		sum += (__u32)ret;
		goto tail;
	}
#pragma unroll
	for (i = 0; i < CSUM_MAX_CHUNKS; i++) {
		off = i * CSUM_CHUNK;
		if (off >= whole)
			break;
		/*
		 * Verifier work-around: the size is bounded per (unrolled)
		 * iteration by its constant offset, so p + off + n stays
		 * inside the AMT_HELLO_MAX_LEN bytes at p. The empty asm
		 * keeps clang from dropping the bounds it can prove from
		 * whole, which 6.1 may have lost on a spilled copy.
		 */
		n = whole - off;
		asm volatile("" : "+r"(n));
		if (n > CSUM_CHUNK)
			n = CSUM_CHUNK;
		if (n > max_whole - off)
			n = max_whole - off;
		sum += (__u32)bpf_csum_diff(NULL, 0, (void *)(p + off), n, 0);
	}
tail:
	rem = len & 3;
	if (!rem)
		return sum;
	/*
	 * The 1-3 bytes after the last whole group. Verifier work-around
	 * (6.1): their offset is bounded again behind an empty asm and made
	 * a pointer at once (a spilled pointer keeps its range); the odd
	 * last byte is at tail[rem & 2], not at len - 1, which could wrap.
	 */
	asm volatile("" : "+r"(whole));
	if (whole > max_whole)
		return sum;
	tail = p + whole;
	asm volatile("" : "+r"(tail));
	if (rem >= 2)
		sum += *(const __u16 *)tail;
	if (rem & 1)
		sum += bpf_htons((__u16)tail[rem & 2] << 8);
	return sum;
}

#endif /* AMTSCA_BPF_CSUM_H */
