// SPDX-License-Identifier: GPL-2.0-only
/*
 * xdp_backend and link_watch against the running kernel (root): pinning
 * and re-use of the pins, the runtime configuration map (prefixes, rates),
 * device state, counters, bpf_link attach modes, and interface following.
 * Each test runs in its own child (kselftest harness) and, where it needs
 * interfaces, in a network namespace of its own (unshare), with a private
 * bpffs mounted under a temporary directory.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <amtsca/device_state.h>
#include <bpf/bpf.h>

#include "config.h"
#include "kselftest_harness.h"
#include "link_watch.h"
#include "tcp_frame.h"
#include "xdp_backend.h"

static void no_hello(const struct hello_event *ev, void *arg)
{
	(void)ev;
	(void)arg;
}

FIXTURE(bpffs)
{
	char dir[64];
	char pin[96];
	struct xdp_backend *b;
	char err[512];
};

FIXTURE_SETUP(bpffs)
{
	struct xdp_backend_opts o = { .port = 9971, .mss = 1460 };

	/* A private mount namespace: the bpffs goes away with the child. */
	ASSERT_EQ(0, unshare(CLONE_NEWNS));
	ASSERT_EQ(0, mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
	strcpy(self->dir, "/tmp/xdp_backend_test.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_EQ(0, mount("bpf", self->dir, "bpf", 0, NULL));
	snprintf(self->pin, sizeof(self->pin), "%s/a/b", self->dir);
	o.pin_path = self->pin;
	ASSERT_EQ(0, xdp_backend_open(&self->b, &o, no_hello, NULL, self->err,
				      sizeof(self->err)))
	TH_LOG("%s", self->err);
}

FIXTURE_TEARDOWN(bpffs)
{
	xdp_backend_close(self->b, false);
	umount2(self->dir, MNT_DETACH);
	rmdir(self->dir);
}

static int pinned(const char *dir, const char *name)
{
	char path[160];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return !access(path, F_OK);
}

/* Are the amtsca_known bits of uuid set in the maps pinned under pin? */
static int known_bits_set(const char *pin, const uint8_t uuid[16])
{
	char path[160];
	__u32 w[4], word;
	__u64 v = 0, h;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", pin, AMTSCA_MAP_KNOWN);
	fd = bpf_obj_get(path);
	if (fd < 0)
		return 0;
	memcpy(w, uuid, sizeof(w));
	h = amtsca_known_hash(w);
	word = amtsca_known_word(h);
	if (bpf_map_lookup_elem(fd, &word, &v))
		v = 0;
	close(fd);
	return amtsca_known_maybe(v, h);
}

TEST_F(bpffs, maps_pinned_and_reused)
{
	struct xdp_backend_opts o = { .port = 9971, .mss = 1460 };
	static const uint8_t uuid[16] = { 1, 2, 3 };
	struct amtsca_dev_entry e;
	struct amtsca_dev_key key;
	int fd;

	EXPECT_EQ(0, xdp_backend_reused_maps(self->b));
	EXPECT_TRUE(pinned(self->pin, AMTSCA_MAP_COUNTERS));
	EXPECT_TRUE(pinned(self->pin, AMTSCA_MAP_EVENTS));
	EXPECT_TRUE(pinned(self->pin, AMTSCA_MAP_DEVICES));
	EXPECT_TRUE(pinned(self->pin, AMTSCA_MAP_CONFIG));
	EXPECT_FALSE(pinned(self->pin, "amtsca_bpf.rodata"));
	ASSERT_EQ(0, xdp_backend_set_device_state(self->b, uuid,
						  AMTSCA_DEV_DONE, 0));
	xdp_backend_close(self->b, false);

	/* A second instance (a restarted daemon) finds the state. */
	o.pin_path = self->pin;
	ASSERT_EQ(0, xdp_backend_open(&self->b, &o, no_hello, NULL, self->err,
				      sizeof(self->err)));
	EXPECT_GE(xdp_backend_reused_maps(self->b), 4);
	fd = bpf_obj_get(strcat(strcpy((char[160]){ 0 }, self->pin),
				"/" AMTSCA_MAP_DEVICES));
	ASSERT_GE(fd, 0);
	memcpy(key.uuid, uuid, 16);
	ASSERT_EQ(0, bpf_map_lookup_elem(fd, &key, &e));
	EXPECT_EQ(AMTSCA_DEV_DONE, e.state);
	EXPECT_EQ(0, e.expires_ns);
	/* Its amtsca_known bit is set (the program looks it up at all). */
	EXPECT_TRUE(known_bits_set(self->pin, uuid));
	ASSERT_EQ(0, xdp_backend_set_device_state(self->b, uuid,
						  AMTSCA_DEV_FAILED, 77));
	ASSERT_EQ(0, bpf_map_lookup_elem(fd, &key, &e));
	EXPECT_EQ(AMTSCA_DEV_FAILED, e.state);
	EXPECT_EQ(77, e.expires_ns);
	/* UNKNOWN deletes the entry; deleting twice is no error. */
	ASSERT_EQ(0, xdp_backend_set_device_state(self->b, uuid,
						  AMTSCA_DEV_UNKNOWN, 0));
	EXPECT_EQ(-ENOENT, bpf_map_lookup_elem(fd, &key, &e));
	EXPECT_EQ(0, xdp_backend_set_device_state(self->b, uuid,
						  AMTSCA_DEV_UNKNOWN, 0));
	close(fd);

	/* Asked to, close removes the pins. */
	xdp_backend_close(self->b, true);
	self->b = NULL;
	EXPECT_FALSE(pinned(self->pin, AMTSCA_MAP_COUNTERS));
	EXPECT_FALSE(pinned(self->pin, AMTSCA_MAP_DEVICES));
	EXPECT_NE(0, access(self->pin, F_OK));
}

/*
 * The intake's QUEUED marks, n devices in one call: each gets its entry
 * and its amtsca_known bit (without the bit the program would not look
 * the entry up, and the mark would suppress nothing).
 */
TEST_F(bpffs, batch_marks_set_known_bits)
{
	static const uint8_t uuids[3][16] = { { 9, 1 }, { 9, 2 }, { 9, 3 } };
	struct amtsca_dev_entry e;
	struct amtsca_dev_key key;
	int fd, i;

	fd = bpf_obj_get(strcat(strcpy((char[160]){ 0 }, self->pin),
				"/" AMTSCA_MAP_DEVICES));
	ASSERT_GE(fd, 0);
	for (i = 0; i < 3; i++)
		EXPECT_FALSE(known_bits_set(self->pin, uuids[i]));
	ASSERT_EQ(0, xdp_backend_set_device_states(self->b, uuids, 3,
						   AMTSCA_DEV_QUEUED, 123));
	for (i = 0; i < 3; i++) {
		memcpy(key.uuid, uuids[i], 16);
		ASSERT_EQ(0, bpf_map_lookup_elem(fd, &key, &e));
		EXPECT_EQ(AMTSCA_DEV_QUEUED, e.state);
		EXPECT_EQ(123, e.expires_ns);
		EXPECT_TRUE(known_bits_set(self->pin, uuids[i]));
	}
	close(fd);
}

/*
 * More devices than amtsca_devices holds: every mark is taken (the least
 * recently used entries make room), the newest are there.
 */
TEST_F(bpffs, device_map_full_drops_the_oldest)
{
	const uint32_t n = AMTSCA_DEVICES_MAX + AMTSCA_DEVICES_MAX / 4;
	uint8_t(*uuids)[16] = calloc(n, 16);
	struct amtsca_dev_entry e;
	struct amtsca_dev_key key;
	uint32_t i, batch = 1024, found = 0;
	int fd, err = 0;

	ASSERT_NE(NULL, uuids);
	for (i = 0; i < n; i++) {
		uuids[i][0] = 0x5a;
		memcpy(&uuids[i][4], &i, sizeof(i));
	}
	for (i = 0; i < n && !err; i += batch)
		err = xdp_backend_set_device_states(
			self->b, (const uint8_t(*)[16])uuids[i],
			n - i < batch ? n - i : batch, AMTSCA_DEV_DONE, 0);
	ASSERT_EQ(0, err) TH_LOG("refused near device %u", i);
	fd = bpf_obj_get(strcat(strcpy((char[160]){ 0 }, self->pin),
				"/" AMTSCA_MAP_DEVICES));
	ASSERT_GE(fd, 0);
	for (i = n - 1000; i < n; i++) {
		memcpy(key.uuid, uuids[i], 16);
		found += !bpf_map_lookup_elem(fd, &key, &e) &&
			 e.state == AMTSCA_DEV_DONE;
	}
	EXPECT_EQ(1000, found);
	close(fd);
	free(uuids);
}

/*
 * A new config map gets a random SYN cookie key; a restarted daemon on the
 * pinned map keeps it (cookies in flight stay valid), a fresh pin
 * directory gets another.
 */
TEST_F(bpffs, cookie_key_random_and_kept)
{
	struct xdp_backend_opts o = { .port = 9971, .mss = 1460 };
	struct amtsca_xdp_config c1, c2;
	char other[128];

	ASSERT_EQ(0, xdp_backend_get_config(self->b, &c1));
	EXPECT_TRUE(c1.cookie_key[0] || c1.cookie_key[1]);
	xdp_backend_close(self->b, false);
	o.pin_path = self->pin;
	ASSERT_EQ(0, xdp_backend_open(&self->b, &o, no_hello, NULL, self->err,
				      sizeof(self->err)));
	ASSERT_EQ(0, xdp_backend_get_config(self->b, &c2));
	EXPECT_EQ(0,
		  memcmp(c1.cookie_key, c2.cookie_key, sizeof(c1.cookie_key)));
	xdp_backend_close(self->b, false);
	snprintf(other, sizeof(other), "%s/other", self->dir);
	o.pin_path = other;
	ASSERT_EQ(0, xdp_backend_open(&self->b, &o, no_hello, NULL, self->err,
				      sizeof(self->err)));
	ASSERT_EQ(0, xdp_backend_get_config(self->b, &c2));
	EXPECT_NE(0,
		  memcmp(c1.cookie_key, c2.cookie_key, sizeof(c1.cookie_key)));
}

TEST_F(bpffs, prefixes_keep_counts)
{
	struct config_prefix p[3];
	struct amtsca_xdp_config c;

	ASSERT_EQ(0, config_parse_prefix(&p[0], "198.18.0.0/15"));
	ASSERT_EQ(0, config_parse_prefix(&p[1], "fd00::/8"));
	ASSERT_EQ(0, config_parse_prefix(&p[2], "198.18.4.0/24"));
	ASSERT_EQ(0, xdp_backend_get_config(self->b, &c));
	EXPECT_EQ(0, c.v4_prefixes);
	EXPECT_EQ(0, c.v6_prefixes);

	ASSERT_EQ(0, xdp_backend_set_prefixes(self->b, p, 2));
	ASSERT_EQ(0, xdp_backend_get_config(self->b, &c));
	EXPECT_EQ(1, c.v4_prefixes);
	EXPECT_EQ(1, c.v6_prefixes);
	ASSERT_EQ(0, xdp_backend_prefix_add(self->b, &p[2]));
	ASSERT_EQ(0, xdp_backend_get_config(self->b, &c));
	EXPECT_EQ(2, c.v4_prefixes);
	/* Adding the same prefix again changes nothing. */
	ASSERT_EQ(0, xdp_backend_prefix_add(self->b, &p[2]));
	ASSERT_EQ(0, xdp_backend_get_config(self->b, &c));
	EXPECT_EQ(2, c.v4_prefixes);
	ASSERT_EQ(0, xdp_backend_prefix_remove(self->b, &p[0]));
	ASSERT_EQ(0, xdp_backend_get_config(self->b, &c));
	EXPECT_EQ(1, c.v4_prefixes);
	EXPECT_EQ(-ENOENT, xdp_backend_prefix_remove(self->b, &p[0]));

	/* Replace: only fd00::/8 stays. */
	ASSERT_EQ(0, xdp_backend_set_prefixes(self->b, &p[1], 1));
	ASSERT_EQ(0, xdp_backend_get_config(self->b, &c));
	EXPECT_EQ(0, c.v4_prefixes);
	EXPECT_EQ(1, c.v6_prefixes);
	ASSERT_EQ(0, xdp_backend_set_prefixes(self->b, NULL, 0));
	ASSERT_EQ(0, xdp_backend_get_config(self->b, &c));
	EXPECT_EQ(0, c.v6_prefixes);

	p[0].len = 33;
	EXPECT_EQ(-EINVAL, xdp_backend_prefix_add(self->b, &p[0]));
}

TEST_F(bpffs, rates_and_counters)
{
	struct xdp_rates r = { 10, 20, 30, 40 };
	struct amtsca_xdp_config c;
	struct amtsca_counters sum;
	struct config_prefix p;

	ASSERT_EQ(0, config_parse_prefix(&p, "198.18.0.0/15"));
	ASSERT_EQ(0, xdp_backend_prefix_add(self->b, &p));
	ASSERT_EQ(0, xdp_backend_set_rates(self->b, &r));
	ASSERT_EQ(0, xdp_backend_get_config(self->b, &c));
	EXPECT_EQ(10, c.syn_rate);
	EXPECT_EQ(20, c.syn_burst);
	EXPECT_EQ(30, c.data_rate);
	EXPECT_EQ(40, c.data_burst);
	/* Setting rates leaves the prefix count alone. */
	EXPECT_EQ(1, c.v4_prefixes);
	ASSERT_EQ(0, xdp_backend_read_counters(self->b, &sum));
	EXPECT_EQ(0, sum.rx_total);
}

static int hellos_seen;
static uint8_t hello_uuid[16];

static void count_hello(const struct hello_event *ev, void *arg)
{
	(void)arg;
	hellos_seen++;
	memcpy(hello_uuid, ev->hello + 8, 16);
}

/* One frame through the loaded program; the reply lands in out. */
static int run_frame(int prog_fd, const struct frame *in, struct frame *out)
{
	LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = in->buf,
		    .data_size_in = in->len, .data_out = out->buf,
		    .data_size_out = sizeof(out->buf), .repeat = 1);

	if (bpf_prog_test_run_opts(prog_fd, &t))
		return -1;
	out->len = t.data_size_out;
	return t.retval;
}

