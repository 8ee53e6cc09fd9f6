// SPDX-License-Identifier: GPL-2.0-only
/*
 * device_model: the contract's call sequence for PSK and PKI devices
 * through real envelopes, the state JSON, and every rule violation with
 * the code or fault the device answers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "amt_wsman_names.h"
#include "../../userspace/amtsim/device_model.h"
#include "kselftest_harness.h"
#include "wsman.h"

#define UUID "12345678-9abc-def0-1234-56789abcdef0"
#define REALM "Digest:2517B2332AFD88353D5F5FD352697901"
#define PID "ABCD1234"
#define PPS "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
#define NEW_PID "ZYXW9876"
#define NEW_PPS "0123456789ABCDEFGHIJKLMNOPQRSTUV"
#define MEBX "Mebx-Pa55"
#define NEW_PW "N3w-Admin!pw"
#define NOW 1795000000

/* One client exchange: the request built, handled, the answer parsed. */
struct exchange {
	struct amt_device_model *m;
	struct wsman_buf req, reply;
	struct wsman_response resp;
	int status;
	unsigned int id;
};

static int send_req(struct exchange *x)
{
	int err = device_model_handle(x->m, x->req.data, x->req.len, NOW,
				      &x->reply, &x->status);

	if (err)
		return err;
	if (x->status == 400)
		return x->reply.len ? -1 : 0;
	return wsman_parse_response(x->reply.data, x->reply.len, &x->resp);
}

static const char *next_id(struct exchange *x)
{
	static char id[16];

	snprintf(id, sizeof(id), "%u", ++x->id);
	return id;
}

static int do_get(struct exchange *x, const char *cls,
		  const struct wsman_pairs *sel)
{
	if (wsman_build_get(&x->req, cls, next_id(x), sel))
		return -1;
	return send_req(x);
}

static int do_put(struct exchange *x, const struct wsman_pairs *props)
{
	if (wsman_build_put(&x->req, AMT_CLASS_GENERAL_SETTINGS, next_id(x),
			    NULL, props))
		return -1;
	return send_req(x);
}

/* Invoke with up to three name/value pairs (NULL-terminated list). */
static long do_invoke(struct exchange *x, const char *cls, const char *method,
		      ...)
{
	struct wsman_pairs p = { 0 };
	const char *name;
	va_list ap;

	va_start(ap, method);
	while ((name = va_arg(ap, const char *)))
		wsman_pairs_add(&p, name, va_arg(ap, const char *));
	va_end(ap);
	if (wsman_build_invoke(&x->req, cls, method, next_id(x), NULL, &p) ||
	    send_req(x) || x->status != 200 || !x->resp.has_return_value)
		return -1;
	return x->resp.return_value;
}

static long set_admin(struct exchange *x, const char *digest)
{
	return do_invoke(x, AMT_CLASS_AUTHORIZATION_SERVICE,
			 AMT_METHOD_SET_ADMIN_ACL_ENTRY_EX, "Username", "admin",
			 "DigestPassword", digest, NULL);
}

static long commit(struct exchange *x)
{
	return do_invoke(x, AMT_CLASS_SETUP_SERVICE, AMT_METHOD_COMMIT_CHANGES,
			 NULL);
}

static void admin_digest(const char *pw, char b64[32], char hex[33])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n, i;
	char in[128];

	snprintf(in, sizeof(in), "admin:%s:%s", REALM, pw);
	EVP_Digest(in, strlen(in), md, &n, EVP_md5(), NULL);
	EVP_EncodeBlock((unsigned char *)b64, md, (int)n);
	for (i = 0; i < n; i++)
		sprintf(hex + 2 * i, "%02x", md[i]);
}

static char *model_json(const struct amt_device_model *m)
{
	static char buf[4096];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	if (!f || device_model_json(m, f))
		abort();
	fclose(f);
	return buf;
}

static void init_model(struct amt_device_model *m, enum amt_device_mode mode)
{
	struct amt_device_identity id = {
		.uuid = UUID,
		.address = "198.18.0.7",
		.mode = mode,
		.realm = REALM,
		.mebx_password = mode == AMT_DEVICE_PSK ? MEBX : NULL,
		.pid = mode == AMT_DEVICE_PSK ? PID : NULL,
		.pps = mode == AMT_DEVICE_PSK ? PPS : NULL,
		.hostname = "",
		.domain = "",
	};

	if (device_model_init(m, &id))
		abort();
}

