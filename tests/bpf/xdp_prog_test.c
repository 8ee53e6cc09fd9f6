// SPDX-License-Identifier: GPL-2.0-only
/*
 * Packet-in/packet-out tests of bpf/amtsca.bpf.c through BPF_PROG_TEST_RUN:
 * each case checks the verdict, that a passed frame leaves byte for byte
 * unchanged or every byte of the reply, the ring-buffer records and the
 * per-CPU counters summed over CPUs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
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
#include "amtsca/device_state.h"
#include "amtsca.skel.h"
#include "hello_corpus.h"
#include "siphash.h"
#include "siphash_ref.h"
#include "tcp_frame.h"

#define DEV_SEQ 0xfffffff0u

/* A SYN (or UDP datagram) without payload. */
static void build_frame(struct frame *f, int v6, int nvlan, int l4proto,
			unsigned short dport)
{
	build_segment(f, v6, nvlan, l4proto, dport, TH_SYN, DEV_SEQ, 0, NULL,
		      0);
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

/* Sum the per-CPU counters; every field of the struct is a __u64. */
static void read_counters(struct amtsca *skel, struct amtsca_counters *sum)
{
	int ncpu = libbpf_num_possible_cpus();
	struct amtsca_counters percpu[ncpu > 0 ? ncpu : 1];
	__u64 *out = (__u64 *)sum;
	__u32 key = 0;
	size_t f;
	int i;

	memset(sum, 0, sizeof(*sum));
	if (ncpu <= 0 ||
	    bpf_map__lookup_elem(skel->maps.amtsca_counters, &key, sizeof(key),
				 percpu, sizeof(percpu), 0))
		return;
	for (i = 0; i < ncpu; i++)
		for (f = 0; f < sizeof(*sum) / sizeof(__u64); f++)
			out[f] += ((__u64 *)&percpu[i])[f];
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

/*
 * Check every byte of the reply out to the segment in: MACs, addresses
 * and ports swapped, IP header fields, ack and flags, window, checksums
 * (recomputed here); a SYN-ACK carries the MSS option. seq is checked when
 * want_seq is not NULL, else returned in *seq (the cookie).
 */
static void check_reply(struct __test_metadata *_metadata,
			const struct frame *in, const struct frame *out, int v6,
			int nvlan, const unsigned int *want_seq,
			unsigned int *seq, unsigned int ack,
			unsigned char flags)
{
	size_t l3 = 14 + 4 * nvlan, iplen = v6 ? 40 : 20;
	size_t tcplen = flags & TH_SYN ? 24 : 20;
	const unsigned char *o = out->buf, *ot;
	unsigned int s;

	ASSERT_EQ(l3 + iplen + tcplen, out->len);
	EXPECT_EQ(0, memcmp(o, in->buf + 6, 6));
	EXPECT_EQ(0, memcmp(o + 6, in->buf, 6));
	EXPECT_EQ(0, memcmp(o + 12, in->buf + 12, l3 - 12));
	if (v6) {
		const unsigned char *ip6 = o + l3;

		EXPECT_EQ(0x60, ip6[0]);
		EXPECT_EQ(0, ip6[1] | ip6[2] | ip6[3]);
		EXPECT_EQ(tcplen, (size_t)((ip6[4] << 8) | ip6[5]));
		EXPECT_EQ(IPPROTO_TCP, ip6[6]);
		EXPECT_EQ(64, ip6[7]);
		EXPECT_EQ(0, memcmp(ip6 + 8, in->buf + l3 + 24, 16));
		EXPECT_EQ(0, memcmp(ip6 + 24, in->buf + l3 + 8, 16));
		s = sum16(ip6 + 8, 32, IPPROTO_TCP + tcplen);
	} else {
		const unsigned char *ip = o + l3;

		EXPECT_EQ(0x45, ip[0]);
		EXPECT_EQ(0, ip[1]);
		EXPECT_EQ(20 + tcplen, (size_t)((ip[2] << 8) | ip[3]));
		EXPECT_EQ(0, ip[4] | ip[5]); /* id */
		EXPECT_EQ(0x40, ip[6]); /* DF */
		EXPECT_EQ(0, ip[7]);
		EXPECT_EQ(64, ip[8]);
		EXPECT_EQ(IPPROTO_TCP, ip[9]);
		EXPECT_EQ(0, memcmp(ip + 12, in->buf + l3 + 16, 4));
		EXPECT_EQ(0, memcmp(ip + 16, in->buf + l3 + 12, 4));
		EXPECT_EQ(0xffff, sum16(ip, 20, 0));
		s = sum16(ip + 12, 8, IPPROTO_TCP + tcplen);
	}
	ot = o + l3 + iplen;
	EXPECT_EQ(9971, (ot[0] << 8) | ot[1]);
	EXPECT_EQ(40000, (ot[2] << 8) | ot[3]);
	if (want_seq) {
		EXPECT_EQ(*want_seq, ntohl(*(const __u32 *)(ot + 4)));
	} else {
		*seq = ntohl(*(const __u32 *)(ot + 4));
	}
	EXPECT_EQ(ack, ntohl(*(const __u32 *)(ot + 8)));
	EXPECT_EQ(tcplen / 4 << 4, ot[12]);
	EXPECT_EQ(flags, ot[13]);
	EXPECT_EQ(64240, (ot[14] << 8) | ot[15]);
	EXPECT_EQ(0, (ot[18] << 8) | ot[19]);
	if (tcplen == 24) {
		EXPECT_EQ(0, memcmp(ot + 20, "\x02\x04\x05\xb4", 4)); /* MSS */
	}
	EXPECT_EQ(0xffff, sum16(ot, tcplen, s));
}

/* A SYN to the SCA port: SYN-ACK, every byte checked; returns the cookie. */
static unsigned int check_synack(struct __test_metadata *_metadata,
				 struct amtsca *skel, int v6, int nvlan)
{
	struct frame in, out;
	unsigned int cookie = 0;
	__u32 ret;

	build_frame(&in, v6, nvlan, IPPROTO_TCP, 9971);
	EXPECT_EQ(0, run_frame(skel, &in, &out, &ret));
	EXPECT_EQ(XDP_TX, ret);
	/* ack = their seq + 1, wrapping */
	check_reply(_metadata, &in, &out, v6, nvlan, NULL, &cookie, DEV_SEQ + 1,
		    TH_SYN | TH_ACK);
	return cookie;
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

#define EVENTS_KEPT 8

struct events {
	struct amtsca_hello_event ev[EVENTS_KEPT];
	int n;
};

static int on_event(void *ctx, void *data, size_t size)
{
	struct events *e = ctx;

	const struct amtsca_hello_event *rec = data;

	/* Exactly the header and the Hello's bytes (bpf_abi.h). */
	if (size < AMTSCA_HELLO_EVENT_HDR ||
	    size != AMTSCA_HELLO_EVENT_HDR + rec->len)
		return -1;
	if (e->n < EVENTS_KEPT)
		memcpy(&e->ev[e->n], data, size);
	e->n++;
	return 0;
}

/* Read every record in the ring buffer; returns the count or -1. */
static int drain_events(struct amtsca *skel, struct events *e)
{
	struct ring_buffer *rb;
	int err;

	e->n = 0;
	rb = ring_buffer__new(bpf_map__fd(skel->maps.amtsca_events), on_event,
			      e, NULL);
	if (!rb)
		return -1;
	err = ring_buffer__consume(rb);
	ring_buffer__free(rb);
	return err < 0 ? -1 : e->n;
}

/*
 * The device's side of a connection up to its Hello: SYN (SYN-ACK checked,
 * cookie returned), then one ACK|PSH data segment carrying payload.
 */
static unsigned int send_hello(struct __test_metadata *_metadata,
			       struct amtsca *skel, int v6, int nvlan,
			       const unsigned char *payload, size_t plen,
			       struct frame *in, struct frame *out, __u32 *ret)
{
	unsigned int cookie = check_synack(_metadata, skel, v6, nvlan);

	build_segment(in, v6, nvlan, IPPROTO_TCP, 9971, TH_ACK | TH_PSH,
		      DEV_SEQ + 1, cookie + 1, payload, plen);
	EXPECT_EQ(0, run_frame(skel, in, out, ret));
	return cookie;
}

/*
 * A Hello exchange answered by XDP_TX with reply flags, every byte
 * checked; returns the cookie.
 */
static unsigned int hello_exchange(struct __test_metadata *_metadata,
				   struct amtsca *skel, int v6, int nvlan,
				   const unsigned char *payload, size_t plen,
				   unsigned char flags)
{
	struct frame in, out;
	unsigned int cookie, seq;
	__u32 ret;

	cookie = send_hello(_metadata, skel, v6, nvlan, payload, plen, &in,
			    &out, &ret);
	seq = cookie + 1;
	EXPECT_EQ(XDP_TX, ret);
	check_reply(_metadata, &in, &out, v6, nvlan, &seq, NULL,
		    DEV_SEQ + 1 + plen, flags);
	return cookie;
}

/*
 * Send one segment of the device's connection (cookie from its SYN-ACK)
 * starting at byte off of its stream and expect a reply (XDP_TX) with the
 * given ack and flags, every byte checked, or, with flags 0, a drop.
 */
static void segment_exchange(struct __test_metadata *_metadata,
			     struct amtsca *skel, int v6, int nvlan,
			     unsigned int cookie, unsigned char seg_flags,
			     size_t off, const unsigned char *payload,
			     size_t plen, unsigned int want_ack,
			     unsigned char flags)
{
	unsigned int seq = cookie + 1;
	struct frame in, out;
	__u32 ret;

	build_segment(&in, v6, nvlan, IPPROTO_TCP, 9971, seg_flags,
		      DEV_SEQ + 1 + off, cookie + 1, payload, plen);
	ASSERT_EQ(0, run_frame(skel, &in, &out, &ret));
	if (!flags) {
		EXPECT_EQ(XDP_DROP, ret);
		return;
	}
	EXPECT_EQ(XDP_TX, ret);
	check_reply(_metadata, &in, &out, v6, nvlan, &seq, NULL, want_ack,
		    flags);
}

/* The amtsca_recent slot of the Hello's UUID (bpf_abi.h). */
static __u32 recent_slot(const unsigned char *hello)
{
	__u32 w[4];

	memcpy(w, hello + 8, sizeof(w));
	return amtsca_recent_slot(w);
}

/*
 * The program's mark of the Hello's device in amtsca_recent: its expiry,
 * or 0 when the slot holds no mark of this device.
 */
static __u64 recent_mark(struct amtsca *skel, const unsigned char *hello)
{
	__u32 slot = recent_slot(hello);
	struct amtsca_recent r;

	if (bpf_map__lookup_elem(skel->maps.amtsca_recent, &slot, sizeof(slot),
				 &r, sizeof(r), 0) ||
	    memcmp(r.uuid, hello + 8, sizeof(r.uuid)))
		return 0;
	return r.expires_ns;
}

static void set_recent_mark(struct amtsca *skel, const unsigned char *hello,
			    __u64 expires_ns)
{
	struct amtsca_recent r = { .expires_ns = expires_ns };
	__u32 slot = recent_slot(hello);

	memcpy(r.uuid, hello + 8, sizeof(r.uuid));
	bpf_map__update_elem(skel->maps.amtsca_recent, &slot, sizeof(slot), &r,
			     sizeof(r), BPF_ANY);
}

/* Set the amtsca_known bits of the UUID at uuid (bpf_abi.h). */
static void set_known(struct amtsca *skel, const unsigned char *uuid)
{
	__u32 w[4], word;
	__u64 v = 0, h;

	memcpy(w, uuid, sizeof(w));
	h = amtsca_known_hash(w);
	word = amtsca_known_word(h);
	bpf_map__lookup_elem(skel->maps.amtsca_known, &word, sizeof(word), &v,
			     sizeof(v), 0);
	v |= amtsca_known_mask(h);
	bpf_map__update_elem(skel->maps.amtsca_known, &word, sizeof(word), &v,
			     sizeof(v), BPF_ANY);
}

/*
 * What the daemon (xdp_backend_set_device_state) does with a device's
 * state: set its amtsca_known bit, write its entry, or delete it for
 * AMTSCA_DEV_UNKNOWN, and clear the program's mark of it.
 */
static void write_device(struct amtsca *skel, const unsigned char *hello,
			 __u32 state, __u64 expires_ns)
{
	struct amtsca_dev_entry e = { .state = state,
				      .expires_ns = expires_ns };
	struct amtsca_dev_key key;

	memcpy(key.uuid, hello + 8, sizeof(key.uuid));
	set_known(skel, key.uuid);
	if (state == AMTSCA_DEV_UNKNOWN)
		bpf_map__delete_elem(skel->maps.amtsca_devices, &key,
				     sizeof(key), 0);
	else
		bpf_map__update_elem(skel->maps.amtsca_devices, &key,
				     sizeof(key), &e, sizeof(e), BPF_ANY);
	if (recent_mark(skel, hello))
		set_recent_mark(skel, hello, 0);
}

/* Done with a device: the same Hello raises an event again. */
static void forget_device(struct amtsca *skel, const unsigned char *hello)
{
	write_device(skel, hello, AMTSCA_DEV_UNKNOWN, 0);
}

static void load_corpus_file(struct __test_metadata *_metadata,
			     const char *name, unsigned char **data,
			     size_t *len)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", HELLO_CORPUS_DIR, name);
	ASSERT_EQ(0, read_whole_file(path, data, len));
}

/* The program's clock: bpf_ktime_get_coarse_ns(), CLOCK_MONOTONIC_COARSE. */
static __u64 monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* The event record matches the Hello sent in frame in. */
static void check_event(struct __test_metadata *_metadata,
			const struct amtsca_hello_event *ev, int v6, int nvlan,
			const unsigned char *hello, size_t len, __u64 t0)
{
	unsigned char sa[16] = {}, da[16] = {};

	if (v6) {
		inet_pton(AF_INET6, "fd00::2", sa);
		inet_pton(AF_INET6, "fd00::1", da);
	} else {
		inet_pton(AF_INET, "198.18.0.2", sa);
		inet_pton(AF_INET, "198.18.0.1", da);
	}
	EXPECT_EQ(v6 ? 6 : 4, ev->ip_version);
	EXPECT_EQ(0, memcmp(ev->saddr, sa, 16));
	EXPECT_EQ(0, memcmp(ev->daddr, da, 16));
	EXPECT_EQ(40000, ev->sport);
	EXPECT_EQ(9971, ev->dport);
	EXPECT_EQ(nvlan > 0 ? 100 : 0, ev->vlan_id[0]);
	EXPECT_EQ(nvlan > 1 ? 101 : 0, ev->vlan_id[1]);
	/* BPF_PROG_TEST_RUN delivers on the namespace's loopback device. */
	EXPECT_EQ(if_nametoindex("lo"), ev->ifindex);
	EXPECT_LE(t0, ev->ktime_ns);
	EXPECT_GE(monotonic_ns(), ev->ktime_ns);
	ASSERT_EQ(len, ev->len);
	EXPECT_EQ(0, memcmp(ev->data, hello, len));
}

TEST_F(xdp, valid_hello_gets_event_and_ackfin)
{
	struct amtsca_counters c;
	unsigned char *hello;
	struct events ev;
	size_t len;
	int v6, nvlan;

	load_corpus_file(_metadata, "meshcentral-841.bin", &hello, &len);
	for (v6 = 0; v6 < 2; v6++) {
		for (nvlan = 0; nvlan < 3; nvlan++) {
			__u64 t0 = monotonic_ns();

			hello_exchange(_metadata, self->skel, v6, nvlan, hello,
				       len, TH_FIN | TH_ACK);
			ASSERT_EQ(1, drain_events(self->skel, &ev));
			check_event(_metadata, &ev.ev[0], v6, nvlan, hello, len,
				    t0);
			forget_device(self->skel, hello);
		}
	}
	free(hello);
	read_counters(self->skel, &c);
	EXPECT_EQ(12, c.port_tcp);
	EXPECT_EQ(6, c.syn_ack);
	EXPECT_EQ(6, c.hello_event);
	EXPECT_EQ(6, c.ack_fin);
	EXPECT_EQ(0, c.rst);
	EXPECT_EQ(0, c.bad_cookie);
}

TEST_F(xdp, invalid_hello_gets_rst_by_reason)
{
	struct amtsca_counters c;
	unsigned char *hello;
	struct events ev;
	size_t len;

	load_corpus_file(_metadata, "meshcentral-841.bin", &hello, &len);
	hello[2] = 4; /* version 4 */
	hello_exchange(_metadata, self->skel, 1, 1, hello, len,
		       TH_RST | TH_ACK);
	hello[2] = 3;
	/* One byte short and closed (FIN): the last hash is truncated. */
	{
		unsigned int cookie = check_synack(_metadata, self->skel, 0, 0);

		segment_exchange(_metadata, self->skel, 0, 0, cookie,
				 TH_ACK | TH_PSH | TH_FIN, 0, hello, len - 1,
				 DEV_SEQ + len + 1, TH_RST | TH_ACK);
	}
	free(hello);
	EXPECT_EQ(0, drain_events(self->skel, &ev));
	read_counters(self->skel, &c);
	EXPECT_EQ(1, c.hello_invalid[AMT_HELLO_ERR_VERSION]);
	EXPECT_EQ(1, c.hello_invalid[AMT_HELLO_ERR_TRUNCATED_HASH]);
	EXPECT_EQ(2, c.rst);
	EXPECT_EQ(0, c.ack_fin);
	EXPECT_EQ(0, c.hello_event);
}

static int reason_of(const char *verdict)
{
	int r;

	for (r = 0; r < AMT_HELLO_REASON_COUNT; r++)
		if (!strcmp(verdict, amt_hello_reason_str(r)))
			return r;
	return -1;
}

/* The reasons that mean only "more bytes to come" (bpf: hello_incomplete). */
static int hello_incomplete(int reason)
{
	return reason == AMT_HELLO_ERR_TRUNCATED_HEADER ||
	       reason == AMT_HELLO_ERR_PSK_LENGTH ||
	       reason == AMT_HELLO_ERR_TRUNCATED_COUNT ||
	       reason == AMT_HELLO_ERR_TRUNCATED_ENTRY ||
	       reason == AMT_HELLO_ERR_TRUNCATED_HASH;
}

/*
 * Differential test against the userspace verdicts: every corpus file
 * with a payload, sent as a data segment (alternating IPv4/IPv6 and 0-2
 * VLAN tags), gets the verdict of expect.tsv: ok -> ACK+FIN and a record
 * with the same bytes; a reason that means "incomplete" -> ACK (the Hello
 * may go on), then the device's FIN -> RST+ACK counted under that reason;
 * any other reason -> RST+ACK counted under it.
 */
TEST_F(xdp, hello_corpus_verdicts)
{
	__u64 want[AMT_HELLO_REASON_COUNT] = {};
	struct amtsca_counters c;
	struct hello_case *cases;
	int i, n, sent = 0, valid = 0;

	n = hello_corpus_load(&cases);
	ASSERT_LT(0, n);
	for (i = 0; i < n; i++) {
		const struct hello_case *hc = &cases[i];
		int reason = reason_of(hc->verdict), v6 = i & 1;
		int nvlan = i % 3;
		struct events ev;

		ASSERT_LE(0, reason)
		TH_LOG("%s: verdict %s", hc->file, hc->verdict);
		/* No payload is no data segment (a pure ACK). */
		if (!hc->len)
			continue;
		ASSERT_GE(FRAME_MAX - 80, hc->len) TH_LOG("%s", hc->file);
		if (hello_incomplete(reason)) {
			/* Kept and acknowledged; the device's FIN ends it. */
			unsigned int cookie =
				hello_exchange(_metadata, self->skel, v6, nvlan,
					       hc->data, hc->len, TH_ACK);

			segment_exchange(_metadata, self->skel, v6, nvlan,
					 cookie, TH_FIN | TH_ACK, hc->len, NULL,
					 0, DEV_SEQ + 2 + hc->len,
					 TH_RST | TH_ACK);
		} else {
			hello_exchange(_metadata, self->skel, v6, nvlan,
				       hc->data, hc->len,
				       reason == AMT_HELLO_OK ?
					       TH_FIN | TH_ACK :
					       TH_RST | TH_ACK);
		}
		EXPECT_EQ(reason == AMT_HELLO_OK, drain_events(self->skel, &ev))
		TH_LOG("%s", hc->file);
		if (hc->len >= 24)
			forget_device(self->skel, hc->data);
		if (reason == AMT_HELLO_OK && ev.n == 1) {
			EXPECT_EQ(hc->len, ev.ev[0].len);
			EXPECT_EQ(0, memcmp(ev.ev[0].data, hc->data, hc->len));
		}
		want[reason]++;
		valid += reason == AMT_HELLO_OK;
		sent++;
	}
	hello_corpus_free(cases, n);
	read_counters(self->skel, &c);
	for (i = 1; i < AMT_HELLO_REASON_COUNT; i++)
		EXPECT_EQ(want[i], c.hello_invalid[i])
	TH_LOG("reason %s", amt_hello_reason_str(i));
	EXPECT_EQ((__u64)valid, c.hello_event);
	EXPECT_EQ((__u64)valid, c.ack_fin);
	EXPECT_EQ((__u64)(sent - valid), c.rst);
	EXPECT_LT(0, valid);
	EXPECT_LT(valid, sent);
}

TEST_F(xdp, data_without_valid_cookie_dropped)
{
	struct amtsca_counters c;
	struct frame in, out;
	unsigned char *hello;
	struct events ev;
	size_t len;
	__u32 ret;

	load_corpus_file(_metadata, "meshcentral-807.bin", &hello, &len);
	build_segment(&in, 0, 0, IPPROTO_TCP, 9971, TH_ACK | TH_PSH,
		      DEV_SEQ + 1, 0x12345678, hello, len);
	ASSERT_EQ(0, run_frame(self->skel, &in, &out, &ret));
	EXPECT_EQ(XDP_DROP, ret);
	free(hello);
	EXPECT_EQ(0, drain_events(self->skel, &ev));
	read_counters(self->skel, &c);
	EXPECT_EQ(1, c.bad_cookie);
	EXPECT_EQ(0, c.hello_event + c.ack_fin + c.rst);
}

/* The SipHash-2-4 reference against the paper's vectors (key 00..0f). */
TEST(siphash_reference_vectors)
{
	static const struct {
		size_t len;
		uint64_t hash;
	} vec[] = { { 0, 0x726fdb47dd0e0e31ull },
		    { 8, 0x93f5f5799a932462ull },
		    { 15, 0xa129ca6149be45e5ull },
		    { 16, 0x3f2acc7f57c29bdbull } };
	uint8_t key[16], msg[16];
	size_t i;

	for (i = 0; i < 16; i++)
		key[i] = msg[i] = i;
	for (i = 0; i < sizeof(vec) / sizeof(vec[0]); i++)
		EXPECT_EQ(vec[i].hash, siphash(2, 4, key, msg, vec[i].len))
	TH_LOG("length %zu", vec[i].len);
}

static const uint64_t test_cookie_key[2] = { 0x0123456789abcdefull,
					     0xfedcba9876543210ull };

static void set_cookie_key(struct __test_metadata *_metadata,
			   struct amtsca *skel, const uint64_t key[2])
{
	struct amtsca_xdp_config cfg = { 0 };
	__u32 zero = 0;

	cfg.cookie_key[0] = key[0];
	cfg.cookie_key[1] = key[1];
	ASSERT_EQ(0, bpf_map__update_elem(skel->maps.amtsca_config, &zero,
					  sizeof(zero), &cfg, sizeof(cfg),
					  BPF_ANY));
}

/* The reference cookie of build_segment's connection (DEV_SEQ) at tick t. */
static uint32_t ref_cookie(int v6, const struct frame *syn, int nvlan,
			   uint64_t t)
{
	const unsigned char *l3 = syn->buf + 14 + 4 * nvlan;
	const unsigned char *th = l3 + (v6 ? 40 : 20);
	uint16_t sport, dport;
	uint32_t isn;

	memcpy(&sport, th, 2);
	memcpy(&dport, th + 2, 2);
	memcpy(&isn, th + 4, 4);
	return syncookie_ref(test_cookie_key, v6, l3 + (v6 ? 8 : 12),
			     l3 + (v6 ? 24 : 16), sport, dport, isn, t);
}

/*
 * The program's SYN cookie is the reference's (bpf_abi.h "SYN cookie")
 * for IPv4 and IPv6 with and without VLAN tags; a data segment is
 * accepted with the cookie of this tick or the one before, refused with
 * one of two ticks ago (expired) or under another key.
 */
TEST_F(xdp, syncookie_matches_reference)
{
	struct amtsca_counters c;
	unsigned char *hello;
	struct events ev;
	size_t len;
	int v6, nvlan, age;

	set_cookie_key(_metadata, self->skel, test_cookie_key);
	load_corpus_file(_metadata, "meshcentral-807.bin", &hello, &len);
	for (v6 = 0; v6 < 2; v6++) {
		for (nvlan = 0; nvlan < 3; nvlan++) {
			struct frame syn;
			uint64_t t0, t1;
			uint32_t cookie;

			build_frame(&syn, v6, nvlan, IPPROTO_TCP, 9971);
			t0 = monotonic_ns() >> AMTSCA_COOKIE_TICK_SHIFT;
			cookie = check_synack(_metadata, self->skel, v6, nvlan);
			t1 = monotonic_ns() >> AMTSCA_COOKIE_TICK_SHIFT;
			EXPECT_TRUE(cookie == ref_cookie(v6, &syn, nvlan, t0) ||
				    cookie == ref_cookie(v6, &syn, nvlan, t1));
		}
		for (age = 0; age < 3; age++) {
			uint64_t t =
				(monotonic_ns() >> AMTSCA_COOKIE_TICK_SHIFT) -
				age;
			struct frame syn;

			build_frame(&syn, v6, 0, IPPROTO_TCP, 9971);
			segment_exchange(_metadata, self->skel, v6, 0,
					 ref_cookie(v6, &syn, 0, t),
					 TH_ACK | TH_PSH, 0, hello, len,
					 DEV_SEQ + 1 + len,
					 age < 2 ? TH_FIN | TH_ACK : 0);
			EXPECT_EQ(age < 2, drain_events(self->skel, &ev))
			TH_LOG("v6 %d, %d ticks old", v6, age);
			forget_device(self->skel, hello);
		}
	}
	free(hello);
	read_counters(self->skel, &c);
	EXPECT_EQ(6, c.syn_ack);
	EXPECT_EQ(4, c.hello_event);
	EXPECT_EQ(2, c.bad_cookie);
}

TEST_F(xdp, ring_full_drops_without_ack)
{
	struct amtsca_counters c;
	unsigned char *hello;
	struct events ev;
	int i, tx = 0, drop = 0;
	size_t len;

	load_corpus_file(_metadata, "meshcentral-841.bin", &hello, &len);
	/* 256 KiB of ~910-byte records: full after about 280. */
	for (i = 0; i < 400; i++) {
		struct frame in, out;
		__u32 ret;

		send_hello(_metadata, self->skel, 0, 0, hello, len, &in, &out,
			   &ret);
		/* Dropped for a full ring: no mark, the resend is queued. */
		if (ret == XDP_DROP)
			EXPECT_EQ(0, recent_mark(self->skel, hello));
		forget_device(self->skel, hello);
		tx += ret == XDP_TX;
		drop += ret == XDP_DROP;
	}
	EXPECT_EQ(400, tx + drop);
	EXPECT_LT(0, drop);
	EXPECT_EQ(tx, drain_events(self->skel, &ev));
	/* Drained, the retransmitted Hello is queued. */
	hello_exchange(_metadata, self->skel, 0, 0, hello, len,
		       TH_FIN | TH_ACK);
	EXPECT_EQ(1, drain_events(self->skel, &ev));
	tx++;
	free(hello);
	read_counters(self->skel, &c);
	EXPECT_EQ((__u64)drop, c.ring_full);
	EXPECT_EQ((__u64)tx, c.hello_event);
	EXPECT_EQ((__u64)tx, c.ack_fin);
}

/*
 * The device's FIN right behind a Hello dropped for a full ring is dropped
 * too: its ACK would acknowledge the lost Hello. The Hello sent again once
 * the ring has room is queued, and the FIN after our ACK+FIN acknowledged.
 */
TEST_F(xdp, fin_behind_dropped_hello_not_acked)
{
	unsigned int cookie = 0, seq;
	struct amtsca_counters c;
	struct frame in, out;
	unsigned char *hello;
	struct events ev;
	__u32 ret = XDP_TX;
	size_t len;
	int i;

	load_corpus_file(_metadata, "meshcentral-841.bin", &hello, &len);
	for (i = 0; i < 400 && ret != XDP_DROP; i++) {
		cookie = send_hello(_metadata, self->skel, 0, 0, hello, len,
				    &in, &out, &ret);
		forget_device(self->skel, hello);
	}
	ASSERT_EQ(XDP_DROP, ret);
	build_segment(&in, 0, 0, IPPROTO_TCP, 9971, TH_FIN | TH_ACK,
		      DEV_SEQ + 1 + len, cookie + 1, NULL, 0);
	ASSERT_EQ(0, run_frame(self->skel, &in, &out, &ret));
	EXPECT_EQ(XDP_DROP, ret);
	EXPECT_EQ(i - 1, drain_events(self->skel, &ev));
	build_segment(&in, 0, 0, IPPROTO_TCP, 9971, TH_ACK | TH_PSH,
		      DEV_SEQ + 1, cookie + 1, hello, len);
	ASSERT_EQ(0, run_frame(self->skel, &in, &out, &ret));
	EXPECT_EQ(XDP_TX, ret);
	seq = cookie + 1;
	check_reply(_metadata, &in, &out, 0, 0, &seq, NULL, DEV_SEQ + 1 + len,
		    TH_FIN | TH_ACK);
	EXPECT_EQ(1, drain_events(self->skel, &ev));
	build_segment(&in, 0, 0, IPPROTO_TCP, 9971, TH_FIN | TH_ACK,
		      DEV_SEQ + 1 + len, cookie + 2, NULL, 0);
	ASSERT_EQ(0, run_frame(self->skel, &in, &out, &ret));
	EXPECT_EQ(XDP_TX, ret);
	free(hello);
	read_counters(self->skel, &c);
	EXPECT_EQ(1, c.ring_full);
	EXPECT_EQ(1, c.fin_unacked);
	EXPECT_EQ(1, c.fin_ack);
}

/*
 * Suppressed and invalid Hellos take no ring space: after 200 of each,
 * unread, a new device's Hello still gets its record.
 */
TEST_F(xdp, duplicates_and_garbage_leave_the_ring_free)
{
	struct amtsca_counters c;
	struct frame in, out;
	unsigned char *hello;
	struct events ev;
	size_t len;
	__u32 ret;
	int i;

	load_corpus_file(_metadata, "meshcentral-841.bin", &hello, &len);
	for (i = 0; i < 201; i++) {
		send_hello(_metadata, self->skel, 0, 0, hello, len, &in, &out,
			   &ret);
		EXPECT_EQ(XDP_TX, ret);
	}
	hello[0] ^= 0xff; /* admin_credentials_set out of range: invalid */
	for (i = 0; i < 200; i++) {
		send_hello(_metadata, self->skel, 0, 0, hello, len, &in, &out,
			   &ret);
		EXPECT_EQ(XDP_TX, ret);
	}
	hello[0] ^= 0xff;
	hello[8] ^= 0xff; /* another device */
	send_hello(_metadata, self->skel, 0, 0, hello, len, &in, &out, &ret);
	EXPECT_EQ(XDP_TX, ret);
	free(hello);
	EXPECT_EQ(2, drain_events(self->skel, &ev));
	read_counters(self->skel, &c);
	EXPECT_EQ(0, c.ring_full);
	EXPECT_EQ(2, c.hello_event);
	EXPECT_EQ(200, c.suppressed);
	EXPECT_EQ(200, c.rst);
}

/* The device's FIN after our ACK+FIN gets an ACK, every byte checked. */
TEST_F(xdp, device_fin_gets_ack)
{
	struct amtsca_counters c;
	unsigned char *hello;
	int v6, nvlan;
	size_t len;

	load_corpus_file(_metadata, "meshcentral-807.bin", &hello, &len);
	for (v6 = 0; v6 < 2; v6++) {
		for (nvlan = 0; nvlan < 3; nvlan++) {
			unsigned int cookie, seq;
			struct frame in, out;
			__u32 ret;

			cookie = check_synack(_metadata, self->skel, v6, nvlan);
			/* Our FIN took cookie + 1; theirs is at seq + 1 + len. */
			build_segment(&in, v6, nvlan, IPPROTO_TCP, 9971,
				      TH_FIN | TH_ACK, DEV_SEQ + 1 + len,
				      cookie + 2, NULL, 0);
			ASSERT_EQ(0, run_frame(self->skel, &in, &out, &ret));
			EXPECT_EQ(XDP_TX, ret);
			seq = cookie + 2;
			check_reply(_metadata, &in, &out, v6, nvlan, &seq, NULL,
				    DEV_SEQ + 2 + len, TH_ACK);
		}
	}
	free(hello);
	read_counters(self->skel, &c);
	EXPECT_EQ(6, c.fin_ack);
	EXPECT_EQ(0, c.hello_event + c.ack_fin + c.rst + c.stray);
}

/* A Hello with FIN set in the same segment: the ack covers the FIN too. */
TEST_F(xdp, hello_with_fin_acks_the_fin)
{
	unsigned int cookie, seq;
	struct frame in, out;
	unsigned char *hello;
	struct events ev;
	size_t len;
	__u32 ret;

	load_corpus_file(_metadata, "meshcentral-807.bin", &hello, &len);
	cookie = check_synack(_metadata, self->skel, 0, 1);
	build_segment(&in, 0, 1, IPPROTO_TCP, 9971, TH_FIN | TH_ACK | TH_PSH,
		      DEV_SEQ + 1, cookie + 1, hello, len);
	ASSERT_EQ(0, run_frame(self->skel, &in, &out, &ret));
	EXPECT_EQ(XDP_TX, ret);
	seq = cookie + 1;
	check_reply(_metadata, &in, &out, 0, 1, &seq, NULL, DEV_SEQ + 2 + len,
		    TH_FIN | TH_ACK);
	free(hello);
	EXPECT_EQ(1, drain_events(self->skel, &ev));
}

/* Pure ACKs and RSTs to the port are dropped and counted. */
TEST_F(xdp, stray_ack_and_rst_dropped)
{
	static const unsigned char flags[] = { TH_ACK, TH_RST,
					       TH_RST | TH_ACK };
	struct amtsca_counters c;
	size_t i;

	for (i = 0; i < sizeof(flags); i++) {
		struct frame in, out;
		__u32 ret;

		build_segment(&in, i & 1, (int)i, IPPROTO_TCP, 9971, flags[i],
			      DEV_SEQ, 0x1000, NULL, 0);
		ASSERT_EQ(0, run_frame(self->skel, &in, &out, &ret));
		EXPECT_EQ(XDP_DROP, ret) TH_LOG("flags 0x%x", flags[i]);
	}
	read_counters(self->skel, &c);
	EXPECT_EQ(3, c.stray);
	EXPECT_EQ(3, c.port_tcp);
	EXPECT_EQ(0, c.fin_ack + c.ack_fin + c.rst + c.syn_ack);
}

/*
 * Device-state de-dup: a valid Hello whose amtsca_devices entry suppresses
 * (amtsca_dev_suppresses) gets ACK+FIN but no event; an expired or UNKNOWN
 * entry does not suppress.
 */
TEST_F(xdp, device_state_suppresses_event)
{
	struct dev_case {
		__u32 state;
		__s64 expires_in_s; /* relative to now; 0 = never expires */
		int suppressed;
	} cases[] = {
		{ AMTSCA_DEV_DONE, 0, 1 },	   { AMTSCA_DEV_QUEUED, 60, 1 },
		{ AMTSCA_DEV_IN_PROGRESS, 60, 1 }, { AMTSCA_DEV_FAILED, -1, 0 },
		{ AMTSCA_DEV_UNKNOWN, 0, 0 },
	};
	int n = sizeof(cases) / sizeof(cases[0]), i, events = 0;
	struct amtsca_dev_entry done = { .state = AMTSCA_DEV_DONE };
	struct amtsca_counters c;
	struct amtsca_dev_key key;
	unsigned char *hello;
	struct events ev;
	__u32 word[4];
	__u64 h, partial;
	size_t len;

	load_corpus_file(_metadata, "meshcentral-841.bin", &hello, &len);
	memcpy(key.uuid, hello + 8, sizeof(key.uuid));
	for (i = 0; i < n; i++) {
		write_device(self->skel, hello, cases[i].state,
			     cases[i].expires_in_s ?
				     monotonic_ns() + cases[i].expires_in_s *
							      1000000000ll :
				     0);
		hello_exchange(_metadata, self->skel, i & 1, i % 3, hello, len,
			       TH_FIN | TH_ACK);
		EXPECT_EQ(!cases[i].suppressed, drain_events(self->skel, &ev))
		TH_LOG("case %d", i);
		events += !cases[i].suppressed;
	}
	/* Another device's suppressing entry does not matter. */
	forget_device(self->skel, hello);
	key.uuid[0] ^= 0xff;
	set_known(self->skel, key.uuid);
	ASSERT_EQ(0, bpf_map__update_elem(self->skel->maps.amtsca_devices, &key,
					  sizeof(key), &done, sizeof(done),
					  BPF_ANY));
	hello_exchange(_metadata, self->skel, 0, 0, hello, len,
		       TH_FIN | TH_ACK);
	EXPECT_EQ(1, drain_events(self->skel, &ev));
	/*
	 * The program looks a device up only when all its amtsca_known bits
	 * are set: a DONE entry written with one of them clear is not seen
	 * (userspace always sets them first), with all of them it suppresses.
	 */
	memcpy(key.uuid, hello + 8, sizeof(key.uuid));
	memcpy(word, key.uuid, sizeof(word));
	h = amtsca_known_hash(word);
	word[0] = amtsca_known_word(h);
	/* Every bit of the device's but its lowest. */
	partial = amtsca_known_mask(h) & (amtsca_known_mask(h) - 1);
	ASSERT_EQ(0, bpf_map__update_elem(self->skel->maps.amtsca_known,
					  &word[0], sizeof(word[0]), &partial,
					  sizeof(partial), BPF_ANY));
	set_recent_mark(self->skel, hello, 0);
	ASSERT_EQ(0, bpf_map__update_elem(self->skel->maps.amtsca_devices, &key,
					  sizeof(key), &done, sizeof(done),
					  BPF_ANY));
	hello_exchange(_metadata, self->skel, 1, 0, hello, len,
		       TH_FIN | TH_ACK);
	EXPECT_EQ(1, drain_events(self->skel, &ev));
	write_device(self->skel, hello, AMTSCA_DEV_DONE, 0);
	hello_exchange(_metadata, self->skel, 1, 0, hello, len,
		       TH_FIN | TH_ACK);
	EXPECT_EQ(0, drain_events(self->skel, &ev));
	free(hello);
	read_counters(self->skel, &c);
	EXPECT_EQ(4, c.suppressed);
	EXPECT_EQ((__u64)events + 2, c.hello_event);
	EXPECT_EQ((__u64)n + 3, c.ack_fin);
}

/*
 * A data segment whose IP length runs past the frame (cut in transit) is
 * dropped as malformed, before any cookie check or ring record.
 */
TEST_F(xdp, truncated_data_segment_dropped)
{
	struct amtsca_counters c;
	struct frame in, out;
	unsigned char *hello;
	unsigned int cookie;
	struct events ev;
	size_t len;
	__u32 ret;

	load_corpus_file(_metadata, "meshcentral-807.bin", &hello, &len);
	cookie = send_hello(_metadata, self->skel, 1, 2, hello, len, &in, &out,
			    &ret);
	EXPECT_EQ(XDP_TX, ret);
	EXPECT_EQ(1, drain_events(self->skel, &ev));
	build_segment(&in, 1, 2, IPPROTO_TCP, 9971, TH_ACK | TH_PSH,
		      DEV_SEQ + 1, cookie + 1, hello, len);
	in.len -= 10;
	ASSERT_EQ(0, run_frame(self->skel, &in, &out, &ret));
	EXPECT_EQ(XDP_DROP, ret);
	free(hello);
	EXPECT_EQ(0, drain_events(self->skel, &ev));
	read_counters(self->skel, &c);
	EXPECT_EQ(1, c.malformed);
	EXPECT_EQ(1, c.hello_event);
	EXPECT_EQ(0, c.bad_cookie + c.rst);
}

static void set_config(struct __test_metadata *_metadata, struct amtsca *skel,
		       const struct amtsca_xdp_config *cfg)
{
	__u32 key = 0;

	ASSERT_EQ(0, bpf_map__update_elem(skel->maps.amtsca_config, &key,
					  sizeof(key), cfg, sizeof(*cfg),
					  BPF_ANY));
}

/* Add addr/prefixlen to amtsca_allow_v4 or amtsca_allow_v6. */
static void allow_prefix(struct __test_metadata *_metadata, struct amtsca *skel,
			 int v6, const char *addr, __u32 prefixlen)
{
	struct amtsca_lpm_v6 k = { .prefixlen = prefixlen };
	struct bpf_map *map = v6 ? skel->maps.amtsca_allow_v6 :
				   skel->maps.amtsca_allow_v4;
	size_t ksize = v6 ? sizeof(struct amtsca_lpm_v6) :
			    sizeof(struct amtsca_lpm_v4);
	__u8 one = 1;

	/* Both keys are prefixlen then the address bytes. */
	ASSERT_EQ(1, inet_pton(v6 ? AF_INET6 : AF_INET, addr, k.addr));
	ASSERT_EQ(0, bpf_map__update_elem(map, &k, ksize, &one, sizeof(one),
					  BPF_ANY));
}

/* A SYN from the test source (198.18.0.2 / fd00::2) is not answered. */
static void check_syn_passes(struct __test_metadata *_metadata,
			     struct amtsca *skel, int v6, int nvlan)
{
	struct frame in, out;
	__u32 ret;

	build_frame(&in, v6, nvlan, IPPROTO_TCP, 9971);
	ASSERT_EQ(0, run_frame(skel, &in, &out, &ret));
	EXPECT_EQ(XDP_PASS, ret);
	ASSERT_EQ(in.len, out.len);
	EXPECT_EQ(0, memcmp(in.buf, out.buf, in.len));
}

/*
 * Allowed prefixes: with none counted in the config every source is
 * answered (even with entries in the tries); with some, a source in a
 * prefix is answered and any other passes to the kernel untouched.
 */
TEST_F(xdp, allowed_prefixes)
{
	struct amtsca_xdp_config cfg = {};
	struct amtsca_counters c;

	allow_prefix(_metadata, self->skel, 0, "198.19.0.0", 16);
	allow_prefix(_metadata, self->skel, 1, "fd01::", 16);
	check_synack(_metadata, self->skel, 0, 0);
	check_synack(_metadata, self->skel, 1, 1);
	cfg.v4_prefixes = 1;
	cfg.v6_prefixes = 1;
	set_config(_metadata, self->skel, &cfg);
	check_syn_passes(_metadata, self->skel, 0, 0);
	check_syn_passes(_metadata, self->skel, 1, 2);
	allow_prefix(_metadata, self->skel, 0, "198.18.0.0", 15);
	check_synack(_metadata, self->skel, 0, 1);
	check_syn_passes(_metadata, self->skel, 1, 0);
	allow_prefix(_metadata, self->skel, 1, "fd00::2", 128);
	check_synack(_metadata, self->skel, 1, 0);
	/* Only the family with prefixes is filtered. */
	cfg.v4_prefixes = 0;
	cfg.v6_prefixes = 2;
	set_config(_metadata, self->skel, &cfg);
	allow_prefix(_metadata, self->skel, 0, "198.18.0.0", 15);
	check_synack(_metadata, self->skel, 0, 2);
	read_counters(self->skel, &c);
	EXPECT_EQ(3, c.not_allowed);
	EXPECT_EQ(5, c.syn_ack);
	EXPECT_EQ(8, c.port_tcp);
	EXPECT_EQ(0, c.pass_other);
}

/*
 * SYNs with TCP options - MSS only (24-byte header), the Linux set of MSS,
 * SACK permitted, timestamps, window scale (40), and MSS + timestamps (32,
 * the copy path) - get a SYN-ACK, every byte checked, whose cookie then
 * admits the Hello.
 */
TEST_F(xdp, syn_with_options)
{
	static const unsigned char mss[] = { 2, 4, 0x05, 0xb4 };
	static const unsigned char linux_set[] = {
		2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0,
		0, 1, 0,    0,	  0, 0, 1, 3,  3, 7,
	};
	static const unsigned char mss_ts[] = {
		2, 4, 0x05, 0xb4, 1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0,
	};
	static const struct {
		const unsigned char *opt;
		size_t len;
	} syns[] = { { mss, sizeof(mss) },
		     { linux_set, sizeof(linux_set) },
		     { mss_ts, sizeof(mss_ts) } };
	struct amtsca_counters c;
	unsigned char *hello;
	struct events ev;
	size_t len, i;
	int v6;

	load_corpus_file(_metadata, "meshcentral-807.bin", &hello, &len);
	for (i = 0; i < sizeof(syns) / sizeof(syns[0]); i++) {
		for (v6 = 0; v6 < 2; v6++) {
			size_t l4 = 14 + (v6 ? 40 : 20);
			unsigned int cookie = 0;
			struct frame in, out;
			__u32 ret;

			/* The "payload" becomes the options. */
			build_segment(&in, v6, 0, IPPROTO_TCP, 9971, TH_SYN,
				      DEV_SEQ, 0, syns[i].opt, syns[i].len);
			in.buf[l4 + 12] = (20 + syns[i].len) / 4 << 4;
			fix_csums(&in, v6, 0);
			ASSERT_EQ(0, run_frame(self->skel, &in, &out, &ret));
			EXPECT_EQ(XDP_TX, ret);
			check_reply(_metadata, &in, &out, v6, 0, NULL, &cookie,
				    DEV_SEQ + 1, TH_SYN | TH_ACK);
			segment_exchange(_metadata, self->skel, v6, 0, cookie,
					 TH_ACK | TH_PSH, 0, hello, len,
					 DEV_SEQ + 1 + len, TH_FIN | TH_ACK);
			EXPECT_EQ(1, drain_events(self->skel, &ev));
			forget_device(self->skel, hello);
		}
	}
	free(hello);
	read_counters(self->skel, &c);
	EXPECT_EQ(6, c.syn_ack);
	EXPECT_EQ(6, c.hello_event);
	EXPECT_EQ(0, c.malformed + c.bad_cookie + c.bad_csum);
}

/* Run a SYN from src (an address of family v6) and return the verdict. */
static __u32 syn_verdict(struct __test_metadata *_metadata, struct amtsca *skel,
			 int v6, const char *src)
{
	struct frame in, out;
	__u32 ret = 0;

	build_frame(&in, v6, 0, IPPROTO_TCP, 9971);
	EXPECT_EQ(1, inet_pton(v6 ? AF_INET6 : AF_INET, src,
			       in.buf + 14 + (v6 ? 8 : 12)));
	fix_csums(&in, v6, 0);
	EXPECT_EQ(0, run_frame(skel, &in, &out, &ret));
	return ret;
}

/*
 * Per-source token buckets: SYNs beyond the burst are dropped and counted,
 * other sources and the data bucket are unaffected, and the data bucket
 * refills at its rate.
 */
TEST_F(xdp, rate_limits_per_source)
{
	struct amtsca_xdp_config cfg = {
		.syn_rate = 1,
		.syn_burst = 2,
		/* 0.5 s a token: slow enough for an emulated guest, short to wait */
		.data_rate = 2,
		.data_burst = 1,
	};
	struct amtsca_counters c;
	unsigned char *hello;
	struct events ev;
	size_t len;

	set_config(_metadata, self->skel, &cfg);
	EXPECT_EQ(XDP_TX, syn_verdict(_metadata, self->skel, 0, "198.18.0.2"));
	EXPECT_EQ(XDP_TX, syn_verdict(_metadata, self->skel, 0, "198.18.0.2"));
	EXPECT_EQ(XDP_DROP,
		  syn_verdict(_metadata, self->skel, 0, "198.18.0.2"));
	EXPECT_EQ(XDP_TX, syn_verdict(_metadata, self->skel, 0, "198.18.0.3"));
	EXPECT_EQ(XDP_TX, syn_verdict(_metadata, self->skel, 1, "fd00::2"));
	EXPECT_EQ(XDP_TX, syn_verdict(_metadata, self->skel, 1, "fd00::2"));
	EXPECT_EQ(XDP_DROP, syn_verdict(_metadata, self->skel, 1, "fd00::2"));
	/* The IPv4-mapped key of 198.18.0.2 is not fd00::2's. */
	EXPECT_EQ(XDP_TX, syn_verdict(_metadata, self->skel, 1, "fd00::3"));
	read_counters(self->skel, &c);
	EXPECT_EQ(2, c.rate_syn);
	EXPECT_EQ(6, c.syn_ack);

	/* Data: the SYNs are unlimited now, one Hello per 0.5 s. */
	cfg.syn_rate = 0;
	set_config(_metadata, self->skel, &cfg);
	load_corpus_file(_metadata, "meshcentral-807.bin", &hello, &len);
	hello_exchange(_metadata, self->skel, 0, 0, hello, len,
		       TH_FIN | TH_ACK);
	{
		struct frame in, out;
		__u32 ret;

		send_hello(_metadata, self->skel, 0, 0, hello, len, &in, &out,
			   &ret);
		EXPECT_EQ(XDP_DROP, ret);
	}
	EXPECT_EQ(1, drain_events(self->skel, &ev));
	forget_device(self->skel, hello);
	usleep(600000);
	hello_exchange(_metadata, self->skel, 0, 0, hello, len,
		       TH_FIN | TH_ACK);
	EXPECT_EQ(1, drain_events(self->skel, &ev));
	free(hello);
	read_counters(self->skel, &c);
	EXPECT_EQ(1, c.rate_data);
	EXPECT_EQ(2, c.hello_event);
	EXPECT_EQ(2, c.rate_syn);
}

/*
 * A segment is dropped and counted when its IPv4 header or TCP checksum
 * is wrong anywhere: SYN, FIN, a Hello changed in its middle or its last
 * (odd) byte; nothing is answered or queued.
 */
TEST_F(xdp, bad_checksums_dropped)
{
	struct amtsca_counters c;
	unsigned char *hello;
	struct events ev;
	unsigned int cookie;
	size_t len, l3 = 14 + 4;
	int v6;

	load_corpus_file(_metadata, "meshcentral-841.bin", &hello, &len);
	for (v6 = 0; v6 < 2; v6++) {
		size_t l4 = l3 + (v6 ? 40 : 20);
		struct frame in, out;
		__u32 ret;

		/* SYN with its TCP checksum off by one */
		build_frame(&in, v6, 1, IPPROTO_TCP, 9971);
		in.buf[l4 + 17] ^= 1;
		ASSERT_EQ(0, run_frame(self->skel, &in, &out, &ret));
		EXPECT_EQ(XDP_DROP, ret);
		/* FIN with a changed window */
		build_segment(&in, v6, 1, IPPROTO_TCP, 9971, TH_FIN | TH_ACK,
			      DEV_SEQ, 0x1000, NULL, 0);
		in.buf[l4 + 14] ^= 0x40;
		ASSERT_EQ(0, run_frame(self->skel, &in, &out, &ret));
		EXPECT_EQ(XDP_DROP, ret);
		/* Hellos with a valid cookie, one byte changed */
		cookie = check_synack(_metadata, self->skel, v6, 1);
		build_segment(&in, v6, 1, IPPROTO_TCP, 9971, TH_ACK | TH_PSH,
			      DEV_SEQ + 1, cookie + 1, hello, len);
		in.buf[l4 + 20 + 400] ^= 0x10;
		ASSERT_EQ(0, run_frame(self->skel, &in, &out, &ret));
		EXPECT_EQ(XDP_DROP, ret);
		build_segment(&in, v6, 1, IPPROTO_TCP, 9971, TH_ACK | TH_PSH,
			      DEV_SEQ + 1, cookie + 1, hello, len);
		in.buf[l4 + 20 + len - 1] ^= 0x01;
		ASSERT_EQ(0, run_frame(self->skel, &in, &out, &ret));
		EXPECT_EQ(XDP_DROP, ret);
	}
	/* IPv4 header checksum wrong (TCP checksum still right) */
	{
		struct frame in, out;
		__u32 ret;

		build_frame(&in, 0, 1, IPPROTO_TCP, 9971);
		in.buf[l3 + 10] ^= 0x80;
		ASSERT_EQ(0, run_frame(self->skel, &in, &out, &ret));
		EXPECT_EQ(XDP_DROP, ret);
	}
	free(hello);
	EXPECT_EQ(0, drain_events(self->skel, &ev));
	read_counters(self->skel, &c);
	EXPECT_EQ(9, c.bad_csum);
	EXPECT_EQ(2, c.syn_ack);
	EXPECT_EQ(0, c.fin_ack + c.ack_fin + c.rst + c.hello_event);
}

/* No amtsca_reasm entry is left. */
static int reasm_empty(struct amtsca *skel)
{
	struct amtsca_flow_key key;

	return bpf_map__get_next_key(skel->maps.amtsca_reasm, NULL, &key,
				     sizeof(key)) == -ENOENT;
}

/* The userspace validator's verdict on buf[0..len). */
static int user_verdict(const unsigned char *buf, size_t len)
{
	struct amt_hello_info info;

	return amt_hello_validate(buf, len, 0, &info);
}

/*
 * A Hello in two segments (IPv4/IPv6, 0-2 VLAN tags): the first is
 * acknowledged and kept, the second completes it: ACK+FIN and one event
 * with the whole Hello.
 */
TEST_F(xdp, split_hello_two_segments)
{
	struct amtsca_counters c;
	unsigned char *hello;
	struct events ev;
	size_t len, cut = 500;
	int v6, nvlan;

	load_corpus_file(_metadata, "meshcentral-841.bin", &hello, &len);
	for (v6 = 0; v6 < 2; v6++) {
		for (nvlan = 0; nvlan < 3; nvlan++) {
			__u64 t0 = monotonic_ns();
			unsigned int cookie;

			cookie = check_synack(_metadata, self->skel, v6, nvlan);
			segment_exchange(_metadata, self->skel, v6, nvlan,
					 cookie, TH_ACK | TH_PSH, 0, hello, cut,
					 DEV_SEQ + 1 + cut, TH_ACK);
			EXPECT_EQ(0, drain_events(self->skel, &ev));
			EXPECT_FALSE(reasm_empty(self->skel));
			segment_exchange(_metadata, self->skel, v6, nvlan,
					 cookie, TH_ACK | TH_PSH, cut,
					 hello + cut, len - cut,
					 DEV_SEQ + 1 + len, TH_FIN | TH_ACK);
			ASSERT_EQ(1, drain_events(self->skel, &ev));
			check_event(_metadata, &ev.ev[0], v6, nvlan, hello, len,
				    t0);
			EXPECT_TRUE(reasm_empty(self->skel));
			forget_device(self->skel, hello);
		}
	}
	free(hello);
	read_counters(self->skel, &c);
	EXPECT_EQ(6, c.seg_acked);
	EXPECT_EQ(6, c.hello_event);
	EXPECT_EQ(6, c.ack_fin);
	EXPECT_EQ(0, c.rst + c.bad_cookie + c.seg_dup + c.seg_gap);
}

/*
 * A 3225-byte Hello (64 SHA-384 hashes) in MSS-sized segments with the
 * trouble a real path brings: the first segment twice, a gap (dropped), an
 * overlapping retransmission (the new part kept), duplicates re-acked with
 * the stored end, a corrupted last segment (dropped) and its good copy
 * with FIN: one event with the whole Hello.
 */
TEST_F(xdp, split_hello_retransmissions)
{
	unsigned int cookie, end;
	struct amtsca_counters c;
	unsigned char *hello;
	struct events ev;
	size_t len, a = 1460, b = 2920;
	int v6 = 1, nvlan = 1;

	load_corpus_file(_metadata, "pki-64-sha384.bin", &hello, &len);
	ASSERT_EQ(3225, len);
	cookie = check_synack(_metadata, self->skel, v6, nvlan);
	segment_exchange(_metadata, self->skel, v6, nvlan, cookie, TH_ACK, 0,
			 hello, a, DEV_SEQ + 1 + a, TH_ACK);
	segment_exchange(_metadata, self->skel, v6, nvlan, cookie, TH_ACK, 0,
			 hello, a, DEV_SEQ + 1 + a, TH_ACK);
	segment_exchange(_metadata, self->skel, v6, nvlan, cookie, TH_ACK, b,
			 hello + b, len - b, 0, 0);
	segment_exchange(_metadata, self->skel, v6, nvlan, cookie, TH_ACK, 1000,
			 hello + 1000, b - 1000, DEV_SEQ + 1 + b, TH_ACK);
	segment_exchange(_metadata, self->skel, v6, nvlan, cookie, TH_ACK, 1000,
			 hello + 1000, b - 1000, DEV_SEQ + 1 + b, TH_ACK);
	segment_exchange(_metadata, self->skel, v6, nvlan, cookie, TH_ACK, 0,
			 hello, a, DEV_SEQ + 1 + b, TH_ACK);
	{
		struct frame in, out;
		__u32 ret;

		build_segment(&in, v6, nvlan, IPPROTO_TCP, 9971,
			      TH_ACK | TH_FIN, DEV_SEQ + 1 + b, cookie + 1,
			      hello + b, len - b);
		in.buf[in.len - 7] ^= 0x20;
		ASSERT_EQ(0, run_frame(self->skel, &in, &out, &ret));
		EXPECT_EQ(XDP_DROP, ret);
	}
	EXPECT_EQ(0, drain_events(self->skel, &ev));
	end = DEV_SEQ + 2 + len;
	segment_exchange(_metadata, self->skel, v6, nvlan, cookie,
			 TH_ACK | TH_FIN, b, hello + b, len - b, end,
			 TH_FIN | TH_ACK);
	ASSERT_EQ(1, drain_events(self->skel, &ev));
	ASSERT_EQ(len, ev.ev[0].len);
	EXPECT_EQ(0, memcmp(ev.ev[0].data, hello, len));
	EXPECT_TRUE(reasm_empty(self->skel));
	free(hello);
	read_counters(self->skel, &c);
	EXPECT_EQ(3, c.seg_acked);
	EXPECT_EQ(2, c.seg_dup);
	EXPECT_EQ(1, c.seg_gap);
	EXPECT_EQ(1, c.bad_csum);
	EXPECT_EQ(1, c.hello_event);
	EXPECT_EQ(0, c.rst);
}

/*
 * A kept Hello start ends badly: closed by the device's FIN (RST, counted
 * under the validator's reason for the bytes so far), or continued with
 * an invalid hash type (RST, counted under that reason). Afterwards the
 * connection is forgotten: a later segment has no cookie and no entry.
 */
TEST_F(xdp, split_hello_incomplete_or_invalid)
{
	__u64 want[AMT_HELLO_REASON_COUNT] = {};
	unsigned int cookie;
	struct amtsca_counters c;
	unsigned char *hello;
	struct events ev;
	size_t len, cut = 300;
	int r;

	load_corpus_file(_metadata, "meshcentral-841.bin", &hello, &len);
	cookie = check_synack(_metadata, self->skel, 0, 2);
	segment_exchange(_metadata, self->skel, 0, 2, cookie, TH_ACK, 0, hello,
			 cut, DEV_SEQ + 1 + cut, TH_ACK);
	segment_exchange(_metadata, self->skel, 0, 2, cookie, TH_ACK | TH_FIN,
			 cut, NULL, 0, DEV_SEQ + 2 + cut, TH_RST | TH_ACK);
	r = user_verdict(hello, cut);
	ASSERT_TRUE(hello_incomplete(r));
	want[r]++;
	EXPECT_TRUE(reasm_empty(self->skel));
	segment_exchange(_metadata, self->skel, 0, 2, cookie, TH_ACK, cut,
			 hello + cut, len - cut, 0, 0);

	/* The type byte of the eleventh entry (34-byte SHA-256 entries). */
	cookie = check_synack(_metadata, self->skel, 1, 0);
	segment_exchange(_metadata, self->skel, 1, 0, cookie, TH_ACK, 0, hello,
			 cut, DEV_SEQ + 1 + cut, TH_ACK);
	hello[25 + 34 * 10] = 9;
	r = user_verdict(hello, len);
	ASSERT_EQ(AMT_HELLO_ERR_HASH_TYPE, r);
	want[r]++;
	segment_exchange(_metadata, self->skel, 1, 0, cookie, TH_ACK, cut,
			 hello + cut, len - cut, DEV_SEQ + 1 + len,
			 TH_RST | TH_ACK);
	EXPECT_TRUE(reasm_empty(self->skel));
	free(hello);
	EXPECT_EQ(0, drain_events(self->skel, &ev));
	read_counters(self->skel, &c);
	for (r = 1; r < AMT_HELLO_REASON_COUNT; r++)
		EXPECT_EQ(want[r], c.hello_invalid[r]);
	EXPECT_EQ(2, c.rst);
	EXPECT_EQ(1, c.bad_cookie);
	EXPECT_EQ(0, c.hello_event + c.ack_fin + c.fin_ack);
}

#define QUEUED_TTL_NS (120ull * 1000000000ull)

/*
 * The program marks a device it queues in amtsca_recent for queued_ttl_ns
 * (default 120 s) and writes nothing into amtsca_devices: the same Hello
 * again is suppressed; once the mark has expired the Hello raises an event
 * again and the mark is renewed. Once the daemon has written the device's
 * state (which clears the mark) that entry alone decides: a FAILED entry
 * suppresses until its expiry passes while the test waits, a deleted one
 * not at all.
 */
TEST_F(xdp, queued_mark_and_expiry)
{
	struct amtsca_dev_entry e;
	struct amtsca_dev_key key;
	struct amtsca_counters c;
	unsigned char *hello;
	struct events ev;
	__u64 t0, t1;
	size_t len;

	load_corpus_file(_metadata, "meshcentral-807.bin", &hello, &len);
	memcpy(key.uuid, hello + 8, sizeof(key.uuid));
	t0 = monotonic_ns();
	hello_exchange(_metadata, self->skel, 0, 0, hello, len,
		       TH_FIN | TH_ACK);
	t1 = monotonic_ns();
	EXPECT_EQ(1, drain_events(self->skel, &ev));
	EXPECT_LE(t0 + QUEUED_TTL_NS, recent_mark(self->skel, hello));
	EXPECT_GE(t1 + QUEUED_TTL_NS, recent_mark(self->skel, hello));
	EXPECT_EQ(-ENOENT,
		  bpf_map__lookup_elem(self->skel->maps.amtsca_devices, &key,
				       sizeof(key), &e, sizeof(e), 0));
	hello_exchange(_metadata, self->skel, 1, 1, hello, len,
		       TH_FIN | TH_ACK);
	EXPECT_EQ(0, drain_events(self->skel, &ev));

	set_recent_mark(self->skel, hello, monotonic_ns() - 1);
	t0 = monotonic_ns();
	hello_exchange(_metadata, self->skel, 0, 1, hello, len,
		       TH_FIN | TH_ACK);
	EXPECT_EQ(1, drain_events(self->skel, &ev));
	EXPECT_LE(t0 + QUEUED_TTL_NS, recent_mark(self->skel, hello));

	write_device(self->skel, hello, AMTSCA_DEV_FAILED,
		     monotonic_ns() + 500000000ull);
	EXPECT_EQ(0, recent_mark(self->skel, hello));
	hello_exchange(_metadata, self->skel, 1, 2, hello, len,
		       TH_FIN | TH_ACK);
	EXPECT_EQ(0, drain_events(self->skel, &ev));
	usleep(600000);
	hello_exchange(_metadata, self->skel, 1, 2, hello, len,
		       TH_FIN | TH_ACK);
	EXPECT_EQ(1, drain_events(self->skel, &ev));
	EXPECT_NE(0, recent_mark(self->skel, hello));

	forget_device(self->skel, hello);
	hello_exchange(_metadata, self->skel, 0, 0, hello, len,
		       TH_FIN | TH_ACK);
	EXPECT_EQ(1, drain_events(self->skel, &ev));
	free(hello);
	read_counters(self->skel, &c);
	EXPECT_EQ(4, c.hello_event);
	EXPECT_EQ(2, c.suppressed);
	EXPECT_EQ(6, c.ack_fin);
}

/* With queued_ttl_ns 0 the program marks nothing: every Hello is queued. */
TEST(xdp_queued_ttl_zero_marks_nothing)
{
	struct amtsca_dev_entry e;
	struct amtsca_dev_key key;
	unsigned char *hello;
	struct amtsca *skel;
	struct events ev;
	size_t len;

	skel = amtsca__open();
	ASSERT_NE(NULL, skel);
	skel->rodata->queued_ttl_ns = 0;
	ASSERT_EQ(0, amtsca__load(skel));
	load_corpus_file(_metadata, "meshcentral-807.bin", &hello, &len);
	hello_exchange(_metadata, skel, 0, 0, hello, len, TH_FIN | TH_ACK);
	hello_exchange(_metadata, skel, 0, 0, hello, len, TH_FIN | TH_ACK);
	EXPECT_EQ(2, drain_events(skel, &ev));
	memcpy(key.uuid, hello + 8, sizeof(key.uuid));
	EXPECT_EQ(-ENOENT, bpf_map__lookup_elem(skel->maps.amtsca_devices, &key,
						sizeof(key), &e, sizeof(e), 0));
	EXPECT_EQ(0, recent_mark(skel, hello));
	free(hello);
	amtsca__destroy(skel);
}

/* A two-instruction XDP program returning verdict: the next program. */
static int load_verdict_prog(int verdict)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K,
		  .dst_reg = BPF_REG_0,
		  .imm = verdict },
		{ .code = BPF_JMP | BPF_EXIT },
	};

	/* Tail calls need the caller's attach type too (6.13 and later). */
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_XDP);

	return bpf_prog_load(BPF_PROG_TYPE_XDP, "amtsca_next_t", "GPL", insns,
			     2, &opts);
}

