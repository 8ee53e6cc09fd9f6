// SPDX-License-Identifier: GPL-2.0-only
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amtsca/hello.h>

#include "options.h"

static const char *const backend_names[] = {
	[BACKEND_SOCKET] = "socket",
	[BACKEND_XDP] = "xdp",
	[BACKEND_KMOD] = "kmod",
};

const char *backend_name(enum backend_kind kind)
{
	return backend_names[kind];
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: amtscad [-c FILE] [-o section.key=value]... [--backend xdp|socket|kmod]\n"
		"               [--listen ADDR] [--port N] [--hello-timeout-ms N] [-v]\n"
		"               [--interface IF]... (xdp backend) [--intake-only]\n");
}

static int parse_uint(const char *name, const char *s, unsigned long max,
		      unsigned long *out)
{
	char *end;

	*out = strtoul(s, &end, 10);
	if (!*s || *end || *out > max || *s == '-') {
		fprintf(stderr, "amtscad: %s: not a number in 0..%lu: %s\n",
			name, max, s);
		return -1;
	}
	return 0;
}

int options_parse(struct options *opt, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "option", required_argument, NULL, 'o' },
		{ "backend", required_argument, NULL, 'b' },
		{ "listen", required_argument, NULL, 'l' },
		{ "port", required_argument, NULL, 'p' },
		{ "hello-timeout-ms", required_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "interface", required_argument, NULL, 'i' },
		{ "intake-only", no_argument, NULL, 'I' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	unsigned long val;
	int c, i;

	memset(opt, 0, sizeof(*opt));
	opt->config_path = "/etc/amtsca/amtsca.conf";
	opt->backend = BACKEND_XDP;
	opt->listen_addr = "::";
	opt->port = AMT_HELLO_PORT;
	opt->hello_timeout_ms = 5000;

	while ((c = getopt_long(argc, argv, "c:o:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			opt->config_path = optarg;
			opt->config_given = true;
			break;
		case 'o':
			if (opt->n_overrides == OPT_MAX_OVERRIDES ||
			    !strchr(optarg, '.') || !strchr(optarg, '=')) {
				fprintf(stderr,
					"amtscad: -o wants section.key=value (at most %d): %s\n",
					OPT_MAX_OVERRIDES, optarg);
				return -1;
			}
			opt->overrides[opt->n_overrides++] = optarg;
			break;
		case 'b':
			for (i = 0; i < 3; i++)
				if (!strcmp(optarg, backend_names[i]))
					break;
			if (i == 3) {
				fprintf(stderr,
					"amtscad: unknown backend: %s\n",
					optarg);
				return -1;
			}
			opt->backend = i;
			opt->backend_given = true;
			break;
		case 'l':
			opt->listen_addr = optarg;
			break;
		case 'p':
			if (parse_uint("--port", optarg, 65535, &val))
				return -1;
			opt->port = val;
			opt->port_given = true;
			break;
		case 't':
			if (parse_uint("--hello-timeout-ms", optarg, 600000,
				       &val))
				return -1;
			opt->hello_timeout_ms = val;
			break;
		case 'v':
			opt->verbose = true;
			break;
		case 'I':
			opt->intake_only = true;
			break;
		case 'i':
			if (opt->n_interfaces == OPT_MAX_INTERFACES ||
			    strlen(optarg) >= 16) {
				fprintf(stderr,
					"amtscad: --interface: at most %d names of at most 15 characters: %s\n",
					OPT_MAX_INTERFACES, optarg);
				return -1;
			}
			opt->interfaces[opt->n_interfaces++] = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "amtscad: unexpected argument: %s\n",
			argv[optind]);
		return -1;
	}
	return 0;
}
