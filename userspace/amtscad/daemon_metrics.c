// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "daemon_metrics.h"
#include "metrics_http.h"
#include "store_admin.h"

static const char *const session_states[] = { "queued", "in_progress", "done",
					      "failed", "parked",      NULL };

/* Where an attempt fails: kinds of failure and the WS-Man steps. */
static const char *const failure_places[] = { "auth",
					      "connect",
					      "credentials",
					      "http",
					      "io",
					      "timeout",
					      "tls",
					      "wsman",
					      "get_general_settings",
					      "get_setup_state",
					      "get_time",
					      "set_time",
					      "put_general_settings",
					      "set_mebx_password",
					      "set_admin_acl",
					      "set_tls_psk",
					      "commit",
					      NULL };

static const char *const device_states[] = {
	[AMTSCA_DEV_QUEUED] = "queued",
	[AMTSCA_DEV_IN_PROGRESS] = "in_progress",
	[AMTSCA_DEV_DONE] = "done",
	[AMTSCA_DEV_FAILED] = "failed",
};

int daemon_metrics_open(struct daemon_metrics *dm, const char *listen,
			char *err, size_t errlen)
{
	memset(dm, 0, sizeof(*dm));
	if (amtsca_metrics_init(&dm->am, session_states, failure_places)) {
		snprintf(err, errlen, "metrics: cannot register the series");
		return -1;
	}
	if (!strcmp(listen, "off"))
		return 0;
	dm->http = metrics_http_open(dm->am.registry, listen, err, errlen);
	if (!dm->http) {
		amtsca_metrics_free(&dm->am);
		return -1;
	}
	return 0;
}

int daemon_metrics_fd(const struct daemon_metrics *dm)
{
	return dm->http ? metrics_http_fd(dm->http) : -1;
}

static void set_session(struct daemon_metrics *dm, const char *state,
			unsigned long long n)
{
	struct metric_series *s = amtsca_metrics_session(&dm->am, state);

	if (s)
		metric_set(s, (double)n);
}

static void refresh_devices(struct daemon_metrics *dm, struct store *st)
{
	struct json_object *counts = st ? store_admin_device_counts(st) : NULL;
	struct json_object *n;
	unsigned int i;

	if (!counts)
		return;
	for (i = AMTSCA_DEV_QUEUED; i <= AMTSCA_DEV_FAILED; i++)
		if (json_object_object_get_ex(counts, device_states[i], &n))
			metric_set(dm->am.devices[i],
				   (double)json_object_get_int64(n));
	json_object_put(counts);
}

void daemon_metrics_dispatch(struct daemon_metrics *dm,
			     const struct daemon_metrics_snapshot *snap)
{
	set_session(dm, "queued", snap->queued);
	set_session(dm, "in_progress", snap->inflight);
	set_session(dm, "done", snap->done);
	set_session(dm, "failed", snap->failed);
	set_session(dm, "parked", snap->parked);
	metric_set(dm->am.queue_depth, (double)snap->queued);
	refresh_devices(dm, snap->st);
	if (snap->xdp) {
		amtsca_metrics_set_xdp(&dm->am, snap->xdp);
	} else {
		/* Socket or kmod backend: the daemon's own verdicts. */
		metric_set(dm->am.hellos_accepted, (double)snap->accepted);
		metric_set(dm->am.hellos_suppressed, (double)snap->duplicate);
	}
	metrics_http_dispatch(dm->http);
}

void daemon_metrics_close(struct daemon_metrics *dm)
{
	if (dm->http)
		metrics_http_close(dm->http);
	dm->http = NULL;
	amtsca_metrics_free(&dm->am);
}

void daemon_metrics_session_end(struct amtsca_metrics *am, bool pki,
				double seconds)
{
	if (am)
		metric_observe(am->session_duration[pki ? AMTSCA_MODE_PKI :
							  AMTSCA_MODE_PSK],
			       seconds);
}

void daemon_metrics_failure(struct amtsca_metrics *am, const char *where)
{
	struct metric_series *s = am ? amtsca_metrics_failure(am, where) : NULL;

	if (s)
		metric_inc(s);
}
