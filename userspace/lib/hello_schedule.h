/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * When a device in Setup Mode re-sends its Hello (amt-protocol.md §1.4,
 * §8): a list of steps "interval seconds x count". The default is
 * ConfigMgr's documented schedule, once a minute for 5 minutes, every
 * 5 minutes for an hour, hourly for 23 hours [U: configurable].
 */
#ifndef AMTSCA_HELLO_SCHEDULE_H
#define AMTSCA_HELLO_SCHEDULE_H

#include <stdint.h>

#define HELLO_SCHEDULE_MAX_STEPS 8
#define HELLO_SCHEDULE_DEFAULT "60x5,300x12,3600x23"
/* Intel: "Retry count (0 - 14)"; the sim saturates there by default [U]. */
#define HELLO_RETRY_MAX 14

struct hello_schedule_step {
	uint32_t interval_s; /* from this step's Hellos to the next Hello */
	uint32_t count; /* Hellos sent in this step */
};

struct hello_schedule {
	struct hello_schedule_step step[HELLO_SCHEDULE_MAX_STEPS];
	unsigned int n_steps;
};

/*
 * Parse "SECONDSxCOUNT[,SECONDSxCOUNT...]" (each number >= 1). Returns 0,
 * or -1 with a one-line reason in err.
 */
int hello_schedule_parse(const char *spec, struct hello_schedule *s, char *err,
			 size_t errlen);

/* How many Hellos the schedule sends in all. */
uint32_t hello_schedule_total(const struct hello_schedule *s);

/*
 * Seconds from Hello number i (0-based) to Hello i + 1, or -1 when i is
 * the last one (or past it).
 */
long hello_schedule_delay(const struct hello_schedule *s, uint32_t i);

/* Seconds from the first Hello to Hello i (i < total). */
uint64_t hello_schedule_offset(const struct hello_schedule *s, uint32_t i);

/* The retry-count field of Hello number i: i, saturating at max. */
uint32_t hello_retry_count(uint32_t i, uint32_t max);

#endif /* AMTSCA_HELLO_SCHEDULE_H */