FIXTURE(model)
{
	struct amt_device_model m;
	struct exchange x;
};

FIXTURE_SETUP(model)
{
	memset(&self->x, 0, sizeof(self->x));
	init_model(&self->m, AMT_DEVICE_PSK);
	self->x.m = &self->m;
	wsman_buf_init(&self->x.req);
	wsman_buf_init(&self->x.reply);
}

FIXTURE_TEARDOWN(model)
{
	wsman_buf_free(&self->x.req);
	wsman_buf_free(&self->x.reply);
}

/* Steps 1 and 4: read the instance, set host and domain, Put it back. */
static int set_host_domain(struct exchange *x, const char *host,
			   const char *domain)
{
	struct wsman_pairs props;

	if (do_get(x, AMT_CLASS_GENERAL_SETTINGS, NULL) || x->status != 200)
		return -1;
	props = x->resp.props;
	wsman_pairs_set(&props, AMT_PROP_HOST_NAME, host);
	wsman_pairs_set(&props, AMT_PROP_DOMAIN_NAME, domain);
	if (do_put(x, &props))
		return -1;
	return x->status;
}

TEST_F(model, psk_contract_sequence)
{
	struct exchange *x = &self->x;
	char b64[32], hex[33], ta0[24], now[24], want[2048];
	const char *v;

	self->m.clock_offset_s = 100;
	device_model_session_start(&self->m);
	ASSERT_EQ(0, do_get(x, AMT_CLASS_GENERAL_SETTINGS, NULL));
	ASSERT_EQ(200, x->status);
	EXPECT_STREQ(REALM,
		     wsman_response_get(&x->resp, AMT_PROP_DIGEST_REALM));
	EXPECT_STREQ(WSMAN_ACTION_GET_RESPONSE_URI, x->resp.action);
	EXPECT_STREQ("1", x->resp.relates_to);
	EXPECT_STREQ("uuid:00000000-8086-8086-8086-000000000001",
		     x->resp.message_id);

	ASSERT_EQ(0, do_get(x, AMT_CLASS_SETUP_SERVICE, NULL));
	EXPECT_STREQ("1",
		     wsman_response_get(&x->resp, AMT_PROP_PROVISIONING_STATE));

	ASSERT_EQ(0, do_invoke(x, AMT_CLASS_TIME_SERVICE,
			       AMT_METHOD_GET_LOW_ACCURACY_TIME, NULL));
	EXPECT_STREQ(WSMAN_URI_AMT AMT_CLASS_TIME_SERVICE
		     "/GetLowAccuracyTimeSynchResponse",
		     x->resp.action);
	v = wsman_response_get(&x->resp, AMT_PARAM_TA0);
	ASSERT_NE(NULL, v);
	EXPECT_EQ(NOW + 100, atoll(v));
	snprintf(ta0, sizeof(ta0), "%s", v);
	snprintf(now, sizeof(now), "%d", NOW);
	EXPECT_EQ(0, do_invoke(x, AMT_CLASS_TIME_SERVICE,
			       AMT_METHOD_SET_HIGH_ACCURACY_TIME, "Ta0", ta0,
			       "Tm1", now, "Tm2", now, NULL));
	EXPECT_EQ(0, self->m.clock_offset_s);

	EXPECT_EQ(200, set_host_domain(x, "amt-56789abcdef0", "amt.test"));
	EXPECT_STREQ(WSMAN_ACTION_PUT_RESPONSE_URI, x->resp.action);
	EXPECT_STREQ("amt-56789abcdef0",
		     wsman_response_get(&x->resp, AMT_PROP_HOST_NAME));

	admin_digest(NEW_PW, b64, hex);
	EXPECT_EQ(0, set_admin(x, b64));
	EXPECT_EQ(0,
		  do_invoke(x, AMT_CLASS_SETUP_SERVICE, AMT_METHOD_SET_TLS_PSK,
			    "PID", NEW_PID, "PPS", NEW_PPS, NULL));
	/* Pending: nothing applied yet. */
	EXPECT_STREQ("", device_model_hostname(&self->m));
	EXPECT_FALSE(self->m.admin_set);
	EXPECT_STREQ(MEBX, device_model_setup_password(&self->m, "admin"));

	EXPECT_EQ(0, commit(x));
	ASSERT_EQ(0, do_get(x, AMT_CLASS_SETUP_SERVICE, NULL));
	EXPECT_STREQ("2",
		     wsman_response_get(&x->resp, AMT_PROP_PROVISIONING_STATE));
	EXPECT_EQ(NULL, device_model_setup_password(&self->m, "admin"));

	self->m.hellos_sent = 3;
	snprintf(want, sizeof(want),
		 "{\"uuid\":\"" UUID "\",\"address\":\"198.18.0.7\","
		 "\"mode\":\"psk\",\"provisioning_state\":2,"
		 "\"hostname\":\"amt-56789abcdef0\",\"domain\":\"amt.test\","
		 "\"admin_digest_md5_hex\":\"%s\",\"realm\":\"" REALM "\","
		 "\"mebx_password_set\":null,\"pid\":\"" PID "\","
		 "\"new_pid\":\"" NEW_PID "\",\"new_pps\":\"" NEW_PPS "\","
		 "\"clock_offset_s\":0,\"hellos_sent\":3,\"sessions\":1,"
		 "\"failures\":{}}",
		 hex);
	EXPECT_STREQ(want, model_json(&self->m));
}

