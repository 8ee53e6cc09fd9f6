// SPDX-License-Identifier: GPL-2.0-only
/* Fleet credentials CSV parser on libcsv: validation and line numbers. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <csv.h>

#include "psk_csv.h"

#define PSK_COLUMNS_MAX 3
/* Longest field kept; longer ones are reported as too long. */
#define PSK_FIELD_MAX 64

struct field {
	char text[PSK_FIELD_MAX + 1];
	size_t len; /* real length, may exceed PSK_FIELD_MAX */
	bool has_nul;
};

struct parse_state {
	struct psk_csv *csv;
	size_t cap;
	unsigned int line; /* physical line being fed to libcsv */
	unsigned int record_line; /* 0: no field of this record seen yet */
	int n_fields;
	struct field fields[PSK_COLUMNS_MAX];
	int n_columns; /* from the header; 0 until it is read */
	bool fatal; /* header wrong or out of memory: stop */
};

void psk_csv_add_error(struct psk_csv *csv, unsigned int line, const char *fmt,
		       ...)
{
	struct psk_csv_error *e;
	va_list ap;

	if (csv->n_errors++ >= PSK_CSV_ERRORS_MAX)
		return;
	e = &csv->errors[csv->n_errors - 1];
	e->line = line;
	va_start(ap, fmt);
	vsnprintf(e->reason, sizeof(e->reason), fmt, ap);
	va_end(ap);
}

static void on_field(void *data, size_t len, void *ctx)
{
	struct parse_state *ps = ctx;
	struct field *f;
	const char *s = data;
	size_t i;

	if (!ps->record_line) {
		/* A quoted field may span lines: start at its first one. */
		ps->record_line = ps->line;
		for (i = 0; i < len; i++)
			ps->record_line -= s[i] == '\n';
	}
	if (ps->n_fields++ >= PSK_COLUMNS_MAX)
		return;
	f = &ps->fields[ps->n_fields - 1];
	f->len = len;
	f->has_nul = len && memchr(s, '\0', len);
	len = len > PSK_FIELD_MAX ? PSK_FIELD_MAX : len;
	if (len)
		memcpy(f->text, s, len);
	f->text[len] = '\0';
}

