/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The daemon's kmod backend: a libnl-genl client of the "amtsca" family
 * (include/amtsca/genl_abi.h) exported by kmod/amtsca.ko.
 *
 * Errors are negative libnl codes (-NLE_*); kmod_backend_strerror() turns
 * them into text. kmod_backend_open() refuses a module whose family version
 * differs from AMTSCA_GENL_VERSION and says so in errbuf.
 */
#ifndef AMTSCA_KMOD_BACKEND_H
#define AMTSCA_KMOD_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include <linux/netlink.h>

#include <amtsca/genl_abi.h>

#include "hello_event.h"

struct kmod_backend;

typedef void (*kmod_hello_cb)(const struct hello_event *ev, void *arg);

struct kmod_prefix {
	int family; /* AF_INET or AF_INET6 */
	uint8_t addr[16];
	uint8_t len;
};

/* Fields left at -1 are not changed. */
struct kmod_config {
	int port;
	int n_prefixes; /* -1: keep; 0: allow every source */
	struct kmod_prefix prefixes[AMTSCA_MAX_PREFIXES];
	long timeout_ms;
	long max_conns;
	long rate_per_sec;
	long hello_flags; /* AMT_HELLO_F_* the module validates with */
};

#define KMOD_STAT_COUNT (AMTSCA_ATTR_STAT_INVALID - AMTSCA_ATTR_STAT_CONNS + 1)

struct kmod_stats {
	uint64_t count[KMOD_STAT_COUNT]; /* index: AMTSCA_ATTR_STAT_x - CONNS */
	uint64_t reason[AMT_HELLO_REASON_COUNT];
};

void kmod_config_init(struct kmod_config *cfg);
const char *kmod_stat_name(int i);

int kmod_backend_open(struct kmod_backend **out, kmod_hello_cb cb, void *arg,
		      char *errbuf, size_t errlen);
/* As kmod_backend_open() with another expected version (for tests). */
int kmod_backend_open_version(struct kmod_backend **out, unsigned int version,
			      kmod_hello_cb cb, void *arg, char *errbuf,
			      size_t errlen);
void kmod_backend_close(struct kmod_backend *kb);

/* Join the Hello multicast group; needs CAP_NET_ADMIN. */
int kmod_backend_subscribe(struct kmod_backend *kb);
/* Non-blocking fd for epoll; call kmod_backend_receive() when readable. */
int kmod_backend_fd(const struct kmod_backend *kb);
int kmod_backend_receive(struct kmod_backend *kb);

int kmod_backend_set_config(struct kmod_backend *kb,
			    const struct kmod_config *cfg);
int kmod_backend_set_state(struct kmod_backend *kb, const uint8_t uuid[16],
			   uint32_t state, uint32_t ttl_ms);
int kmod_backend_get_stats(struct kmod_backend *kb, struct kmod_stats *st);
/* Fills every field; attributes the module did not send stay -1. */
int kmod_backend_get_config(struct kmod_backend *kb, struct kmod_config *cfg);
const char *kmod_backend_strerror(int err);

/*
 * Parse one generic netlink message of the family into ev. Returns 0, or
 * -1 when it is not a well-formed Hello event (wrong command, missing or
 * malformed attribute, Hello that does not validate). len bounds nlh.
 */
int kmod_event_parse(const struct nlmsghdr *nlh, size_t len,
		     struct hello_event *ev);

#endif /* AMTSCA_KMOD_BACKEND_H */
