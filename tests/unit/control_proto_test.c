// SPDX-License-Identifier: GPL-2.0-only
/* Control request lines: parsing, limits, and format/parse round trip. */
#include <string.h>

#include "control_proto.h"
#include "kselftest_harness.h"

static int parse(struct control_request *req, const char *line, char *err)
{
	return control_request_parse(req, line, strlen(line), err, 128);
}

TEST(splits_words)
{
	struct control_request req;
	char err[128];

	ASSERT_EQ(0, parse(&req, "devices  --state done\n", err));
	ASSERT_EQ(3, req.argc);
	EXPECT_STREQ("devices", req.argv[0]);
	EXPECT_STREQ("--state", req.argv[1]);
	EXPECT_STREQ("done", req.argv[2]);
}

TEST(refusals)
{
	static const struct {
		const char *line, *err;
	} cases[] = {
		{ "status", "request must be one line ending in a newline" },
		{ "", "request must be one line ending in a newline" },
		{ "\n", "empty request" },
		{ "   \n", "empty request" },
		{ "st\tatus\n",
		  "byte 0x09 at offset 2 is not printable ASCII" },
		{ "a\nb\n", "byte 0x0a at offset 1 is not printable ASCII" },
		{ "a b c d e f g h i\n", "more than 8 words" },
		{ "\xc3\xa9\n",
		  "byte 0xc3 at offset 0 is not printable ASCII" },
	};
	struct control_request req;
	char err[128];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		EXPECT_EQ(-1, parse(&req, cases[i].line, err));
		EXPECT_STREQ(cases[i].err, err);
	}
}

TEST(length_limits)
{
	char line[CONTROL_LINE_MAX + 2], err[128];
	struct control_request req;

	memset(line, 'a', sizeof(line));
	line[CONTROL_ARG_MAX] = '\n';
	ASSERT_EQ(0, control_request_parse(&req, line, CONTROL_ARG_MAX + 1, err,
					   sizeof(err)));
	line[CONTROL_ARG_MAX] = 'a';
	line[CONTROL_ARG_MAX + 1] = '\n';
	ASSERT_EQ(-1, control_request_parse(&req, line, CONTROL_ARG_MAX + 2,
					    err, sizeof(err)));
	EXPECT_STREQ("word 1 longer than 255 bytes", err);
	line[CONTROL_ARG_MAX + 1] = ' ';
	line[CONTROL_LINE_MAX] = '\n';
	ASSERT_EQ(-1, control_request_parse(&req, line, CONTROL_LINE_MAX + 1,
					    err, sizeof(err)));
	EXPECT_STREQ("request longer than 1024 bytes", err);
}

TEST(format_round_trip)
{
	char *argv[] = { "device", "939b524b-13d4-1d18-e487-1c697a6b7a2b",
			 "--json" };
	char buf[CONTROL_LINE_MAX], err[128];
	struct control_request req;
	int n;

	n = control_request_format(buf, sizeof(buf), 3, argv, err, sizeof(err));
	ASSERT_GT(n, 0);
	ASSERT_EQ(0, control_request_parse(&req, buf, (size_t)n, err,
					   sizeof(err)));
	ASSERT_EQ(3, req.argc);
	EXPECT_STREQ(argv[1], req.argv[1]);
	EXPECT_STREQ(argv[2], req.argv[2]);
}

TEST(format_refuses_what_cannot_be_carried)
{
	char *spaced[] = { "psk", "my file.csv" };
	char *empty[] = { "psk", "" };
	char buf[16], err[128];

	EXPECT_EQ(-1, control_request_format(buf, sizeof(buf), 2, spaced, err,
					     sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "without spaces"));
	EXPECT_EQ(-1, control_request_format(buf, sizeof(buf), 2, empty, err,
					     sizeof(err)));
	EXPECT_EQ(-1,
		  control_request_format(buf, 3, 1, spaced, err, sizeof(err)));
	EXPECT_STREQ("request longer than 3 bytes", err);
}

TEST_HARNESS_MAIN
