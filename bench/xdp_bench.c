// SPDX-License-Identifier: GPL-2.0-only
/*
 * xdp_bench: ns per packet of bpf/amtsca.bpf.c through BPF_PROG_TEST_RUN,
 * median of 5 runs of 1e6 repetitions each, next to an empty XDP program
 * measured in the same run. Prints "xdp_ns <case> <ns>" and appends the
 * same lines to argv[1]; "#" lines give the raw figures.
 *
 * Frames the program passes or drops are unchanged by it and repeat as
 * they are. Frames it answers are rewritten into the reply, so those cases
 * run bench_restore (bench/xdp_bench.bpf.c), which writes the frame back
 * and tail-calls amtsca_xdp; the same harness tail-calling a baseline
 * program is subtracted and the baseline's own figure, measured directly,
 * added, so every line compares with "empty". The baseline is the empty
 * program, or, where the reply is shorter than the frame (the Hello
 * cases), bench_trim, which trims the frame to the reply's length as
 * amtsca_xdp does: bench_restore then grows the frame back after both
 * alike, and the kernel's zeroing of the grown bytes, which a frame from
 * the NIC never pays, is not counted as amtsca_xdp's. hello_v2 and hello_v3_841 get a new
 * device UUID each repetition (else the program's mark of a device it
 * queued would turn all but the first into de-dup hits); the device table
 * holds DEVICES_KNOWN other devices' DONE entries, as a production table
 * would; the Hello cases run their 1e6 repetitions in calls of as many
 * as the 2 MiB ring holds of the case's records, less a tenth (2,069 for
 * hello_v3_841's 912-byte record), with the ring drained after each call
 * and a fresh cookie before each run; the counters must show every
 * repetition took the intended path. The reader's wake-up (a self-IPI
 * when a record finds it caught up) is thus paid once per ring-full, as
 * in production, where amtscad drains the ring at most every 1 ms while
 * Hellos keep coming. Usage: xdp_bench RESULTS_FILE [CASE]; the environment
 * variable XDP_BENCH_QUEUED_TTL_NS overrides the queued_ttl_ns knob.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <linux/bpf.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "amtsca/bpf_abi.h"
#include "amtsca/device_state.h"
#include "amtsca.skel.h"
#include "xdp_bench.skel.h"
#include "xdp_floor.skel.h"
#include "xdp_bench.h"
#include "hello_corpus.h"
#include "tcp_frame.h"

#ifndef REPEAT
#define REPEAT 1000000
#endif
#define RUNS 5
#define DEV_SEQ 1000
#define BENCH_RING_BYTES (2u << 20)
/* The ring's own header in front of every record (BPF_RINGBUF_HDR_SZ). */
#define RINGBUF_REC_HDR 8
/* Devices the daemon has provisioned: DONE entries the lookups walk. */
#define DEVICES_KNOWN 50000
#define TCP_OFF 34 /* Ethernet + IPv4, no VLAN */

struct bench {
	struct amtsca *skel;
	struct xdp_bench *harness;
	struct xdp_floor *floor;
	struct ring_buffer *rb;
	int empty_fd, prog_fd, restore_fd, trim_fd;
	__u64 records;
	const char *only; /* run only this case (and empty) */
	FILE *out;
};

static int count_record(void *ctx, void *data, size_t size)
{
	(void)data;
	(void)size;
	((struct bench *)ctx)->records++;
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	return *(const __u32 *)a < *(const __u32 *)b ?
		       -1 :
		       *(const __u32 *)a > *(const __u32 *)b;
}

static int cmp_s64(const void *a, const void *b)
{
	return *(const __s64 *)a < *(const __s64 *)b ?
		       -1 :
		       *(const __s64 *)a > *(const __s64 *)b;
}

/* Mean ns per repetition of fd on frame f over reps, in one call. */
static int run_once(int fd, const struct frame *f, __u32 reps, __u32 *ns,
		    __u32 *retval)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = f->buf,
		    .data_size_in = f->len, .repeat = reps);

	if (bpf_prog_test_run_opts(fd, &o))
		return -1;
	*ns = o.duration;
	if (retval)
		*retval = o.retval;
	return 0;
}

/*
 * A DONE entry for key, written as the daemon writes it: its amtsca_known
 * bits first (bpf_abi.h).
 */
