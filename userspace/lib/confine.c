// SPDX-License-Identifier: GPL-2.0-only
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "confine.h"
#include "privdrop.h"
#include "sandbox.h"

#define DEFAULT_ACCOUNT "amtsca"

int confine_apply(const struct amtsca_config *cfg, char *msg, size_t msglen)
{
	char wal[CONFIG_PATH_MAX + 8], shm[CONFIG_PATH_MAX + 8],
		journal[CONFIG_PATH_MAX + 8];
	const char *const files[] = { cfg->db_path, wal, shm, journal, NULL };
	struct privdrop_conf drop = {
		.user = cfg->security_user,
		.group = cfg->security_group,
		.capabilities = cfg->security_capabilities,
		.hand_over = files,
	};
	enum sandbox_mode mode;
	bool fallback = false;

	if (sandbox_mode_parse(cfg->security_seccomp, &mode)) {
		snprintf(msg, msglen, "security.seccomp: unknown mode '%s'",
			 cfg->security_seccomp);
		return -1;
	}
	snprintf(wal, sizeof(wal), "%s-wal", cfg->db_path);
	snprintf(shm, sizeof(shm), "%s-shm", cfg->db_path);
	snprintf(journal, sizeof(journal), "%s-journal", cfg->db_path);
	if (!strcmp(drop.user, DEFAULT_ACCOUNT) && !getpwnam(drop.user)) {
		drop.user = "nobody";
		fallback = true;
	}
	if (!strcmp(drop.group, DEFAULT_ACCOUNT) && !getgrnam(drop.group)) {
		drop.group = "nogroup";
		fallback = true;
	}
	if (privdrop_apply(&drop, msg, msglen) ||
	    sandbox_apply(mode, msg, msglen))
		return -1;
	snprintf(msg, msglen, "user=%s group=%s%s", drop.user, drop.group,
		 fallback ? " fallback=\"no " DEFAULT_ACCOUNT " account\"" :
			    "");
	return 0;
}
