/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The daemon's XDP backend: loads bpf/amtsca.bpf.o through its libbpf
 * skeleton with the load-time knobs set, pins (or re-uses the pinned) maps
 * under a bpffs directory, attaches the program to interfaces with one
 * bpf_link each, and drains the ring buffer of accepted Hellos into a
 * callback. See docs/xdp-loader.md.
 *
 * Errors are negative errno values; functions that can fail for a reason
 * worth telling the operator also fill errbuf.
 */
#ifndef AMTSCA_XDP_BACKEND_H
#define AMTSCA_XDP_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <amtsca/bpf_abi.h>

#include "config.h"
#include "hello_event.h"

struct xdp_backend;

typedef void (*xdp_hello_cb)(const struct hello_event *ev, void *arg);

enum xdp_attach_mode {
	XDP_ATTACH_NATIVE, /* driver mode; fail if the driver has none */
	XDP_ATTACH_GENERIC, /* skb mode */
	XDP_ATTACH_AUTO, /* native, else generic */
};

struct xdp_backend_opts {
	const char *pin_path; /* bpffs directory for the maps */
	uint16_t port; /* SCA port (sca_port knob) */
	uint16_t mss; /* MSS in the SYN-ACK (sca_mss knob) */
	/* TCP window of every reply (sca_window knob); 0: the program's */
	uint16_t window;
	uint32_t hello_flags; /* AMT_HELLO_F_* (hello_flags knob) */
	/* QUEUED expiry the program writes for a queued device; 0: none */
	uint64_t queued_ttl_ns;
	/* size of the ring amtsca_events (a power of two); 0: the program's */
	uint32_t ring_bytes;
	/* pinned XDP program that gets the traffic ours passes; NULL/"": none */
	const char *next_prog;
};

/* Per-source token buckets (struct amtsca_xdp_config); rate 0: no limit. */
struct xdp_rates {
	uint32_t syn_rate, syn_burst; /* SYNs per second, bucket depth */
	uint32_t data_rate, data_burst; /* data segments (Hello, FIN) */
};

/* Parse "native", "generic" or "auto"; returns 0 or -1. */
int xdp_attach_mode_parse(const char *s, enum xdp_attach_mode *mode);
const char *xdp_attach_mode_name(enum xdp_attach_mode mode);

/*
 * Open the skeleton, set the knobs, load the program and pin or re-use
 * the maps under opts->pin_path (created if absent; must be on bpffs).
 * Nothing is attached yet.
 */
int xdp_backend_open(struct xdp_backend **out,
		     const struct xdp_backend_opts *opts, xdp_hello_cb cb,
		     void *arg, char *errbuf, size_t errlen);
/* Detach every interface; remove_pins also unpins the maps. */
void xdp_backend_close(struct xdp_backend *b, bool remove_pins);
/* How many maps were found pinned (state from a previous run) at open. */
int xdp_backend_reused_maps(const struct xdp_backend *b);

/*
 * Attach to ifindex (replacing our own link if one is held for it).
 * *used gets the mode that took (AUTO resolves to NATIVE or GENERIC).
 */
int xdp_backend_attach(struct xdp_backend *b, int ifindex,
		       enum xdp_attach_mode mode, enum xdp_attach_mode *used,
		       char *errbuf, size_t errlen);
/* Drop our link on ifindex; 0 also when none was held. */
int xdp_backend_detach(struct xdp_backend *b, int ifindex);

/* The loaded program, for BPF_PROG_TEST_RUN in tests and tools. */
int xdp_backend_prog_fd(const struct xdp_backend *b);

/* Epoll fd that becomes readable when records wait in the ring. */
int xdp_backend_fd(const struct xdp_backend *b);
/* Hand every waiting record to the callback; returns how many, or < 0. */
int xdp_backend_consume(struct xdp_backend *b);
/* The same without a wake-up to count: the last read before closing. */
int xdp_backend_drain(struct xdp_backend *b);
struct xdp_ring_stats {
	uint64_t wakeups; /* xdp_backend_consume() calls */
	uint64_t empty_wakeups; /* ... that found no record to hand over */
	uint64_t records; /* records handed to the callback */
	uint64_t bad_records; /* records xdp_event_parse() refused */
};

void xdp_backend_ring_stats(const struct xdp_backend *b,
			    struct xdp_ring_stats *st);

/*
 * Write the device-state entry of uuid (include/amtsca/device_state.h);
 * expires_ns is CLOCK_MONOTONIC, 0 = never. AMTSCA_DEV_UNKNOWN deletes it.
 * Either way the program's amtsca_recent mark of uuid is cleared: from
 * now on the entry alone decides whether its Hellos are queued.
 */
int xdp_backend_set_device_state(struct xdp_backend *b, const uint8_t uuid[16],
				 uint32_t state, uint64_t expires_ns);
/*
 * The same state and expiry for n devices in one bpf() call (state not
 * AMTSCA_DEV_UNKNOWN); stops at the first failure, e.g. a full table.
 */
int xdp_backend_set_device_states(struct xdp_backend *b,
				  const uint8_t (*uuids)[16], uint32_t n,
				  uint32_t state, uint64_t expires_ns);
/*
 * Allowed source prefixes (LPM tries amtsca_allow_v4/v6). No prefix of a
 * family: every source of that family is allowed. Add and remove keep the
 * per-family counts in amtsca_config equal to the tries' entries;
 * set_prefixes makes the tries hold exactly the n prefixes given (added
 * first, then the others removed, so no source is refused in between).
 */
int xdp_backend_prefix_add(struct xdp_backend *b,
			   const struct config_prefix *p);
int xdp_backend_prefix_remove(struct xdp_backend *b,
			      const struct config_prefix *p);
int xdp_backend_set_prefixes(struct xdp_backend *b,
			     const struct config_prefix *list, unsigned int n);
int xdp_backend_set_rates(struct xdp_backend *b, const struct xdp_rates *r);
/* The runtime configuration as the program sees it. */
int xdp_backend_get_config(struct xdp_backend *b,
			   struct amtsca_xdp_config *cfg);

/* Sum of every CPU's counters. */
int xdp_backend_read_counters(struct xdp_backend *b,
			      struct amtsca_counters *sum);

#endif /* AMTSCA_XDP_BACKEND_H */
