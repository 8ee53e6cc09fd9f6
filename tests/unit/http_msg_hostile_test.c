// SPDX-License-Identifier: GPL-2.0-only
/*
 * http_msg against a hostile peer: oversized lines and heads, endless
 * bodies, chunks and trailers, padding, garbage, truncation and slowloris
 * pacing are each refused with their own reason, within bounded bytes and
 * time.
 */
#include <string.h>
#include <time.h>

#include "http_msg.h"
#include "kselftest_harness.h"

static const struct http_msg_limits hostile = {
	.max_header_bytes = 1024,
	.max_headers = 16,
	.max_body = 4096,
	.max_line = 64,
	.max_message_bytes = 8192,
	.max_ms = 200,
};

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/*
 * Feed piece again and again (at most max_rounds times) as a peer that
 * never stops; returns the first status that is not need-more and the
 * bytes consumed in *total.
 */
static int feed_endless(struct http_msg *m, const char *piece,
			size_t max_rounds, size_t *total)
{
	size_t used, round;
	int r = HTTP_MSG_NEED_MORE;

	*total = 0;
	for (round = 0; round < max_rounds && r == HTTP_MSG_NEED_MORE;
	     round++) {
		r = http_msg_feed(m, piece, strlen(piece), &used);
		*total += used;
	}
	return r;
}

/* Init m as a response parser, feed the head, then piece endlessly. */
static int endless_response(const char *head, const char *piece, size_t *total)
{
	struct http_msg m;
	size_t used;
	int r;

	if (http_msg_init(&m, HTTP_MSG_RESPONSE, &hostile))
		return HTTP_MSG_ERR_NOMEM;
	r = http_msg_feed(&m, head, strlen(head), &used);
	if (r == HTTP_MSG_NEED_MORE)
		r = feed_endless(&m, piece, 100000, total);
	http_msg_free(&m);
	return r;
}

TEST(line_length)
{
	char line[128];
	struct http_msg m;
	size_t used;

	/* "X: " + 61 bytes = 64: at the limit. */
	snprintf(line, sizeof(line), "HTTP/1.1 200 OK\r\nX: %061d\r\n\r\n", 0);
	ASSERT_EQ(0, http_msg_init(&m, HTTP_MSG_RESPONSE, &hostile));
	EXPECT_EQ(HTTP_MSG_NEED_MORE,
		  http_msg_feed(&m, line, strlen(line), &used));
	http_msg_free(&m);
	snprintf(line, sizeof(line), "HTTP/1.1 200 OK\r\nX: %062d\r\n\r\n", 0);
	ASSERT_EQ(0, http_msg_init(&m, HTTP_MSG_RESPONSE, &hostile));
	EXPECT_EQ(HTTP_MSG_ERR_LINE_LENGTH,
		  http_msg_feed(&m, line, strlen(line), &used));
	EXPECT_STREQ("line too long",
		     http_msg_strerror(HTTP_MSG_ERR_LINE_LENGTH));
	http_msg_free(&m);
}

TEST(endless_header_section)
{
	size_t total;

	/* One endless line, many lines, an endless run of fields. */
	EXPECT_EQ(HTTP_MSG_ERR_LINE_LENGTH,
		  endless_response("HTTP/1.1 200 OK\r\nX: ", "aaaa", &total));
	EXPECT_LE(total, 64u);
	/* Fields are counted once the head is complete: bytes bound first. */
	EXPECT_EQ(HTTP_MSG_ERR_HEADER_BYTES,
		  endless_response("HTTP/1.1 200 OK\r\n", "A: b\r\n", &total));
	EXPECT_LE(total, 1024u);
}

