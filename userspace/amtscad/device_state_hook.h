/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * How sessions tell the Hello path a device's state: the XDP backend (BPF
 * map) or the kernel module may implement set(); the socket backend does
 * not need to. Called from worker threads: implementations must be
 * thread-safe (a BPF map update is).
 */
#ifndef AMTSCAD_DEVICE_STATE_HOOK_H
#define AMTSCAD_DEVICE_STATE_HOOK_H

#include <stddef.h>

#include <amtsca/device_state.h>

struct device_state_hook {
	/* uuid: the 16 bytes as in the Hello; expires_ns: CLOCK_MONOTONIC. */
	void (*set)(void *ctx, const __u8 uuid[16], enum amtsca_dev_state state,
		    __u64 expires_ns);
	void *ctx;
	/* Optional: one state for n devices at once (the intake's batches). */
	void (*set_many)(void *ctx, const __u8 (*uuids)[16], size_t n,
			 enum amtsca_dev_state state, __u64 expires_ns);
};

static inline void set_device_state(const struct device_state_hook *hook,
				    const __u8 uuid[16],
				    enum amtsca_dev_state state,
				    __u64 expires_ns)
{
	if (hook && hook->set)
		hook->set(hook->ctx, uuid, state, expires_ns);
}

static inline void set_device_states(const struct device_state_hook *hook,
				     const __u8 (*uuids)[16], size_t n,
				     enum amtsca_dev_state state,
				     __u64 expires_ns)
{
	size_t i;

	if (hook && hook->set_many)
		hook->set_many(hook->ctx, uuids, n, state, expires_ns);
	else
		for (i = 0; i < n; i++)
			set_device_state(hook, uuids[i], state, expires_ns);
}

#endif /* AMTSCAD_DEVICE_STATE_HOOK_H */
