/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hello intake: validates each event again (backends are not trusted to
 * have done it), drops duplicates of a device already queued, and appends
 * the rest to an unbounded FIFO: an accepted Hello is never dropped.
 */
#ifndef AMTSCAD_INTAKE_H
#define AMTSCAD_INTAKE_H

#include <stddef.h>

#include "hello_event.h"

struct intake;

struct intake *intake_new(void);
void intake_free(struct intake *in);
/* Backend callback (hello_cb): ctx is the struct intake. */
void intake_hello(const struct hello_event *ev, void *ctx);

struct intake_stats {
	unsigned long long accepted, duplicate, invalid;
	size_t queued;
};
void intake_get_stats(struct intake *in, struct intake_stats *st);

#endif /* AMTSCAD_INTAKE_H */
