// SPDX-License-Identifier: GPL-2.0-only
/* amtscactl: the operator's command line for amtsca. */
#include <stdio.h>
#include <string.h>

#include "commands.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;
};

static const struct command commands[] = {
	{ "hello", cmd_hello,
	  "hello decode HEX | --file PATH   decode a Hello" },
};

static void usage(FILE *out)
{
	size_t i;

	fputs("usage: amtscactl COMMAND [ARGS]\n", out);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %s\n", commands[i].help);
}

int main(int argc, char **argv)
{
	size_t i;

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
