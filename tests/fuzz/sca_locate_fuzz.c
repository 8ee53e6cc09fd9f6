// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer target: the amtsim resolver config parser and candidate list. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sca_locate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char names[SCA_CANDIDATES_MAX][SCA_NAME_MAX];
	struct sca_locate_config cfg;
	char *text = malloc(size + 1);
	char err[256];

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (sca_locate_parse(text, &cfg, err, sizeof(err)) == 0)
		sca_locate_candidates(&cfg, names);
	free(text);
	return 0;
}
