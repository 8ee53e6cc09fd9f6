// SPDX-License-Identifier: GPL-2.0-only
/* The session's store functions: MEBx per PID, saved Hellos, new pairs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "store.h"

FIXTURE(db)
{
	char dir[64], db[96], key[96], err[256];
	struct store *st;
};

FIXTURE_SETUP(db)
{
	strcpy(self->dir, "/tmp/store_session.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->db, sizeof(self->db), "%s/state.db", self->dir);
	snprintf(self->key, sizeof(self->key), "%s/key", self->dir);
	self->st =
		store_open(self->db, self->key, self->err, sizeof(self->err));
	ASSERT_NE(NULL, self->st);
}

FIXTURE_TEARDOWN(db)
{
	char cmd[128];

	store_close(self->st);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
	if (system(cmd))
		TH_LOG("cannot remove %s", self->dir);
}

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
	if (len != 4 || memcmp(hello, "\x01\x02\x03\x04", 4))
		resumed = -100;
}

TEST_F(db, resume_queued_and_in_progress_only)
{
	ASSERT_EQ(0, store_upsert_device(self->st, "u1", "psk", "198.18.0.2"));
	ASSERT_EQ(0, store_upsert_device(self->st, "u2", "psk", "198.18.0.3"));
	ASSERT_EQ(0, store_upsert_device(self->st, "u3", "pki", "198.18.0.4"));
	ASSERT_EQ(0, store_save_hello(self->st, "u1", "\x01\x02\x03\x04", 4));
	ASSERT_EQ(0, store_save_hello(self->st, "u2", "\x01\x02\x03\x04", 4));
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

	ASSERT_EQ(0, store_upsert_device(self->st, "u1", "psk", "198.18.0.2"));
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

TEST_HARNESS_MAIN
