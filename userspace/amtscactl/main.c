// SPDX-License-Identifier: GPL-2.0-only
/* amtscactl: the operator's command line for amtsca. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "config.h"
#include "control_client.h"
#include "doctor.h"

#define DEFAULT_CONFIG "/etc/amtsca/amtsca.conf"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;
};

static const struct command commands[] = {
	{ "status", cmd_status,
	  "status [--json]                  daemon summary" },
	{ "devices", cmd_devices,
	  "devices [--state S] [--watch] [--json]   devices and progress" },
	{ "device", cmd_device,
	  "device UUID [--json]             one device and its audit trail" },
	{ "stats", cmd_stats,
	  "stats [--json]                   daemon and XDP counters" },
	{ "psk", cmd_psk,
	  "psk import FILE.csv | psk list [--json]   PID/PPS pairs" },
	{ "profile", cmd_profile,
	  "profile list | show [NAME] [--json]       provisioning profile" },
	{ "cert", cmd_cert,
	  "cert add FILE.pem [--name N] | cert list  provisioning chains" },
	{ "backup", cmd_backup,
	  "backup FILE [--json]             copy of the state database" },
	{ "doctor", amtscactl_doctor,
	  "doctor [--help]                  check what makes provisioning fail" },
	{ "hello", cmd_hello,
	  "hello decode HEX | --file PATH   decode a Hello" },
};

static void usage(FILE *out)
{
	size_t i;

	fputs("usage: amtscactl [--socket PATH] COMMAND [ARGS]\n", out);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %s\n", commands[i].help);
}

/* --socket PATH anywhere on the line; else the config file's, else default. */
static int take_socket(int *argc, char **argv)
{
	static struct amtsca_config cfg;
	char err[256];
	int i;

	for (i = 1; i < *argc; i++) {
		if (strcmp(argv[i], "--socket"))
			continue;
		if (i + 1 == *argc) {
			fputs("amtscactl: --socket needs a PATH\n", stderr);
			return -1;
		}
		ctl_socket_path = argv[i + 1];
		memmove(&argv[i], &argv[i + 2],
			(size_t)(*argc - i - 1) * sizeof(*argv));
		*argc -= 2;
		i--;
	}
	if (ctl_socket_path)
		return 0;
	config_defaults(&cfg);
	if (access(DEFAULT_CONFIG, R_OK) == 0 &&
	    config_load(&cfg, DEFAULT_CONFIG, err, sizeof(err)))
		fprintf(stderr, "amtscactl: warning: %s\n", err);
	ctl_socket_path = cfg.control_socket;
	return 0;
}

int main(int argc, char **argv)
{
	size_t i;

	if (take_socket(&argc, argv))
		return CTL_EXIT_USAGE;
	if (argc < 2) {
		usage(stderr);
		return CTL_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return CTL_EXIT_OK;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "amtscactl: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return CTL_EXIT_USAGE;
}
