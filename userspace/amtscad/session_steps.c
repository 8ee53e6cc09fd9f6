// SPDX-License-Identifier: GPL-2.0-only
/*
 * The contract's WS-Man sequence, one request and one response per step.
 * Secrets (admin password, new PID/PPS) are generated here and committed
 * to the store before the request carrying them exists.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "amt_wsman_names.h"
#include "session_int.h"
#include "session_secrets.h"
#include "store.h"

static const char *const step_names[STEP_COUNT] = {
	[STEP_GET_GENERAL] = "get_general_settings",
	[STEP_GET_SETUP] = "get_setup_state",
	[STEP_GET_TIME] = "get_time",
	[STEP_SET_TIME] = "set_time",
	[STEP_PUT_GENERAL] = "put_general_settings",
	[STEP_SET_MEBX] = "set_mebx_password",
	[STEP_SET_ACL] = "set_admin_acl",
	[STEP_SET_PSK] = "set_tls_psk",
	[STEP_COMMIT] = "commit",
};

const char *step_name(enum session_step step)
{
	return step < STEP_COUNT ? step_names[step] : "unknown";
}

/*
 * The admin password of this attempt, made on first use; the request that
 * first carries it waits for it to be committed (SECRET_ADMIN_PASSWORD).
 */
static int reserve_admin_password(struct session *s, const char **reason)
{
	if (s->admin_password[0])
		return 0;
	if (secret_admin_password(s->admin_password, ADMIN_PASSWORD_LEN)) {
		*reason = "random_failed";
		return -1;
	}
	s->secrets_unsaved |= SECRET_ADMIN_PASSWORD;
	return 0;
}

int step_save_secrets(struct session *s)
{
	if ((s->secrets_unsaved & SECRET_ADMIN_PASSWORD) &&
	    store_reserve_admin_password(s->st, s->uuid, s->admin_password))
		return -1;
	if ((s->secrets_unsaved & SECRET_NEW_PSK) &&
	    store_save_new_psk(s->st, s->uuid, s->new_pid, s->new_pps))
		return -1;
	return 0;
}

static int build_invoke(struct session *s, const char *cls, const char *method,
			const struct wsman_pairs *params, const char *id)
{
	return wsman_build_invoke(&s->body, cls, method, id, NULL, params);
}

int step_build(struct session *s, const char **reason)
{
	const struct amtsca_config *cfg = s->env->cfg;
	struct wsman_pairs p;
	char id[16], val[64];
	int err = WSMAN_OK;

	snprintf(id, sizeof(id), "%u", ++s->message_id);
	wsman_pairs_clear(&p);
	switch (s->step) {
	case STEP_GET_GENERAL:
		err = wsman_build_get(&s->body, AMT_CLASS_GENERAL_SETTINGS, id,
				      NULL);
		break;
	case STEP_GET_SETUP:
		err = wsman_build_get(&s->body, AMT_CLASS_SETUP_SERVICE, id,
				      NULL);
		break;
	case STEP_GET_TIME:
		err = build_invoke(s, AMT_CLASS_TIME_SERVICE,
				   AMT_METHOD_GET_LOW_ACCURACY_TIME, NULL, id);
		break;
	case STEP_SET_TIME:
		snprintf(val, sizeof(val), "%lld", s->ta0);
		wsman_pairs_add(&p, AMT_PARAM_TA0, val);
		snprintf(val, sizeof(val), "%lld", (long long)time(NULL));
		wsman_pairs_add(&p, AMT_PARAM_TM1, val);
		wsman_pairs_add(&p, AMT_PARAM_TM2, val);
		err = build_invoke(s, AMT_CLASS_TIME_SERVICE,
				   AMT_METHOD_SET_HIGH_ACCURACY_TIME, &p, id);
		break;
	case STEP_PUT_GENERAL:
		if (secret_hostname(cfg->hostname_prefix, s->uuid, s->hostname,
				    sizeof(s->hostname)) ||
		    store_set_profile(s->st, s->uuid, s->hostname,
				      cfg->domain)) {
			*reason = "store_failed";
			return -1;
		}
		p = s->general;
		if (wsman_pairs_set(&p, AMT_PROP_HOST_NAME, s->hostname) ||
		    wsman_pairs_set(&p, AMT_PROP_DOMAIN_NAME, cfg->domain)) {
			*reason = "instance_too_large";
			return -1;
		}
		err = wsman_build_put(&s->body, AMT_CLASS_GENERAL_SETTINGS, id,
				      NULL, &p);
		break;
	case STEP_SET_MEBX:
		if (reserve_admin_password(s, reason))
			return -1;
		wsman_pairs_add(&p, AMT_PARAM_PASSWORD, s->admin_password);
		err = build_invoke(s, AMT_CLASS_SETUP_SERVICE,
				   AMT_METHOD_SET_MEBX_PASSWORD, &p, id);
		break;
	case STEP_SET_ACL:
		if (reserve_admin_password(s, reason))
			return -1;
		if (secret_acl_digest(
			    AMT_ADMIN_USER, s->realm, s->admin_password,
			    !strcmp(cfg->acl_digest_encoding, "base64"), val,
			    sizeof(val))) {
			*reason = "digest_failed";
			return -1;
		}
		wsman_pairs_add(&p, AMT_PARAM_USERNAME, AMT_ADMIN_USER);
		wsman_pairs_add(&p, AMT_PARAM_DIGEST_PASSWORD, val);
		err = build_invoke(s, AMT_CLASS_AUTHORIZATION_SERVICE,
				   AMT_METHOD_SET_ADMIN_ACL_ENTRY_EX, &p, id);
		break;
	case STEP_SET_PSK:
		if (secret_pid_pps_chars(s->new_pid, PID_LEN) ||
		    secret_pid_pps_chars(s->new_pps, PPS_LEN)) {
			*reason = "random_failed";
			return -1;
		}
		s->secrets_unsaved |= SECRET_NEW_PSK;
		wsman_pairs_add(&p, AMT_PARAM_PID, s->new_pid);
		wsman_pairs_add(&p, AMT_PARAM_PPS, s->new_pps);
		err = build_invoke(s, AMT_CLASS_SETUP_SERVICE,
				   AMT_METHOD_SET_TLS_PSK, &p, id);
		break;
	case STEP_COMMIT:
		err = build_invoke(s, AMT_CLASS_SETUP_SERVICE,
				   AMT_METHOD_COMMIT_CHANGES, NULL, id);
		break;
	case STEP_COUNT:
		err = WSMAN_ERR_ARG;
		break;
	}
	/* p may hold a secret (password, PPS, digest). */
	OPENSSL_cleanse(&p, sizeof(p));
	OPENSSL_cleanse(val, sizeof(val));
	if (err) {
		*reason = wsman_strerror(err);
		return -1;
	}
	return 0;
}

