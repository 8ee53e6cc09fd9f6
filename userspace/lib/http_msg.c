// SPDX-License-Identifier: GPL-2.0-only
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "http_chars.h"
#include "http_msg.h"

enum parse_state {
	ST_HEAD,
	ST_BODY_LENGTH,
	ST_BODY_EOF,
	ST_CHUNK_SIZE,
	ST_CHUNK_DATA,
	ST_CHUNK_DATA_END,
	ST_TRAILER,
	ST_DONE,
	ST_ERROR,
};

const char *http_msg_strerror(int status)
{
	switch (status) {
	case HTTP_MSG_DONE:
		return "done";
	case HTTP_MSG_NEED_MORE:
		return "need more bytes";
	case HTTP_MSG_ERR_START_LINE:
		return "malformed start line";
	case HTTP_MSG_ERR_VERSION:
		return "unsupported HTTP version";
	case HTTP_MSG_ERR_HEADER:
		return "malformed header line";
	case HTTP_MSG_ERR_HEADER_BYTES:
		return "header section too large";
	case HTTP_MSG_ERR_HEADER_COUNT:
		return "too many header fields";
	case HTTP_MSG_ERR_BODY_SIZE:
		return "body too large";
	case HTTP_MSG_ERR_LENGTH:
		return "bad Content-Length";
	case HTTP_MSG_ERR_ENCODING:
		return "unsupported Transfer-Encoding";
	case HTTP_MSG_ERR_CHUNK:
		return "malformed chunk";
	case HTTP_MSG_ERR_TRUNCATED:
		return "stream ended inside a message";
	case HTTP_MSG_ERR_NOMEM:
		return "out of memory";
	case HTTP_MSG_ERR_LINE_LENGTH:
		return "line too long";
	case HTTP_MSG_ERR_MESSAGE_BYTES:
		return "message too large";
	case HTTP_MSG_ERR_TIMEOUT:
		return "message not complete in time";
	}
	return "unknown status";
}

