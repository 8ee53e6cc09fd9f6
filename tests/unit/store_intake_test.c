// SPDX-License-Identifier: GPL-2.0-only
/* The Hello intake's store function: store_record_hellos. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "kselftest_harness.h"
#include "store_db_fixture.h"
#include "store.h"

struct resumed {
	int n;
	char uuid[64], addr[64];
	unsigned char hello[8];
	size_t len;
};

static void on_resume(void *ctx, const char *uuid, const char *addr,
		      const void *hello, size_t len)
{
	struct resumed *r = ctx;

	r->n++;
	snprintf(r->uuid, sizeof(r->uuid), "%s", uuid);
	snprintf(r->addr, sizeof(r->addr), "%s", addr);
	r->len = len < sizeof(r->hello) ? len : sizeof(r->hello);
	memcpy(r->hello, hello, r->len);
}

/* One Hello alone, as store_record_hellos records it. */
static int record(struct store *st, const char *uuid, const char *mode,
		  const char *addr, const void *hello, size_t len)
{
	const struct store_hello h = { uuid, mode, addr, hello, len };

	return store_record_hellos(st, &h, 1);
}

/* Rows of uuid in table (the uuid column), -1 on error. */
static int rows(struct store *st, const char *table, const char *uuid)
{
	char sql[128];
	sqlite3_stmt *s;
	int n = -1;

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s WHERE uuid = ?1",
		 table);
	if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(s, 1, uuid, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return n;
}

TEST_F(db, recorded_hello_is_queued_and_resumable)
{
	struct resumed r = { 0 };
	struct store_device d;

	ASSERT_EQ(0, record(self->st, "u1", "psk", "198.18.0.2", "\x01\x02\x03",
			    3));
	ASSERT_EQ(0, store_get_device(self->st, "u1", &d));
	EXPECT_STREQ("queued", d.state);
	EXPECT_STREQ("psk", d.mode);
	EXPECT_EQ(0, d.attempts);
	EXPECT_EQ(1, rows(self->st, "audit", "u1"));
	EXPECT_EQ(1, store_for_each_resumable(self->st, on_resume, &r));
	EXPECT_STREQ("u1", r.uuid);
	EXPECT_STREQ("198.18.0.2", r.addr);
	ASSERT_EQ(3, r.len);
	EXPECT_EQ(0, memcmp(r.hello, "\x01\x02\x03", 3));
}

/* A device that failed says Hello again: queued, new mode, new Hello. */
TEST_F(db, second_hello_requeues_the_device)
{
	struct resumed r = { 0 };
	struct store_device d;

	ASSERT_EQ(0, record(self->st, "u1", "psk", "198.18.0.2", "\x01", 1));
	ASSERT_EQ(0, store_set_state(self->st, "u1", "in_progress", "start",
				     NULL));
	ASSERT_EQ(0, store_set_state(self->st, "u1", "failed", "tls", "eof"));
	ASSERT_EQ(0,
		  record(self->st, "u1", "pki", "198.18.0.9", "\x02\x03", 2));
	ASSERT_EQ(0, store_get_device(self->st, "u1", &d));
	EXPECT_STREQ("queued", d.state);
	EXPECT_STREQ("pki", d.mode);
	EXPECT_EQ(1, d.attempts);
	EXPECT_STREQ("tls", d.error_step);
	EXPECT_EQ(4, rows(self->st, "audit", "u1"));
	EXPECT_EQ(1, rows(self->st, "device_hello", "u1"));
	EXPECT_EQ(1, store_for_each_resumable(self->st, on_resume, &r));
	EXPECT_STREQ("198.18.0.9", r.addr);
	ASSERT_EQ(2, r.len);
	EXPECT_EQ(0, memcmp(r.hello, "\x02\x03", 2));
}