static bool is_upper_alnum(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

/* Copy f without dashes into out (want characters); false if it does not fit. */
static bool strip_dashes(const struct field *f, char *out, size_t want)
{
	size_t i, n = 0;

	if (f->has_nul || f->len > PSK_FIELD_MAX)
		return false;
	for (i = 0; i < f->len; i++) {
		if (f->text[i] == '-')
			continue;
		if (n == want)
			return false;
		out[n++] = f->text[i];
	}
	out[n] = '\0';
	return n == want && is_upper_alnum(out);
}

static bool is_printable(const struct field *f)
{
	size_t i;

	if (f->has_nul)
		return false;
	for (i = 0; i < f->len; i++)
		if ((unsigned char)f->text[i] < 0x20 ||
		    (unsigned char)f->text[i] > 0x7e)
			return false;
	return true;
}

static void read_header(struct parse_state *ps)
{
	static const char *const names[] = { "pid", "pps", "mebx_password" };
	int i;

	for (i = 0; i < ps->n_fields; i++)
		if (i >= PSK_COLUMNS_MAX ||
		    strcasecmp(ps->fields[i].text, names[i]))
			break;
	if (i < 2 || i != ps->n_fields) {
		psk_csv_add_error(ps->csv, ps->record_line,
				  "header must be pid,pps,mebx_password");
		ps->fatal = true;
		return;
	}
	ps->n_columns = ps->n_fields;
}

/* Double the entry array; the old one is wiped, it holds secrets. */
static int grow(struct psk_csv *csv, size_t *cap)
{
	size_t n = *cap ? *cap * 2 : 64;
	struct psk_csv_entry *bigger = calloc(n, sizeof(*bigger));

	if (!bigger)
		return -1;
	if (csv->n_entries) {
		memcpy(bigger, csv->entries, csv->n_entries * sizeof(*bigger));
		explicit_bzero(csv->entries, csv->n_entries * sizeof(*bigger));
	}
	free(csv->entries);
	csv->entries = bigger;
	*cap = n;
	return 0;
}

static void read_entry(struct parse_state *ps)
{
	struct psk_csv *csv = ps->csv;
	struct psk_csv_entry e = { .line = ps->record_line };
	const struct field *mebx = &ps->fields[2];

	if (ps->n_fields != ps->n_columns) {
		psk_csv_add_error(csv, e.line, "%d fields, the header has %d",
				  ps->n_fields, ps->n_columns);
		return;
	}
	if (!strip_dashes(&ps->fields[0], e.pid, PSK_PID_LEN)) {
		psk_csv_add_error(
			csv, e.line,
			"PID must be 8 characters A-Z 0-9 (dashes ignored)");
		return;
	}
	if (!strip_dashes(&ps->fields[1], e.pps, PSK_PPS_LEN)) {
		psk_csv_add_error(
			csv, e.line,
			"PPS of %s must be 32 characters A-Z 0-9 (dashes ignored)",
			e.pid);
		goto out;
	}
	if (ps->n_columns == 3) {
		if (mebx->len > PSK_MEBX_MAX || !is_printable(mebx)) {
			psk_csv_add_error(
				csv, e.line,
				"MEBx password of %s must be 0..%d printable ASCII characters",
				e.pid, PSK_MEBX_MAX);
			goto out;
		}
		memcpy(e.mebx, mebx->text, mebx->len + 1);
	}
	if (csv->n_entries == ps->cap && grow(csv, &ps->cap)) {
		psk_csv_add_error(csv, 0, "out of memory");
		ps->fatal = true;
		goto out;
	}
	csv->entries[csv->n_entries++] = e;
out:
	explicit_bzero(&e, sizeof(e));
}

static void on_record(int term, void *ctx)
{
	struct parse_state *ps = ctx;

	(void)term;
	if (!ps->fatal && ps->n_fields) {
		if (ps->n_fields > PSK_COLUMNS_MAX)
			psk_csv_add_error(ps->csv, ps->record_line,
					  "%d fields, at most %d expected",
					  ps->n_fields, PSK_COLUMNS_MAX);
		else if (!ps->n_columns)
			read_header(ps);
		else
			read_entry(ps);
	}
	explicit_bzero(ps->fields, sizeof(ps->fields));
	ps->n_fields = 0;
	ps->record_line = 0;
}

static int cmp_line(const void *a, const void *b)
{
	const struct psk_csv_error *x = a, *y = b;

	return (x->line > y->line) - (x->line < y->line);
}

static int cmp_pid(const void *a, const void *b)
{
	const struct psk_csv_entry *const *x = a, *const *y = b;
	int c = strcmp((*x)->pid, (*y)->pid);

	return c ? c : cmp_line(*x, *y);
}

/* Report each PID that repeats an earlier line. */
static void find_repeats(struct psk_csv *csv)
{
	const struct psk_csv_entry **by_pid;
	size_t i;

	if (csv->n_entries < 2)
		return;
	by_pid = malloc(csv->n_entries * sizeof(*by_pid));
	if (!by_pid) {
		psk_csv_add_error(csv, 0, "out of memory");
		return;
	}
	for (i = 0; i < csv->n_entries; i++)
		by_pid[i] = &csv->entries[i];
	qsort(by_pid, csv->n_entries, sizeof(*by_pid), cmp_pid);
	for (i = 1; i < csv->n_entries; i++)
		if (!strcmp(by_pid[i]->pid, by_pid[i - 1]->pid))
			psk_csv_add_error(csv, by_pid[i]->line,
					  "PID %s repeats line %u",
					  by_pid[i]->pid, by_pid[i - 1]->line);
	free(by_pid);
}

int psk_csv_parse(struct psk_csv *csv, const char *data, size_t len)
{
	struct parse_state ps = { .csv = csv, .line = 1 };
	struct csv_parser p;
	const char *nl, *end = data + len;
	size_t chunk, kept;

	memset(csv, 0, sizeof(*csv));
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI)) {
		psk_csv_add_error(csv, 0, "out of memory");
		return -1;
	}
	/* Feed one physical line at a time so callbacks know their line. */
	while (data < end && !ps.fatal) {
		nl = memchr(data, '\n', (size_t)(end - data));
		chunk = nl ? (size_t)(nl - data) + 1 : (size_t)(end - data);
		if (csv_parse(&p, data, chunk, on_field, on_record, &ps) !=
		    chunk)
			break;
		data += chunk;
		ps.line += !!nl;
	}
	if (!ps.fatal &&
	    (data < end || csv_fini(&p, on_field, on_record, &ps) != 0))
		psk_csv_add_error(csv,
				  ps.record_line ? ps.record_line : ps.line,
				  "%s",
				  csv_error(&p) == CSV_EPARSE ?
					  "malformed quoting" :
					  csv_strerror(csv_error(&p)));
	csv_free(&p);
	explicit_bzero(ps.fields, sizeof(ps.fields));
	if (!ps.n_columns && !ps.fatal && !csv->n_errors)
		psk_csv_add_error(csv, 1, "empty file: no pid,pps header");
	find_repeats(csv);
	kept = csv->n_errors < PSK_CSV_ERRORS_MAX ? csv->n_errors :
						    PSK_CSV_ERRORS_MAX;
	qsort(csv->errors, kept, sizeof(csv->errors[0]), cmp_line);
	return csv->n_errors ? -1 : 0;
}

void psk_csv_free(struct psk_csv *csv)
{
	if (csv->entries)
		explicit_bzero(csv->entries,
			       csv->n_entries * sizeof(*csv->entries));
	free(csv->entries);
	csv->entries = NULL;
	csv->n_entries = 0;
}
