/* SPDX-License-Identifier: GPL-2.0-only */
/* Aligned text tables: columns sized to their widest cell. */
#ifndef AMTSCACTL_TABLE_H
#define AMTSCACTL_TABLE_H

#include <stdio.h>

#include <json-c/json.h>

#define TABLE_COLS_MAX 10

struct table_col {
	const char *title; /* header, e.g. "STATE" */
	const char *key; /* JSON member of each row */
};

/*
 * Print rows (a JSON array of objects) as a table of cols on stdout:
 * strings as is, numbers in decimal, null as "-", members named "*_at" or
 * "ts" (Unix seconds) as UTC times. Returns CTL_EXIT_OK, or
 * CTL_EXIT_FAILURE on a write error.
 */
int table_print(const struct table_col *cols, int ncols,
		struct json_object *rows);
/* One cell as table_print shows it; buf holds at least 64 bytes. */
const char *table_cell(const char *key, struct json_object *v, char *buf,
		       size_t len);

#endif /* AMTSCACTL_TABLE_H */
