/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Per-device identity and credentials derived from the fleet seed and the
 * device index, so `amtsim --creds-out F --creds-only` run before the fleet
 * gives the SCA the same PIDs and PPSs the devices will use.
 */
#ifndef AMTSIM_CREDS_H
#define AMTSIM_CREDS_H

#include <stdint.h>
#include <stdio.h>

#define SIM_PID_LEN 8
#define SIM_PPS_LEN 32
#define SIM_MEBX_LEN 12
#define SIM_REALM_LEN 39 /* "Digest:" + 32 hex */

struct sim_creds {
	uint8_t uuid[16]; /* wire (SMBIOS) byte order */
	char uuid_str[37];
	char pid[SIM_PID_LEN + 1];
	char pps[SIM_PPS_LEN + 1];
	char mebx_password[SIM_MEBX_LEN + 1];
	char realm[SIM_REALM_LEN + 1];
};

/* Derive device index's credentials from seed. Returns 0 or -1 (OpenSSL). */
int sim_creds_derive(uint64_t seed, uint32_t index, struct sim_creds *c);

/* Bytes for purpose label of device index, from seed (HMAC-SHA-256). */
int sim_creds_bytes(uint64_t seed, uint32_t index, const char *label,
		    uint8_t out[32]);

/* Write the contract's CSV (header pid,pps,mebx_password) for n devices. */
int sim_creds_write_csv(FILE *f, uint64_t seed, uint32_t n);

#endif /* AMTSIM_CREDS_H */
