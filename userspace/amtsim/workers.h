/* SPDX-License-Identifier: GPL-2.0-only */
/* --workers N: the fleet split into N processes (workers.c). */
#ifndef AMTSIM_WORKERS_H
#define AMTSIM_WORKERS_H

#include <signal.h>

#include "fleet.h"

/* Listening sockets of one family, one per worker, on the same port. */
struct sim_listeners {
	struct sim_listener l[SIM_MAX_WORKERS];
	unsigned int n;
};

/* Devices per worker: each worker takes a contiguous block of this many. */
uint32_t sim_workers_block(const struct sim_fleet *f);
/* Workers with at least one device (at most --workers). */
unsigned int sim_workers_count(const struct sim_fleet *f);

/*
 * With more than one listener in ls: the kernel hands a connection to the
 * listener of the worker whose block holds the device address it was made
 * to, so a device's sessions (and its TLS session cache) stay in one
 * process.
 */
int sim_workers_steer(const struct sim_fleet *f, struct sim_listeners *ls,
		      int family);

/*
 * Fork one worker per block; worker w runs simulate(f, w) with f->lo and
 * f->hi set to its block and exits. Waits for all of them (passing on
 * SIGINT/SIGTERM), then sets f->operational and f->done to the fleet's
 * totals; the device models are shared memory, so the state JSON is
 * written from f as with one process. Returns 0, or -1 if a worker failed.
 */
int sim_workers_run(struct sim_fleet *f,
		    int (*simulate)(struct sim_fleet *f, unsigned int w),
		    volatile sig_atomic_t *stop_signal);

#endif /* AMTSIM_WORKERS_H */
