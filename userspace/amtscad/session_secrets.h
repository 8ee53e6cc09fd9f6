/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The values a provisioning session generates or derives: the new admin
 * password, a fresh PID/PPS pair, the device's host name, and the
 * SetAdminAclEntryEx digest. Pure functions, so they are unit-tested alone.
 */
#ifndef AMTSCAD_SESSION_SECRETS_H
#define AMTSCAD_SESSION_SECRETS_H

#include <stddef.h>

#define ADMIN_PASSWORD_LEN 16 /* within AMT's 8..32, see contract step 5 */
#define PID_LEN 8
#define PPS_LEN 32

/* A random password with upper, lower, digit and symbol; out >= len + 1. */
int secret_admin_password(char *out, size_t len);
/* len random characters from A-Z 0-9 (PID: 8, PPS: 32); out >= len + 1. */
int secret_pid_pps_chars(char *out, size_t len);
/* Does pw meet AMT's rule (8..32 chars, upper, lower, digit, symbol)? */
int secret_password_ok(const char *pw);
/* prefix + the last 12 hex digits of the UUID string, lowercase. */
int secret_hostname(const char *prefix, const char *uuid, char *out,
		    size_t outlen);
/*
 * MD5("admin:" realm ":" password) as base64 of the 16 bytes (base64 = 1)
 * or 32 lowercase hex digits (base64 = 0).
 */
int secret_acl_digest(const char *user, const char *realm, const char *password,
		      int base64, char *out, size_t outlen);

#endif /* AMTSCAD_SESSION_SECRETS_H */
