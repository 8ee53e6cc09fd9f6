/* SPDX-License-Identifier: GPL-2.0-only */
/* Session internals shared by session.c (transport) and session_steps.c. */
#ifndef AMTSCAD_SESSION_INT_H
#define AMTSCAD_SESSION_INT_H

#include "http_digest.h"
#include "http_msg.h"
#include "session.h"
#include "wsman.h"

enum session_step {
	STEP_GET_GENERAL,
	STEP_GET_SETUP,
	STEP_GET_TIME,
	STEP_SET_TIME,
	STEP_PUT_GENERAL,
	STEP_SET_MEBX,
	STEP_SET_ACL,
	STEP_SET_PSK,
	STEP_COMMIT,
	STEP_COUNT,
};

enum session_phase {
	PH_BACKOFF, /* waiting to start the next attempt */
	PH_CONNECT, /* TCP connect in progress */
	PH_TLS, /* TLS handshake */
	PH_SECRETS, /* request built, its secrets wait for the group commit */
	PH_SEND, /* writing the request */
	PH_RECV, /* reading the response */
	PH_END, /* outcome decided */
};

struct session {
	const struct session_env *env;
	struct store *st;
	int epfd, fd;
	uint32_t watching; /* events registered for fd, 0 before */
	SSL *ssl;
	SSL_SESSION *tls_session; /* for resumption after the 401 close */
	SSL_CTX *ctx;
	uint64_t born_ms; /* monotonic_ms() when the session was made */

	char uuid[37];
	__u8 uuid_raw[16];
	struct hello_event ev;
	char addr[64]; /* numeric, for logs and the Host header */
	bool pki;
	char pid[9]; /* PSK: the PID the TLS identity uses */
	bool alt_tried; /* the credentials of an earlier commit were tried */
	char cert_name[128]; /* PKI: chosen chain file */

	/* Secrets: wiped in session_free and between attempts. */
	char pps[64];
	char digest_password[64];
	char admin_password[40];
	char new_pid[16], new_pps[40];
	unsigned int secrets_unsaved; /* SECRET_* made for the next request */
	bool secrets_saved; /* session_save_secrets stored them */

	enum session_phase phase;
	enum session_step step;
	enum session_outcome outcome;
	unsigned int attempt;
	uint64_t phase_deadline, attempt_deadline;

	/* HTTP */
	bool have_challenge;
	struct http_digest_challenge challenge;
	uint32_t nc;
	bool conn_close; /* the device closes after this response */
	struct wsman_buf body; /* current request body */
	char *out;
	size_t out_len, out_off;
	struct http_msg resp;
	unsigned int message_id;

	/* What the steps learned. */
	struct wsman_pairs general; /* AMT_GeneralSettings instance */
	char realm[HTTP_DIGEST_FIELD_MAX];
	long long ta0;
	char hostname[64];
};

/* Secrets step_build made that must be on disk before the request goes. */
#define SECRET_ADMIN_PASSWORD 1u
#define SECRET_NEW_PSK 2u

/*
 * Build the request body of s->step into s->body; -1 with *reason set.
 * New secrets it puts in the body are flagged in s->secrets_unsaved.
 */
int step_build(struct session *s, const char **reason);

/* Store the secrets flagged in s->secrets_unsaved (in the worker's batch). */
int step_save_secrets(struct session *s);

enum step_result {
	STEP_NEXT, /* s->step advanced */
	STEP_FINISHED, /* provisioning complete */
	STEP_ALREADY, /* device already provisioned: done, no changes */
	STEP_ERROR, /* reason set */
};

/* Handle the parsed response of s->step. */
enum step_result step_handle(struct session *s, const struct wsman_response *r,
			     char *reason, size_t reason_len);
const char *step_name(enum session_step step);

#endif /* AMTSCAD_SESSION_INT_H */
