// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

/* What log_hold() keeps before it writes; a longer line is allocated. */
#define LOG_HOLD_BYTES 65536
#define LOG_LINE_BYTES 1024

static enum log_level max_level = LOG_LVL_INFO;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static const char *const level_names[] = { "err", "warn", "info", "debug" };

/* Lines held by the one thread that called log_hold(), only it uses them. */
static __thread bool holding;
static struct {
	size_t len;
	char buf[LOG_HOLD_BYTES];
} held;

void log_set_level(enum log_level level)
{
	max_level = level;
}

/*
 * stderr unbuffered wrote each fprintf piece with a syscall of its own
 * (four or more per line); one write(2) per line, under the lock so
 * threads never interleave, whatever stderr is.
 */
static void write_out(const char *p, size_t len)
{
	ssize_t n;

	pthread_mutex_lock(&log_lock);
	while (len) {
		n = write(STDERR_FILENO, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		p += n;
		len -= (size_t)n;
	}
	pthread_mutex_unlock(&log_lock);
}

void log_hold(void)
{
	holding = true;
}

void log_flush(void)
{
	if (held.len)
		write_out(held.buf, held.len);
	held.len = 0;
	holding = false;
}

/* Print "ts=... level=... event=EVENT[ fmt...]\n" into buf (size bytes). */
static int format_line(char *buf, size_t size, enum log_level level,
		       const char *event, const char *fmt, va_list ap)
{
	struct timespec now;
	struct tm tm;
	int n, m;

	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	n = snprintf(
		buf, size,
		"ts=%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ level=%s event=%s%s",
		tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		tm.tm_min, tm.tm_sec, now.tv_nsec / 1000000, level_names[level],
		event, fmt && *fmt ? " " : "");
	if (n < 0)
		return n;
	m = fmt && *fmt ? vsnprintf((size_t)n < size ? buf + n : NULL,
				    (size_t)n < size ? size - n : 0, fmt, ap) :
			  0;
	if (m < 0)
		return m;
	if ((size_t)(n + m + 1) < size) {
		buf[n + m] = '\n';
		buf[n + m + 1] = '\0';
	}
	return n + m + 1;
}

void log_event(enum log_level level, const char *event, const char *fmt, ...)
{
	char line[LOG_LINE_BYTES], *p = line;
	va_list ap;
	int n;

	if (level > max_level)
		return;
	va_start(ap, fmt);
	n = format_line(line, sizeof(line), level, event, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line)) {
		p = malloc((size_t)n + 1);
		if (!p)
			return;
		va_start(ap, fmt);
		format_line(p, (size_t)n + 1, level, event, fmt, ap);
		va_end(ap);
	}
	/* An error goes out at once (after what is held, to keep the order). */
	if (holding && level > LOG_LVL_ERR &&
	    held.len + (size_t)n <= LOG_HOLD_BYTES) {
		memcpy(held.buf + held.len, p, (size_t)n);
		held.len += (size_t)n;
	} else {
		if (held.len)
			write_out(held.buf, held.len);
		held.len = 0;
		write_out(p, (size_t)n);
	}
	if (p != line)
		free(p);
}