/*
 * A device's SYN and its Hello (psk-valid.bin) through the program of b,
 * over IPv4: the Hello becomes a ring record.
 */
static int device_sends_hello(struct xdp_backend *b)
{
	unsigned char hello[64];
	struct frame in, out;
	unsigned int cookie;
	size_t len;
	FILE *f =
		fopen(AMTSCA_SRCDIR "/tests/corpus/hello/psk-valid.bin", "rb");

	if (!f)
		return -1;
	len = fread(hello, 1, sizeof(hello), f);
	fclose(f);
	build_segment(&in, 0, 0, IPPROTO_TCP, 9971, TH_SYN, 1000, 0, NULL, 0);
	if (run_frame(xdp_backend_prog_fd(b), &in, &out) != 3 /* XDP_TX */)
		return -1;
	/* SYN-ACK: Ethernet 14 + IPv4 20, sequence number at TCP offset 4. */
	cookie = ntohl(*(uint32_t *)(out.buf + 14 + 20 + 4));
	build_segment(&in, 0, 0, IPPROTO_TCP, 9971, TH_ACK | TH_PSH, 1001,
		      cookie + 1, hello, len);
	return run_frame(xdp_backend_prog_fd(b), &in, &out) == 3 ? 0 : -1;
}

/* xdp.mss and xdp.window reach the SYN-ACK of the loaded program. */
TEST_F(bpffs, reply_window_and_mss_from_options)
{
	struct xdp_backend_opts o = { .port = 9971,
				      .mss = 1400,
				      .window = 1000 };
	struct frame in, out;
	const unsigned char *tcp = out.buf + 14 + 20;

	xdp_backend_close(self->b, true);
	o.pin_path = self->pin;
	ASSERT_EQ(0, xdp_backend_open(&self->b, &o, no_hello, NULL, self->err,
				      sizeof(self->err)));
	build_segment(&in, 0, 0, IPPROTO_TCP, 9971, TH_SYN, 1000, 0, NULL, 0);
	ASSERT_EQ(3 /* XDP_TX */,
		  run_frame(xdp_backend_prog_fd(self->b), &in, &out));
	EXPECT_EQ(1000, (tcp[14] << 8) | tcp[15]);
	/* The MSS option (kind 2, length 4) right after the header. */
	EXPECT_EQ(2, tcp[20]);
	EXPECT_EQ(1400, (tcp[22] << 8) | tcp[23]);
}