TEST(endless_bodies)
{
	size_t total;

	/* A Content-Length past the limit is refused before any body byte. */
	EXPECT_EQ(HTTP_MSG_ERR_BODY_SIZE,
		  endless_response("HTTP/1.1 200 OK\r\nContent-Length: "
				   "99999999999\r\n\r\n",
				   "x", &total));
	/* Body to end of stream that never ends. */
	EXPECT_EQ(HTTP_MSG_ERR_BODY_SIZE,
		  endless_response("HTTP/1.1 200 OK\r\n\r\n", "0123456789",
				   &total));
	EXPECT_LE(total, 4096u);
	/* Endless 16-byte chunks: the body limit. */
	EXPECT_EQ(HTTP_MSG_ERR_BODY_SIZE,
		  endless_response("HTTP/1.1 200 OK\r\nTransfer-Encoding: "
				   "chunked\r\n\r\n",
				   "10\r\n0123456789abcdef\r\n", &total));
	/* Endless one-byte chunks: the framing makes the wire limit first. */
	EXPECT_EQ(HTTP_MSG_ERR_MESSAGE_BYTES,
		  endless_response("HTTP/1.1 200 OK\r\nTransfer-Encoding: "
				   "chunked\r\n\r\n",
				   "1\r\nx\r\n", &total));
	/* Chunks padded with extensions: the wire-byte limit comes first. */
	EXPECT_EQ(HTTP_MSG_ERR_MESSAGE_BYTES,
		  endless_response("HTTP/1.1 200 OK\r\nTransfer-Encoding: "
				   "chunked\r\n\r\n",
				   "1;pad=0123456789012345678901234567890123456"
				   "789\r\nx\r\n",
				   &total));
	EXPECT_EQ(8192u - strlen("HTTP/1.1 200 OK\r\nTransfer-Encoding: "
				 "chunked\r\n\r\n"),
		  total);
	/* Endless trailer fields, and one endless trailer line. */
	EXPECT_EQ(HTTP_MSG_ERR_HEADER_BYTES,
		  endless_response("HTTP/1.1 200 OK\r\nTransfer-Encoding: "
				   "chunked\r\n\r\n0\r\n",
				   "T: 1\r\n", &total));
	EXPECT_EQ(HTTP_MSG_ERR_LINE_LENGTH,
		  endless_response("HTTP/1.1 200 OK\r\nTransfer-Encoding: "
				   "chunked\r\n\r\n0\r\nT: ",
				   "1111", &total));
	/* An endless chunk-size line. */
	EXPECT_EQ(HTTP_MSG_ERR_CHUNK,
		  endless_response("HTTP/1.1 200 OK\r\nTransfer-Encoding: "
				   "chunked\r\n\r\n",
				   "0000", &total));
}

TEST(endless_padding_before_a_request)
{
	struct http_msg m;
	size_t total;

	ASSERT_EQ(0, http_msg_init(&m, HTTP_MSG_REQUEST, &hostile));
	EXPECT_EQ(HTTP_MSG_ERR_MESSAGE_BYTES,
		  feed_endless(&m, "\r\n", 100000, &total));
	EXPECT_EQ(8192u, total);
	EXPECT_STREQ("message too large",
		     http_msg_strerror(HTTP_MSG_ERR_MESSAGE_BYTES));
	http_msg_free(&m);
}

TEST(garbage_and_truncation)
{
	static const char tls[] = "\x16\x03\x01\x02\x01\x01\xfc\n\n";
	static const char binary[] = "\x16\x03\x01\x02\x00\x01\x00\x01\xfc";
	struct http_msg m;
	size_t used;

	ASSERT_EQ(0, http_msg_init(&m, HTTP_MSG_RESPONSE, &hostile));
	EXPECT_EQ(HTTP_MSG_ERR_START_LINE,
		  http_msg_feed(&m, tls, sizeof(tls) - 1, &used));
	http_msg_free(&m);
	/* A NUL byte in the head is refused where it stands. */
	ASSERT_EQ(0, http_msg_init(&m, HTTP_MSG_RESPONSE, &hostile));
	EXPECT_EQ(HTTP_MSG_ERR_HEADER,
		  http_msg_feed(&m, binary, sizeof(binary), &used));
	EXPECT_EQ(5u, used); /* up to and including the NUL */
	http_msg_free(&m);
	ASSERT_EQ(0, http_msg_init(&m, HTTP_MSG_RESPONSE, &hostile));
	EXPECT_EQ(HTTP_MSG_ERR_START_LINE,
		  http_msg_feed(&m, "SSH-2.0-OpenSSH_9.2\r\n\r\n", 23, &used));
	http_msg_free(&m);
	/* Cut inside the head, inside a chunk, inside a length body. */
	ASSERT_EQ(0, http_msg_init(&m, HTTP_MSG_RESPONSE, &hostile));
	EXPECT_EQ(HTTP_MSG_NEED_MORE,
		  http_msg_feed(&m, "HTTP/1.1 200 OK\r\nContent-", 25, &used));
	EXPECT_EQ(HTTP_MSG_ERR_TRUNCATED, http_msg_eof(&m));
	http_msg_free(&m);
	ASSERT_EQ(0, http_msg_init(&m, HTTP_MSG_RESPONSE, &hostile));
	EXPECT_EQ(HTTP_MSG_NEED_MORE,
		  http_msg_feed(&m,
				"HTTP/1.1 200 OK\r\nTransfer-Encoding: "
				"chunked\r\n\r\n10\r\nabc",
				51, &used));
	EXPECT_EQ(HTTP_MSG_ERR_TRUNCATED, http_msg_eof(&m));
	http_msg_free(&m);
}

