/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Prometheus text exposition (format 0.0.4): counters, gauges and
 * histograms with labels, registered once at startup, and a small
 * non-blocking HTTP/1.0 responder for GET /metrics that runs from the
 * caller's epoll loop (metrics_http.h).
 *
 * Families and their series are registered before metrics_seal() (which
 * metrics_http_open() calls); after that the set is fixed and only values
 * change. Updates and rendering may come from any thread.
 */
#ifndef AMTSCA_METRICS_H
#define AMTSCA_METRICS_H

#include <stddef.h>

struct metrics;
struct metric_family;
struct metric_series;

struct metrics *metrics_new(void);
void metrics_free(struct metrics *m);

/*
 * Register a family. name matches [a-zA-Z_:][a-zA-Z0-9_:]*; label_names is
 * a NULL-terminated list (or NULL) of [a-zA-Z_][a-zA-Z0-9_]* names, none
 * starting with "__" nor "le" for histograms. Returns NULL with errno
 * EINVAL (bad or duplicate name), EBUSY (sealed) or ENOMEM.
 */
struct metric_family *metrics_counter(struct metrics *m, const char *name,
				      const char *help,
				      const char *const *label_names);
struct metric_family *metrics_gauge(struct metrics *m, const char *name,
				    const char *help,
				    const char *const *label_names);
/* bounds: nbounds strictly increasing finite upper bounds; +Inf is implied. */
struct metric_family *metrics_histogram(struct metrics *m, const char *name,
					const char *help,
					const char *const *label_names,
					const double *bounds, size_t nbounds);

/*
 * The series of family f with these label values (one per label name, any
 * bytes but NUL; NULL when the family has no labels). Registering the same
 * values twice returns the same series. NULL with errno as above.
 */
struct metric_series *metric_series(struct metric_family *f,
				    const char *const *label_values);

/* Counters: add v >= 0 (a negative v is ignored). */
void metric_inc(struct metric_series *s);
void metric_add(struct metric_series *s, double v);
/* Gauges: set to v or add v (any sign); counters may also be set, e.g.
 * from a running total kept elsewhere such as BPF per-CPU counters. */
void metric_set(struct metric_series *s, double v);
/* Histograms: count v in every bucket whose bound is >= v. */
void metric_observe(struct metric_series *s, double v);

/* No more registrations; called by metrics_http_open(). */
void metrics_seal(struct metrics *m);

/*
 * The whole exposition as a malloc'd NUL-terminated string (*len without
 * the NUL), families and series in registration order. NULL on ENOMEM.
 */
char *metrics_render(struct metrics *m, size_t *len);

#endif /* AMTSCA_METRICS_H */
