// SPDX-License-Identifier: GPL-2.0-only
/* Operator queries: SQL rows to JSON objects named by their columns. */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store_admin.h"

#define DEVICE_COLUMNS                                            \
	"uuid, state, mode, address, attempts, hostname, domain," \
	" last_error_step, last_error_reason, updated_at"

static const char *const device_states[] = { "queued", "in_progress", "done",
					     "failed" };
static const char *const psk_states[] = { "available", "assigned", "consumed" };

static struct json_object *row_object(sqlite3_stmt *s)
{
	struct json_object *row = json_object_new_object();
	struct json_object *v;
	int i;

	for (i = 0; row && i < sqlite3_column_count(s); i++) {
		switch (sqlite3_column_type(s, i)) {
		case SQLITE_INTEGER:
			v = json_object_new_int64(sqlite3_column_int64(s, i));
			break;
		case SQLITE_NULL:
			v = NULL;
			break;
		default:
			v = json_object_new_string(
				(const char *)sqlite3_column_text(s, i));
		}
		json_object_object_add(row, sqlite3_column_name(s, i), v);
	}
	return row;
}

/* Run sql (optional text parameter arg); every row as an object, in an array. */
static struct json_object *query_rows(struct store *st, const char *sql,
				      const char *arg)
{
	struct json_object *rows;
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
		return NULL;
	if (arg)
		sqlite3_bind_text(s, 1, arg, -1, SQLITE_TRANSIENT);
	rows = json_object_new_array();
	while (rows && (rc = sqlite3_step(s)) == SQLITE_ROW)
		json_object_array_add(rows, row_object(s));
	sqlite3_finalize(s);
	if (rows && rc != SQLITE_DONE) {
		json_object_put(rows);
		return NULL;
	}
	return rows;
}

/* {"name":count,...,"total":N} for every state in names plus any other. */
static struct json_object *count_by(struct store *st, const char *sql,
				    const char *const *names, size_t n)
{
	struct json_object *rows = query_rows(st, sql, NULL), *counts, *row;
	int64_t total = 0, c;
	size_t i;

	if (!rows)
		return NULL;
	counts = json_object_new_object();
	for (i = 0; i < n; i++)
		json_object_object_add(counts, names[i],
				       json_object_new_int64(0));
	for (i = 0; i < json_object_array_length(rows); i++) {
		row = json_object_array_get_idx(rows, i);
		c = json_object_get_int64(json_object_object_get(row, "n"));
		json_object_object_add(
			counts,
			json_object_get_string(
				json_object_object_get(row, "state")),
			json_object_new_int64(c));
		total += c;
	}
	json_object_object_add(counts, "total", json_object_new_int64(total));
	json_object_put(rows);
	return counts;
}

struct json_object *store_admin_devices(struct store *st, const char *state)
{
	return query_rows(st,
			  state ? "SELECT " DEVICE_COLUMNS " FROM devices"
				  " WHERE state = ?1 ORDER BY uuid" :
				  "SELECT " DEVICE_COLUMNS
				  " FROM devices ORDER BY uuid",
			  state);
}

struct json_object *store_admin_device(struct store *st, const char *uuid)
{
	struct json_object *rows, *dev, *audit;

	rows = query_rows(st,
			  "SELECT " DEVICE_COLUMNS
			  " FROM devices WHERE uuid = ?1",
			  uuid);
	if (!rows || json_object_array_length(rows) != 1) {
		json_object_put(rows);
		return NULL;
	}
	dev = json_object_get(json_object_array_get_idx(rows, 0));
	json_object_put(rows);
	audit = query_rows(st,
			   "SELECT seq, ts, step, outcome, detail FROM audit"
			   " WHERE uuid = ?1 ORDER BY seq",
			   uuid);
	if (!audit) {
		json_object_put(dev);
		return NULL;
	}
	json_object_object_add(dev, "audit", audit);
	return dev;
}

struct json_object *store_admin_device_counts(struct store *st)
{
	return count_by(st,
			"SELECT state, count(*) AS n FROM devices"
			" GROUP BY state ORDER BY state",
			device_states,
			sizeof(device_states) / sizeof(device_states[0]));
}

struct json_object *store_admin_psk_counts(struct store *st)
{
	return count_by(st,
			"SELECT state, count(*) AS n FROM psk_pairs"
			" GROUP BY state ORDER BY state",
			psk_states, sizeof(psk_states) / sizeof(psk_states[0]));
}

struct json_object *store_admin_psk_list(struct store *st)
{
	return query_rows(st,
			  "SELECT pid, state, assigned_uuid AS device"
			  " FROM psk_pairs ORDER BY pid",
			  NULL);
}

/* Add an error for each entry whose PID the store already holds. */
static void find_known(struct store *st, struct psk_csv *csv)
{
	sqlite3_stmt *s;
	size_t i;

	if (sqlite3_prepare_v2(store_db(st),
			       "SELECT state FROM psk_pairs WHERE pid = ?1", -1,
			       &s, NULL) != SQLITE_OK) {
		psk_csv_add_error(csv, 0, "store: %s",
				  sqlite3_errmsg(store_db(st)));
		return;
	}
	for (i = 0; i < csv->n_entries; i++) {
		sqlite3_reset(s);
		sqlite3_bind_text(s, 1, csv->entries[i].pid, -1, SQLITE_STATIC);
		if (sqlite3_step(s) == SQLITE_ROW)
			psk_csv_add_error(csv, csv->entries[i].line,
					  "PID %s already imported (%s)",
					  csv->entries[i].pid,
					  sqlite3_column_text(s, 0));
	}
	sqlite3_finalize(s);
}

int store_admin_psk_import(struct store *st, struct psk_csv *csv)
{
	struct store_psk_new *pairs;
	size_t i;
	int r;

	find_known(st, csv);
	if (csv->n_errors)
		return -1;
	pairs = calloc(csv->n_entries ? csv->n_entries : 1, sizeof(*pairs));
	if (!pairs) {
		psk_csv_add_error(csv, 0, "out of memory");
		return -1;
	}
	for (i = 0; i < csv->n_entries; i++) {
		pairs[i].pid = csv->entries[i].pid;
		pairs[i].pps = csv->entries[i].pps;
		pairs[i].mebx = csv->entries[i].mebx;
	}
	r = store_psk_import_all(st, pairs, csv->n_entries);
	free(pairs);
	if (r)
		psk_csv_add_error(csv, 0, "store: %s, nothing imported",
				  sqlite3_errmsg(store_db(st)));
	return r;
}
