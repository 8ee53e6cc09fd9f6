// SPDX-License-Identifier: GPL-2.0-only
/* amtscactl status and stats: the daemon's counters, and the XDP ones. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "control_client.h"

static long long num(struct json_object *o, const char *key)
{
	return (long long)json_object_get_int64(json_object_object_get(o, key));
}

/* "label  key value  key value ..." for every member of o. */
static void print_members(const char *label, struct json_object *o)
{
	printf("%-10s", label);
	json_object_object_foreach(o, key, val)
	{
		if (json_object_is_type(val, json_type_int))
			printf("  %s %lld", key,
			       (long long)json_object_get_int64(val));
	}
	putchar('\n');
}

static int print_status(struct json_object *r)
{
	struct json_object *d = json_object_object_get(r, "daemon");
	long long up = num(d, "uptime_s");

	printf("amtscad pid %lld, backend %s, up %lldh %02lldm %02llds\n",
	       num(r, "pid"),
	       json_object_get_string(json_object_object_get(d, "backend")),
	       up / 3600, up / 60 % 60, up % 60);
	printf("%-10s  accepted %lld  duplicate %lld  invalid %lld  queued %lld\n",
	       "Hellos", num(d, "hellos_accepted"), num(d, "hellos_duplicate"),
	       num(d, "hellos_invalid"), num(d, "queued"));
	printf("%-10s  in flight %lld  done %lld  failed %lld\n", "Sessions",
	       num(d, "sessions_inflight"), num(d, "sessions_done"),
	       num(d, "sessions_failed"));
	print_members("Devices", json_object_object_get(r, "devices"));
	print_members("PSK pairs", json_object_object_get(r, "psk"));
	return fflush(stdout) ? CTL_EXIT_FAILURE : CTL_EXIT_OK;
}

static int print_stats(struct json_object *r)
{
	struct json_object *bpf = json_object_object_get(r, "bpf");
	struct json_object *invalid;

	printf("daemon:\n");
	json_object_object_foreach(json_object_object_get(r, "daemon"), key,
				   val)
	{
		printf("  %-20s %s\n", key, json_object_get_string(val));
	}
	if (!bpf) {
		printf("bpf: none (no XDP program loaded by this daemon)\n");
		return fflush(stdout) ? CTL_EXIT_FAILURE : CTL_EXIT_OK;
	}
	printf("bpf:\n");
	json_object_object_foreach(bpf, bkey, bval)
	{
		if (json_object_is_type(bval, json_type_int))
			printf("  %-20s %lld\n", bkey,
			       (long long)json_object_get_int64(bval));
	}
	invalid = json_object_object_get(bpf, "hello_invalid");
	json_object_object_foreach(invalid, reason, count)
	{
		if (json_object_get_int64(count))
			printf("  hello_invalid.%-6s %lld\n", reason,
			       (long long)json_object_get_int64(count));
	}
	return fflush(stdout) ? CTL_EXIT_FAILURE : CTL_EXIT_OK;
}

/* status and stats: one request, JSON or text. */
static int daemon_query(int argc, char **argv,
			int (*print)(struct json_object *))
{
	int json = ctl_take_flag(&argc, argv, "--json");

	if (argc != 1) {
		fprintf(stderr, "usage: amtscactl %s [--json]\n", argv[0]);
		return CTL_EXIT_USAGE;
	}
	return ctl_query(1, argv, json, print);
}

int cmd_status(int argc, char **argv)
{
	return daemon_query(argc, argv, print_status);
}

int cmd_stats(int argc, char **argv)
{
	return daemon_query(argc, argv, print_stats);
}
