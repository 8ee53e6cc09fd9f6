// SPDX-License-Identifier: GPL-2.0-only
/* amtsim's use of the device model (device_model.h). */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "amt_wsman_names.h"
#include "device_model.h"
#include "model_glue.h"

int sim_model_init(struct sim_fleet *f, struct sim_device *d)
{
	struct sockaddr_storage ss;
	char addr[INET6_ADDRSTRLEN];
	struct amt_device_identity id = {
		.uuid = d->creds.uuid_str,
		.address = addr,
		.mode = d->pki ? AMT_DEVICE_PKI : AMT_DEVICE_PSK,
		.realm = d->creds.realm,
		/* PKI devices still have the factory MEBx password. */
		.mebx_password = d->pki ? "admin" : d->creds.mebx_password,
		.pid = d->creds.pid,
		.pps = d->creds.pps,
	};

	sim_device_addr(f, d, AF_INET, &ss);
	inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, addr,
		  sizeof(addr));
	return device_model_init(d->model, &id);
}

int sim_model_knobs(const struct sim_fleet *f, struct sim_device *d)
{
	unsigned int i;

	for (i = 0; i < f->opt->n_model_knobs; i++) {
		const char *knob = f->opt->model_knobs[i];
		const char *eq = strchr(knob, '=');
		char name[64];

		if ((size_t)(eq - knob) >= sizeof(name))
			goto bad;
		memcpy(name, knob, (size_t)(eq - knob));
		name[eq - knob] = '\0';
		if (device_model_set_knob(d->model, name, eq + 1))
			goto bad;
		continue;
bad:
		fprintf(stderr,
			"amtsim: --model-knob '%s': unknown name or value\n",
			knob);
		return -1;
	}
	return 0;
}

bool sim_model_operational(const struct sim_device *d)
{
	return d->model->provisioning_state == AMT_PROVISIONING_POST;
}

const char *sim_model_pid(const struct sim_device *d)
{
	return d->model->psk_rotated ? d->model->new_pid : d->model->pid;
}

const char *sim_model_pps(const struct sim_device *d)
{
	return d->model->psk_rotated ? d->model->new_pps : d->model->pps;
}

int sim_model_admin_ha1(const struct sim_fleet *f, const struct sim_device *d,
			char ha1[HTTP_DIGEST_HEX_LEN + 1])
{
	const char *pw = device_model_setup_password(
		d->model, f->opt->pki_digest_password);

	if (pw)
		return http_digest_ha1("admin", d->creds.realm, pw, ha1);
	if (strlen(d->model->admin_digest_hex) != HTTP_DIGEST_HEX_LEN)
		return -1;
	strcpy(ha1, d->model->admin_digest_hex);
	return 0;
}

int sim_model_handle(struct sim_device *d, const char *body, size_t len,
		     struct sim_reply *r)
{
	struct wsman_buf buf;

	wsman_buf_init(&buf);
	if (device_model_handle(d->model, body, len, time(NULL), &buf,
				&r->http_status)) {
		wsman_buf_free(&buf);
		return -1;
	}
	/* The reply's bytes change hands. */
	r->body = buf.data;
	r->len = buf.len;
	return 0;
}

void sim_model_reboot(struct sim_device *d)
{
	device_model_reboot(d->model);
}

void sim_count_hello(struct sim_device *d)
{
	d->model->hellos_sent++;
}

void sim_count_session(struct sim_device *d)
{
	device_model_session_start(d->model);
}

void sim_fail(struct sim_device *d, enum sim_failure why)
{
	device_model_note_failure(d->model, sim_failure_name(why));
}

int sim_model_json(const struct sim_device *d, FILE *out)
{
	return device_model_json(d->model, out);
}