TEST_F(bpffs, unread_records_reach_the_next_instance)
{
	struct xdp_backend_opts o = { .port = 9971, .mss = 1460 };
	struct amtsca_counters sum;

	ASSERT_EQ(0, device_sends_hello(self->b));
	ASSERT_EQ(0, xdp_backend_read_counters(self->b, &sum));
	EXPECT_EQ(1, sum.syn_ack);
	EXPECT_EQ(1, sum.hello_event);
	/* The daemon stops before reading the record... */
	xdp_backend_close(self->b, false);

	/* ...and the next one, on the same pins, gets it. */
	o.pin_path = self->pin;
	hellos_seen = 0;
	ASSERT_EQ(0, xdp_backend_open(&self->b, &o, count_hello, NULL,
				      self->err, sizeof(self->err)));
	EXPECT_EQ(1, xdp_backend_consume(self->b));
	EXPECT_EQ(1, hellos_seen);
	EXPECT_EQ(0x4b, hello_uuid[0]);
	EXPECT_EQ(0x2b, hello_uuid[15]);
	EXPECT_EQ(0, xdp_backend_consume(self->b));
	ASSERT_EQ(0, xdp_backend_read_counters(self->b, &sum));
	EXPECT_EQ(1, sum.hello_event);
}

TEST(pin_path_not_on_bpffs)
{
	struct xdp_backend_opts o = { .port = 9971, .mss = 1460 };
	char dir[] = "/tmp/xdp_backend_test.XXXXXX", err[512] = "";
	struct xdp_backend *b;

	ASSERT_NE(NULL, mkdtemp(dir));
	o.pin_path = dir;
	EXPECT_EQ(-ENOTDIR,
		  xdp_backend_open(&b, &o, no_hello, NULL, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "is not on a bpf filesystem"))
	TH_LOG("%s", err);
	rmdir(dir);
}

