/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * XDP backend glue: the [xdp] configuration and --interface into
 * xdp_backend (load, pin, attach) and link_watch (follow the interfaces),
 * both fds in the daemon's epoll loop. Each Hello from the ring buffer
 * marks its device QUEUED in the BPF device-state map (so re-sent Hellos
 * raise no event) and goes to the same callback as the other backends.
 */
#ifndef AMTSCAD_BACKEND_XDP_H
#define AMTSCAD_BACKEND_XDP_H

#include <stdbool.h>
#include <stdint.h>

#include "backend_socket.h"
#include "options.h"

struct backend_xdp;

struct amtsca_config;
struct amtsca_counters;

/* NULL after logging why. */
struct backend_xdp *backend_xdp_open(int epfd, const struct options *opt,
				     const struct amtsca_config *daemon_cfg,
				     hello_cb cb, void *ctx);
/* Handle readiness of fd; false if it is not one of ours. */
bool backend_xdp_handle(struct backend_xdp *bx, int fd);
/* For the session code: see xdp_backend_set_device_state(). */
int backend_xdp_set_device_state(struct backend_xdp *bx, const uint8_t uuid[16],
				 uint32_t state, uint64_t expires_ns);
/* Control socket (helper D): every CPU's BPF counters summed. */
int backend_xdp_read_counters(struct backend_xdp *bx,
			      struct amtsca_counters *sum);
/* One log line with the ring and BPF counters. */
void backend_xdp_log_stats(struct backend_xdp *bx);
/* Detach from every interface; the pinned maps stay. */
void backend_xdp_close(struct backend_xdp *bx);

#endif /* AMTSCAD_BACKEND_XDP_H */
