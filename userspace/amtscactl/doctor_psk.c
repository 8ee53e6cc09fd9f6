// SPDX-License-Identifier: GPL-2.0-only
/*
 * doctor: PID/PPS pairs left for PSK (Hello v2) devices, read from the
 * state database opened read-only, so doctor never creates or changes it.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "doctor.h"

#define PSK_LOW_WATER 10

void doctor_check_psk(struct doctor *d)
{
	static const char sql[] =
		"SELECT COUNT(*) FILTER (WHERE state = 'available'),"
		" COUNT(*) FILTER (WHERE state = 'assigned'),"
		" COUNT(*) FILTER (WHERE state = 'consumed') FROM psk_pairs";
	const char *path = d->cfg.db_path;
	sqlite3_stmt *stmt = NULL;
	sqlite3 *db = NULL;
	int available, assigned, consumed;

	if (access(path, F_OK)) {
		doctor_report(
			d, DOCTOR_WARN, "psk",
			"start amtscad once, then amtscactl psk import FILE.csv",
			"no state database at %s yet", path);
		return;
	}
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) !=
		    SQLITE_OK ||
	    sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK ||
	    sqlite3_step(stmt) != SQLITE_ROW) {
		doctor_report(d, DOCTOR_FAIL, "psk",
			      "run doctor as root, or check daemon.db_path",
			      "cannot read %s: %s", path, sqlite3_errmsg(db));
		goto out;
	}
	available = sqlite3_column_int(stmt, 0);
	assigned = sqlite3_column_int(stmt, 1);
	consumed = sqlite3_column_int(stmt, 2);
	if (!available)
		doctor_report(
			d, DOCTOR_FAIL, "psk",
			"import the PID/PPS pairs of the next devices: amtscactl psk import FILE.csv",
			"no PID/PPS pairs left (%d assigned, %d used): PSK devices cannot be provisioned",
			assigned, consumed);
	else
		doctor_report(
			d, available < PSK_LOW_WATER ? DOCTOR_WARN : DOCTOR_OK,
			"psk", "import more: amtscactl psk import FILE.csv",
			"%d PID/PPS pairs left (%d assigned, %d used)",
			available, assigned, consumed);
out:
	sqlite3_finalize(stmt);
	sqlite3_close(db);
}
