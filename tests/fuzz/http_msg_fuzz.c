// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the HTTP message parser. The first byte picks request
 * or response and a feed step, so splits across feeds are explored too;
 * the result must not depend on how the bytes were split.
 */
#include <stdlib.h>
#include <string.h>

#include "http_msg.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static int run(const char *s, size_t len, enum http_msg_kind kind, size_t step,
	       size_t *total, size_t *body_len)
{
	static const struct http_msg_limits limits = {
		.max_header_bytes = 1024,
		.max_headers = 16,
		.max_body = 4096,
		.max_line = 200,
		.max_message_bytes = 6000,
	};
	struct http_msg m;
	size_t off = 0, used, n;
	int r = HTTP_MSG_NEED_MORE;

	if (http_msg_init(&m, kind, &limits))
		abort();
	while (off < len && r == HTTP_MSG_NEED_MORE) {
		n = len - off < step ? len - off : step;
		r = http_msg_feed(&m, s + off, n, &used);
		if (used > n)
			abort();
		off += used;
	}
	if (r == HTTP_MSG_NEED_MORE)
		r = http_msg_eof(&m);
	if ((r == HTTP_MSG_DONE && m.body_len > limits.max_body) ||
	    off > limits.max_message_bytes)
		abort();
	*total = off;
	*body_len = m.body_len;
	http_msg_free(&m);
	return r;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	enum http_msg_kind kind;
	size_t step, t1, t2, b1, b2;
	int r1, r2;

	if (size < 1 || size > 16384)
		return -1;
	kind = data[0] & 1 ? HTTP_MSG_RESPONSE : HTTP_MSG_REQUEST;
	step = (data[0] >> 1) + 1;
	r1 = run((const char *)data + 1, size - 1, kind, size, &t1, &b1);
	r2 = run((const char *)data + 1, size - 1, kind, step, &t2, &b2);
	if (r1 != r2 || (r1 == HTTP_MSG_DONE && (t1 != t2 || b1 != b2)))
		abort();
	return 0;
}