static int add_done_device(struct bench *b, const struct amtsca_dev_key *key)
{
	struct amtsca_dev_entry done = { .state = AMTSCA_DEV_DONE };
	int known = bpf_map__fd(b->skel->maps.amtsca_known);
	__u32 w[4], word;
	__u64 v, h;

	memcpy(w, key->uuid, sizeof(w));
	h = amtsca_known_hash(w);
	word = amtsca_known_word(h);
	if (bpf_map_lookup_elem(known, &word, &v))
		return -1;
	v |= amtsca_known_mask(h);
	if (bpf_map_update_elem(known, &word, &v, BPF_ANY))
		return -1;
	return bpf_map_update_elem(bpf_map__fd(b->skel->maps.amtsca_devices),
				   key, &done, BPF_ANY);
}

/* SplitMix64: the next pseudo-random 64 bits from *state. */
static __u64 splitmix64(__u64 *state)
{
	__u64 z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/*
 * Fill the device table with DEVICES_KNOWN DONE entries whose UUIDs no
 * case sends (first byte 0xd0, the cases' UUIDs are the corpus ones).
 * The other bytes are pseudo-random, as a fleet's UUIDs are to the
 * program's hashes: consecutive ones spread too evenly over amtsca_known
 * (a new device found a set bit ~1 % of the time, against ~4.7 % with
 * random UUIDs).
 */
static int add_known_devices(struct bench *b)
{
	struct amtsca_dev_key key;
	__u64 state = 1, r[2];
	__u32 i;

	for (i = 0; i < DEVICES_KNOWN; i++) {
		r[0] = splitmix64(&state);
		r[1] = splitmix64(&state);
		memcpy(key.uuid, r, sizeof(key.uuid));
		key.uuid[0] = 0xd0;
		if (add_done_device(b, &key))
			return -1;
	}
	return 0;
}

/* The cookie the program answers the SYN f with (its SYN-ACK's seq). */
static int syn_cookie(struct bench *b, const struct frame *f, __u32 *cookie)
{
	struct frame out;
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = f->buf,
		    .data_size_in = f->len, .data_out = out.buf,
		    .data_size_out = sizeof(out.buf), .repeat = 1);

	if (bpf_prog_test_run_opts(b->prog_fd, &o) || o.retval != XDP_TX)
		return -1;
	*cookie = ntohl(*(__u32 *)(out.buf + TCP_OFF + 4));
	return 0;
}

/*
 * Give the Hello template in bench_frames a fresh cookie: cookies age out
 * after one to two minutes, and a loaded machine can take that long for
 * one case. The UUID counter in the template carries on.
 */
static int refresh_cookie(struct bench *b)
{
	int frames = bpf_map__fd(b->harness->maps.bench_frames);
	static struct bench_frame bf;
	static struct frame f;
	struct frame syn;
	__u32 zero = 0, cookie;

	if (bpf_map_lookup_elem(frames, &zero, &bf))
		return -1;
	build_segment(&syn, 0, 0, IPPROTO_TCP, 9971, TH_SYN, DEV_SEQ, 0, NULL,
		      0);
	if (syn_cookie(b, &syn, &cookie))
		return -1;
	f.len = bf.len;
	memcpy(f.buf, bf.data, bf.len);
	*(__u32 *)(f.buf + TCP_OFF + 8) = htonl(cookie + 1);
	fix_csums(&f, 0, 0);
	memcpy(bf.data, f.buf, f.len);
	return bpf_map_update_elem(frames, &zero, &bf, BPF_ANY);
}

/*
 * Repetitions a call for a case whose repetitions each queue a Hello of
 * hello_len bytes: what the ring holds of its records, less a tenth for
 * the ring's page alignment and the reader's position.
 */
static __u32 ring_chunk(__u32 hello_len)
{
	__u32 rec = (RINGBUF_REC_HDR + AMTSCA_HELLO_EVENT_HDR + hello_len + 7) &
		    ~7u;

	return BENCH_RING_BYTES / rec * 9 / 10;
}

/*
 * Mean ns per repetition of fd on f over one run of REPEAT repetitions,
 * in calls of up to chunk repetitions with the ring drained after each;
 * Hello cases (chunk < REPEAT) get a fresh cookie first.
 */
static int run_ns(struct bench *b, int fd, const struct frame *f, __u32 chunk,
		  __u32 *ns)
{
	__u32 one, reps, done;
	__u64 sum;

	if (chunk < REPEAT && refresh_cookie(b))
		return -1;
	for (sum = 0, done = 0; done < REPEAT; done += reps) {
		reps = REPEAT - done < chunk ? REPEAT - done : chunk;
		if (run_once(fd, f, reps, &one, NULL))
			return -1;
		sum += (__u64)one * reps;
		ring_buffer__consume(b->rb);
	}
	*ns = sum / REPEAT;
	return 0;
}

