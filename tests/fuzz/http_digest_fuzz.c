// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: both Digest header parsers on the same bytes. Whatever
 * parses must survive verification, and a parsed challenge must produce an
 * Authorization header that parses back with the same realm and nonce.
 */
#include <stdlib.h>
#include <string.h>

#include "http_digest.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static struct http_digest_challenge c;
	static struct http_digest_credentials r;
	static char out[8192];
	const char *hdr = (const char *)data;

	if (http_digest_parse_authorization(hdr, size, true, &r) ==
	    HTTP_DIGEST_OK) {
		if (strlen(r.response) != HTTP_DIGEST_HEX_LEN)
			abort();
		if (http_digest_parse_challenge(hdr, size, &c) ==
		    HTTP_DIGEST_OK)
			http_digest_verify(&r, &c, "GET", "pw");
	}
	if (http_digest_parse_challenge(hdr, size, &c) != HTTP_DIGEST_OK)
		return 0;
	if (http_digest_authorization(&c, "user", "pw", "GET", "/", "cn", 1,
				      out, sizeof(out)) != HTTP_DIGEST_OK)
		return 0;
	if (http_digest_parse_authorization(out, strlen(out), false, &r) !=
		    HTTP_DIGEST_OK ||
	    strcmp(r.realm, c.realm) || strcmp(r.nonce, c.nonce))
		abort();
	return 0;
}
