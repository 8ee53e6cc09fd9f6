/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The daemon's seccomp allowlist (libseccomp): after start-up amtscad only
 * needs event loops, sockets to devices and netlink, its SQLite files,
 * OpenSSL, threads and BPF map access. Everything else (exec, fork,
 * ptrace, mount, module loading, identity changes, ...) hits the default
 * action. docs/security.md lists the groups and why each is allowed.
 */
#ifndef AMTSCA_SANDBOX_H
#define AMTSCA_SANDBOX_H

#include <stddef.h>

enum sandbox_mode {
	SANDBOX_KILL, /* default: kill the whole process (SIGSYS) */
	SANDBOX_ERRNO, /* fail the call with EPERM and log it (audit) */
	SANDBOX_LOG, /* allow it but log it (audit): finding missing calls */
	SANDBOX_OFF, /* no filter */
};

/* "kill", "errno", "log" or "off" (config security.seccomp). */
int sandbox_mode_parse(const char *name, enum sandbox_mode *mode);

/*
 * Install the filter on every thread of the process (TSYNC); sets
 * no_new_privs. Irreversible. Returns 0, or -1 with a reason in err.
 */
int sandbox_apply(enum sandbox_mode mode, char *err, size_t errlen);

#endif /* AMTSCA_SANDBOX_H */
