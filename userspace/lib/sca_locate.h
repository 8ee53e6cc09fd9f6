/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * How a device finds its SCA (amt-protocol.md §2): a static address; else
 * a configured FQDN; else "provisionserver." + the internal (MEBx) domain,
 * the DHCP option 15 domain, then up to five DHCPv6 option 24 suffixes.
 * The first three methods are mutually exclusive; within the default
 * method the candidates are tried in that order and the first one that
 * resolves wins [U: Intel does not say whether more are tried].
 *
 * Resolver config file (libinih syntax, no section needed):
 *   static_address = 198.18.0.1       SCA static IP (method 1)
 *   fqdn = sca.amt.test               configured SCA FQDN (method 2a)
 *   domain = amt.test                 internal/MEBx domain (method 2b)
 *   dhcp_domain = corp.test           DHCP option 15
 *   dhcpv6_domain = v6.test           DHCPv6 option 24, repeatable (<= 5)
 *   bare_name = no                    also try "provisionserver" alone
 *                                     (AMT 2.x/3.x text) [U]; default no
 *   port = 9971                       PSPO override
 *   dns = yes                         no: names resolve only through host
 *                                     entries (tests without DNS)
 *   host = NAME ADDRESS               hosts-file style answer used before
 *                                     getaddrinfo, repeatable (tests)
 */
#ifndef AMTSCA_SCA_LOCATE_H
#define AMTSCA_SCA_LOCATE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#define SCA_NAME_MAX 256 /* DNS name + NUL */
#define SCA_DHCPV6_MAX 5
#define SCA_HOSTS_MAX 16
#define SCA_CANDIDATES_MAX (3 + SCA_DHCPV6_MAX)
#define SCA_HOST_PREFIX "provisionserver"

struct sca_host_entry {
	char name[SCA_NAME_MAX];
	char addr[64];
};

struct sca_locate_config {
	char static_address[64];
	char fqdn[SCA_NAME_MAX];
	char domain[SCA_NAME_MAX];
	char dhcp_domain[SCA_NAME_MAX];
	char dhcpv6_domain[SCA_DHCPV6_MAX][SCA_NAME_MAX];
	unsigned int n_dhcpv6;
	bool bare_name;
	bool dns;
	uint16_t port;
	struct sca_host_entry hosts[SCA_HOSTS_MAX];
	unsigned int n_hosts;
};

void sca_locate_defaults(struct sca_locate_config *cfg);

/*
 * Parse a resolver config held in text (NUL-terminated). Returns 0, or -1
 * with "LINE: reason" in err.
 */
int sca_locate_parse(const char *text, struct sca_locate_config *cfg, char *err,
		     size_t errlen);

/* As sca_locate_parse, from a file; err names the file too. */
int sca_locate_load(const char *path, struct sca_locate_config *cfg, char *err,
		    size_t errlen);

/*
 * Write the names (or the static address) to try, in order, into names;
 * returns how many (0 when nothing is configured).
 */
unsigned int
sca_locate_candidates(const struct sca_locate_config *cfg,
		      char names[SCA_CANDIDATES_MAX][SCA_NAME_MAX]);

/*
 * Resolve the SCA: the first candidate that the hosts entries or
 * getaddrinfo turn into an address, with the configured port. family is
 * AF_UNSPEC, AF_INET or AF_INET6. Returns 0 and fills out/out_len (and
 * chosen, SCA_NAME_MAX bytes, when not NULL), or -1 with a reason in err.
 */
int sca_locate_resolve(const struct sca_locate_config *cfg, int family,
		       struct sockaddr_storage *out, socklen_t *out_len,
		       char *chosen, char *err, size_t errlen);

#endif /* AMTSCA_SCA_LOCATE_H */
