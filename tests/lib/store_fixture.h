/* SPDX-License-Identifier: GPL-2.0-only */
/* A device as the intake records it, for the store tests. */
#ifndef AMTSCA_TESTS_STORE_FIXTURE_H
#define AMTSCA_TESTS_STORE_FIXTURE_H

#include "store.h"

/* The Hello bytes every fixture device is recorded with. */
#define STORE_FIXTURE_HELLO "\x01\x02\x03\x04"
#define STORE_FIXTURE_HELLO_LEN 4

/* uuid queued with mode, address and STORE_FIXTURE_HELLO, as the intake does. */
static inline int store_add_device(struct store *st, const char *uuid,
				   const char *mode, const char *address)
{
	const struct store_hello h = { .uuid = uuid,
				       .mode = mode,
				       .address = address,
				       .hello = STORE_FIXTURE_HELLO,
				       .len = STORE_FIXTURE_HELLO_LEN };

	return store_record_hellos(st, &h, 1);
}

#endif /* AMTSCA_TESTS_STORE_FIXTURE_H */
