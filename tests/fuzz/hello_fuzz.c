// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the Hello validator under both hash-type readings,
 * and the JSON writer for every Hello it accepts.
 */
#include <stdio.h>
#include <stdlib.h>

#include <amtsca/hello.h>

#include "hello_json.h"

int LLVMFuzzerTestOneInput(const __u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const __u8 *data, size_t size)
{
	static const __u32 flag_sets[] = {
		0, AMT_HELLO_F_TYPE3_SHA512, AMT_HELLO_F_PID_PRINTABLE,
		AMT_HELLO_F_TYPE3_SHA512 | AMT_HELLO_F_PID_PRINTABLE
	};
	struct amt_hello_info info;
	unsigned int i;
	FILE *sink;

	if (size > 2 * AMT_HELLO_MAX_LEN)
		return -1;
	for (i = 0; i < sizeof(flag_sets) / sizeof(flag_sets[0]); i++) {
		if (amt_hello_validate(data, (__u32)size, flag_sets[i], &info))
			continue;
		if (info.len != size)
			abort();
		sink = fopen("/dev/null", "w");
		if (!sink ||
		    amt_hello_write_json(sink, data, &info, flag_sets[i]))
			abort();
		fclose(sink);
	}
	return 0;
}
