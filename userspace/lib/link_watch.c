// SPDX-License-Identifier: GPL-2.0-only
/*
 * Interface following with the libnl-route link cache; see link_watch.h.
 * The cache manager keeps the link cache current from RTNLGRP_LINK
 * multicasts; after each batch every watched name is looked up again and
 * reported if its (ifindex, up) pair changed, which also covers an
 * interface deleted and recreated within one batch.
 */
#include <net/if.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/cache.h>
#include <netlink/route/link.h>

#include "link_watch.h"

struct watched_link {
	char name[IF_NAMESIZE];
	int ifindex; /* as last reported; 0 = absent */
	bool up;
	bool reported;
};

struct link_watch {
	struct nl_cache_mngr *mngr;
	struct nl_cache *links;
	link_watch_cb cb;
	void *cb_arg;
	int n;
	struct watched_link w[];
};

/* The manager wants a change callback; the scan after each batch suffices. */
static void link_watch_changed(struct nl_cache *cache, struct nl_object *obj,
			       int action, void *arg)
{
	(void)cache;
	(void)obj;
	(void)action;
	(void)arg;
}

int link_watch_new(struct link_watch **out, const char *const *names, int n,
		   link_watch_cb cb, void *arg)
{
	struct link_watch *lw = calloc(1, sizeof(*lw) + n * sizeof(lw->w[0]));
	int err, i;

	if (!lw)
		return -NLE_NOMEM;
	lw->cb = cb;
	lw->cb_arg = arg;
	lw->n = n;
	for (i = 0; i < n; i++) {
		if (strlen(names[i]) >= IF_NAMESIZE) {
			free(lw);
			return -NLE_INVAL;
		}
		strcpy(lw->w[i].name, names[i]);
	}
	err = nl_cache_mngr_alloc(NULL, NETLINK_ROUTE, 0, &lw->mngr);
	if (!err)
		err = nl_cache_mngr_add(lw->mngr, "route/link",
					link_watch_changed, lw, &lw->links);
	if (err) {
		link_watch_free(lw);
		return err;
	}
	*out = lw;
	return 0;
}

void link_watch_free(struct link_watch *lw)
{
	if (!lw)
		return;
	if (lw->mngr)
		nl_cache_mngr_free(lw->mngr);
	free(lw);
}

/*
 * The interface called name, from the cache's AF_UNSPEC objects only: the
 * cache also keeps the AF_INET6 objects of RTNLGRP_IPV6_IFINFO
 * notifications, which no RTM_DELLINK removes, so a deleted interface
 * would otherwise still be found by name (rtnl_link_get_by_name() returns
 * the first match of any family).
 */
static struct rtnl_link *link_watch_find(struct nl_cache *links,
					 const char *name)
{
	struct nl_object *obj;

	for (obj = nl_cache_get_first(links); obj;
	     obj = nl_cache_get_next(obj)) {
		struct rtnl_link *link = (struct rtnl_link *)obj;
		const char *n = rtnl_link_get_name(link);

		if (rtnl_link_get_family(link) == AF_UNSPEC && n &&
		    !strcmp(n, name))
			return link;
	}
	return NULL;
}

void link_watch_scan(struct link_watch *lw)
{
	int i;

	for (i = 0; i < lw->n; i++) {
		struct watched_link *w = &lw->w[i];
		struct rtnl_link *link = link_watch_find(lw->links, w->name);
		int ifindex = link ? rtnl_link_get_ifindex(link) : 0;
		bool up = link && (rtnl_link_get_flags(link) & IFF_UP);

		if (w->reported && w->ifindex == ifindex && w->up == up)
			continue;
		w->ifindex = ifindex;
		w->up = up;
		w->reported = true;
		lw->cb(w->name, ifindex, up, lw->cb_arg);
	}
}

int link_watch_fd(const struct link_watch *lw)
{
	return nl_cache_mngr_get_fd(lw->mngr);
}

int link_watch_process(struct link_watch *lw)
{
	int err = nl_cache_mngr_data_ready(lw->mngr);

	link_watch_scan(lw);
	return err < 0 ? err : 0;
}
