// SPDX-License-Identifier: GPL-2.0-only
/* The session's store functions: MEBx per PID, saved Hellos, new pairs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "kselftest_harness.h"
#include "store_db_fixture.h"
#include "store.h"
#include "store_fixture.h"

TEST_F(db, mebx_password_per_pid)
{
	char out[64];

	ASSERT_EQ(0, store_psk_import_mebx(self->st, "PIDA0001", "PPSA",
					   "Mebx!pw1"));
	ASSERT_EQ(0, store_psk_import_mebx(self->st, "PIDB0002", "PPSB", ""));
	EXPECT_EQ(0, store_psk_lookup_mebx(self->st, "PIDA0001", out,
					   sizeof(out)));
	EXPECT_STREQ("Mebx!pw1", out);
	EXPECT_EQ(1, store_psk_lookup_mebx(self->st, "PIDB0002", out,
					   sizeof(out)));
	/* A duplicate PID imports nothing, not even its MEBx password. */
	EXPECT_EQ(-1, store_psk_import_mebx(self->st, "PIDB0002", "X", "y"));
	EXPECT_EQ(1, store_psk_lookup_mebx(self->st, "PIDB0002", out,
					   sizeof(out)));
	ASSERT_EQ(0, store_psk_lookup(self->st, "PIDA0001", out, sizeof(out)));
	EXPECT_STREQ("PPSA", out);
}

static int resumed;
static char resumed_uuid[64];

static void on_resume(void *ctx, const char *uuid, const char *addr,
		      const void *hello, size_t len)
{
	(void)ctx;
	(void)addr;
	resumed++;
	snprintf(resumed_uuid, sizeof(resumed_uuid), "%s", uuid);
	if (len != STORE_FIXTURE_HELLO_LEN ||
	    memcmp(hello, STORE_FIXTURE_HELLO, len))
		resumed = -100;
}

TEST_F(db, resume_queued_and_in_progress_only)
{
	ASSERT_EQ(0, store_add_device(self->st, "u1", "psk", "198.18.0.2"));
	ASSERT_EQ(0, store_add_device(self->st, "u2", "psk", "198.18.0.3"));
	ASSERT_EQ(0, store_add_device(self->st, "u3", "pki", "198.18.0.4"));
	ASSERT_EQ(SQLITE_OK,
		  sqlite3_exec(store_db(self->st),
			       "DELETE FROM device_hello WHERE uuid = 'u3'",
			       NULL, NULL, NULL));
	ASSERT_EQ(0, store_set_state(self->st, "u1", "in_progress", "start",
				     NULL));
	ASSERT_EQ(0, store_set_state(self->st, "u2", "done", "commit", NULL));
	/* u3 has no saved Hello: nothing to resume from. */
	resumed = 0;
	EXPECT_EQ(1, store_for_each_resumable(self->st, on_resume, NULL));
	EXPECT_EQ(1, resumed);
	EXPECT_STREQ("u1", resumed_uuid);
	ASSERT_EQ(0, store_park_in_progress(self->st));
	{
		struct store_device d;

		ASSERT_EQ(0, store_get_device(self->st, "u1", &d));
		EXPECT_STREQ("queued", d.state);
		EXPECT_EQ(1, d.attempts);
		EXPECT_EQ(1, store_get_device(self->st, "nope", &d));
	}
}

