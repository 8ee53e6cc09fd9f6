// SPDX-License-Identifier: GPL-2.0-only
#include <ctype.h>

#include "hexbuf.h"

static int hex_nibble(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

long hex_decode(const char *text, unsigned char *out, size_t cap,
		size_t *bad_pos)
{
	size_t i, n = 0, first = 0;
	int hi = -1, v;

	for (i = 0; text[i]; i++) {
		if (isspace((unsigned char)text[i]) && hi < 0)
			continue;
		v = hex_nibble((unsigned char)text[i]);
		if (v < 0) {
			*bad_pos = i;
			return -1;
		}
		if (hi < 0) {
			hi = v;
			first = i;
			continue;
		}
		if (n == cap) {
			*bad_pos = first;
			return -1;
		}
		out[n++] = (unsigned char)(hi << 4 | v);
		hi = -1;
	}
	if (hi >= 0) {
		*bad_pos = i;
		return -1;
	}
	return (long)n;
}
