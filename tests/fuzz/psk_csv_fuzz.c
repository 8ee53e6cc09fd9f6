// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the fleet credentials CSV parser. Accepted entries must
 * hold well-formed PIDs and PPSs; errors must be sorted by line.
 */
#include <string.h>

#include "psk_csv.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static struct psk_csv csv;
	size_t i, kept;

	if (size > 256 * 1024)
		return -1;
	psk_csv_parse(&csv, (const char *)data, size);
	for (i = 0; i < csv.n_entries; i++)
		if (strlen(csv.entries[i].pid) != PSK_PID_LEN ||
		    strlen(csv.entries[i].pps) != PSK_PPS_LEN)
			__builtin_trap();
	kept = csv.n_errors < PSK_CSV_ERRORS_MAX ? csv.n_errors :
						   PSK_CSV_ERRORS_MAX;
	for (i = 1; i < kept; i++)
		if (csv.errors[i].line < csv.errors[i - 1].line)
			__builtin_trap();
	psk_csv_free(&csv);
	return 0;
}
