// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated device's WS-Management behaviour: one table of the calls of
 * CONTRACT-provisioning.md, each checked the way firmware would (selectors,
 * parameters, provisioning state), with setup changes held pending until
 * CommitChanges.
 */
#include "device_model.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "amt_wsman_names.h"

#define MD5_LEN 16

/* ---- value checks --------------------------------------------------- */

static bool all_chars(const char *s, size_t len, const char *set)
{
	return strlen(s) == len && strspn(s, set) == len;
}

#define UPPER_DIGITS "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
#define HEX_UPPER "0123456789ABCDEF"
#define HEX_ANY "0123456789ABCDEFabcdef"

static bool is_pid(const char *s)
{
	return all_chars(s, AMT_PID_LEN, UPPER_DIGITS);
}

static bool is_pps(const char *s)
{
	return all_chars(s, AMT_PPS_LEN, UPPER_DIGITS);
}

static bool is_realm(const char *s)
{
	return !strncmp(s, "Digest:", 7) && all_chars(s + 7, 32, HEX_UPPER);
}

static bool is_uuid(const char *s)
{
	size_t i;

	if (strlen(s) != AMT_UUID_LEN)
		return false;
	for (i = 0; i < AMT_UUID_LEN; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' : !strchr(HEX_ANY, s[i]))
			return false;
	}
	return true;
}

/*
 * MEBx / admin password strength (contract step 5): 8-32 printable ASCII
 * characters, no space, with an upper case letter, a lower case letter, a
 * digit and a symbol.
 */
static bool is_strong_password(const char *pw)
{
	bool upper = false, lower = false, digit = false, symbol = false;
	size_t len = strlen(pw), i;

	if (len < AMT_PASSWORD_MIN || len > AMT_PASSWORD_MAX)
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)pw[i];

		if (c <= 0x20 || c >= 0x7f)
			return false;
		if (c >= 'A' && c <= 'Z')
			upper = true;
		else if (c >= 'a' && c <= 'z')
			lower = true;
		else if (c >= '0' && c <= '9')
			digit = true;
		else
			symbol = true;
	}
	return upper && lower && digit && symbol;
}

/* One DNS label: 1-63 of [A-Za-z0-9-], no '-' at either end. */
static bool is_label(const char *s, size_t len)
{
	static const char set[] = "abcdefghijklmnopqrstuvwxyz"
				  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-";
	size_t i;

	if (len < 1 || len > AMT_HOST_NAME_MAX || s[0] == '-' ||
	    s[len - 1] == '-')
		return false;
	for (i = 0; i < len; i++)
		if (!strchr(set, s[i]))
			return false;
	return true;
}

static bool is_host_name(const char *s)
{
	return is_label(s, strlen(s));
}

static bool is_domain_name(const char *s)
{
	const char *dot;

	if (!*s || strlen(s) > AMT_DOMAIN_NAME_MAX)
		return false;
	for (;;) {
		dot = strchr(s, '.');
		if (!is_label(s, dot ? (size_t)(dot - s) : strlen(s)))
			return false;
		if (!dot)
			return true;
		s = dot + 1;
	}
}

static int parse_ll(const char *s, long long *out)
{
	char *end;

	if (!s || !*s)
		return -1;
	errno = 0;
	*out = strtoll(s, &end, 10);
	return errno || *end ? -1 : 0;
}

static void md5_to_hex(const unsigned char *md5, char hex[33])
{
	static const char digits[] = "0123456789abcdef";
	int i;

	for (i = 0; i < MD5_LEN; i++) {
		hex[2 * i] = digits[md5[i] >> 4];
		hex[2 * i + 1] = digits[md5[i] & 0xf];
	}
	hex[32] = '\0';
}

/*
 * SetAdminAclEntryEx DigestPassword: base64 of the 16 raw MD5 bytes or 32
 * hex digits, as the encodings mask allows, into lowercase hex.
 */
static bool decode_digest(const char *s, unsigned int encodings, char hex[33])
{
	unsigned char raw[24];
	size_t i;

	if ((encodings & AMT_DIGEST_ENC_HEX) && all_chars(s, 32, HEX_ANY)) {
		for (i = 0; i < 32; i++)
			hex[i] = (char)(s[i] >= 'A' && s[i] <= 'F' ?
						s[i] - 'A' + 'a' :
						s[i]);
		hex[32] = '\0';
		return true;
	}
	if ((encodings & AMT_DIGEST_ENC_BASE64) && strlen(s) == 24 &&
	    !strcmp(s + 22, "==") && !strchr(s, '\n') &&
	    EVP_DecodeBlock(raw, (const unsigned char *)s, 24) == 18) {
		md5_to_hex(raw, hex);
		return true;
	}
	return false;
}

