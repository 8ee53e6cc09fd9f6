/* SPDX-License-Identifier: GPL-2.0-only */
/* --add-addrs / --add-route: the fleet's addresses, via rtnetlink. */
#ifndef AMTSIM_NET_ADDRS_H
#define AMTSIM_NET_ADDRS_H

#include "fleet.h"

struct sim_net_addrs;

/*
 * Add every device's IPv4 (and IPv6, with --addr6-base) address as a /32
 * (/128, no DAD) to ifname. Addresses already there are kept and left in
 * place at exit. Returns NULL after printing why.
 */
struct sim_net_addrs *sim_net_addrs_add(const struct sim_fleet *f,
					const char *ifname);
/*
 * Instead of single addresses: local routes (table local, type local) on
 * ifname covering the device ranges, so every device address is local
 * without one kernel address per device ("AnyIP"; quick for large fleets).
 */
struct sim_net_addrs *sim_net_routes_add(const struct sim_fleet *f,
					 const char *ifname);
/* Remove what sim_net_addrs_add/sim_net_routes_add added, and free it. */
void sim_net_addrs_remove(struct sim_net_addrs *a);

#endif /* AMTSIM_NET_ADDRS_H */
