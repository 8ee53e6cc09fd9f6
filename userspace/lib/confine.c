// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>

#include "confine.h"
#include "privdrop.h"
#include "sandbox.h"

int confine_apply(const struct amtsca_config *cfg, char *err, size_t errlen)
{
	const struct privdrop_conf drop = {
		.user = cfg->security_user,
		.group = cfg->security_group,
		.capabilities = cfg->security_capabilities,
	};
	enum sandbox_mode mode;

	if (sandbox_mode_parse(cfg->security_seccomp, &mode)) {
		snprintf(err, errlen, "security.seccomp: unknown mode '%s'",
			 cfg->security_seccomp);
		return -1;
	}
	if (privdrop_apply(&drop, err, errlen))
		return -1;
	return sandbox_apply(mode, err, errlen);
}