static int copy_checked(char *dst, size_t cap, const char *src)
{
	if (!src)
		src = "";
	if (strlen(src) >= cap)
		return -1;
	memcpy(dst, src, strlen(src) + 1);
	return 0;
}

/* ---- instances ------------------------------------------------------ */

/* AMT_GeneralSettings properties in the order AMT lists them. */
static const char *const general_settings_names[] = {
	AMT_PROP_ELEMENT_NAME,
	AMT_PROP_INSTANCE_ID,
	"NetworkInterfaceEnabled",
	AMT_PROP_DIGEST_REALM,
	"IdleWakeTimeout",
	AMT_PROP_HOST_NAME,
	AMT_PROP_DOMAIN_NAME,
	"PingResponseEnabled",
	"WsmanOnlyMode",
	"PreferredAddressFamily",
	"DHCPv6ConfigurationTimeout",
	"DDNSUpdateEnabled",
	"DDNSUpdateByDHCPServerEnabled",
	"SharedFQDN",
	"HostOSFQDN",
	"DDNSTTL",
	"AMTNetworkEnabled",
	"RmcpPingResponseEnabled",
	"DDNSPeriodicUpdateInterval",
	"PresenceNotificationInterval",
	"PrivacyLevel",
	"PowerSource",
};

/* The instance with the given host and domain (applied or pending). */
static int general_settings(const struct amt_device_model *m, const char *host,
			    const char *domain, struct wsman_pairs *out)
{
	const char *values[] = {
		AMT_GENERAL_SETTINGS_INSTANCE_ID,
		AMT_GENERAL_SETTINGS_INSTANCE_ID,
		"true",
		m->realm,
		"65535",
		host,
		domain,
		"true",
		"false",
		"0",
		"0",
		"false",
		"true",
		"true",
		"",
		"900",
		"1",
		"true",
		"1440",
		"0",
		"0",
		"0",
	};
	size_t i;

	_Static_assert(sizeof(values) / sizeof(*values) ==
			       sizeof(general_settings_names) /
				       sizeof(*general_settings_names),
		       "one value per AMT_GeneralSettings property");
	wsman_pairs_clear(out);
	for (i = 0; i < sizeof(values) / sizeof(*values); i++)
		if (wsman_pairs_add(out, general_settings_names[i], values[i]))
			return -1;
	return 0;
}

/* The CIM_Service keys and state every service instance carries. */
static int service_instance(const char *class_name, const char *name,
			    struct wsman_pairs *out)
{
	int err = 0;

	wsman_pairs_clear(out);
	err |= wsman_pairs_add(out, "CreationClassName", class_name);
	err |= wsman_pairs_add(out, "ElementName", name);
	err |= wsman_pairs_add(out, "EnabledState", "5");
	err |= wsman_pairs_add(out, "Name", name);
	err |= wsman_pairs_add(out, "RequestedState", "12");
	err |= wsman_pairs_add(out, "SystemCreationClassName",
			       AMT_SYSTEM_CREATION_CLASS_NAME);
	err |= wsman_pairs_add(out, "SystemName", AMT_SYSTEM_NAME);
	return err ? -1 : 0;
}

static int setup_service_instance(const struct amt_device_model *m,
				  struct wsman_pairs *out)
{
	char state[8];
	int err;

