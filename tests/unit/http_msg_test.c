// SPDX-License-Identifier: GPL-2.0-only
/* Incremental HTTP/1.1 parser: framing, split feeds, limits, errors. */
#include <string.h>

#include "http_msg.h"
#include "kselftest_harness.h"

static const struct http_msg_limits limits = {
	.max_header_bytes = 512,
	.max_headers = 8,
	.max_body = 1024,
};

/* Feed s in pieces of step bytes; returns the final status. */
static int feed_steps(struct http_msg *m, const char *s, size_t len,
		      size_t step, size_t *used)
{
	size_t off = 0, n;
	int r = HTTP_MSG_NEED_MORE;

	while (off < len && r == HTTP_MSG_NEED_MORE) {
		n = len - off < step ? len - off : step;
		r = http_msg_feed(m, s + off, n, used);
		off += *used;
	}
	*used = off;
	return r;
}

/* Init m and feed all of s in steps of step bytes: it must be one message. */
static void parse_split(struct __test_metadata *_metadata, struct http_msg *m,
			enum http_msg_kind kind, const char *s, size_t step)
{
	size_t used;

	ASSERT_EQ(0, http_msg_init(m, kind, &limits));
	ASSERT_EQ(HTTP_MSG_DONE, feed_steps(m, s, strlen(s), step, &used));
	ASSERT_EQ(strlen(s), used);
}

static int parse(enum http_msg_kind kind, const char *s, struct http_msg *m)
{
	size_t used;

	if (http_msg_init(m, kind, &limits))
		return HTTP_MSG_ERR_NOMEM;
	return feed_steps(m, s, strlen(s), strlen(s), &used);
}

#define REQUEST                                                              \
	"POST /wsman HTTP/1.1\r\nHost: 198.18.0.1:16992\r\n"                 \
	"content-type:  application/soap+xml \r\nContent-Length: 11\r\n\r\n" \
	"hello world"

TEST(request_every_split)
{
	struct http_msg m;
	size_t step;

	for (step = 1; step <= sizeof(REQUEST); step++) {
		parse_split(_metadata, &m, HTTP_MSG_REQUEST, REQUEST, step);
		ASSERT_STREQ("POST", m.method);
		ASSERT_STREQ("/wsman", m.target);
		ASSERT_EQ(1, m.version_minor);
		ASSERT_EQ(3u, m.header_count);
		ASSERT_STREQ("application/soap+xml",
			     http_msg_header(&m, "CONTENT-TYPE"));
		ASSERT_STREQ("198.18.0.1:16992", http_msg_header(&m, "host"));
		ASSERT_EQ(NULL, http_msg_header(&m, "Content"));
		ASSERT_EQ(11u, m.body_len);
		ASSERT_EQ(0, memcmp("hello world", m.body, 11));
		http_msg_free(&m);
	}
}

#define CHUNKED                                                    \
	"HTTP/1.1 401 Unauthorized\r\n"                            \
	"WWW-Authenticate: Digest realm=\"r\", nonce=\"n\"\r\n"    \
	"Transfer-Encoding: Chunked\r\n\r\n"                       \
	"5;ext=1\r\nhello\r\n1A\r\n abcdefghijklmnopqrstuvwxy\r\n" \
	"0\r\nX-Trailer: 1\r\n\r\n"

TEST(chunked_response_every_split)
{
	struct http_msg m;
	size_t step;

	for (step = 1; step <= sizeof(CHUNKED); step++) {
		parse_split(_metadata, &m, HTTP_MSG_RESPONSE, CHUNKED, step);
		ASSERT_EQ(401, m.status_code);
		ASSERT_STREQ("Unauthorized", m.reason);
		ASSERT_EQ(31u, m.body_len);
		ASSERT_EQ(0, memcmp("hello abcdefghijklmnopqrstuvwxy", m.body,
				    31));
		http_msg_free(&m);
	}
}

TEST(pipelined_requests_and_reset)
{
	static const char two[] = "GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.0\n\n";
	struct http_msg m;
	size_t used;

	ASSERT_EQ(0, http_msg_init(&m, HTTP_MSG_REQUEST, &limits));
	ASSERT_EQ(HTTP_MSG_DONE, http_msg_feed(&m, two, strlen(two), &used));
	EXPECT_EQ(19u, used);
	EXPECT_STREQ("/a", m.target);
	EXPECT_EQ(0u, m.body_len);
	http_msg_reset(&m);
	ASSERT_EQ(HTTP_MSG_DONE,
		  http_msg_feed(&m, two + used, strlen(two) - used, &used));
	EXPECT_STREQ("/b", m.target);
	EXPECT_EQ(0, m.version_minor);
	http_msg_free(&m);
}

