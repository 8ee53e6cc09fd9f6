// SPDX-License-Identifier: GPL-2.0-only
/* amtscactl doctor: command line, report lines, the order of the checks. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "doctor.h"

#define DOCTOR_DEFAULT_CONFIG "/etc/amtsca/amtsca.conf"

static const char *const status_names[] = {
	[DOCTOR_OK] = "OK",
	[DOCTOR_WARN] = "WARN",
	[DOCTOR_FAIL] = "FAIL",
	[DOCTOR_SKIP] = "SKIP",
};

void doctor_report(struct doctor *d, enum doctor_status status,
		   const char *check, const char *fix, const char *fmt, ...)
{
	va_list ap;

	fprintf(d->out, "%-4s  %-6s  ", status_names[status], check);
	va_start(ap, fmt);
	vfprintf(d->out, fmt, ap);
	va_end(ap);
	fputc('\n', d->out);
	if (fix && (status == DOCTOR_WARN || status == DOCTOR_FAIL))
		fprintf(d->out, "              fix: %s\n", fix);
	if (status == DOCTOR_FAIL)
		d->fails++;
	else if (status == DOCTOR_WARN)
		d->warns++;
}

static void usage(FILE *out)
{
	fputs("usage: amtscactl doctor [-c FILE] [-o section.key=value]...\n"
	      "         [--suffix DNS_SUFFIX]... [--interface IF]...\n"
	      "         [--xdp-mode native|generic|any] [--certs-dir DIR]\n"
	      "         [--hello CAPTURED_V3_HELLO]... [--timeout-ms N]\n",
	      out);
}

/* Append item to list unless it is there already. */
static int add_item(const char **list, unsigned int *n, const char *item,
		    const char *what)
{
	unsigned int i;

	for (i = 0; i < *n; i++)
		if (!strcmp(list[i], item))
			return 0;
	if (*n == DOCTOR_MAX_ITEMS) {
		fprintf(stderr, "amtscactl doctor: at most %d %s\n",
			DOCTOR_MAX_ITEMS, what);
		return -1;
	}
	list[(*n)++] = item;
	return 0;
}

static int parse_mode(const char *s, enum doctor_xdp_mode *mode)
{
	if (!strcmp(s, "native"))
		*mode = DOCTOR_XDP_NATIVE;
	else if (!strcmp(s, "generic"))
		*mode = DOCTOR_XDP_GENERIC;
	else if (!strcmp(s, "any"))
		*mode = DOCTOR_XDP_ANY;
	else
		return -1;
	return 0;
}

/*
 * What the command line left open comes from the configuration: the
 * suffixes (doctor.dns_suffixes, split in place, else profile.domain), the
 * XDP interfaces and mode, the certificates directory.
 */
static int apply_config(struct doctor *d, bool mode_given)
{
	char *save = NULL, *tok;
	unsigned int i;

	for (tok = strtok_r(d->cfg.doctor_dns_suffixes, ", ", &save); tok;
	     tok = strtok_r(NULL, ", ", &save))
		if (add_item(d->suffixes, &d->nsuffixes, tok, "DNS suffixes"))
			return -1;
	if (!d->nsuffixes && d->cfg.domain[0])
		d->suffixes[d->nsuffixes++] = d->cfg.domain;
	if (!d->ninterfaces)
		for (i = 0; i < d->cfg.xdp.n_interfaces && i < DOCTOR_MAX_ITEMS;
		     i++)
			d->interfaces[d->ninterfaces++] =
				d->cfg.xdp.interfaces[i];
	if (!mode_given && parse_mode(d->cfg.xdp.mode, &d->xdp_mode))
		d->xdp_mode = DOCTOR_XDP_ANY; /* xdp.mode = auto */
	if (!d->certs_dir)
		d->certs_dir = d->cfg.certs_dir;
	return 0;
}

/* Load the configuration (a missing default file means defaults); the
 * config check reports how that went. */
