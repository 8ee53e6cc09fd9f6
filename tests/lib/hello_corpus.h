/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The shared Hello corpus (tests/corpus/hello): every parser - userspace,
 * BPF, kernel module - is run over the same files and must give the
 * verdict and error offset listed in expect.tsv.
 */
#ifndef AMTSCA_HELLO_CORPUS_H
#define AMTSCA_HELLO_CORPUS_H

#include <stddef.h>

#define HELLO_CORPUS_DIR AMTSCA_SRCDIR "/tests/corpus/hello"

struct hello_case {
	char file[128];
	char verdict[48]; /* amt_hello_reason_str() of the expected result */
	unsigned int err_off;
	unsigned char *data; /* malloc'd, exactly len bytes */
	size_t len;
};

/* Load every case of expect.tsv. Returns the count, or -1 (message on stderr). */
int hello_corpus_load(struct hello_case **cases);
void hello_corpus_free(struct hello_case *cases, int n);

/* Read a whole file into a malloc'd buffer of exactly its size. */
int read_whole_file(const char *path, unsigned char **data, size_t *len);

#endif /* AMTSCA_HELLO_CORPUS_H */
