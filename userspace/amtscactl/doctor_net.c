// SPDX-License-Identifier: GPL-2.0-only
/*
 * doctor: the network side. provisionserver.<suffix> must resolve to this
 * host (devices build that name from their DHCP domain), the Hello port
 * must accept connections, and the XDP program must be attached where
 * Hellos arrive, in the expected mode.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>

#include "doctor.h"

/* Numeric form of a socket address, without port. */
static void addr_string(const struct sockaddr *sa, char *buf, size_t len)
{
	if (getnameinfo(sa,
			sa->sa_family == AF_INET6 ?
				sizeof(struct sockaddr_in6) :
				sizeof(struct sockaddr_in),
			buf, len, NULL, 0, NI_NUMERICHOST))
		snprintf(buf, len, "?");
}

/* The interface of this host holding address sa, or NULL. */
static const char *local_interface(const struct ifaddrs *ifs,
				   const struct sockaddr *sa)
{
	const struct ifaddrs *i;

	for (i = ifs; i; i = i->ifa_next) {
		const struct sockaddr *a = i->ifa_addr;

		if (!a || a->sa_family != sa->sa_family)
			continue;
		if (a->sa_family == AF_INET &&
		    ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
			    ((const struct sockaddr_in *)sa)->sin_addr.s_addr)
			return i->ifa_name;
		if (a->sa_family == AF_INET6 &&
		    !memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
			    &((const struct sockaddr_in6 *)sa)->sin6_addr,
			    sizeof(struct in6_addr)))
			return i->ifa_name;
	}
	return NULL;
}

static void remember_local(struct doctor *d, const char *addr)
{
	unsigned int i;

	for (i = 0; i < d->nlocal; i++)
		if (!strcmp(d->local_addrs[i], addr))
			return;
	if (d->nlocal < DOCTOR_MAX_ITEMS)
		snprintf(d->local_addrs[d->nlocal++], sizeof(d->local_addrs[0]),
			 "%s", addr);
}

/* Append addr (and its interface) to a ", "-separated list of len bytes. */
static void list_add(char *list, size_t len, const char *addr,
		     const char *ifname)
{
	size_t used = strlen(list);

	snprintf(list + used, len - used, "%s%s%s%s%s", used ? ", " : "", addr,
		 ifname ? " (" : "", ifname ? ifname : "", ifname ? ")" : "");
}

static void check_suffix(struct doctor *d, const struct ifaddrs *ifs,
			 const char *suffix)
{
	const struct addrinfo hints = { .ai_socktype = SOCK_STREAM };
	char name[300], addrs[DOCTOR_MAX_ITEMS * 2][64];
	char local[512] = "", other[512] = "";
	struct addrinfo *res, *ai;
	unsigned int naddrs = 0, i;
	const char *ifname;
	int r;

	while (*suffix == '.')
		suffix++;
	snprintf(name, sizeof(name), "provisionserver.%s", suffix);
	r = getaddrinfo(name, NULL, &hints, &res);
	if (r) {
		doctor_report(
			d, DOCTOR_FAIL, "dns",
			"add A/AAAA records for it pointing at this host on the DNS server the devices use; they build the name from DHCP option 15 (DHCPv6 option 24)",
			"%s does not resolve: %s", name,
			r == EAI_SYSTEM ? strerror(errno) : gai_strerror(r));
		return;
	}
	for (ai = res; ai && naddrs < DOCTOR_MAX_ITEMS * 2; ai = ai->ai_next) {
		addr_string(ai->ai_addr, addrs[naddrs], sizeof(addrs[0]));
		for (i = 0; i < naddrs; i++)
			if (!strcmp(addrs[i], addrs[naddrs]))
				break;
		if (i < naddrs)
			continue; /* the resolver may list an address twice */
		ifname = local_interface(ifs, ai->ai_addr);
		if (ifname) {
			remember_local(d, addrs[naddrs]);
			list_add(local, sizeof(local), addrs[naddrs], ifname);
		} else {
			list_add(other, sizeof(other), addrs[naddrs], NULL);
		}
		naddrs++;
	}
	freeaddrinfo(res);
	if (!*local)
		doctor_report(
			d, DOCTOR_FAIL, "dns",
			"point the records at an address of this host, or run amtsca on that host",
			"%s resolves to %s, not to an address of this host",
			name, other);
	else if (*other)
		doctor_report(
			d, DOCTOR_WARN, "dns",
			"remove the other records: devices send their Hello to whichever address they pick",
			"%s resolves to this host: %s, but also to %s", name,
			local, other);
	else
		doctor_report(d, DOCTOR_OK, "dns", NULL,
			      "%s resolves to this host: %s", name, local);
}

void doctor_check_dns(struct doctor *d)
{
	struct ifaddrs *ifs;
	unsigned int i;

	if (!d->nsuffixes) {
		doctor_report(
			d, DOCTOR_WARN, "dns",
			"set doctor.dns_suffixes in amtsca.conf (or --suffix) to the domain(s) DHCP gives the devices",
			"no DNS suffixes to check");
		return;
	}
	if (getifaddrs(&ifs)) {
		doctor_report(d, DOCTOR_FAIL, "dns", NULL,
			      "cannot list this host's addresses: %s",
			      strerror(errno));
		return;
	}
	for (i = 0; i < d->nsuffixes; i++)
		check_suffix(d, ifs, d->suffixes[i]);
	freeifaddrs(ifs);
}