TEST_F(model, pki_contract_sequence)
{
	struct exchange *x = &self->x;
	char b64[32], hex[33];
	const char *json;

	init_model(&self->m, AMT_DEVICE_PKI);
	EXPECT_STREQ("admin", device_model_setup_password(&self->m, "admin"));
	ASSERT_EQ(0, do_get(x, AMT_CLASS_SETUP_SERVICE, NULL));
	EXPECT_STREQ("true",
		     wsman_response_get(&x->resp,
					"ZeroTouchConfigurationEnabled"));
	EXPECT_EQ(200, set_host_domain(x, "pc1", "corp.amt.test"));
	EXPECT_EQ(0, do_invoke(x, AMT_CLASS_SETUP_SERVICE,
			       AMT_METHOD_SET_MEBX_PASSWORD, "Password", NEW_PW,
			       NULL));
	admin_digest(NEW_PW, b64, hex);
	/* The hex encoding MeshCentral sends is accepted too. */
	EXPECT_EQ(0, set_admin(x, hex));
	EXPECT_EQ(0, commit(x));
	EXPECT_EQ(AMT_PROVISIONING_POST, self->m.provisioning_state);
	json = model_json(&self->m);
	EXPECT_NE(NULL, strstr(json, "\"mode\":\"pki\""));
	EXPECT_NE(NULL, strstr(json, "\"hostname\":\"pc1\""));
	EXPECT_NE(NULL, strstr(json, "\"domain\":\"corp.amt.test\""));
	EXPECT_NE(NULL, strstr(json, "\"mebx_password_set\":\"" NEW_PW "\""));
	EXPECT_NE(NULL, strstr(json, hex));
	EXPECT_NE(NULL, strstr(json, "\"pid\":\"\",\"new_pid\":null,"
				     "\"new_pps\":null"));
}

TEST_F(model, password_rules)
{
	static const char *const bad[] = {
		"Sh0rt!", /* 6 chars */
		"NoSymbol123", /* no symbol */
		"nouppercase1!", /* no upper */
		"NOLOWERCASE1!", /* no lower */
		"NoDigits!!", /* no digit */
		"With Space1!", /* space */
		"Toolong1!Toolong1!Toolong1!Toolong", /* 34 chars */
		"Non\xc3\xa4scii1!", /* non-ASCII */
	};
	struct exchange *x = &self->x;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		EXPECT_EQ(AMT_STATUS_INVALID_PASSWORD,
			  do_invoke(x, AMT_CLASS_SETUP_SERVICE,
				    AMT_METHOD_SET_MEBX_PASSWORD, "Password",
				    bad[i], NULL));
	EXPECT_EQ(AMT_STATUS_INVALID_PARAMETER,
		  do_invoke(x, AMT_CLASS_SETUP_SERVICE,
			    AMT_METHOD_SET_MEBX_PASSWORD, NULL));
	EXPECT_EQ(0, do_invoke(x, AMT_CLASS_SETUP_SERVICE,
			       AMT_METHOD_SET_MEBX_PASSWORD, "Password",
			       "Exactly8!Ab", NULL));
	EXPECT_EQ(0, do_invoke(x, AMT_CLASS_SETUP_SERVICE,
			       AMT_METHOD_SET_MEBX_PASSWORD, "Password",
			       "A1b!A1b!A1b!A1b!A1b!A1b!A1b!A1b!", NULL));
	EXPECT_NE(NULL, strstr(model_json(&self->m), "\"invalid_password\":8"));
}

