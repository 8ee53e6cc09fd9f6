// SPDX-License-Identifier: GPL-2.0-only
/*
 * The daemon's configuration, at start and on SIGHUP. Only the XDP
 * program's allowed source prefixes and per-source rates change in a
 * running daemon: they are map entries written through descriptors held
 * since start-up, which the confined daemon may still write. Everything
 * else was used before the privilege drop (sockets, files, the program's
 * load-time knobs) or is read by the worker threads without a lock, so a
 * change there is reported as needing a restart and not applied.
 */
#include <string.h>
#include <unistd.h>

#include "daemon_config.h"
#include "log.h"

int daemon_config_read(const struct options *opt, struct amtsca_config *cfg,
		       char *err, size_t errlen)
{
	int i;

	config_defaults(cfg);
	/* The default path is optional; a path given with -c is not. */
	if ((opt->config_given || access(opt->config_path, F_OK) == 0) &&
	    config_load(cfg, opt->config_path, err, errlen))
		return -1;
	for (i = 0; i < opt->n_overrides; i++)
		if (config_override(cfg, opt->overrides[i], err, errlen))
			return -1;
	return 0;
}

/* Copy the keys a running daemon can apply from src into dst. */
static void copy_live_keys(struct config_xdp *dst, const struct config_xdp *src)
{
	memcpy(dst->prefixes, src->prefixes, sizeof(dst->prefixes));
	dst->n_prefixes = src->n_prefixes;
	dst->syn_rate = src->syn_rate;
	dst->syn_burst = src->syn_burst;
	dst->data_rate = src->data_rate;
	dst->data_burst = src->data_burst;
}

int daemon_config_reload(const struct options *opt, struct amtsca_config *cur,
			 struct backend_xdp *bx)
{
	struct amtsca_config next, live;
	bool xdp_changed, restart;
	char err[512];

	/*
	 * Both configurations are built the same way from zeroed memory,
	 * so byte comparison tells what the file changed.
	 */
	memset(&next, 0, sizeof(next));
	if (daemon_config_read(opt, &next, err, sizeof(err))) {
		log_event(LOG_LVL_ERR, "reload_failed",
			  "error=\"%s\" applied=none", err);
		return -1;
	}
	live = *cur;
	copy_live_keys(&live.xdp, &next.xdp);
	xdp_changed = memcmp(&live.xdp, &cur->xdp, sizeof(live.xdp)) != 0;
	restart = memcmp(&live, &next, sizeof(live)) != 0;
	if (xdp_changed && bx) {
		if (backend_xdp_reconfigure(bx, &next.xdp)) {
			log_event(LOG_LVL_ERR, "reload_failed",
				  "error=\"XDP maps not written\" applied=none");
			return -1;
		}
		copy_live_keys(&cur->xdp, &next.xdp);
	} else if (xdp_changed) {
		/* Socket or kmod backend: the XDP keys are not in use. */
		restart = true;
	}
	log_event(LOG_LVL_INFO, "reload",
		  "file=%s applied=%s restart_needed=%s", opt->config_path,
		  xdp_changed && bx ? "xdp.allowed_prefixes,xdp.rates" : "none",
		  restart ? "yes" : "no");
	return 0;
}
