// SPDX-License-Identifier: GPL-2.0-only
/*
 * Prometheus metric registry and text exposition. One mutex per registry
 * guards every value: updates are per Hello batch or per session step,
 * far from contended, and a scrape sees one consistent snapshot.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"

enum metric_type { METRIC_COUNTER, METRIC_GAUGE, METRIC_HISTOGRAM };

static const char *const type_names[] = {
	[METRIC_COUNTER] = "counter",
	[METRIC_GAUGE] = "gauge",
	[METRIC_HISTOGRAM] = "histogram",
};

struct metric_series {
	struct metric_family *family;
	char **label_values;
	char *labels; /* rendered: a="x",b="y" (empty without labels) */
	double value; /* counters and gauges */
	uint64_t *bucket_counts; /* histograms: per bucket, not cumulative */
	double sum;
	uint64_t count;
	struct metric_series *next;
};

struct metric_family {
	struct metrics *registry;
	enum metric_type type;
	char *name;
	char *help;
	char **label_names;
	size_t nlabels;
	double *bounds;
	size_t nbounds;
	struct metric_series *series, **series_tail;
	struct metric_family *next;
};

struct metrics {
	pthread_mutex_t lock;
	bool sealed;
	struct metric_family *families, **families_tail;
};

struct metrics *metrics_new(void)
{
	struct metrics *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	pthread_mutex_init(&m->lock, NULL);
	m->families_tail = &m->families;
	return m;
}

static void free_strv(char **v, size_t n)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void series_free(struct metric_series *s)
{
	free_strv(s->label_values, s->family->nlabels);
	free(s->labels);
	free(s->bucket_counts);
	free(s);
}

static void family_free(struct metric_family *f)
{
	struct metric_series *s, *next;

	for (s = f->series; s; s = next) {
		next = s->next;
		series_free(s);
	}
	free(f->name);
	free(f->help);
	free_strv(f->label_names, f->nlabels);
	free(f->bounds);
	free(f);
}

void metrics_free(struct metrics *m)
{
	struct metric_family *f, *next;

	if (!m)
		return;
	for (f = m->families; f; f = next) {
		next = f->next;
		family_free(f);
	}
	pthread_mutex_destroy(&m->lock);
	free(m);
}

static bool valid_name(const char *s, bool colon)
{
	const char *p;

	if (!*s)
		return false;
	for (p = s; *p; p++) {
		bool alpha = (*p >= 'a' && *p <= 'z') ||
			     (*p >= 'A' && *p <= 'Z') || *p == '_' ||
			     (colon && *p == ':');

		if (!alpha && (p == s || *p < '0' || *p > '9'))
			return false;
	}
	return true;
}

static bool valid_labels(const char *const *names, enum metric_type type)
{
	size_t i, j;

	for (i = 0; names && names[i]; i++) {
		if (!valid_name(names[i], false) ||
		    !strncmp(names[i], "__", 2) ||
		    (type == METRIC_HISTOGRAM && !strcmp(names[i], "le")))
			return false;
		for (j = 0; j < i; j++)
			if (!strcmp(names[i], names[j]))
				return false;
	}
	return true;
}

