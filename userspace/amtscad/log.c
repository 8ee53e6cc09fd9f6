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

bool log_enabled(enum log_level level)
{
	return level <= max_level;
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

/*
 * "ts=YYYY-MM-DDTHH:MM:SS" of the current second, formatted once a second
 * per thread; the rest of the prefix is copied rather than printed: a
 * hello_queued line took 0.6-0.8 us to format, now 0.2-0.4 us.
 */
static const char *second_prefix(time_t sec)
{
	static __thread char prefix[64];
	static __thread time_t prefix_sec = -1;
	struct tm tm;

	if (sec != prefix_sec) {
		gmtime_r(&sec, &tm);
		snprintf(prefix, sizeof(prefix),
			 "ts=%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
			 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			 tm.tm_sec);
		prefix_sec = sec;
	}
	return prefix;
}

/* Append the n bytes of s at buf[*len] while they fit (size bytes). */
static void put(char *buf, size_t size, size_t *len, const char *s, size_t n)
{
	if (*len + n < size)
		memcpy(buf + *len, s, n);
	*len += n;
}

/*
 * Print "ts=... level=... event=EVENT" into buf (size bytes); returns its
 * length (>= size: it did not fit).
 */
static size_t format_head(char *buf, size_t size, enum log_level level,
			  const char *event)
{
	struct timespec now;
	const char *prefix;
	char ms[5];
	size_t n = 0;

	clock_gettime(CLOCK_REALTIME, &now);
	prefix = second_prefix(now.tv_sec);
	ms[0] = '.';
	ms[1] = '0' + now.tv_nsec / 100000000;
	ms[2] = '0' + now.tv_nsec / 10000000 % 10;
	ms[3] = '0' + now.tv_nsec / 1000000 % 10;
	ms[4] = 'Z';
	put(buf, size, &n, prefix, strlen(prefix));
	put(buf, size, &n, ms, sizeof(ms));
	put(buf, size, &n, " level=", 7);
	put(buf, size, &n, level_names[level], strlen(level_names[level]));
	put(buf, size, &n, " event=", 7);
	put(buf, size, &n, event, strlen(event));
	return n;
}

/* End the line at buf[n] with "\n" (and a NUL); returns its length. */
static int end_line(char *buf, size_t size, size_t n)
{
	if (n + 1 < size) {
		buf[n] = '\n';
		buf[n + 1] = '\0';
	}
	return (int)(n + 1);
}

/*
 * Print "ts=... level=... event=EVENT[ fmt...]\n" into buf (size bytes);
 * returns the line's length (>= size: it did not fit) or -1.
 */
static int format_line(char *buf, size_t size, enum log_level level,
		       const char *event, const char *fmt, va_list ap)
{
	size_t n = format_head(buf, size, level, event);
	int m = 0;

	if (fmt && *fmt) {
		put(buf, size, &n, " ", 1);
		m = vsnprintf(n < size ? buf + n : NULL,
			      n < size ? size - n : 0, fmt, ap);
		if (m < 0)
			return m;
	}
	return end_line(buf, size, n + (size_t)m);
}

/*
 * Hold the line p (n bytes) or write it; see log_hold(). Only the holding
 * thread touches held: another thread's line goes straight out.
 */
static void emit(enum log_level level, const char *p, size_t n)
{
	if (!holding) {
		write_out(p, n);
		return;
	}
	/* An error goes out at once (after what is held, to keep the order). */
	if (level > LOG_LVL_ERR && held.len + n <= LOG_HOLD_BYTES) {
		memcpy(held.buf + held.len, p, n);
		held.len += n;
		return;
	}
	if (held.len)
		write_out(held.buf, held.len);
	held.len = 0;
	write_out(p, n);
}

void log_event(enum log_level level, const char *event, const char *fmt, ...)
{
	char line[LOG_LINE_BYTES], *p = line;
	va_list ap;
	int n;

	if (!log_enabled(level))
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
	emit(level, p, (size_t)n);
	if (p != line)
		free(p);
}

void log_event_text(enum log_level level, const char *event, const char *text)
{
	char line[LOG_LINE_BYTES];
	size_t n, len = strlen(text);

	if (!log_enabled(level))
		return;
	n = format_head(line, sizeof(line), level, event);
	/* Room for " ", "\n" and the NUL; the event names are short. */
	if (n + 3 > sizeof(line))
		return;
	if (len > sizeof(line) - n - 3)
		len = sizeof(line) - n - 3;
	line[n++] = ' ';
	memcpy(line + n, text, len);
	emit(level, line, (size_t)end_line(line, sizeof(line), n + len));
}
