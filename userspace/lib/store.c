// SPDX-License-Identifier: GPL-2.0-only
/*
 * SQLite state store: WAL, every change in one transaction. Commits are
 * synchronous=NORMAL (durable when the daemon crashes; on power loss the
 * last ones may go, which costs a re-sent Hello or a repeated step), except
 * a secret about to be sent to a device, which is on disk (FULL) before
 * the call that stores it returns.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <sqlite3.h>

#include "secretbox.h"
#include "store.h"

#define STORE_SCHEMA_VERSION 1
/*
 * WAL pages after which a commit checkpoints (SQLite's default is 1,000):
 * each checkpoint copies every page changed since the last one into the
 * database and syncs both files, and between checkpoints the same pages
 * (the B-trees' right edges, which a fleet's rows append to) are written
 * again and again. With 4,000 (a WAL of up to 16 MiB) recording 400,000
 * Hellos took 2.8 instead of 3.2 us of CPU each (harness, 250 a commit).
 */
#define STORE_WAL_CHECKPOINT_PAGES "4000"
#define STORE_SECRET_MAX 256

/*
 * The statements of store_record_hellos, one per table for one row and
 * one for INTAKE_ROWS rows at once; kept by stmt_get like every other.
 */
enum intake_stmt { INTAKE_DEVICE, INTAKE_HELLO, INTAKE_AUDIT, INTAKE_TABLES };
#define INTAKE_ROWS 16

struct store {
	sqlite3 *db;
	struct secretbox box;
	unsigned int depth; /* open transaction levels (store_batch_begin) */
	bool durable; /* the open transaction commits synchronous=FULL */
	sqlite3_stmt **stmts; /* prepared once and kept (stmt_get) */
	unsigned int n_stmts;
	/* intake_stmt's, for 1 and INTAKE_ROWS rows (owned by stmts) */
	sqlite3_stmt *intake[INTAKE_TABLES][2];
};

static const char schema_sql[] =
	"CREATE TABLE IF NOT EXISTS devices (uuid TEXT PRIMARY KEY, state TEXT NOT NULL,"
	" mode TEXT, address TEXT, attempts INTEGER NOT NULL DEFAULT 0,"
	" last_error_step TEXT, last_error_reason TEXT, hostname TEXT, domain TEXT,"
	" admin_password_enc BLOB, updated_at INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS psk_pairs (pid TEXT PRIMARY KEY, pps_enc BLOB NOT NULL,"
	" state TEXT NOT NULL CHECK (state IN ('available','assigned','consumed')),"
	" assigned_uuid TEXT UNIQUE);"
	"CREATE TABLE IF NOT EXISTS audit (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
	" ts INTEGER NOT NULL, uuid TEXT, step TEXT, outcome TEXT, detail TEXT);"
	"PRAGMA user_version = 1;";

/* Provisioning sessions (amtscad, helper C): tables only this area writes. */
static const char session_schema_sql[] =
	"CREATE TABLE IF NOT EXISTS psk_mebx (pid TEXT PRIMARY KEY,"
	" mebx_enc BLOB NOT NULL);"
	"CREATE TABLE IF NOT EXISTS device_hello (uuid TEXT PRIMARY KEY,"
	" hello BLOB NOT NULL);"
	"CREATE TABLE IF NOT EXISTS device_new_psk (uuid TEXT PRIMARY KEY,"
	" pid TEXT NOT NULL, pps_enc BLOB NOT NULL);";

