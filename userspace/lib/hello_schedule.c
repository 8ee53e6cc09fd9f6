// SPDX-License-Identifier: GPL-2.0-only
/* Hello re-send schedule: parsing and the delay/retry arithmetic. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hello_schedule.h"

static int parse_u32(const char *p, char **end, uint32_t *out)
{
	unsigned long v;

	if (*p < '0' || *p > '9')
		return -1;
	errno = 0;
	v = strtoul(p, end, 10);
	if (errno || v == 0 || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int hello_schedule_parse(const char *spec, struct hello_schedule *s, char *err,
			 size_t errlen)
{
	const char *p = spec;
	char *end;

	memset(s, 0, sizeof(*s));
	for (;;) {
		struct hello_schedule_step *st = &s->step[s->n_steps];

		if (s->n_steps == HELLO_SCHEDULE_MAX_STEPS) {
			snprintf(err, errlen, "more than %d steps",
				 HELLO_SCHEDULE_MAX_STEPS);
			return -1;
		}
		if (parse_u32(p, &end, &st->interval_s) || *end != 'x' ||
		    parse_u32(end + 1, &end, &st->count)) {
			snprintf(
				err, errlen,
				"bad step at character %zu: want SECONDSxCOUNT",
				(size_t)(p - spec) + 1);
			return -1;
		}
		s->n_steps++;
		if (!*end)
			return 0;
		if (*end != ',') {
			snprintf(err, errlen,
				 "unexpected '%c' at character %zu", *end,
				 (size_t)(end - spec) + 1);
			return -1;
		}
		p = end + 1;
	}
}

uint32_t hello_schedule_total(const struct hello_schedule *s)
{
	uint64_t n = 0;
	unsigned int k;

	for (k = 0; k < s->n_steps; k++)
		n += s->step[k].count;
	return n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

long hello_schedule_delay(const struct hello_schedule *s, uint32_t i)
{
	uint64_t first = 0;
	unsigned int k;

	if ((uint64_t)i + 1 >= hello_schedule_total(s))
		return -1;
	for (k = 0; k < s->n_steps; k++) {
		if (i < first + s->step[k].count)
			return s->step[k].interval_s;
		first += s->step[k].count;
	}
	return -1;
}

uint64_t hello_schedule_offset(const struct hello_schedule *s, uint32_t i)
{
	uint64_t t = 0;
	uint32_t j;
	long d;

	for (j = 0; j < i && (d = hello_schedule_delay(s, j)) >= 0; j++)
		t += (uint64_t)d;
	return t;
}

uint32_t hello_retry_count(uint32_t i, uint32_t max)
{
	return i > max ? max : i;
}
