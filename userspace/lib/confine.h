/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one call amtscad makes once its privileged start-up is over (BPF
 * program attached, maps pinned, sockets bound, secrets key read): drop to
 * [security] user/group keeping [security] capabilities (privdrop.c), then
 * install the [security] seccomp filter (sandbox.c).
 */
#ifndef AMTSCA_CONFINE_H
#define AMTSCA_CONFINE_H

#include <stddef.h>

#include "config.h"

/*
 * The packaged default user and group "amtsca" fall back to nobody and
 * nogroup on a host that lacks them; a configured user must exist. The
 * database files (daemon.db_path, -wal, -shm, -journal) are handed to the
 * user. Returns 0 with "user=U group=G[ fallback=...]" in msg, or -1 with a
 * one-line reason in msg.
 */
int confine_apply(const struct amtsca_config *cfg, char *msg, size_t msglen);

#endif /* AMTSCA_CONFINE_H */
