// SPDX-License-Identifier: GPL-2.0-only
/*
 * Prometheus exposition: exact text for counters, gauges and histograms
 * with labels, escaping, registration rules; the /metrics responder over
 * loopback inside a network namespace of the test's own (root).
 */
#include <errno.h>
#include <math.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "metrics.h"
#include "metrics_http.h"

TEST(exposition_exact)
{
	static const char *const verdict[] = { "verdict", NULL };
	static const char *const state_reason[] = { "state", "reason", NULL };
	static const double bounds[] = { 0.5, 1, 2.5 };
	struct metric_family *hellos, *sessions, *depth, *duration;
	struct metric_series *queued, *dup, *failed, *d;
	struct metrics *m = metrics_new();
	size_t len;
	char *text;

	ASSERT_NE(NULL, m);
	hellos = metrics_counter(m, "amtsca_hellos_total", "Hellos by verdict.",
				 verdict);
	sessions =
		metrics_gauge(m, "amtsca_sessions", "Sessions.", state_reason);
	depth = metrics_gauge(m, "amtsca_queue_depth", "Queue depth.", NULL);
	duration = metrics_histogram(m, "amtsca_session_duration_seconds",
				     "Duration.", NULL, bounds, 3);
	ASSERT_NE(NULL, hellos);
	ASSERT_NE(NULL, sessions);
	ASSERT_NE(NULL, depth);
	ASSERT_NE(NULL, duration);
	queued = metric_series(hellos, (const char *const[]){ "queued", NULL });
	dup = metric_series(hellos, (const char *const[]){ "duplicate", NULL });
	failed = metric_series(sessions,
			       (const char *const[]){ "failed", "tls \"psk\"\n",
						      NULL });
	ASSERT_NE(NULL, queued);
	ASSERT_NE(NULL, dup);
	ASSERT_NE(NULL, failed);
	EXPECT_EQ(queued, metric_series(hellos, (const char *const[]){ "queued",
								       NULL }));
	metric_inc(queued);
	metric_add(queued, 2);
	metric_add(queued, -5); /* ignored: counters only go up */
	metric_set(dup, 12345678901.0);
	metric_set(failed, -1.5);
	metric_set(metric_series(depth, NULL), 0.1);
	d = metric_series(duration, NULL);
	metric_observe(d, 0.25);
	metric_observe(d, 1);
	metric_observe(d, 3);
	metric_observe(d, NAN); /* ignored */
	text = metrics_render(m, &len);
	ASSERT_NE(NULL, text);
	EXPECT_STREQ(
		"# HELP amtsca_hellos_total Hellos by verdict.\n"
		"# TYPE amtsca_hellos_total counter\n"
		"amtsca_hellos_total{verdict=\"queued\"} 3\n"
		"amtsca_hellos_total{verdict=\"duplicate\"} 12345678901\n"
		"# HELP amtsca_sessions Sessions.\n"
		"# TYPE amtsca_sessions gauge\n"
		"amtsca_sessions{state=\"failed\",reason=\"tls \\\"psk\\\"\\n\"} -1.5\n"
		"# HELP amtsca_queue_depth Queue depth.\n"
		"# TYPE amtsca_queue_depth gauge\n"
		"amtsca_queue_depth 0.1\n"
		"# HELP amtsca_session_duration_seconds Duration.\n"
		"# TYPE amtsca_session_duration_seconds histogram\n"
		"amtsca_session_duration_seconds_bucket{le=\"0.5\"} 1\n"
		"amtsca_session_duration_seconds_bucket{le=\"1\"} 2\n"
		"amtsca_session_duration_seconds_bucket{le=\"2.5\"} 2\n"
		"amtsca_session_duration_seconds_bucket{le=\"+Inf\"} 3\n"
		"amtsca_session_duration_seconds_sum 4.25\n"
		"amtsca_session_duration_seconds_count 3\n",
		text);
	EXPECT_EQ(strlen(text), len);
	free(text);
	metrics_free(m);
}