TEST_F(model, psk_format_and_acl_rules)
{
	struct exchange *x = &self->x;
	char b64[32], hex[33];

	EXPECT_EQ(AMT_STATUS_INVALID_PID_FORMAT,
		  do_invoke(x, AMT_CLASS_SETUP_SERVICE, AMT_METHOD_SET_TLS_PSK,
			    "PID", "ABCD-123", "PPS", NEW_PPS, NULL));
	EXPECT_EQ(AMT_STATUS_INVALID_PID_FORMAT,
		  do_invoke(x, AMT_CLASS_SETUP_SERVICE, AMT_METHOD_SET_TLS_PSK,
			    "PID", "abcd1234", "PPS", NEW_PPS, NULL));
	EXPECT_EQ(AMT_STATUS_INVALID_PPS_FORMAT,
		  do_invoke(x, AMT_CLASS_SETUP_SERVICE, AMT_METHOD_SET_TLS_PSK,
			    "PID", NEW_PID, "PPS", "SHORT", NULL));
	EXPECT_EQ(AMT_STATUS_INVALID_PARAMETER,
		  do_invoke(x, AMT_CLASS_SETUP_SERVICE, AMT_METHOD_SET_TLS_PSK,
			    "PID", NEW_PID, NULL));

	admin_digest(NEW_PW, b64, hex);
	EXPECT_EQ(AMT_STATUS_INVALID_PARAMETER,
		  do_invoke(x, AMT_CLASS_AUTHORIZATION_SERVICE,
			    AMT_METHOD_SET_ADMIN_ACL_ENTRY_EX, "Username",
			    "root", "DigestPassword", b64, NULL));
	EXPECT_EQ(AMT_STATUS_INVALID_PARAMETER,
		  do_invoke(x, AMT_CLASS_AUTHORIZATION_SERVICE,
			    AMT_METHOD_SET_ADMIN_ACL_ENTRY_EX, "Username",
			    "admin", "DigestPassword", "not-a-digest", NULL));
	/* Only base64 allowed: the hex form is refused. */
	self->m.digest_encodings = AMT_DIGEST_ENC_BASE64;
	EXPECT_EQ(AMT_STATUS_INVALID_PARAMETER, set_admin(x, hex));
	EXPECT_EQ(0, set_admin(x, b64));
}

TEST_F(model, commit_rules)
{
	struct exchange *x = &self->x;
	char b64[32], hex[33];

	/* DATA_MISSING without step 6. */
	EXPECT_EQ(AMT_STATUS_DATA_MISSING, commit(x));
	admin_digest(NEW_PW, b64, hex);
	EXPECT_EQ(0, set_admin(x, b64));
	/* A reboot before commit loses it again. */
	device_model_reboot(&self->m);
	EXPECT_EQ(AMT_STATUS_DATA_MISSING, commit(x));
	/* A new session keeps it (default), unless pending_per_session. */
	EXPECT_EQ(0, set_admin(x, b64));
	device_model_session_start(&self->m);
	self->m.pending_per_session = true;
	device_model_session_start(&self->m);
	EXPECT_EQ(AMT_STATUS_DATA_MISSING, commit(x));
	EXPECT_EQ(0, set_admin(x, b64));
	EXPECT_EQ(0, commit(x));
	EXPECT_STREQ(hex, self->m.admin_digest_hex);

	/* After commit every setup-only call is refused. */
	EXPECT_EQ(AMT_STATUS_INVALID_PROVISIONING_STATE, commit(x));
	EXPECT_EQ(AMT_STATUS_INVALID_PROVISIONING_STATE,
		  do_invoke(x, AMT_CLASS_SETUP_SERVICE,
			    AMT_METHOD_SET_MEBX_PASSWORD, "Password", NEW_PW,
			    NULL));
	EXPECT_EQ(AMT_STATUS_INVALID_PROVISIONING_STATE,
		  do_invoke(x, AMT_CLASS_SETUP_SERVICE, AMT_METHOD_SET_TLS_PSK,
			    "PID", NEW_PID, "PPS", NEW_PPS, NULL));
	EXPECT_EQ(AMT_STATUS_INVALID_PROVISIONING_STATE, set_admin(x, b64));
	EXPECT_EQ(500, set_host_domain(x, "late", "amt.test"));
	EXPECT_TRUE(x->resp.is_fault);
	EXPECT_STREQ("AccessDenied", x->resp.fault.subcode);
	EXPECT_STREQ("INVALID_PROVISIONING_STATE", x->resp.fault.reason);
	self->m.post_commit_status = AMT_STATUS_NOT_PERMITTED;
	EXPECT_EQ(AMT_STATUS_NOT_PERMITTED, commit(x));
	/* Reads and time still work. */
	EXPECT_EQ(0, do_invoke(x, AMT_CLASS_TIME_SERVICE,
			       AMT_METHOD_GET_LOW_ACCURACY_TIME, NULL));
	EXPECT_NE(NULL, strstr(model_json(&self->m),
			       "\"invalid_provisioning_state\":4"));
}

