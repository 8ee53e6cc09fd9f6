/* SPDX-License-Identifier: GPL-2.0-only */
/* RFC 9110 character classes shared by the HTTP parsers. */
#ifndef AMTSCA_HTTP_CHARS_H
#define AMTSCA_HTTP_CHARS_H

#include <stdbool.h>
#include <string.h>

/* A token character (field names, methods, parameter names). */
static inline bool http_is_tchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* A control character other than HTAB: never allowed inside a field. */
static inline bool http_is_ctl(char c)
{
	return ((unsigned char)c < 0x20 && c != '\t') || c == 0x7f;
}

/* Optional white space. */
static inline bool http_is_ows(char c)
{
	return c == ' ' || c == '\t';
}

#endif /* AMTSCA_HTTP_CHARS_H */
