// SPDX-License-Identifier: GPL-2.0-only
/*
 * amtscactl profile list|show and cert add|list. cert add passes the PEM
 * file's descriptor to amtscad, which checks the chain and key with
 * OpenSSL and installs it into the profile's certs_dir (mode 0600).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "control_client.h"
#include "table.h"

static const struct table_col profile_cols[] = {
	{ "NAME", "name" },
	{ "HOSTNAME PREFIX", "hostname_prefix" },
	{ "DOMAIN", "domain" },
	{ "CERTS DIR", "certs_dir" },
};

static const struct table_col cert_cols[] = {
	{ "NAME", "name" },
	{ "LEAF CN", "leaf_cn" },
	{ "ROOT SHA-256", "root_sha256" },
	{ "NOT AFTER", "not_after" },
	{ "ERROR", "error" },
};

#define NCOLS(c) ((int)(sizeof(c) / sizeof((c)[0])))

static const char *str(struct json_object *o, const char *key)
{
	return json_object_get_string(json_object_object_get(o, key));
}

static int print_profile(struct json_object *r)
{
	struct json_object *p = json_object_object_get(r, "profile");
	struct json_object *certs = json_object_object_get(p, "certs");
	int i;

	for (i = 0; i < NCOLS(profile_cols); i++)
		printf("%-16s %s\n", profile_cols[i].title,
		       str(p, profile_cols[i].key));
	putchar('\n');
	if (!certs) {
		printf("certificates: %s\n", str(p, "certs_error"));
		return fflush(stdout) ? CTL_EXIT_FAILURE : CTL_EXIT_OK;
	}
	return table_print(cert_cols, NCOLS(cert_cols), certs);
}

static int print_profiles(struct json_object *r)
{
	return table_print(profile_cols, NCOLS(profile_cols),
			   json_object_object_get(r, "profiles"));
}

static int print_certs(struct json_object *r)
{
	return table_print(cert_cols, NCOLS(cert_cols),
			   json_object_object_get(r, "certs"));
}

int cmd_profile(int argc, char **argv)
{
	int json = ctl_take_flag(&argc, argv, "--json");

	if (argc == 2 && !strcmp(argv[1], "list"))
		return ctl_query(argc, argv, json, print_profiles);
	if ((argc == 2 || argc == 3) && !strcmp(argv[1], "show"))
		return ctl_query(argc, argv, json, print_profile);
	fputs("usage: amtscactl profile list [--json]\n"
	      "       amtscactl profile show [NAME] [--json]\n",
	      stderr);
	return CTL_EXIT_USAGE;
}

/* The name a bundle is installed under: --name, else the file's base name. */
static void default_name(const char *path, char *name, size_t len)
{
	char copy[4096];
	size_t n;

	snprintf(copy, sizeof(copy), "%s", path);
	snprintf(name, len, "%s", basename(copy));
	n = strlen(name);
	if (n > 4 && !strcmp(name + n - 4, ".pem"))
		name[n - 4] = '\0';
}

static int cert_add(const char *path, const char *name_opt, int json)
{
	char name[256], *req[] = { "cert", "add", name };
	struct json_object *r, *c;
	int rc;

	if (name_opt) {
		snprintf(name, sizeof(name), "%s", name_opt);
	} else {
		default_name(path, name, sizeof(name));
		if (strpbrk(name, " \t\n")) {
			fprintf(stderr,
				"amtscactl: '%s' cannot be a certificate name: give one with --name NAME\n",
				name);
			return CTL_EXIT_USAGE;
		}
	}
	rc = ctl_call_ok(3, req, path, &r);
	if (rc)
		return rc;
	if (json) {
		rc = ctl_print_json(r);
		json_object_put(r);
		return rc;
	}
	c = json_object_object_get(r, "cert");
	printf("installed %s as %s\n  leaf CN      %s\n  root SHA-256 %s\n"
	       "  not after    %s\n  serving      %s\n",
	       path, str(c, "path"), str(c, "leaf_cn"), str(c, "root_sha256"),
	       str(c, "not_after"), str(c, "serving"));
	if (!json_object_get_boolean(json_object_object_get(c, "domain_match")))
		printf("warning: the leaf CN does not end with the profile domain; devices of that domain will refuse it\n");
	rc = fflush(stdout) ? CTL_EXIT_FAILURE : CTL_EXIT_OK;
	json_object_put(r);
	return rc;
}

int cmd_cert(int argc, char **argv)
{
	int json = ctl_take_flag(&argc, argv, "--json");

	if (argc == 3 && !strcmp(argv[1], "add"))
		return cert_add(argv[2], NULL, json);
	if (argc == 5 && !strcmp(argv[1], "add") && !strcmp(argv[3], "--name"))
		return cert_add(argv[2], argv[4], json);
	if (argc == 2 && !strcmp(argv[1], "list"))
		return ctl_query(argc, argv, json, print_certs);
	fputs("usage: amtscactl cert add FILE.pem [--name NAME] [--json]\n"
	      "       amtscactl cert list [--json]\n",
	      stderr);
	return CTL_EXIT_USAGE;
}
