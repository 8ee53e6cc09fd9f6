// SPDX-License-Identifier: GPL-2.0-only
/* amtscactl devices [--state S] [--watch] and device UUID, never secrets. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "control_client.h"
#include "table.h"

static const struct table_col device_cols[] = {
	{ "UUID", "uuid" },
	{ "STATE", "state" },
	{ "MODE", "mode" },
	{ "ADDRESS", "address" },
	{ "ATTEMPTS", "attempts" },
	{ "HOSTNAME", "hostname" },
	{ "ERROR STEP", "last_error_step" },
	{ "ERROR", "last_error_reason" },
	{ "UPDATED (UTC)", "updated_at" },
};

static const struct table_col audit_cols[] = {
	{ "SEQ", "seq" },	  { "TIME (UTC)", "ts" }, { "STEP", "step" },
	{ "OUTCOME", "outcome" }, { "DETAIL", "detail" },
};

#define NCOLS(c) ((int)(sizeof(c) / sizeof((c)[0])))

static long long count(struct json_object *counts, const char *state)
{
	return (long long)json_object_get_int64(
		json_object_object_get(counts, state));
}

/* "N devices: queued a, in_progress b, done c, failed d (p% finished)". */
static void print_progress(struct json_object *counts)
{
	long long total = count(counts, "total");
	long long finished = count(counts, "done") + count(counts, "failed");

	printf("%lld devices: queued %lld, in_progress %lld, done %lld, failed %lld (%lld%% finished)\n",
	       total, count(counts, "queued"), count(counts, "in_progress"),
	       count(counts, "done"), count(counts, "failed"),
	       total ? finished * 100 / total : 0);
}

static int devices_once(char **req, int nreq, int json, int watch,
			int *finished)
{
	struct json_object *r, *counts;
	int rc;

	rc = ctl_call_ok(nreq, req, NULL, &r);
	if (rc)
		return rc;
	counts = json_object_object_get(r, "counts");
	*finished = count(counts, "total") > 0 && !count(counts, "queued") &&
		    !count(counts, "in_progress");
	if (json) {
		rc = ctl_print_json(r);
	} else {
		if (watch && isatty(STDOUT_FILENO))
			fputs("\033[H\033[2J", stdout);
		print_progress(counts);
		rc = table_print(device_cols, NCOLS(device_cols),
				 json_object_object_get(r, "devices"));
	}
	json_object_put(r);
	return rc;
}

int cmd_devices(int argc, char **argv)
{
	int json = ctl_take_flag(&argc, argv, "--json");
	int watch = ctl_take_flag(&argc, argv, "--watch");
	char *req[2] = { "devices", NULL };
	int finished = 0, rc;

	if (argc == 3 && !strcmp(argv[1], "--state"))
		req[1] = argv[2];
	else if (argc != 1) {
		fputs("usage: amtscactl devices [--state queued|in_progress|done|failed] [--watch] [--json]\n",
		      stderr);
		return CTL_EXIT_USAGE;
	}
	/* --watch: refresh every second until every device has finished. */
	do {
		rc = devices_once(req, req[1] ? 2 : 1, json, watch, &finished);
	} while (watch && !rc && !finished && sleep(1) == 0);
	return rc;
}

static int print_device(struct json_object *r)
{
	struct json_object *dev = json_object_object_get(r, "device");
	char buf[64];
	int i;

	for (i = 0; i < NCOLS(device_cols); i++)
		printf("%-14s %s\n", device_cols[i].title,
		       table_cell(device_cols[i].key,
				  json_object_object_get(dev,
							 device_cols[i].key),
				  buf, sizeof(buf)));
	printf("%-14s %s\n\n", "DOMAIN",
	       table_cell("domain", json_object_object_get(dev, "domain"), buf,
			  sizeof(buf)));
	return table_print(audit_cols, NCOLS(audit_cols),
			   json_object_object_get(dev, "audit"));
}

int cmd_device(int argc, char **argv)
{
	int json = ctl_take_flag(&argc, argv, "--json");

	if (argc != 2) {
		fputs("usage: amtscactl device UUID [--json]\n", stderr);
		return CTL_EXIT_USAGE;
	}
	return ctl_query(2, argv, json, print_device);
}
