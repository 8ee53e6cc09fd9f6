/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The daemon's clock: CLOCK_MONOTONIC, the clock of its deadlines and of
 * the device-state map's expiries (bpf_ktime_get_*ns in the program).
 */
#ifndef AMTSCA_MONOTONIC_H
#define AMTSCA_MONOTONIC_H

#include <stdint.h>
#include <time.h>

static inline uint64_t monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

/* CLOCK_MONOTONIC ns, seconds from now: a device-state map expiry. */
static inline uint64_t monotonic_expiry_ns(unsigned int seconds)
{
	return (monotonic_ms() + seconds * 1000ULL) * 1000000ULL;
}

#endif /* AMTSCA_MONOTONIC_H */
