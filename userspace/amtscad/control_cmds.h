/* SPDX-License-Identifier: GPL-2.0-only */
/* The control socket's commands: one request in, one JSON reply out. */
#ifndef AMTSCAD_CONTROL_CMDS_H
#define AMTSCAD_CONTROL_CMDS_H

#include <json-c/json.h>

#include "control.h"
#include "control_proto.h"
#include "store.h"

struct control_env {
	struct store *st;
	const struct control_handlers *h;
	void *ctx;
	const char *certs_dir, *hostname_prefix, *domain;
};

/*
 * Run req; fd is the descriptor the client passed, or -1 (the caller
 * closes it). Returns {"ok":true,...} or {"ok":false,"error":"..."}.
 */
struct json_object *control_cmd_run(const struct control_env *env,
				    const struct control_request *req, int fd);
/* {"ok":false,"error":msg}. */
struct json_object *control_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

#endif /* AMTSCAD_CONTROL_CMDS_H */