static int exec(struct store *st, const char *sql)
{
	return sqlite3_exec(st->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 :
									  -1;
}

/* Prepare sql and bind up to four text parameters (NULL binds NULL). */
static sqlite3_stmt *prepare(struct store *st, const char *sql, int n,
			     const char *const *args)
{
	sqlite3_stmt *s;
	int i;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return NULL;
	for (i = 0; i < n; i++)
		sqlite3_bind_text(s, i + 1, args[i], -1, SQLITE_TRANSIENT);
	return s;
}

/*
 * The statement for sql, prepared on first use and kept (found by its
 * text; for the fixed statements of this file, not for SQL built at run
 * time), with up to n text parameters bound. Sessions run the same few
 * statements for every device; parsing them each time was a tenth of the
 * daemon's CPU. Hand it back with stmt_put.
 */
static sqlite3_stmt *stmt_get(struct store *st, const char *sql, int n,
			      const char *const *args)
{
	sqlite3_stmt **grown, *s = NULL;
	unsigned int i;

	for (i = 0; i < st->n_stmts && !s; i++)
		if (!strcmp(sqlite3_sql(st->stmts[i]), sql))
			s = st->stmts[i];
	if (!s) {
		grown = realloc(st->stmts, (st->n_stmts + 1) * sizeof(*grown));
		if (!grown)
			return NULL;
		st->stmts = grown;
		if (sqlite3_prepare_v3(st->db, sql, -1,
				       SQLITE_PREPARE_PERSISTENT, &s,
				       NULL) != SQLITE_OK)
			return NULL;
		st->stmts[st->n_stmts++] = s;
	}
	for (i = 0; i < (unsigned int)n; i++)
		sqlite3_bind_text(s, (int)i + 1, args[i], -1, SQLITE_TRANSIENT);
	return s;
}

/* Reset a statement from stmt_get for its next use (and drop bindings). */
static void stmt_put(sqlite3_stmt *s)
{
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

/* Run a statement with no result rows; returns changed rows or -1. */
static int run(struct store *st, const char *sql, int n,
	       const char *const *args)
{
	sqlite3_stmt *s = stmt_get(st, sql, n, args);
	int r;

	if (!s)
		return -1;
	r = sqlite3_step(s) == SQLITE_DONE ? sqlite3_changes(st->db) : -1;
	stmt_put(s);
	return r;
}

/* One statement without parameters or rows, e.g. "COMMIT"; 0 or -1. */
static int run_plain(struct store *st, const char *sql)
{
	return run(st, sql, 0, NULL) < 0 ? -1 : 0;
}

/*
 * Open a transaction, or a savepoint inside a batch the caller opened, so
 * every operation stays atomic and a batch commits (and syncs) once.
 * BEGIN IMMEDIATE takes the write lock first, so two connections serialise.
 */
static int begin(struct store *st)
{
	if (run_plain(st, st->depth ? "SAVEPOINT op" : "BEGIN IMMEDIATE"))
		return -1;
	st->depth++;
	return 0;
}

static int finish(struct store *st, int ok)
{
	int r = -1;

	if (--st->depth) {
		if (ok && run_plain(st, "RELEASE op") == 0)
			return 0;
		run_plain(st, "ROLLBACK TO op");
		run_plain(st, "RELEASE op");
		return -1;
	}
	if (ok && run_plain(st, "COMMIT") == 0)
		r = 0;
	else
		run_plain(st, "ROLLBACK");
	/*
	 * SQLite applies PRAGMA synchronous while it parses it, and refuses it
	 * inside a transaction: it is run as text, outside, every time.
	 */
	if (st->durable) {
		st->durable = false;
		exec(st, "PRAGMA synchronous=NORMAL");
	}
	return r;
}

/* A transaction that is on disk when it commits (see the top comment). */
static int durable_top_begin(struct store *st)
{
	if (exec(st, "PRAGMA synchronous=FULL"))
		return -1;
	st->durable = true;
	if (begin(st)) {
		st->durable = false;
		exec(st, "PRAGMA synchronous=NORMAL");
		return -1;
	}
	return 0;
}

/*
 * An operation that must be on disk when its transaction commits: its own
 * durable transaction, or a savepoint inside a durable batch (which then
 * commits it). Inside a batch that would not sync, it refuses.
 */
static int durable_begin(struct store *st)
{
	if (!st->depth)
		return durable_top_begin(st);
	return st->durable ? begin(st) : -1;
}

int store_batch_begin(struct store *st)
{
	return begin(st);
}

int store_durable_batch_begin(struct store *st)
{
	return durable_begin(st);
}

int store_batch_end(struct store *st, int commit)
{
	return finish(st, commit);
}

struct store *store_open(const char *db_path, const char *key_path, char *err,
			 size_t errlen)
{
	struct store *st = calloc(1, sizeof(*st));
	int fd;

	if (!st)
		return NULL;
	if (secretbox_load_key(&st->box, key_path, err, errlen) != 0) {
		free(st);
		return NULL;
	}
	/*
	 * Create the file ourselves so it is 0600 from the first byte. O_EXCL:
	 * closing an fd of a database this process already has open would
	 * drop that connection's POSIX locks (WAL then gets deleted under it).
	 */
	fd = open(db_path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0)
		close(fd);
	if (sqlite3_open_v2(db_path, &st->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
			    NULL) != SQLITE_OK ||
	    sqlite3_busy_timeout(st->db, 5000) != SQLITE_OK ||
	    exec(st, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
		     " PRAGMA wal_autocheckpoint=" STORE_WAL_CHECKPOINT_PAGES
		     ";") ||
	    exec(st, schema_sql) || exec(st, session_schema_sql)) {
		snprintf(err, errlen, "%s: %s", db_path,
			 st->db ? sqlite3_errmsg(st->db) : "cannot open");
		store_close(st);
		return NULL;
	}
	return st;
}

void store_close(struct store *st)
{
	unsigned int i;

	if (!st)
		return;
	for (i = 0; i < st->n_stmts; i++)
		sqlite3_finalize(st->stmts[i]);
	free(st->stmts);
	sqlite3_close(st->db);
	secretbox_clear(&st->box);
	free(st);
}

/* Each table's statement: head, one row's values (repeated), tail. */
static const struct {
	const char *head, *row, *tail;
	int params; /* per row */
} intake_sql[INTAKE_TABLES] = {
	[INTAKE_DEVICE] = { "INSERT INTO devices (uuid, state, mode, address,"
			    " updated_at) VALUES ",
			    "(?, 'queued', ?, ?, ?)",
			    " ON CONFLICT(uuid) DO UPDATE SET state = 'queued',"
			    " mode = excluded.mode, address = excluded.address,"
			    " updated_at = excluded.updated_at",
			    4 },
	[INTAKE_HELLO] = { "INSERT INTO device_hello (uuid, hello) VALUES ",
			   "(?, ?)",
			   " ON CONFLICT(uuid) DO UPDATE SET hello = excluded.hello",
			   2 },
	[INTAKE_AUDIT] = { "INSERT INTO audit (ts, uuid, step, outcome) VALUES ",
			   "(?, ?, 'hello', 'queued')", "", 2 },
};

/*
 * The statement of table t for 1 or INTAKE_ROWS rows (NULL on error),
 * kept here once made: building its text and finding it among the
 * connection's statements on every call was 3 % of an XDP Hello.
 */
static sqlite3_stmt *intake_stmt(struct store *st, enum intake_stmt t, int rows)
{
	sqlite3_stmt **kept = &st->intake[t][rows == INTAKE_ROWS];
	char sql[1024];
	int i, n;

	if (*kept)
		return *kept;
	n = snprintf(sql, sizeof(sql), "%s", intake_sql[t].head);
	for (i = 0; i < rows && n < (int)sizeof(sql); i++)
		n += snprintf(sql + n, sizeof(sql) - n, "%s%s", i ? "," : "",
			      intake_sql[t].row);
	if (n < (int)sizeof(sql))
		n += snprintf(sql + n, sizeof(sql) - n, "%s",
			      intake_sql[t].tail);
	if (n < (int)sizeof(sql))
		*kept = stmt_get(st, sql, 0, NULL);
	return *kept;
}

/* Write h[0..rows-1] (rows 1 or INTAKE_ROWS); 0 when all three completed. */
static int intake_rows(struct store *st, const struct store_hello *h, int rows,
		       sqlite3_int64 now)
{
	sqlite3_stmt *s[INTAKE_TABLES];
	int t, i, r = 0;

	for (t = 0; t < INTAKE_TABLES; t++) {
		s[t] = intake_stmt(st, t, rows);
		if (!s[t])
			return -1;
	}
	for (i = 0; i < rows; i++) {
		sqlite3_bind_text(s[INTAKE_DEVICE], 4 * i + 1, h[i].uuid, -1,
				  SQLITE_STATIC);
		sqlite3_bind_text(s[INTAKE_DEVICE], 4 * i + 2, h[i].mode, -1,
				  SQLITE_STATIC);
		sqlite3_bind_text(s[INTAKE_DEVICE], 4 * i + 3, h[i].address, -1,
				  SQLITE_STATIC);
		sqlite3_bind_int64(s[INTAKE_DEVICE], 4 * i + 4, now);
		sqlite3_bind_text(s[INTAKE_HELLO], 2 * i + 1, h[i].uuid, -1,
				  SQLITE_STATIC);
		sqlite3_bind_blob(s[INTAKE_HELLO], 2 * i + 2, h[i].hello,
				  (int)h[i].len, SQLITE_STATIC);
		sqlite3_bind_int64(s[INTAKE_AUDIT], 2 * i + 1, now);
		sqlite3_bind_text(s[INTAKE_AUDIT], 2 * i + 2, h[i].uuid, -1,
				  SQLITE_STATIC);
	}
	for (t = 0; t < INTAKE_TABLES; t++) {
		if (!r && sqlite3_step(s[t]) != SQLITE_DONE)
			r = -1;
		stmt_put(s[t]);
	}
	return r;
}

/*
 * The Hello path runs this for every new device, so its statements are
 * prepared once (parsing them each time was half the intake's CPU) and
 * write up to INTAKE_ROWS devices each (a statement per row was about
 * twice the CPU). Inside a batch it opens no savepoint of its own: the
 * savepoint's journal copied about a page per Hello (2.5-5 us of 9-12);
 * on failure the caller undoes the batch.
 */
int store_record_hellos(struct store *st, const struct store_hello *h, size_t n)
{
	sqlite3_int64 now = time(NULL);
	bool own = !st->depth;
	size_t i;
	int ok = 1;

	if (own && begin(st))
		return -1;
	for (i = 0; ok && i < n;) {
		if (n - i >= INTAKE_ROWS) {
			ok = intake_rows(st, h + i, INTAKE_ROWS, now) == 0;
			i += INTAKE_ROWS;
		} else {
			ok = intake_rows(st, h + i, 1, now) == 0;
			i++;
		}
	}
	if (own)
		return finish(st, ok);
	return ok ? 0 : -1;
}

int store_set_state(struct store *st, const char *uuid, const char *state,
		    const char *step, const char *reason)
{
	const char *a[] = { uuid, state, step, reason };
	int ok;

	if (begin(st))
		return -1;
	ok = run(st,
		 "UPDATE devices SET state = ?2, updated_at = strftime('%s','now'),"
		 " last_error_step = CASE WHEN ?4 IS NULL THEN last_error_step ELSE ?3 END,"
		 " last_error_reason = COALESCE(?4, last_error_reason),"
		 " attempts = attempts + (?2 = 'in_progress')"
		 " WHERE uuid = ?1",
		 4, a) == 1 &&
	     run(st,
		 "INSERT INTO audit (ts, uuid, step, outcome, detail)"
		 " VALUES (strftime('%s','now'), ?1, ?3, ?2, ?4)",
		 4, a) == 1;
	return finish(st, ok);
}

/* Associated data binding a sealed value to its table, column and key. */
static void row_ad(char *ad, size_t len, const char *col, const char *key)
{
	snprintf(ad, len, "%s:%s", col, key);
}

static int update_sealed(struct store *st, const char *sql, const char *col,
			 const char *key, const char *plain)
{
	unsigned char sealed[STORE_SECRET_MAX + SECRETBOX_OVERHEAD];
	size_t len = strlen(plain);
	char ad[128];
	sqlite3_stmt *s;
	int r;

	if (len > STORE_SECRET_MAX)
		return -1;
	row_ad(ad, sizeof(ad), col, key);
	if (secretbox_seal(&st->box, (const unsigned char *)plain, len, ad,
			   sealed))
		return -1;
	s = stmt_get(st, sql, 1, &key);
	if (!s)
		return -1;
	sqlite3_bind_blob(s, 2, sealed, (int)(len + SECRETBOX_OVERHEAD),
			  SQLITE_TRANSIENT);
	r = sqlite3_step(s) == SQLITE_DONE ? sqlite3_changes(st->db) : -1;
	stmt_put(s);
	return r == 1 ? 0 : -1;
}

static int read_sealed(struct store *st, const char *sql, const char *col,
		       const char *key, char *out, size_t outlen)
{
	sqlite3_stmt *s = stmt_get(st, sql, 1, &key);
	const unsigned char *blob;
	char ad[128];
	int len, r = -1;

	if (!s)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW) {
		blob = sqlite3_column_blob(s, 0);
		len = sqlite3_column_bytes(s, 0);
		row_ad(ad, sizeof(ad), col, key);
		if (blob && len >= SECRETBOX_OVERHEAD &&
		    (size_t)len - SECRETBOX_OVERHEAD < outlen &&
		    secretbox_open(&st->box, blob, (size_t)len, ad,
				   (unsigned char *)out) == 0) {
			out[len - SECRETBOX_OVERHEAD] = '\0';
			r = 0;
		}
	}
	stmt_put(s);
	return r;
}

int store_reserve_admin_password(struct store *st, const char *uuid,
				 const char *plain)
{
	if (durable_begin(st))
		return -1;
	return finish(
		st,
		update_sealed(
			st,
			"UPDATE devices SET admin_password_enc = ?2 WHERE uuid = ?1",
			"devices.admin_password_enc", uuid, plain) == 0);
}

int store_get_admin_password(struct store *st, const char *uuid, char *out,
			     size_t outlen)
{
	return read_sealed(
		st, "SELECT admin_password_enc FROM devices WHERE uuid = ?1",
		"devices.admin_password_enc", uuid, out, outlen);
}

int store_psk_import(struct store *st, const char *pid, const char *pps)
{
	return update_sealed(st,
			     "INSERT INTO psk_pairs (pid, pps_enc, state)"
			     " VALUES (?1, ?2, 'available')",
			     "psk_pairs.pps_enc", pid, pps);
}

int store_psk_assign(struct store *st, const char *uuid, char *pid,
		     size_t pidlen)
{
	const char *a[] = { uuid };
	sqlite3_stmt *s;
	int ok = 0;

	if (begin(st))
		return -1;
	if (run(st,
		"UPDATE psk_pairs SET state = 'assigned', assigned_uuid = ?1"
		" WHERE pid = (SELECT pid FROM psk_pairs WHERE state = 'available'"
		" ORDER BY pid LIMIT 1)",
		1, a) == 1) {
		s = prepare(
			st,
			"SELECT pid FROM psk_pairs WHERE assigned_uuid = ?1", 1,
			a);
		if (s && sqlite3_step(s) == SQLITE_ROW) {
			snprintf(pid, pidlen, "%s",
				 (const char *)sqlite3_column_text(s, 0));
			ok = 1;
		}
		sqlite3_finalize(s);
	}
	return finish(st, ok);
}

int store_psk_lookup(struct store *st, const char *pid, char *out,
		     size_t outlen)
{
	return read_sealed(st, "SELECT pps_enc FROM psk_pairs WHERE pid = ?1",
			   "psk_pairs.pps_enc", pid, out, outlen);
}

/* Provisioning sessions (amtscad, helper C). */

int store_psk_import_mebx(struct store *st, const char *pid, const char *pps,
			  const char *mebx)
{
	int ok;

	if (begin(st))
		return -1;
	ok = store_psk_import(st, pid, pps) == 0 &&
	     (!mebx || !*mebx ||
	      update_sealed(
		      st,
		      "INSERT INTO psk_mebx (pid, mebx_enc) VALUES (?1, ?2)",
		      "psk_mebx.mebx_enc", pid, mebx) == 0);
	return finish(st, ok);
}

int store_psk_lookup_mebx(struct store *st, const char *pid, char *out,
			  size_t outlen)
{
	const char *a[] = { pid };
	sqlite3_stmt *s;
	int found;

	s = stmt_get(st, "SELECT 1 FROM psk_mebx WHERE pid = ?1", 1, a);
	if (!s)
		return -1;
	found = sqlite3_step(s) == SQLITE_ROW;
	stmt_put(s);
	if (!found)
		return 1;
	return read_sealed(st, "SELECT mebx_enc FROM psk_mebx WHERE pid = ?1",
			   "psk_mebx.mebx_enc", pid, out, outlen);
}

int store_psk_consume(struct store *st, const char *pid)
{
	const char *a[] = { pid };

	return run(st, "UPDATE psk_pairs SET state = 'consumed' WHERE pid = ?1",
		   1, a) >= 0 ?
		       0 :
		       -1;
}

int store_for_each_resumable(struct store *st, store_resume_cb cb, void *ctx)
{
	sqlite3_stmt *s;
	int n = 0;

	s = prepare(
		st,
		"SELECT d.uuid, d.address, h.hello FROM devices d"
		" JOIN device_hello h ON h.uuid = d.uuid"
		" WHERE d.state IN ('queued', 'in_progress') ORDER BY d.uuid",
		0, NULL);
	if (!s)
		return -1;
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *uuid = (const char *)sqlite3_column_text(s, 0);
		const char *addr = (const char *)sqlite3_column_text(s, 1);
		const void *hello = sqlite3_column_blob(s, 2);
		int len = sqlite3_column_bytes(s, 2);

		if (uuid && addr && hello) {
			cb(ctx, uuid, addr, hello, (size_t)len);
			n++;
		}
	}
	sqlite3_finalize(s);
	return n;
}