TEST(attach_modes)
{
	enum xdp_attach_mode m;

	ASSERT_EQ(0, xdp_attach_mode_parse("generic", &m));
	EXPECT_EQ(XDP_ATTACH_GENERIC, m);
	ASSERT_EQ(0, xdp_attach_mode_parse("auto", &m));
	EXPECT_EQ(XDP_ATTACH_AUTO, m);
	EXPECT_EQ(-1, xdp_attach_mode_parse("hw", &m));
	EXPECT_STREQ("native", xdp_attach_mode_name(XDP_ATTACH_NATIVE));
}

/* A veth pair in this child's own network namespace. */
static int own_netns_with_veth(void)
{
	if (unshare(CLONE_NEWNET))
		return -1;
	return system("ip link add xt0 type veth peer name xt1 && "
		      "ip link set lo up");
}

static int xdp_mode_of(const char *ifname)
{
	char cmd[160], out[16] = "";
	FILE *f;

	snprintf(cmd, sizeof(cmd),
		 "ip -j link show %s | jq -r '.[0].xdp.mode // 0'", ifname);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	if (!fgets(out, sizeof(out), f))
		out[0] = '\0';
	pclose(f);
	return atoi(out);
}

TEST_F(bpffs, attach_native_generic_detach)
{
	int ifindex;
	enum xdp_attach_mode used;

	ASSERT_EQ(0, own_netns_with_veth());
	ifindex = if_nametoindex("xt0");
	ASSERT_GT(ifindex, 0);
	ASSERT_EQ(0, xdp_backend_attach(self->b, ifindex, XDP_ATTACH_NATIVE,
					&used, self->err, sizeof(self->err)))
	TH_LOG("%s", self->err);
	EXPECT_EQ(XDP_ATTACH_NATIVE, used);
	EXPECT_EQ(1, xdp_mode_of("xt0"));
	/* Attaching again replaces our own link. */
	ASSERT_EQ(0, xdp_backend_attach(self->b, ifindex, XDP_ATTACH_GENERIC,
					&used, self->err, sizeof(self->err)))
	TH_LOG("%s", self->err);
	EXPECT_EQ(XDP_ATTACH_GENERIC, used);
	EXPECT_EQ(2, xdp_mode_of("xt0"));
	ASSERT_EQ(0, xdp_backend_attach(self->b, ifindex, XDP_ATTACH_AUTO,
					&used, self->err, sizeof(self->err)));
	EXPECT_EQ(XDP_ATTACH_NATIVE, used);
	ASSERT_EQ(0, xdp_backend_detach(self->b, ifindex));
	EXPECT_EQ(0, xdp_mode_of("xt0"));
	EXPECT_EQ(0, xdp_backend_detach(self->b, ifindex));
}

