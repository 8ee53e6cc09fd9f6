/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hello intake: validates each event again (backends are not trusted to
 * have done it), drops a Hello from a device (by UUID) that already has a
 * session queued or running, records the rest in the store (device row,
 * raw Hello, state queued) and appends them to an unbounded FIFO: an
 * accepted Hello is never dropped. Workers pop from the FIFO and release
 * the UUID when the session ends.
 */
#ifndef AMTSCAD_INTAKE_H
#define AMTSCAD_INTAKE_H

#include <stdbool.h>
#include <stddef.h>

#include "device_state_hook.h"
#include "hello_event.h"

struct intake;
struct store;

/* st: the main thread's store connection; hook may be NULL. */
struct intake *intake_new(struct store *st,
			  const struct device_state_hook *hook,
			  unsigned int expiry_s);
void intake_free(struct intake *in);
/* Called (main thread) after each accepted Hello, e.g. to wake workers. */
void intake_set_wake(struct intake *in, void (*wake)(void *ctx), void *ctx);
/*
 * The Hellos of one main-loop wake-up share one store transaction (one
 * sync to disk per batch): intake_hello() records them inside it, and
 * intake_batch_end() commits it and only then queues them for the workers
 * (so a session never starts before its Hello is durable), marks them
 * QUEUED through the hook and wakes the workers once. A Hello outside a
 * batch is committed and queued at once. A Hello the store fails to
 * record undoes its batch: the batch's Hellos are not accepted (logged
 * hello_not_recorded; their devices say Hello again).
 */
void intake_batch_begin(struct intake *in);
void intake_batch_end(struct intake *in);
/* Backend callback (hello_cb): ctx is the struct intake. */
void intake_hello(const struct hello_event *ev, void *ctx);
/* Queue the devices the store has as queued/in_progress; returns count. */
int intake_resume(struct intake *in);
/* Worker side: take the oldest queued Hello; false when empty. */
bool intake_pop(struct intake *in, struct hello_event *out);
/* The session of uuid (16 Hello bytes) ended; its next Hello is accepted. */
void intake_release(struct intake *in, const __u8 uuid[16]);

struct intake_stats {
	unsigned long long accepted, duplicate, invalid, resumed;
	size_t queued, active;
};
void intake_get_stats(struct intake *in, struct intake_stats *st);

#endif /* AMTSCAD_INTAKE_H */