int store_set_profile(struct store *st, const char *uuid, const char *hostname,
		      const char *domain)
{
	const char *a[] = { uuid, hostname, domain };

	return run(st,
		   "UPDATE devices SET hostname = ?2, domain = ?3 WHERE uuid = ?1",
		   3, a) == 1 ?
		       0 :
		       -1;
}

int store_save_new_psk(struct store *st, const char *uuid, const char *pid,
		       const char *pps)
{
	const char *a[] = { uuid, pid };

	if (durable_begin(st))
		return -1;
	/* The row must exist before update_sealed fills in the sealed PPS. */
	return finish(
		st,
		run(st,
		    "INSERT INTO device_new_psk (uuid, pid, pps_enc) VALUES (?1, ?2, x'')"
		    " ON CONFLICT(uuid) DO UPDATE SET pid = ?2, pps_enc = x''",
		    2, a) == 1 &&
			update_sealed(
				st,
				"UPDATE device_new_psk SET pps_enc = ?2 WHERE uuid = ?1",
				"device_new_psk.pps_enc", uuid, pps) == 0);
}

int store_get_new_psk(struct store *st, const char *uuid, char *pid,
		      size_t pidlen, char *pps, size_t ppslen)
{
	const char *a[] = { uuid };
	sqlite3_stmt *s;
	int found = 0;

	s = stmt_get(st, "SELECT pid FROM device_new_psk WHERE uuid = ?1", 1,
		     a);
	if (!s)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW) {
		snprintf(pid, pidlen, "%s",
			 (const char *)sqlite3_column_text(s, 0));
		found = 1;
	}
	stmt_put(s);
	if (!found)
		return 1;
	return read_sealed(st,
			   "SELECT pps_enc FROM device_new_psk WHERE uuid = ?1",
			   "device_new_psk.pps_enc", uuid, pps, ppslen);
}

