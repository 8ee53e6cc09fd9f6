/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Least privilege for amtscad: once the BPF program is attached, the maps
 * are pinned and every listening socket is open, switch to an unprivileged
 * user and group, keep only the listed capabilities, forbid regaining any
 * (no_new_privs, bounding set) and disable core dumps.
 */
#ifndef AMTSCA_PRIVDROP_H
#define AMTSCA_PRIVDROP_H

#include <stddef.h>

struct privdrop_conf {
	const char *user; /* user name or numeric uid */
	const char *group; /* group name or numeric gid */
	/*
	 * Capabilities kept after the switch, libcap names without the
	 * "cap_" prefix, comma separated ("bpf,net_admin"); "none" or ""
	 * keeps none.
	 */
	const char *capabilities;
	/*
	 * NULL-terminated list of files handed to user:group before the
	 * switch (the state database and its WAL/shm/journal), so the
	 * unprivileged process can reopen them; absent ones are skipped, a
	 * symlink or non-regular file is refused. May be NULL.
	 */
	const char *const *hand_over;
};

/*
 * Apply conf to the whole process. Call it from the main thread before
 * any other thread exists: capability sets are per thread. When the
 * process is not root it cannot switch user: the target must then be the
 * current user, and only the remaining steps are applied. Returns 0, or -1
 * with a one-line reason in err.
 */
int privdrop_apply(const struct privdrop_conf *conf, char *err, size_t errlen);

#endif /* AMTSCA_PRIVDROP_H */
