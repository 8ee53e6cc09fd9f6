/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A consistent copy of the state database, taken while the daemon runs,
 * written to a descriptor the operator opened (amtscactl backup).
 */
#ifndef AMTSCA_STORE_BACKUP_H
#define AMTSCA_STORE_BACKUP_H

#include <json-c/json.h>

#include "store.h"

/*
 * Snapshot st's database (VACUUM INTO a temporary file beside it, one read
 * transaction, so writers carry on), check the copy (PRAGMA quick_check),
 * write it to out_fd, an empty regular file, and sync it. Returns
 * {"bytes":N,"devices":N,"psk_pairs":N}, or NULL with err set; the
 * temporary file is removed either way. Sealed columns stay sealed: the
 * copy needs the same key file to be read.
 */
struct json_object *store_backup(struct store *st, int out_fd, char *err,
				 size_t errlen);

#endif /* AMTSCA_STORE_BACKUP_H */
