/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * What the XDP program (bpf/amtsca.bpf.c) and userspace share: the per-CPU
 * counters (their field names reach bpftool through BTF), the ring-buffer
 * record of an accepted Hello and the map pin names under the pin
 * directory (default /sys/fs/bpf/amtsca).
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
/* Hash of struct amtsca_dev_key -> struct amtsca_dev_entry (device_state.h). */
#define AMTSCA_MAP_DEVICES "amtsca_devices"
#define AMTSCA_DEVICES_MAX 65536

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
	__u64 oversize; /* payload over AMT_HELLO_MAX_LEN: RST */
	__u64 ack_fin; /* ACK+FIN replies sent */
	__u64 rst; /* RST replies sent */
	__u64 fin_ack; /* device FINs (no payload) answered with an ACK */
	__u64 stray; /* pure ACKs and RSTs to the port: dropped */
	/* valid Hellos whose amtsca_devices entry suppresses: ACK+FIN, no event */
	__u64 suppressed;
	/* invalid Hellos by enum amt_hello_reason (index 0 unused): RST */
	__u64 hello_invalid[AMT_HELLO_REASON_COUNT];
};

/*
 * One accepted Hello in the ring buffer amtsca_events. Addresses and ports
 * are as the device sent them (saddr/sport = device); an IPv4 address fills
 * the first 4 bytes of its 16, the rest are 0.
 */
struct amtsca_hello_event {
	__u64 ktime_ns; /* bpf_ktime_get_ns() at reception */
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

#endif /* AMTSCA_BPF_ABI_H */