	snprintf(state, sizeof(state), "%d", m->provisioning_state);
	err = service_instance(AMT_CLASS_SETUP_SERVICE, AMT_SETUP_SERVICE_NAME,
			       out);
	err |= wsman_pairs_add(out, "PasswordModel", "1");
	err |= wsman_pairs_add(out, AMT_PROP_PROVISIONING_MODE, "1");
	err |= wsman_pairs_add(out, "ProvisioningServerOTP",
			       "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
	err |= wsman_pairs_add(out, AMT_PROP_PROVISIONING_STATE, state);
	err |= wsman_pairs_add(out, "ZeroTouchConfigurationEnabled",
			       m->mode == AMT_DEVICE_PKI ? "true" : "false");
	return err ? -1 : 0;
}

/* ---- the calls ------------------------------------------------------ */

/* What one handled request answers. */
struct outcome {
	bool fault;
	enum wsman_fault_kind fault_kind;
	const char *fault_reason; /* NULL: the standard text */
	uint32_t status; /* Invoke ReturnValue */
	struct wsman_pairs props; /* Get/Put instance or Invoke outputs */
};

static void set_fault(struct outcome *o, enum wsman_fault_kind kind,
		      const char *reason)
{
	o->fault = true;
	o->fault_kind = kind;
	o->fault_reason = reason;
}

static void get_general_settings(struct amt_device_model *m,
				 const struct wsman_request *req, time_t now,
				 struct outcome *o)
{
	(void)req;
	(void)now;
	if (general_settings(m, m->hostname, m->domain, &o->props))
		set_fault(o, WSMAN_FAULT_INTERNAL_ERROR, NULL);
}

static void get_setup_service(struct amt_device_model *m,
			      const struct wsman_request *req, time_t now,
			      struct outcome *o)
{
	(void)req;
	(void)now;
	if (setup_service_instance(m, &o->props))
		set_fault(o, WSMAN_FAULT_INTERNAL_ERROR, NULL);
}

/* Name key of the service classes this device serves. */
static const char *service_name(const char *class_name)
{
	if (!strcmp(class_name, AMT_CLASS_SETUP_SERVICE))
		return AMT_SETUP_SERVICE_NAME;
	if (!strcmp(class_name, AMT_CLASS_TIME_SERVICE))
		return AMT_TIME_SERVICE_NAME;
	return AMT_AUTHORIZATION_SERVICE_NAME;
}

/* Get of a service with nothing but the CIM_Service properties. */
static void get_service(struct amt_device_model *m,
			const struct wsman_request *req, time_t now,
			struct outcome *o)
{
	(void)m;
	(void)now;
	if (service_instance(req->class_name, service_name(req->class_name),
			     &o->props))
		set_fault(o, WSMAN_FAULT_INTERNAL_ERROR, NULL);
}

/*
 * Put AMT_GeneralSettings: every property must be one the instance has,
 * the keys and DigestRealm unchanged, HostName a DNS label and DomainName
 * a DNS name. The new HostName and DomainName are pending until
 * CommitChanges; the other writable properties are accepted and not kept.
 */
static void put_general_settings(struct amt_device_model *m,
				 const struct wsman_request *req, time_t now,
				 struct outcome *o)
{
	static const char *const read_only[] = { AMT_PROP_ELEMENT_NAME,
						 AMT_PROP_INSTANCE_ID,
						 AMT_PROP_DIGEST_REALM };
	const struct wsman_pairs *in = &req->params;
	const char *host, *domain, *cur;
	struct wsman_pairs now_props;
	size_t i, j;

	(void)now;
	if (general_settings(m, m->hostname, m->domain, &now_props))
		return set_fault(o, WSMAN_FAULT_INTERNAL_ERROR, NULL);
	if (!wsman_pairs_get(in, AMT_PROP_INSTANCE_ID))
		return set_fault(o, WSMAN_FAULT_INVALID_REPRESENTATION,
				 "InstanceID missing");
	for (i = 0; i < in->count; i++) {
		const struct wsman_pair *p = &in->pair[i];

		cur = wsman_pairs_get(&now_props, p->name);
		if (!cur)
			return set_fault(o, WSMAN_FAULT_INVALID_REPRESENTATION,
					 "unknown property");
		for (j = 0; j < sizeof(read_only) / sizeof(*read_only); j++)
			if (!strcmp(p->name, read_only[j]) &&
			    strcmp(p->value, cur))
				return set_fault(
					o, WSMAN_FAULT_INVALID_REPRESENTATION,
					"read-only property changed");
	}
	host = wsman_pairs_get(in, AMT_PROP_HOST_NAME);
	domain = wsman_pairs_get(in, AMT_PROP_DOMAIN_NAME);
	host = host ? host : m->hostname;
	domain = domain ? domain : m->domain;
	if (!is_host_name(host))
		return set_fault(o, WSMAN_FAULT_INVALID_REPRESENTATION,
				 "HostName is not a DNS label");
	if (!is_domain_name(domain))
		return set_fault(o, WSMAN_FAULT_INVALID_REPRESENTATION,
				 "DomainName is not a DNS name");
	m->pending.general = true;
	copy_checked(m->pending.hostname, sizeof(m->pending.hostname), host);
	copy_checked(m->pending.domain, sizeof(m->pending.domain), domain);
	if (general_settings(m, host, domain, &o->props))
		set_fault(o, WSMAN_FAULT_INTERNAL_ERROR, NULL);
}

static void get_low_accuracy_time(struct amt_device_model *m,
				  const struct wsman_request *req, time_t now,
				  struct outcome *o)
{
	char ta0[24];

