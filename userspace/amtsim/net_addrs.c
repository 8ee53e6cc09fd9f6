// SPDX-License-Identifier: GPL-2.0-only
/* Bulk add/remove of the device addresses with libnl-route (rtnl_addr). */
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>

#include <linux/if_addr.h>
#include <netlink/errno.h>
#include <netlink/route/addr.h>

#include "net_addrs.h"

struct sim_net_addrs {
	struct nl_sock *sk;
	int ifindex;
	uint32_t n; /* entries in added */
	struct rtnl_addr **added;
};

static struct rtnl_addr *make_addr(int ifindex,
				   const struct sockaddr_storage *ss)
{
	struct rtnl_addr *a = rtnl_addr_alloc();
	struct nl_addr *local;

	if (!a)
		return NULL;
	if (ss->ss_family == AF_INET)
		local = nl_addr_build(AF_INET,
				      &((struct sockaddr_in *)ss)->sin_addr, 4);
	else
		local = nl_addr_build(
			AF_INET6, &((struct sockaddr_in6 *)ss)->sin6_addr, 16);
	if (!local) {
		rtnl_addr_put(a);
		return NULL;
	}
	nl_addr_set_prefixlen(local, ss->ss_family == AF_INET ? 32 : 128);
	rtnl_addr_set_ifindex(a, ifindex);
	rtnl_addr_set_local(a, local);
	nl_addr_put(local);
	if (ss->ss_family == AF_INET6)
		rtnl_addr_set_flags(a, IFA_F_NODAD);
	return a;
}

/* Add one address; an address already present is not ours to remove. */
static int add_one(struct sim_net_addrs *na, const struct sockaddr_storage *ss)
{
	struct rtnl_addr *a = make_addr(na->ifindex, ss);
	int err;

	if (!a)
		return -NLE_NOMEM;
	err = rtnl_addr_add(na->sk, a, 0);
	if (err == -NLE_EXIST) {
		rtnl_addr_put(a);
		return 0;
	}
	if (err) {
		rtnl_addr_put(a);
		return err;
	}
	na->added[na->n++] = a;
	return 0;
}

struct sim_net_addrs *sim_net_addrs_add(const struct sim_fleet *f,
					const char *ifname)
{
	struct sim_net_addrs *na = calloc(1, sizeof(*na));
	struct sockaddr_storage ss;
	uint32_t i;
	int err = 0;

	if (!na)
		return NULL;
	na->added = calloc((size_t)f->n * 2, sizeof(*na->added));
	na->sk = nl_socket_alloc();
	na->ifindex = (int)if_nametoindex(ifname);
	if (!na->ifindex) {
		fprintf(stderr, "amtsim: --add-addrs %s: no such interface\n",
			ifname);
		goto fail;
	}
	if (!na->added || !na->sk || nl_connect(na->sk, NETLINK_ROUTE)) {
		fprintf(stderr, "amtsim: rtnetlink: cannot connect\n");
		goto fail;
	}
	for (i = 0; i < f->n && !err; i++) {
		sim_device_addr(f, &f->dev[i], AF_INET, &ss);
		err = add_one(na, &ss);
		if (!err && f->opt->has_addr6) {
			sim_device_addr(f, &f->dev[i], AF_INET6, &ss);
			err = add_one(na, &ss);
		}
	}
	if (err) {
		fprintf(stderr,
			"amtsim: adding device %u's address to %s: %s\n", i - 1,
			ifname, nl_geterror(err));
		goto fail;
	}
	return na;
fail:
	sim_net_addrs_remove(na);
	return NULL;
}

void sim_net_addrs_remove(struct sim_net_addrs *na)
{
	uint32_t i;

	if (!na)
		return;
	for (i = 0; i < na->n; i++) {
		rtnl_addr_delete(na->sk, na->added[i], 0);
		rtnl_addr_put(na->added[i]);
	}
	free(na->added);
	nl_socket_free(na->sk);
	free(na);
}