/* TCP connect with a deadline; 0 or an errno value. */
static int try_connect(const char *addr, unsigned int port,
		       unsigned int timeout_ms)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct pollfd p = { .events = POLLOUT };
	socklen_t len = sizeof(int);
	int err = 0;

	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
	} else if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
	} else {
		return EINVAL;
	}
	p.fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		      0);
	if (p.fd < 0)
		return errno;
	if (connect(p.fd, (struct sockaddr *)&ss, sizeof(ss)) &&
	    errno != EINPROGRESS)
		err = errno;
	else if (poll(&p, 1, (int)timeout_ms) == 0)
		err = ETIMEDOUT;
	else if (getsockopt(p.fd, SOL_SOCKET, SO_ERROR, &err, &len))
		err = errno;
	close(p.fd);
	return err;
}

void doctor_check_port(struct doctor *d)
{
	unsigned int i, n = d->nlocal ? d->nlocal : 1;
	const char *addr;
	int err;

	if (!strcmp(d->cfg.backend, "xdp")) {
		doctor_report(
			d, DOCTOR_SKIP, "port", NULL,
			"port %u is answered by XDP on the wire; a connection from this host never passes XDP, so it cannot be tested from here (see the xdp check)",
			d->cfg.port);
		return;
	}
	/* The addresses the DNS check found, or loopback without them. */
	for (i = 0; i < n; i++) {
		addr = d->nlocal ? d->local_addrs[i] : "127.0.0.1";
		err = try_connect(addr, d->cfg.port, d->connect_timeout_ms);
		if (!err)
			doctor_report(d, DOCTOR_OK, "port", NULL,
				      "%s port %u accepts connections", addr,
				      d->cfg.port);
		else
			doctor_report(
				d, DOCTOR_FAIL, "port",
				"start amtscad (systemctl start amtscad) and check daemon.port, the amtsca module, and the firewall",
				"%s port %u: %s", addr, d->cfg.port,
				strerror(err));
	}
}

static const char *mode_name(__u8 mode)
{
	switch (mode) {
	case XDP_ATTACHED_DRV:
		return "native";
	case XDP_ATTACHED_SKB:
		return "generic";
	case XDP_ATTACHED_HW:
		return "offloaded";
	case XDP_ATTACHED_MULTI:
		return "several";
	default:
		return "no";
	}
}

/* The id of the program attached in the expected mode, or 0. */
static __u32 expected_prog(const struct bpf_xdp_query_opts *q,
			   enum doctor_xdp_mode mode)
{
	switch (mode) {
	case DOCTOR_XDP_NATIVE:
		return q->drv_prog_id;
	case DOCTOR_XDP_GENERIC:
		return q->skb_prog_id;
	default:
		return q->prog_id     ? q->prog_id :
		       q->drv_prog_id ? q->drv_prog_id :
		       q->skb_prog_id ? q->skb_prog_id :
					q->hw_prog_id;
	}
}

static void prog_name(__u32 id, char *buf, size_t len)
{
	struct bpf_prog_info info = { 0 };
	__u32 info_len = sizeof(info);
	int fd = bpf_prog_get_fd_by_id(id);

	snprintf(buf, len, "id %u", id);
	if (fd < 0)
		return;
	if (!bpf_obj_get_info_by_fd(fd, &info, &info_len) && info.name[0])
		snprintf(buf, len, "%s, id %u", info.name, id);
	close(fd);
}

static void check_interface(struct doctor *d, const char *ifname)
{
	static const char *const wanted[] = {
		[DOCTOR_XDP_NATIVE] = "native",
		[DOCTOR_XDP_GENERIC] = "generic",
		[DOCTOR_XDP_ANY] = "any",
	};
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	unsigned int ifindex = if_nametoindex(ifname);
	char name[64];
	__u32 id;

	if (!ifindex) {
		doctor_report(d, DOCTOR_FAIL, "xdp",
			      "check the interface name (ip link)",
			      "%s: no such interface", ifname);
		return;
	}
	if (bpf_xdp_query((int)ifindex, 0, &q)) {
		doctor_report(d, DOCTOR_FAIL, "xdp", "run doctor as root",
			      "%s: cannot query XDP: %s", ifname,
			      strerror(errno));
		return;
	}
	if (q.attach_mode == XDP_ATTACHED_NONE) {
		doctor_report(
			d, DOCTOR_FAIL, "xdp",
			"start amtscad and read its log for the attach error (journalctl -u amtscad)",
			"%s: no XDP program attached", ifname);
		return;
	}
	id = expected_prog(&q, d->xdp_mode);
	if (!id) {
		doctor_report(
			d, DOCTOR_FAIL, "xdp",
			"native XDP needs driver support (ethtool -i IF); generic mode works everywhere but slower: set the mode amtscad and doctor expect to match",
			"%s: XDP attached in %s mode, expected %s", ifname,
			mode_name(q.attach_mode), wanted[d->xdp_mode]);
		return;
	}
	prog_name(id, name, sizeof(name));
	doctor_report(d, DOCTOR_OK, "xdp", NULL,
		      "%s: XDP program (%s) attached in %s mode", ifname, name,
		      mode_name(q.attach_mode));
}

void doctor_check_xdp(struct doctor *d)
{
	unsigned int i;

	if (strcmp(d->cfg.backend, "xdp")) {
		doctor_report(d, DOCTOR_SKIP, "xdp", NULL,
			      "backend is %s, not xdp", d->cfg.backend);
		return;
	}
	if (!d->ninterfaces) {
		doctor_report(
			d, DOCTOR_WARN, "xdp",
			"pass --interface IF for each interface the devices' Hellos arrive on",
			"no interfaces to check");
		return;
	}
	for (i = 0; i < d->ninterfaces; i++)
		check_interface(d, d->interfaces[i]);
}