	(void)req;
	m->last_ta0 = (long long)now + m->clock_offset_s;
	snprintf(ta0, sizeof(ta0), "%lld", m->last_ta0);
	wsman_pairs_add(&o->props, AMT_PARAM_TA0, ta0);
}

/*
 * SetHighAccuracyTimeSynch(Ta0, Tm1, Tm2): Ta0 must echo the last
 * GetLowAccuracyTimeSynch answer and Tm1 <= Tm2; the clock becomes Tm2.
 */
static void set_high_accuracy_time(struct amt_device_model *m,
				   const struct wsman_request *req, time_t now,
				   struct outcome *o)
{
	const struct wsman_pairs *in = &req->params;
	long long ta0, tm1, tm2;

	if (parse_ll(wsman_pairs_get(in, AMT_PARAM_TA0), &ta0) ||
	    parse_ll(wsman_pairs_get(in, AMT_PARAM_TM1), &tm1) ||
	    parse_ll(wsman_pairs_get(in, AMT_PARAM_TM2), &tm2) ||
	    !m->last_ta0 || ta0 != m->last_ta0 || tm1 > tm2 || tm2 < 0) {
		o->status = AMT_STATUS_INVALID_PARAMETER;
		return;
	}
	m->clock_offset_s = tm2 - (long long)now;
	m->last_ta0 = 0;
}

static void set_mebx_password(struct amt_device_model *m,
			      const struct wsman_request *req, time_t now,
			      struct outcome *o)
{
	const char *pw = wsman_pairs_get(&req->params, AMT_PARAM_PASSWORD);

	(void)now;
	if (!pw)
		o->status = AMT_STATUS_INVALID_PARAMETER;
	else if (!is_strong_password(pw))
		o->status = AMT_STATUS_INVALID_PASSWORD;
	else {
		m->pending.mebx = true;
		copy_checked(m->pending.mebx_password,
			     sizeof(m->pending.mebx_password), pw);
	}
}

static void set_admin_acl_entry_ex(struct amt_device_model *m,
				   const struct wsman_request *req, time_t now,
				   struct outcome *o)
{
	const char *user = wsman_pairs_get(&req->params, AMT_PARAM_USERNAME);
	const char *digest =
		wsman_pairs_get(&req->params, AMT_PARAM_DIGEST_PASSWORD);
	char hex[33];

	(void)now;
	if (!user || !digest || strcmp(user, AMT_ADMIN_USER) ||
	    !decode_digest(digest, m->digest_encodings, hex)) {
		o->status = AMT_STATUS_INVALID_PARAMETER;
		return;
	}
	m->pending.admin = true;
	memcpy(m->pending.admin_digest_hex, hex, sizeof(hex));
}

static void set_tls_psk(struct amt_device_model *m,
			const struct wsman_request *req, time_t now,
			struct outcome *o)
{
	const char *pid = wsman_pairs_get(&req->params, AMT_PARAM_PID);
	const char *pps = wsman_pairs_get(&req->params, AMT_PARAM_PPS);

