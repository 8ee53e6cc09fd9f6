// SPDX-License-Identifier: GPL-2.0-only
/*
 * amtscactl psk import FILE.csv | psk list: the file is opened here, with
 * the operator's rights, and its descriptor passed to amtscad, which parses
 * and imports it in one transaction. PPS values are never shown.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "control_client.h"
#include "table.h"

static const struct table_col pair_cols[] = {
	{ "PID", "pid" },
	{ "STATE", "state" },
	{ "DEVICE", "device" },
};

static void print_counts(struct json_object *counts)
{
	printf("available %lld, assigned %lld, consumed %lld, total %lld\n",
	       (long long)json_object_get_int64(
		       json_object_object_get(counts, "available")),
	       (long long)json_object_get_int64(
		       json_object_object_get(counts, "assigned")),
	       (long long)json_object_get_int64(
		       json_object_object_get(counts, "consumed")),
	       (long long)json_object_get_int64(
		       json_object_object_get(counts, "total")));
}

/* Each error as FILE:LINE: reason, then the summary. */
static int print_import_errors(const char *path, struct json_object *r)
{
	struct json_object *errors = json_object_object_get(r, "errors"), *e;
	long long total =
		json_object_get_int64(json_object_object_get(r, "error_count"));
	size_t i, n = errors ? json_object_array_length(errors) : 0;
	int line;

	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(errors, i);
		line = json_object_get_int(json_object_object_get(e, "line"));
		if (line)
			fprintf(stderr, "%s:%d: ", path, line);
		else
			fprintf(stderr, "%s: ", path);
		fprintf(stderr, "%s\n",
			json_object_get_string(
				json_object_object_get(e, "reason")));
	}
	if (total > (long long)n)
		fprintf(stderr, "%s: %lld more errors not shown\n", path,
			total - (long long)n);
	fprintf(stderr, "amtscactl: %s: %s\n", path,
		json_object_get_string(json_object_object_get(r, "error")));
	return errors ? CTL_EXIT_INVALID : CTL_EXIT_FAILURE;
}

static int psk_import(const char *path, int json)
{
	char *req[] = { "psk", "import" };
	struct json_object *r;
	int rc;

	rc = ctl_call(2, req, path, &r);
	if (rc)
		return rc;
	if (json) {
		rc = ctl_print_json(r);
		if (!rc &&
		    !json_object_get_boolean(json_object_object_get(r, "ok")))
			rc = json_object_object_get(r, "errors") ?
				     CTL_EXIT_INVALID :
				     CTL_EXIT_FAILURE;
	} else if (json_object_get_boolean(json_object_object_get(r, "ok"))) {
		printf("imported %lld pairs from %s; pairs now: ",
		       (long long)json_object_get_int64(
			       json_object_object_get(r, "imported")),
		       path);
		print_counts(json_object_object_get(r, "psk"));
		rc = fflush(stdout) ? CTL_EXIT_FAILURE : CTL_EXIT_OK;
	} else {
		rc = print_import_errors(path, r);
	}
	json_object_put(r);
	return rc;
}

static int print_pairs(struct json_object *r)
{
	printf("PSK pairs: ");
	print_counts(json_object_object_get(r, "counts"));
	return table_print(pair_cols, 3, json_object_object_get(r, "pairs"));
}

int cmd_psk(int argc, char **argv)
{
	int json = ctl_take_flag(&argc, argv, "--json");

	if (argc == 3 && !strcmp(argv[1], "import"))
		return psk_import(argv[2], json);
	if (argc == 2 && !strcmp(argv[1], "list"))
		return ctl_query(argc, argv, json, print_pairs);
	fputs("usage: amtscactl psk import FILE.csv [--json]\n"
	      "       amtscactl psk list [--json]\n",
	      stderr);
	return CTL_EXIT_USAGE;
}
