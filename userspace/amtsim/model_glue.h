/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What amtsim's transport needs from the device model (device_model.h,
 * the WS-Man behaviour): one place that knows that API.
 */
#ifndef AMTSIM_MODEL_GLUE_H
#define AMTSIM_MODEL_GLUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "fleet.h"

struct sim_reply {
	char *body; /* malloc'd, owned by the caller */
	size_t len;
	int http_status;
};

/* Create d->model from d's credentials, mode and clock offset. */
int sim_model_init(struct sim_fleet *f, struct sim_device *d);
/* Apply every --model-knob NAME=VALUE to d's model; -1 after a message. */
int sim_model_knobs(const struct sim_fleet *f, struct sim_device *d);
bool sim_model_operational(const struct sim_device *d);
/* The PID/PPS the TLS-PSK server accepts now (new ones after commit). */
const char *sim_model_pid(const struct sim_device *d);
const char *sim_model_pps(const struct sim_device *d);
/*
 * HA1 (hex) of user "admin" now: from the setup password before the
 * commit (PSK: the MEBx password; PKI: --pki-digest-password), from the
 * committed ACL entry after it.
 */
int sim_model_admin_ha1(const struct sim_fleet *f, const struct sim_device *d,
			char ha1[HTTP_DIGEST_HEX_LEN + 1]);
/* Run one authenticated WS-Man request body. 0, or -1 (out of memory). */
int sim_model_handle(struct sim_device *d, const char *body, size_t len,
		     struct sim_reply *r);
/* --fault-reboot: back to Setup Mode, pending changes lost. */
void sim_model_reboot(struct sim_device *d);
/* One device object of the contract's state JSON. */
int sim_model_json(const struct sim_device *d, FILE *out);

#endif /* AMTSIM_MODEL_GLUE_H */
