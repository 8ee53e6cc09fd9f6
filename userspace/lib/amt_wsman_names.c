// SPDX-License-Identifier: GPL-2.0-only
/* Names of the AMT PT_STATUS return codes, for logs and audit rows. */
#include "amt_wsman_names.h"

#include <stddef.h>

const char *amt_pt_status_name(unsigned int status)
{
	static const struct {
		unsigned int code;
		const char *name;
	} names[] = {
		{ AMT_STATUS_SUCCESS, "SUCCESS" },
		{ AMT_STATUS_INTERNAL_ERROR, "INTERNAL_ERROR" },
		{ AMT_STATUS_NOT_PERMITTED, "NOT_PERMITTED" },
		{ AMT_STATUS_MAX_LIMIT_REACHED, "MAX_LIMIT_REACHED" },
		{ AMT_STATUS_AUTHENTICATION_FAILED, "AUTHENTICATION_FAILED" },
		{ AMT_STATUS_INVALID_PROVISIONING_STATE,
		  "INVALID_PROVISIONING_STATE" },
		{ AMT_STATUS_INVALID_PARAMETER, "INVALID_PARAMETER" },
		{ AMT_STATUS_FLASH_WRITE_LIMIT_EXCEEDED,
		  "FLASH_WRITE_LIMIT_EXCEEDED" },
		{ AMT_STATUS_INVALID_PID_FORMAT, "INVALID_PID_FORMAT" },
		{ AMT_STATUS_INVALID_PPS_FORMAT, "INVALID_PPS_FORMAT" },
		{ AMT_STATUS_INVALID_PASSWORD, "INVALID_PASSWORD" },
		{ AMT_STATUS_DATA_MISSING, "DATA_MISSING" },
		{ AMT_STATUS_DUPLICATE, "DUPLICATE" },
		{ AMT_STATUS_INVALID_KEY, "INVALID_KEY" },
		{ AMT_STATUS_INVALID_CERT, "INVALID_CERT" },
		{ AMT_STATUS_CERT_KEY_NOT_MATCH, "CERT_KEY_NOT_MATCH" },
		{ AMT_STATUS_BLOCKING_COMPONENT, "BLOCKING_COMPONENT" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (names[i].code == status)
			return names[i].name;
	return "UNKNOWN";
}
