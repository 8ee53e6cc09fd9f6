// SPDX-License-Identifier: GPL-2.0-only
/* Per-device timers (next Hello, give-up) in one binary min-heap. */
#include <stdint.h>

#include "fleet.h"

#define NOT_QUEUED SIM_NOT_QUEUED

static void place(struct sim_fleet *f, uint32_t i, struct sim_device *d)
{
	f->heap[i] = d;
	d->heap_pos = i;
}

static void sift_up(struct sim_fleet *f, uint32_t i)
{
	struct sim_device *d = f->heap[i];

	while (i) {
		uint32_t parent = (i - 1) / 2;

		if (f->heap[parent]->timer_ms <= d->timer_ms)
			break;
		place(f, i, f->heap[parent]);
		i = parent;
	}
	place(f, i, d);
}

static void sift_down(struct sim_fleet *f, uint32_t i)
{
	struct sim_device *d = f->heap[i];

	for (;;) {
		uint32_t child = 2 * i + 1;

		if (child >= f->heap_len)
			break;
		if (child + 1 < f->heap_len &&
		    f->heap[child + 1]->timer_ms < f->heap[child]->timer_ms)
			child++;
		if (d->timer_ms <= f->heap[child]->timer_ms)
			break;
		place(f, i, f->heap[child]);
		i = child;
	}
	place(f, i, d);
}

static void heap_remove(struct sim_fleet *f, struct sim_device *d)
{
	uint32_t i = d->heap_pos;
	struct sim_device *last;

	if (i == NOT_QUEUED)
		return;
	d->heap_pos = NOT_QUEUED;
	last = f->heap[--f->heap_len];
	if (last == d)
		return;
	place(f, i, last);
	sift_down(f, i);
	sift_up(f, last->heap_pos);
}

/* when UINT64_MAX cancels the device's timer. */
void sim_timer_set(struct sim_fleet *f, struct sim_device *d, uint64_t when)
{
	heap_remove(f, d);
	d->timer_ms = when;
	if (when == UINT64_MAX)
		return;
	place(f, f->heap_len++, d);
	sift_up(f, d->heap_pos);
}

struct sim_device *sim_timer_due(struct sim_fleet *f, uint64_t now)
{
	struct sim_device *d;

	if (!f->heap_len || f->heap[0]->timer_ms > now)
		return NULL;
	d = f->heap[0];
	heap_remove(f, d);
	d->timer_ms = UINT64_MAX;
	return d;
}

int sim_timer_wait_ms(const struct sim_fleet *f, uint64_t now, int cap)
{
	uint64_t when;

	if (!f->heap_len)
		return cap;
	when = f->heap[0]->timer_ms;
	if (when <= now)
		return 0;
	return when - now < (uint64_t)cap ? (int)(when - now) : cap;
}
