/* SPDX-License-Identifier: GPL-2.0-only */
/* /etc/amtsca/amtsca.conf: INI file plus section.key=value overrides. */
#ifndef AMTSCA_CONFIG_H
#define AMTSCA_CONFIG_H

#include <stddef.h>

#define CONFIG_PATH_MAX 256

struct amtsca_config {
	char backend[16];
	unsigned int port;
	char db_path[CONFIG_PATH_MAX];
	char key_file[CONFIG_PATH_MAX];
	char control_socket[CONFIG_PATH_MAX];
	unsigned int device_port;
	unsigned int connect_timeout_ms;
	/* [security]: privilege drop and seccomp (privdrop.c, sandbox.c). */
	char security_user[64];
	char security_group[64];
	char security_capabilities[128]; /* "bpf,net_admin", or "none" */
	char security_seccomp[16]; /* kill, errno, log or off */

	/* [metrics], [doctor]: operations (issue 9, packaging/metrics/doctor) */
	char metrics_listen[64]; /* "ADDRESS:PORT" or "off" */
	char doctor_dns_suffixes[CONFIG_PATH_MAX]; /* comma-separated */
};

void config_defaults(struct amtsca_config *cfg);
/* Parse path over cfg; on error err holds "FILE:LINE: message", returns -1. */
int config_load(struct amtsca_config *cfg, const char *path, char *err,
		size_t errlen);
/* Apply one "section.key=value" override. */
int config_override(struct amtsca_config *cfg, const char *assignment,
		    char *err, size_t errlen);

#endif
