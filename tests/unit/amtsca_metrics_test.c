// SPDX-License-Identifier: GPL-2.0-only
/* The amtscad series: names and labels as documented, XDP counters copied. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "amtsca_metrics.h"
#include "kselftest_harness.h"

static const char *const states[] = { "connecting", "tls", "wsman", NULL };
static const char *const reasons[] = { "tls_psk", "digest", NULL };

/* Does the exposition have this exact line? */
static int has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	const char *p = text;

	while ((p = strstr(p, line))) {
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return 1;
		p += n;
	}
	return 0;
}

TEST(series_and_xdp_counters)
{
	struct amtsca_counters sum = { 0 };
	struct amtsca_metrics am;
	char *text;

	ASSERT_EQ(0, amtsca_metrics_init(&am, states, reasons));
	sum.hello_event = 7;
	sum.suppressed = 3;
	sum.hello_invalid[AMT_HELLO_ERR_PID_CHAR] = 2;
	sum.syn_ack = 11;
	sum.stray = 1;
	amtsca_metrics_set_xdp(&am, &sum);
	metric_set(am.devices[AMTSCA_DEV_DONE], 5);
	metric_set(amtsca_metrics_session(&am, "tls"), 4);
	metric_inc(amtsca_metrics_failure(&am, "digest"));
	metric_observe(am.session_duration[AMTSCA_MODE_PKI], 1.5);
	metric_set(am.queue_depth, 9);
	EXPECT_EQ(NULL, amtsca_metrics_session(&am, "unlisted"));
	EXPECT_EQ(EBUSY, errno);
	text = metrics_render(am.registry, NULL);
	ASSERT_NE(NULL, text);
	EXPECT_TRUE(has_line(text, "# TYPE amtsca_hellos_total counter"));
	EXPECT_TRUE(
		has_line(text, "amtsca_hellos_total{verdict=\"accepted\"} 7"));
	EXPECT_TRUE(has_line(text,
			     "amtsca_hellos_total{verdict=\"suppressed\"} 3"));
	EXPECT_TRUE(
		has_line(text, "amtsca_hellos_total{verdict=\"bad_pid_char\"} 2"));
	EXPECT_TRUE(
		has_line(text, "amtsca_hellos_total{verdict=\"trailing_bytes\"} 0"));
	EXPECT_FALSE(has_line(text, "amtsca_hellos_total{verdict=\"ok\"} 0"));
	EXPECT_TRUE(has_line(text,
			     "amtsca_xdp_packets_total{event=\"syn_ack\"} 11"));
	EXPECT_TRUE(
		has_line(text, "amtsca_xdp_packets_total{event=\"stray\"} 1"));
	EXPECT_TRUE(has_line(text, "amtsca_devices{state=\"done\"} 5"));
	EXPECT_TRUE(has_line(text, "amtsca_devices{state=\"queued\"} 0"));
	EXPECT_TRUE(has_line(text, "amtsca_sessions{state=\"tls\"} 4"));
	EXPECT_TRUE(has_line(
		text, "amtsca_session_failures_total{reason=\"digest\"} 1"));
	EXPECT_TRUE(has_line(
		text,
		"amtsca_session_duration_seconds_bucket{mode=\"pki\",le=\"1\"} 0"));
	EXPECT_TRUE(has_line(
		text,
		"amtsca_session_duration_seconds_bucket{mode=\"pki\",le=\"2\"} 1"));
	EXPECT_TRUE(has_line(
		text, "amtsca_session_duration_seconds_count{mode=\"psk\"} 0"));
	EXPECT_TRUE(has_line(text, "amtsca_queue_depth 9"));
	EXPECT_TRUE(has_line(text, "amtsca_ringbuf_pending_bytes 0"));
	free(text);
	amtsca_metrics_free(&am);
}

TEST(label_lists_are_bounded)
{
	const char *many[AMTSCA_METRICS_MAX_LABELS + 2];
	struct amtsca_metrics am;
	char names[AMTSCA_METRICS_MAX_LABELS + 1][8];
	int i;

	for (i = 0; i <= AMTSCA_METRICS_MAX_LABELS; i++) {
		snprintf(names[i], sizeof(names[i]), "s%d", i);
		many[i] = names[i];
	}
	many[AMTSCA_METRICS_MAX_LABELS + 1] = NULL;
	EXPECT_EQ(-1, amtsca_metrics_init(&am, many, reasons));
	EXPECT_EQ(NULL, am.registry);
	many[AMTSCA_METRICS_MAX_LABELS] = NULL;
	ASSERT_EQ(0, amtsca_metrics_init(&am, many, NULL));
	amtsca_metrics_free(&am);
}

TEST_HARNESS_MAIN
