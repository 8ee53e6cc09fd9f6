/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The simulated AMT device's provisioning state and WS-Management
 * behaviour, without any I/O: amtsim hands each authenticated /wsman
 * request body to device_model_handle() and sends back the reply and HTTP
 * status it gets. Implements every call of CONTRACT-provisioning.md:
 *
 *   Get/Put AMT_GeneralSettings, Get AMT_SetupAndConfigurationService,
 *   AMT_TimeSynchronizationService GetLowAccuracyTimeSynch /
 *   SetHighAccuracyTimeSynch, AMT_SetupAndConfigurationService
 *   SetMEBxPassword / SetTLSPSK / CommitChanges,
 *   AMT_AuthorizationService SetAdminAclEntryEx.
 *
 * Changes from Put, SetMEBxPassword, SetAdminAclEntryEx and SetTLSPSK are
 * pending until CommitChanges applies them all; time applies at once.
 * device_model_json() prints one device object of the state JSON.
 */
#ifndef AMTSCA_DEVICE_MODEL_H
#define AMTSCA_DEVICE_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "wsman.h"

enum amt_device_mode {
	AMT_DEVICE_PSK,
	AMT_DEVICE_PKI,
};

/* Accepted encodings of SetAdminAclEntryEx DigestPassword (bit mask). */
#define AMT_DIGEST_ENC_BASE64 0x1 /* base64 of the 16 raw MD5 bytes */
#define AMT_DIGEST_ENC_HEX 0x2 /* 32 hex digits */

#define AMT_UUID_LEN 36
#define AMT_REALM_LEN 39 /* "Digest:" + 32 uppercase hex */
#define AMT_PID_LEN 8
#define AMT_PPS_LEN 32
#define AMT_PASSWORD_MIN 8
#define AMT_PASSWORD_MAX 32
#define AMT_HOST_NAME_MAX 63
#define AMT_DOMAIN_NAME_MAX 191
#define AMT_MODEL_MAX_FAILURES 16 /* distinct failure reasons counted */
#define AMT_FAILURE_REASON_MAX 32

/* What amtsim knows about a device before it runs (from --seed etc.). */
struct amt_device_identity {
	const char *uuid; /* 36 chars */
	const char *address; /* the device's IP as text, may be NULL */
	enum amt_device_mode mode;
	const char *realm; /* "Digest:" + 32 uppercase hex */
	const char *mebx_password; /* PSK setup-session Digest password */
	const char *pid; /* 8 [A-Z0-9] (PSK), may be NULL for PKI */
	const char *pps; /* 32 [A-Z0-9] (PSK), may be NULL for PKI */
	const char *hostname; /* initial HostName, may be NULL ("") */
	const char *domain; /* initial DomainName, may be NULL ("") */
};

struct amt_failure_count {
	char reason[AMT_FAILURE_REASON_MAX];
	unsigned int count;
};

struct amt_device_model {
	/* Identity. */
	char uuid[AMT_UUID_LEN + 1];
	char address[64];
	enum amt_device_mode mode;
	char realm[AMT_REALM_LEN + 1];
	char pid[AMT_PID_LEN + 1]; /* as first given */
	char pps[AMT_PPS_LEN + 1];

	/* Knobs ([U] choices, docs/protocol-choices.md); set by init. */
	unsigned int digest_encodings; /* AMT_DIGEST_ENC_*, default both */
	/* ReturnValue of setup-only calls after commit: 0x20 (default) or
	 * 0x10 NOT_PERMITTED. */
	uint32_t post_commit_status;
	/* Drop pending changes when a new session starts (default false:
	 * they survive a reconnect until CommitChanges or a reboot). */
	bool pending_per_session;

	/* Applied state. */
	int provisioning_state; /* enum amt_provisioning_state, default IN */
	char mebx_password[AMT_PASSWORD_MAX + 1]; /* current MEBx password */
	bool mebx_password_changed; /* set by SetMEBxPassword + commit */
	bool admin_set;
	char admin_digest_hex[33]; /* lowercase MD5(admin:realm:pw) */
	bool psk_rotated;
	char new_pid[AMT_PID_LEN + 1];
	char new_pps[AMT_PPS_LEN + 1];
	/* AMT_GeneralSettings is built from these (its other properties are
	 * fixed), so a device costs about 1.5 KiB in large fleets. */
	char hostname[AMT_HOST_NAME_MAX + 1];
	char domain[AMT_DOMAIN_NAME_MAX + 1];
	long long clock_offset_s; /* device clock = host clock + offset */