static size_t strv_len(const char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

static char **strv_dup(const char *const *v, size_t n)
{
	char **out = calloc(n ? n : 1, sizeof(*out));
	size_t i;

	if (!out)
		return NULL;
	for (i = 0; i < n; i++) {
		out[i] = strdup(v[i]);
		if (!out[i]) {
			free_strv(out, i);
			return NULL;
		}
	}
	return out;
}

static struct metric_family *find_family(struct metrics *m, const char *name)
{
	struct metric_family *f;

	for (f = m->families; f; f = f->next)
		if (!strcmp(f->name, name))
			return f;
	return NULL;
}

static struct metric_series *series_add(struct metric_family *f,
					const char *const *values);

static struct metric_family *family_add(struct metrics *m,
					enum metric_type type, const char *name,
					const char *help,
					const char *const *label_names,
					const double *bounds, size_t nbounds)
{
	struct metric_family *f = NULL;
	size_t i;

	pthread_mutex_lock(&m->lock);
	if (m->sealed) {
		errno = EBUSY;
		goto out;
	}
	if (!valid_name(name, true) || !valid_labels(label_names, type) ||
	    find_family(m, name)) {
		errno = EINVAL;
		goto out;
	}
	for (i = 0; i < nbounds; i++) {
		if (!isfinite(bounds[i]) || (i && bounds[i] <= bounds[i - 1])) {
			errno = EINVAL;
			goto out;
		}
	}
	f = calloc(1, sizeof(*f));
	if (!f)
		goto nomem;
	f->registry = m;
	f->type = type;
	f->series_tail = &f->series;
	f->nlabels = strv_len(label_names);
	f->nbounds = nbounds;
	f->name = strdup(name);
	f->help = strdup(help ? help : "");
	f->label_names = strv_dup(label_names, f->nlabels);
	f->bounds = calloc(nbounds ? nbounds : 1, sizeof(*bounds));
	if (!f->name || !f->help || !f->label_names || !f->bounds)
		goto nomem;
	if (nbounds)
		memcpy(f->bounds, bounds, nbounds * sizeof(*bounds));
	/* A family without labels has exactly one series, there from now. */
	if (!f->nlabels && !series_add(f, NULL))
		goto nomem;
	*m->families_tail = f;
	m->families_tail = &f->next;
	goto out;
nomem:
	if (f)
		family_free(f);
	f = NULL;
	errno = ENOMEM;
out:
	pthread_mutex_unlock(&m->lock);
	return f;
}

struct metric_family *metrics_counter(struct metrics *m, const char *name,
				      const char *help,
				      const char *const *label_names)
{
	return family_add(m, METRIC_COUNTER, name, help, label_names, NULL, 0);
}

struct metric_family *metrics_gauge(struct metrics *m, const char *name,
				    const char *help,
				    const char *const *label_names)
{
	return family_add(m, METRIC_GAUGE, name, help, label_names, NULL, 0);
}

struct metric_family *metrics_histogram(struct metrics *m, const char *name,
					const char *help,
					const char *const *label_names,
					const double *bounds, size_t nbounds)
{
	return family_add(m, METRIC_HISTOGRAM, name, help, label_names, bounds,
			  nbounds);
}

/* Label values escape \, " and newline; HELP text escapes \ and newline. */
static void put_escaped(FILE *out, const char *s, bool quote)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", out);
		else if (*s == '\n')
			fputs("\\n", out);
		else if (quote && *s == '"')
			fputs("\\\"", out);
		else
			fputc(*s, out);
	}
}

static char *render_labels(const struct metric_family *f,
			   const char *const *values)
{
	char *buf = NULL;
	size_t len, i;
	FILE *out = open_memstream(&buf, &len);

	if (!out)
		return NULL;
	for (i = 0; i < f->nlabels; i++) {
		fprintf(out, "%s%s=\"", i ? "," : "", f->label_names[i]);
		put_escaped(out, values[i], true);
		fputc('"', out);
	}
	if (fclose(out)) {
		free(buf);
		return NULL;
	}
	return buf;
}

static struct metric_series *series_add(struct metric_family *f,
					const char *const *values)
{
	struct metric_series *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->family = f;
	s->label_values = strv_dup(values, f->nlabels);
	s->labels = render_labels(f, values);
	if (f->type == METRIC_HISTOGRAM)
		s->bucket_counts =
			calloc(f->nbounds + 1, sizeof(*s->bucket_counts));
	if (!s->label_values || !s->labels ||
	    (f->type == METRIC_HISTOGRAM && !s->bucket_counts)) {
		series_free(s);
		return NULL;
	}
	*f->series_tail = s;
	f->series_tail = &s->next;
	return s;
}

static bool same_values(const struct metric_series *s,
			const char *const *values)
{
	size_t i;

	for (i = 0; i < s->family->nlabels; i++)
		if (strcmp(s->label_values[i], values[i]))
			return false;
	return true;
}

struct metric_series *metric_series(struct metric_family *f,
				    const char *const *label_values)
{
	struct metrics *m = f->registry;
	struct metric_series *s;

	if (strv_len(label_values) != f->nlabels) {
		errno = EINVAL;
		return NULL;
	}
	pthread_mutex_lock(&m->lock);
	for (s = f->series; s; s = s->next)
		if (same_values(s, label_values))
			goto out;
	if (m->sealed) {
		errno = EBUSY;
		goto out;
	}
	s = series_add(f, label_values);
	if (!s)
		errno = ENOMEM;
out:
	pthread_mutex_unlock(&m->lock);
	return s;
}

