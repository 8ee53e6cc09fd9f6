/* SPDX-License-Identifier: GPL-2.0-only */
/* Helpers wsman.c and wsman_parse.c share; not part of the wsman API. */
#ifndef AMTSCA_WSMAN_TEXT_H
#define AMTSCA_WSMAN_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Copy src into dst, or WSMAN_ERR_TOO_LONG when it does not fit in cap. */
int wsman_copy_text(char *dst, size_t cap, const char *src);

/* A class or method name: [A-Za-z0-9_]+, shorter than WSMAN_NAME_MAX. */
bool wsman_is_class_name(const char *s);

#endif /* AMTSCA_WSMAN_TEXT_H */
