// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the Hello validator under every flag set, against the
 * reference validator it replaced (same verdict, err_off and info), and
 * the JSON writer for every Hello it accepts.
 */
#include <stdio.h>
#include <stdlib.h>

#include <amtsca/hello.h>

#include "hello_json.h"
#include "../lib/hello_validate_ref.h"

int LLVMFuzzerTestOneInput(const __u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const __u8 *data, size_t size)
{
	static const __u32 flag_sets[] = {
		0, AMT_HELLO_F_TYPE3_SHA512, AMT_HELLO_F_PID_PRINTABLE,
		AMT_HELLO_F_TYPE3_SHA512 | AMT_HELLO_F_PID_PRINTABLE
	};
	struct amt_hello_info info, ref;
	unsigned int i;
	FILE *sink;
	int r;

	if (size > 2 * AMT_HELLO_MAX_LEN)
		return -1;
	for (i = 0; i < sizeof(flag_sets) / sizeof(flag_sets[0]); i++) {
		r = amt_hello_validate(data, (__u32)size, flag_sets[i], &info);
		if (r != amt_hello_validate_ref(data, (__u32)size, flag_sets[i],
						&ref) ||
		    info.admin_credentials_set != ref.admin_credentials_set ||
		    info.version != ref.version ||
		    info.retry_count != ref.retry_count ||
		    info.hash_count != ref.hash_count || info.len != ref.len ||
		    info.err_off != ref.err_off)
			abort();
		if (r)
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
