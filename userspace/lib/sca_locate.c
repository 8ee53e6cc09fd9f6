// SPDX-License-Identifier: GPL-2.0-only
/* SCA locating rules (amt-protocol.md §2) and their resolver config. */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ini.h>

#include "sca_locate.h"

void sca_locate_defaults(struct sca_locate_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->port = 9971;
	cfg->dns = true;
}

struct parse_ctx {
	struct sca_locate_config *cfg;
	char *msg;
	size_t msglen;
};

static int copy_value(char *dst, size_t cap, const char *value,
		      struct parse_ctx *p)
{
	size_t n = strlen(value);

	if (!n || n >= cap) {
		snprintf(p->msg, p->msglen, "value must be 1..%zu characters",
			 cap - 1);
		return -1;
	}
	memcpy(dst, value, n + 1);
	return 0;
}

static int parse_bool(bool *dst, const char *value, struct parse_ctx *p)
{
	if (!strcasecmp(value, "yes") || !strcasecmp(value, "true") ||
	    !strcmp(value, "1"))
		*dst = true;
	else if (!strcasecmp(value, "no") || !strcasecmp(value, "false") ||
		 !strcmp(value, "0"))
		*dst = false;
	else {
		snprintf(p->msg, p->msglen, "'%s' is not yes or no", value);
		return -1;
	}
	return 0;
}

static int parse_port(uint16_t *dst, const char *value, struct parse_ctx *p)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(value, &end, 10);
	if (errno || end == value || *end || value[0] == '-' || !v ||
	    v > 65535) {
		snprintf(p->msg, p->msglen, "'%s' is not a port in 1..65535",
			 value);
		return -1;
	}
	*dst = (uint16_t)v;
	return 0;
}

static int parse_host(const char *value, struct parse_ctx *p)
{
	struct sca_locate_config *cfg = p->cfg;
	struct sca_host_entry *h;
	const char *sp = strpbrk(value, " \t");
	const char *addr;
	size_t n;

	if (cfg->n_hosts == SCA_HOSTS_MAX) {
		snprintf(p->msg, p->msglen, "more than %d host entries",
			 SCA_HOSTS_MAX);
		return -1;
	}
	h = &cfg->hosts[cfg->n_hosts];
	n = sp ? (size_t)(sp - value) : 0;
	addr = sp ? sp + strspn(sp, " \t") : "";
	if (!n || n >= sizeof(h->name) || !*addr ||
	    strlen(addr) >= sizeof(h->addr) || strpbrk(addr, " \t")) {
		snprintf(p->msg, p->msglen, "host wants 'NAME ADDRESS'");
		return -1;
	}
	memcpy(h->name, value, n);
	h->name[n] = '\0';
	strcpy(h->addr, addr);
	cfg->n_hosts++;
	return 0;
}

static int apply_key(struct parse_ctx *p, const char *key, const char *value)
{
	struct sca_locate_config *cfg = p->cfg;

	if (!strcmp(key, "static_address"))
		return copy_value(cfg->static_address,
				  sizeof(cfg->static_address), value, p);
	if (!strcmp(key, "fqdn"))
		return copy_value(cfg->fqdn, sizeof(cfg->fqdn), value, p);
	if (!strcmp(key, "domain"))
		return copy_value(cfg->domain, sizeof(cfg->domain), value, p);
	if (!strcmp(key, "dhcp_domain"))
		return copy_value(cfg->dhcp_domain, sizeof(cfg->dhcp_domain),
				  value, p);
	if (!strcmp(key, "dhcpv6_domain")) {
		if (cfg->n_dhcpv6 == SCA_DHCPV6_MAX) {
			snprintf(p->msg, p->msglen,
				 "more than %d dhcpv6_domain suffixes",
				 SCA_DHCPV6_MAX);
			return -1;
		}
		return copy_value(cfg->dhcpv6_domain[cfg->n_dhcpv6++],
				  SCA_NAME_MAX, value, p);
	}
	if (!strcmp(key, "bare_name"))
		return parse_bool(&cfg->bare_name, value, p);
	if (!strcmp(key, "dns"))
		return parse_bool(&cfg->dns, value, p);
	if (!strcmp(key, "port"))
		return parse_port(&cfg->port, value, p);
	if (!strcmp(key, "host"))
		return parse_host(value, p);
	snprintf(p->msg, p->msglen, "unknown key '%s'", key);
	return -1;
}

