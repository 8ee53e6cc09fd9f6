// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bench harness for bpf/amtsca.bpf.c under BPF_PROG_TEST_RUN. Non-live
 * test_run hands the program the same buffer on every repetition, and the
 * program rewrites it into its reply; bench_restore therefore writes the
 * case's frame back (and, for the Hello cases, a new device UUID with its
 * checksum fixed) and tail-calls the program under test. xdp_bench runs it
 * once into amtsca_xdp and once into a baseline program (empty, or
 * bench_trim); the difference is what amtsca_xdp costs beyond the
 * baseline.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "xdp_bench.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bench_frame);
} bench_frames SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} bench_target SEC(".maps");

/* One's complement add of two 16-bit words (RFC 1624 incremental update). */
static __always_inline __u16 csum16_add(__u16 a, __u16 b)
{
	__u32 s = (__u32)a + b;

	return (__u16)((s & 0xffff) + (s >> 16));
}

SEC("xdp")
int bench_restore(struct xdp_md *ctx)
{
	struct bench_frame *f;
	__u32 zero = 0, len, off;
	__u16 *w, *check, sum, old0, old1;
	int cur;

	f = bpf_map_lookup_elem(&bench_frames, &zero);
	if (!f)
		return XDP_ABORTED;
	len = f->len;
	if (len < 14 || len > BENCH_FRAME_MAX)
		return XDP_ABORTED;
	off = f->uuid_off;
	if (off && off <= BENCH_FRAME_MAX - 4 &&
	    f->csum_off <= BENCH_FRAME_MAX - 2) {
		/*
		 * A new device each repetition: the last four UUID bytes are
		 * a counter, and the TCP checksum follows it (HC' = ~(~HC +
		 * ~m + m') per 16-bit word, RFC 1624).
		 */
		w = (__u16 *)&f->data[off];
		check = (__u16 *)&f->data[f->csum_off];
		sum = ~*check;
		old0 = w[0];
		old1 = w[1];
		*(__u32 *)w += 1;
		sum = csum16_add(sum, ~old0);
		sum = csum16_add(sum, ~old1);
		sum = csum16_add(sum, w[0]);
		sum = csum16_add(sum, w[1]);
		*check = ~sum;
	}
	cur = bpf_xdp_get_buff_len(ctx);
	if (bpf_xdp_adjust_tail(ctx, (int)len - cur))
		return XDP_ABORTED;
	if (bpf_xdp_store_bytes(ctx, 0, f->data, len))
		return XDP_ABORTED;
	bpf_tail_call(ctx, &bench_target, 0);
	return XDP_ABORTED;
}

/* The length bench_trim leaves the frame at: the case's reply length. */
__u32 trim_len;

/*
 * The baseline for a case whose reply is shorter than its frame: trim the
 * frame to trim_len as amtsca_xdp trims it to its reply. bench_restore
 * must then grow the frame back after either program, and a grow zeroes
 * the new bytes (bpf_xdp_adjust_tail); after an empty program it grew
 * nothing, so that zeroing, which a frame fresh from the NIC never pays,
 * was counted as amtsca_xdp's. xdp_bench adds back this program's own
 * cost, measured on its own.
 */
SEC("xdp")
int bench_trim(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	long len;

	/* As in amtsca_xdp's send_reply: the frame's length without a helper. */
	asm volatile("" : "+r"(data), "+r"(end));
	len = end - data;
	if (bpf_xdp_adjust_tail(ctx, (int)trim_len - len))
		return XDP_ABORTED;
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
