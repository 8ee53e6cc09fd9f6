// SPDX-License-Identifier: GPL-2.0-only
/* Control request lines: split and check, or join, bounded everywhere. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "control_proto.h"

static bool is_arg_char(unsigned char c)
{
	return c > ' ' && c < 0x7f;
}

int control_request_parse(struct control_request *req, const char *line,
			  size_t len, char *err, size_t errlen)
{
	size_t i;
	char *p;

	req->argc = 0;
	if (!len || line[len - 1] != '\n') {
		snprintf(err, errlen,
			 "request must be one line ending in a newline");
		return -1;
	}
	if (len > CONTROL_LINE_MAX) {
		snprintf(err, errlen, "request longer than %d bytes",
			 CONTROL_LINE_MAX);
		return -1;
	}
	memcpy(req->buf, line, len - 1);
	req->buf[len - 1] = '\0';
	for (i = 0; i < len - 1; i++) {
		if (req->buf[i] != ' ' && !is_arg_char(req->buf[i])) {
			snprintf(
				err, errlen,
				"byte 0x%02x at offset %zu is not printable ASCII",
				(unsigned char)req->buf[i], i);
			return -1;
		}
	}
	for (p = strtok(req->buf, " "); p; p = strtok(NULL, " ")) {
		if (req->argc == CONTROL_ARGC_MAX) {
			snprintf(err, errlen, "more than %d words",
				 CONTROL_ARGC_MAX);
			return -1;
		}
		if (strlen(p) > CONTROL_ARG_MAX) {
			snprintf(err, errlen, "word %d longer than %d bytes",
				 req->argc + 1, CONTROL_ARG_MAX);
			return -1;
		}
		req->argv[req->argc++] = p;
	}
	if (!req->argc) {
		snprintf(err, errlen, "empty request");
		return -1;
	}
	return 0;
}

int control_request_format(char *buf, size_t buflen, int argc,
			   char *const *argv, char *err, size_t errlen)
{
	size_t off = 0, n;
	const char *c;
	int i;

	if (buflen > CONTROL_LINE_MAX)
		buflen = CONTROL_LINE_MAX;
	if (argc < 1 || argc > CONTROL_ARGC_MAX) {
		snprintf(err, errlen, "1..%d words per request",
			 CONTROL_ARGC_MAX);
		return -1;
	}
	for (i = 0; i < argc; i++) {
		n = strlen(argv[i]);
		for (c = argv[i]; *c; c++)
			if (!is_arg_char((unsigned char)*c))
				break;
		if (!n || *c || n > CONTROL_ARG_MAX) {
			snprintf(
				err, errlen,
				"'%.64s': arguments must be 1..%d printable characters without spaces",
				argv[i], CONTROL_ARG_MAX);
			return -1;
		}
		if (off + n + 1 > buflen) {
			snprintf(err, errlen, "request longer than %zu bytes",
				 buflen);
			return -1;
		}
		memcpy(buf + off, argv[i], n);
		off += n;
		buf[off++] = i + 1 < argc ? ' ' : '\n';
	}
	return (int)off;
}
