/* SPDX-License-Identifier: GPL-2.0-only */
/* amtsim command line. */
#ifndef AMTSIM_OPTIONS_H
#define AMTSIM_OPTIONS_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "hello_schedule.h"

#define SIM_MAX_TRUSTED_ROOTS 8
#define SIM_MAX_MODEL_KNOBS 8
#define SIM_MAX_WORKERS 64

enum sim_mode { SIM_MODE_PSK, SIM_MODE_PKI, SIM_MODE_MIXED };
enum sim_psk_key { SIM_PSK_KEY_ASCII, SIM_PSK_KEY_SHA256 };

/* Fault rates, each 0..1: the share of events that misbehave. */
struct sim_faults {
	double drop; /* a Hello is not sent */
	double stall; /* an accepted connection is never answered */
	double reset; /* a request is answered with a TCP reset */
	double garbage_hello; /* random bytes are sent instead of a Hello */
	double dup_hello; /* a Hello is sent twice */
	double reboot; /* CommitChanges reboots into Setup Mode instead */
	double clock; /* the device clock starts hours off */
};

struct sim_options {
	uint32_t devices;
	uint64_t seed;
	enum sim_mode mode;
	const char *sca; /* ADDR[:PORT], or NULL with resolver_config */
	const char *resolver_config;
	struct in_addr addr_base;
	bool has_addr6;
	struct in6_addr addr6_base;
	const char *add_addrs_ifname;
	const char *add_route_ifname;
	uint16_t listen_port;
	double time_scale;
	struct hello_schedule schedule;
	double window_hours; /* provisioning window from the first Hello */
	double hello_spread_s; /* first Hellos spread evenly over this */
	uint32_t retry_max; /* the Hello retry count saturates here */
	uint16_t admin_flag; /* Hello "admin credentials set" field */
	const char *domain;
	const char *trusted_roots[SIM_MAX_TRUSTED_ROOTS];
	unsigned int n_trusted_roots;
	enum sim_psk_key psk_key;
	const char *psk_ciphers;
	int psk_min_tls; /* TLS1_VERSION ... */
	const char *pki_digest_password;
	const char *model_knobs[SIM_MAX_MODEL_KNOBS]; /* NAME=VALUE */
	unsigned int n_model_knobs;
	const char *creds_out;
	bool creds_only;
	const char *state_out;
	double duration_s; /* stop after this many real seconds; 0 = none */
	double linger_s; /* keep serving after every device is done */
	double nonce_lifetime_s; /* Digest nonce validity (real seconds) */
	double idle_timeout_s; /* close a silent connection (real seconds) */
	bool verbose;
	unsigned int workers; /* processes the fleet is split into */
	struct sim_faults faults;
};

/* Fill o from argv; on a bad argument print one line and return -1. */
int sim_options_parse(int argc, char **argv, struct sim_options *o);

#endif /* AMTSIM_OPTIONS_H */
