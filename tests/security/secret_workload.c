// SPDX-License-Identifier: GPL-2.0-only
/*
 * secret_workload DB KEY FLEET: push a fleet's secrets through the code
 * that handles them (store import/assign/lookup of PID/PPS pairs, sealing
 * and reading back admin passwords, Digest answers made and verified with
 * them) and print a progress line per device, as a daemon would log it.
 * FLEET lines: "UUID PID PPS PASSWORD". Exit 0 only if every secret made
 * the round trip, so no_secrets_in_logs.sh knows they really flowed.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "http_digest.h"
#include "store.h"
#include "store_fixture.h"

/* A Digest answer made with password verifies against the challenge. */
static int digest_round_trip(const char *password)
{
	struct http_digest_challenge ch;
	struct http_digest_credentials cr;
	char hdr[2048];

	return http_digest_make_challenge(&ch, NULL, false) ||
	       http_digest_authorization(&ch, "admin", password, "POST",
					 "/wsman", NULL, 1, hdr, sizeof(hdr)) ||
	       http_digest_parse_authorization(hdr, strlen(hdr), false, &cr) ||
	       http_digest_verify(&cr, &ch, "POST", password);
}

static int one_device(struct store *st, const char *uuid, const char *pid,
		      const char *pps, const char *password)
{
	char assigned[32], out[256];
	int ok;

	ok = !store_add_device(st, uuid, "psk", "198.18.3.2") &&
	     !store_psk_import(st, pid, pps) &&
	     !store_psk_assign(st, uuid, assigned, sizeof(assigned)) &&
	     !store_psk_lookup(st, assigned, out, sizeof(out)) &&
	     !strcmp(out, pps);
	OPENSSL_cleanse(out, sizeof(out));
	ok = ok && !store_reserve_admin_password(st, uuid, password) &&
	     !store_get_admin_password(st, uuid, out, sizeof(out)) &&
	     !strcmp(out, password) && !digest_round_trip(out);
	OPENSSL_cleanse(out, sizeof(out));
	fprintf(stderr, "device=%s pid=%s psk=%s admin_password=%s\n", uuid,
		pid, ok ? "sealed" : "FAILED", ok ? "sealed" : "FAILED");
	return ok ? 0 : -1;
}

int main(int argc, char **argv)
{
	char uuid[64], pid[16], pps[128], password[128], err[256];
	unsigned int n = 0, bad = 0;
	struct store *st;
	FILE *fleet;

	if (argc != 4) {
		fprintf(stderr, "usage: secret_workload DB KEY FLEET\n");
		return 2;
	}
	st = store_open(argv[1], argv[2], err, sizeof(err));
	fleet = fopen(argv[3], "r");
	if (!st || !fleet) {
		fprintf(stderr, "secret_workload: %s\n",
			st ? "cannot read the fleet file" : err);
		return 1;
	}
	while (fscanf(fleet, "%63s %15s %127s %127s", uuid, pid, pps,
		      password) == 4) {
		n++;
		bad += one_device(st, uuid, pid, pps, password) != 0;
	}
	OPENSSL_cleanse(pps, sizeof(pps));
	OPENSSL_cleanse(password, sizeof(password));
	fclose(fleet);
	store_close(st);
	printf("devices=%u failed=%u\n", n, bad);
	return n && !bad ? 0 : 1;
}
