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
	int to_sca_port;
};

static const struct pass_case pass_cases[] = {
	{ 0, 0, IPPROTO_UDP, 9971, 0 }, { 1, 0, IPPROTO_UDP, 9971, 0 },
	{ 0, 0, IPPROTO_TCP, 80, 0 },	{ 1, 1, IPPROTO_TCP, 443, 0 },
	{ 0, 2, IPPROTO_TCP, 9972, 0 }, { 0, 0, IPPROTO_TCP, 9971, 1 },
	{ 1, 0, IPPROTO_TCP, 9971, 1 }, { 0, 1, IPPROTO_TCP, 9971, 1 },
	{ 1, 2, IPPROTO_TCP, 9971, 1 },
};

TEST_F(xdp, classify_and_pass_untouched)
{
	struct amtsca_counters c;
	__u64 other = 0, port = 0;
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
		if (pc->to_sca_port)
			port++;
		else
			other++;
	}
	read_counters(self->skel, &c);
	EXPECT_EQ(i, c.rx_total);
	EXPECT_EQ(other, c.pass_other);
	EXPECT_EQ(port, c.port_tcp);
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
