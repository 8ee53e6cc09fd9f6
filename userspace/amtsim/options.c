// SPDX-License-Identifier: GPL-2.0-only
/* amtsim command line parsing. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/ssl.h>

#include "options.h"

static const char usage[] =
	"usage: amtsim --devices N (--sca ADDR[:PORT] | --resolver-config FILE)\n"
	"  [--mode psk|pki|mixed] [--seed S] [--addr-base A] [--addr6-base A6]\n"
	"  [--add-addrs IFNAME | --add-route IFNAME] [--port P] [--time-scale F] [--schedule SPEC]\n"
	"  [--window-hours H] [--hello-spread S] [--retry-max N] [--admin-flag 0|1]\n"
	"  [--domain D] [--trusted-root FILE.pem]...\n"
	"  [--psk-key ascii|sha256] [--psk-ciphers LIST] [--psk-min-tls 1.0|1.1|1.2]\n"
	"  [--pki-digest-password PW] [--model-knob NAME=VALUE]...\n"
	"  [--creds-out FILE [--creds-only]]\n"
	"  [--state-out FILE] [--duration S] [--linger S] [--nonce-lifetime S]\n"
	"  [--idle-timeout S] [--fault-{drop,stall,reset,garbage-hello,dup-hello,\n"
	"  reboot,clock} RATE] [--workers N] [--verbose]\n"
	"See docs/amtsim.md.\n";

enum {
	OPT_DEVICES = 256,
	OPT_SCA,
	OPT_RESOLVER,
	OPT_MODE,
	OPT_SEED,
	OPT_ADDR_BASE,
	OPT_ADDR6_BASE,
	OPT_ADD_ADDRS,
	OPT_ADD_ROUTE,
	OPT_PORT,
	OPT_TIME_SCALE,
	OPT_SCHEDULE,
	OPT_WINDOW,
	OPT_SPREAD,
	OPT_RETRY_MAX,
	OPT_ADMIN_FLAG,
	OPT_DOMAIN,
	OPT_TRUSTED_ROOT,
	OPT_PSK_KEY,
	OPT_PSK_CIPHERS,
	OPT_PSK_MIN_TLS,
	OPT_PKI_PASSWORD,
	OPT_MODEL_KNOB,
	OPT_CREDS_OUT,
	OPT_CREDS_ONLY,
	OPT_STATE_OUT,
	OPT_DURATION,
	OPT_LINGER,
	OPT_NONCE_LIFETIME,
	OPT_IDLE_TIMEOUT,
	OPT_VERBOSE,
	OPT_FAULT_DROP,
	OPT_FAULT_STALL,
	OPT_FAULT_RESET,
	OPT_FAULT_GARBAGE,
	OPT_FAULT_DUP,
	OPT_FAULT_REBOOT,
	OPT_FAULT_CLOCK,
	OPT_WORKERS,
	OPT_HELP,
};

static const struct option long_opts[] = {
	{ "devices", required_argument, NULL, OPT_DEVICES },
	{ "sca", required_argument, NULL, OPT_SCA },
	{ "resolver-config", required_argument, NULL, OPT_RESOLVER },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "addr-base", required_argument, NULL, OPT_ADDR_BASE },
	{ "addr6-base", required_argument, NULL, OPT_ADDR6_BASE },
	{ "add-addrs", required_argument, NULL, OPT_ADD_ADDRS },
	{ "add-route", required_argument, NULL, OPT_ADD_ROUTE },
	{ "port", required_argument, NULL, OPT_PORT },
	{ "time-scale", required_argument, NULL, OPT_TIME_SCALE },
	{ "schedule", required_argument, NULL, OPT_SCHEDULE },
	{ "window-hours", required_argument, NULL, OPT_WINDOW },
	{ "hello-spread", required_argument, NULL, OPT_SPREAD },
	{ "retry-max", required_argument, NULL, OPT_RETRY_MAX },
	{ "admin-flag", required_argument, NULL, OPT_ADMIN_FLAG },
	{ "domain", required_argument, NULL, OPT_DOMAIN },
	{ "trusted-root", required_argument, NULL, OPT_TRUSTED_ROOT },
	{ "psk-key", required_argument, NULL, OPT_PSK_KEY },
	{ "psk-ciphers", required_argument, NULL, OPT_PSK_CIPHERS },
	{ "psk-min-tls", required_argument, NULL, OPT_PSK_MIN_TLS },
	{ "pki-digest-password", required_argument, NULL, OPT_PKI_PASSWORD },
	{ "model-knob", required_argument, NULL, OPT_MODEL_KNOB },
	{ "creds-out", required_argument, NULL, OPT_CREDS_OUT },
	{ "creds-only", no_argument, NULL, OPT_CREDS_ONLY },
	{ "state-out", required_argument, NULL, OPT_STATE_OUT },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "linger", required_argument, NULL, OPT_LINGER },
	{ "nonce-lifetime", required_argument, NULL, OPT_NONCE_LIFETIME },
	{ "idle-timeout", required_argument, NULL, OPT_IDLE_TIMEOUT },
	{ "verbose", no_argument, NULL, OPT_VERBOSE },
	{ "fault-drop", required_argument, NULL, OPT_FAULT_DROP },
	{ "fault-stall", required_argument, NULL, OPT_FAULT_STALL },
	{ "fault-reset", required_argument, NULL, OPT_FAULT_RESET },
	{ "fault-garbage-hello", required_argument, NULL, OPT_FAULT_GARBAGE },
	{ "fault-dup-hello", required_argument, NULL, OPT_FAULT_DUP },
	{ "fault-reboot", required_argument, NULL, OPT_FAULT_REBOOT },
	{ "fault-clock", required_argument, NULL, OPT_FAULT_CLOCK },
	{ "workers", required_argument, NULL, OPT_WORKERS },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static int bad(const char *opt, const char *arg, const char *want)
{
	fprintf(stderr, "amtsim: --%s '%s': %s\n", opt, arg, want);
	return -1;
}

static int parse_double(const char *opt, const char *arg, double min,
			double max, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || !isfinite(v) || v < min || v > max) {
		fprintf(stderr, "amtsim: --%s '%s': want a number in %g..%g\n",
			opt, arg, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse_u64(const char *opt, const char *arg, uint64_t min,
		     uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-' || v < min ||
	    v > max) {
		fprintf(stderr,
			"amtsim: --%s '%s': want a whole number in %llu..%llu\n",
			opt, arg, (unsigned long long)min,
			(unsigned long long)max);
		return -1;
	}
	*out = v;
	return 0;
}

static void defaults(struct sim_options *o)
{
	char err[64];

	memset(o, 0, sizeof(*o));
	o->seed = 1;
	o->mode = SIM_MODE_PSK;
	inet_pton(AF_INET, "198.18.16.1", &o->addr_base);
	o->listen_port = 16993;
	o->time_scale = 1;
	hello_schedule_parse(HELLO_SCHEDULE_DEFAULT, &o->schedule, err,
			     sizeof(err));
	o->window_hours = 24;
	o->retry_max = HELLO_RETRY_MAX;
	o->admin_flag = 1;
	o->domain = "amt.test";
	o->psk_key = SIM_PSK_KEY_ASCII;
	o->psk_ciphers = "PSK-AES128-CBC-SHA:PSK-AES256-CBC-SHA";
	o->psk_min_tls = TLS1_VERSION;
	o->pki_digest_password = "admin";
	o->linger_s = 2;
	o->nonce_lifetime_s = 300;
	o->idle_timeout_s = 60;
	o->workers = 1;
}

static int parse_choice(const char *opt, const char *arg,
			const char *const *names, int n, int *out)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(arg, names[i])) {
			*out = i;
			return 0;
		}
	return bad(opt, arg, "not one of the accepted values");
}

static int parse_one(int c, const char *arg, struct sim_options *o)
{
	static const char *const modes[] = { "psk", "pki", "mixed" };
	static const char *const keys[] = { "ascii", "sha256" };
	static const char *const tls[] = { "1.0", "1.1", "1.2" };
	static const int tls_versions[] = { TLS1_VERSION, TLS1_1_VERSION,
					    TLS1_2_VERSION };
	const char *name = long_opts[c - OPT_DEVICES].name;
	char err[128];
	uint64_t u;
	int i;

	switch (c) {
	case OPT_DEVICES:
		if (parse_u64(name, arg, 1, 1000000, &u))
			return -1;
		o->devices = (uint32_t)u;
		return 0;
	case OPT_SCA:
		o->sca = arg;
		return 0;
	case OPT_RESOLVER:
		o->resolver_config = arg;
		return 0;
	case OPT_MODE:
		if (parse_choice(name, arg, modes, 3, &i))
			return -1;
		o->mode = (enum sim_mode)i;
		return 0;
	case OPT_SEED:
		return parse_u64(name, arg, 0, UINT64_MAX, &o->seed);
	case OPT_ADDR_BASE:
		if (inet_pton(AF_INET, arg, &o->addr_base) != 1)
			return bad(name, arg, "not an IPv4 address");
		return 0;
	case OPT_ADDR6_BASE:
		if (inet_pton(AF_INET6, arg, &o->addr6_base) != 1)
			return bad(name, arg, "not an IPv6 address");
		o->has_addr6 = true;
		return 0;
	case OPT_ADD_ADDRS:
		o->add_addrs_ifname = arg;
		return 0;
	case OPT_ADD_ROUTE:
		o->add_route_ifname = arg;
		return 0;
	case OPT_PORT:
		if (parse_u64(name, arg, 1, 65535, &u))
			return -1;
		o->listen_port = (uint16_t)u;
		return 0;
	case OPT_TIME_SCALE:
		return parse_double(name, arg, 1e-3, 1e7, &o->time_scale);
	case OPT_SCHEDULE:
		if (hello_schedule_parse(arg, &o->schedule, err, sizeof(err)))
			return bad(name, arg, err);
		return 0;
	case OPT_WINDOW:
		return parse_double(name, arg, 1e-6, 255, &o->window_hours);
	case OPT_SPREAD:
		return parse_double(name, arg, 0, 1e7, &o->hello_spread_s);
	case OPT_RETRY_MAX:
		if (parse_u64(name, arg, 0, UINT32_MAX, &u))
			return -1;
		o->retry_max = (uint32_t)u;
		return 0;
	case OPT_ADMIN_FLAG:
		if (parse_u64(name, arg, 0, 1, &u))
			return -1;
		o->admin_flag = (uint16_t)u;
		return 0;
	case OPT_DOMAIN:
		o->domain = arg;
		return 0;
	case OPT_TRUSTED_ROOT:
		if (o->n_trusted_roots == SIM_MAX_TRUSTED_ROOTS)
			return bad(name, arg, "too many trusted roots");
		o->trusted_roots[o->n_trusted_roots++] = arg;
		return 0;
	case OPT_PSK_KEY:
		if (parse_choice(name, arg, keys, 2, &i))
			return -1;
		o->psk_key = (enum sim_psk_key)i;
		return 0;
	case OPT_PSK_CIPHERS:
		o->psk_ciphers = arg;
		return 0;
	case OPT_PSK_MIN_TLS:
		if (parse_choice(name, arg, tls, 3, &i))
			return -1;
		o->psk_min_tls = tls_versions[i];
		return 0;
	case OPT_PKI_PASSWORD:
		o->pki_digest_password = arg;
		return 0;
	case OPT_MODEL_KNOB:
		if (!strchr(arg, '='))
			return bad(name, arg, "want NAME=VALUE");
		if (o->n_model_knobs == SIM_MAX_MODEL_KNOBS)
			return bad(name, arg, "too many model knobs");
		o->model_knobs[o->n_model_knobs++] = arg;
		return 0;
	case OPT_CREDS_OUT:
		o->creds_out = arg;
		return 0;
	case OPT_CREDS_ONLY:
		o->creds_only = true;
		return 0;
	case OPT_STATE_OUT:
		o->state_out = arg;
		return 0;
	case OPT_DURATION:
		return parse_double(name, arg, 0, 1e9, &o->duration_s);
	case OPT_LINGER:
		return parse_double(name, arg, 0, 1e6, &o->linger_s);
	case OPT_NONCE_LIFETIME:
		return parse_double(name, arg, 0.001, 1e6,
				    &o->nonce_lifetime_s);
	case OPT_IDLE_TIMEOUT:
		return parse_double(name, arg, 0.001, 1e6, &o->idle_timeout_s);
	case OPT_VERBOSE:
		o->verbose = true;
		return 0;
	case OPT_FAULT_DROP:
		return parse_double(name, arg, 0, 1, &o->faults.drop);
	case OPT_FAULT_STALL:
		return parse_double(name, arg, 0, 1, &o->faults.stall);
	case OPT_FAULT_RESET:
		return parse_double(name, arg, 0, 1, &o->faults.reset);
	case OPT_FAULT_GARBAGE:
		return parse_double(name, arg, 0, 1, &o->faults.garbage_hello);
	case OPT_FAULT_DUP:
		return parse_double(name, arg, 0, 1, &o->faults.dup_hello);
	case OPT_FAULT_REBOOT:
		return parse_double(name, arg, 0, 1, &o->faults.reboot);
	case OPT_FAULT_CLOCK:
		return parse_double(name, arg, 0, 1, &o->faults.clock);
	case OPT_WORKERS:
		if (parse_u64(name, arg, 1, SIM_MAX_WORKERS, &u))
			return -1;
		o->workers = (unsigned int)u;
		return 0;
	}
	return -1;
}

int sim_options_parse(int argc, char **argv, struct sim_options *o)
{
	int c;

	defaults(o);
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", long_opts, NULL)) != -1) {
		if (c == OPT_HELP) {
			fputs(usage, stdout);
			exit(0);
		}
		if (c == '?' || c == ':') {
			fprintf(stderr,
				"amtsim: bad option '%s' (see --help)\n",
				argv[optind - 1]);
			return -1;
		}
		if (parse_one(c, optarg, o))
			return -1;
	}
	if (optind < argc) {
		fprintf(stderr, "amtsim: unexpected argument '%s'\n",
			argv[optind]);
		return -1;
	}
	if (!o->devices) {
		fprintf(stderr,
			"amtsim: --devices N is required (see --help)\n");
		return -1;
	}
	if (o->add_addrs_ifname && o->add_route_ifname) {
		fprintf(stderr,
			"amtsim: give at most one of --add-addrs and --add-route\n");
		return -1;
	}
	if (o->creds_only && !o->creds_out) {
		fprintf(stderr,
			"amtsim: --creds-only needs --creds-out FILE\n");
		return -1;
	}
	if (!o->creds_only && !o->sca == !o->resolver_config) {
		fprintf(stderr,
			"amtsim: give exactly one of --sca and --resolver-config\n");
		return -1;
	}
	if (!o->creds_only && o->mode != SIM_MODE_PSK && !o->n_trusted_roots) {
		fprintf(stderr,
			"amtsim: --mode pki/mixed needs --trusted-root FILE.pem\n");
		return -1;
	}
	return 0;
}