static void check_config(struct doctor *d, const char *path, bool explicit,
			 const char **overrides, unsigned int noverrides)
{
	char err[512];
	unsigned int i;

	config_defaults(&d->cfg);
	if (!explicit && access(path, F_OK) && errno == ENOENT) {
		doctor_report(
			d, DOCTOR_WARN, "config",
			"install it (make install, or the amtsca package)",
			"%s does not exist; checking the defaults", path);
	} else if (config_load(&d->cfg, path, err, sizeof(err))) {
		doctor_report(d, DOCTOR_FAIL, "config",
			      "correct that line; amtscad refuses to start",
			      "%s", err);
	} else {
		doctor_report(d, DOCTOR_OK, "config", NULL, "%s loaded", path);
	}
	for (i = 0; i < noverrides; i++)
		if (config_override(&d->cfg, overrides[i], err, sizeof(err)))
			doctor_report(d, DOCTOR_FAIL, "config", NULL, "%s",
				      err);
}

int amtscactl_doctor(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "option", required_argument, NULL, 'o' },
		{ "suffix", required_argument, NULL, 's' },
		{ "interface", required_argument, NULL, 'i' },
		{ "xdp-mode", required_argument, NULL, 'm' },
		{ "certs-dir", required_argument, NULL, 'd' },
		{ "hello", required_argument, NULL, 'H' },
		{ "timeout-ms", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config_path = DOCTOR_DEFAULT_CONFIG;
	const char *overrides[DOCTOR_MAX_ITEMS];
	unsigned int noverrides = 0;
	bool explicit_config = false, mode_given = false;
	struct doctor *d;
	char *end;
	int c, rc;

	d = calloc(1, sizeof(*d));
	if (!d)
		return CTL_EXIT_FAILURE;
	d->out = stdout;
	d->connect_timeout_ms = 1000;
	optind = 1;
	while ((c = getopt_long(argc, argv, "c:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			config_path = optarg;
			explicit_config = true;
			break;
		case 'o':
			if (add_item(overrides, &noverrides, optarg,
				     "overrides"))
				goto usage;
			break;
		case 's':
			if (add_item(d->suffixes, &d->nsuffixes, optarg,
				     "DNS suffixes"))
				goto usage;
			break;
		case 'i':
			if (add_item(d->interfaces, &d->ninterfaces, optarg,
				     "interfaces"))
				goto usage;
			break;
		case 'm':
			mode_given = true;
			if (parse_mode(optarg, &d->xdp_mode)) {
				fprintf(stderr,
					"amtscactl doctor: --xdp-mode is native, generic or any, not '%s'\n",
					optarg);
				goto usage;
			}
			break;
		case 'd':
			d->certs_dir = optarg;
			break;
		case 'H':
			if (add_item(d->hellos, &d->nhellos, optarg, "Hellos"))
				goto usage;
			break;
		case 't':
			errno = 0;
			d->connect_timeout_ms = strtoul(optarg, &end, 10);
			if (errno || *end || !d->connect_timeout_ms ||
			    d->connect_timeout_ms > 60000) {
				fprintf(stderr,
					"amtscactl doctor: --timeout-ms wants 1..60000, not '%s'\n",
					optarg);
				goto usage;
			}
			break;
		case 'h':
			usage(stdout);
			free(d);
			return CTL_EXIT_OK;
		default:
			goto usage;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "amtscactl doctor: unexpected argument '%s'\n",
			argv[optind]);
		goto usage;
	}
	check_config(d, config_path, explicit_config, overrides, noverrides);
	if (apply_config(d, mode_given))
		goto usage;
	doctor_check_dns(d);
	doctor_check_port(d);
	doctor_check_xdp(d);
	doctor_check_certs(d);
	doctor_check_psk(d);
	fprintf(d->out, "doctor: %u failed, %u warnings\n", d->fails, d->warns);
	rc = d->fails ? CTL_EXIT_FAILURE : CTL_EXIT_OK;
	free(d);
	return rc;
usage:
	usage(stderr);
	free(d);
	return CTL_EXIT_USAGE;
}