	(void)now;
	if (!pid || !pps)
		o->status = AMT_STATUS_INVALID_PARAMETER;
	else if (!is_pid(pid))
		o->status = AMT_STATUS_INVALID_PID_FORMAT;
	else if (!is_pps(pps))
		o->status = AMT_STATUS_INVALID_PPS_FORMAT;
	else {
		m->pending.psk = true;
		memcpy(m->pending.pid, pid, AMT_PID_LEN + 1);
		memcpy(m->pending.pps, pps, AMT_PPS_LEN + 1);
	}
}

/* Apply everything pending; DATA_MISSING without an admin ACL entry. */
static void commit_changes(struct amt_device_model *m,
			   const struct wsman_request *req, time_t now,
			   struct outcome *o)
{
	(void)req;
	(void)now;
	if (!m->pending.admin) {
		o->status = AMT_STATUS_DATA_MISSING;
		return;
	}
	m->admin_set = true;
	memcpy(m->admin_digest_hex, m->pending.admin_digest_hex,
	       sizeof(m->admin_digest_hex));
	if (m->pending.mebx) {
		m->mebx_password_changed = true;
		memcpy(m->mebx_password, m->pending.mebx_password,
		       sizeof(m->mebx_password));
	}
	if (m->pending.psk) {
		m->psk_rotated = true;
		memcpy(m->new_pid, m->pending.pid, sizeof(m->new_pid));
		memcpy(m->new_pps, m->pending.pps, sizeof(m->new_pps));
	}
	if (m->pending.general) {
		memcpy(m->hostname, m->pending.hostname, sizeof(m->hostname));
		memcpy(m->domain, m->pending.domain, sizeof(m->domain));
	}
	memset(&m->pending, 0, sizeof(m->pending));
	m->provisioning_state = AMT_PROVISIONING_POST;
}

typedef void (*call_fn)(struct amt_device_model *m,
			const struct wsman_request *req, time_t now,
			struct outcome *o);

static const struct call {
	const char *class_name;
	enum wsman_action action;
	const char *method; /* Invoke only */
	bool setup_only; /* refused once provisioned */
	call_fn fn;
} calls[] = {
	{ AMT_CLASS_GENERAL_SETTINGS, WSMAN_ACTION_GET, NULL, false,
	  get_general_settings },
	{ AMT_CLASS_GENERAL_SETTINGS, WSMAN_ACTION_PUT, NULL, true,
	  put_general_settings },
	{ AMT_CLASS_SETUP_SERVICE, WSMAN_ACTION_GET, NULL, false,
	  get_setup_service },
	{ AMT_CLASS_SETUP_SERVICE, WSMAN_ACTION_INVOKE,
	  AMT_METHOD_SET_MEBX_PASSWORD, true, set_mebx_password },
	{ AMT_CLASS_SETUP_SERVICE, WSMAN_ACTION_INVOKE, AMT_METHOD_SET_TLS_PSK,
	  true, set_tls_psk },
	{ AMT_CLASS_SETUP_SERVICE, WSMAN_ACTION_INVOKE,
	  AMT_METHOD_COMMIT_CHANGES, true, commit_changes },
	{ AMT_CLASS_TIME_SERVICE, WSMAN_ACTION_GET, NULL, false, get_service },
	{ AMT_CLASS_TIME_SERVICE, WSMAN_ACTION_INVOKE,
	  AMT_METHOD_GET_LOW_ACCURACY_TIME, false, get_low_accuracy_time },
	{ AMT_CLASS_TIME_SERVICE, WSMAN_ACTION_INVOKE,
	  AMT_METHOD_SET_HIGH_ACCURACY_TIME, false, set_high_accuracy_time },
	{ AMT_CLASS_AUTHORIZATION_SERVICE, WSMAN_ACTION_GET, NULL, false,
	  get_service },
	{ AMT_CLASS_AUTHORIZATION_SERVICE, WSMAN_ACTION_INVOKE,
	  AMT_METHOD_SET_ADMIN_ACL_ENTRY_EX, true, set_admin_acl_entry_ex },
};

/*
 * The call for req; NULL with *fault set when the class is not served
 * (DestinationUnreachable) or it has no such action/method.
 */
static const struct call *find_call(const struct wsman_request *req,
				    enum wsman_fault_kind *fault)
{
	bool class_known = false;
	size_t i;

