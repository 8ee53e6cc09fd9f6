/* SPDX-License-Identifier: GPL-2.0-only */
/* Durable device, PSK and audit state in SQLite; secrets sealed by secretbox. */
#ifndef AMTSCA_STORE_H
#define AMTSCA_STORE_H

#include <stddef.h>

struct store;

/* Open (creating 0600) the database; key_path as for secretbox_load_key. */
struct store *store_open(const char *db_path, const char *key_path, char *err,
			 size_t errlen);
void store_close(struct store *st);
/*
 * Group several operations into one transaction (one sync to disk); each
 * operation inside stays atomic on its own. Nests. store_batch_end commits
 * the group, or undoes all of it when commit is 0 (and returns -1).
 */
int store_batch_begin(struct store *st);
/*
 * A batch whose commit is on disk (synchronous=FULL) before store_batch_end
 * returns: secrets stored inside it are durable together, one sync for
 * all. Inside a batch that does not sync, the secret-storing calls fail.
 */
int store_durable_batch_begin(struct store *st);
int store_batch_end(struct store *st, int commit);
/* An accepted Hello for store_record_hellos; mode "psk" or "pki". */
struct store_hello {
	const char *uuid, *mode, *address;
	const void *hello;
	size_t len;
};
/*
 * Record n accepted Hellos: each device (inserted, or its mode and
 * address refreshed) in state queued, its raw Hello and an audit row.
 * Outside a batch it is a transaction of its own. Inside one it is not
 * atomic on its own (that cost a savepoint per Hello): when it fails the
 * caller must end the batch with commit 0.
 */
int store_record_hellos(struct store *st, const struct store_hello *h,
			size_t n);
/* Set state; reason may be NULL. Writes an audit row in the same transaction. */
int store_set_state(struct store *st, const char *uuid, const char *state,
		    const char *step, const char *reason);
/* Seal and commit the admin password before returning. */
int store_reserve_admin_password(struct store *st, const char *uuid,
				 const char *plain);
/* Decrypt the admin password into out (outlen bytes, NUL-terminated). */
int store_get_admin_password(struct store *st, const char *uuid, char *out,
			     size_t outlen);
/* Import one PID/PPS pair as available. */
int store_psk_import(struct store *st, const char *pid, const char *pps);
/* Atomically assign the next available pair to uuid; pid gets the PID. */
int store_psk_assign(struct store *st, const char *uuid, char *pid,
		     size_t pidlen);
/* Decrypt the PPS of pid into out. */
int store_psk_lookup(struct store *st, const char *pid, char *out,
		     size_t outlen);

/* Provisioning sessions (amtscad, helper C). */

/* Import a pair with the device's MEBx password (NULL/"" = none), atomically. */
int store_psk_import_mebx(struct store *st, const char *pid, const char *pps,
			  const char *mebx);
/* MEBx password imported with pid: 0 found, 1 none imported, -1 error. */
int store_psk_lookup_mebx(struct store *st, const char *pid, char *out,
			  size_t outlen);
/* Mark the pair pid consumed (its device is provisioned). */
int store_psk_consume(struct store *st, const char *pid);
typedef void (*store_resume_cb)(void *ctx, const char *uuid,
				const char *address, const void *hello,
				size_t len);
/* Call cb for each queued/in_progress device with a saved Hello; count. */
int store_for_each_resumable(struct store *st, store_resume_cb cb, void *ctx);
/* Record the host name and domain given to the device. */
int store_set_profile(struct store *st, const char *uuid, const char *hostname,
		      const char *domain);
/* Seal and commit the device's new PID/PPS before it is sent. */
int store_save_new_psk(struct store *st, const char *uuid, const char *pid,
		       const char *pps);
/* The new pair of uuid: 0, 1 if none, -1 on error. */
int store_get_new_psk(struct store *st, const char *uuid, char *pid,
		      size_t pidlen, char *pps, size_t ppslen);

struct store_device {
	char state[16], mode[8], hostname[64], domain[192];
	char error_step[32], error_reason[128];
	int attempts;
};
/* 0 found, 1 unknown uuid, -1 error. */
int store_get_device(struct store *st, const char *uuid,
		     struct store_device *dev);
/* Shutdown: sessions that did not finish go back to queued. */
int store_park_in_progress(struct store *st);
/* Step and reason of uuid's latest failure (audit): 0, 1 if none, -1. */
int store_last_failure(struct store *st, const char *uuid, char *step,
		       size_t steplen, char *reason, size_t reasonlen);

/* Control socket (amtscactl, helper D). */

/* The connection, for read-only admin queries (store_admin.c). */
struct sqlite3 *store_db(struct store *st);
struct store_psk_new {
	const char *pid, *pps, *mebx; /* mebx "" = none */
};
/* Import n pairs in one transaction: all of them, or none (-1). */
int store_psk_import_all(struct store *st, const struct store_psk_new *pairs,
			 size_t n);

#endif
