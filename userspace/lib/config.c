// SPDX-License-Identifier: GPL-2.0-only
/* Configuration keys, parsed with libinih. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "config.h"

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
	/* [security] */
	strcpy(cfg->security_user, "amtsca");
	strcpy(cfg->security_group, "amtsca");
	strcpy(cfg->security_capabilities, "bpf,net_admin");
	strcpy(cfg->security_seccomp, "kill");
	/* [metrics], [doctor]: operations */
	strcpy(cfg->metrics_listen, "127.0.0.1:9979");
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

/* [security] keys; values are checked again where they are applied. */
static int config_set_security(struct amtsca_config *cfg, const char *key,
			       const char *value, char *msg, size_t msglen)
{
	if (!strcmp(key, "user"))
		return set_str(cfg->security_user, sizeof(cfg->security_user),
			       value, msg, msglen);
	if (!strcmp(key, "group"))
		return set_str(cfg->security_group, sizeof(cfg->security_group),
			       value, msg, msglen);
	if (!strcmp(key, "capabilities"))
		return set_str(cfg->security_capabilities,
			       sizeof(cfg->security_capabilities), value, msg,
			       msglen);
	if (!strcmp(key, "seccomp")) {
		if (strcmp(value, "kill") && strcmp(value, "errno") &&
		    strcmp(value, "log") && strcmp(value, "off")) {
			snprintf(
				msg, msglen,
				"seccomp must be kill, errno, log or off, not '%s'",
				value);
			return -1;
		}
		return set_str(cfg->security_seccomp,
			       sizeof(cfg->security_seccomp), value, msg,
			       msglen);
	}
	snprintf(msg, msglen, "unknown key security.%s", key);
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
	} else if (!strcmp(section, "security")) {
		return config_set_security(cfg, key, value, msg, msglen);
	}
	/* [metrics], [doctor]: operations */
	if (!strcmp(section, "metrics") && !strcmp(key, "listen"))
		return set_str(cfg->metrics_listen, sizeof(cfg->metrics_listen),
			       value, msg, msglen);
	if (!strcmp(section, "doctor") && !strcmp(key, "dns_suffixes"))
		return set_str(cfg->doctor_dns_suffixes,
			       sizeof(cfg->doctor_dns_suffixes), value, msg,
			       msglen);
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
