// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bulk add/remove of the device addresses with libnl-route: one rtnl_addr
 * per address (--add-addrs), or local routes covering the ranges
 * (--add-route, "AnyIP": bind and accept work for every address in them).
 */
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>

#include <linux/if_addr.h>
#include <netlink/errno.h>
#include <netlink/route/addr.h>
#include <netlink/route/route.h>

#include "net_addrs.h"

struct sim_net_addrs {
	struct nl_sock *sk;
	int ifindex;
	bool routes; /* added holds rtnl_route objects, else rtnl_addr */
	uint32_t n; /* entries in added */
	void **added;
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

static struct sim_net_addrs *net_open(uint32_t max_objects, const char *ifname)
{
	struct sim_net_addrs *na = calloc(1, sizeof(*na));

	if (!na)
		return NULL;
	na->added = calloc(max_objects, sizeof(*na->added));
	na->sk = nl_socket_alloc();
	na->ifindex = (int)if_nametoindex(ifname);
	if (!na->ifindex) {
		fprintf(stderr, "amtsim: %s: no such interface\n", ifname);
	} else if (!na->added || !na->sk || nl_connect(na->sk, NETLINK_ROUTE)) {
		fprintf(stderr, "amtsim: rtnetlink: cannot connect\n");
	} else {
		return na;
	}
	sim_net_addrs_remove(na);
	return NULL;
}

struct sim_net_addrs *sim_net_addrs_add(const struct sim_fleet *f,
					const char *ifname)
{
	struct sim_net_addrs *na = net_open(f->n * 2, ifname);
	struct sockaddr_storage ss;
	uint32_t i;
	int err = 0;

	if (!na)
		return NULL;
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
		sim_net_addrs_remove(na);
		return NULL;
	}
	return na;
}

/* A local route for the prefix at ss (port 0) / plen on na's interface. */
static int add_local_route(struct sim_net_addrs *na,
			   const struct sockaddr_storage *ss, int plen)
{
	struct rtnl_route *r = rtnl_route_alloc();
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	int family = ss->ss_family;
	struct nl_addr *dst;
	int err;

	if (family == AF_INET)
		dst = nl_addr_build(AF_INET,
				    &((struct sockaddr_in *)ss)->sin_addr, 4);
	else
		dst = nl_addr_build(
			AF_INET6, &((struct sockaddr_in6 *)ss)->sin6_addr, 16);
	if (!r || !nh || !dst) {
		rtnl_route_put(r);
		rtnl_route_nh_free(nh);
		nl_addr_put(dst);
		return -NLE_NOMEM;
	}
	nl_addr_set_prefixlen(dst, plen);
	rtnl_route_set_family(r, (uint8_t)family);
	rtnl_route_set_table(r, RT_TABLE_LOCAL);
	rtnl_route_set_type(r, RTN_LOCAL);
	rtnl_route_set_scope(r, RT_SCOPE_HOST);
	rtnl_route_set_protocol(r, RTPROT_STATIC);
	rtnl_route_set_dst(r, dst);
	nl_addr_put(dst);
	rtnl_route_nh_set_ifindex(nh, na->ifindex);
	rtnl_route_add_nexthop(r, nh);
	err = rtnl_route_add(na->sk, r, NLM_F_EXCL);
	if (err) {
		rtnl_route_put(r);
		return err;
	}
	na->added[na->n++] = r;
	return 0;
}

/*
 * Cover devices [0, n) of family with aligned prefixes: each block is the
 * largest power of two the next address is aligned to and that fits.
 */
static int add_range_routes(struct sim_net_addrs *na, const struct sim_fleet *f,
			    int family)
{
	int host_bits = family == AF_INET ? 32 : 128;
	uint32_t i = 0;
	int err = 0;

	while (i < f->n && !err) {
		struct sockaddr_storage ss;
		uint64_t low;
		int k = 0;

		sim_device_addr(f, &f->dev[i], family, &ss);
		if (family == AF_INET)
			low = ntohl(
				((struct sockaddr_in *)&ss)->sin_addr.s_addr);
		else
			low = sim_in6_low64(
				&((struct sockaddr_in6 *)&ss)->sin6_addr);
		while (k < 20 && !(low & ((2ULL << k) - 1)) &&
		       i + (2U << k) <= f->n)
			k++;
		err = add_local_route(na, &ss, host_bits - k);
		i += 1U << k;
	}
	return err;
}

struct sim_net_addrs *sim_net_routes_add(const struct sim_fleet *f,
					 const char *ifname)
{
	/* At most two blocks per bit of the count, per family. */
	struct sim_net_addrs *na = net_open(2 * 2 * 21 + 4, ifname);
	int err;

	if (!na)
		return NULL;
	na->routes = true;
	err = add_range_routes(na, f, AF_INET);
	if (!err && f->opt->has_addr6)
		err = add_range_routes(na, f, AF_INET6);
	if (err) {
		fprintf(stderr, "amtsim: adding local routes on %s: %s\n",
			ifname, nl_geterror(err));
		sim_net_addrs_remove(na);
		return NULL;
	}
	return na;
}

void sim_net_addrs_remove(struct sim_net_addrs *na)
{
	uint32_t i;

	if (!na)
		return;
	for (i = 0; i < na->n; i++) {
		if (na->routes) {
			rtnl_route_delete(na->sk, na->added[i], 0);
			rtnl_route_put(na->added[i]);
		} else {
			rtnl_addr_delete(na->sk, na->added[i], 0);
			rtnl_addr_put(na->added[i]);
		}
	}
	free(na->added);
	nl_socket_free(na->sk);
	free(na);
}