TEST(response_framings)
{
	struct http_msg m;
	size_t used;

	ASSERT_EQ(HTTP_MSG_DONE, parse(HTTP_MSG_RESPONSE,
				       "HTTP/1.1 204 No Content\r\n\r\n", &m));
	http_msg_free(&m);
	ASSERT_EQ(HTTP_MSG_DONE,
		  parse(HTTP_MSG_RESPONSE,
			"HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", &m));
	EXPECT_STREQ("", m.reason);
	http_msg_free(&m);
	/* No length: the body runs to the end of the stream. */
	ASSERT_EQ(HTTP_MSG_NEED_MORE,
		  parse(HTTP_MSG_RESPONSE, "HTTP/1.0 200 OK\r\n\r\nabc", &m));
	ASSERT_EQ(HTTP_MSG_NEED_MORE, http_msg_feed(&m, "de", 2, &used));
	ASSERT_EQ(HTTP_MSG_DONE, http_msg_eof(&m));
	EXPECT_EQ(5u, m.body_len);
	EXPECT_EQ(0, memcmp("abcde", m.body, 5));
	http_msg_free(&m);
	/* Truncated Content-Length body. */
	ASSERT_EQ(HTTP_MSG_NEED_MORE,
		  parse(HTTP_MSG_RESPONSE,
			"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nab", &m));
	EXPECT_EQ(HTTP_MSG_ERR_TRUNCATED, http_msg_eof(&m));
	EXPECT_EQ(HTTP_MSG_ERR_TRUNCATED, http_msg_feed(&m, "cd", 2, &used));
	http_msg_free(&m);
}

TEST(limits_each_have_their_error)
{
	char big[2048];
	struct http_msg m;
	size_t used, n;
	int i;

	/* Header bytes: exactly at the limit passes, one more fails. */
	memset(big, 0, sizeof(big));
	strcpy(big, "GET / HTTP/1.1\r\nX: ");
	memset(big + strlen(big), 'a', 512 - strlen(big) - 4);
	strcat(big, "\r\n\r\n");
	ASSERT_EQ(512u, strlen(big));
	EXPECT_EQ(HTTP_MSG_DONE, parse(HTTP_MSG_REQUEST, big, &m));
	http_msg_free(&m);
	memmove(big + 17, big + 16, strlen(big + 16) + 1);
	big[16] = 'Y';
	EXPECT_EQ(HTTP_MSG_ERR_HEADER_BYTES, parse(HTTP_MSG_REQUEST, big, &m));
	http_msg_free(&m);

	/* Header count. */
	strcpy(big, "GET / HTTP/1.1\r\n");
	for (i = 0; i < 8; i++)
		strcat(big, "A: b\r\n");
	strcat(big, "\r\n");
	EXPECT_EQ(HTTP_MSG_DONE, parse(HTTP_MSG_REQUEST, big, &m));
	EXPECT_EQ(8u, m.header_count);
	http_msg_free(&m);
	strcpy(big + strlen(big) - 2, "A: b\r\n\r\n");
	EXPECT_EQ(HTTP_MSG_ERR_HEADER_COUNT, parse(HTTP_MSG_REQUEST, big, &m));
	http_msg_free(&m);

	/* Body size by Content-Length, by chunks, and to end of stream. */
	EXPECT_EQ(HTTP_MSG_NEED_MORE,
		  parse(HTTP_MSG_REQUEST,
			"PUT / HTTP/1.1\r\nContent-Length: 1024\r\n\r\n", &m));
	http_msg_free(&m);
	EXPECT_EQ(HTTP_MSG_ERR_BODY_SIZE,
		  parse(HTTP_MSG_REQUEST,
			"PUT / HTTP/1.1\r\nContent-Length: 1025\r\n\r\n", &m));
	http_msg_free(&m);
	/* Chunks: 0x200 bytes fit, 0x201 more do not. */
	strcpy(big,
	       "PUT / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n200\r\n");
	n = strlen(big);
	memset(big + n, 'a', 0x200);
	memcpy(big + n + 0x200, "\r\n", 2);
	n += 0x200 + 2;
	ASSERT_EQ(0, http_msg_init(&m, HTTP_MSG_REQUEST, &limits));
	ASSERT_EQ(HTTP_MSG_NEED_MORE, http_msg_feed(&m, big, n, &used));
	EXPECT_EQ(HTTP_MSG_NEED_MORE, http_msg_feed(&m, "200\r\n", 5, &used));
	http_msg_free(&m);
	ASSERT_EQ(0, http_msg_init(&m, HTTP_MSG_REQUEST, &limits));
	ASSERT_EQ(HTTP_MSG_NEED_MORE, http_msg_feed(&m, big, n, &used));
	EXPECT_EQ(HTTP_MSG_ERR_BODY_SIZE,
		  http_msg_feed(&m, "201\r\n", 5, &used));
	EXPECT_EQ(HTTP_MSG_ERR_BODY_SIZE, http_msg_feed(&m, "0\r\n", 3, &used));
	http_msg_free(&m);
	/* A huge chunk size does not overflow. */
	EXPECT_EQ(HTTP_MSG_ERR_BODY_SIZE,
		  parse(HTTP_MSG_REQUEST,
			"PUT / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
			"ffffffffffffffffffff\r\n",
			&m));
	http_msg_free(&m);
	/* To end of stream. */
	ASSERT_EQ(HTTP_MSG_NEED_MORE,
		  parse(HTTP_MSG_RESPONSE, "HTTP/1.1 200 OK\r\n\r\n", &m));
	EXPECT_EQ(HTTP_MSG_NEED_MORE, http_msg_feed(&m, big, 1024, &used));
	EXPECT_EQ(HTTP_MSG_ERR_BODY_SIZE, http_msg_feed(&m, "x", 1, &used));
	http_msg_free(&m);
}

