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

/*
 * st: the main thread's store connection; hook may be NULL; hello_flags:
 * the validator's AMT_HELLO_F_* ([hello], config_hello_flags()).
 */
struct intake *intake_new(struct store *st,
			  const struct device_state_hook *hook,
			  unsigned int expiry_s, unsigned int hello_flags);
void intake_free(struct intake *in);
/* Called (main thread) once a group of accepted Hellos is queued. */
void intake_set_wake(struct intake *in, void (*wake)(void *ctx), void *ctx);
/*
 * Accepted Hellos are staged in memory and written to the store together
 * (one transaction), at most COMMIT_DELAY_MS (intake.c) after
 * the first; only then are they queued for the workers (a session never
 * starts before its Hello is durable), marked QUEUED through the hook,
 * and the workers woken once. A write that fails undoes the whole group:
 * its Hellos are not accepted (logged hello_not_recorded; their devices
 * say Hello again). Main thread: intake_batch_begin() and
 * intake_batch_end() around the backends' events of one wake-up (the
 * lines logged in between are written at the commit), epoll_wait no
 * longer than intake_timeout_ms() (-1: nothing staged), intake_flush()
 * before stopping. A Hello outside begin/end is written at once.
 */
void intake_batch_begin(struct intake *in);
void intake_batch_end(struct intake *in);
int intake_timeout_ms(struct intake *in);
void intake_flush(struct intake *in);
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
