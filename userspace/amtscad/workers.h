/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The session worker pool: N threads (session.workers, 0 = one per online
 * CPU), each with its own epoll loop running many sessions as non-blocking
 * state machines and its own store connection. Together they keep at most
 * session.max_inflight sessions running; a worker takes a queued Hello
 * only when it is below its share, so the intake FIFO absorbs bursts
 * (back-pressure is the queue, nothing is dropped).
 */
#ifndef AMTSCAD_WORKERS_H
#define AMTSCAD_WORKERS_H

#include "intake.h"
#include "session.h"

struct pool;

struct pool_stats {
	unsigned long long done, failed, parked;
	unsigned int inflight;
};

/*
 * Make the workers (each with its own store connection) without starting
 * them, so files are opened before the daemon drops privileges; NULL after
 * logging why.
 */
struct pool *pool_new(const struct session_env *env, struct intake *in,
		      unsigned int workers, unsigned int max_inflight);
/* Start the worker threads; -1 after logging why (then pool_stop). */
int pool_run(struct pool *p);
/* Wake the workers (intake wake callback; ctx is the pool). */
void pool_wake(void *ctx);
/*
 * Stop taking Hellos, let running sessions finish for up to drain_ms, park
 * the rest (queued in the store), join the threads and free the pool;
 * final (may be NULL) gets the last counters.
 */
void pool_stop(struct pool *p, unsigned int drain_ms, struct pool_stats *final);
void pool_get_stats(struct pool *p, struct pool_stats *st);

#endif /* AMTSCAD_WORKERS_H */
