// SPDX-License-Identifier: GPL-2.0-only
/* Aligned text tables from JSON rows. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "table.h"

static int is_time_key(const char *key)
{
	size_t n = strlen(key);

	return !strcmp(key, "ts") || (n > 3 && !strcmp(key + n - 3, "_at"));
}

const char *table_cell(const char *key, struct json_object *v, char *buf,
		       size_t len)
{
	struct tm tm;
	time_t t;

	switch (json_object_get_type(v)) {
	case json_type_null:
		return "-";
	case json_type_string:
		return json_object_get_string(v);
	case json_type_int:
		if (is_time_key(key)) {
			t = (time_t)json_object_get_int64(v);
			if (gmtime_r(&t, &tm) &&
			    strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm))
				return buf;
		}
		snprintf(buf, len, "%lld", (long long)json_object_get_int64(v));
		return buf;
	default:
		return json_object_to_json_string_ext(v,
						      JSON_C_TO_STRING_PLAIN);
	}
}

static const char *cell_at(struct json_object *rows, size_t r,
			   const struct table_col *col, char *buf, size_t len)
{
	return table_cell(col->key,
			  json_object_object_get(
				  json_object_array_get_idx(rows, r), col->key),
			  buf, len);
}

int table_print(const struct table_col *cols, int ncols,
		struct json_object *rows)
{
	size_t n = json_object_array_length(rows), r;
	int width[TABLE_COLS_MAX], c, w;
	char buf[64];
	const char *s;

	for (c = 0; c < ncols; c++)
		width[c] = (int)strlen(cols[c].title);
	for (r = 0; r < n; r++) {
		for (c = 0; c < ncols; c++) {
			w = (int)strlen(
				cell_at(rows, r, &cols[c], buf, sizeof(buf)));
			if (w > width[c])
				width[c] = w;
		}
	}
	for (c = 0; c < ncols; c++)
		printf("%-*s%s", c + 1 < ncols ? width[c] : 0, cols[c].title,
		       c + 1 < ncols ? "  " : "\n");
	for (r = 0; r < n; r++) {
		for (c = 0; c < ncols; c++) {
			s = cell_at(rows, r, &cols[c], buf, sizeof(buf));
			printf("%-*s%s", c + 1 < ncols ? width[c] : 0, s,
			       c + 1 < ncols ? "  " : "\n");
		}
	}
	return fflush(stdout) || ferror(stdout) ? CTL_EXIT_FAILURE :
						  CTL_EXIT_OK;
}
