/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The amtsca generic netlink ABI, shared by kmod/amtsca.ko and the daemon's
 * kmod backend (userspace/lib/kmod_backend.c). This is the only definition.
 *
 * Family "amtsca", version AMTSCA_GENL_VERSION. The daemon reads the version
 * from the genl controller and refuses to run against any other value. The
 * family is netns-aware: every command acts on the caller's network
 * namespace (listener, config, device table and stats are per netns), and
 * events go to listeners in the namespace the Hello arrived in.
 *
 * Commands (direction; permission; attributes):
 *
 *   AMTSCA_CMD_HELLO_EVENT   kernel -> user, multicast group "hello"
 *       (joining needs CAP_NET_ADMIN). One per valid, not suppressed Hello:
 *       FAMILY u16 (AF_INET/AF_INET6), SADDR/DADDR binary 4 or 16 bytes
 *       (device, SCA), SPORT/DPORT u16 host order, IFINDEX u32,
 *       TIMESTAMP_NS u64 (CLOCK_MONOTONIC), HELLO binary (the Hello bytes,
 *       at most AMT_HELLO_MAX_LEN).
 *
 *   AMTSCA_CMD_SET_CONFIG    user -> kernel; CAP_NET_ADMIN. Any subset of:
 *       PORT u16 (0 stops the listener; otherwise re-binds to it),
 *       PREFIXES nested list of PREFIX (nested: PREFIX_ADDR binary 4|16,
 *       PREFIX_LEN u8) replacing the allowed source list (an empty list
 *       allows every source), TIMEOUT_MS u32 (read deadline per
 *       connection), MAX_CONNS u32 (connections read at once),
 *       RATE_PER_SEC u32 (events per second, 0 = unlimited),
 *       HELLO_FLAGS u32 (the amt_hello_validate() flags AMT_HELLO_F_*
 *       the listener validates with: the daemon's [hello] rules; other
 *       bits are refused; 0, the strict reading, until set).
 *
 *   AMTSCA_CMD_GET_CONFIG    user -> kernel; anyone. Reply carries PORT,
 *       PREFIXES, TIMEOUT_MS, MAX_CONNS, RATE_PER_SEC, HELLO_FLAGS.
 *
 *   AMTSCA_CMD_SET_DEV_STATE user -> kernel; CAP_NET_ADMIN.
 *       DEV_UUID binary 16 (as in the Hello), DEV_STATE u32
 *       (enum amtsca_dev_state; UNKNOWN deletes the entry), DEV_TTL_MS u32
 *       (0 = never expires; otherwise expiry = now + ttl).
 *
 *   AMTSCA_CMD_GET_STATS     user -> kernel; anyone. Reply carries the
 *       AMTSCA_ATTR_STAT_* u64 counters and STAT_REASONS, nested, where
 *       attribute type (reason + 1) holds the u64 count of Hellos refused
 *       for enum amt_hello_reason value "reason".
 *
 * Errors: EPERM without CAP_NET_ADMIN; EINVAL (with an extack message) for
 * a bad attribute; EADDRINUSE when the new port cannot be bound (the old
 * listener is kept); ENOSPC when the device table is full.
 */
#ifndef AMTSCA_GENL_ABI_H
#define AMTSCA_GENL_ABI_H

#include <amtsca/hello.h>

#define AMTSCA_GENL_NAME "amtsca"
#define AMTSCA_GENL_VERSION 2 /* 2: HELLO_FLAGS */
#define AMTSCA_GENL_MCGRP_HELLO "hello"

/* Limits the kernel enforces on SET_CONFIG / SET_DEV_STATE. */
#define AMTSCA_MAX_PREFIXES 64
#define AMTSCA_MAX_DEVICES 65536
#define AMTSCA_TIMEOUT_MS_MIN 10
#define AMTSCA_TIMEOUT_MS_MAX 60000
#define AMTSCA_MAX_CONNS_MAX 1024
#define AMTSCA_HELLO_FLAGS_MASK \
	(AMT_HELLO_F_TYPE3_SHA512 | AMT_HELLO_F_PID_PRINTABLE)

/* Defaults at load time. */
#define AMTSCA_DEFAULT_TIMEOUT_MS 2000
#define AMTSCA_DEFAULT_MAX_CONNS 64

