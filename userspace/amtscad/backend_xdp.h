/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * XDP backend glue: the [xdp] configuration and --interface into
 * xdp_backend (load, pin, attach) and link_watch (follow the interfaces),
 * both fds in the daemon's epoll loop. Each Hello from the ring buffer
 * goes to the same callback as the other backends; the sessions' device
 * states reach the BPF device-state map through the device_state_hook.
 */
#ifndef AMTSCAD_BACKEND_XDP_H
#define AMTSCAD_BACKEND_XDP_H

#include <stdbool.h>
#include <stdint.h>

#include <amtsca/bpf_abi.h>
#include <amtsca/device_state.h>

#include "backend_socket.h"
#include "config.h"
#include "options.h"

struct backend_xdp;

/* cfg->xdp, and opt->port and opt->interfaces; NULL after logging why. */
struct backend_xdp *backend_xdp_open(int epfd, const struct options *opt,
				     const struct amtsca_config *cfg,
				     hello_cb cb, void *ctx);
/* Handle readiness of fd; false if it is not one of ours. */
bool backend_xdp_handle(struct backend_xdp *bx, int fd);
/*
 * While Hellos keep coming the ring is read every RING_PAUSE_MS
 * (backend_xdp.c) instead of on each wake-up: the main loop waits no
 * longer than backend_xdp_timeout() (-1: no limit) and calls
 * backend_xdp_poll() after every wake-up.
 */
int backend_xdp_timeout(struct backend_xdp *bx);
void backend_xdp_poll(struct backend_xdp *bx);
/*
 * A device state into the BPF device-state map (the daemon's
 * device_state_hook); thread-safe. Failures are logged.
 */
void backend_xdp_set_device_state(struct backend_xdp *bx,
				  const uint8_t uuid[16],
				  enum amtsca_dev_state state,
				  uint64_t expires_ns);
/* The same for n devices in one bpf() call. */
void backend_xdp_set_device_states(struct backend_xdp *bx,
				   const uint8_t (*uuids)[16], size_t n,
				   enum amtsca_dev_state state,
				   uint64_t expires_ns);
/* The program's per-CPU counters, summed; 0 or a negative errno. */
int backend_xdp_read_counters(struct backend_xdp *bx,
			      struct amtsca_counters *sum);
/* One log line with the ring and BPF counters. */
void backend_xdp_log_stats(struct backend_xdp *bx);
/* Detach, log the stats and free; the pinned maps stay. NULL: no-op. */
/* SIGHUP: the allowed prefixes and rates of x replace those in force. */
int backend_xdp_reconfigure(struct backend_xdp *bx, const struct config_xdp *x);
void backend_xdp_close(struct backend_xdp *bx);

#endif /* AMTSCAD_BACKEND_XDP_H */
