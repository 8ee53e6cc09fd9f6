/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One device's provisioning session: a non-blocking state machine driven
 * by its worker's epoll loop (session_io on readiness, session_tick on
 * timers). Steps, in the contract's order: credentials -> TCP connect ->
 * TLS (PSK or PKI) -> HTTP Digest (401, reconnect with resumption) ->
 * Get GeneralSettings -> Get SetupAndConfigurationService -> time sync ->
 * Put GeneralSettings -> [PKI] SetMEBxPassword -> SetAdminAclEntryEx ->
 * [PSK] SetTLSPSK -> CommitChanges -> done. Every failure is stored with
 * its step and reason; transient ones are retried with backoff.
 */
#ifndef AMTSCAD_SESSION_H
#define AMTSCAD_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include <openssl/ssl.h>

#include "config.h"
#include "device_state_hook.h"

struct amtsca_metrics;
#include "hello_event.h"
#include "session_certs.h"

struct store;

/* Shared by every session, read-only once the workers run. */
struct session_env {
	const struct amtsca_config *cfg;
	SSL_CTX *psk_ctx;
	struct cert_set *certs;
	struct device_state_hook hook;
	int psk_sha256; /* session.psk_key_derivation = sha256 */
	struct amtsca_metrics *metrics; /* NULL: none */
};

enum session_outcome {
	SESSION_RUNNING,
	SESSION_DONE,
	SESSION_FAILED,
	SESSION_PARKED,
};

struct session;

/* A session for the validated Hello ev; it starts at once. */
struct session *session_new(const struct session_env *env, struct store *st,
			    int epfd, const struct hello_event *ev);
/* The fd the session registered in epfd became ready. */
void session_io(struct session *s);
/* Run timers that are due; returns the next deadline (CLOCK_MONOTONIC ms). */
uint64_t session_tick(struct session *s, uint64_t now_ms);
enum session_outcome session_outcome(const struct session *s);
/*
 * Group commit of secrets. A request that carries a new secret (admin
 * password, PID/PPS) is held until the secret is on disk: the worker opens
 * one durable store batch for every session that waits
 * (session_secrets_waiting), stores each one's (session_save_secrets,
 * inside the batch), commits, and then lets them send
 * (session_secrets_committed; committed false fails the session).
 */
bool session_secrets_waiting(const struct session *s);
void session_save_secrets(struct session *s);
void session_secrets_committed(struct session *s, bool committed);
/* Is the session waiting between attempts (nothing on the wire)? */
bool session_in_backoff(const struct session *s);
/* Shutdown: stop and record the device as queued for the next start. */
void session_park(struct session *s);
/* The device UUID, 16 bytes as in the Hello. */
const __u8 *session_uuid(const struct session *s);
void session_free(struct session *s);

#endif /* AMTSCAD_SESSION_H */