TEST(slowloris)
{
	static const char msg[] =
		"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
	struct http_msg m;
	size_t used, off = 0;
	int r = HTTP_MSG_NEED_MORE;

	/* One byte every 20 ms: 44 bytes would take 880 ms; max_ms is 200. */
	ASSERT_EQ(0, http_msg_init(&m, HTTP_MSG_RESPONSE, &hostile));
	while (off < sizeof(msg) - 1 && r == HTTP_MSG_NEED_MORE) {
		r = http_msg_feed(&m, msg + off, 1, &used);
		off += used;
		sleep_ms(20);
	}
	EXPECT_EQ(HTTP_MSG_ERR_TIMEOUT, r);
	EXPECT_LT(off, sizeof(msg) - 1);
	EXPECT_GE(off, 5u);
	EXPECT_EQ(0, http_msg_time_left_ms(&m));
	http_msg_free(&m);

	/* A peer that sends nothing: the caller's timer asks. */
	ASSERT_EQ(0, http_msg_init(&m, HTTP_MSG_RESPONSE, &hostile));
	EXPECT_GT(http_msg_time_left_ms(&m), 100);
	EXPECT_EQ(HTTP_MSG_NEED_MORE, http_msg_expired(&m));
	sleep_ms(220);
	EXPECT_EQ(HTTP_MSG_ERR_TIMEOUT, http_msg_expired(&m));
	EXPECT_EQ(HTTP_MSG_ERR_TIMEOUT, http_msg_feed(&m, "H", 1, &used));
	/* Reset restarts the clock for the next message. */
	http_msg_reset(&m);
	EXPECT_GT(http_msg_time_left_ms(&m), 100);
	EXPECT_EQ(HTTP_MSG_DONE,
		  http_msg_feed(&m, msg, sizeof(msg) - 1, &used));
	EXPECT_EQ(HTTP_MSG_DONE, http_msg_expired(&m));
	http_msg_free(&m);
}

TEST(device_limits_pass_a_wsman_response)
{
	static const char head[] =
		"HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml; "
		"charset=UTF-8\r\nTransfer-Encoding: chunked\r\n\r\n";
	static char body[200000];
	char size[32];
	struct http_msg m;
	size_t used, off;

	EXPECT_NE(0, http_msg_device_limits.max_line);
	EXPECT_NE(0, http_msg_device_limits.max_message_bytes);
	EXPECT_NE(0, http_msg_device_limits.max_ms);
	memset(body, 'x', sizeof(body));
	ASSERT_EQ(0, http_msg_init(&m, HTTP_MSG_RESPONSE,
				   &http_msg_device_limits));
	ASSERT_EQ(HTTP_MSG_NEED_MORE,
		  http_msg_feed(&m, head, strlen(head), &used));
	for (off = 0; off < sizeof(body); off += 4000) {
		snprintf(size, sizeof(size), "%zx\r\n",
			 sizeof(body) - off < 4000 ? sizeof(body) - off : 4000);
		ASSERT_EQ(HTTP_MSG_NEED_MORE,
			  http_msg_feed(&m, size, strlen(size), &used));
		ASSERT_EQ(HTTP_MSG_NEED_MORE,
			  http_msg_feed(&m, body + off,
					sizeof(body) - off < 4000 ?
						sizeof(body) - off :
						4000,
					&used));
		ASSERT_EQ(HTTP_MSG_NEED_MORE,
			  http_msg_feed(&m, "\r\n", 2, &used));
	}
	EXPECT_EQ(HTTP_MSG_DONE, http_msg_feed(&m, "0\r\n\r\n", 5, &used));
	EXPECT_EQ(sizeof(body), m.body_len);
	http_msg_free(&m);
}

TEST_HARNESS_MAIN
