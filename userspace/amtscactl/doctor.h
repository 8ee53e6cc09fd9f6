/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * amtscactl doctor: checks what makes provisioning fail in the field
 * (DNS name of the provisioning server, Hello port, XDP attachment,
 * certificates, PID/PPS pairs left) and says what to fix.
 */
#ifndef AMTSCACTL_DOCTOR_H
#define AMTSCACTL_DOCTOR_H

#include <stdio.h>

#include "config.h"

#define DOCTOR_MAX_ITEMS 16

enum doctor_status { DOCTOR_OK, DOCTOR_WARN, DOCTOR_FAIL, DOCTOR_SKIP };

enum doctor_xdp_mode { DOCTOR_XDP_NATIVE, DOCTOR_XDP_GENERIC, DOCTOR_XDP_ANY };

struct doctor {
	FILE *out;
	struct amtsca_config cfg;
	const char *suffixes[DOCTOR_MAX_ITEMS];
	unsigned int nsuffixes;
	const char *interfaces[DOCTOR_MAX_ITEMS];
	unsigned int ninterfaces;
	enum doctor_xdp_mode xdp_mode;
	const char *certs_dir;
	/* Captured Hellos whose trusted-root hashes the roots are checked
	 * against (--hello). */
	const char *hellos[DOCTOR_MAX_ITEMS];
	unsigned int nhellos;
	unsigned int connect_timeout_ms;
	/* Addresses of this host that provisionserver.<suffix> resolved to,
	 * for the port check. */
	char local_addrs[DOCTOR_MAX_ITEMS][64];
	unsigned int nlocal;
	unsigned int fails, warns;
};

/* `amtscactl doctor [options]`: argv[0] is "doctor". Exit 0 when no check
 * failed, 1 when one did, 64 on a bad command line. */
int amtscactl_doctor(int argc, char **argv);

/* One result line; fix (may be NULL) is printed under WARN and FAIL. */
void doctor_report(struct doctor *d, enum doctor_status status,
		   const char *check, const char *fix, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

void doctor_check_dns(struct doctor *d);
void doctor_check_port(struct doctor *d);
void doctor_check_xdp(struct doctor *d);
void doctor_check_certs(struct doctor *d);
void doctor_check_psk(struct doctor *d);

#endif /* AMTSCACTL_DOCTOR_H */