static void expect_error(struct __test_metadata *_metadata,
			 enum http_msg_kind kind, const char *s, int err)
{
	struct http_msg m;

	EXPECT_EQ(err, parse(kind, s, &m))
	{
		TH_LOG("input: %s", s);
	}
	http_msg_free(&m);
}

TEST(malformed_messages)
{
	static const struct {
		enum http_msg_kind kind;
		const char *text;
		int err;
	} cases[] = {
		{ HTTP_MSG_REQUEST, "GET /\r\n\r\n", HTTP_MSG_ERR_START_LINE },
		{ HTTP_MSG_REQUEST, "GET  / HTTP/1.1\r\n\r\n",
		  HTTP_MSG_ERR_START_LINE },
		{ HTTP_MSG_REQUEST, "G(T / HTTP/1.1\r\n\r\n",
		  HTTP_MSG_ERR_START_LINE },
		{ HTTP_MSG_REQUEST, "GET / FTP/1.1\r\n\r\n",
		  HTTP_MSG_ERR_START_LINE },
		{ HTTP_MSG_REQUEST, "GET / HTTP/2.0\r\n\r\n",
		  HTTP_MSG_ERR_VERSION },
		{ HTTP_MSG_REQUEST, "GET / HTTP/1.1x\r\n\r\n",
		  HTTP_MSG_ERR_START_LINE },
		{ HTTP_MSG_RESPONSE, "HTTP/1.1 99 x\r\n\r\n",
		  HTTP_MSG_ERR_START_LINE },
		{ HTTP_MSG_RESPONSE, "HTTP/1.1 2000\r\n\r\n",
		  HTTP_MSG_ERR_START_LINE },
		{ HTTP_MSG_RESPONSE, "HTTP/1.2 200 OK\r\n\r\n",
		  HTTP_MSG_ERR_VERSION },
		{ HTTP_MSG_REQUEST, "GET / HTTP/1.1\r\nA : b\r\n\r\n",
		  HTTP_MSG_ERR_HEADER },
		{ HTTP_MSG_REQUEST, "GET / HTTP/1.1\r\n b\r\n\r\n",
		  HTTP_MSG_ERR_HEADER },
		{ HTTP_MSG_REQUEST, "GET / HTTP/1.1\r\nA: b\rc\r\n\r\n",
		  HTTP_MSG_ERR_HEADER },
		{ HTTP_MSG_REQUEST,
		  "GET / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n",
		  HTTP_MSG_ERR_LENGTH },
		{ HTTP_MSG_REQUEST,
		  "GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
		  HTTP_MSG_ERR_LENGTH },
		{ HTTP_MSG_REQUEST,
		  "GET / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n",
		  HTTP_MSG_ERR_LENGTH },
		{ HTTP_MSG_REQUEST,
		  "GET / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
		  HTTP_MSG_ERR_LENGTH },
		{ HTTP_MSG_REQUEST,
		  "GET / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
		  HTTP_MSG_ERR_ENCODING },
		{ HTTP_MSG_REQUEST,
		  "GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n",
		  HTTP_MSG_ERR_CHUNK },
		{ HTTP_MSG_REQUEST,
		  "GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab",
		  HTTP_MSG_ERR_CHUNK },
		{ HTTP_MSG_REQUEST,
		  "GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1111111111111111111111111111111111111111111111111111111111111111111",
		  HTTP_MSG_ERR_CHUNK },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_error(_metadata, cases[i].kind, cases[i].text,
			     cases[i].err);
}

TEST_HARNESS_MAIN