/* Median over RUNS of run_ns(). */
static int median_ns(struct bench *b, int fd, const struct frame *f,
		     __u32 chunk, __u32 *ns)
{
	__u32 t[RUNS];
	int i;

	for (i = 0; i < RUNS; i++)
		if (run_ns(b, fd, f, chunk, &t[i]))
			return -1;
	qsort(t, RUNS, sizeof(t[0]), cmp_u32);
	*ns = t[RUNS / 2];
	return 0;
}

static void emit(struct bench *b, const char *name, __u32 ns)
{
	printf("xdp_ns %s %u\n", name, ns);
	fprintf(b->out, "xdp_ns %s %u\n", name, ns);
	fflush(stdout);
}

/* Sum of every CPU's counters. */
static void read_counters(struct bench *b, struct amtsca_counters *sum)
{
	int ncpu = libbpf_num_possible_cpus(), i;
	struct amtsca_counters percpu[ncpu > 0 ? ncpu : 1];
	__u64 *out = (__u64 *)sum;
	__u32 key = 0;
	size_t f;

	memset(sum, 0, sizeof(*sum));
	if (ncpu <= 0 ||
	    bpf_map__lookup_elem(b->skel->maps.amtsca_counters, &key,
				 sizeof(key), percpu, sizeof(percpu), 0))
		return;
	for (i = 0; i < ncpu; i++)
		for (f = 0; f < sizeof(*sum) / sizeof(__u64); f++)
			out[f] += ((__u64 *)&percpu[i])[f];
}

/* A case whose frame the program leaves as it is: plain repeat. */
static int bench_direct(struct bench *b, const char *name, int fd,
			const struct frame *f)
{
	__u32 ns;

	if (b->only && strcmp(b->only, name))
		return 0;
	if (median_ns(b, fd, f, REPEAT, &ns)) {
		fprintf(stderr, "xdp_bench: %s: test_run: %s\n", name,
			strerror(errno));
		return -1;
	}
	emit(b, name, ns);
	return 0;
}

/*
 * The program a harnessed case runs, and how many repetitions took the
 * path measured: taken(b, c, counter), called right after amtsca's
 * counters were read into c, must grow by one per repetition.
 */
struct target {
	int fd;
	__u64 (*taken)(struct bench *b, const struct amtsca_counters *c,
		       size_t counter);
	size_t counter;
};

/* counter: a field of struct amtsca_counters by offset. */
static __u64 amtsca_taken(struct bench *b, const struct amtsca_counters *c,
			  size_t counter)
{
	(void)b;
	return ((const __u64 *)c)[counter / 8];
}

static __u64 floor_taken(struct bench *b, const struct amtsca_counters *c,
			 size_t counter)
{
	(void)c;
	(void)counter;
	return b->floor->bss->floor_done;
}

/*
 * A case the program answers: through bench_restore, into the target
 * program and into the baseline, the empty program (trim_len 0) or
 * bench_trim to trim_len bytes.
 */
