// SPDX-License-Identifier: GPL-2.0-only
/*
 * Packet-in/packet-out tests of bpf/amtsca.bpf.c through BPF_PROG_TEST_RUN:
 * each case checks the verdict, that a passed frame leaves byte for byte
 * unchanged, and the per-CPU counters summed over CPUs.
 */
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "kselftest_harness.h"
#include "amtsca/bpf_abi.h"
#include "amtsca.skel.h"

#define FRAME_MAX 256

struct frame {
	unsigned char buf[FRAME_MAX];
	size_t len;
};

/* Ethernet (+ nvlan 802.1Q tags) + IPv4 or IPv6 + TCP or UDP, no payload. */
static void build_frame(struct frame *f, int v6, int nvlan, int l4proto,
			unsigned short dport)
{
	unsigned char *p = f->buf;
	unsigned short proto = v6 ? ETH_P_IPV6 : ETH_P_IP;
	size_t l4len = l4proto == IPPROTO_TCP ? sizeof(struct tcphdr) :
						sizeof(struct udphdr);
	int i;

	memset(f, 0, sizeof(*f));
	memcpy(p, "\x02\0\0\0\0\x01\x02\0\0\0\0\x02", 12);
	p += 12;
	for (i = 0; i < nvlan; i++) {
		*(unsigned short *)p = htons(ETH_P_8021Q);
		*(unsigned short *)(p + 2) = htons(100 + i);
		p += 4;
	}
	*(unsigned short *)p = htons(proto);
	p += 2;
	if (v6) {
		struct ipv6hdr *ip6 = (void *)p;

		ip6->version = 6;
		ip6->payload_len = htons(l4len);
		ip6->nexthdr = l4proto;
		ip6->hop_limit = 64;
		inet_pton(AF_INET6, "fd00::2", &ip6->saddr);
		inet_pton(AF_INET6, "fd00::1", &ip6->daddr);
		p += sizeof(*ip6);
	} else {
		struct iphdr *ip = (void *)p;

		ip->version = 4;
		ip->ihl = 5;
		ip->tot_len = htons(sizeof(*ip) + l4len);
		ip->ttl = 64;
		ip->protocol = l4proto;
		inet_pton(AF_INET, "198.18.0.2", &ip->saddr);
		inet_pton(AF_INET, "198.18.0.1", &ip->daddr);
		p += sizeof(*ip);
	}
	if (l4proto == IPPROTO_TCP) {
		struct tcphdr *tcp = (void *)p;

		tcp->source = htons(40000);
		tcp->dest = htons(dport);
		tcp->seq = htonl(0xfffffff0);
		tcp->doff = 5;
		tcp->syn = 1;
	} else {
		struct udphdr *udp = (void *)p;

		udp->source = htons(40000);
		udp->dest = htons(dport);
		udp->len = htons(sizeof(*udp));
	}
	f->len = p + l4len - f->buf;
}

static int run_frame(struct amtsca *skel, const struct frame *in,
		     struct frame *out, __u32 *retval)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = in->buf,
		    .data_size_in = in->len, .data_out = out->buf,
		    .data_size_out = sizeof(out->buf), .repeat = 1);
	int err;

	err = bpf_prog_test_run_opts(bpf_program__fd(skel->progs.amtsca_xdp),
				     &opts);
	out->len = opts.data_size_out;
	*retval = opts.retval;
	return err;
}

static void read_counters(struct amtsca *skel, struct amtsca_counters *sum)
{
	int ncpu = libbpf_num_possible_cpus();
	struct amtsca_counters percpu[ncpu > 0 ? ncpu : 1];
	__u32 key = 0;
	int i;

	memset(sum, 0, sizeof(*sum));
	if (ncpu <= 0 ||
	    bpf_map__lookup_elem(skel->maps.amtsca_counters, &key, sizeof(key),
				 percpu, sizeof(percpu), 0))
		return;
	for (i = 0; i < ncpu; i++) {
		sum->rx_total += percpu[i].rx_total;
		sum->pass_other += percpu[i].pass_other;
		sum->port_tcp += percpu[i].port_tcp;
		sum->syn_ack += percpu[i].syn_ack;
		sum->malformed += percpu[i].malformed;
	}
}

FIXTURE(xdp)
{
	struct amtsca *skel;
};

FIXTURE_SETUP(xdp)
{
	self->skel = amtsca__open_and_load();
	ASSERT_NE(NULL, self->skel);
}

FIXTURE_TEARDOWN(xdp)
{
	amtsca__destroy(self->skel);
}

struct pass_case {
	int v6, nvlan, l4proto;
	unsigned short dport;
};

static const struct pass_case pass_cases[] = {
	{ 0, 0, IPPROTO_UDP, 9971 }, { 1, 0, IPPROTO_UDP, 9971 },
	{ 0, 0, IPPROTO_TCP, 80 },   { 1, 1, IPPROTO_TCP, 443 },
	{ 0, 2, IPPROTO_TCP, 9972 },
};

