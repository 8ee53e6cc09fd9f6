// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the daemon's control request parser on any bytes; a
 * request it accepts must format back to the same words.
 */
#include <string.h>

#include "control_proto.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct control_request req, again;
	char err[128], line[CONTROL_LINE_MAX];
	int i, n;

	if (control_request_parse(&req, (const char *)data, size, err,
				  sizeof(err)))
		return 0;
	n = control_request_format(line, sizeof(line), req.argc, req.argv, err,
				   sizeof(err));
	if (n < 0 ||
	    control_request_parse(&again, line, (size_t)n, err, sizeof(err)) ||
	    again.argc != req.argc)
		__builtin_trap();
	for (i = 0; i < req.argc; i++)
		if (strcmp(req.argv[i], again.argv[i]))
			__builtin_trap();
	return 0;
}
