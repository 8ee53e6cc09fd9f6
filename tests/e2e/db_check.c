// SPDX-License-Identifier: GPL-2.0-only
/*
 * db_check: the e2e tests' view into amtscad's database (linking libamtsca,
 * so sealed secrets are opened with the daemon's key).
 *
 *   db_check DB KEY import CSV      import pid,pps,mebx_password rows
 *                                   (test-only path until amtscactl has it)
 *   db_check DB KEY compare TSV     each TSV row (from amtsim --state-out:
 *                                   uuid mode provisioning_state hostname
 *                                   domain admin_digest realm new_pid new_pps)
 *                                   must match what the DB says it gave
 *   db_check DB KEY failures TSV    no device provisioned, each with a
 *                                   failure (step and reason) in the audit
 *
 * compare and failures print one line per problem and end with
 * "provisioned K/N"; exit 0 only when every row passed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "store.h"

#define LINE_MAX_LEN 4096
#define TSV_FIELDS 9

/* Split one CSV line (RFC 4180 quotes) into at most max fields in place. */
static int csv_split(char *line, char **f, int max)
{
	char *r = line, *w = line, c;
	int n = 0;

	line[strcspn(line, "\r\n")] = '\0';
	while (n < max) {
		f[n++] = w;
		if (*r == '"') {
			for (r++; *r; r++) {
				if (*r == '"' && r[1] == '"')
					*w++ = *r++;
				else if (*r == '"')
					break;
				else
					*w++ = *r;
			}
			if (*r != '"')
				return -1;
			r++;
		} else {
			while (*r && *r != ',')
				*w++ = *r++;
		}
		c = *r;
		if (c != ',' && c)
			return -1;
		*w++ = '\0';
		if (!c)
			return n;
		r++;
	}
	return -1;
}

static int import(struct store *st, const char *path)
{
	char line[LINE_MAX_LEN], *f[3];
	FILE *in = fopen(path, "r");
	int lineno = 0, n, ok = 0;

	if (!in) {
		perror(path);
		return 1;
	}
	while (fgets(line, sizeof(line), in)) {
		lineno++;
		n = csv_split(line, f, 3);
		if (lineno == 1 && n >= 2 && !strcmp(f[0], "pid"))
			continue;
		if (n < 2 || store_psk_import_mebx(st, f[0], f[1],
						   n == 3 ? f[2] : NULL)) {
			fprintf(stderr, "%s:%d: not imported\n", path, lineno);
			fclose(in);
			return 1;
		}
		ok++;
	}
	OPENSSL_cleanse(line, sizeof(line));
	fclose(in);
	printf("imported %d\n", ok);
	return 0;
}

static int tsv_split(char *line, char **f)
{
	int n = 0;

	line[strcspn(line, "\r\n")] = '\0';
	f[n++] = line;
	while (n < TSV_FIELDS && (line = strchr(line, '\t'))) {
		*line++ = '\0';
		f[n++] = line;
	}
	return n;
}