TEST_F(bpffs, attach_refused_when_interface_taken)
{
	char prog[256];
	enum xdp_attach_mode used;
	int ifindex;

	ASSERT_EQ(0, own_netns_with_veth());
	ifindex = if_nametoindex("xt0");
	snprintf(
		prog, sizeof(prog),
		"ip link set dev xt0 xdpdrv obj %s/build/tests/device_side.bpf.o sec xdp",
		AMTSCA_SRCDIR);
	ASSERT_EQ(0, system(prog));
	EXPECT_EQ(-EBUSY,
		  xdp_backend_attach(self->b, ifindex, XDP_ATTACH_AUTO, &used,
				     self->err, sizeof(self->err)));
	EXPECT_NE(NULL, strstr(self->err, "another XDP program"))
	TH_LOG("%s", self->err);
}

struct link_report {
	int calls;
	int ifindex;
	bool up;
};

static void on_link(const char *name, int ifindex, bool up, void *arg)
{
	struct link_report *r = arg;

	if (strcmp(name, "lw0"))
		return;
	r->calls++;
	r->ifindex = ifindex;
	r->up = up;
}

/* Process link events until the report changes (at most 2 s). */
static void wait_report(struct link_watch *lw, struct link_report *r)
{
	struct pollfd p = { .fd = link_watch_fd(lw), .events = POLLIN };
	int calls = r->calls, i;

	for (i = 0; i < 20 && r->calls == calls; i++)
		if (poll(&p, 1, 100) > 0)
			link_watch_process(lw);
}

