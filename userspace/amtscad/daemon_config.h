/* SPDX-License-Identifier: GPL-2.0-only */
/* amtscad's configuration: read at start, read again on SIGHUP. */
#ifndef AMTSCAD_DAEMON_CONFIG_H
#define AMTSCAD_DAEMON_CONFIG_H

#include <stddef.h>

#include "backend_xdp.h"
#include "config.h"
#include "options.h"

/*
 * Defaults, then the file (-c, or the default path when it exists), then
 * the command line's -o overrides. 0, or -1 with "FILE:LINE: reason" in err.
 */
int daemon_config_read(const struct options *opt, struct amtsca_config *cfg,
		       char *err, size_t errlen);

/*
 * Read the configuration again and apply to the running daemon what can
 * change while it runs (the XDP program's allowed prefixes and rates; bx
 * is NULL for the other backends); cur is updated to what is in force.
 * Logs the outcome. 0, or -1 when nothing was applied.
 */
int daemon_config_reload(const struct options *opt, struct amtsca_config *cur,
			 struct backend_xdp *bx);

#endif /* AMTSCAD_DAEMON_CONFIG_H */