const struct http_msg_limits http_msg_device_limits = {
	.max_header_bytes = 16384,
	.max_headers = 64,
	.max_body = 1 << 20,
	.max_line = 8192,
	.max_message_bytes = (1 << 20) + (1 << 18),
	.max_ms = 30000,
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int http_msg_init(struct http_msg *m, enum http_msg_kind kind,
		  const struct http_msg_limits *limits)
{
	memset(m, 0, sizeof(*m));
	m->kind = kind;
	m->limits = *limits;
	m->head = malloc(limits->max_header_bytes + 1);
	m->headers = calloc(limits->max_headers ? limits->max_headers : 1,
			    sizeof(*m->headers));
	if (!m->head || !m->headers) {
		http_msg_free(m);
		return HTTP_MSG_ERR_NOMEM;
	}
	m->started_ms = now_ms();
	return 0;
}

void http_msg_free(struct http_msg *m)
{
	free(m->head);
	free(m->headers);
	free(m->body);
	m->head = NULL;
	m->headers = NULL;
	m->body = NULL;
}

void http_msg_reset(struct http_msg *m)
{
	m->method = m->target = m->reason = NULL;
	m->status_code = m->version_minor = 0;
	m->header_count = 0;
	m->body_len = 0;
	m->state = ST_HEAD;
	m->head_len = 0;
	m->remaining = 0;
	m->line_len = 0;
	m->trailer_bytes = 0;
	m->head_line_len = 0;
	m->wire_bytes = 0;
	m->started_ms = now_ms();
}

static int fail(struct http_msg *m, int err)
{
	m->state = ST_ERROR;
	m->error = err;
	return err;
}

/* "HTTP/1.0" or "HTTP/1.1" at s, exactly 8 characters. */
static int parse_version(const char *s, int *minor)
{
	if (strncmp(s, "HTTP/", 5))
		return HTTP_MSG_ERR_START_LINE;
	if (strncmp(s + 5, "1.", 2) || (s[7] != '0' && s[7] != '1'))
		return HTTP_MSG_ERR_VERSION;
	*minor = s[7] - '0';
	return 0;
}

static int parse_request_line(struct http_msg *m, char *line)
{
	char *sp1 = strchr(line, ' '), *sp2, *p;

	if (!sp1 || sp1 == line)
		return HTTP_MSG_ERR_START_LINE;
	for (p = line; p < sp1; p++)
		if (!http_is_tchar(*p))
			return HTTP_MSG_ERR_START_LINE;
	sp2 = strchr(sp1 + 1, ' ');
	if (!sp2 || sp2 == sp1 + 1)
		return HTTP_MSG_ERR_START_LINE;
	for (p = sp1 + 1; p < sp2; p++)
		if (http_is_ctl(*p) || *p == '\t')
			return HTTP_MSG_ERR_START_LINE;
	if (strlen(sp2 + 1) != 8)
		return HTTP_MSG_ERR_START_LINE;
	*sp1 = *sp2 = '\0';
	m->method = line;
	m->target = sp1 + 1;
	return parse_version(sp2 + 1, &m->version_minor);
}

static int parse_status_line(struct http_msg *m, char *line)
{
	int err = parse_version(line, &m->version_minor);
	const char *p;

	if (err)
		return err;
	if (line[8] != ' ' || line[9] < '1' || line[9] > '5' ||
	    line[10] < '0' || line[10] > '9' || line[11] < '0' ||
	    line[11] > '9' || (line[12] && line[12] != ' '))
		return HTTP_MSG_ERR_START_LINE;
	for (p = line + 12; *p; p++)
		if (http_is_ctl(*p))
			return HTTP_MSG_ERR_START_LINE;
	m->status_code = atoi(line + 9);
	m->reason = line[12] ? line + 13 : line + 12;
	return 0;
}

static int parse_header_line(struct http_msg *m, char *line)
{
	char *colon = line, *value, *end;

	while (http_is_tchar(*colon))
		colon++;
	if (colon == line || *colon != ':')
		return HTTP_MSG_ERR_HEADER;
	*colon = '\0';
	value = colon + 1;
	while (http_is_ows(*value))
		value++;
	end = value + strlen(value);
	while (end > value && http_is_ows(end[-1]))
		end--;
	*end = '\0';
	for (end = value; *end; end++)
		if (http_is_ctl(*end))
			return HTTP_MSG_ERR_HEADER;
	if (m->header_count == m->limits.max_headers)
		return HTTP_MSG_ERR_HEADER_COUNT;
	m->headers[m->header_count].name = line;
	m->headers[m->header_count].value = value;
	m->header_count++;
	return 0;
}

/* Split the buffered head into NUL-terminated lines and parse them. */
static int parse_head(struct http_msg *m)
{
	char *line = m->head, *nl;
	bool first = true;
	int err;

	m->head[m->head_len] = '\0';
	while ((nl = strchr(line, '\n'))) {
		*nl = '\0';
		if (nl > line && nl[-1] == '\r')
			nl[-1] = '\0';
		if (!*line)
			break; /* the blank line ending the head */
		if (memchr(line, '\r', strlen(line)))
			return first ? HTTP_MSG_ERR_START_LINE :
				       HTTP_MSG_ERR_HEADER;
		if (first)
			err = m->kind == HTTP_MSG_REQUEST ?
				      parse_request_line(m, line) :
				      parse_status_line(m, line);
		else
			err = parse_header_line(m, line);
		if (err)
			return err;
		first = false;
		line = nl + 1;
	}
	return 0;
}

static int parse_content_length(const struct http_msg *m, bool *present,
				size_t *length)
{
	unsigned int i;
	size_t v;
	const char *p;

	*present = false;
	for (i = 0; i < m->header_count; i++) {
		if (strcasecmp(m->headers[i].name, "Content-Length"))
			continue;
		p = m->headers[i].value;
		if (!*p)
			return HTTP_MSG_ERR_LENGTH;
		for (v = 0; *p; p++) {
			if (*p < '0' || *p > '9' || v > (SIZE_MAX - 9) / 10)
				return HTTP_MSG_ERR_LENGTH;
			v = v * 10 + (size_t)(*p - '0');
		}
		if (*present && v != *length)
			return HTTP_MSG_ERR_LENGTH;
		*present = true;
		*length = v;
	}
	return 0;
}

static int reserve_body(struct http_msg *m, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > m->limits.max_body - m->body_len)
		return HTTP_MSG_ERR_BODY_SIZE;
	need = m->body_len + extra;
	if (need <= m->body_cap)
		return 0;
	cap = m->body_cap ? m->body_cap : 256;
	while (cap < need)
		cap = cap > m->limits.max_body / 2 ? m->limits.max_body :
						     cap * 2;
	p = realloc(m->body, cap);
	if (!p)
		return HTTP_MSG_ERR_NOMEM;
	m->body = p;
	m->body_cap = cap;
	return 0;
}