/* Does the stored admin password give the device's digest under realm? */
static int digest_matches(struct store *st, const char *uuid, const char *realm,
			  const char *want_hex)
{
	char pw[128], a1[512], hex[33];
	unsigned char md[16];
	int i, ok;

	if (store_get_admin_password(st, uuid, pw, sizeof(pw)))
		return 0;
	snprintf(a1, sizeof(a1), "admin:%s:%s", realm, pw);
	EVP_Digest(a1, strlen(a1), md, NULL, EVP_md5(), NULL);
	for (i = 0; i < 16; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	ok = !strcasecmp(hex, want_hex);
	OPENSSL_cleanse(pw, sizeof(pw));
	OPENSSL_cleanse(a1, sizeof(a1));
	return ok;
}

/* One device of the simulator's state against the DB; 1 when it matches. */
static int compare_one(struct store *st, char **f)
{
	const char *uuid = f[0], *mode = f[1];
	struct store_device d;
	char pid[32], pps[64];
	int r;

	if (store_get_device(st, uuid, &d)) {
		printf("%s: not in the database\n", uuid);
		return 0;
	}
	if (strcmp(d.state, "done") || strcmp(f[2], "2")) {
		printf("%s: db state %s (%s: %s), device state %s\n", uuid,
		       d.state, d.error_step, d.error_reason, f[2]);
		return 0;
	}
	if (strcmp(d.hostname, f[3]) || strcmp(d.domain, f[4])) {
		printf("%s: host %s.%s given, device has %s.%s\n", uuid,
		       d.hostname, d.domain, f[3], f[4]);
		return 0;
	}
	if (!digest_matches(st, uuid, f[6], f[5])) {
		printf("%s: admin digest does not match the stored password\n",
		       uuid);
		return 0;
	}
	if (!strcmp(mode, "psk")) {
		r = store_get_new_psk(st, uuid, pid, sizeof(pid), pps,
				      sizeof(pps));
		if (r || strcmp(pid, f[7]) || strcmp(pps, f[8])) {
			printf("%s: new PID/PPS differ from the stored pair\n",
			       uuid);
			OPENSSL_cleanse(pps, sizeof(pps));
			return 0;
		}
		OPENSSL_cleanse(pps, sizeof(pps));
	}
	return 1;
}

/*
 * A device of a negative fleet: not provisioned, and its audit trail holds
 * a failure with a step and a reason (it may be in a later attempt now).
 */
static int failed_one(struct store *st, char **f, int *done)
{
	char step[64], reason[256];
	struct store_device d;

	if (store_get_device(st, f[0], &d)) {
		printf("%s: not in the database\n", f[0]);
		return 0;
	}
	if (!strcmp(d.state, "done") || !strcmp(f[2], "2"))
		(*done)++;
	if (store_last_failure(st, f[0], step, sizeof(step), reason,
			       sizeof(reason)) ||
	    !step[0] || !reason[0]) {
		printf("%s: state %s, no failure with a step and reason\n",
		       f[0], d.state);
		return 0;
	}
	printf("%s: failed step=%s reason=%s\n", f[0], step, reason);
	return 1;
}

static int check(struct store *st, const char *path, int failures)
{
	char line[LINE_MAX_LEN], *f[TSV_FIELDS];
	FILE *in = fopen(path, "r");
	int total = 0, good = 0, done = 0;

	if (!in) {
		perror(path);
		return 1;
	}
	while (fgets(line, sizeof(line), in)) {
		if (tsv_split(line, f) != TSV_FIELDS) {
			printf("%s: row %d: want %d fields\n", path, total + 1,
			       TSV_FIELDS);
			total++;
			continue;
		}
		total++;
		good += failures ? failed_one(st, f, &done) :
				   compare_one(st, f);
	}
	fclose(in);
	if (failures) {
		printf("failed with a reason %d/%d\n", good, total);
		printf("provisioned %d/%d\n", done, total);
		return good == total && done == 0 && total ? 0 : 1;
	}
	printf("provisioned %d/%d\n", good, total);
	return good == total && total ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct store *st;
	char err[256];
	int rc;

	if (argc != 5) {
		fprintf(stderr,
			"usage: db_check DB KEY import CSV | compare TSV"
			" | failures TSV\n");
		return 2;
	}
	st = store_open(argv[1], argv[2], err, sizeof(err));
	if (!st) {
		fprintf(stderr, "db_check: %s\n", err);
		return 2;
	}
	if (!strcmp(argv[3], "import"))
		rc = import(st, argv[4]);
	else if (!strcmp(argv[3], "compare"))
		rc = check(st, argv[4], 0);
	else if (!strcmp(argv[3], "failures"))
		rc = check(st, argv[4], 1);
	else
		rc = 2;
	store_close(st);
	return rc;
}
