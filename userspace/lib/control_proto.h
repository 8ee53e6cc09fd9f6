/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * amtscad control protocol (UNIX stream socket): the client sends one
 * request line "command arg ...\n", optionally with one file descriptor
 * (SCM_RIGHTS) for commands that read a file; the daemon answers with one
 * JSON object and a newline, then closes. Arguments are printable ASCII
 * without spaces; there is no quoting.
 */
#ifndef AMTSCA_CONTROL_PROTO_H
#define AMTSCA_CONTROL_PROTO_H

#include <stddef.h>

#define CONTROL_LINE_MAX 1024 /* request line, '\n' included */
#define CONTROL_ARGC_MAX 8
#define CONTROL_ARG_MAX 255

struct control_request {
	int argc;
	char *argv[CONTROL_ARGC_MAX]; /* point into buf */
	char buf[CONTROL_LINE_MAX];
};

/*
 * Parse len bytes: one line ending in '\n', nothing after it. Returns 0,
 * or -1 with a one-line reason in err.
 */
int control_request_parse(struct control_request *req, const char *line,
			  size_t len, char *err, size_t errlen);
/*
 * Build the request line for argv into buf. Returns its length, or -1 with
 * the reason in err (an argument the protocol cannot carry).
 */
int control_request_format(char *buf, size_t buflen, int argc,
			   char *const *argv, char *err, size_t errlen);

#endif /* AMTSCA_CONTROL_PROTO_H */