/* The step after s->step for this device's mode and the profile. */
static enum session_step next_step(const struct session *s)
{
	switch (s->step) {
	case STEP_PUT_GENERAL:
		return s->pki ? STEP_SET_MEBX : STEP_SET_ACL;
	case STEP_SET_ACL:
		return !s->pki && s->env->cfg->rotate_psk ? STEP_SET_PSK :
							    STEP_COMMIT;
	case STEP_GET_TIME: {
		long long drift = s->ta0 - (long long)time(NULL);

		if (drift < 0)
			drift = -drift;
		return drift > s->env->cfg->max_clock_drift_s ?
			       STEP_SET_TIME :
			       STEP_PUT_GENERAL;
	}
	default:
		return s->step + 1;
	}
}

static int parse_ll(const char *text, long long *out)
{
	char *end;

	if (!text || !*text)
		return -1;
	*out = strtoll(text, &end, 10);
	return *end ? -1 : 0;
}

enum step_result step_handle(struct session *s, const struct wsman_response *r,
			     char *reason, size_t reason_len)
{
	const char *v;
	long long n;

	if (r->is_fault) {
		snprintf(reason, reason_len, "soap_fault:%s",
			 r->fault.subcode[0] ? r->fault.subcode :
					       r->fault.code);
		return STEP_ERROR;
	}
	switch (s->step) {
	case STEP_GET_GENERAL:
		v = wsman_response_get(r, AMT_PROP_DIGEST_REALM);
		if (!v || !*v) {
			snprintf(reason, reason_len, "no_digest_realm");
			return STEP_ERROR;
		}
		snprintf(s->realm, sizeof(s->realm), "%s", v);
		s->general = r->props;
		break;
	case STEP_GET_SETUP:
		if (parse_ll(wsman_response_get(r, AMT_PROP_PROVISIONING_STATE),
			     &n)) {
			snprintf(reason, reason_len, "no_provisioning_state");
			return STEP_ERROR;
		}
		if (n == AMT_PROVISIONING_POST)
			return STEP_ALREADY;
		break;
	case STEP_GET_TIME:
		if (r->has_return_value && r->return_value) {
			snprintf(reason, reason_len, "return_value:%s",
				 amt_pt_status_name(r->return_value));
			return STEP_ERROR;
		}
		if (parse_ll(wsman_response_get(r, AMT_PARAM_TA0), &s->ta0)) {
			snprintf(reason, reason_len, "no_ta0");
			return STEP_ERROR;
		}
		break;
	case STEP_PUT_GENERAL:
		break;
	default:
		if (!r->has_return_value) {
			snprintf(reason, reason_len, "no_return_value");
			return STEP_ERROR;
		}
		if (r->return_value) {
			snprintf(reason, reason_len, "return_value:%s(%u)",
				 amt_pt_status_name(r->return_value),
				 r->return_value);
			return STEP_ERROR;
		}
		if (s->step == STEP_COMMIT)
			return STEP_FINISHED;
	}
	s->step = next_step(s);
	return STEP_NEXT;
}
