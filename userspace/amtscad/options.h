/* SPDX-License-Identifier: GPL-2.0-only */
/* amtscad command line: -c FILE, -o section.key=value, --backend, ... */
#ifndef AMTSCAD_OPTIONS_H
#define AMTSCAD_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#define OPT_MAX_OVERRIDES 64
#define OPT_MAX_INTERFACES 16 /* CONFIG_XDP_MAX_IFACES */

enum backend_kind { BACKEND_SOCKET, BACKEND_XDP, BACKEND_KMOD };

struct options {
	const char *config_path;
	const char *overrides[OPT_MAX_OVERRIDES]; /* "section.key=value" */
	int n_overrides;
	enum backend_kind backend;
	const char *listen_addr; /* socket backend: address to bind */
	uint16_t port; /* socket backend: Hello port */
	unsigned int hello_timeout_ms; /* socket backend: read deadline */
	bool verbose;
	/* Record and queue Hellos, run no session (ingest benchmark). */
	bool intake_only;
	/* Given on the command line (-c: the file must exist). */
	bool config_given, backend_given, port_given;
	/* xdp backend: --interface, replaces xdp.interfaces when given */
	const char *interfaces[OPT_MAX_INTERFACES];
	int n_interfaces;
};

/* Returns 0, or -1 after printing the error to stderr. */
int options_parse(struct options *opt, int argc, char **argv);
const char *backend_name(enum backend_kind kind);

#endif /* AMTSCAD_OPTIONS_H */
