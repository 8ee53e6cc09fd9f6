// SPDX-License-Identifier: GPL-2.0-only
/* Configuration keys, parsed with libinih. */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <ini.h>

#include "amtsca/hello.h"
#include "config.h"

static void config_session_defaults(struct amtsca_config *cfg);
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
	/* [security] */
	strcpy(cfg->security_user, "amtsca");
	strcpy(cfg->security_group, "amtsca");
	strcpy(cfg->security_capabilities, "none");
	strcpy(cfg->security_seccomp, "kill");
	/* [metrics], [doctor]: operations */
	strcpy(cfg->metrics_listen, "127.0.0.1:9979");
	config_session_defaults(cfg);
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

/* amtscad sessions and the provisioning profile (helper C). */
static void config_session_defaults(struct amtsca_config *cfg)
{
	cfg->workers = 0;
	cfg->max_inflight = 256;
	cfg->tls_timeout_ms = 5000;
	cfg->request_timeout_ms = 10000;
	cfg->session_timeout_ms = 60000;
	cfg->retries = 2;
	cfg->backoff_ms = 1000;
	cfg->drain_timeout_ms = 10000;
	cfg->max_clock_drift_s = 10;
	cfg->state_expiry_s = 300;
	cfg->failed_hold_s = 60;
	strcpy(cfg->psk_key_derivation, "ascii");
	strcpy(cfg->psk_ciphers, "PSK-AES128-CBC-SHA:PSK-AES256-CBC-SHA");
	strcpy(cfg->psk_min_tls, "1.0");
	strcpy(cfg->psk_max_tls, "1.2");
	strcpy(cfg->pki_ciphers, "DEFAULT");
	strcpy(cfg->pki_digest_password, "admin");
	strcpy(cfg->default_mebx_password, "admin");
	strcpy(cfg->acl_digest_encoding, "base64");
	cfg->rotate_psk = 1;
	strcpy(cfg->hostname_prefix, "amt-");
	strcpy(cfg->domain, "amt.test");
	strcpy(cfg->certs_dir, "/etc/amtsca/certs");
}

/* A count where 0 is meaningful (workers = 0, retries = 0). */
static int set_count(unsigned int *dst, const char *value, unsigned long max,
		     char *msg, size_t msglen)
{
	if (!strcmp(value, "0")) {
		*dst = 0;
		return 0;
	}
	if (set_uint(dst, value, max, msg, msglen)) {
		snprintf(msg, msglen, "'%s' is not a number in 0..%lu", value,
			 max);
		return -1;
	}
	return 0;
}

/* value must be one of the |-separated words in choices. */
static int set_choice(char *dst, size_t len, const char *value,
		      const char *choices, char *msg, size_t msglen)
{
	size_t n = strlen(value);
	const char *p = choices;

	while (n && p) {
		if (!strncmp(p, value, n) && (p[n] == '|' || !p[n]))
			return set_str(dst, len, value, msg, msglen);
		p = strchr(p, '|');
		p = p ? p + 1 : NULL;
	}
	snprintf(msg, msglen, "must be one of %s, not '%s'", choices, value);
	return -1;
}

struct uint_key {
	const char *name;
	size_t offset;
	unsigned long max;
	int zero_ok;
};

