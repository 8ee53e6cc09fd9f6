/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Follows a set of network interfaces by name through NETLINK_ROUTE link
 * events (libnl-route cache manager): reports when one appears, goes up or
 * down, disappears, or is recreated under a new ifindex.
 *
 * Errors are negative libnl codes (-NLE_*); nl_geterror() names them.
 */
#ifndef AMTSCA_LINK_WATCH_H
#define AMTSCA_LINK_WATCH_H

#include <stdbool.h>

struct link_watch;

/* ifindex 0: the interface does not exist (any more). */
typedef void (*link_watch_cb)(const char *name, int ifindex, bool up,
			      void *arg);

/* Watch n names (copied); nothing is reported before link_watch_scan(). */
int link_watch_new(struct link_watch **out, const char *const *names, int n,
		   link_watch_cb cb, void *arg);
void link_watch_free(struct link_watch *lw);
/* Report every name whose state differs from the last report. */
void link_watch_scan(struct link_watch *lw);
/* Non-blocking fd for epoll; call link_watch_process() when readable. */
int link_watch_fd(const struct link_watch *lw);
/* Read pending link events, then link_watch_scan(). */
int link_watch_process(struct link_watch *lw);

#endif /* AMTSCA_LINK_WATCH_H */