void metric_inc(struct metric_series *s)
{
	metric_add(s, 1);
}

void metric_add(struct metric_series *s, double v)
{
	struct metrics *m = s->family->registry;

	if (s->family->type == METRIC_HISTOGRAM ||
	    (s->family->type == METRIC_COUNTER && !(v >= 0)))
		return;
	pthread_mutex_lock(&m->lock);
	s->value += v;
	pthread_mutex_unlock(&m->lock);
}

void metric_set(struct metric_series *s, double v)
{
	struct metrics *m = s->family->registry;

	if (s->family->type == METRIC_HISTOGRAM)
		return;
	pthread_mutex_lock(&m->lock);
	s->value = v;
	pthread_mutex_unlock(&m->lock);
}

void metric_observe(struct metric_series *s, double v)
{
	const struct metric_family *f = s->family;
	size_t i = 0;

	if (f->type != METRIC_HISTOGRAM || isnan(v))
		return;
	while (i < f->nbounds && v > f->bounds[i])
		i++;
	pthread_mutex_lock(&f->registry->lock);
	s->bucket_counts[i]++;
	s->sum += v;
	s->count++;
	pthread_mutex_unlock(&f->registry->lock);
}

void metrics_seal(struct metrics *m)
{
	pthread_mutex_lock(&m->lock);
	m->sealed = true;
	pthread_mutex_unlock(&m->lock);
}

/* Shortest decimal that reads back as v, in buf (32 bytes); Prometheus
 * spellings of infinities and NaN. */
static const char *format_value(char *buf, size_t len, double v)
{
	int prec;

	if (isnan(v))
		return "NaN";
	if (isinf(v))
		return v > 0 ? "+Inf" : "-Inf";
	for (prec = 1; prec < 17; prec++) {
		snprintf(buf, len, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return buf;
	}
	snprintf(buf, len, "%.17g", v);
	return buf;
}

/* name{labels} or name{labels,le="bound"}, then the value. */
static void put_sample(FILE *out, const char *name, const char *suffix,
		       const char *labels, const char *le, double value)
{
	char buf[32];

	fprintf(out, "%s%s", name, suffix);
	if (*labels || le) {
		fprintf(out, "{%s", labels);
		if (le)
			fprintf(out, "%sle=\"%s\"", *labels ? "," : "", le);
		fputc('}', out);
	}
	fprintf(out, " %s\n", format_value(buf, sizeof(buf), value));
}

static void put_histogram(FILE *out, const struct metric_family *f,
			  const struct metric_series *s)
{
	uint64_t cumulative = 0;
	char buf[32];
	size_t i;

	for (i = 0; i <= f->nbounds; i++) {
		const char *le = i < f->nbounds ? format_value(buf, sizeof(buf),
							       f->bounds[i]) :
						  "+Inf";

		cumulative += s->bucket_counts[i];
		put_sample(out, f->name, "_bucket", s->labels, le,
			   (double)cumulative);
	}
	put_sample(out, f->name, "_sum", s->labels, NULL, s->sum);
	put_sample(out, f->name, "_count", s->labels, NULL, (double)s->count);
}

char *metrics_render(struct metrics *m, size_t *len)
{
	const struct metric_family *f;
	const struct metric_series *s;
	char *buf = NULL;
	size_t n = 0;
	FILE *out = open_memstream(&buf, &n);

	if (!out)
		return NULL;
	pthread_mutex_lock(&m->lock);
	for (f = m->families; f; f = f->next) {
		fprintf(out, "# HELP %s ", f->name);
		put_escaped(out, f->help, false);
		fprintf(out, "\n# TYPE %s %s\n", f->name, type_names[f->type]);
		for (s = f->series; s; s = s->next) {
			if (f->type == METRIC_HISTOGRAM)
				put_histogram(out, f, s);
			else
				put_sample(out, f->name, "", s->labels, NULL,
					   s->value);
		}
	}
	pthread_mutex_unlock(&m->lock);
	if (fclose(out)) {
		free(buf);
		return NULL;
	}
	if (len)
		*len = n;
	return buf;
}