static int sca_ini_line(void *user, const char *section, const char *key,
			const char *value)
{
	struct parse_ctx *p = user;

	if (section[0]) {
		snprintf(p->msg, p->msglen, "unexpected section [%s]", section);
		return 0;
	}
	return apply_key(p, key, value) == 0;
}

int sca_locate_parse(const char *text, struct sca_locate_config *cfg, char *err,
		     size_t errlen)
{
	char msg[256] = "syntax error";
	struct parse_ctx p = { cfg, msg, sizeof(msg) };
	int line;

	sca_locate_defaults(cfg);
	line = ini_parse_string(text, sca_ini_line, &p);
	if (line) {
		snprintf(err, errlen, "line %d: %s", line, msg);
		return -1;
	}
	return 0;
}

int sca_locate_load(const char *path, struct sca_locate_config *cfg, char *err,
		    size_t errlen)
{
	char msg[300];
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t cap = 0;
	ssize_t n;
	int ret;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	n = getdelim(&text, &cap, '\0', f);
	fclose(f);
	if (n < 0) {
		free(text);
		text = strdup("");
	}
	if (!text) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	ret = sca_locate_parse(text, cfg, msg, sizeof(msg));
	free(text);
	if (ret)
		snprintf(err, errlen, "%s: %s", path, msg);
	return ret;
}

static void add_name(char names[SCA_CANDIDATES_MAX][SCA_NAME_MAX],
		     unsigned int *n, const char *suffix)
{
	int len;

	if (*n == SCA_CANDIDATES_MAX)
		return;
	if (suffix)
		len = snprintf(names[*n], SCA_NAME_MAX, SCA_HOST_PREFIX ".%s",
			       suffix);
	else
		len = snprintf(names[*n], SCA_NAME_MAX, SCA_HOST_PREFIX);
	/* A name that does not fit is no name at all. */
	if (len < SCA_NAME_MAX)
		(*n)++;
}

unsigned int sca_locate_candidates(const struct sca_locate_config *cfg,
				   char names[SCA_CANDIDATES_MAX][SCA_NAME_MAX])
{
	unsigned int n = 0, i;

	if (cfg->static_address[0]) {
		strcpy(names[n++], cfg->static_address);
		return n;
	}
	if (cfg->fqdn[0]) {
		strcpy(names[n++], cfg->fqdn);
		return n;
	}
	if (cfg->domain[0])
		add_name(names, &n, cfg->domain);
	if (cfg->dhcp_domain[0])
		add_name(names, &n, cfg->dhcp_domain);
	for (i = 0; i < cfg->n_dhcpv6; i++)
		add_name(names, &n, cfg->dhcpv6_domain[i]);
	if (cfg->bare_name)
		add_name(names, &n, NULL);
	return n;
}

/* getaddrinfo on host (a name or literal) with the port; 0 on success. */
static int lookup(const char *host, int family, uint16_t port,
		  bool numeric_only, struct sockaddr_storage *out,
		  socklen_t *out_len)
{
	struct addrinfo hints = { .ai_family = family,
				  .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_NUMERICSERV };
	struct addrinfo *res;
	char service[8];

	if (numeric_only)
		hints.ai_flags |= AI_NUMERICHOST;
	snprintf(service, sizeof(service), "%u", port);
	if (getaddrinfo(host, service, &hints, &res))
		return -1;
	memcpy(out, res->ai_addr, res->ai_addrlen);
	*out_len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

int sca_locate_resolve(const struct sca_locate_config *cfg, int family,
		       struct sockaddr_storage *out, socklen_t *out_len,
		       char *chosen, char *err, size_t errlen)
{
	char names[SCA_CANDIDATES_MAX][SCA_NAME_MAX];
	unsigned int n = sca_locate_candidates(cfg, names), i, h;
	const char *host;

	if (!n) {
		snprintf(err, errlen,
			 "no static_address, fqdn or domain configured");
		return -1;
	}
	for (i = 0; i < n; i++) {
		host = names[i];
		for (h = 0; h < cfg->n_hosts; h++)
			if (!strcasecmp(cfg->hosts[h].name, names[i]))
				host = cfg->hosts[h].addr;
		if (lookup(host, family, cfg->port,
			   host != names[i] || !cfg->dns, out, out_len) == 0) {
			if (chosen)
				strcpy(chosen, names[i]);
			return 0;
		}
	}
	snprintf(err, errlen, "none of %u candidates resolved (first: %s)", n,
		 names[0]);
	return -1;
}