/* Decide how the body is framed once the head is parsed. */
static int start_body(struct http_msg *m)
{
	const char *te = http_msg_header(m, "Transfer-Encoding");
	bool has_length;
	size_t length = 0;
	int err;

	if (m->kind == HTTP_MSG_RESPONSE &&
	    (m->status_code < 200 || m->status_code == 204 ||
	     m->status_code == 304))
		return HTTP_MSG_DONE;
	err = parse_content_length(m, &has_length, &length);
	if (err)
		return err;
	if (te) {
		if (strcasecmp(te, "chunked"))
			return HTTP_MSG_ERR_ENCODING;
		/* Both framings at once is the request-smuggling shape. */
		if (has_length)
			return HTTP_MSG_ERR_LENGTH;
		m->state = ST_CHUNK_SIZE;
		return HTTP_MSG_NEED_MORE;
	}
	if (has_length) {
		err = reserve_body(m, length);
		if (err)
			return err;
		m->remaining = length;
		m->state = ST_BODY_LENGTH;
		return length ? HTTP_MSG_NEED_MORE : HTTP_MSG_DONE;
	}
	if (m->kind == HTTP_MSG_REQUEST)
		return HTTP_MSG_DONE;
	m->state = ST_BODY_EOF;
	return HTTP_MSG_NEED_MORE;
}

static bool head_complete(const struct http_msg *m)
{
	const char *e = m->head + m->head_len;

	return m->head_len >= 2 && e[-1] == '\n' &&
	       (e[-2] == '\n' ||
		(m->head_len >= 3 && e[-2] == '\r' && e[-3] == '\n'));
}

static int feed_head(struct http_msg *m, char c)
{
	int err;

	/* RFC 9112 2.2: empty lines before a request line are ignored. */
	if (!m->head_len && (c == '\r' || c == '\n'))
		return HTTP_MSG_NEED_MORE;
	if (m->head_len == m->limits.max_header_bytes)
		return HTTP_MSG_ERR_HEADER_BYTES;
	if (!c)
		return m->head_len ? HTTP_MSG_ERR_HEADER :
				     HTTP_MSG_ERR_START_LINE;
	/* Line length without its CR LF. */
	if (c == '\n')
		m->head_line_len = 0;
	else if (c != '\r')
		m->head_line_len++;
	if (m->limits.max_line && m->head_line_len > m->limits.max_line)
		return HTTP_MSG_ERR_LINE_LENGTH;
	m->head[m->head_len++] = c;
	if (!head_complete(m))
		return HTTP_MSG_NEED_MORE;
	err = parse_head(m);
	return err ? err : start_body(m);
}

/* Parse "1*HEXDIG [ chunk-ext ] [CR]" of m->line. */
static int end_chunk_size(struct http_msg *m)
{
	const char *p = m->line;
	size_t size = 0;
	int d;

	m->line[m->line_len] = '\0';
	if (m->line_len && m->line[m->line_len - 1] == '\r')
		m->line[--m->line_len] = '\0';
	for (; *p; p++) {
		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'f')
			d = (*p | 0x20) - 'a' + 10;
		else
			break;
		if (size > (m->limits.max_body - m->body_len) / 16)
			return HTTP_MSG_ERR_BODY_SIZE;
		size = size * 16 + (size_t)d;
	}
	if (p == m->line || (*p && *p != ';' && !http_is_ows(*p)))
		return HTTP_MSG_ERR_CHUNK;
	for (; *p; p++)
		if (http_is_ctl(*p))
			return HTTP_MSG_ERR_CHUNK;
	m->line_len = 0;
	if (!size) {
		m->state = ST_TRAILER;
		return HTTP_MSG_NEED_MORE;
	}
	m->remaining = size;
	m->state = ST_CHUNK_DATA;
	return reserve_body(m, size);
}