	/* Pending until CommitChanges. */
	struct {
		bool general;
		char hostname[AMT_HOST_NAME_MAX + 1];
		char domain[AMT_DOMAIN_NAME_MAX + 1];
		bool mebx;
		char mebx_password[AMT_PASSWORD_MAX + 1];
		bool admin;
		char admin_digest_hex[33];
		bool psk;
		char pid[AMT_PID_LEN + 1];
		char pps[AMT_PPS_LEN + 1];
	} pending;

	/* Time synchronisation: Ta0 last returned, 0 = none yet. */
	long long last_ta0;

	/* Counters (amtsim also counts hellos/sessions/failures here). */
	uint64_t message_counter; /* response MessageIDs */
	unsigned int hellos_sent;
	unsigned int sessions;
	unsigned int nfailures;
	struct amt_failure_count failures[AMT_MODEL_MAX_FAILURES];
};

/*
 * Fill m from id with the knobs at their defaults. Returns 0, or -1 when a
 * field is malformed (uuid length, realm form, PID/PPS form in PSK mode,
 * host/domain too long, MEBx password over 32 chars).
 */
int device_model_init(struct amt_device_model *m,
		      const struct amt_device_identity *id);

/*
 * Handle one request body (the bytes of a POST /wsman) at host time now.
 * The reply envelope goes into reply (replaced) and the HTTP status into
 * *http_status: 200 with a response, 500 with a SOAP fault (unknown
 * class/method/action, bad selectors, bad Put, malformed WS-Man headers),
 * or 400 with an empty reply when the bytes are not a SOAP envelope at all
 * (not XML, too large, DTD, too deep). Returns 0, or a negative
 * WSMAN_ERR_NOMEM when the reply could not be built.
 */
int device_model_handle(struct amt_device_model *m, const char *xml, size_t len,
			time_t now, struct wsman_buf *reply, int *http_status);

/*
 * Set one knob from text, for a command-line flag: "acl_digest_encoding"
 * = base64 | hex | both, "post_commit_status" = 0x20 | 32 | 0x10 | 16,
 * "pending_per_session" = yes | no. Returns 0, or -1 for an unknown name
 * or value (m unchanged).
 */
int device_model_set_knob(struct amt_device_model *m, const char *name,
			  const char *value);

/* A new TLS session began (counts it; drops pending changes if
 * pending_per_session). */
void device_model_session_start(struct amt_device_model *m);

/* Reboot before commit: pending changes and the time-sync Ta0 are lost. */
void device_model_reboot(struct amt_device_model *m);

/* Count one failure under reason (a short snake_case word). */
void device_model_note_failure(struct amt_device_model *m, const char *reason);

/* Current HostName / DomainName (applied values). */
const char *device_model_hostname(const struct amt_device_model *m);
const char *device_model_domain(const struct amt_device_model *m);

/*
 * The Digest password of the admin user for the next session: the setup
 * password before commit (PSK: the MEBx password; PKI: pki_password), NULL
 * after commit (then verify against admin_digest_hex, the stored HA1).
 */
const char *device_model_setup_password(const struct amt_device_model *m,
					const char *pki_password);

/*
 * Print one device object of the contract's state JSON to out (no newline):
 * {"uuid":...,"address":...,"mode":"psk|pki","provisioning_state":N,
 *  "hostname":...,"domain":...,"admin_digest_md5_hex":...|null,"realm":...,
 *  "mebx_password_set":...|null,"pid":...,"new_pid":...|null,
 *  "new_pps":...|null,"clock_offset_s":N,"hellos_sent":N,"sessions":N,
 *  "failures":{...}}. Returns 0 or -1 on a write error.
 */
int device_model_json(const struct amt_device_model *m, FILE *out);

#endif /* AMTSCA_DEVICE_MODEL_H */
