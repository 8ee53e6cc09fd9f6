// SPDX-License-Identifier: GPL-2.0-only
/* Configuration keys, parsed with libinih. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <ini.h>

#include "config.h"

static void config_xdp_defaults(struct config_xdp *x);

void config_defaults(struct amtsca_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	strcpy(cfg->backend, "xdp");
	cfg->port = 9971;
	strcpy(cfg->db_path, "/var/lib/amtsca/state.db");
	strcpy(cfg->key_file, "/etc/amtsca/secret.key");
	strcpy(cfg->control_socket, "/run/amtsca/control.sock");
	cfg->device_port = 16993;
	cfg->connect_timeout_ms = 5000;
	config_xdp_defaults(&cfg->xdp);
}

static int set_uint(unsigned int *dst, const char *value, unsigned long max,
		    char *msg, size_t msglen)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(value, &end, 10);
	if (errno || end == value || *end || value[0] == '-' || v == 0 ||
	    v > max) {
		snprintf(msg, msglen, "'%s' is not a number in 1..%lu", value,
			 max);
		return -1;
	}
	*dst = (unsigned int)v;
	return 0;
}

static int set_str(char *dst, size_t len, const char *value, char *msg,
		   size_t msglen)
{
	if (!value[0] || strlen(value) >= len) {
		snprintf(msg, msglen, "value must be 1..%zu characters",
			 len - 1);
		return -1;
	}
	strcpy(dst, value);
	return 0;
}

/* [xdp]: the XDP backend (helper E2). */
static void config_xdp_defaults(struct config_xdp *x)
{
	strcpy(x->mode, "native");
	strcpy(x->pin_path, "/sys/fs/bpf/amtsca");
	x->mss = 1460;
	x->queued_ttl_s = 120;
}

int config_parse_prefix(struct config_prefix *p, const char *text)
{
	char addr[INET6_ADDRSTRLEN], *end;
	const char *slash = strchr(text, '/');
	unsigned long len;
	int i, bytes;

	if (!slash || slash == text || slash - text >= (long)sizeof(addr))
		return -1;
	memcpy(addr, text, slash - text);
	addr[slash - text] = '\0';
	memset(p, 0, sizeof(*p));
	p->family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(p->family, addr, p->addr) != 1)
		return -1;
	bytes = p->family == AF_INET ? 4 : 16;
	errno = 0;
	len = strtoul(slash + 1, &end, 10);
	if (errno || end == slash + 1 || *end || slash[1] == '-' ||
	    len > (unsigned long)bytes * 8)
		return -1;
	p->len = len;
	for (i = 0; i < bytes; i++) {
		int keep = (int)len - i * 8;

		if (keep <= 0)
			p->addr[i] = 0;
		else if (keep < 8)
			p->addr[i] &= 0xff << (8 - keep);
	}
	return 0;
}

/* Comma- or space-separated words into the interface or prefix list. */
static int set_xdp_list(struct config_xdp *x, int prefixes, const char *value,
			char *msg, size_t msglen)
{
	char word[CONFIG_PATH_MAX];
	const char *p = value;
	unsigned int n = 0;
	size_t len;

	while (*p) {
		len = strcspn(p, ", \t");
		if (!len) {
			p++;
			continue;
		}
		if (len >= sizeof(word) ||
		    n == (prefixes ? CONFIG_XDP_MAX_PREFIXES :
				     CONFIG_XDP_MAX_IFACES)) {
			snprintf(msg, msglen, "too many or too long entries");
			return -1;
		}
		memcpy(word, p, len);
		word[len] = '\0';
		if (prefixes && config_parse_prefix(&x->prefixes[n], word)) {
			snprintf(msg, msglen, "'%s' is not ADDR/LEN", word);
			return -1;
		}
		if (!prefixes &&
		    set_str(x->interfaces[n], IF_NAMESIZE, word, msg, msglen))
			return -1;
		n++;
		p += len;
	}
	if (prefixes)
		x->n_prefixes = n;
	else
		x->n_interfaces = n;
	return 0;
}

/* A rate or burst: 0 (no limit) or 1..1000000. */
static int set_xdp_rate(unsigned int *dst, const char *value, char *msg,
			size_t msglen)
{
	if (!strcmp(value, "0")) {
		*dst = 0;
		return 0;
	}
	return set_uint(dst, value, 1000000, msg, msglen);
}