enum amtsca_cmd {
	AMTSCA_CMD_UNSPEC,
	AMTSCA_CMD_HELLO_EVENT,
	AMTSCA_CMD_SET_CONFIG,
	AMTSCA_CMD_GET_CONFIG,
	AMTSCA_CMD_SET_DEV_STATE,
	AMTSCA_CMD_GET_STATS,
	__AMTSCA_CMD_MAX,
};
#define AMTSCA_CMD_MAX (__AMTSCA_CMD_MAX - 1)

enum amtsca_attr {
	AMTSCA_ATTR_UNSPEC,
	AMTSCA_ATTR_PAD, /* alignment padding for u64 */
	/* Hello event */
	AMTSCA_ATTR_FAMILY, /* u16 */
	AMTSCA_ATTR_SADDR, /* binary, 4 or 16 */
	AMTSCA_ATTR_DADDR, /* binary, 4 or 16 */
	AMTSCA_ATTR_SPORT, /* u16 */
	AMTSCA_ATTR_DPORT, /* u16 */
	AMTSCA_ATTR_IFINDEX, /* u32 */
	AMTSCA_ATTR_TIMESTAMP_NS, /* u64 */
	AMTSCA_ATTR_HELLO, /* binary, <= AMT_HELLO_MAX_LEN */
	/* Config */
	AMTSCA_ATTR_PORT, /* u16 */
	AMTSCA_ATTR_PREFIXES, /* nested: AMTSCA_ATTR_PREFIX ... */
	AMTSCA_ATTR_TIMEOUT_MS, /* u32 */
	AMTSCA_ATTR_MAX_CONNS, /* u32 */
	AMTSCA_ATTR_RATE_PER_SEC, /* u32 */
	/* Device state */
	AMTSCA_ATTR_DEV_UUID, /* binary, 16 */
	AMTSCA_ATTR_DEV_STATE, /* u32 */
	AMTSCA_ATTR_DEV_TTL_MS, /* u32 */
	/* Stats, all u64 */
	AMTSCA_ATTR_STAT_CONNS, /* connections accepted */
	AMTSCA_ATTR_STAT_VALID, /* Hellos that validated */
	AMTSCA_ATTR_STAT_EVENTS, /* events multicast */
	AMTSCA_ATTR_STAT_NO_LISTENER, /* events with nobody subscribed */
	AMTSCA_ATTR_STAT_SUPPRESSED, /* valid, suppressed by device state */
	AMTSCA_ATTR_STAT_RATE_LIMITED, /* valid, dropped by RATE_PER_SEC */
	AMTSCA_ATTR_STAT_PREFIX_REFUSED, /* source not in PREFIXES */
	AMTSCA_ATTR_STAT_CONN_LIMIT, /* refused: MAX_CONNS reached */
	AMTSCA_ATTR_STAT_TIMEOUT, /* no EOF before TIMEOUT_MS */
	AMTSCA_ATTR_STAT_OVERSIZE, /* more than AMT_HELLO_MAX_LEN bytes */
	AMTSCA_ATTR_STAT_INVALID, /* validator refused (any reason) */
	AMTSCA_ATTR_STAT_REASONS, /* nested, type reason+1 -> u64 */
	AMTSCA_ATTR_PREFIX, /* nested: PREFIX_ADDR, PREFIX_LEN */
	AMTSCA_ATTR_HELLO_FLAGS, /* u32, AMT_HELLO_F_* */
	__AMTSCA_ATTR_MAX,
};
#define AMTSCA_ATTR_MAX (__AMTSCA_ATTR_MAX - 1)

enum amtsca_prefix_attr {
	AMTSCA_PREFIX_ATTR_UNSPEC,
	AMTSCA_PREFIX_ATTR_ADDR, /* binary, 4 or 16 */
	AMTSCA_PREFIX_ATTR_LEN, /* u8 */
	__AMTSCA_PREFIX_ATTR_MAX,
};
#define AMTSCA_PREFIX_ATTR_MAX (__AMTSCA_PREFIX_ATTR_MAX - 1)

#endif /* AMTSCA_GENL_ABI_H */