TEST_F(model, time_rules)
{
	struct exchange *x = &self->x;

	/* SetHigh before any GetLow, a Ta0 that is not the echo, Tm1 > Tm2. */
	EXPECT_EQ(AMT_STATUS_INVALID_PARAMETER,
		  do_invoke(x, AMT_CLASS_TIME_SERVICE,
			    AMT_METHOD_SET_HIGH_ACCURACY_TIME, "Ta0",
			    "1795000000", "Tm1", "1", "Tm2", "1", NULL));
	EXPECT_EQ(0, do_invoke(x, AMT_CLASS_TIME_SERVICE,
			       AMT_METHOD_GET_LOW_ACCURACY_TIME, NULL));
	EXPECT_EQ(AMT_STATUS_INVALID_PARAMETER,
		  do_invoke(x, AMT_CLASS_TIME_SERVICE,
			    AMT_METHOD_SET_HIGH_ACCURACY_TIME, "Ta0",
			    "1795000001", "Tm1", "5", "Tm2", "5", NULL));
	EXPECT_EQ(AMT_STATUS_INVALID_PARAMETER,
		  do_invoke(x, AMT_CLASS_TIME_SERVICE,
			    AMT_METHOD_SET_HIGH_ACCURACY_TIME, "Ta0",
			    "1795000000", "Tm1", "6", "Tm2", "5", NULL));
	EXPECT_EQ(AMT_STATUS_INVALID_PARAMETER,
		  do_invoke(x, AMT_CLASS_TIME_SERVICE,
			    AMT_METHOD_SET_HIGH_ACCURACY_TIME, "Ta0",
			    "1795000000", "Tm1", "x", "Tm2", "5", NULL));
	EXPECT_EQ(0, do_invoke(x, AMT_CLASS_TIME_SERVICE,
			       AMT_METHOD_SET_HIGH_ACCURACY_TIME, "Ta0",
			       "1795000000", "Tm1", "1795000060", "Tm2",
			       "1795000060", NULL));
	EXPECT_EQ(60, self->m.clock_offset_s);
}

TEST_F(model, put_rules)
{
	struct exchange *x = &self->x;
	struct wsman_pairs props;

	EXPECT_EQ(500, set_host_domain(x, "-bad", "amt.test"));
	EXPECT_STREQ("InvalidRepresentation", x->resp.fault.subcode);
	EXPECT_EQ(500, set_host_domain(x, "a.b", "amt.test"));
	EXPECT_EQ(500, set_host_domain(x, "ok", "amt..test"));
	EXPECT_EQ(500, set_host_domain(x, "ok", ""));
	ASSERT_EQ(0, do_get(x, AMT_CLASS_GENERAL_SETTINGS, NULL));
	props = x->resp.props;
	wsman_pairs_set(&props, AMT_PROP_DIGEST_REALM,
			"Digest:00000000000000000000000000000000");
	ASSERT_EQ(0, do_put(x, &props));
	EXPECT_EQ(500, x->status);
	EXPECT_STREQ("read-only property changed", x->resp.fault.reason);
	props = x->resp.props;
	ASSERT_EQ(0, do_get(x, AMT_CLASS_GENERAL_SETTINGS, NULL));
	props = x->resp.props;
	wsman_pairs_add(&props, "NoSuchProperty", "1");
	ASSERT_EQ(0, do_put(x, &props));
	EXPECT_STREQ("unknown property", x->resp.fault.reason);
	wsman_pairs_clear(&props);
	wsman_pairs_add(&props, AMT_PROP_HOST_NAME, "h");
	ASSERT_EQ(0, do_put(x, &props));
	EXPECT_STREQ("InstanceID missing", x->resp.fault.reason);
	/* Pending until commit: Get still shows the applied (empty) name. */
	EXPECT_EQ(200, set_host_domain(x, "h1", "amt.test"));
	ASSERT_EQ(0, do_get(x, AMT_CLASS_GENERAL_SETTINGS, NULL));
	EXPECT_STREQ("", wsman_response_get(&x->resp, AMT_PROP_HOST_NAME));
}