#define UINT_KEY(field, max, zero_ok) \
	{ #field, offsetof(struct amtsca_config, field), max, zero_ok }

static const struct uint_key session_uint_keys[] = {
	UINT_KEY(workers, 256, 1),
	UINT_KEY(max_inflight, 100000, 0),
	UINT_KEY(tls_timeout_ms, 600000, 0),
	UINT_KEY(request_timeout_ms, 600000, 0),
	UINT_KEY(session_timeout_ms, 3600000, 0),
	UINT_KEY(retries, 100, 1),
	UINT_KEY(backoff_ms, 600000, 1),
	UINT_KEY(drain_timeout_ms, 600000, 1),
	UINT_KEY(max_clock_drift_s, 86400, 1),
	UINT_KEY(state_expiry_s, 86400, 1),
	UINT_KEY(failed_hold_s, 86400, 1),
};

static int config_set_session(struct amtsca_config *cfg, const char *key,
			      const char *value, char *msg, size_t msglen)
{
	size_t i;

	for (i = 0; i < sizeof(session_uint_keys) / sizeof(session_uint_keys[0]);
	     i++) {
		const struct uint_key *k = &session_uint_keys[i];
		unsigned int *dst = (unsigned int *)((char *)cfg + k->offset);

		if (strcmp(key, k->name))
			continue;
		return k->zero_ok ? set_count(dst, value, k->max, msg, msglen) :
				    set_uint(dst, value, k->max, msg, msglen);
	}
	if (!strcmp(key, "psk_key_derivation"))
		return set_choice(cfg->psk_key_derivation,
				  sizeof(cfg->psk_key_derivation), value,
				  "ascii|sha256", msg, msglen);
	if (!strcmp(key, "psk_ciphers"))
		return set_str(cfg->psk_ciphers, sizeof(cfg->psk_ciphers),
			       value, msg, msglen);
	if (!strcmp(key, "psk_min_tls"))
		return set_choice(cfg->psk_min_tls, sizeof(cfg->psk_min_tls),
				  value, "1.0|1.1|1.2", msg, msglen);
	if (!strcmp(key, "psk_max_tls"))
		return set_choice(cfg->psk_max_tls, sizeof(cfg->psk_max_tls),
				  value, "1.0|1.1|1.2", msg, msglen);
	if (!strcmp(key, "pki_ciphers"))
		return set_str(cfg->pki_ciphers, sizeof(cfg->pki_ciphers),
			       value, msg, msglen);
	if (!strcmp(key, "pki_digest_password"))
		return set_str(cfg->pki_digest_password,
			       sizeof(cfg->pki_digest_password), value, msg,
			       msglen);
	if (!strcmp(key, "default_mebx_password"))
		return set_str(cfg->default_mebx_password,
			       sizeof(cfg->default_mebx_password), value, msg,
			       msglen);
	if (!strcmp(key, "acl_digest_encoding"))
		return set_choice(cfg->acl_digest_encoding,
				  sizeof(cfg->acl_digest_encoding), value,
				  "base64|hex", msg, msglen);
	if (!strcmp(key, "rotate_psk")) {
		char word[4];

		if (set_choice(word, sizeof(word), value, "yes|no", msg,
			       msglen))
			return -1;
		cfg->rotate_psk = !strcmp(word, "yes");
		return 0;
	}
	snprintf(msg, msglen, "unknown key session.%s", key);
	return -1;
}

static int config_set_profile(struct amtsca_config *cfg, const char *key,
			      const char *value, char *msg, size_t msglen)
{
	if (!strcmp(key, "hostname_prefix"))
		return set_str(cfg->hostname_prefix,
			       sizeof(cfg->hostname_prefix), value, msg,
			       msglen);
	if (!strcmp(key, "domain"))
		return set_str(cfg->domain, sizeof(cfg->domain), value, msg,
			       msglen);
	if (!strcmp(key, "certs_dir"))
		return set_str(cfg->certs_dir, sizeof(cfg->certs_dir), value,
			       msg, msglen);
	snprintf(msg, msglen, "unknown key profile.%s", key);
	return -1;
}

/* [xdp]: the XDP backend (helper E2). */
static void config_xdp_defaults(struct config_xdp *x)
{
	strcpy(x->mode, "native");
	strcpy(x->pin_path, "/sys/fs/bpf/amtsca");
	x->mss = 1460;
	x->window = 64240;
	x->queued_ttl_s = 120;
	/* ring fix (helper H): about 970 records of 4.3 KB */
	x->ring_kib = 4096;
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
	if (!strcmp(key, "next_prog")) {
		if (value[0] && value[0] != '/') {
			snprintf(
				msg, msglen,
				"next_prog must be an absolute bpffs path or empty, not '%s'",
				value);
			return -1;
		}
		/* Empty turns chaining off again. */
		x->next_prog[0] = '\0';
		return value[0] ? set_str(x->next_prog, sizeof(x->next_prog),
					  value, msg, msglen) :
				  0;
	}
	if (!strcmp(key, "mss"))
		return set_uint(&x->mss, value, 65535, msg, msglen);
	if (!strcmp(key, "window")) {
		if (set_uint(&x->window, value, 65535, msg, msglen))
			return -1;
		if (!x->window) {
			snprintf(msg, msglen, "window must be 1..65535");
			return -1;
		}
		return 0;
	}
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
	if (!strcmp(key, "ring_kib")) {
		if (set_uint(&x->ring_kib, value, 1048576, msg, msglen))
			return -1;
		if (x->ring_kib < 16 || (x->ring_kib & (x->ring_kib - 1))) {
			snprintf(
				msg, msglen,
				"ring_kib must be a power of two from 16 to 1048576, not %s",
				value);
			return -1;
		}
		return 0;
	}
	snprintf(msg, msglen, "unknown key xdp.%s", key);
	return -1;
}


/* [hello]: the validator's rules on the [U] points of the Hello. */
static int config_set_hello(struct config_hello *h, const char *key,
			    const char *value, char *msg, size_t msglen)
{
	if (!strcmp(key, "type3_sha512")) {
		if (strcmp(value, "0") && strcmp(value, "1")) {
			snprintf(msg, msglen, "type3_sha512 must be 0 or 1");
			return -1;
		}
		h->type3_sha512 = value[0] == '1';
		return 0;
	}
	if (!strcmp(key, "pid_chars")) {
		if (strcmp(value, "alnum") && strcmp(value, "printable")) {
			snprintf(msg, msglen,
				 "pid_chars must be alnum or printable, not '%s'",
				 value);
			return -1;
		}
		h->pid_printable = value[0] == 'p';
		return 0;
	}
	snprintf(msg, msglen, "unknown key hello.%s", key);
	return -1;
}

unsigned int config_hello_flags(const struct amtsca_config *cfg)
{
	return (cfg->hello.type3_sha512 ? AMT_HELLO_F_TYPE3_SHA512 : 0) |
	       (cfg->hello.pid_printable ? AMT_HELLO_F_PID_PRINTABLE : 0);
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
		/* Control socket (helper D): "" keeps the daemon's group. */
		if (!strcmp(key, "control_group"))
			return set_str(cfg->control_group,
				       sizeof(cfg->control_group), value, msg,
				       msglen);
	} else if (!strcmp(section, "session")) {
		if (!strcmp(key, "device_port"))
			return set_uint(&cfg->device_port, value, 65535, msg,
					msglen);
		if (!strcmp(key, "connect_timeout_ms"))
			return set_uint(&cfg->connect_timeout_ms, value, 600000,
					msg, msglen);
		return config_set_session(cfg, key, value, msg, msglen);
	} else if (!strcmp(section, "profile")) {
		return config_set_profile(cfg, key, value, msg, msglen);
	} else if (!strcmp(section, "security")) {
		return config_set_security(cfg, key, value, msg, msglen);
	} else if (!strcmp(section, "xdp")) {
		return config_set_xdp(&cfg->xdp, key, value, msg, msglen);
	} else if (!strcmp(section, "hello")) {
		return config_set_hello(&cfg->hello, key, value, msg, msglen);
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

/*
 * inih reads a line into a buffer of INI_MAX_LINE bytes and parses the
 * rest of a longer one as the next line, which then fails with a
 * misleading "syntax error". This reader counts lines and stops at the
 * first that does not fit, so the error can say so.
 */
struct line_reader {
	FILE *f;
	int line;
	bool too_long;
};

static char *read_line(char *str, int num, void *stream)
{
	struct line_reader *lr = stream;
	size_t n;

	if (!fgets(str, num, lr->f))
		return NULL;
	lr->line++;
	n = strlen(str);
	if (n + 1 == (size_t)num && str[n - 1] != '\n' && !feof(lr->f)) {
		lr->too_long = true;
		return NULL;
	}
	return str;
}

int config_load(struct amtsca_config *cfg, const char *path, char *err,
		size_t errlen)
{
	struct load_ctx ctx = { .cfg = cfg };
	struct line_reader lr = { .f = fopen(path, "r") };
	int r;

	if (!lr.f) {
		snprintf(err, errlen, "%s: cannot read: %s", path,
			 strerror(errno));
		return -1;
	}
	r = ini_parse_stream(read_line, &lr, on_key, &ctx);
	fclose(lr.f);
	if (r == 0 && !lr.too_long)
		return 0;
	if (r > 0)
		snprintf(err, errlen, "%s:%d: %s", path, r,
			 ctx.msg[0] ? ctx.msg : "syntax error");
	else if (lr.too_long)
		snprintf(err, errlen, "%s:%d: line longer than %d characters",
			 path, lr.line, INI_MAX_LINE - 2);
	else
		snprintf(err, errlen, "%s: cannot read", path);
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