TEST(link_watch_follows_interface)
{
	static const char *const names[] = { "lw0" };
	struct link_report r = { 0 };
	struct link_watch *lw;
	int first, i;

	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, link_watch_new(&lw, names, 1, on_link, &r));
	link_watch_scan(lw);
	EXPECT_EQ(1, r.calls);
	EXPECT_EQ(0, r.ifindex);

	ASSERT_EQ(0, system("ip link add lw0 type veth peer name lw1"));
	wait_report(lw, &r);
	EXPECT_EQ(2, r.calls);
	first = r.ifindex;
	EXPECT_EQ(if_nametoindex("lw0"), (unsigned int)first);
	EXPECT_FALSE(r.up);

	ASSERT_EQ(0, system("ip link set lw0 up"));
	wait_report(lw, &r);
	EXPECT_EQ(3, r.calls);
	EXPECT_TRUE(r.up);

	/* Deleted and recreated before the events are read: one report. */
	ASSERT_EQ(0, system("ip link del lw0 && "
			    "ip link add lw0 type veth peer name lw1"));
	wait_report(lw, &r);
	EXPECT_NE(first, r.ifindex);
	EXPECT_EQ(if_nametoindex("lw0"), (unsigned int)r.ifindex);

	/*
	 * With both ends up, IPv6 sends RTM_NEWLINK of family AF_INET6 for
	 * the interface too, which no RTM_DELLINK removes from the cache:
	 * the name must still resolve to the live interface, every time.
	 */
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0,
			  system("ip link set lw0 up && ip link set lw1 up"));
		wait_report(lw, &r);
		EXPECT_TRUE(r.up);
		/* Let IPv6 announce the interface (its link-local address). */
		usleep(300000);
		link_watch_process(lw);
		first = r.ifindex;
		ASSERT_EQ(0, system("ip link del lw0 && "
				    "ip link add lw0 type veth peer name lw1"));
		wait_report(lw, &r);
		EXPECT_NE(first, r.ifindex) TH_LOG("round %d", i);
		EXPECT_EQ(if_nametoindex("lw0"), (unsigned int)r.ifindex);
	}

	ASSERT_EQ(0, system("ip link del lw0"));
	wait_report(lw, &r);
	EXPECT_EQ(0, r.ifindex);
	link_watch_free(lw);
}

TEST_HARNESS_MAIN
