// SPDX-License-Identifier: GPL-2.0-only
/* The SQLite store: durable secrets, exclusive PSK assignment, audit order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "store.h"
#include "store_fixture.h"

FIXTURE(db)
{
	char dir[64];
	char db[96];
	char key[96];
	char err[256];
};

FIXTURE_SETUP(db)
{
	strcpy(self->dir, "/tmp/store_test.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->db, sizeof(self->db), "%s/state.db", self->dir);
	snprintf(self->key, sizeof(self->key), "%s/key", self->dir);
}

FIXTURE_TEARDOWN(db)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
	if (system(cmd) != 0)
		TH_LOG("cannot remove %s", self->dir);
}

TEST_F(db, reserved_secret_survives_reopen)
{
	struct store *st;
	char pw[64];

	st = store_open(self->db, self->key, self->err, sizeof(self->err));
	ASSERT_NE(NULL, st);
	ASSERT_EQ(0, store_add_device(st, "uuid-1", "psk", "198.18.0.2"));
	ASSERT_EQ(0, store_reserve_admin_password(st, "uuid-1", "Adm1n!pw"));
	store_close(st);
	st = store_open(self->db, self->key, self->err, sizeof(self->err));
	ASSERT_NE(NULL, st);
	ASSERT_EQ(0, store_get_admin_password(st, "uuid-1", pw, sizeof(pw)));
	EXPECT_STREQ("Adm1n!pw", pw);
	EXPECT_EQ(-1, store_get_admin_password(st, "uuid-2", pw, sizeof(pw)));
	store_close(st);
}

TEST_F(db, two_connections_never_share_a_pair)
{
	struct store *a, *b;
	char pid[32], seen[4][32], pps[64];
	int i;

	a = store_open(self->db, self->key, self->err, sizeof(self->err));
	ASSERT_NE(NULL, a);
	b = store_open(self->db, self->key, self->err, sizeof(self->err));
	ASSERT_NE(NULL, b);
	ASSERT_EQ(0, store_psk_import(a, "PID1", "PPS-one"));
	ASSERT_EQ(0, store_psk_import(a, "PID2", "PPS-two"));
	ASSERT_EQ(0, store_psk_import(a, "PID3", "PPS-three"));
	EXPECT_EQ(-1, store_psk_import(b, "PID1", "dup"));
	for (i = 0; i < 3; i++) {
		char uuid[16];

		snprintf(uuid, sizeof(uuid), "dev-%d", i);
		ASSERT_EQ(0, store_psk_assign(i % 2 ? b : a, uuid, seen[i],
					      sizeof(seen[i])));
	}
	EXPECT_STRNE(seen[0], seen[1]);
	EXPECT_STRNE(seen[1], seen[2]);
	EXPECT_STRNE(seen[0], seen[2]);
	EXPECT_EQ(-1, store_psk_assign(b, "dev-9", pid, sizeof(pid)));
	ASSERT_EQ(0, store_psk_lookup(b, "PID2", pps, sizeof(pps)));
	EXPECT_STREQ("PPS-two", pps);
	store_close(a);
	store_close(b);
}

TEST_F(db, audit_seq_has_no_hole)
{
	struct store *st;
	sqlite3 *raw;
	sqlite3_stmt *s;
	int i, want = 1;

	st = store_open(self->db, self->key, self->err, sizeof(self->err));
	ASSERT_NE(NULL, st);
	ASSERT_EQ(0, store_add_device(st, "uuid-1", "psk", "198.18.0.2"));
	for (i = 0; i < 5; i++) {
		ASSERT_EQ(0, store_set_state(st, "uuid-1", "in_progress",
					     "connect", NULL));
		/* A change to an unknown device is refused and audits nothing. */
		EXPECT_EQ(-1, store_set_state(st, "nope", "failed", "x", "y"));
		ASSERT_EQ(0, store_set_state(st, "uuid-1", "failed", "digest",
					     "401"));
	}
	store_close(st);
	ASSERT_EQ(SQLITE_OK, sqlite3_open(self->db, &raw));
	ASSERT_EQ(SQLITE_OK,
		  sqlite3_prepare_v2(raw, "SELECT seq FROM audit ORDER BY seq",
				     -1, &s, NULL));
	while (sqlite3_step(s) == SQLITE_ROW)
		EXPECT_EQ(want++, sqlite3_column_int(s, 0));
	/* The Hello's row, then two per round. */
	EXPECT_EQ(12, want);
	sqlite3_finalize(s);
	sqlite3_close(raw);
}

TEST_HARNESS_MAIN
