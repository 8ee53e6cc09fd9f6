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
/* Record a Hello: insert the device or refresh its mode/address. */
int store_upsert_device(struct store *st, const char *uuid, const char *mode,
			const char *address);
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

#endif
