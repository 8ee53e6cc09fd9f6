/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef AMTSCA_HELLO_JSON_H
#define AMTSCA_HELLO_JSON_H

#include <stddef.h>
#include <stdio.h>

#include <amtsca/hello.h>

/* Format a device UUID in SMBIOS order (first three groups byte-swapped). */
void amt_uuid_format(const __u8 uuid[16], char out[37]);

/* Name of a hash type as used in JSON ("sha1", "sha256", ...). */
const char *amt_hash_alg_name(__u8 type, __u32 flags);

/*
 * Write a validated Hello as one JSON object (no trailing newline).
 * buf/info must come from a successful amt_hello_validate().
 */
int amt_hello_write_json(FILE *out, const __u8 *buf,
			 const struct amt_hello_info *info, __u32 flags);

#endif /* AMTSCA_HELLO_JSON_H */