/*
 * chain_next (xdp.next_prog): what the program passes goes to the program
 * in amtsca_next, whose verdict counts; an empty slot passes; traffic to
 * the SCA port stays the program's own.
 */
TEST(xdp_chain_next_gets_passed_traffic)
{
	struct frame in, out;
	struct amtsca *skel;
	__u32 zero = 0, ret;
	int next;

	skel = amtsca__open();
	ASSERT_NE(NULL, skel);
	skel->rodata->chain_next = 1;
	ASSERT_EQ(0, amtsca__load(skel));
	build_frame(&in, 0, 0, IPPROTO_UDP, 9);
	ASSERT_EQ(0, run_frame(skel, &in, &out, &ret));
	EXPECT_EQ(XDP_PASS, ret);
	next = load_verdict_prog(XDP_DROP);
	ASSERT_LE(0, next);
	ASSERT_EQ(0, bpf_map__update_elem(skel->maps.amtsca_next, &zero,
					  sizeof(zero), &next, sizeof(next),
					  BPF_ANY));
	for (int v6 = 0; v6 < 2; v6++) {
		build_frame(&in, v6, 1, IPPROTO_UDP, 9);
		ASSERT_EQ(0, run_frame(skel, &in, &out, &ret));
		EXPECT_EQ(XDP_DROP, ret);
		build_frame(&in, v6, 0, IPPROTO_TCP, 80);
		ASSERT_EQ(0, run_frame(skel, &in, &out, &ret));
		EXPECT_EQ(XDP_DROP, ret);
		build_frame(&in, v6, 0, IPPROTO_TCP, 9971);
		ASSERT_EQ(0, run_frame(skel, &in, &out, &ret));
		EXPECT_EQ(XDP_TX, ret);
	}
	close(next);
	amtsca__destroy(skel);
}

TEST_HARNESS_MAIN
