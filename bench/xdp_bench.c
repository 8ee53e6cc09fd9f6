// SPDX-License-Identifier: GPL-2.0-only
/*
 * xdp_bench: ns per packet of bpf/amtsca.bpf.c through BPF_PROG_TEST_RUN
 * (repeat 1e6, median of 5 runs), next to an empty XDP program measured in
 * the same run. Only cases whose processing is identical on every
 * repetition are measured (non-live test_run does not restore the packet).
 * Prints "xdp_ns <case> <ns>" and appends the same lines to argv[1].
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "amtsca.skel.h"

#define REPEAT 1000000
#define RUNS 5

/* Ethernet + IPv4 (198.18.0.2 -> 198.18.0.1) + 20-byte L4 header. */
static void frame(unsigned char *f, int proto, unsigned short dport)
{
	static const unsigned char hdr[34] = {
		2,  0, 0, 0, 0, 1,  2, 0, 0, 0,	  0,  2, 0x08, 0x00, 0x45, 0, 0,
		40, 0, 0, 0, 0, 64, 0, 0, 0, 198, 18, 0, 2,    198,  18,   0, 1,
	};

	memset(f, 0, 54);
	memcpy(f, hdr, sizeof(hdr));
	f[23] = proto;
	f[34] = 40000 >> 8;
	f[35] = 40000 & 0xff;
	f[36] = dport >> 8;
	f[37] = dport & 0xff;
	if (proto == 6)
		f[46] = 0x50;
}

static int cmp_u32(const void *a, const void *b)
{
	return *(const __u32 *)a < *(const __u32 *)b ?
		       -1 :
		       *(const __u32 *)a > *(const __u32 *)b;
}

static int median_ns(int prog_fd, unsigned char *pkt, __u32 *ns)
{
	__u32 t[RUNS];
	int i;

	for (i = 0; i < RUNS; i++) {
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt,
			    .data_size_in = 54, .repeat = REPEAT);

		if (bpf_prog_test_run_opts(prog_fd, &o))
			return -1;
		t[i] = o.duration;
	}
	qsort(t, RUNS, sizeof(t[0]), cmp_u32);
	*ns = t[RUNS / 2];
	return 0;
}

static int report(FILE *out, const char *name, int fd, unsigned char *pkt)
{
	__u32 ns;

	if (median_ns(fd, pkt, &ns)) {
		fprintf(stderr, "xdp_bench: %s: test_run failed\n", name);
		return -1;
	}
	printf("xdp_ns %s %u\n", name, ns);
	fprintf(out, "xdp_ns %s %u\n", name, ns);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct bpf_insn empty[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K,
		  .dst_reg = 0,
		  .imm = XDP_PASS },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	unsigned char udp[54], tcp_other[54];
	struct amtsca *skel;
	int empty_fd, fd, err = 0;
	FILE *out;

	if (argc != 2) {
		fprintf(stderr, "usage: xdp_bench RESULTS_FILE\n");
		return 2;
	}
	out = fopen(argv[1], "a");
	if (!out) {
		perror(argv[1]);
		return 1;
	}
	empty_fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "empty", "GPL", empty, 2,
				 NULL);
	skel = amtsca__open_and_load();
	if (empty_fd < 0 || !skel) {
		fprintf(stderr, "xdp_bench: cannot load the programs\n");
		return 1;
	}
	fd = bpf_program__fd(skel->progs.amtsca_xdp);
	frame(udp, 17, 9971);
	frame(tcp_other, 6, 80);
	err |= report(out, "empty", empty_fd, udp);
	err |= report(out, "pass_udp", fd, udp);
	err |= report(out, "pass_tcp_other_port", fd, tcp_other);
	amtsca__destroy(skel);
	fclose(out);
	return err ? 1 : 0;
}