static int bench_restored(struct bench *b, const char *name,
			  const struct frame *f, __u32 chunk, __u32 uuid_off,
			  const struct target *t, __u32 empty_ns,
			  __u32 trim_len)
{
	int frames = bpf_map__fd(b->harness->maps.bench_frames);
	int target = bpf_map__fd(b->harness->maps.bench_target);
	int base_fd = trim_len ? b->trim_fd : b->empty_fd;
	__u32 zero = 0, full[RUNS], base[RUNS], base_ns = empty_ns;
	struct amtsca_counters c0, c1;
	static struct bench_frame bf;
	__s64 diff[RUNS];
	__u64 grew;
	int err = 0, i;

	if (b->only && strcmp(b->only, name))
		return 0;
	b->harness->bss->trim_len = trim_len;
	/* Directly: the first repetition trims, the rest keep the length. */
	if (trim_len && median_ns(b, b->trim_fd, f, REPEAT, &base_ns)) {
		fprintf(stderr, "xdp_bench: %s: trim: test_run: %s\n", name,
			strerror(errno));
		return -1;
	}
	memset(&bf, 0, sizeof(bf));
	bf.len = f->len;
	bf.uuid_off = uuid_off;
	bf.csum_off = TCP_OFF + 16;
	memcpy(bf.data, f->buf, f->len);
	if (bpf_map_update_elem(frames, &zero, &bf, BPF_ANY)) {
		fprintf(stderr, "xdp_bench: %s: harness maps: %s\n", name,
			strerror(errno));
		return -1;
	}
	read_counters(b, &c0);
	grew = t->taken(b, &c0, t->counter);
	/*
	 * The harness runs the program and the baseline in turns, one run
	 * each, and the line takes the median of the per-turn differences.
	 * The host's other VMs make this machine's speed drift over seconds;
	 * within a turn both sides drift alike, where all runs of one
	 * followed by all runs of the other compared two moments.
	 */
	for (i = 0; i < RUNS && !err; i++) {
		err = bpf_map_update_elem(target, &zero, &t->fd, BPF_ANY) ||
		      run_ns(b, b->restore_fd, f, chunk, &full[i]) ||
		      bpf_map_update_elem(target, &zero, &base_fd, BPF_ANY) ||
		      run_ns(b, b->restore_fd, f, chunk, &base[i]);
		diff[i] = (__s64)full[i] - base[i];
	}
	read_counters(b, &c1);
	grew = t->taken(b, &c1, t->counter) - grew;
	if (err) {
		fprintf(stderr, "xdp_bench: %s: test_run: %s\n", name,
			strerror(errno));
		return -1;
	}
	if (grew != (__u64)REPEAT * RUNS) {
		fprintf(stderr,
			"xdp_bench: %s: %llu of %d repetitions took the "
			"measured path (ring_full %llu, hello_event %llu, "
			"bad_cookie %llu)\n",
			name, (unsigned long long)grew, REPEAT * RUNS,
			(unsigned long long)(c1.ring_full - c0.ring_full),
			(unsigned long long)(c1.hello_event - c0.hello_event),
			(unsigned long long)(c1.bad_cookie - c0.bad_cookie));
		return -1;
	}
	qsort(full, RUNS, sizeof(full[0]), cmp_u32);
	qsort(base, RUNS, sizeof(base[0]), cmp_u32);
	qsort(diff, RUNS, sizeof(diff[0]), cmp_s64);
	printf("# %s: harness+program %u, harness+%s %u (medians), "
	       "difference %lld (median of the turns'), %s %u, "
	       "%u repetitions a call\n",
	       name, full[RUNS / 2], trim_len ? "trim" : "empty",
	       base[RUNS / 2], (long long)diff[RUNS / 2],
	       trim_len ? "trim" : "empty", base_ns,
	       chunk < REPEAT ? chunk : REPEAT);
	emit(b, name,
	     diff[RUNS / 2] > 0 ? (__u32)diff[RUNS / 2] + base_ns : base_ns);
	return 0;
}

/* A Hello data segment (valid cookie) carrying the corpus file name. */
static int hello_frame(struct bench *b, const char *name, struct frame *f)
{
	struct frame syn;
	unsigned char *hello;
	char path[512];
	__u32 cookie;
	size_t len;

	snprintf(path, sizeof(path), "%s/%s", HELLO_CORPUS_DIR, name);
	if (read_whole_file(path, &hello, &len))
		return -1;
	build_segment(&syn, 0, 0, IPPROTO_TCP, 9971, TH_SYN, DEV_SEQ, 0, NULL,
		      0);
	if (syn_cookie(b, &syn, &cookie)) {
		free(hello);
		return -1;
	}
	build_segment(f, 0, 0, IPPROTO_TCP, 9971, TH_ACK | TH_PSH, DEV_SEQ + 1,
		      cookie + 1, hello, len);
	free(hello);
	return 0;
}

#define PAYLOAD_OFF (TCP_OFF + 20) /* the Hello cases' TCP header: 20 */
#define UUID_COUNTER_OFF (PAYLOAD_OFF + 8 + 12) /* last 4 UUID bytes */
#define REPLY_LEN (TCP_OFF + 20) /* the ACK+FIN: Ethernet, IPv4, TCP */
#define COUNTER(field) offsetof(struct amtsca_counters, field)
#define AMTSCA_TARGET(field)                            \
	(&(const struct target){ .fd = b->prog_fd,      \
				 .taken = amtsca_taken, \
				 .counter = COUNTER(field) })
#define FLOOR_TARGET(prog)                                                    \
	(&(const struct target){ .fd = bpf_program__fd(b->floor->progs.prog), \
				 .taken = floor_taken })

