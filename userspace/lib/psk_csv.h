/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Fleet credentials CSV (amtsim --creds-out, amtscactl psk import): header
 * "pid,pps[,mebx_password]", one device per record, RFC 4180 quoting.
 * Parsed with libcsv; every bad record is reported with its line number.
 */
#ifndef AMTSCA_PSK_CSV_H
#define AMTSCA_PSK_CSV_H

#include <stddef.h>

#define PSK_PID_LEN 8
#define PSK_PPS_LEN 32
#define PSK_MEBX_MAX 32
/* Errors kept for the report; n_errors still counts every one. */
#define PSK_CSV_ERRORS_MAX 100

struct psk_csv_entry {
	unsigned int line; /* where the record starts */
	char pid[PSK_PID_LEN + 1];
	char pps[PSK_PPS_LEN + 1];
	char mebx[PSK_MEBX_MAX + 1]; /* "" when the column is empty or absent */
};

struct psk_csv_error {
	unsigned int line; /* 0: not tied to a line (out of memory) */
	char reason[112]; /* never contains a PPS or MEBx password */
};

struct psk_csv {
	struct psk_csv_entry *entries;
	size_t n_entries;
	size_t n_errors;
	struct psk_csv_error errors[PSK_CSV_ERRORS_MAX];
};

/*
 * Parse len bytes into csv (which it initialises). Returns 0 when every
 * record is valid and no PID repeats; -1 otherwise, with csv->errors sorted
 * by line. Call psk_csv_free() in both cases.
 */
int psk_csv_parse(struct psk_csv *csv, const char *data, size_t len);
void psk_csv_free(struct psk_csv *csv);
/* Record an error (also used for errors found later, e.g. in the store). */
void psk_csv_add_error(struct psk_csv *csv, unsigned int line, const char *fmt,
		       ...) __attribute__((format(printf, 3, 4)));

#endif /* AMTSCA_PSK_CSV_H */
