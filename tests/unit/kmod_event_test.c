// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kmod backend's Hello event parser on the genl_event seed messages
 * (tests/corpus/genl_event): the module's event layout in, struct
 * hello_event out; malformed events refused.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "hello_corpus.h"
#include "kmod_backend.h"
#include "kselftest_harness.h"

#define SEED_DIR AMTSCA_SRCDIR "/tests/corpus/genl_event/"

static int parse_seed(const char *name, struct hello_event *ev)
{
	unsigned char *data;
	size_t len;
	int r;

	if (read_whole_file(name, &data, &len))
		return -2;
	r = kmod_event_parse((const struct nlmsghdr *)data, len, ev);
	free(data);
	return r;
}

static void expect_hello_file(struct __test_metadata *_metadata,
			      const struct hello_event *ev, const char *file)
{
	unsigned char *data;
	size_t len;

	ASSERT_EQ(0, read_whole_file(file, &data, &len));
	ASSERT_EQ(len, ev->len);
	EXPECT_EQ(0, memcmp(data, ev->hello, len));
	free(data);
}

TEST(ipv4_psk)
{
	static struct hello_event ev;

	ASSERT_EQ(0, parse_seed(SEED_DIR "v4-psk.bin", &ev));
	EXPECT_EQ(AF_INET, ev.family);
	EXPECT_EQ(htonl(INADDR_LOOPBACK), ev.saddr.v4.s_addr);
	EXPECT_EQ(htonl(INADDR_LOOPBACK), ev.daddr.v4.s_addr);
	EXPECT_EQ(40000, ev.sport);
	EXPECT_EQ(9971, ev.dport);
	EXPECT_EQ(1, ev.ifindex);
	EXPECT_EQ(123456789ULL, ev.timestamp_ns);
	expect_hello_file(_metadata, &ev, HELLO_CORPUS_DIR "/psk-valid.bin");
}

TEST(ipv6_capture_807)
{
	static struct hello_event ev;

	ASSERT_EQ(0, parse_seed(SEED_DIR "v6-807.bin", &ev));
	EXPECT_EQ(AF_INET6, ev.family);
	EXPECT_TRUE(IN6_IS_ADDR_LOOPBACK(&ev.saddr.v6));
	EXPECT_EQ(40002, ev.sport);
	expect_hello_file(_metadata, &ev,
			  HELLO_CORPUS_DIR "/meshcentral-807.bin");
}

TEST(malformed_refused)
{
	static const char *const bad[] = {
		"invalid-hello.bin", "family-mismatch.bin", "missing-hello.bin",
		"wrong-cmd.bin",     "truncated.bin",
	};
	static struct hello_event ev;
	char path[512];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(path, sizeof(path), SEED_DIR "%s", bad[i]);
		EXPECT_EQ(-1, parse_seed(path, &ev))
		TH_LOG("%s parsed", bad[i]);
	}
}

/*
 * The module validates under the HELLO_FLAGS the daemon gave it; the
 * parser only refuses what no [hello] rule accepts (the intake applies
 * the configured ones): a lower-case PID passes it, a NUL does not.
 */
TEST(pid_rule_left_to_intake)
{
	static const struct {
		unsigned char c;
		int want;
	} cases[] = { { 'a', 0 }, { '~', 0 }, { 0, -1 }, { ' ', -1 } };
	unsigned char *msg, *hello, *at;
	static struct hello_event ev;
	size_t msg_len, hello_len, i;

	ASSERT_EQ(0, read_whole_file(SEED_DIR "v4-psk.bin", &msg, &msg_len));
	ASSERT_EQ(0, read_whole_file(HELLO_CORPUS_DIR "/psk-valid.bin", &hello,
				     &hello_len));
	at = memmem(msg, msg_len, hello, hello_len);
	ASSERT_NE(NULL, at);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		at[AMT_HELLO_HDR_LEN] = cases[i].c;
		EXPECT_EQ(cases[i].want,
			  kmod_event_parse((const struct nlmsghdr *)msg,
					   msg_len, &ev))
		TH_LOG("PID byte 0x%02x", cases[i].c);
	}
	free(hello);
	free(msg);
}

TEST(config_defaults_change_nothing)
{
	struct kmod_config cfg;

	kmod_config_init(&cfg);
	EXPECT_EQ(-1, cfg.port);
	EXPECT_EQ(-1, cfg.n_prefixes);
	EXPECT_EQ(-1, cfg.timeout_ms);
	EXPECT_EQ(-1, cfg.max_conns);
	EXPECT_EQ(-1, cfg.rate_per_sec);
	EXPECT_EQ(-1, cfg.hello_flags);
	EXPECT_STREQ("conns", kmod_stat_name(0));
	EXPECT_STREQ("invalid", kmod_stat_name(KMOD_STAT_COUNT - 1));
}

TEST_HARNESS_MAIN