TEST(labelled_histogram_and_special_values)
{
	static const double bounds[] = { 1 };
	struct metric_family *h, *g;
	struct metrics *m = metrics_new();
	char *text;

	h = metrics_histogram(m, "h", "a\\b\nc",
			      (const char *const[]){ "mode", NULL }, bounds, 1);
	g = metrics_gauge(m, "g", "", (const char *const[]){ "x", NULL });
	ASSERT_NE(NULL, h);
	ASSERT_NE(NULL, g);
	metric_observe(metric_series(h, (const char *const[]){ "psk", NULL }),
		       2);
	metric_set(metric_series(g, (const char *const[]){ "inf", NULL }),
		   INFINITY);
	metric_set(metric_series(g, (const char *const[]){ "nan", NULL }), NAN);
	metric_set(metric_series(g, (const char *const[]){ "third", NULL }),
		   1.0 / 3);
	text = metrics_render(m, NULL);
	EXPECT_STREQ("# HELP h a\\\\b\\nc\n# TYPE h histogram\n"
		     "h_bucket{mode=\"psk\",le=\"1\"} 0\n"
		     "h_bucket{mode=\"psk\",le=\"+Inf\"} 1\n"
		     "h_sum{mode=\"psk\"} 2\nh_count{mode=\"psk\"} 1\n"
		     "# HELP g \n# TYPE g gauge\n"
		     "g{x=\"inf\"} +Inf\ng{x=\"nan\"} NaN\n"
		     "g{x=\"third\"} 0.3333333333333333\n",
		     text);
	free(text);
	metrics_free(m);
}

TEST(registration_rules)
{
	static const double unordered[] = { 2, 1 };
	struct metrics *m = metrics_new();
	struct metric_family *f;

	EXPECT_EQ(NULL, metrics_counter(m, "9bad", "", NULL));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(NULL, metrics_counter(m, "a-b", "", NULL));
	EXPECT_EQ(NULL, metrics_counter(m, "", "", NULL));
	EXPECT_EQ(NULL, metrics_counter(m, "ok", "",
					(const char *const[]){ "__x", NULL }));
	EXPECT_EQ(NULL, metrics_counter(m, "ok", "",
					(const char *const[]){ "a:b", NULL }));
	EXPECT_EQ(NULL,
		  metrics_counter(m, "ok", "",
				  (const char *const[]){ "a", "a", NULL }));
	EXPECT_EQ(NULL, metrics_histogram(m, "ok", "",
					  (const char *const[]){ "le", NULL },
					  NULL, 0));
	EXPECT_EQ(NULL, metrics_histogram(m, "ok", "", NULL, unordered, 2));
	f = metrics_counter(m, "ns:ok_total", "",
			    (const char *const[]){ "a", NULL });
	ASSERT_NE(NULL, f);
	EXPECT_EQ(NULL, metrics_gauge(m, "ns:ok_total", "", NULL));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(NULL, metric_series(f, NULL));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_NE(NULL, metric_series(f, (const char *const[]){ "1", NULL }));
	metrics_seal(m);
	EXPECT_EQ(NULL, metrics_gauge(m, "late", "", NULL));
	EXPECT_EQ(EBUSY, errno);
	EXPECT_EQ(NULL, metric_series(f, (const char *const[]){ "2", NULL }));
	EXPECT_EQ(EBUSY, errno);
	/* Existing series are still found after sealing. */
	EXPECT_NE(NULL, metric_series(f, (const char *const[]){ "1", NULL }));
	metrics_free(m);
}

/* A private network namespace with lo up; false when not permitted. */
static bool private_loopback(void)
{
	struct ifreq ifr = { 0 };
	int fd;

	if (unshare(CLONE_NEWNET))
		return false;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	strcpy(ifr.ifr_name, "lo");
	ioctl(fd, SIOCGIFFLAGS, &ifr);
	ifr.ifr_flags |= IFF_UP;
	ioctl(fd, SIOCSIFFLAGS, &ifr);
	close(fd);
	return true;
}

static int connect_to(int family, const char *addr, int port)
{
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6,
				     .sin6_port = htons(port) };
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(port) };
	int fd = socket(family, SOCK_STREAM, 0);

	if (family == AF_INET) {
		inet_pton(AF_INET, addr, &sin.sin_addr);
		if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)))
			return -1;
	} else {
		inet_pton(AF_INET6, addr, &sin6.sin6_addr);
		if (connect(fd, (struct sockaddr *)&sin6, sizeof(sin6)))
			return -1;
	}
	return fd;
}

/*
 * Drive the responder until fd reaches end of stream (at most ~3 s);
 * returns what fd received, or NULL if it never closed.
 */
static char *collect(struct metrics_http *h, int fd)
{
	static char buf[8192];
	struct pollfd p = { .fd = metrics_http_fd(h), .events = POLLIN };
	size_t len = 0;
	ssize_t n;
	int i;

	for (i = 0; i < 300; i++) {
		poll(&p, 1, 10);
		metrics_http_dispatch(h);
		n = recv(fd, buf + len, sizeof(buf) - 1 - len, MSG_DONTWAIT);
		if (n == 0) {
			buf[len] = '\0';
			return buf;
		}
		if (n > 0)
			len += (size_t)n;
		else if (errno != EAGAIN)
			return NULL;
	}
	return NULL;
}

