/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Per-device provisioning state, shared by the daemon (which writes it) and
 * both Hello paths - the XDP program and the kernel module - which read it
 * to decide whether a re-sent Hello needs to wake userspace at all.
 * Keyed by the 16 UUID bytes exactly as they appear in the Hello.
 */
#ifndef AMTSCA_DEVICE_STATE_H
#define AMTSCA_DEVICE_STATE_H

#if !defined(__bpf__)
#include <linux/types.h>
#endif

enum amtsca_dev_state {
	AMTSCA_DEV_UNKNOWN = 0, /* never seen: queue it */
	AMTSCA_DEV_QUEUED = 1, /* Hello accepted, waiting for a worker */
	AMTSCA_DEV_IN_PROGRESS = 2, /* a session is running */
	AMTSCA_DEV_DONE = 3, /* committed, Operational */
	AMTSCA_DEV_FAILED = 4, /* last session failed; retry after expiry */
};

struct amtsca_dev_key {
	__u8 uuid[16];
};

struct amtsca_dev_entry {
	__u32 state; /* enum amtsca_dev_state */
	__u32 flags; /* reserved, 0 */
	/*
	 * CLOCK_MONOTONIC ns (bpf_ktime_get_ns, ktime_get_ns) after which the
	 * entry no longer suppresses Hellos; 0 = never expires. The daemon
	 * sets an expiry on QUEUED/IN_PROGRESS too, so a crashed daemon
	 * cannot silence a device forever.
	 */
	__u64 expires_ns;
};

/* Does this entry mean a Hello from the device should not be queued again? */
static inline int amtsca_dev_suppresses(const struct amtsca_dev_entry *e,
					__u64 now_ns)
{
	if (e->state == AMTSCA_DEV_UNKNOWN)
		return 0;
	if (e->expires_ns && now_ns >= e->expires_ns)
		return 0;
	return 1;
}

#endif /* AMTSCA_DEVICE_STATE_H */