	for (i = 0; i < sizeof(calls) / sizeof(*calls); i++) {
		if (strcmp(calls[i].class_name, req->class_name))
			continue;
		class_known = true;
		if (calls[i].action == req->action &&
		    (!calls[i].method || !strcmp(calls[i].method, req->method)))
			return &calls[i];
	}
	*fault = class_known ? WSMAN_FAULT_ACTION_NOT_SUPPORTED :
			       WSMAN_FAULT_DESTINATION_UNREACHABLE;
	return NULL;
}

/* Each selector must be a key of the class's one instance, with its value. */
static bool selectors_match(const struct wsman_request *req)
{
	struct wsman_pairs keys = { 0 };
	const char *want;
	size_t i;

	if (!strcmp(req->class_name, AMT_CLASS_GENERAL_SETTINGS))
		wsman_pairs_add(&keys, AMT_PROP_INSTANCE_ID,
				AMT_GENERAL_SETTINGS_INSTANCE_ID);
	else if (!strcmp(req->class_name, AMT_CLASS_SETUP_SERVICE))
		service_instance(req->class_name, AMT_SETUP_SERVICE_NAME,
				 &keys);
	else if (!strcmp(req->class_name, AMT_CLASS_TIME_SERVICE))
		service_instance(req->class_name, AMT_TIME_SERVICE_NAME, &keys);
	else
		service_instance(req->class_name,
				 AMT_AUTHORIZATION_SERVICE_NAME, &keys);
	for (i = 0; i < req->selectors.count; i++) {
		const struct wsman_pair *s = &req->selectors.pair[i];

		if (!strcmp(s->name, "EnabledState") ||
		    !strcmp(s->name, "RequestedState") ||
		    !strcmp(s->name, "ElementName"))
			return false;
		want = wsman_pairs_get(&keys, s->name);
		if (!want || strcmp(want, s->value))
			return false;
	}
	return true;
}

static bool is_envelope_error(int err)
{
	return err == WSMAN_ERR_TOO_LARGE || err == WSMAN_ERR_XML ||
	       err == WSMAN_ERR_DTD || err == WSMAN_ERR_DEPTH ||
	       err == WSMAN_ERR_ENVELOPE;
}

static const char *fault_failure_reason(enum wsman_fault_kind kind)
{
	switch (kind) {
	case WSMAN_FAULT_ACTION_NOT_SUPPORTED:
		return "fault_action_not_supported";
	case WSMAN_FAULT_DESTINATION_UNREACHABLE:
		return "fault_destination_unreachable";
	case WSMAN_FAULT_INVALID_SELECTORS:
		return "fault_invalid_selectors";
	case WSMAN_FAULT_INVALID_REPRESENTATION:
		return "fault_invalid_representation";
	case WSMAN_FAULT_ACCESS_DENIED:
		return "fault_access_denied";
	case WSMAN_FAULT_INTERNAL_ERROR:
		return "fault_internal_error";
	case WSMAN_FAULT_SCHEMA_VALIDATION:
		break;
	}
	return "fault_schema_validation";
}

/* Run the call for a parsed request into o. */
static void run_request(struct amt_device_model *m,
			const struct wsman_request *req, time_t now,
			struct outcome *o)
{
	enum wsman_fault_kind kind;
	const struct call *c = find_call(req, &kind);

