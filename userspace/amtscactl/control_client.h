/* SPDX-License-Identifier: GPL-2.0-only */
/* amtscactl's side of the control socket (protocol: control_proto.h). */
#ifndef AMTSCACTL_CONTROL_CLIENT_H
#define AMTSCACTL_CONTROL_CLIENT_H

#include <json-c/json.h>

/* --socket PATH, else daemon.control_socket of the default config file. */
extern const char *ctl_socket_path;

/*
 * Send argv as one request (passing fd when it is >= 0) and parse the
 * reply. Returns CTL_EXIT_OK with *reply set, whatever its "ok" says, or
 * CTL_EXIT_FAILURE after printing why to stderr.
 */
int ctl_call(int argc, char **argv, int fd, struct json_object **reply);
/*
 * ctl_call, then: a reply with ok=false is printed as "amtscactl: ERROR"
 * and freed (CTL_EXIT_FAILURE).
 */
int ctl_call_ok(int argc, char **argv, int fd, struct json_object **reply);
/* Print obj as one line of JSON on stdout. */
int ctl_print_json(struct json_object *obj);
/* Remove "--json" from argv; returns whether it was there. */
int ctl_take_flag(int *argc, char **argv, const char *flag);

#endif /* AMTSCACTL_CONTROL_CLIENT_H */
