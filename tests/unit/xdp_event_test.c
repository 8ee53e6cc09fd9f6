// SPDX-License-Identifier: GPL-2.0-only
/* xdp_event_parse: the ring-buffer record into struct hello_event. */
#include <arpa/inet.h>
#include <string.h>

#include <amtsca/bpf_abi.h>

#include "kselftest_harness.h"
#include "xdp_event.h"

static void record(struct amtsca_hello_event *r, int version)
{
	memset(r, 0, sizeof(*r));
	r->ktime_ns = 123456789;
	r->ip_version = version;
	r->ifindex = 7;
	r->sport = 40000;
	r->dport = 9971;
	r->vlan_id[0] = 7;
	r->vlan_id[1] = 9;
	r->len = 32;
	memset(r->data, 0xab, r->len);
	if (version == 4) {
		memcpy(r->saddr, "\xc6\x12\x00\x02", 4);
		memcpy(r->daddr, "\xc6\x12\x00\x01", 4);
	} else {
		inet_pton(AF_INET6, "fd00:a3::2", r->saddr);
		inet_pton(AF_INET6, "fd00:a3::1", r->daddr);
	}
}

TEST(ipv4_record)
{
	struct amtsca_hello_event r;
	struct hello_event ev;
	char addr[INET6_ADDRSTRLEN];

	record(&r, 4);
	ASSERT_EQ(0, xdp_event_parse(&r, AMTSCA_HELLO_EVENT_HDR + 32, &ev));
	EXPECT_EQ(AF_INET, ev.family);
	inet_ntop(AF_INET, &ev.saddr, addr, sizeof(addr));
	EXPECT_STREQ("198.18.0.2", addr);
	inet_ntop(AF_INET, &ev.daddr, addr, sizeof(addr));
	EXPECT_STREQ("198.18.0.1", addr);
	EXPECT_EQ(40000, ev.sport);
	EXPECT_EQ(9971, ev.dport);
	EXPECT_EQ(7, ev.ifindex);
	EXPECT_EQ(7, ev.vlan);
	EXPECT_EQ(123456789, ev.timestamp_ns);
	EXPECT_EQ(32, ev.len);
	EXPECT_EQ(0, memcmp(ev.hello, r.data, 32));
}

TEST(ipv6_record)
{
	struct amtsca_hello_event r;
	struct hello_event ev;
	char addr[INET6_ADDRSTRLEN];

	record(&r, 6);
	ASSERT_EQ(0, xdp_event_parse(&r, AMTSCA_HELLO_EVENT_HDR + 32, &ev));
	EXPECT_EQ(AF_INET6, ev.family);
	inet_ntop(AF_INET6, &ev.saddr, addr, sizeof(addr));
	EXPECT_STREQ("fd00:a3::2", addr);
}

TEST(malformed_records_refused)
{
	struct amtsca_hello_event r;
	struct hello_event ev;

	size_t size = AMTSCA_HELLO_EVENT_HDR + 32;

	record(&r, 4);
	/* The record's size must be the header and len bytes exactly. */
	EXPECT_EQ(-1, xdp_event_parse(&r, size - 1, &ev));
	EXPECT_EQ(-1, xdp_event_parse(&r, size + 1, &ev));
	EXPECT_EQ(-1, xdp_event_parse(&r, AMTSCA_HELLO_EVENT_HDR - 1, &ev));
	EXPECT_EQ(-1, xdp_event_parse(&r, sizeof(r) + 1, &ev));
	r.ip_version = 5;
	EXPECT_EQ(-1, xdp_event_parse(&r, size, &ev));
	record(&r, 6);
	r.len = 0;
	EXPECT_EQ(-1, xdp_event_parse(&r, AMTSCA_HELLO_EVENT_HDR, &ev));
	r.len = AMT_HELLO_MAX_LEN + 1;
	EXPECT_EQ(-1, xdp_event_parse(&r, sizeof(r), &ev));
	r.len = AMT_HELLO_MAX_LEN;
	EXPECT_EQ(0, xdp_event_parse(&r, AMTSCA_HELLO_EVENT_HDR + r.len, &ev));
}

TEST_HARNESS_MAIN