int store_get_device(struct store *st, const char *uuid,
		     struct store_device *dev)
{
	const char *a[] = { uuid };
	sqlite3_stmt *s;
	int r = 1;

	s = prepare(st,
		    "SELECT state, mode, hostname, domain, last_error_step,"
		    " last_error_reason, attempts FROM devices WHERE uuid = ?1",
		    1, a);
	if (!s)
		return -1;
	memset(dev, 0, sizeof(*dev));
	if (sqlite3_step(s) == SQLITE_ROW) {
#define COL(i, f)                                                  \
	snprintf(dev->f, sizeof(dev->f), "%s",                     \
		 sqlite3_column_text(s, i) ?                       \
			 (const char *)sqlite3_column_text(s, i) : \
			 "")
		COL(0, state);
		COL(1, mode);
		COL(2, hostname);
		COL(3, domain);
		COL(4, error_step);
		COL(5, error_reason);
#undef COL
		dev->attempts = sqlite3_column_int(s, 6);
		r = 0;
	}
	sqlite3_finalize(s);
	return r;
}

int store_park_in_progress(struct store *st)
{
	return run(st,
		   "UPDATE devices SET state = 'queued' WHERE state = 'in_progress'",
		   0, NULL) >= 0 ?
		       0 :
		       -1;
}