	if (!c)
		return set_fault(o, kind, NULL);
	if (!selectors_match(req))
		return set_fault(o, WSMAN_FAULT_INVALID_SELECTORS, NULL);
	if (c->setup_only && m->provisioning_state == AMT_PROVISIONING_POST) {
		if (c->action != WSMAN_ACTION_INVOKE)
			return set_fault(o, WSMAN_FAULT_ACCESS_DENIED,
					 "INVALID_PROVISIONING_STATE");
		o->status = m->post_commit_status;
		return;
	}
	c->fn(m, req, now, o);
}

/* Count a non-zero ReturnValue under its lower-case status name. */
static void note_status(struct amt_device_model *m, uint32_t status)
{
	char reason[AMT_FAILURE_REASON_MAX];
	const char *name = amt_pt_status_name(status);
	size_t i;

	if (!status)
		return;
	for (i = 0; name[i] && i + 1 < sizeof(reason); i++)
		reason[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ?
					   name[i] - 'A' + 'a' :
					   name[i]);
	reason[i] = '\0';
	device_model_note_failure(m, reason);
}

static int build_response(struct wsman_buf *reply,
			  const struct wsman_request *req, const char *id,
			  const struct outcome *o)
{
	switch (req->action) {
	case WSMAN_ACTION_GET:
		return wsman_build_get_response(reply, req, id, &o->props);
	case WSMAN_ACTION_PUT:
		return wsman_build_put_response(reply, req, id, &o->props);
	default:
		return wsman_build_invoke_response(reply, req, id, o->status,
						   &o->props);
	}
}

int device_model_handle(struct amt_device_model *m, const char *xml, size_t len,
			time_t now, struct wsman_buf *reply, int *http_status)
{
	struct wsman_request req;
	struct outcome o;
	char id[64];
	int err;

	memset(&o, 0, sizeof(o));
	wsman_amt_message_id(++m->message_counter, id, sizeof(id));
	err = wsman_parse_request(xml, len, &req);
	if (err && is_envelope_error(err)) {
		device_model_note_failure(m, "malformed_envelope");
		wsman_buf_reset(reply);
		*http_status = 400;
		return 0;
	}
	if (err)
		set_fault(&o, wsman_fault_for_error(err), wsman_strerror(err));
	else
		run_request(m, &req, now, &o);

	if (!o.fault) {
		note_status(m, o.status);
		err = build_response(reply, &req, id, &o);
		/* Only a MessageID that cannot be echoed gets here. */
		if (err == WSMAN_ERR_ARG)
			set_fault(&o, WSMAN_FAULT_SCHEMA_VALIDATION, NULL);
	}
	if (!o.fault) {
		*http_status = 200;
		return err;
	}
	device_model_note_failure(m, fault_failure_reason(o.fault_kind));
	*http_status = 500;
	err = wsman_build_fault(reply, o.fault_kind, req.message_id, id,
				o.fault_reason);
	if (err == WSMAN_ERR_ARG)
		err = wsman_build_fault(reply, o.fault_kind, NULL, id,
					o.fault_reason);
	return err;
}

/* ---- lifecycle and state -------------------------------------------- */

int device_model_init(struct amt_device_model *m,
		      const struct amt_device_identity *id)
{
	memset(m, 0, sizeof(*m));
	if (!id->uuid || !is_uuid(id->uuid) || !id->realm ||
	    !is_realm(id->realm))
		return -1;
	if (id->mode == AMT_DEVICE_PSK &&
	    (!id->pid || !is_pid(id->pid) || !id->pps || !is_pps(id->pps)))
		return -1;
	if ((id->pid && !is_pid(id->pid)) || (id->pps && !is_pps(id->pps)))
		return -1;
	if (copy_checked(m->uuid, sizeof(m->uuid), id->uuid) ||
	    copy_checked(m->address, sizeof(m->address), id->address) ||
	    copy_checked(m->realm, sizeof(m->realm), id->realm) ||
	    copy_checked(m->pid, sizeof(m->pid), id->pid) ||
	    copy_checked(m->pps, sizeof(m->pps), id->pps) ||
	    copy_checked(m->mebx_password, sizeof(m->mebx_password),
			 id->mebx_password))
		return -1;
	if (copy_checked(m->hostname, sizeof(m->hostname), id->hostname) ||
	    copy_checked(m->domain, sizeof(m->domain), id->domain))
		return -1;
	m->mode = id->mode;
	m->digest_encodings = AMT_DIGEST_ENC_BASE64 | AMT_DIGEST_ENC_HEX;
	m->post_commit_status = AMT_STATUS_INVALID_PROVISIONING_STATE;
	m->provisioning_state = AMT_PROVISIONING_IN;
	return 0;
}

int device_model_set_knob(struct amt_device_model *m, const char *name,
			  const char *value)
{
	enum knob { DIGEST_ENCODINGS, POST_COMMIT_STATUS, PENDING_PER_SESSION };
	static const struct {
		enum knob knob;
		const char *name, *value;
		unsigned int setting;
	} knobs[] = {
		{ DIGEST_ENCODINGS, "acl_digest_encoding", "base64",
		  AMT_DIGEST_ENC_BASE64 },
		{ DIGEST_ENCODINGS, "acl_digest_encoding", "hex",
		  AMT_DIGEST_ENC_HEX },
		{ DIGEST_ENCODINGS, "acl_digest_encoding", "both",
		  AMT_DIGEST_ENC_BASE64 | AMT_DIGEST_ENC_HEX },
		{ POST_COMMIT_STATUS, "post_commit_status", "0x20",
		  AMT_STATUS_INVALID_PROVISIONING_STATE },
		{ POST_COMMIT_STATUS, "post_commit_status", "32",
		  AMT_STATUS_INVALID_PROVISIONING_STATE },
		{ POST_COMMIT_STATUS, "post_commit_status", "0x10",
		  AMT_STATUS_NOT_PERMITTED },
		{ POST_COMMIT_STATUS, "post_commit_status", "16",
		  AMT_STATUS_NOT_PERMITTED },
		{ PENDING_PER_SESSION, "pending_per_session", "yes", 1 },
		{ PENDING_PER_SESSION, "pending_per_session", "no", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(knobs) / sizeof(*knobs); i++) {
		if (strcmp(knobs[i].name, name) ||
		    strcmp(knobs[i].value, value))
			continue;
		switch (knobs[i].knob) {
		case DIGEST_ENCODINGS:
			m->digest_encodings = knobs[i].setting;
			break;
		case POST_COMMIT_STATUS:
			m->post_commit_status = knobs[i].setting;
			break;
		case PENDING_PER_SESSION:
			m->pending_per_session = knobs[i].setting;
			break;
		}
		return 0;
	}
	return -1;
}

void device_model_session_start(struct amt_device_model *m)
{
	m->sessions++;
	if (m->pending_per_session)
		memset(&m->pending, 0, sizeof(m->pending));
}

void device_model_reboot(struct amt_device_model *m)
{
	memset(&m->pending, 0, sizeof(m->pending));
	m->last_ta0 = 0;
}

static struct amt_failure_count *failure_slot(struct amt_device_model *m,
					      const char *reason)
{
	unsigned int i;

	for (i = 0; i < m->nfailures; i++)
		if (!strcmp(m->failures[i].reason, reason))
			return &m->failures[i];
	return NULL;
}

/* The last slot is kept for "other" once the others are taken. */
void device_model_note_failure(struct amt_device_model *m, const char *reason)
{
	struct amt_failure_count *f = failure_slot(m, reason);

	if (!f && m->nfailures >= AMT_MODEL_MAX_FAILURES - 1) {
		reason = "other";
		f = failure_slot(m, reason);
	}
	if (!f) {
		f = &m->failures[m->nfailures++];
		f->reason[0] = '\0';
		strncat(f->reason, reason, sizeof(f->reason) - 1);
		f->count = 0;
	}
	f->count++;
}

const char *device_model_hostname(const struct amt_device_model *m)
{
	return m->hostname;
}

const char *device_model_domain(const struct amt_device_model *m)
{
	return m->domain;
}

const char *device_model_setup_password(const struct amt_device_model *m,
					const char *pki_password)
{
	if (m->provisioning_state == AMT_PROVISIONING_POST)
		return NULL;
	return m->mode == AMT_DEVICE_PSK ? m->mebx_password : pki_password;
}

/* ---- JSON ------------------------------------------------------------ */

/* A JSON string, or null for NULL. */
static void json_string(FILE *out, const char *s)
{
	if (!s) {
		fputs("null", out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void json_field(FILE *out, const char *name, const char *value)
{
	fprintf(out, ",\"%s\":", name);
	json_string(out, value);
}

int device_model_json(const struct amt_device_model *m, FILE *out)
{
	unsigned int i;

	fputs("{\"uuid\":", out);
	json_string(out, m->uuid);
	json_field(out, "address", m->address);
	json_field(out, "mode", m->mode == AMT_DEVICE_PKI ? "pki" : "psk");
	fprintf(out, ",\"provisioning_state\":%d", m->provisioning_state);
	json_field(out, "hostname", device_model_hostname(m));
	json_field(out, "domain", device_model_domain(m));
	json_field(out, "admin_digest_md5_hex",
		   m->admin_set ? m->admin_digest_hex : NULL);
	json_field(out, "realm", m->realm);
	json_field(out, "mebx_password_set",
		   m->mebx_password_changed ? m->mebx_password : NULL);
	json_field(out, "pid", m->pid);
	json_field(out, "new_pid", m->psk_rotated ? m->new_pid : NULL);
	json_field(out, "new_pps", m->psk_rotated ? m->new_pps : NULL);
	fprintf(out,
		",\"clock_offset_s\":%lld,\"hellos_sent\":%u,"
		"\"sessions\":%u,\"failures\":{",
		m->clock_offset_s, m->hellos_sent, m->sessions);
	for (i = 0; i < m->nfailures; i++) {
		if (i)
			fputc(',', out);
		json_string(out, m->failures[i].reason);
		fprintf(out, ":%u", m->failures[i].count);
	}
	fputs("}}", out);
	return ferror(out) ? -1 : 0;
}
