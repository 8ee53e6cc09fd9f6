/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Structured logging: one "key=value ..." line per event on stderr, which
 * journald captures as-is. Callers never pass secrets (passwords, PPS).
 */
#ifndef AMTSCAD_LOG_H
#define AMTSCAD_LOG_H

#include <stdbool.h>

enum log_level { LOG_LVL_ERR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

void log_set_level(enum log_level level);
/* Whether lines of this level are written (to skip formatting their fields). */
bool log_enabled(enum log_level level);
/* fmt continues the line after "level=... event=EVENT" with " key=value". */
void log_event(enum log_level level, const char *event, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/*
 * log_event with the fields already formatted: text continues the line
 * after "event=EVENT " as it is (cut to the line's 1 KiB). For the lines
 * of every Hello, where vsnprintf was most of the line's cost.
 */
void log_event_text(enum log_level level, const char *event, const char *text);
/*
 * The calling thread's lines up to log_flush() are written together, in
 * one write(2) (up to 64 KiB), instead of one each: the main loop holds
 * the lines of a batch of Hellos. One thread at a time may hold. Errors
 * are never held back.
 */
void log_hold(void);
void log_flush(void);

#endif /* AMTSCAD_LOG_H */
