// SPDX-License-Identifier: GPL-2.0-only
/* Operator queries and the all-or-nothing PSK import over a real store. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "store_admin.h"
#include "store_fixture.h"

#define PPS1 "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"

FIXTURE(db)
{
	char dir[64];
	char path[96];
	char key[96];
	struct store *st;
};

FIXTURE_SETUP(db)
{
	char err[256];

	strcpy(self->dir, "/tmp/store_admin_test.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->path, sizeof(self->path), "%s/state.db", self->dir);
	snprintf(self->key, sizeof(self->key), "%s/key", self->dir);
	self->st = store_open(self->path, self->key, err, sizeof(err));
	ASSERT_NE(NULL, self->st);
}

FIXTURE_TEARDOWN(db)
{
	char cmd[128];

	store_close(self->st);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
	if (system(cmd) != 0)
		TH_LOG("cannot remove %s", self->dir);
}

static int import(struct store *st, struct psk_csv *csv, const char *text)
{
	if (psk_csv_parse(csv, text, strlen(text)))
		return -2;
	return store_admin_psk_import(st, csv);
}

static const char *json(struct json_object *o)
{
	return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
}

TEST_F(db, import_counts_and_list)
{
	struct json_object *o;
	struct psk_csv csv;
	char mebx[64];

	ASSERT_EQ(0, import(self->st, &csv,
			    "pid,pps,mebx_password\nBBBB2222," PPS1
			    ",Mebx!pw1\nAAAA1111," PPS1 ",\n"));
	psk_csv_free(&csv);
	o = store_admin_psk_counts(self->st);
	EXPECT_STREQ(
		"{\"available\":2,\"assigned\":0,\"consumed\":0,\"total\":2}",
		json(o));
	json_object_put(o);
	o = store_admin_psk_list(self->st);
	EXPECT_STREQ(
		"[{\"pid\":\"AAAA1111\",\"state\":\"available\",\"device\":null},"
		"{\"pid\":\"BBBB2222\",\"state\":\"available\",\"device\":null}]",
		json(o));
	json_object_put(o);
	ASSERT_EQ(0, store_psk_lookup_mebx(self->st, "BBBB2222", mebx,
					   sizeof(mebx)));
	EXPECT_STREQ("Mebx!pw1", mebx);
	EXPECT_EQ(1, store_psk_lookup_mebx(self->st, "AAAA1111", mebx,
					   sizeof(mebx)));
}

TEST_F(db, known_pid_rejects_whole_file)
{
	struct json_object *o;
	struct psk_csv csv;

	ASSERT_EQ(0, import(self->st, &csv, "pid,pps\nAAAA1111," PPS1 "\n"));
	psk_csv_free(&csv);
	ASSERT_EQ(-1,
		  import(self->st, &csv,
			 "pid,pps\nCCCC3333," PPS1 "\nAAAA1111," PPS1 "\n"));
	ASSERT_EQ(1, csv.n_errors);
	EXPECT_EQ(3, csv.errors[0].line);
	EXPECT_STREQ("PID AAAA1111 already imported (available)",
		     csv.errors[0].reason);
	psk_csv_free(&csv);
	o = store_admin_psk_counts(self->st);
	EXPECT_EQ(1, json_object_get_int(json_object_object_get(o, "total")));
	json_object_put(o);
}

TEST_F(db, failing_row_rolls_back_all)
{
	struct store_psk_new pairs[] = {
		{ "DDDD4444", PPS1, "" },
		{ "DDDD4444", PPS1, "" }, /* primary key violation */
	};
	struct json_object *o;

	EXPECT_EQ(-1, store_psk_import_all(self->st, pairs, 2));
	o = store_admin_psk_counts(self->st);
	EXPECT_EQ(0, json_object_get_int(json_object_object_get(o, "total")));
	json_object_put(o);
}

TEST_F(db, devices_and_audit_without_secrets)
{
	const char *uuid = "939b524b-13d4-1d18-e487-1c697a6b7a2b";
	struct json_object *o, *audit;

	ASSERT_EQ(0, store_add_device(self->st, uuid, "psk", "198.18.0.2"));
	ASSERT_EQ(0, store_add_device(self->st, "uuid-2", "pki", "198.18.0.3"));
	ASSERT_EQ(0,
		  store_set_state(self->st, uuid, "in_progress", "tls", NULL));
	ASSERT_EQ(0, store_reserve_admin_password(self->st, uuid,
						  "SECRET-Adm1n!"));
	ASSERT_EQ(0, store_set_state(self->st, uuid, "failed", "digest",
				     "401 after retry"));

	o = store_admin_devices(self->st, NULL);
	EXPECT_EQ(2, json_object_array_length(o));
	EXPECT_EQ(NULL, strstr(json(o), "SECRET"));
	json_object_put(o);
	o = store_admin_devices(self->st, "failed");
	ASSERT_EQ(1, json_object_array_length(o));
	EXPECT_STREQ(uuid, json_object_get_string(json_object_object_get(
				   json_object_array_get_idx(o, 0), "uuid")));
	json_object_put(o);

	o = store_admin_device(self->st, uuid);
	ASSERT_NE(NULL, o);
	EXPECT_EQ(NULL, strstr(json(o), "SECRET"));
	EXPECT_STREQ("digest", json_object_get_string(json_object_object_get(
				       o, "last_error_step")));
	EXPECT_EQ(1,
		  json_object_get_int(json_object_object_get(o, "attempts")));
	audit = json_object_object_get(o, "audit");
	/* The Hello's row, in_progress, failed. */
	ASSERT_EQ(3, json_object_array_length(audit));
	EXPECT_STREQ("401 after retry",
		     json_object_get_string(json_object_object_get(
			     json_object_array_get_idx(audit, 2), "detail")));
	json_object_put(o);
	EXPECT_EQ(NULL, store_admin_device(self->st, "no-such-uuid"));

	o = store_admin_device_counts(self->st);
	EXPECT_STREQ(
		"{\"queued\":1,\"in_progress\":0,\"done\":0,\"failed\":1,\"total\":2}",
		json(o));
	json_object_put(o);
}

/*
 * The control socket opens a second connection in the daemon. That must
 * not drop the first connection's POSIX locks (store_open once closed an
 * fd of the database): without them another process closing its
 * connection thinks it is the last one and deletes the WAL under the
 * daemon. A child asks the kernel whether SQLite's SHARED lock range
 * (PENDING_BYTE + 2, 510 bytes) is still held by this process.
 */
TEST_F(db, second_connection_keeps_first_locked)
{
	struct flock fl = { .l_type = F_WRLCK,
			    .l_whence = SEEK_SET,
			    .l_start = 0x40000002,
			    .l_len = 510 };
	char err[256];
	struct store *other;
	pid_t child;
	int status, fd;

	ASSERT_EQ(0, store_add_device(self->st, "uuid-1", "psk", "198.18.0.2"));
	other = store_open(self->path, self->key, err, sizeof(err));
	ASSERT_NE(NULL, other);
	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) {
		fd = open(self->path, O_RDWR);
		_exit(fd >= 0 && fcntl(fd, F_GETLK, &fl) == 0 &&
				      fl.l_type == F_RDLCK &&
				      fl.l_pid == getppid() ?
			      0 :
			      1);
	}
	ASSERT_EQ(child, waitpid(child, &status, 0));
	EXPECT_EQ(0, status);
	store_close(other);
}

TEST_HARNESS_MAIN