static int run_cases(struct bench *b)
{
	struct frame f, hello;
	struct amtsca_dev_key key;
	unsigned char junk[100];
	__u32 empty_ns, chunk;
	size_t i;
	int err = 0;

	build_segment(&f, 0, 0, IPPROTO_UDP, 9971, 0, 0, 0, NULL, 0);
	if (median_ns(b, b->empty_fd, &f, REPEAT, &empty_ns))
		return -1;
	emit(b, "empty", empty_ns);
	err |= bench_direct(b, "pass_udp", b->prog_fd, &f);
	build_segment(&f, 0, 0, IPPROTO_TCP, 80, TH_SYN, DEV_SEQ, 0, NULL, 0);
	err |= bench_direct(b, "pass_tcp_other_port", b->prog_fd, &f);

	build_segment(&f, 0, 0, IPPROTO_TCP, 9971, TH_SYN, DEV_SEQ, 0, NULL, 0);
	/* The SYN-ACK is longer than the SYN: the harness grows nothing. */
	err |= bench_restored(b, "syn", &f, REPEAT, 0, AMTSCA_TARGET(syn_ack),
			      empty_ns, 0);

	if (add_known_devices(b))
		return -1;
	if (hello_frame(b, "psk-valid.bin", &hello))
		return -1;
	chunk = ring_chunk(hello.len - PAYLOAD_OFF);
	err |= bench_restored(b, "hello_v2", &hello, chunk, UUID_COUNTER_OFF,
			      AMTSCA_TARGET(hello_event), empty_ns, REPLY_LEN);
	if (hello_frame(b, "meshcentral-841.bin", &hello))
		return -1;
	chunk = ring_chunk(hello.len - PAYLOAD_OFF);
	err |= bench_restored(b, "hello_v3_841", &hello, chunk,
			      UUID_COUNTER_OFF, AMTSCA_TARGET(hello_event),
			      empty_ns, REPLY_LEN);
	if (hello.len != PAYLOAD_OFF + FLOOR_HELLO_LEN) {
		fprintf(stderr, "xdp_bench: the floor is built for %d bytes\n",
			FLOOR_HELLO_LEN);
		return -1;
	}
	err |= bench_restored(b, "floor_v3_841", &hello, chunk,
			      UUID_COUNTER_OFF, FLOOR_TARGET(floor_v3_841),
			      empty_ns, REPLY_LEN);
	err |= bench_restored(b, "floor_validated_v3_841", &hello, chunk,
			      UUID_COUNTER_OFF,
			      FLOOR_TARGET(floor_validated_v3_841), empty_ns,
			      REPLY_LEN);
	err |= bench_restored(b, "floor_deduped_v3_841", &hello, chunk,
			      UUID_COUNTER_OFF,
			      FLOOR_TARGET(floor_deduped_v3_841), empty_ns,
			      REPLY_LEN);
	memcpy(key.uuid, hello.buf + PAYLOAD_OFF + 8, sizeof(key.uuid));
	if (add_done_device(b, &key))
		return -1;
	err |= bench_restored(b, "hello_dup", &hello, chunk, 0,
			      AMTSCA_TARGET(suppressed), empty_ns, REPLY_LEN);

	/* Bytes to the port with no valid cookie: dropped, frame unchanged. */
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (unsigned char)(i * 151 + 7);
	build_segment(&f, 0, 0, IPPROTO_TCP, 9971, TH_ACK | TH_PSH, DEV_SEQ,
		      0x5a5a5a5a, junk, sizeof(junk));
	err |= bench_direct(b, "garbage", b->prog_fd, &f);
	return err;
}

/* The floor checks cookies with amtsca_xdp's key (amtsca_config). */
static int copy_cookie_key(struct bench *b)
{
	struct amtsca_xdp_config cfg;
	__u32 zero = 0;

	if (bpf_map__lookup_elem(b->skel->maps.amtsca_config, &zero,
				 sizeof(zero), &cfg, sizeof(cfg), 0))
		return -1;
	memcpy(b->floor->bss->cookie_key, cfg.cookie_key,
	       sizeof(b->floor->bss->cookie_key));
	return 0;
}

static char bench_netns[64];

static void remove_netns(void)
{
	char cmd[128];

	if (!bench_netns[0])
		return;
	snprintf(cmd, sizeof(cmd), "ip netns del %s", bench_netns);
	if (system(cmd))
		fprintf(stderr, "xdp_bench: could not remove netns %s\n",
			bench_netns);
	bench_netns[0] = 0;
}

