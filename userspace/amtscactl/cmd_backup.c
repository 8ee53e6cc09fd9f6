// SPDX-License-Identifier: GPL-2.0-only
/*
 * amtscactl backup FILE: FILE is created here (mode 0600, never over an
 * existing file), with the operator's rights, and its descriptor passed to
 * amtscad, which writes a checked, consistent copy of its database into
 * it while it keeps running.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "control_client.h"

static long long num(struct json_object *o, const char *key)
{
	return json_object_get_int64(json_object_object_get(o, key));
}

int cmd_backup(int argc, char **argv)
{
	int json = ctl_take_flag(&argc, argv, "--json"), fd, rc;
	char *req[] = { "backup" };
	struct json_object *r = NULL, *b;
	const char *path;

	if (argc != 2) {
		fputs("usage: amtscactl backup FILE [--json]\n", stderr);
		return CTL_EXIT_USAGE;
	}
	path = argv[1];
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		fprintf(stderr, "amtscactl: %s: %s\n", path, strerror(errno));
		return CTL_EXIT_FAILURE;
	}
	rc = ctl_call_fd(1, req, fd, &r);
	close(fd);
	if (!rc && !json_object_get_boolean(json_object_object_get(r, "ok"))) {
		fprintf(stderr, "amtscactl: %s\n",
			json_object_get_string(
				json_object_object_get(r, "error")));
		rc = CTL_EXIT_FAILURE;
	}
	if (rc) {
		/* No half-written file that looks like a backup. */
		unlink(path);
		json_object_put(r);
		return rc;
	}
	if (json) {
		rc = ctl_print_json(r);
	} else {
		b = json_object_object_get(r, "backup");
		printf("%s: %lld bytes, %lld devices, %lld PSK pairs "
		       "(checked; sealed secrets need the daemon's key file)\n",
		       path, num(b, "bytes"), num(b, "devices"),
		       num(b, "psk_pairs"));
		rc = fflush(stdout) ? CTL_EXIT_FAILURE : CTL_EXIT_OK;
	}
	json_object_put(r);
	return rc;
}
