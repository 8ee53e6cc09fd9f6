/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What bench/xdp_bench.c shares with its BPF harness bench/xdp_bench.bpf.c
 * and the floor program bench/xdp_floor.bpf.c.
 */
#ifndef AMTSCA_XDP_BENCH_H
#define AMTSCA_XDP_BENCH_H

#if !defined(__bpf__)
#include <linux/types.h>
#endif

#define BENCH_FRAME_MAX 3500
/* The Hello of hello_v3_841 and of the floor program under it. */
#define FLOOR_HELLO_LEN 841

/* The frame bench_restore writes back before every repetition. */
struct bench_frame {
	__u32 len;
	/* Offset of 4 UUID bytes counted up per repetition; 0 = fixed. */
	__u32 uuid_off;
	__u32 csum_off; /* the TCP checksum, kept right as they change */
	__u32 pad;
	__u8 data[BENCH_FRAME_MAX];
};

#endif /* AMTSCA_XDP_BENCH_H */
