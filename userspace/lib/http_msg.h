/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Incremental HTTP/1.1 message parser for requests and responses: feed it
 * bytes as they arrive; it answers need-more, done or a distinct error.
 * Start line and headers are kept in one buffer of at most
 * max_header_bytes, the body (Content-Length, chunked, or for responses
 * until end of stream) in a second one of at most max_body bytes.
 */
#ifndef AMTSCA_HTTP_MSG_H
#define AMTSCA_HTTP_MSG_H

#include <stdbool.h>
#include <stddef.h>

enum http_msg_kind { HTTP_MSG_REQUEST, HTTP_MSG_RESPONSE };

enum http_msg_status {
	HTTP_MSG_DONE = 1, /* one whole message parsed */
	HTTP_MSG_NEED_MORE = 0,
	HTTP_MSG_ERR_START_LINE = -1, /* malformed request/status line */
	HTTP_MSG_ERR_VERSION = -2, /* not HTTP/1.0 or HTTP/1.1 */
	HTTP_MSG_ERR_HEADER = -3, /* malformed header line */
	HTTP_MSG_ERR_HEADER_BYTES = -4, /* head larger than max_header_bytes */
	HTTP_MSG_ERR_HEADER_COUNT = -5, /* more than max_headers fields */
	HTTP_MSG_ERR_BODY_SIZE = -6, /* body larger than max_body */
	HTTP_MSG_ERR_LENGTH = -7, /* bad/conflicting Content-Length */
	HTTP_MSG_ERR_ENCODING = -8, /* Transfer-Encoding other than chunked */
	HTTP_MSG_ERR_CHUNK = -9, /* malformed chunk framing */
	HTTP_MSG_ERR_TRUNCATED = -10, /* stream ended inside a message */
	HTTP_MSG_ERR_NOMEM = -11,
	HTTP_MSG_ERR_LINE_LENGTH = -12, /* a head or trailer line > max_line */
	HTTP_MSG_ERR_MESSAGE_BYTES = -13, /* > max_message_bytes on the wire */
	HTTP_MSG_ERR_TIMEOUT = -14, /* not complete within max_ms */
};

const char *http_msg_strerror(int status);

struct http_msg_limits {
	size_t max_header_bytes; /* start line + headers + blank line */
	unsigned int max_headers;
	size_t max_body;
	/*
	 * Hostile-peer bounds (docs/security.md); 0 leaves each off. max_line
	 * bounds one start, header or trailer line; max_message_bytes all
	 * bytes of one message including framing (chunk sizes, extensions,
	 * empty lines before a request); max_ms the time from init/reset to
	 * the end of the message, checked on every feed and by
	 * http_msg_expired().
	 */
	size_t max_line;
	size_t max_message_bytes;
	unsigned int max_ms;
};

/* Limits for a device's responses in a provisioning session. */
extern const struct http_msg_limits http_msg_device_limits;

struct http_header {
	const char *name; /* NUL-terminated, into the message's buffer */
	const char *value; /* trimmed of surrounding white space */
};

struct http_msg {
	enum http_msg_kind kind;
	struct http_msg_limits limits;

	/* Valid once the head is parsed (state past the headers). */
	const char *method; /* requests */
	const char *target; /* requests */
	int status_code; /* responses */
	const char *reason; /* responses */
	int version_minor; /* HTTP/1.x */
	struct http_header *headers;
	unsigned int header_count;

	char *body;
	size_t body_len;

	/* Parser state. */
	int state;
	char *head;
	size_t head_len;
	size_t body_cap;
	size_t remaining; /* Content-Length or current chunk bytes left */
	char line[64]; /* chunk-size line being read */
	size_t line_len;
	size_t trailer_bytes;
	int error; /* returned again after a failure */
	size_t head_line_len; /* bytes of the current head line */
	size_t wire_bytes; /* bytes of this message consumed so far */
	long long started_ms; /* CLOCK_MONOTONIC at init/reset */
};

/* Prepare m for one message. Returns 0 or HTTP_MSG_ERR_NOMEM. */
int http_msg_init(struct http_msg *m, enum http_msg_kind kind,
		  const struct http_msg_limits *limits);
void http_msg_free(struct http_msg *m);
/* Start over for the next message on the same connection. */
void http_msg_reset(struct http_msg *m);

/*
 * Feed len bytes. *consumed is how many were used: after HTTP_MSG_DONE the
 * rest belongs to the next message. After an error the message is dead
 * (reset it); feeding it again returns the same error. Returns an enum http_msg_status.
 */
int http_msg_feed(struct http_msg *m, const char *data, size_t len,
		  size_t *consumed);

/*
 * The peer closed the stream. Completes a response whose body runs to the
 * end of the stream (HTTP_MSG_DONE); anything else unfinished is
 * HTTP_MSG_ERR_TRUNCATED.
 */
int http_msg_eof(struct http_msg *m);

/*
 * For the caller's timer: milliseconds left of max_ms (-1 without a time
 * limit, 0 when it has run out).
 */
long http_msg_time_left_ms(const struct http_msg *m);

/*
 * The caller's timer fired or the peer went quiet: fails the message with
 * HTTP_MSG_ERR_TIMEOUT when max_ms has run out, else returns its status
 * (HTTP_MSG_NEED_MORE, HTTP_MSG_DONE or the error it already has).
 */
int http_msg_expired(struct http_msg *m);

/* First header named name (case-insensitive), or NULL. */
const char *http_msg_header(const struct http_msg *m, const char *name);

#endif /* AMTSCA_HTTP_MSG_H */
