/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internet checksum arithmetic done inline: bpf_csum_diff costs ~20 ns a
 * call here (docs/perf-anchors), a few adds cost almost nothing.
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

#endif /* AMTSCA_BPF_CSUM_H */