TEST_F(db, profile_and_new_pair)
{
	struct store_device d;
	char pid[16], pps[64];

	ASSERT_EQ(0, store_add_device(self->st, "u1", "psk", "198.18.0.2"));
	ASSERT_EQ(0, store_set_profile(self->st, "u1", "amt-abc", "amt.test"));
	EXPECT_EQ(-1, store_set_profile(self->st, "zz", "h", "d"));
	EXPECT_EQ(1, store_get_new_psk(self->st, "u1", pid, sizeof(pid), pps,
				       sizeof(pps)));
	ASSERT_EQ(0, store_save_new_psk(self->st, "u1", "NEWPID01", "P1"));
	ASSERT_EQ(0, store_save_new_psk(self->st, "u1", "NEWPID02", "P2"));
	ASSERT_EQ(0, store_get_new_psk(self->st, "u1", pid, sizeof(pid), pps,
				       sizeof(pps)));
	EXPECT_STREQ("NEWPID02", pid);
	EXPECT_STREQ("P2", pps);
	ASSERT_EQ(0,
		  store_set_state(self->st, "u1", "failed", "tls", "bad key"));
	ASSERT_EQ(0, store_get_device(self->st, "u1", &d));
	EXPECT_STREQ("failed", d.state);
	EXPECT_STREQ("amt-abc", d.hostname);
	EXPECT_STREQ("amt.test", d.domain);
	EXPECT_STREQ("tls", d.error_step);
	EXPECT_STREQ("bad key", d.error_reason);
}

/* PRAGMA synchronous of the store's connection: 1 NORMAL, 2 FULL. */
static int sync_level(struct store *st)
{
	sqlite3_stmt *s;
	int level = -1;

	if (sqlite3_prepare_v2(store_db(st), "PRAGMA synchronous", -1, &s,
			       NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		level = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return level;
}

/*
 * Secrets of several devices committed together: the batch syncs (FULL)
 * once; a plain batch refuses them, so a secret is never left behind a
 * commit that does not reach the disk.
 */
TEST_F(db, secrets_group_commit)
{
	char pw[64], pid[16], pps[64];
	struct store *again;

	ASSERT_EQ(0, store_add_device(self->st, "u1", "psk", "198.18.0.2"));
	ASSERT_EQ(0, store_add_device(self->st, "u2", "pki", "198.18.0.3"));
	EXPECT_EQ(1, sync_level(self->st));
	ASSERT_EQ(0, store_durable_batch_begin(self->st));
	EXPECT_EQ(2, sync_level(self->st));
	EXPECT_EQ(0, store_reserve_admin_password(self->st, "u1", "Adm1n!one"));
	EXPECT_EQ(0, store_save_new_psk(self->st, "u1", "NEWPID01", "PPS1"));
	EXPECT_EQ(0, store_reserve_admin_password(self->st, "u2", "Adm1n!two"));
	/* A failing one undoes only itself. */
	EXPECT_EQ(-1, store_reserve_admin_password(self->st, "nobody", "x"));
	ASSERT_EQ(0, store_batch_end(self->st, 1));
	EXPECT_EQ(1, sync_level(self->st));

	ASSERT_EQ(0, store_batch_begin(self->st));
	EXPECT_EQ(-1, store_durable_batch_begin(self->st));
	EXPECT_EQ(-1,
		  store_reserve_admin_password(self->st, "u1", "Other!pw1"));
	EXPECT_EQ(-1, store_save_new_psk(self->st, "u1", "NEWPID02", "PPS2"));
	EXPECT_EQ(0, store_set_profile(self->st, "u1", "amt-u1", "amt.test"));
	ASSERT_EQ(0, store_batch_end(self->st, 1));

	ASSERT_EQ(0, store_durable_batch_begin(self->st));
	EXPECT_EQ(0, store_reserve_admin_password(self->st, "u2", "Undone!p2"));
	EXPECT_EQ(-1, store_batch_end(self->st, 0));
	EXPECT_EQ(1, sync_level(self->st));

	again = store_open(self->db, self->key, self->err, sizeof(self->err));
	ASSERT_NE(NULL, again);
	ASSERT_EQ(0, store_get_admin_password(again, "u1", pw, sizeof(pw)));
	EXPECT_STREQ("Adm1n!one", pw);
	ASSERT_EQ(0, store_get_admin_password(again, "u2", pw, sizeof(pw)));
	EXPECT_STREQ("Adm1n!two", pw);
	ASSERT_EQ(0, store_get_new_psk(again, "u1", pid, sizeof(pid), pps,
				       sizeof(pps)));
	EXPECT_STREQ("NEWPID01", pid);
	EXPECT_STREQ("PPS1", pps);
	store_close(again);
}

TEST_HARNESS_MAIN
