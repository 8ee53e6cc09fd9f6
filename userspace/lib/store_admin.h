/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Operator queries over the store for the control socket, as json-c
 * objects. No query selects a sealed column: nothing returned is a secret.
 */
#ifndef AMTSCA_STORE_ADMIN_H
#define AMTSCA_STORE_ADMIN_H

#include <json-c/json.h>

#include "psk_csv.h"
#include "store.h"

/* Devices ordered by UUID, only those in state when it is not NULL. */
struct json_object *store_admin_devices(struct store *st, const char *state);
/* One device with its audit trail; NULL when unknown (or on error). */
struct json_object *store_admin_device(struct store *st, const char *uuid);
/* {"queued":N,...,"total":N}: devices by state. */
struct json_object *store_admin_device_counts(struct store *st);
/* {"available":N,"assigned":N,"consumed":N}. */
struct json_object *store_admin_psk_counts(struct store *st);
/* PIDs with their state and device, ordered by PID. */
struct json_object *store_admin_psk_list(struct store *st);
/*
 * Import every entry of csv in one transaction. A PID already in the store
 * is an error on its line (added to csv). Returns 0, or -1 with nothing
 * imported.
 */
int store_admin_psk_import(struct store *st, struct psk_csv *csv);

#endif /* AMTSCA_STORE_ADMIN_H */
