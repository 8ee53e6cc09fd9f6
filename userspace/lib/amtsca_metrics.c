// SPDX-License-Identifier: GPL-2.0-only
/* The amtscad series: names, help texts, labels and buckets. */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "amtsca_metrics.h"

/* Session durations run from a second (PSK, LAN) to minutes (retries). */
static const double duration_bounds[] = {
	0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300
};

static const char *const device_states[] = {
	[AMTSCA_DEV_QUEUED] = "queued",
	[AMTSCA_DEV_IN_PROGRESS] = "in_progress",
	[AMTSCA_DEV_DONE] = "done",
	[AMTSCA_DEV_FAILED] = "failed",
};

static const char *const mode_names[] = {
	[AMTSCA_MODE_PSK] = "psk",
	[AMTSCA_MODE_PKI] = "pki",
};

/* XDP counters that are packet events rather than Hello verdicts. */
static const struct {
	const char *event;
	size_t offset;
} xdp_events[] = {
	{ "rx_total", offsetof(struct amtsca_counters, rx_total) },
	{ "pass_other", offsetof(struct amtsca_counters, pass_other) },
	{ "port_tcp", offsetof(struct amtsca_counters, port_tcp) },
	{ "syn_ack", offsetof(struct amtsca_counters, syn_ack) },
	{ "malformed", offsetof(struct amtsca_counters, malformed) },
	{ "bad_cookie", offsetof(struct amtsca_counters, bad_cookie) },
	{ "ring_full", offsetof(struct amtsca_counters, ring_full) },
	{ "oversize", offsetof(struct amtsca_counters, oversize) },
	{ "ack_fin", offsetof(struct amtsca_counters, ack_fin) },
	{ "rst", offsetof(struct amtsca_counters, rst) },
	{ "fin_ack", offsetof(struct amtsca_counters, fin_ack) },
	{ "stray", offsetof(struct amtsca_counters, stray) },
};

#define NXDP_EVENTS (sizeof(xdp_events) / sizeof(xdp_events[0]))

/* The series of family f for one label value. */
static struct metric_series *one(struct metric_family *f, const char *value)
{
	const char *const values[] = { value, NULL };

	return f ? metric_series(f, values) : NULL;
}

/* Register a series per value of a NULL-terminated list. */
static int each(struct metric_family *f, const char *const *values)
{
	size_t i;

	if (!f)
		return -1;
	for (i = 0; values && values[i]; i++) {
		if (i == AMTSCA_METRICS_MAX_LABELS) {
			errno = EINVAL;
			return -1;
		}
		if (!one(f, values[i]))
			return -1;
	}
	return 0;
}

static int register_hellos(struct amtsca_metrics *am)
{
	static const char *const verdict[] = { "verdict", NULL };
	struct metric_family *f;
	int r;

	f = metrics_counter(
		am->registry, "amtsca_hellos_total",
		"Hellos by verdict: accepted (queued for a session), suppressed (device already known), or the validator's reason for refusing it.",
		verdict);
	am->hellos_accepted = one(f, "accepted");
	am->hellos_suppressed = one(f, "suppressed");
	if (!am->hellos_accepted || !am->hellos_suppressed)
		return -1;
	for (r = 1; r < AMT_HELLO_REASON_COUNT; r++) {
		am->hellos_invalid[r] = one(f, amt_hello_reason_str(r));
		if (!am->hellos_invalid[r])
			return -1;
	}
	return 0;
}

static int register_devices_and_sessions(struct amtsca_metrics *am,
					 const char *const *session_states,
					 const char *const *failure_reasons)
{
	static const char *const state[] = { "state", NULL };
	static const char *const reason[] = { "reason", NULL };
	static const char *const mode[] = { "mode", NULL };
	struct metric_family *f;
	int i;

	f = metrics_gauge(am->registry, "amtsca_devices",
			  "Devices known to the daemon by provisioning state.",
			  state);
	for (i = AMTSCA_DEV_QUEUED; i <= AMTSCA_DEV_FAILED; i++)
		if (!(am->devices[i] = one(f, device_states[i])))
			return -1;
	am->sessions = metrics_gauge(am->registry, "amtsca_sessions",
				     "Sessions with devices by current state.",
				     state);
	am->session_failures =
		metrics_counter(am->registry, "amtsca_session_failures_total",
				"Sessions that failed, by reason.", reason);
	if (each(am->sessions, session_states) ||
	    each(am->session_failures, failure_reasons))
		return -1;
	f = metrics_histogram(
		am->registry, "amtsca_session_duration_seconds",
		"Time from a session's first connection to its end, by Hello mode.",
		mode, duration_bounds,
		sizeof(duration_bounds) / sizeof(duration_bounds[0]));
	for (i = 0; i < AMTSCA_MODE_COUNT; i++)
		if (!(am->session_duration[i] = one(f, mode_names[i])))
			return -1;
	return 0;
}

static int register_depths(struct amtsca_metrics *am)
{
	static const char *const event[] = { "event", NULL };
	struct metric_family *f;
	size_t i;

	am->xdp_packets = metrics_counter(
		am->registry, "amtsca_xdp_packets_total",
		"Packets the XDP program handled, by event (bpf_abi.h struct amtsca_counters).",
		event);
	for (i = 0; i < NXDP_EVENTS; i++)
		if (!one(am->xdp_packets, xdp_events[i].event))
			return -1;
	f = metrics_gauge(am->registry, "amtsca_queue_depth",
			  "Accepted Hellos waiting for a session worker.",
			  NULL);
	am->queue_depth = f ? metric_series(f, NULL) : NULL;
	f = metrics_gauge(
		am->registry, "amtsca_ringbuf_pending_bytes",
		"Bytes in the XDP ring buffer not yet read by the daemon.",
		NULL);
	am->ringbuf_bytes = f ? metric_series(f, NULL) : NULL;
	return am->queue_depth && am->ringbuf_bytes ? 0 : -1;
}

int amtsca_metrics_init(struct amtsca_metrics *am,
			const char *const *session_states,
			const char *const *failure_reasons)
{
	memset(am, 0, sizeof(*am));
	am->registry = metrics_new();
	if (!am->registry) {
		errno = ENOMEM;
		return -1;
	}
	if (register_hellos(am) ||
	    register_devices_and_sessions(am, session_states,
					  failure_reasons) ||
	    register_depths(am)) {
		amtsca_metrics_free(am);
		return -1;
	}
	metrics_seal(am->registry);
	return 0;
}

void amtsca_metrics_free(struct amtsca_metrics *am)
{
	metrics_free(am->registry);
	memset(am, 0, sizeof(*am));
}

struct metric_series *amtsca_metrics_session(struct amtsca_metrics *am,
					     const char *state)
{
	return one(am->sessions, state);
}

struct metric_series *amtsca_metrics_failure(struct amtsca_metrics *am,
					     const char *reason)
{
	return one(am->session_failures, reason);
}

void amtsca_metrics_set_xdp(struct amtsca_metrics *am,
			    const struct amtsca_counters *sum)
{
	size_t i;
	int r;

	metric_set(am->hellos_accepted, (double)sum->hello_event);
	metric_set(am->hellos_suppressed, (double)sum->suppressed);
	for (r = 1; r < AMT_HELLO_REASON_COUNT; r++)
		metric_set(am->hellos_invalid[r],
			   (double)sum->hello_invalid[r]);
	for (i = 0; i < NXDP_EVENTS; i++)
		metric_set(one(am->xdp_packets, xdp_events[i].event),
			   (double)*(const __u64 *)((const char *)sum +
						    xdp_events[i].offset));
}
