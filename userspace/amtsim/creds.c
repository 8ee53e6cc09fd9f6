// SPDX-License-Identifier: GPL-2.0-only
/* Deterministic device credentials from --seed. */
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "creds.h"
#include "hello_json.h"

#define PID_ALPHABET "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

int sim_creds_bytes(uint64_t seed, uint32_t index, const char *label,
		    uint8_t out[32])
{
	uint8_t msg[12 + 32];
	size_t llen = strlen(label);
	unsigned int len = 0;
	int i;

	if (llen > 32)
		return -1;
	for (i = 0; i < 8; i++)
		msg[i] = (uint8_t)(seed >> (8 * i));
	for (i = 0; i < 4; i++)
		msg[8 + i] = (uint8_t)(index >> (8 * i));
	memcpy(msg + 12, label, llen);
	if (!HMAC(EVP_sha256(), "amtsim", 6, msg, 12 + llen, out, &len) ||
	    len != 32)
		return -1;
	return 0;
}

/* n characters of alphabet picked by the bytes in b (n <= 32). */
static void pick(const uint8_t *b, size_t n, const char *alphabet, char *out)
{
	size_t k = strlen(alphabet), i;

	for (i = 0; i < n; i++)
		out[i] = alphabet[b[i] % k];
	out[n] = '\0';
}

int sim_creds_derive(uint64_t seed, uint32_t index, struct sim_creds *c)
{
	static const char hex[] = "0123456789ABCDEF";
	uint8_t b[32];
	int i;

	memset(c, 0, sizeof(*c));
	if (sim_creds_bytes(seed, index, "uuid", b))
		return -1;
	memcpy(c->uuid, b, 16);
	/* RFC 4122 version 4 and variant bits, in the SMBIOS byte order. */
	c->uuid[7] = (uint8_t)((c->uuid[7] & 0x0f) | 0x40);
	c->uuid[8] = (uint8_t)((c->uuid[8] & 0x3f) | 0x80);
	amt_uuid_format(c->uuid, c->uuid_str);

	if (sim_creds_bytes(seed, index, "pid", b))
		return -1;
	pick(b, SIM_PID_LEN, PID_ALPHABET, c->pid);
	if (sim_creds_bytes(seed, index, "pps", b))
		return -1;
	pick(b, SIM_PPS_LEN, PID_ALPHABET, c->pps);

	/*
	 * The MEBx password a technician set before PSK setup: firmware rules
	 * want upper, lower, digit and symbol, so each class gets one place.
	 */
	if (sim_creds_bytes(seed, index, "mebx", b))
		return -1;
	pick(b, 1, "ABCDEFGHJKLMNPQRSTUVWXYZ", c->mebx_password);
	pick(b + 1, 1, "abcdefghijkmnpqrstuvwxyz", c->mebx_password + 1);
	pick(b + 2, 1, "23456789", c->mebx_password + 2);
	pick(b + 3, 1, "!#$%&*+-=?@^_", c->mebx_password + 3);
	pick(b + 4, SIM_MEBX_LEN - 4,
	     "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789",
	     c->mebx_password + 4);

	if (sim_creds_bytes(seed, index, "realm", b))
		return -1;
	strcpy(c->realm, "Digest:");
	for (i = 0; i < 16; i++) {
		c->realm[7 + 2 * i] = hex[b[i] >> 4];
		c->realm[8 + 2 * i] = hex[b[i] & 0xf];
	}
	c->realm[SIM_REALM_LEN] = '\0';
	return 0;
}

int sim_creds_write_csv(FILE *f, uint64_t seed, uint32_t n)
{
	struct sim_creds c;
	uint32_t i;

	if (fputs("pid,pps,mebx_password\n", f) == EOF)
		return -1;
	for (i = 0; i < n; i++) {
		if (sim_creds_derive(seed, i, &c))
			return -1;
		/* No comma or quote can occur: no RFC 4180 quoting needed. */
		if (fprintf(f, "%s,%s,%s\n", c.pid, c.pps, c.mebx_password) < 0)
			return -1;
	}
	return 0;
}
