// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store_backup.h"

/* VACUUM INTO path: a compact copy of main as one read transaction sees it. */
static int snapshot(sqlite3 *db, const char *path, char *err, size_t errlen)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(db, "VACUUM INTO ?1", -1, &s, NULL) !=
	    SQLITE_OK) {
		snprintf(err, errlen, "snapshot: %s", sqlite3_errmsg(db));
		return -1;
	}
	sqlite3_bind_text(s, 1, path, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "snapshot into %s: %s", path,
			 sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

/* The integer in the first row sql returns; -1 on any error. */
static long long one_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s;
	long long v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* The copy opens, passes quick_check; its row counts go into o. */
static int check_copy(const char *path, struct json_object *o, char *err,
		      size_t errlen)
{
	const char *verdict = NULL;
	sqlite3_stmt *s = NULL;
	long long devices, pairs;
	sqlite3 *db;
	int ok = 0;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) ==
		    SQLITE_OK &&
	    sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &s, NULL) ==
		    SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		verdict = (const char *)sqlite3_column_text(s, 0);
	if (verdict && !strcmp(verdict, "ok")) {
		devices = one_int(db, "SELECT count(*) FROM devices");
		pairs = one_int(db, "SELECT count(*) FROM psk_pairs");
		ok = devices >= 0 && pairs >= 0;
		json_object_object_add(o, "devices",
				       json_object_new_int64(devices));
		json_object_object_add(o, "psk_pairs",
				       json_object_new_int64(pairs));
	}
	if (!ok)
		snprintf(err, errlen, "the copy does not check: %s",
			 verdict ? verdict : sqlite3_errmsg(db));
	sqlite3_finalize(s);
	sqlite3_close(db);
	return ok ? 0 : -1;
}

static int write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Copy the file at path to out_fd and sync it; the byte count into o. */
static int copy_out(const char *path, int out_fd, struct json_object *o,
		    char *err, size_t errlen)
{
	unsigned long long total = 0;
	char buf[64 * 1024];
	int in = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = -1;

	if (in < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	for (;;) {
		n = read(in, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || write_all(out_fd, buf, (size_t)n))
			break;
		total += (unsigned long long)n;
	}
	close(in);
	if (n != 0 || fsync(out_fd)) {
		snprintf(err, errlen, "writing the backup: %s",
			 strerror(errno));
		return -1;
	}
	json_object_object_add(o, "bytes", json_object_new_uint64(total));
	return 0;
}

struct json_object *store_backup(struct store *st, int out_fd, char *err,
				 size_t errlen)
{
	sqlite3 *db = store_db(st);
	const char *src = sqlite3_db_filename(db, "main");
	struct json_object *o;
	char tmp[4096];
	struct stat sb;
	int bad;

	if (out_fd < 0 || fstat(out_fd, &sb) || !S_ISREG(sb.st_mode) ||
	    sb.st_size != 0) {
		snprintf(err, errlen, "the backup needs a new, empty file");
		return NULL;
	}
	if (!src || !*src ||
	    snprintf(tmp, sizeof(tmp), "%s.backup-%d", src, (int)getpid()) >=
		    (int)sizeof(tmp)) {
		snprintf(err, errlen, "the database has no usable path");
		return NULL;
	}
	/* A copy left by a crash in the middle of a backup. */
	unlink(tmp);
	o = json_object_new_object();
	bad = snapshot(db, tmp, err, errlen) ||
	      check_copy(tmp, o, err, errlen) ||
	      copy_out(tmp, out_fd, o, err, errlen);
	unlink(tmp);
	if (bad) {
		json_object_put(o);
		return NULL;
	}
	return o;
}
