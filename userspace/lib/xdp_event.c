// SPDX-License-Identifier: GPL-2.0-only
#include <string.h>
#include <sys/socket.h>

#include <amtsca/bpf_abi.h>

#include "xdp_event.h"

int xdp_event_parse(const void *rec, size_t size, struct hello_event *ev)
{
	struct amtsca_hello_event r;

	/* The record is the header and the Hello's len bytes (bpf_abi.h). */
	if (size < AMTSCA_HELLO_EVENT_HDR || size > sizeof(r))
		return -1;
	memcpy(&r, rec, size);
	if ((r.ip_version != 4 && r.ip_version != 6) || !r.len ||
	    r.len != size - AMTSCA_HELLO_EVENT_HDR)
		return -1;
	memset(ev, 0, offsetof(struct hello_event, hello));
	if (r.ip_version == 4) {
		ev->family = AF_INET;
		memcpy(&ev->saddr.v4, r.saddr, 4);
		memcpy(&ev->daddr.v4, r.daddr, 4);
	} else {
		ev->family = AF_INET6;
		memcpy(&ev->saddr.v6, r.saddr, 16);
		memcpy(&ev->daddr.v6, r.daddr, 16);
	}
	ev->sport = r.sport;
	ev->dport = r.dport;
	ev->ifindex = r.ifindex;
	ev->vlan = r.vlan_id[0];
	ev->timestamp_ns = r.ktime_ns;
	ev->len = r.len;
	memcpy(ev->hello, r.data, r.len);
	return 0;
}