static int config_set_xdp(struct config_xdp *x, const char *key,
			  const char *value, char *msg, size_t msglen)
{
	if (!strcmp(key, "interfaces"))
		return set_xdp_list(x, 0, value, msg, msglen);
	if (!strcmp(key, "allowed_prefixes"))
		return set_xdp_list(x, 1, value, msg, msglen);
	if (!strcmp(key, "mode")) {
		if (strcmp(value, "native") && strcmp(value, "generic") &&
		    strcmp(value, "auto")) {
			snprintf(
				msg, msglen,
				"mode must be native, generic or auto, not '%s'",
				value);
			return -1;
		}
		return set_str(x->mode, sizeof(x->mode), value, msg, msglen);
	}
	if (!strcmp(key, "pin_path"))
		return set_str(x->pin_path, sizeof(x->pin_path), value, msg,
			       msglen);
	if (!strcmp(key, "mss"))
		return set_uint(&x->mss, value, 65535, msg, msglen);
	if (!strcmp(key, "queued_ttl_s"))
		return set_uint(&x->queued_ttl_s, value, 86400, msg, msglen);
	if (!strcmp(key, "syn_rate"))
		return set_xdp_rate(&x->syn_rate, value, msg, msglen);
	if (!strcmp(key, "syn_burst"))
		return set_xdp_rate(&x->syn_burst, value, msg, msglen);
	if (!strcmp(key, "data_rate"))
		return set_xdp_rate(&x->data_rate, value, msg, msglen);
	if (!strcmp(key, "data_burst"))
		return set_xdp_rate(&x->data_burst, value, msg, msglen);
	if (!strcmp(key, "type3_sha512")) {
		if (strcmp(value, "0") && strcmp(value, "1")) {
			snprintf(msg, msglen, "type3_sha512 must be 0 or 1");
			return -1;
		}
		x->type3_sha512 = value[0] == '1';
		return 0;
	}
	snprintf(msg, msglen, "unknown key xdp.%s", key);
	return -1;
}

/* Set one key; msg gets a reason on failure. */
static int config_set(struct amtsca_config *cfg, const char *section,
		      const char *key, const char *value, char *msg,
		      size_t msglen)
{
	if (!strcmp(section, "daemon")) {
		if (!strcmp(key, "backend")) {
			if (strcmp(value, "xdp") && strcmp(value, "kmod")) {
				snprintf(
					msg, msglen,
					"backend must be xdp or kmod, not '%s'",
					value);
				return -1;
			}
			return set_str(cfg->backend, sizeof(cfg->backend),
				       value, msg, msglen);
		}
		if (!strcmp(key, "port"))
			return set_uint(&cfg->port, value, 65535, msg, msglen);
		if (!strcmp(key, "db_path"))
			return set_str(cfg->db_path, sizeof(cfg->db_path),
				       value, msg, msglen);
		if (!strcmp(key, "key_file"))
			return set_str(cfg->key_file, sizeof(cfg->key_file),
				       value, msg, msglen);
		if (!strcmp(key, "control_socket"))
			return set_str(cfg->control_socket,
				       sizeof(cfg->control_socket), value, msg,
				       msglen);
	} else if (!strcmp(section, "session")) {
		if (!strcmp(key, "device_port"))
			return set_uint(&cfg->device_port, value, 65535, msg,
					msglen);
		if (!strcmp(key, "connect_timeout_ms"))
			return set_uint(&cfg->connect_timeout_ms, value, 600000,
					msg, msglen);
	} else if (!strcmp(section, "xdp")) {
		return config_set_xdp(&cfg->xdp, key, value, msg, msglen);
	}
	snprintf(msg, msglen, "unknown key %s.%s", section, key);
	return -1;
}

struct load_ctx {
	struct amtsca_config *cfg;
	char msg[192];
};

static int on_key(void *user, const char *section, const char *name,
		       const char *value)
{
	struct load_ctx *ctx = user;

	if (ctx->msg[0])
		return 1;
	return config_set(ctx->cfg, section, name, value, ctx->msg,
			  sizeof(ctx->msg)) == 0;
}

int config_load(struct amtsca_config *cfg, const char *path, char *err,
		size_t errlen)
{
	struct load_ctx ctx = { .cfg = cfg };
	int r = ini_parse(path, on_key, &ctx);

	if (r == 0)
		return 0;
	if (r < 0)
		snprintf(err, errlen, "%s: cannot read: %s", path,
			 strerror(errno));
	else
		snprintf(err, errlen, "%s:%d: %s", path, r,
			 ctx.msg[0] ? ctx.msg : "syntax error");
	return -1;
}

int config_override(struct amtsca_config *cfg, const char *assignment,
		    char *err, size_t errlen)
{
	const char *dot = strchr(assignment, '.');
	const char *eq = strchr(assignment, '=');
	char section[32], key[64], msg[192];

	if (!dot || !eq || dot > eq ||
	    dot - assignment >= (long)sizeof(section) ||
	    eq - dot - 1 >= (long)sizeof(key)) {
		snprintf(err, errlen,
			 "override '%s': expected section.key=value",
			 assignment);
		return -1;
	}
	snprintf(section, sizeof(section), "%.*s", (int)(dot - assignment),
		 assignment);
	snprintf(key, sizeof(key), "%.*s", (int)(eq - dot - 1), dot + 1);
	if (config_set(cfg, section, key, eq + 1, msg, sizeof(msg))) {
		snprintf(err, errlen, "override '%s': %s", assignment, msg);
		return -1;
	}
	return 0;
}
