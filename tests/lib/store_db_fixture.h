/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * FIXTURE(db) for the store tests: a fresh database and key in a temporary
 * directory, self->st open on it, all removed afterwards. Include after
 * kselftest_harness.h, once per test program.
 */
#ifndef AMTSCA_TESTS_STORE_DB_FIXTURE_H
#define AMTSCA_TESTS_STORE_DB_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store.h"

FIXTURE(db)
{
	char dir[64], db[96], key[96], err[256];
	struct store *st;
};

FIXTURE_SETUP(db)
{
	strcpy(self->dir, "/tmp/store_test.XXXXXX");
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

#endif /* AMTSCA_TESTS_STORE_DB_FIXTURE_H */
