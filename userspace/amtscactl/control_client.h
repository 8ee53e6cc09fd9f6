/* SPDX-License-Identifier: GPL-2.0-only */
/* amtscactl's side of the control socket (protocol: control_proto.h). */
#ifndef AMTSCACTL_CONTROL_CLIENT_H
#define AMTSCACTL_CONTROL_CLIENT_H

#include <json-c/json.h>

/* --socket PATH, else daemon.control_socket of the default config file. */
extern const char *ctl_socket_path;

/*
 * Send argv as one request and parse the reply. With file, the file is
 * opened here (the operator's rights) and its descriptor passed along.
 * Returns CTL_EXIT_OK with *reply set, whatever its "ok" says, or an exit
 * code after printing why to stderr.
 */
int ctl_call(int argc, char **argv, const char *file,
	     struct json_object **reply);
/* ctl_call passing the descriptor fd (-1: none), which the caller keeps. */
int ctl_call_fd(int argc, char **argv, int fd, struct json_object **reply);
/*
 * ctl_call, then: a reply with ok=false is printed as "amtscactl: ERROR"
 * and freed (CTL_EXIT_FAILURE).
 */
int ctl_call_ok(int argc, char **argv, const char *file,
		struct json_object **reply);
/*
 * ctl_call_ok, then print the reply: as JSON when json is set, else with
 * print. Returns the exit code.
 */
int ctl_query(int argc, char **argv, int json,
	      int (*print)(struct json_object *reply));
/* Print obj as one line of JSON on stdout. */
int ctl_print_json(struct json_object *obj);
/* Remove "--json" from argv; returns whether it was there. */
int ctl_take_flag(int *argc, char **argv, const char *flag);

#endif /* AMTSCACTL_CONTROL_CLIENT_H */
