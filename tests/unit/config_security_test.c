// SPDX-License-Identifier: GPL-2.0-only
/* amtsca.conf [security] keys: defaults, values, refusals. */
#include <string.h>

#include "config.h"
#include "kselftest_harness.h"

TEST(security_defaults)
{
	struct amtsca_config cfg;

	config_defaults(&cfg);
	EXPECT_STREQ("amtsca", cfg.security_user);
	EXPECT_STREQ("amtsca", cfg.security_group);
	EXPECT_STREQ("none", cfg.security_capabilities);
	EXPECT_STREQ("kill", cfg.security_seccomp);
}

TEST(security_overrides)
{
	struct amtsca_config cfg;
	char err[256];

	config_defaults(&cfg);
	ASSERT_EQ(0, config_override(&cfg, "security.user=nobody", err,
				     sizeof(err)));
	ASSERT_EQ(0, config_override(&cfg, "security.group=nogroup", err,
				     sizeof(err)));
	ASSERT_EQ(0, config_override(&cfg, "security.capabilities=none", err,
				     sizeof(err)));
	ASSERT_EQ(0, config_override(&cfg, "security.seccomp=errno", err,
				     sizeof(err)));
	EXPECT_STREQ("nobody", cfg.security_user);
	EXPECT_STREQ("nogroup", cfg.security_group);
	EXPECT_STREQ("none", cfg.security_capabilities);
	EXPECT_STREQ("errno", cfg.security_seccomp);
	EXPECT_EQ(-1, config_override(&cfg, "security.seccomp=maybe", err,
				      sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "seccomp must be kill, errno, log or off"));
	EXPECT_EQ(-1,
		  config_override(&cfg, "security.user=", err, sizeof(err)));
	EXPECT_EQ(-1, config_override(&cfg, "security.chroot=/x", err,
				      sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "unknown key security.chroot"));
}

TEST_HARNESS_MAIN