TEST_F(model, faults_and_selectors)
{
	struct exchange *x = &self->x;
	struct wsman_pairs sel = { 0 };

	ASSERT_EQ(0, do_get(x, "AMT_EthernetPortSettings", NULL));
	EXPECT_EQ(500, x->status);
	EXPECT_STREQ("DestinationUnreachable", x->resp.fault.subcode);
	EXPECT_STREQ("1", x->resp.relates_to);

	EXPECT_EQ(-1,
		  do_invoke(x, AMT_CLASS_SETUP_SERVICE, "Unprovision", NULL));
	EXPECT_EQ(500, x->status);
	EXPECT_STREQ("ActionNotSupported", x->resp.fault.subcode);

	ASSERT_EQ(0, wsman_build_enumerate(&x->req, AMT_CLASS_SETUP_SERVICE,
					   "e1"));
	ASSERT_EQ(0, send_req(x));
	EXPECT_STREQ("ActionNotSupported", x->resp.fault.subcode);
	EXPECT_STREQ("e1", x->resp.relates_to);

	wsman_pairs_add(&sel, "Name", AMT_SETUP_SERVICE_NAME);
	wsman_pairs_add(&sel, "SystemName", AMT_SYSTEM_NAME);
	ASSERT_EQ(0, do_get(x, AMT_CLASS_SETUP_SERVICE, &sel));
	EXPECT_EQ(200, x->status);
	wsman_pairs_set(&sel, "Name", "Other Service");
	ASSERT_EQ(0, do_get(x, AMT_CLASS_SETUP_SERVICE, &sel));
	EXPECT_EQ(500, x->status);
	EXPECT_STREQ("InvalidSelectors", x->resp.fault.subcode);
	wsman_pairs_clear(&sel);
	wsman_pairs_add(&sel, "InstanceID", AMT_GENERAL_SETTINGS_INSTANCE_ID);
	ASSERT_EQ(0, do_get(x, AMT_CLASS_GENERAL_SETTINGS, &sel));
	EXPECT_EQ(200, x->status);
	wsman_pairs_set(&sel, "Bogus", "1");
	ASSERT_EQ(0, do_get(x, AMT_CLASS_GENERAL_SETTINGS, &sel));
	EXPECT_STREQ("InvalidSelectors", x->resp.fault.subcode);

	/* Bytes that are no envelope: 400, empty reply. */
	wsman_buf_reset(&x->req);
	x->req.len = 0;
	ASSERT_EQ(0,
		  wsman_build_get(&x->req, AMT_CLASS_SETUP_SERVICE, "9", NULL));
	x->req.len = 20;
	ASSERT_EQ(0, send_req(x));
	EXPECT_EQ(400, x->status);
	EXPECT_EQ(0, x->reply.len);

	/* A WS-Man header error: 500 SchemaValidationError with RelatesTo. */
	ASSERT_EQ(0, wsman_build_get(&x->req, AMT_CLASS_SETUP_SERVICE, "10",
				     NULL));
	memcpy(strstr(x->req.data, "<a:To>/wsman"), "<a:To>/wsmax", 12);
	ASSERT_EQ(0, send_req(x));
	EXPECT_EQ(500, x->status);
	EXPECT_STREQ("DestinationUnreachable", x->resp.fault.subcode);
	ASSERT_EQ(0, wsman_build_get(&x->req, AMT_CLASS_SETUP_SERVICE, "11",
				     NULL));
	memcpy(strstr(x->req.data, "role/anonymous"), "role/anonymouz", 14);
	ASSERT_EQ(0, send_req(x));
	EXPECT_STREQ("SchemaValidationError", x->resp.fault.subcode);
	EXPECT_STREQ("11", x->resp.relates_to);
	EXPECT_NE(NULL,
		  strstr(model_json(&self->m), "\"malformed_envelope\":1"));
}