/* Control socket (amtscactl, helper D): admin queries and bulk import. */

sqlite3 *store_db(struct store *st)
{
	return st->db;
}

/* Seal plain for table.column col of row key into out (outlen bytes). */
static int seal_value(struct store *st, const char *col, const char *key,
		      const char *plain, unsigned char *out, int *outlen)
{
	size_t len = strlen(plain);
	char ad[128];

	if (len > STORE_SECRET_MAX)
		return -1;
	row_ad(ad, sizeof(ad), col, key);
	*outlen = (int)(len + SECRETBOX_OVERHEAD);
	return secretbox_seal(&st->box, (const unsigned char *)plain, len, ad,
			      out);
}

/* Bind pid and the sealed value of plain (sealed for col), step, reset. */
static int insert_sealed(struct store *st, sqlite3_stmt *s, const char *col,
			 const char *pid, const char *plain)
{
	unsigned char sealed[STORE_SECRET_MAX + SECRETBOX_OVERHEAD];
	int len, r;

	if (seal_value(st, col, pid, plain, sealed, &len))
		return -1;
	sqlite3_bind_text(s, 1, pid, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, sealed, len, SQLITE_TRANSIENT);
	r = sqlite3_step(s) == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(s);
	OPENSSL_cleanse(sealed, sizeof(sealed));
	return r;
}

