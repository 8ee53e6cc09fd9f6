/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * amtscad's Prometheus metrics (docs/operations.md): the series of
 * amtsca_metrics.h, refreshed from the intake, the worker pool, the store
 * and the BPF counters each time a scrape arrives, plus what sessions
 * report as they end (from any worker thread).
 */
#ifndef AMTSCAD_DAEMON_METRICS_H
#define AMTSCAD_DAEMON_METRICS_H

#include <stdbool.h>
#include <stddef.h>

#include <amtsca/bpf_abi.h>

#include "amtsca_metrics.h"

struct daemon_metrics {
	struct amtsca_metrics am;
	struct metrics_http *http; /* NULL when metrics.listen = off */
};

/* What the main loop knows when a scrape arrives. */
struct daemon_metrics_snapshot {
	unsigned long long accepted, duplicate, queued;
	unsigned long long inflight, done, failed, parked;
	const struct amtsca_counters *xdp; /* NULL without the XDP backend */
	struct store *st; /* device counts by state */
};

/* Register the series and listen on listen ("off": none); -1 with err. */
int daemon_metrics_open(struct daemon_metrics *dm, const char *listen,
			char *err, size_t errlen);
/* -1 when not listening. */
int daemon_metrics_fd(const struct daemon_metrics *dm);
/* The fd is readable: refresh from snap, then answer the scrape. */
void daemon_metrics_dispatch(struct daemon_metrics *dm,
			     const struct daemon_metrics_snapshot *snap);
void daemon_metrics_close(struct daemon_metrics *dm);

/* A session ended (done or failed): its duration by mode. */
void daemon_metrics_session_end(struct amtsca_metrics *am, bool pki,
				double seconds);
/* An attempt failed at where (a step or kind of failure). */
void daemon_metrics_failure(struct amtsca_metrics *am, const char *where);

#endif /* AMTSCAD_DAEMON_METRICS_H */
