/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * What the XDP program (bpf/amtsca.bpf.c) and userspace share: the per-CPU
 * counters (their field names reach bpftool through BTF) and the map pin
 * names under the pin directory (default /sys/fs/bpf/amtsca).
 */
#ifndef AMTSCA_BPF_ABI_H
#define AMTSCA_BPF_ABI_H

#if !defined(__bpf__)
#include <linux/types.h>
#endif

#define AMTSCA_PIN_DIR_DEFAULT "/sys/fs/bpf/amtsca"
#define AMTSCA_MAP_COUNTERS "amtsca_counters"

/* One per CPU; userspace sums them. Every field counts packets. */
struct amtsca_counters {
	__u64 rx_total; /* every frame the program saw */
	__u64 pass_other; /* not for the SCA port: XDP_PASS untouched */
	__u64 port_tcp; /* TCP segments to the SCA port */
	__u64 syn_ack; /* SYNs answered with a SYN-ACK carrying a cookie */
	__u64 malformed; /* SYNs with a bad TCP/IP header length: dropped */
};

#endif /* AMTSCA_BPF_ABI_H */