/* A Hello whose audit row cannot be written leaves no device or Hello. */
TEST_F(db, failed_hello_leaves_nothing)
{
	struct store_device d;

	ASSERT_EQ(SQLITE_OK,
		  sqlite3_exec(store_db(self->st),
			       "CREATE TRIGGER refuse BEFORE INSERT ON audit"
			       " WHEN NEW.uuid = 'bad'"
			       " BEGIN SELECT RAISE(ABORT, 'refused'); END",
			       NULL, NULL, NULL));
	EXPECT_EQ(-1, record(self->st, "bad", "psk", "198.18.0.3", "\x01", 1));
	EXPECT_EQ(1, store_get_device(self->st, "bad", &d));
	EXPECT_EQ(0, rows(self->st, "device_hello", "bad"));
	EXPECT_EQ(0, record(self->st, "u1", "psk", "198.18.0.2", "\x01", 1));
	/* In a batch the caller undoes the batch, as intake.c does. */
	ASSERT_EQ(0, store_batch_begin(self->st));
	EXPECT_EQ(0, record(self->st, "u2", "psk", "198.18.0.4", "\x01", 1));
	EXPECT_EQ(-1, record(self->st, "bad", "psk", "198.18.0.3", "\x01", 1));
	EXPECT_EQ(-1, store_batch_end(self->st, 0));
	EXPECT_EQ(0, store_get_device(self->st, "u1", &d));
	EXPECT_EQ(1, store_get_device(self->st, "u2", &d));
	EXPECT_EQ(1, store_get_device(self->st, "bad", &d));
	EXPECT_EQ(0, rows(self->st, "device_hello", "bad"));
	/* The connection is usable again. */
	EXPECT_EQ(0, record(self->st, "u2", "psk", "198.18.0.4", "\x01", 1));
}

/*
 * Hellos are written 16 rows to a statement, the rest one by one: 37
 * devices (two full statements and five single rows) each get their row,
 * Hello and audit row; one of them a second time in the same call is an
 * update, not a second device.
 */
TEST_F(db, many_hellos_in_one_call)
{
	struct store_hello h[38];
	char uuid[37][8], addr[37][16];
	unsigned char hello[37];
	struct store_device d;
	int i;

	for (i = 0; i < 37; i++) {
		snprintf(uuid[i], sizeof(uuid[i]), "u%02d", i);
		snprintf(addr[i], sizeof(addr[i]), "198.18.1.%d", i + 1);
		hello[i] = (unsigned char)i;
		h[i] = (struct store_hello){ uuid[i], i % 2 ? "pki" : "psk",
					     addr[i], &hello[i], 1 };
	}
	h[37] = (struct store_hello){ uuid[3], "psk", "198.18.9.9", hello, 1 };
	ASSERT_EQ(0, store_record_hellos(self->st, h, 38));
	for (i = 0; i < 37; i++) {
		ASSERT_EQ(0, store_get_device(self->st, uuid[i], &d));
		EXPECT_STREQ("queued", d.state);
		EXPECT_STREQ(i % 2 && i != 3 ? "pki" : "psk", d.mode);
		EXPECT_EQ(1, rows(self->st, "device_hello", uuid[i]));
		EXPECT_EQ(i == 3 ? 2 : 1, rows(self->st, "audit", uuid[i]));
	}
}

/* A batch that is rolled back takes its Hellos with it. */
TEST_F(db, rolled_back_batch_records_nothing)
{
	struct store_device d;

	ASSERT_EQ(0, store_batch_begin(self->st));
	EXPECT_EQ(0, record(self->st, "u1", "psk", "198.18.0.2", "\x01", 1));
	EXPECT_EQ(-1, store_batch_end(self->st, 0));
	EXPECT_EQ(1, store_get_device(self->st, "u1", &d));
	EXPECT_EQ(0, rows(self->st, "device_hello", "u1"));
	EXPECT_EQ(0, rows(self->st, "audit", "u1"));
}

TEST_HARNESS_MAIN
