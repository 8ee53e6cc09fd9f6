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

/* Returns 0, or -1 with a one-line reason in err. */
int confine_apply(const struct amtsca_config *cfg, char *err, size_t errlen);

#endif /* AMTSCA_CONFINE_H */
