/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The series amtscad exposes on /metrics (docs/operations.md lists them),
 * registered in one place so their names and labels stay what the docs
 * say. The daemon updates them through the handles below and the
 * metric_*() calls of metrics.h.
 */
#ifndef AMTSCA_AMTSCA_METRICS_H
#define AMTSCA_AMTSCA_METRICS_H

#include <amtsca/bpf_abi.h>
#include <amtsca/device_state.h>

#include "metrics.h"

#define AMTSCA_METRICS_MAX_LABELS 32

enum amtsca_metrics_mode {
	AMTSCA_MODE_PSK,
	AMTSCA_MODE_PKI,
	AMTSCA_MODE_COUNT
};

struct amtsca_metrics {
	struct metrics *registry;
	/* amtsca_hellos_total{verdict}: "accepted", "suppressed", then one
	 * per enum amt_hello_reason (amt_hello_reason_str) */
	struct metric_series *hellos_accepted;
	struct metric_series *hellos_suppressed;
	struct metric_series *hellos_invalid[AMT_HELLO_REASON_COUNT];
	/* amtsca_xdp_packets_total{event}: the other XDP counters */
	struct metric_family *xdp_packets;
	/* amtsca_devices{state}: by enum amtsca_dev_state (not UNKNOWN) */
	struct metric_series *devices[AMTSCA_DEV_FAILED + 1];
	/* amtsca_sessions{state}: the caller's session states */
	struct metric_family *sessions;
	/* amtsca_session_failures_total{reason}: the caller's reasons */
	struct metric_family *session_failures;
	/* amtsca_session_duration_seconds{mode} */
	struct metric_series *session_duration[AMTSCA_MODE_COUNT];
	struct metric_series *queue_depth; /* amtsca_queue_depth */
	struct metric_series *ringbuf_bytes; /* amtsca_ringbuf_pending_bytes */
};

/*
 * Register every series. session_states and failure_reasons are the
 * NULL-terminated label values the daemon will use (at most
 * AMTSCA_METRICS_MAX_LABELS each); a value not listed here cannot be
 * added later. Returns 0, or -1 with errno.
 */
int amtsca_metrics_init(struct amtsca_metrics *am,
			const char *const *session_states,
			const char *const *failure_reasons);
void amtsca_metrics_free(struct amtsca_metrics *am);

/* Series of a listed session state or failure reason; NULL if unlisted. */
struct metric_series *amtsca_metrics_session(struct amtsca_metrics *am,
					     const char *state);
struct metric_series *amtsca_metrics_failure(struct amtsca_metrics *am,
					     const char *reason);

/* Copy the XDP program's counters (summed over CPUs) into the Hello and
 * packet series. */
void amtsca_metrics_set_xdp(struct amtsca_metrics *am,
			    const struct amtsca_counters *sum);

#endif /* AMTSCA_AMTSCA_METRICS_H */
