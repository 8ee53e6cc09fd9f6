// SPDX-License-Identifier: GPL-2.0-only
/* amtsca.conf parsing: keys, FILE:LINE errors, overrides. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "kselftest_harness.h"

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	fputs(text, f);
	fclose(f);
}

TEST(parses_every_key)
{
	char path[] = "/tmp/config_test.XXXXXX", err[256];
	struct amtsca_config cfg;
	int fd = mkstemp(path);

	ASSERT_GE(fd, 0);
	close(fd);
	write_file(path, "[daemon]\nbackend = kmod\nport = 9972\n"
			 "db_path = /tmp/x.db\nkey_file = /tmp/k\n"
			 "control_socket = /tmp/c.sock\n[session]\n"
			 "device_port = 16992\nconnect_timeout_ms = 250\n");
	config_defaults(&cfg);
	ASSERT_EQ(0, config_load(&cfg, path, err, sizeof(err)));
	EXPECT_STREQ("kmod", cfg.backend);
	EXPECT_EQ(9972, cfg.port);
	EXPECT_STREQ("/tmp/x.db", cfg.db_path);
	EXPECT_STREQ("/tmp/k", cfg.key_file);
	EXPECT_STREQ("/tmp/c.sock", cfg.control_socket);
	EXPECT_EQ(16992, cfg.device_port);
	EXPECT_EQ(250, cfg.connect_timeout_ms);
	unlink(path);
}

TEST(errors_name_file_and_line)
{
	char path[] = "/tmp/config_test.XXXXXX", err[256], want[300];
	struct amtsca_config cfg;
	int fd = mkstemp(path);

	ASSERT_GE(fd, 0);
	close(fd);
	write_file(path, "[daemon]\nport = 9971\nport = 70000\n");
	config_defaults(&cfg);
	ASSERT_EQ(-1, config_load(&cfg, path, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s:3: ", path);
	EXPECT_EQ(0, strncmp(err, want, strlen(want)));
	EXPECT_NE(NULL, strstr(err, "1..65535"));
	write_file(path, "[daemon]\n\nbogus = 1\n");
	ASSERT_EQ(-1, config_load(&cfg, path, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s:3: unknown key daemon.bogus", path);
	EXPECT_STREQ(want, err);
	unlink(path);
	EXPECT_EQ(-1, config_load(&cfg, path, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "cannot read"));
}

/* A line over the parser's limit is named as such, not a syntax error. */
TEST(long_lines)
{
	char path[] = "/tmp/config_test.XXXXXX", err[256], want[300];
	char text[512], comment[300];
	struct amtsca_config cfg;
	int fd = mkstemp(path);

	ASSERT_GE(fd, 0);
	close(fd);
	memset(comment, 'x', 198);
	comment[198] = 0;
	/* 2 + 196 = 198 characters: the longest line that fits. */
	snprintf(text, sizeof(text), "[daemon]\n# %.196s\nport = 9972\n",
		 comment);
	write_file(path, text);
	config_defaults(&cfg);
	ASSERT_EQ(0, config_load(&cfg, path, err, sizeof(err)));
	EXPECT_EQ(9972U, cfg.port);
	snprintf(text, sizeof(text), "[daemon]\nport = 9973\n# %s\n", comment);
	write_file(path, text);
	ASSERT_EQ(-1, config_load(&cfg, path, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s:3: line longer than 198 characters",
		 path);
	EXPECT_STREQ(want, err);
	/* An error before the long line is the one reported. */
	snprintf(text, sizeof(text), "[daemon]\nport = 0\n# %s\n", comment);
	write_file(path, text);
	ASSERT_EQ(-1, config_load(&cfg, path, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s:2: ", path);
	EXPECT_EQ(0, strncmp(err, want, strlen(want)));
	unlink(path);
}

TEST(overrides)
{
	struct amtsca_config cfg;
	char err[256];

	config_defaults(&cfg);
	EXPECT_EQ(0, config_override(&cfg, "session.connect_timeout_ms=900",
				     err, sizeof(err)));
	EXPECT_EQ(900, cfg.connect_timeout_ms);
	EXPECT_EQ(0, config_override(&cfg, "daemon.backend=kmod", err,
				     sizeof(err)));
	EXPECT_STREQ("kmod", cfg.backend);
	EXPECT_EQ(-1,
		  config_override(&cfg, "daemon.backend=tc", err, sizeof(err)));
	EXPECT_EQ(-1, config_override(&cfg, "noequals", err, sizeof(err)));
	EXPECT_EQ(-1,
		  config_override(&cfg, "daemon.port=abc", err, sizeof(err)));
	EXPECT_EQ(9971, cfg.port);
}

TEST(operations_keys)
{
	struct amtsca_config cfg;
	char err[256];

	config_defaults(&cfg);
	EXPECT_STREQ("127.0.0.1:9979", cfg.metrics_listen);
	EXPECT_STREQ("", cfg.doctor_dns_suffixes);
	EXPECT_EQ(0, config_override(&cfg, "metrics.listen=[::1]:9100", err,
				     sizeof(err)));
	EXPECT_STREQ("[::1]:9100", cfg.metrics_listen);
	EXPECT_EQ(0, config_override(&cfg, "doctor.dns_suffixes=a.test,b.test",
				     err, sizeof(err)));
	EXPECT_STREQ("a.test,b.test", cfg.doctor_dns_suffixes);
	EXPECT_EQ(-1,
		  config_override(&cfg, "metrics.listen=", err, sizeof(err)));
}

TEST_HARNESS_MAIN