TEST(knobs_from_text)
{
	struct amt_device_model m;

	init_model(&m, AMT_DEVICE_PSK);
	EXPECT_EQ(0, device_model_set_knob(&m, "acl_digest_encoding", "hex"));
	EXPECT_EQ(AMT_DIGEST_ENC_HEX, m.digest_encodings);
	EXPECT_EQ(0, device_model_set_knob(&m, "acl_digest_encoding", "both"));
	EXPECT_EQ(AMT_DIGEST_ENC_HEX | AMT_DIGEST_ENC_BASE64,
		  m.digest_encodings);
	EXPECT_EQ(0, device_model_set_knob(&m, "post_commit_status", "16"));
	EXPECT_EQ(AMT_STATUS_NOT_PERMITTED, m.post_commit_status);
	EXPECT_EQ(0, device_model_set_knob(&m, "post_commit_status", "0x20"));
	EXPECT_EQ(AMT_STATUS_INVALID_PROVISIONING_STATE, m.post_commit_status);
	EXPECT_EQ(0, device_model_set_knob(&m, "pending_per_session", "yes"));
	EXPECT_TRUE(m.pending_per_session);
	EXPECT_EQ(-1, device_model_set_knob(&m, "post_commit_status", "17"));
	EXPECT_EQ(-1, device_model_set_knob(&m, "acl_digest_encoding", ""));
	EXPECT_EQ(-1, device_model_set_knob(&m, "nosuch", "yes"));
	EXPECT_EQ(AMT_STATUS_INVALID_PROVISIONING_STATE, m.post_commit_status);
	EXPECT_TRUE(m.pending_per_session);
}

TEST(identity_checks)
{
	struct amt_device_identity id = {
		.uuid = UUID,
		.mode = AMT_DEVICE_PSK,
		.realm = REALM,
		.mebx_password = MEBX,
		.pid = PID,
		.pps = PPS,
	};
	struct amt_device_identity bad;
	struct amt_device_model *m = malloc(sizeof(*m));

	ASSERT_NE(NULL, m);
	EXPECT_EQ(0, device_model_init(m, &id));
	EXPECT_STREQ("", device_model_hostname(m));
	EXPECT_EQ(AMT_PROVISIONING_IN, m->provisioning_state);
	bad = id;
	bad.uuid = "12345678-9abc-def0-1234-56789abcdef";
	EXPECT_EQ(-1, device_model_init(m, &bad));
	bad = id;
	bad.realm = "Digest:2517b2332afd88353d5f5fd352697901";
	EXPECT_EQ(-1, device_model_init(m, &bad));
	bad = id;
	bad.pid = NULL;
	EXPECT_EQ(-1, device_model_init(m, &bad));
	bad = id;
	bad.pps = "SHORT";
	EXPECT_EQ(-1, device_model_init(m, &bad));
	bad = id;
	bad.mebx_password = "0123456789012345678901234567890123";
	EXPECT_EQ(-1, device_model_init(m, &bad));
	bad = id;
	bad.mode = AMT_DEVICE_PKI;
	bad.pid = NULL;
	bad.pps = NULL;
	EXPECT_EQ(0, device_model_init(m, &bad));
	free(m);
}

TEST(failure_table_and_json_escaping)
{
	struct amt_device_model m;
	char name[32], *json;
	int i;

	init_model(&m, AMT_DEVICE_PSK);
	for (i = 0; i < AMT_MODEL_MAX_FAILURES + 3; i++) {
		snprintf(name, sizeof(name), "r%d", i);
		device_model_note_failure(&m, name);
	}
	device_model_note_failure(&m, "r0");
	EXPECT_EQ(AMT_MODEL_MAX_FAILURES, m.nfailures);
	EXPECT_EQ(2, m.failures[0].count);
	EXPECT_STREQ("other", m.failures[AMT_MODEL_MAX_FAILURES - 1].reason);
	EXPECT_EQ(4, m.failures[AMT_MODEL_MAX_FAILURES - 1].count);

	init_model(&m, AMT_DEVICE_PSK);
	strcpy(m.mebx_password, "q\"b\\s\x01");
	m.mebx_password_changed = true;
	json = model_json(&m);
	EXPECT_NE(NULL, strstr(json, "\"mebx_password_set\":\"q\\\"b\\\\s"
				     "\\u0001\""));
	EXPECT_NE(NULL, strstr(json, "\"admin_digest_md5_hex\":null"));
}

TEST_HARNESS_MAIN
