/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef AMTSCA_HEXBUF_H
#define AMTSCA_HEXBUF_H

#include <stddef.h>

/*
 * Decode hex text into out (at most cap bytes). ASCII white space between
 * digit pairs is ignored. Returns the byte count, or -1 with *bad_pos set
 * to the offending character index (odd digit count: the string length;
 * too long: the first character that does not fit).
 */
long hex_decode(const char *text, unsigned char *out, size_t cap,
		size_t *bad_pos);

#endif /* AMTSCA_HEXBUF_H */