/* One byte of chunk framing (size line, CRLF after data, trailers). */
static int feed_chunk_byte(struct http_msg *m, char c)
{
	switch (m->state) {
	case ST_CHUNK_SIZE:
		if (c == '\n')
			return end_chunk_size(m);
		if (m->line_len == sizeof(m->line) - 1)
			return HTTP_MSG_ERR_CHUNK;
		m->line[m->line_len++] = c;
		return HTTP_MSG_NEED_MORE;
	case ST_CHUNK_DATA_END:
		if (c == '\r' && !m->line_len) {
			m->line_len = 1;
			return HTTP_MSG_NEED_MORE;
		}
		if (c != '\n')
			return HTTP_MSG_ERR_CHUNK;
		m->line_len = 0;
		m->state = ST_CHUNK_SIZE;
		return HTTP_MSG_NEED_MORE;
	default: /* ST_TRAILER: fields are skipped, their size bounded */
		if (++m->trailer_bytes > m->limits.max_header_bytes)
			return HTTP_MSG_ERR_HEADER_BYTES;
		if (c == '\n') {
			if (!m->line_len)
				return HTTP_MSG_DONE;
			m->line_len = 0;
		} else if (c != '\r' || m->line_len) {
			m->line_len++;
		}
		if (m->limits.max_line && m->line_len > m->limits.max_line)
			return HTTP_MSG_ERR_LINE_LENGTH;
		return HTTP_MSG_NEED_MORE;
	}
}

static size_t copy_body(struct http_msg *m, const char *data, size_t len)
{
	size_t n = len < m->remaining ? len : m->remaining;

	memcpy(m->body + m->body_len, data, n);
	m->body_len += n;
	m->remaining -= n;
	return n;
}

long http_msg_time_left_ms(const struct http_msg *m)
{
	long long left;

	if (!m->limits.max_ms)
		return -1;
	left = m->started_ms + m->limits.max_ms - now_ms();
	return left > 0 ? (long)left : 0;
}

int http_msg_expired(struct http_msg *m)
{
	if (m->state == ST_DONE)
		return HTTP_MSG_DONE;
	if (m->state == ST_ERROR)
		return m->error;
	if (!http_msg_time_left_ms(m))
		return fail(m, HTTP_MSG_ERR_TIMEOUT);
	return HTTP_MSG_NEED_MORE;
}

int http_msg_feed(struct http_msg *m, const char *data, size_t len,
		  size_t *consumed)
{
	size_t i = 0;
	bool capped = false;
	int r;

	*consumed = 0;
	r = http_msg_expired(m);
	if (r != HTTP_MSG_NEED_MORE)
		return r;
	/* Parse no further than the message byte limit allows. */
	if (m->limits.max_message_bytes &&
	    len > m->limits.max_message_bytes - m->wire_bytes) {
		len = m->limits.max_message_bytes - m->wire_bytes;
		capped = true;
	}
	while (i < len && r == HTTP_MSG_NEED_MORE) {
		switch (m->state) {
		case ST_HEAD:
			r = feed_head(m, data[i++]);
			break;
		case ST_BODY_LENGTH:
			i += copy_body(m, data + i, len - i);
			if (!m->remaining)
				r = HTTP_MSG_DONE;
			break;
		case ST_BODY_EOF:
			r = reserve_body(m, len - i);
			if (!r) {
				m->remaining = len - i;
				i += copy_body(m, data + i, len - i);
				r = HTTP_MSG_NEED_MORE;
			}
			break;
		case ST_CHUNK_DATA:
			i += copy_body(m, data + i, len - i);
			if (!m->remaining)
				m->state = ST_CHUNK_DATA_END;
			break;
		default:
			r = feed_chunk_byte(m, data[i++]);
			break;
		}
	}
	*consumed = i;
	m->wire_bytes += i;
	if (r == HTTP_MSG_NEED_MORE && capped)
		r = HTTP_MSG_ERR_MESSAGE_BYTES;
	if (r == HTTP_MSG_DONE)
		m->state = ST_DONE;
	else if (r < 0)
		return fail(m, r);
	return r;
}

int http_msg_eof(struct http_msg *m)
{
	if (m->state == ST_ERROR)
		return m->error;
	if (m->state == ST_DONE)
		return HTTP_MSG_DONE;
	if (m->state == ST_BODY_EOF) {
		m->state = ST_DONE;
		return HTTP_MSG_DONE;
	}
	return fail(m, HTTP_MSG_ERR_TRUNCATED);
}

const char *http_msg_header(const struct http_msg *m, const char *name)
{
	unsigned int i;

	for (i = 0; i < m->header_count; i++)
		if (!strcasecmp(m->headers[i].name, name))
			return m->headers[i].value;
	return NULL;
}
