/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * amtscad's control socket for amtscactl (protocol: control_proto.h).
 * The server keeps its own epoll set of the listener and its clients; the
 * daemon adds control_server_fd() to its loop and calls
 * control_server_dispatch() when it is readable. Nothing blocks: each
 * client has a deadline and a bounded request.
 */
#ifndef AMTSCAD_CONTROL_H
#define AMTSCAD_CONTROL_H

#include <stddef.h>

#include <amtsca/bpf_abi.h>

/* A snapshot of the daemon's counters, filled by the daemon on request. */
struct daemon_stats {
	const char *backend; /* "socket", "xdp", "kmod" */
	long long started_at; /* Unix seconds */
	unsigned long long hellos_accepted, hellos_duplicate, hellos_invalid;
	unsigned long long queued; /* accepted Hellos waiting for a session */
	unsigned long long sessions_inflight, sessions_done, sessions_failed;
};

struct control_handlers {
	/* Required. */
	void (*get_stats)(void *ctx, struct daemon_stats *out);
	/* Optional: sum of the XDP per-CPU counters; -1 when there are none. */
	int (*get_bpf_counters)(void *ctx, struct amtsca_counters *sum);
	/*
	 * Optional: cert add installed certs_dir/file; serve it from now on.
	 * 0 served, 1 a chain of that name is served already, -1 not loaded.
	 */
	int (*cert_installed)(void *ctx, const char *file);
};

struct control_config {
	const char *socket_path;
	const char *group; /* socket group; NULL or "" keeps the daemon's */
	const char *db_path, *key_file; /* the store the commands query */
	const char *certs_dir; /* where cert add installs chains */
	const char *hostname_prefix, *domain; /* the provisioning profile */
};

struct control_server;

/*
 * Create the socket (mode 0660, group cc->group; a stale socket file is
 * replaced, a live one is an error) and open the store. NULL with a
 * one-line reason in err.
 */
struct control_server *control_server_open(const struct control_config *cc,
					   const struct control_handlers *h,
					   void *ctx, char *err, size_t errlen);
/* Pollable fd: readable when dispatch has work. */
int control_server_fd(const struct control_server *cs);
/* Accept, read, answer and expire clients; never blocks. */
void control_server_dispatch(struct control_server *cs);
/* Close every client and the store, remove the socket file. */
void control_server_close(struct control_server *cs);

#endif /* AMTSCAD_CONTROL_H */