static void on_signal(int sig)
{
	(void)sig;
	exit(1);
}

/*
 * Each BPF_PROG_TEST_RUN call of an XDP program not attached anywhere
 * adds it to the kernel's XDP dispatcher and removes it again, and each
 * change waits for an RCU grace period (~10-20 ms here). The Hello cases
 * make thousands of calls, so bench_restore is attached natively to a
 * veth that stays down in a network namespace of the bench's own
 * (amtsca-bench-PID, removed at exit): in the dispatcher already, a call
 * only takes a reference. The namespace is entered for good.
 */
static int keep_in_dispatcher(int prog_fd)
{
	char cmd[160], path[128];
	int fd, ifindex;

	snprintf(bench_netns, sizeof(bench_netns), "amtsca-bench-%d",
		 (int)getpid());
	atexit(remove_netns);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	snprintf(cmd, sizeof(cmd), "ip netns add %s", bench_netns);
	if (system(cmd)) {
		bench_netns[0] = 0;
		return -1;
	}
	snprintf(path, sizeof(path), "/run/netns/%s", bench_netns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	if (system("ip link add amtb0 type veth peer name amtb1"))
		return -1;
	ifindex = if_nametoindex("amtb0");
	if (!ifindex ||
	    bpf_xdp_attach(ifindex, prog_fd, XDP_FLAGS_DRV_MODE, NULL))
		return -1;
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
	struct bench b = {};
	const char *ttl;
	int err;

	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: xdp_bench RESULTS_FILE [CASE]\n");
		return 2;
	}
	b.only = argc == 3 ? argv[2] : NULL;
	b.out = fopen(argv[1], "a");
	if (!b.out) {
		perror(argv[1]);
		return 1;
	}
	/* BPF_XDP as libbpf's SEC("xdp"): a tail call target must match. */
	LIBBPF_OPTS(bpf_prog_load_opts, empty_opts,
		    .expected_attach_type = BPF_XDP);
	b.empty_fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "empty", "GPL", empty, 2,
				   &empty_opts);
	b.skel = amtsca__open();
	if (b.skel) {
		bpf_map__set_max_entries(b.skel->maps.amtsca_events,
					 BENCH_RING_BYTES);
		/* The cost of the program's amtsca_recent mark: compare with 0. */
		ttl = getenv("XDP_BENCH_QUEUED_TTL_NS");
		if (ttl)
			b.skel->rodata->queued_ttl_ns = strtoull(ttl, NULL, 0);
	}
	b.harness = xdp_bench__open_and_load();
	b.floor = xdp_floor__open();
	if (b.floor)
		bpf_map__set_max_entries(b.floor->maps.floor_events,
					 BENCH_RING_BYTES);
	if (b.empty_fd < 0 || !b.skel || amtsca__load(b.skel) || !b.harness ||
	    !b.floor || xdp_floor__load(b.floor)) {
		fprintf(stderr, "xdp_bench: cannot load the programs\n");
		return 1;
	}
	if (copy_cookie_key(&b)) {
		fprintf(stderr, "xdp_bench: cannot read the cookie key\n");
		return 1;
	}
	b.prog_fd = bpf_program__fd(b.skel->progs.amtsca_xdp);
	b.restore_fd = bpf_program__fd(b.harness->progs.bench_restore);
	b.trim_fd = bpf_program__fd(b.harness->progs.bench_trim);
	if (keep_in_dispatcher(b.restore_fd)) {
		fprintf(stderr, "xdp_bench: cannot attach the harness: %s\n",
			strerror(errno));
		return 1;
	}
	/* One reader drains both rings: amtsca_xdp's and the floor's. */
	b.rb = ring_buffer__new(bpf_map__fd(b.skel->maps.amtsca_events),
				count_record, &b, NULL);
	if (!b.rb ||
	    ring_buffer__add(b.rb, bpf_map__fd(b.floor->maps.floor_events),
			     count_record, &b)) {
		fprintf(stderr, "xdp_bench: ring buffer: %s\n",
			strerror(errno));
		return 1;
	}
	err = run_cases(&b);
	ring_buffer__free(b.rb);
	xdp_floor__destroy(b.floor);
	xdp_bench__destroy(b.harness);
	amtsca__destroy(b.skel);
	fclose(b.out);
	return err ? 1 : 0;
}