TEST_F(xdp, classify_and_pass_untouched)
{
	struct amtsca_counters c;
	size_t i;

	for (i = 0; i < sizeof(pass_cases) / sizeof(pass_cases[0]); i++) {
		const struct pass_case *pc = &pass_cases[i];
		struct frame in, out;
		__u32 ret;

		build_frame(&in, pc->v6, pc->nvlan, pc->l4proto, pc->dport);
		ASSERT_EQ(0, run_frame(self->skel, &in, &out, &ret));
		EXPECT_EQ(XDP_PASS, ret) TH_LOG("case %zu", i);
		ASSERT_EQ(in.len, out.len);
		EXPECT_EQ(0, memcmp(in.buf, out.buf, in.len));
	}
	read_counters(self->skel, &c);
	EXPECT_EQ(i, c.rx_total);
	EXPECT_EQ(i, c.pass_other);
	EXPECT_EQ(0, c.port_tcp);
}

/* RFC 1071 sum, computed here independently of bpf/csum.h. */
static unsigned int sum16(const unsigned char *p, size_t len, unsigned int s)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += (p[i] << 8) | p[i + 1];
	if (len & 1)
		s += p[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return s;
}

/* A SYN to the SCA port: SYN-ACK, every byte checked. */
static void check_synack(struct __test_metadata *_metadata, struct amtsca *skel,
			 int v6, int nvlan)
{
	size_t l3 = 14 + 4 * nvlan, iplen = v6 ? 40 : 20;
	const unsigned char *o, *ot;
	struct frame in, out;
	unsigned int s;
	__u32 ret;

	build_frame(&in, v6, nvlan, IPPROTO_TCP, 9971);
	ASSERT_EQ(0, run_frame(skel, &in, &out, &ret));
	ASSERT_EQ(XDP_TX, ret);
	ASSERT_EQ(l3 + iplen + 24, out.len);
	o = out.buf;
	EXPECT_EQ(0, memcmp(o, in.buf + 6, 6));
	EXPECT_EQ(0, memcmp(o + 6, in.buf, 6));
	EXPECT_EQ(0, memcmp(o + 12, in.buf + 12, l3 - 12));
	if (v6) {
		const unsigned char *ip6 = o + l3;

		EXPECT_EQ(0x60, ip6[0] & 0xf0);
		EXPECT_EQ(24, (ip6[4] << 8) | ip6[5]);
		EXPECT_EQ(IPPROTO_TCP, ip6[6]);
		EXPECT_EQ(64, ip6[7]);
		EXPECT_EQ(0, memcmp(ip6 + 8, in.buf + l3 + 24, 16));
		EXPECT_EQ(0, memcmp(ip6 + 24, in.buf + l3 + 8, 16));
		s = sum16(ip6 + 8, 32, IPPROTO_TCP + 24);
	} else {
		const unsigned char *ip = o + l3;

		EXPECT_EQ(0x45, ip[0]);
		EXPECT_EQ(44, (ip[2] << 8) | ip[3]);
		EXPECT_EQ(0x40, ip[6]); /* DF */
		EXPECT_EQ(64, ip[8]);
		EXPECT_EQ(IPPROTO_TCP, ip[9]);
		EXPECT_EQ(0, memcmp(ip + 12, in.buf + l3 + 16, 4));
		EXPECT_EQ(0, memcmp(ip + 16, in.buf + l3 + 12, 4));
		EXPECT_EQ(0xffff, sum16(ip, 20, 0));
		s = sum16(ip + 12, 8, IPPROTO_TCP + 24);
	}
	ot = o + l3 + iplen;
	EXPECT_EQ(9971, (ot[0] << 8) | ot[1]);
	EXPECT_EQ(40000, (ot[2] << 8) | ot[3]);
	/* ack = their seq + 1, wrapping */
	EXPECT_EQ(0xfffffff1, ntohl(*(const __u32 *)(ot + 8)));
	EXPECT_EQ(0x60, ot[12]); /* doff 6 */
	EXPECT_EQ(0x12, ot[13]); /* SYN|ACK only */
	EXPECT_EQ(64240, (ot[14] << 8) | ot[15]);
	EXPECT_EQ(0, (ot[18] << 8) | ot[19]);
	EXPECT_EQ(0, memcmp(ot + 20, "\x02\x04\x05\xb4", 4)); /* MSS 1460 */
	EXPECT_EQ(0xffff, sum16(ot, 24, s));
}

TEST_F(xdp, syn_gets_synack)
{
	struct amtsca_counters c;
	int v6, nvlan;

	for (v6 = 0; v6 < 2; v6++)
		for (nvlan = 0; nvlan < 3; nvlan++)
			check_synack(_metadata, self->skel, v6, nvlan);
	read_counters(self->skel, &c);
	EXPECT_EQ(6, c.port_tcp);
	EXPECT_EQ(6, c.syn_ack);
	EXPECT_EQ(0, c.pass_other);
}

TEST_F(xdp, truncated_frames_pass)
{
	struct frame in, out;
	size_t cut;
	__u32 ret;

	build_frame(&in, 0, 1, IPPROTO_TCP, 9971);
	/* Below ETH_HLEN test_run refuses the frame itself. */
	for (cut = ETH_HLEN; cut < in.len; cut++) {
		struct frame t = in;

		t.len = cut;
		ASSERT_EQ(0, run_frame(self->skel, &t, &out, &ret));
		EXPECT_EQ(XDP_PASS, ret) TH_LOG("cut at %zu", cut);
	}
}

TEST_HARNESS_MAIN
