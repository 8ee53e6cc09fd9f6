/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * HTTP/1.0 responder for the Prometheus scrape: GET /metrics answers the
 * exposition of a struct metrics, anything else 404/405/400; one request
 * per connection. Non-blocking, driven from the caller's epoll loop
 * through one epoll fd; at most METRICS_HTTP_MAX_CLIENTS at a time, each
 * closed after METRICS_HTTP_TIMEOUT_MS unless answered by then.
 */
#ifndef AMTSCA_METRICS_HTTP_H
#define AMTSCA_METRICS_HTTP_H

#include <stddef.h>

#include "metrics.h"

#define METRICS_HTTP_MAX_CLIENTS 16
#define METRICS_HTTP_TIMEOUT_MS 5000

struct metrics_http;

/*
 * Listen on address ("ADDRESS:PORT", IPv6 as "[ADDRESS]:PORT") and serve m.
 * Seals m. On error err holds a one-line reason and NULL is returned.
 */
struct metrics_http *metrics_http_open(struct metrics *m, const char *address,
				       char *err, size_t errlen);
/* An epoll fd to add (EPOLLIN) to the caller's loop. */
int metrics_http_fd(const struct metrics_http *h);
/* Call when metrics_http_fd() is readable: accepts, reads, answers and
 * expires clients without blocking. */
void metrics_http_dispatch(struct metrics_http *h);
/* Close clients that have not been answered within ms (tests shorten it). */
void metrics_http_set_timeout_ms(struct metrics_http *h, unsigned int ms);
void metrics_http_close(struct metrics_http *h);

#endif /* AMTSCA_METRICS_HTTP_H */
