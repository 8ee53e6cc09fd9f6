// SPDX-License-Identifier: GPL-2.0-only
/*
 * A device's answers to the provisioning steps: the first byte picks the
 * step and the mode, the rest is the response body, parsed by wsman and
 * handed to step_handle() as the session would. The session must end in
 * a defined step or result, whatever the device sends.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../userspace/amtscad/session_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct amtsca_config cfg;
	static struct session_env env = { .cfg = &cfg };
	struct wsman_response *r;
	struct session *s;
	enum step_result res;
	char reason[WSMAN_TEXT_MAX + 64];

	if (size < 1)
		return 0;
	if (!cfg.domain[0])
		config_defaults(&cfg);
	s = calloc(1, sizeof(*s));
	r = malloc(sizeof(*r));
	if (!s || !r)
		abort();
	s->env = &env;
	s->step = data[0] % STEP_COUNT;
	s->pki = data[0] & 0x80;
	if (wsman_parse_response((const char *)data + 1, size - 1, r) ==
	    WSMAN_OK) {
		reason[0] = '\0';
		res = step_handle(s, r, reason, sizeof(reason));
		if (res == STEP_NEXT && s->step >= STEP_COUNT)
			abort();
		if (res == STEP_ERROR && !reason[0])
			abort();
	}
	free(r);
	free(s);
	return 0;
}
