/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A Hello as the daemon sees it, whichever path delivered it: the XDP ring
 * buffer, the kernel module's netlink multicast, or the socket listener.
 * Each backend converts its own wire record into this one struct.
 */
#ifndef AMTSCA_HELLO_EVENT_H
#define AMTSCA_HELLO_EVENT_H

#include <netinet/in.h>

#include <amtsca/hello.h>

struct hello_event {
	int family; /* AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} saddr, daddr; /* device, SCA */
	__u16 sport, dport; /* host byte order */
	__u32 ifindex;
	__u16 vlan; /* outer 802.1Q/802.1ad VLAN ID, 0 if untagged */
	__u64 timestamp_ns; /* CLOCK_MONOTONIC when the Hello arrived */
	__u32 len; /* bytes in hello[] */
	__u8 hello[AMT_HELLO_MAX_LEN];
};

#endif /* AMTSCA_HELLO_EVENT_H */