static const char *request(struct metrics_http *h, int family, const char *addr,
			   const char *req)
{
	int fd = connect_to(family, addr, 9979);
	const char *got;

	if (fd < 0)
		return "connect failed";
	if (send(fd, req, strlen(req), 0) != (ssize_t)strlen(req))
		return "send failed";
	got = collect(h, fd);
	close(fd);
	return got ? got : "no end of stream";
}

TEST(http_responder_over_loopback)
{
	struct metrics *m = metrics_new();
	struct metrics_http *h;
	int fds[METRICS_HTTP_MAX_CLIENTS + 1], i;
	char err[256];

	if (!private_loopback())
		SKIP(return, "needs root for a network namespace");
	metric_set(metric_series(metrics_gauge(m, "up", "Up.", NULL), NULL), 1);
	EXPECT_EQ(NULL, metrics_http_open(m, "127.0.0.1", err, sizeof(err)));
	EXPECT_STREQ("metrics listen address '127.0.0.1': expected "
		     "A.B.C.D:PORT or [V6]:PORT",
		     err);
	EXPECT_EQ(NULL, metrics_http_open(m, "::1:9979", err, sizeof(err)));
	EXPECT_EQ(NULL, metrics_http_open(m, "127.0.0.1:0", err, sizeof(err)));
	EXPECT_EQ(NULL,
		  metrics_http_open(m, "198.18.0.1:9979", err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "cannot listen on 198.18.0.1:9979"));
	h = metrics_http_open(m, "127.0.0.1:9979", err, sizeof(err));
	ASSERT_NE(NULL, h) TH_LOG("%s", err);

	EXPECT_STREQ(
		"HTTP/1.0 200 OK\r\n"
		"Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
		"Content-Length: 35\r\nConnection: close\r\n\r\n"
		"# HELP up Up.\n# TYPE up gauge\nup 1\n",
		request(h, AF_INET, "127.0.0.1",
			"GET /metrics HTTP/1.0\r\n\r\n"));
	EXPECT_STREQ(
		"HTTP/1.0 200 OK\r\n"
		"Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
		"Content-Length: 35\r\nConnection: close\r\n\r\n",
		request(h, AF_INET, "127.0.0.1",
			"HEAD /metrics?x=1 HTTP/1.1\r\nHost: a\r\n\r\n"));
	EXPECT_STREQ("HTTP/1.0 404 Not Found\r\n"
		     "Content-Type: text/plain; charset=utf-8\r\n"
		     "Content-Length: 10\r\nConnection: close\r\n\r\n"
		     "not found\n",
		     request(h, AF_INET, "127.0.0.1",
			     "GET /metricsx HTTP/1.1\r\n\r\n"));
	EXPECT_STREQ("HTTP/1.0 405 Method Not Allowed\r\n"
		     "Content-Type: text/plain; charset=utf-8\r\n"
		     "Allow: GET, HEAD\r\n"
		     "Content-Length: 19\r\nConnection: close\r\n\r\n"
		     "method not allowed\n",
		     request(h, AF_INET, "127.0.0.1",
			     "POST /metrics HTTP/1.1\r\n\r\n"));
	EXPECT_STREQ("HTTP/1.0 400 Bad Request\r\n"
		     "Content-Type: text/plain; charset=utf-8\r\n"
		     "Content-Length: 12\r\nConnection: close\r\n\r\n"
		     "bad request\n",
		     request(h, AF_INET, "127.0.0.1",
			     "\x01\x02 garbage\r\n\r\n"));

	/* A silent client is closed after the timeout; while the slots are
	 * full, one more connection is closed at once. */
	metrics_http_set_timeout_ms(h, 300);
	for (i = 0; i < METRICS_HTTP_MAX_CLIENTS + 1; i++) {
		fds[i] = connect_to(AF_INET, "127.0.0.1", 9979);
		ASSERT_GE(fds[i], 0);
		metrics_http_dispatch(h);
	}
	EXPECT_STREQ("", collect(h, fds[METRICS_HTTP_MAX_CLIENTS]));
	EXPECT_STREQ("", collect(h, fds[0]));
	for (i = 0; i < METRICS_HTTP_MAX_CLIENTS + 1; i++)
		close(fds[i]);
	metrics_http_close(h);

	h = metrics_http_open(m, "[::1]:9979", err, sizeof(err));
	ASSERT_NE(NULL, h) TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(request(h, AF_INET6, "::1",
				       "GET /metrics HTTP/1.1\r\n\r\n"),
			       "\r\n\r\n# HELP up Up.\n"));
	metrics_http_close(h);
	metrics_free(m);
}

TEST_HARNESS_MAIN
