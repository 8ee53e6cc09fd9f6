/* SPDX-License-Identifier: GPL-2.0-only */
/* /etc/amtsca/amtsca.conf: INI file plus section.key=value overrides. */
#ifndef AMTSCA_CONFIG_H
#define AMTSCA_CONFIG_H

#include <net/if.h>
#include <stddef.h>
#include <stdint.h>

#define CONFIG_PATH_MAX 256

/* [xdp]: the XDP backend (userspace/lib/xdp_backend.c). */
#define CONFIG_XDP_MAX_IFACES 16
#define CONFIG_XDP_MAX_PREFIXES 64

struct config_prefix {
	int family; /* AF_INET or AF_INET6 */
	uint8_t addr[16]; /* network order; host bits cleared */
	uint8_t len;
};

struct config_xdp {
	char interfaces[CONFIG_XDP_MAX_IFACES][IF_NAMESIZE];
	unsigned int n_interfaces;
	char mode[8]; /* native | generic | auto */
	char pin_path[CONFIG_PATH_MAX];
	unsigned int mss;
	unsigned int window; /* TCP window of the program's replies */
	unsigned int queued_ttl_s; /* device-state QUEUED expiry */
	/* per-source token buckets, per second and depth; rate 0: no limit */
	unsigned int syn_rate, syn_burst, data_rate, data_burst;
	struct config_prefix prefixes[CONFIG_XDP_MAX_PREFIXES];
	unsigned int n_prefixes; /* 0: every source allowed */
	/* ring fix (helper H): size of the ring amtsca_events in KiB */
	unsigned int ring_kib; /* a power of two, 16 .. 1048576 */
	/* pinned XDP program that gets what ours passes; "": none */
	char next_prog[CONFIG_PATH_MAX];
};

/* [hello]: the Hello rules every backend's validator applies. */
struct config_hello {
	unsigned int type3_sha512; /* 0 or 1: AMT_HELLO_F_TYPE3_SHA512 */
	/* hello.pid_chars=printable: AMT_HELLO_F_PID_PRINTABLE */
	unsigned int pid_printable;
};

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
	char security_capabilities[128]; /* "none", or e.g. "net_admin,bpf" */
	char security_seccomp[16]; /* kill, errno, log or off */

	/* [metrics], [doctor]: operations (issue 9, packaging/metrics/doctor) */
	char metrics_listen[64]; /* "ADDRESS:PORT" or "off" */
	char doctor_dns_suffixes[CONFIG_PATH_MAX]; /* comma-separated */

	/* amtscad provisioning sessions ([session] and [profile], helper C). */
	unsigned int workers; /* 0 = one per online CPU */
	unsigned int max_inflight; /* sessions in flight, all workers */
	unsigned int tls_timeout_ms; /* TLS handshake */
	unsigned int request_timeout_ms; /* one WS-Man request/response */
	unsigned int session_timeout_ms; /* a whole attempt */
	unsigned int retries; /* extra attempts after a transient failure */
	unsigned int backoff_ms; /* first retry delay, doubled each time */
	unsigned int drain_timeout_ms; /* SIGTERM: wait for sessions */
	unsigned int max_clock_drift_s;
	unsigned int state_expiry_s; /* device-state map entry lifetime */
	unsigned int failed_hold_s; /* Hellos of a failed device ignored */
	char psk_key_derivation[8]; /* ascii | sha256 */
	char psk_ciphers[CONFIG_PATH_MAX];
	char psk_min_tls[8], psk_max_tls[8]; /* 1.0 | 1.1 | 1.2 */
	char pki_ciphers[CONFIG_PATH_MAX];
	char pki_digest_password[64];
	char default_mebx_password[64];
	char acl_digest_encoding[8]; /* base64 | hex */
	int rotate_psk; /* 1 = SetTLSPSK with a fresh pair */
	char hostname_prefix[64];
	char domain[192];
	char certs_dir[CONFIG_PATH_MAX];

	/* Control socket (amtscactl, helper D). */
	char control_group[64]; /* socket group; "" = the daemon's */
	struct config_xdp xdp; /* [xdp] */
	struct config_hello hello; /* [hello] */
};

void config_defaults(struct amtsca_config *cfg);
/* Parse path over cfg; on error err holds "FILE:LINE: message", returns -1. */
int config_load(struct amtsca_config *cfg, const char *path, char *err,
		size_t errlen);
/* Apply one "section.key=value" override. */
int config_override(struct amtsca_config *cfg, const char *assignment,
		    char *err, size_t errlen);
/* The amt_hello_validate() flags (AMT_HELLO_F_*) that [hello] asks for. */
unsigned int config_hello_flags(const struct amtsca_config *cfg);
/* [xdp]: parse "ADDR/LEN" (IPv4 or IPv6), host bits cleared; 0 or -1. */
int config_parse_prefix(struct config_prefix *p, const char *text);

#endif