/*
 * One statement per table, prepared once: a 100k-pair file spends its time
 * sealing, not parsing SQL, and the write lock is held that long only.
 */
int store_psk_import_all(struct store *st, const struct store_psk_new *pairs,
			 size_t n)
{
	sqlite3_stmt *pair = NULL, *mebx = NULL;
	size_t i;
	int ok;

	if (begin(st))
		return -1;
	ok = sqlite3_prepare_v2(st->db,
				"INSERT INTO psk_pairs (pid, pps_enc, state)"
				" VALUES (?1, ?2, 'available')",
				-1, &pair, NULL) == SQLITE_OK &&
	     sqlite3_prepare_v2(st->db,
				"INSERT INTO psk_mebx (pid, mebx_enc)"
				" VALUES (?1, ?2)",
				-1, &mebx, NULL) == SQLITE_OK;
	for (i = 0; ok && i < n; i++)
		ok = insert_sealed(st, pair, "psk_pairs.pps_enc", pairs[i].pid,
				   pairs[i].pps) == 0 &&
		     (!pairs[i].mebx[0] ||
		      insert_sealed(st, mebx, "psk_mebx.mebx_enc", pairs[i].pid,
				    pairs[i].mebx) == 0);
	sqlite3_finalize(pair);
	sqlite3_finalize(mebx);
	return finish(st, ok);
}

int store_last_failure(struct store *st, const char *uuid, char *step,
		       size_t steplen, char *reason, size_t reasonlen)
{
	const char *a[] = { uuid };
	sqlite3_stmt *s;
	int r = 1;

	s = prepare(st,
		    "SELECT step, detail FROM audit WHERE uuid = ?1 AND"
		    " outcome = 'failed' ORDER BY seq DESC LIMIT 1",
		    1, a);
	if (!s)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW) {
		snprintf(step, steplen, "%s",
			 sqlite3_column_text(s, 0) ?
				 (const char *)sqlite3_column_text(s, 0) :
				 "");
		snprintf(reason, reasonlen, "%s",
			 sqlite3_column_text(s, 1) ?
				 (const char *)sqlite3_column_text(s, 1) :
				 "");
		r = 0;
	}
	sqlite3_finalize(s);
	return r;
}
