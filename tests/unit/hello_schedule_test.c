// SPDX-License-Identifier: GPL-2.0-only
/* hello_schedule: parsing, the default ConfigMgr schedule, retry count. */
#include <string.h>

#include "kselftest_harness.h"

#include "hello_schedule.h"

TEST(default_schedule)
{
	struct hello_schedule s;
	char err[128];

	ASSERT_EQ(0, hello_schedule_parse(HELLO_SCHEDULE_DEFAULT, &s, err,
					  sizeof(err)));
	ASSERT_EQ(3u, s.n_steps);
	EXPECT_EQ(40u, hello_schedule_total(&s));
	/* Once a minute for five Hellos, ... */
	EXPECT_EQ(60, hello_schedule_delay(&s, 0));
	EXPECT_EQ(60, hello_schedule_delay(&s, 4));
	/* ... every five minutes for twelve, ... */
	EXPECT_EQ(300, hello_schedule_delay(&s, 5));
	EXPECT_EQ(300, hello_schedule_delay(&s, 16));
	/* ... hourly for the rest; nothing after the 40th. */
	EXPECT_EQ(3600, hello_schedule_delay(&s, 17));
	EXPECT_EQ(3600, hello_schedule_delay(&s, 38));
	EXPECT_EQ(-1, hello_schedule_delay(&s, 39));
	EXPECT_EQ(-1, hello_schedule_delay(&s, 1000));
	EXPECT_EQ(0u, hello_schedule_offset(&s, 0));
	EXPECT_EQ(300u, hello_schedule_offset(&s, 5));
	EXPECT_EQ(300u + 12 * 300, hello_schedule_offset(&s, 17));
	/* The whole schedule spans just over 24 hours. */
	EXPECT_EQ(300u + 3600 + 22 * 3600, hello_schedule_offset(&s, 39));
}

TEST(retry_count_saturates)
{
	EXPECT_EQ(0u, hello_retry_count(0, HELLO_RETRY_MAX));
	EXPECT_EQ(1u, hello_retry_count(1, HELLO_RETRY_MAX));
	EXPECT_EQ(14u, hello_retry_count(14, HELLO_RETRY_MAX));
	EXPECT_EQ(14u, hello_retry_count(15, HELLO_RETRY_MAX));
	EXPECT_EQ(14u, hello_retry_count(39, HELLO_RETRY_MAX));
	EXPECT_EQ(3u, hello_retry_count(39, 3));
	EXPECT_EQ(0u, hello_retry_count(5, 0));
}

TEST(custom_schedule)
{
	struct hello_schedule s;
	char err[128];

	ASSERT_EQ(0, hello_schedule_parse("2x3", &s, err, sizeof(err)));
	EXPECT_EQ(3u, hello_schedule_total(&s));
	EXPECT_EQ(2, hello_schedule_delay(&s, 1));
	EXPECT_EQ(-1, hello_schedule_delay(&s, 2));
	ASSERT_EQ(0, hello_schedule_parse("1x1,7x1", &s, err, sizeof(err)));
	EXPECT_EQ(1, hello_schedule_delay(&s, 0));
	EXPECT_EQ(-1, hello_schedule_delay(&s, 1));
}

TEST(bad_specs)
{
	static const char *const bad[] = {
		"",
		"60",
		"60x",
		"x5",
		"60x0",
		"0x5",
		"60x5,",
		"60x5;1",
		"-1x5",
		"60x5x2",
		"99999999999x1",
		"1x1,1x1,1x1,1x1,1x1,1x1,1x1,1x1,1x1",
	};
	struct hello_schedule s;
	char err[128];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		EXPECT_EQ(-1,
			  hello_schedule_parse(bad[i], &s, err, sizeof(err)))
		TH_LOG("accepted '%s'", bad[i]);
		EXPECT_NE('\0', err[0]);
	}
	ASSERT_EQ(-1, hello_schedule_parse("60x5;1", &s, err, sizeof(err)));
	EXPECT_STREQ("unexpected ';' at character 5", err);
}

TEST_HARNESS_MAIN
