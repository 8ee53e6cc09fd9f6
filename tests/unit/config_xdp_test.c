// SPDX-License-Identifier: GPL-2.0-only
/* The [xdp] block of amtsca.conf: lists, prefixes, mode, errors. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "amtsca/hello.h"
#include "config.h"
#include "kselftest_harness.h"

TEST(defaults)
{
	struct amtsca_config cfg;

	config_defaults(&cfg);
	EXPECT_STREQ("native", cfg.xdp.mode);
	EXPECT_STREQ("/sys/fs/bpf/amtsca", cfg.xdp.pin_path);
	EXPECT_EQ(1460, cfg.xdp.mss);
	EXPECT_EQ(64240, cfg.xdp.window);
	EXPECT_EQ(0, cfg.xdp.n_interfaces);
	EXPECT_EQ(0, cfg.xdp.n_prefixes);
	EXPECT_EQ(0, cfg.hello.type3_sha512);
	EXPECT_EQ(0, cfg.hello.pid_printable);
	EXPECT_EQ(0U, config_hello_flags(&cfg));
	EXPECT_EQ(120, cfg.xdp.queued_ttl_s);
	EXPECT_EQ(0, cfg.xdp.syn_rate);
	EXPECT_STREQ("", cfg.xdp.next_prog);
}

TEST(lists_and_keys)
{
	struct amtsca_config cfg;
	char err[256];
	uint8_t want6[16] = { 0xfd, 0 };

	config_defaults(&cfg);
	ASSERT_EQ(0, config_override(&cfg, "xdp.interfaces=eth0, eth1 vlan7",
				     err, sizeof(err)));
	ASSERT_EQ(3, cfg.xdp.n_interfaces);
	EXPECT_STREQ("eth0", cfg.xdp.interfaces[0]);
	EXPECT_STREQ("vlan7", cfg.xdp.interfaces[2]);
	ASSERT_EQ(0,
		  config_override(
			  &cfg, "xdp.allowed_prefixes=198.19.7.9/15,fd00::1/8",
			  err, sizeof(err)));
	ASSERT_EQ(2, cfg.xdp.n_prefixes);
	EXPECT_EQ(AF_INET, cfg.xdp.prefixes[0].family);
	EXPECT_EQ(15, cfg.xdp.prefixes[0].len);
	/* host bits cleared: 198.19.7.9/15 is 198.18.0.0/15 */
	EXPECT_EQ(0, memcmp(cfg.xdp.prefixes[0].addr, "\xc6\x12\x00\x00", 4));
	EXPECT_EQ(AF_INET6, cfg.xdp.prefixes[1].family);
	EXPECT_EQ(8, cfg.xdp.prefixes[1].len);
	EXPECT_EQ(0, memcmp(cfg.xdp.prefixes[1].addr, want6, 16));
	ASSERT_EQ(0, config_override(&cfg, "xdp.window=29200", err,
				     sizeof(err)));
	EXPECT_EQ(29200, cfg.xdp.window);
	ASSERT_EQ(0, config_override(&cfg, "xdp.mode=auto", err, sizeof(err)));
	EXPECT_STREQ("auto", cfg.xdp.mode);
	ASSERT_EQ(0, config_override(&cfg, "hello.type3_sha512=1", err,
				     sizeof(err)));
	EXPECT_EQ(1, cfg.hello.type3_sha512);
	EXPECT_EQ(AMT_HELLO_F_TYPE3_SHA512, config_hello_flags(&cfg));
	ASSERT_EQ(0, config_override(&cfg, "hello.pid_chars=printable", err,
				     sizeof(err)));
	EXPECT_EQ(AMT_HELLO_F_TYPE3_SHA512 | AMT_HELLO_F_PID_PRINTABLE,
		  config_hello_flags(&cfg));
	ASSERT_EQ(0, config_override(&cfg, "hello.pid_chars=alnum", err,
				     sizeof(err)));
	EXPECT_EQ(0, cfg.hello.pid_printable);
	ASSERT_EQ(0,
		  config_override(&cfg, "xdp.interfaces=", err, sizeof(err)));
	EXPECT_EQ(0, cfg.xdp.n_interfaces);
	ASSERT_EQ(0, config_override(&cfg, "xdp.next_prog=/sys/fs/bpf/filter",
				     err, sizeof(err)));
	EXPECT_STREQ("/sys/fs/bpf/filter", cfg.xdp.next_prog);
	ASSERT_EQ(0,
		  config_override(&cfg, "xdp.next_prog=", err, sizeof(err)));
	EXPECT_STREQ("", cfg.xdp.next_prog);
}

TEST(bad_values_refused)
{
	static const char *const bad[] = {
		"xdp.mode=fast",
		"xdp.allowed_prefixes=198.18.0.0",
		"xdp.allowed_prefixes=198.18.0.0/33",
		"xdp.allowed_prefixes=fd00::/129",
		"xdp.allowed_prefixes=198.18.0.0/-1",
		"xdp.allowed_prefixes=nonsense/8",
		"xdp.interfaces=averyveryverylongname0",
		"xdp.mss=0",
		"xdp.window=0",
		"xdp.window=65536",
		"hello.type3_sha512=yes",
		"hello.pid_chars=any",
		"xdp.type3_sha512=1",
		"xdp.data_rate=-1",
		"xdp.data_burst=1000001",
		"xdp.nosuchkey=1",
		"xdp.next_prog=filter",
	};
	struct amtsca_config cfg;
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		config_defaults(&cfg);
		EXPECT_EQ(-1, config_override(&cfg, bad[i], err, sizeof(err)))
		TH_LOG("accepted %s", bad[i]);
		EXPECT_NE(NULL, strstr(err, bad[i])) TH_LOG("%s", err);
	}
}

TEST(too_many_interfaces)
{
	char list[CONFIG_XDP_MAX_IFACES * 8 + 32] = "xdp.interfaces=";
	struct amtsca_config cfg;
	char err[256];
	unsigned int i;

	for (i = 0; i <= CONFIG_XDP_MAX_IFACES; i++)
		sprintf(list + strlen(list), "e%u ", i);
	config_defaults(&cfg);
	EXPECT_EQ(-1, config_override(&cfg, list, err, sizeof(err)));
}

/* ring fix (helper H): xdp.ring_kib, a power of two from 16 KiB. */
TEST(ring_kib)
{
	static const char *const bad[] = { "xdp.ring_kib=0", "xdp.ring_kib=8",
					   "xdp.ring_kib=100",
					   "xdp.ring_kib=2097152" };
	struct amtsca_config cfg;
	char err[256];
	size_t i;

	config_defaults(&cfg);
	EXPECT_EQ(4096, cfg.xdp.ring_kib);
	ASSERT_EQ(0,
		  config_override(&cfg, "xdp.ring_kib=256", err, sizeof(err)));
	EXPECT_EQ(256, cfg.xdp.ring_kib);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		config_defaults(&cfg);
		EXPECT_EQ(-1, config_override(&cfg, bad[i], err, sizeof(err)))
		TH_LOG("accepted %s", bad[i]);
		EXPECT_NE(NULL, strstr(err, bad[i])) TH_LOG("%s", err);
	}
}

TEST_HARNESS_MAIN
