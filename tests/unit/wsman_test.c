// SPDX-License-Identifier: GPL-2.0-only
/*
 * wsman: the amt-protocol.md 5.2 envelopes, client/server round trips both
 * ways, faults, and malformed, oversized and namespace-wrong inputs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amt_wsman_names.h"
#include "kselftest_harness.h"
#include "wsman.h"

#define ENV_START                                                       \
	"<?xml version=\"1.0\" encoding=\"utf-8\"?><Envelope "          \
	"xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "      \
	"xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" "               \
	"xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" " \
	"xmlns:w=\"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd\" "   \
	"xmlns=\"http://www.w3.org/2003/05/soap-envelope\" >"

/* amt-protocol.md 5.2, "Example Get", exact bytes. */
#define MESHCENTRAL_GET                                                         \
	ENV_START                                                               \
	"<Header><a:Action>http://schemas.xmlsoap.org/ws/2004/09/transfer/Get"  \
	"</a:Action><a:To>/wsman</a:To><w:ResourceURI>http://intel.com/wbem/"   \
	"wscim/1/amt-schema/1/AMT_GeneralSettings</w:ResourceURI><a:MessageID>" \
	"1</a:MessageID><a:ReplyTo><a:Address>http://schemas.xmlsoap.org/ws/"   \
	"2004/08/addressing/role/anonymous</a:Address></a:ReplyTo>"             \
	"<w:OperationTimeout>PT60S</w:OperationTimeout></Header><Body />"       \
	"</Envelope>"

#define IPS_HBS \
	"http://intel.com/wbem/wscim/1/ips-schema/1/IPS_HostBasedSetupService"

/* amt-protocol.md 5.2, "Example Invoke AdminSetup", placeholders filled. */
#define MESHCENTRAL_ADMIN_SETUP                                              \
	ENV_START                                                            \
	"<Header><a:Action>" IPS_HBS "/AdminSetup</a:Action><a:To>/wsman"    \
	"</a:To><w:ResourceURI>" IPS_HBS "</w:ResourceURI><a:MessageID>2"    \
	"</a:MessageID><a:ReplyTo><a:Address>http://schemas.xmlsoap.org/ws/" \
	"2004/08/addressing/role/anonymous</a:Address></a:ReplyTo>"          \
	"<w:OperationTimeout>PT60S</w:OperationTimeout></Header><Body>"      \
	"<r:AdminSetup_INPUT xmlns:r=\"" IPS_HBS "\">"                       \
	"<r:NetAdminPassEncryptionType>2</r:NetAdminPassEncryptionType>"     \
	"<r:NetworkAdminPassword>0a5d2b1b1b5c3a66e6b1f50d8e3f4c21"           \
	"</r:NetworkAdminPassword><r:McNonce>AAECAwQFBgcICQoLDA0ODxAREhM="   \
	"</r:McNonce><r:SigningAlgorithm>2</r:SigningAlgorithm>"             \
	"<r:DigitalSignature>c2lnbmF0dXJl</r:DigitalSignature>"              \
	"</r:AdminSetup_INPUT></Body></Envelope>"

#define SCS \
	"http://intel.com/wbem/wscim/1/amt-schema/1/AMT_SetupAndConfigurationService"

/* amt-protocol.md 5.2, "Example device reply", with its namespaces. */
#define DEVICE_COMMIT_REPLY                                                  \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?><a:Envelope "             \
	"xmlns:a=\"http://www.w3.org/2003/05/soap-envelope\" "               \
	"xmlns:b=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" "      \
	"xmlns:c=\"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd\" "        \
	"xmlns:g=\"" SCS "\"><a:Header><b:To>http://schemas.xmlsoap.org/ws/" \
	"2004/08/addressing/role/anonymous</b:To><b:RelatesTo>4"             \
	"</b:RelatesTo><b:Action a:mustUnderstand=\"true\">" SCS             \
	"/CommitChangesResponse</b:Action><b:MessageID>uuid:00000000-8086-"  \
	"8086-8086-0000000002E6</b:MessageID><c:ResourceURI>" SCS            \
	"</c:ResourceURI></a:Header><a:Body><g:CommitChanges_OUTPUT>"        \
	"<g:ReturnValue>0</g:ReturnValue></g:CommitChanges_OUTPUT></a:Body>" \
	"</a:Envelope>"

static int parse_req(const char *s, struct wsman_request *r)
{
	return wsman_parse_request(s, strlen(s), r);
}

static int parse_resp(const char *s, struct wsman_response *r)
{
	return wsman_parse_response(s, strlen(s), r);
}

/* src with every occurrence of from replaced by to (static buffer). */
static char *replace(const char *src, const char *from, const char *to)
{
	static char out[WSMAN_MAX_ENVELOPE];
	size_t n = 0;
	const char *p;

	if (!strstr(src, from))
		abort();
	while ((p = strstr(src, from))) {
		n += snprintf(out + n, sizeof(out) - n, "%.*s%s",
			      (int)(p - src), src, to);
		src = p + strlen(from);
	}
	snprintf(out + n, sizeof(out) - n, "%s", src);
	return out;
}

static char *edit(const char *from, const char *to)
{
	return replace(MESHCENTRAL_GET, from, to);
}

static char *edit_invoke(const char *from, const char *to)
{
	return replace(MESHCENTRAL_ADMIN_SETUP, from, to);
}

TEST(build_get_is_meshcentral_bytes)
{
	struct wsman_buf b;

	wsman_buf_init(&b);
	ASSERT_EQ(WSMAN_OK,
		  wsman_build_get(&b, AMT_CLASS_GENERAL_SETTINGS, "1", NULL));
	EXPECT_STREQ(MESHCENTRAL_GET, b.data);
	EXPECT_EQ(strlen(MESHCENTRAL_GET), b.len);
	wsman_buf_free(&b);
}

TEST(build_invoke_is_meshcentral_bytes)
{
	struct wsman_pairs p = { 0 };
	struct wsman_buf b;

	wsman_pairs_add(&p, "NetAdminPassEncryptionType", "2");
	wsman_pairs_add(&p, "NetworkAdminPassword",
			"0a5d2b1b1b5c3a66e6b1f50d8e3f4c21");
	wsman_pairs_add(&p, "McNonce", "AAECAwQFBgcICQoLDA0ODxAREhM=");
	wsman_pairs_add(&p, "SigningAlgorithm", "2");
	wsman_pairs_add(&p, "DigitalSignature", "c2lnbmF0dXJl");
	wsman_buf_init(&b);
	ASSERT_EQ(WSMAN_OK, wsman_build_invoke(&b, "IPS_HostBasedSetupService",
					       "AdminSetup", "2", NULL, &p));
	EXPECT_STREQ(MESHCENTRAL_ADMIN_SETUP, b.data);
	wsman_buf_free(&b);
}

TEST(parse_meshcentral_get)
{
	struct wsman_request r;

	ASSERT_EQ(WSMAN_OK, parse_req(MESHCENTRAL_GET, &r));
	EXPECT_EQ(WSMAN_ACTION_GET, r.action);
	EXPECT_STREQ(AMT_CLASS_GENERAL_SETTINGS, r.class_name);
	EXPECT_STREQ(WSMAN_URI_AMT "AMT_GeneralSettings", r.resource_uri);
	EXPECT_STREQ("1", r.message_id);
	EXPECT_STREQ("", r.method);
	EXPECT_EQ(0, r.selectors.count);
	EXPECT_EQ(0, r.params.count);
}

TEST(parse_meshcentral_admin_setup)
{
	struct wsman_request r;

	ASSERT_EQ(WSMAN_OK, parse_req(MESHCENTRAL_ADMIN_SETUP, &r));
	EXPECT_EQ(WSMAN_ACTION_INVOKE, r.action);
	EXPECT_STREQ("IPS_HostBasedSetupService", r.class_name);
	EXPECT_STREQ("AdminSetup", r.method);
	EXPECT_STREQ("2", r.message_id);
	ASSERT_EQ(5, r.params.count);
	EXPECT_STREQ("NetAdminPassEncryptionType", r.params.pair[0].name);
	EXPECT_STREQ("2", r.params.pair[0].value);
	EXPECT_STREQ("0a5d2b1b1b5c3a66e6b1f50d8e3f4c21",
		     wsman_pairs_get(&r.params, "NetworkAdminPassword"));
	EXPECT_STREQ("c2lnbmF0dXJl",
		     wsman_pairs_get(&r.params, "DigitalSignature"));
}

/* go-wsman style: other prefixes, a full URL in To, white space. */
TEST(parse_other_prefixes)
{
	const char *xml =
		"<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\""
		" xmlns:wsa=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\""
		" xmlns:wsman=\"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd\">\n"
		" <s:Header>\n  <wsa:Action>" SCS
		"/CommitChanges</wsa:Action>\n"
		"  <wsa:To>https://198.18.0.2:16993/wsman</wsa:To>\n"
		"  <wsman:ResourceURI>" SCS "</wsman:ResourceURI>\n"
		"  <wsa:MessageID>uuid:1</wsa:MessageID>\n"
		"  <wsa:ReplyTo><wsa:Address>http://schemas.xmlsoap.org/ws/2004/"
		"08/addressing/role/anonymous</wsa:Address></wsa:ReplyTo>\n"
		"  <wsman:SelectorSet><wsman:Selector Name=\"Name\">Intel(r) AMT "
		"Setup and Configuration Service</wsman:Selector>"
		"</wsman:SelectorSet>\n </s:Header>\n <s:Body>\n"
		"  <h:CommitChanges_INPUT xmlns:h=\"" SCS "\"/>\n </s:Body>\n"
		"</s:Envelope>\n";
	struct wsman_request r;

	ASSERT_EQ(WSMAN_OK, parse_req(xml, &r));
	EXPECT_EQ(WSMAN_ACTION_INVOKE, r.action);
	EXPECT_STREQ("CommitChanges", r.method);
	EXPECT_STREQ("uuid:1", r.message_id);
	ASSERT_EQ(1, r.selectors.count);
	EXPECT_STREQ("Name", r.selectors.pair[0].name);
	EXPECT_STREQ(AMT_SETUP_SERVICE_NAME, r.selectors.pair[0].value);
	EXPECT_EQ(0, r.params.count);
}

TEST(round_trip_invoke_with_selectors_and_escaping)
{
	struct wsman_pairs sel = { 0 }, in = { 0 };
	struct wsman_request r;
	struct wsman_buf b;

	wsman_pairs_add(&sel, "Name", "A & <B> \"C\"");
	wsman_pairs_add(&in, AMT_PARAM_USERNAME, AMT_ADMIN_USER);
	wsman_pairs_add(&in, AMT_PARAM_DIGEST_PASSWORD,
			"Cr4+wbYlUo4Ugyw/p7Qm9g==");
	wsman_pairs_add(&in, "Odd", "<&>'\"\t\n\r]]>\x7f");
	wsman_buf_init(&b);
	ASSERT_EQ(WSMAN_OK,
		  wsman_build_invoke(&b, AMT_CLASS_AUTHORIZATION_SERVICE,
				     AMT_METHOD_SET_ADMIN_ACL_ENTRY_EX, "17",
				     &sel, &in));
	ASSERT_EQ(WSMAN_OK, wsman_parse_request(b.data, b.len, &r));
	EXPECT_EQ(WSMAN_ACTION_INVOKE, r.action);
	EXPECT_STREQ(AMT_CLASS_AUTHORIZATION_SERVICE, r.class_name);
	EXPECT_STREQ(AMT_METHOD_SET_ADMIN_ACL_ENTRY_EX, r.method);
	EXPECT_STREQ("17", r.message_id);
	ASSERT_EQ(1, r.selectors.count);
	EXPECT_STREQ("A & <B> \"C\"", r.selectors.pair[0].value);
	ASSERT_EQ(3, r.params.count);
	EXPECT_STREQ("admin", r.params.pair[0].value);
	EXPECT_STREQ("Cr4+wbYlUo4Ugyw/p7Qm9g==", r.params.pair[1].value);
	EXPECT_STREQ("<&>'\"\t\n\r]]>\x7f", r.params.pair[2].value);
	wsman_buf_free(&b);
}

TEST(round_trip_put_enumerate_pull)
{
	struct wsman_pairs props = { 0 };
	struct wsman_request r;
	struct wsman_buf b;

	wsman_pairs_add(&props, AMT_PROP_INSTANCE_ID,
			AMT_GENERAL_SETTINGS_INSTANCE_ID);
	wsman_pairs_add(&props, AMT_PROP_HOST_NAME, "amt-0123456789ab");
	wsman_pairs_add(&props, AMT_PROP_DOMAIN_NAME, "amt.test");
	wsman_pairs_add(&props, "TrustedDNSSuffix", "a.test");
	wsman_pairs_add(&props, "TrustedDNSSuffix", "b.test");
	wsman_buf_init(&b);
	ASSERT_EQ(WSMAN_OK, wsman_build_put(&b, AMT_CLASS_GENERAL_SETTINGS, "3",
					    NULL, &props));
	ASSERT_EQ(WSMAN_OK, wsman_parse_request(b.data, b.len, &r));
	EXPECT_EQ(WSMAN_ACTION_PUT, r.action);
	ASSERT_EQ(5, r.params.count);
	EXPECT_STREQ("amt-0123456789ab",
		     wsman_pairs_get(&r.params, AMT_PROP_HOST_NAME));
	EXPECT_STREQ("b.test", r.params.pair[4].value);

	ASSERT_EQ(WSMAN_OK,
		  wsman_build_enumerate(&b, "CIM_SoftwareIdentity", "4"));
	ASSERT_EQ(WSMAN_OK, wsman_parse_request(b.data, b.len, &r));
	EXPECT_EQ(WSMAN_ACTION_ENUMERATE, r.action);
	EXPECT_STREQ(WSMAN_URI_CIM "CIM_SoftwareIdentity", r.resource_uri);

	ASSERT_EQ(WSMAN_OK,
		  wsman_build_pull(&b, "CIM_SoftwareIdentity", "5",
				   "BACF0000-0000-0000-0000-000000000000"));
	ASSERT_EQ(WSMAN_OK, wsman_parse_request(b.data, b.len, &r));
	EXPECT_EQ(WSMAN_ACTION_PULL, r.action);
	EXPECT_STREQ("BACF0000-0000-0000-0000-000000000000", r.enum_context);
	wsman_buf_free(&b);
}

TEST(round_trip_responses)
{
	struct wsman_pairs props = { 0 }, outs = { 0 };
	struct wsman_response resp;
	struct wsman_request req;
	struct wsman_buf b;
	char id[64];

	ASSERT_EQ(WSMAN_OK, parse_req(MESHCENTRAL_GET, &req));
	wsman_pairs_add(&props, AMT_PROP_DIGEST_REALM,
			"Digest:2517B2332AFD88353D5F5FD352697901");
	wsman_pairs_add(&props, AMT_PROP_HOST_NAME, "h & h");
	wsman_amt_message_id(0x2e6, id, sizeof(id));
	EXPECT_STREQ("uuid:00000000-8086-8086-8086-0000000002E6", id);
	wsman_buf_init(&b);
	ASSERT_EQ(WSMAN_OK, wsman_build_get_response(&b, &req, id, &props));
	ASSERT_EQ(WSMAN_OK, wsman_parse_response(b.data, b.len, &resp));
	EXPECT_STREQ(WSMAN_ACTION_GET_RESPONSE_URI, resp.action);
	EXPECT_STREQ("1", resp.relates_to);
	EXPECT_STREQ(id, resp.message_id);
	EXPECT_STREQ(req.resource_uri, resp.resource_uri);
	EXPECT_STREQ(AMT_CLASS_GENERAL_SETTINGS, resp.body_name);
	EXPECT_STREQ(req.resource_uri, resp.body_ns);
	EXPECT_FALSE(resp.is_fault);
	EXPECT_FALSE(resp.has_return_value);
	EXPECT_STREQ("h & h", wsman_response_get(&resp, AMT_PROP_HOST_NAME));

	ASSERT_EQ(WSMAN_OK, wsman_build_put_response(&b, &req, id, &props));
	ASSERT_EQ(WSMAN_OK, wsman_parse_response(b.data, b.len, &resp));
	EXPECT_STREQ(WSMAN_ACTION_PUT_RESPONSE_URI, resp.action);

	ASSERT_EQ(WSMAN_OK, parse_req(MESHCENTRAL_ADMIN_SETUP, &req));
	wsman_pairs_add(&outs, "Extra", "x");
	ASSERT_EQ(WSMAN_OK,
		  wsman_build_invoke_response(&b, &req, id,
					      AMT_STATUS_DATA_MISSING, &outs));
	ASSERT_EQ(WSMAN_OK, wsman_parse_response(b.data, b.len, &resp));
	EXPECT_STREQ(IPS_HBS "/AdminSetupResponse", resp.action);
	EXPECT_STREQ("AdminSetup_OUTPUT", resp.body_name);
	EXPECT_TRUE(resp.has_return_value);
	EXPECT_EQ(2057u, resp.return_value);
	EXPECT_STREQ("x", wsman_response_get(&resp, "Extra"));
	wsman_buf_free(&b);
}

TEST(parse_device_commit_reply)
{
	struct wsman_response r;

	ASSERT_EQ(WSMAN_OK, parse_resp(DEVICE_COMMIT_REPLY, &r));
	EXPECT_STREQ("4", r.relates_to);
	EXPECT_STREQ("CommitChanges_OUTPUT", r.body_name);
	EXPECT_TRUE(r.has_return_value);
	EXPECT_EQ(0u, r.return_value);
	EXPECT_FALSE(r.is_fault);
}

TEST(faults_round_trip)
{
	static const struct {
		enum wsman_fault_kind kind;
		const char *code, *subcode, *ns;
	} cases[] = {
		{ WSMAN_FAULT_ACTION_NOT_SUPPORTED, "Sender",
		  "ActionNotSupported", WSMAN_NS_ADDRESSING },
		{ WSMAN_FAULT_DESTINATION_UNREACHABLE, "Sender",
		  "DestinationUnreachable", WSMAN_NS_ADDRESSING },
		{ WSMAN_FAULT_INVALID_SELECTORS, "Sender", "InvalidSelectors",
		  WSMAN_NS_WSMAN },
		{ WSMAN_FAULT_SCHEMA_VALIDATION, "Sender",
		  "SchemaValidationError", WSMAN_NS_WSMAN },
		{ WSMAN_FAULT_INVALID_REPRESENTATION, "Sender",
		  "InvalidRepresentation", WSMAN_NS_TRANSFER },
		{ WSMAN_FAULT_ACCESS_DENIED, "Sender", "AccessDenied",
		  WSMAN_NS_WSMAN },
		{ WSMAN_FAULT_INTERNAL_ERROR, "Receiver", "InternalError",
		  WSMAN_NS_WSMAN },
	};
	struct wsman_response r;
	struct wsman_buf b;
	size_t i;

	wsman_buf_init(&b);
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		ASSERT_EQ(WSMAN_OK, wsman_build_fault(&b, cases[i].kind, "9",
						      "uuid:x", NULL));
		ASSERT_EQ(WSMAN_OK, wsman_parse_response(b.data, b.len, &r));
		EXPECT_TRUE(r.is_fault);
		EXPECT_STREQ("Fault", r.body_name);
		EXPECT_STREQ("9", r.relates_to);
		EXPECT_STREQ(cases[i].code, r.fault.code);
		EXPECT_STREQ(cases[i].subcode, r.fault.subcode);
		EXPECT_STREQ(cases[i].subcode,
			     wsman_fault_subcode(cases[i].kind));
		EXPECT_STREQ(cases[i].ns, r.fault.subcode_ns);
		EXPECT_NE(0, strlen(r.fault.reason));
	}
	ASSERT_EQ(WSMAN_OK,
		  wsman_build_fault(&b, WSMAN_FAULT_ACCESS_DENIED, NULL,
				    "uuid:y",
				    "INVALID_PROVISIONING_STATE <0x20>"));
	ASSERT_EQ(WSMAN_OK, wsman_parse_response(b.data, b.len, &r));
	EXPECT_STREQ("", r.relates_to);
	EXPECT_STREQ("INVALID_PROVISIONING_STATE <0x20>", r.fault.reason);
	wsman_buf_free(&b);
}

static int parse_fault_body(const char *body, struct wsman_response *r)
{
	char xml[1024];

	snprintf(xml, sizeof(xml),
		 "<s:Envelope xmlns:s=\"" WSMAN_NS_SOAP "\"><s:Body>%s"
		 "</s:Body></s:Envelope>",
		 body);
	return parse_resp(xml, r);
}

/* Faults as other stacks write them: empty or partial parts are fine. */
TEST(fault_shapes)
{
	struct wsman_response r;

	ASSERT_EQ(WSMAN_OK,
		  parse_fault_body("<s:Fault><s:Code><s:Value>s:Receiver"
				   "</s:Value><s:Subcode/></s:Code></s:Fault>",
				   &r));
	EXPECT_TRUE(r.is_fault);
	EXPECT_STREQ("Receiver", r.fault.code);
	EXPECT_STREQ("", r.fault.subcode);
	ASSERT_EQ(WSMAN_OK, parse_fault_body("<s:Fault><s:Code/><s:Reason/>"
					     "<s:Detail>d</s:Detail></s:Fault>",
					     &r));
	EXPECT_STREQ("", r.fault.code);
	EXPECT_STREQ("d", r.fault.detail);
	ASSERT_EQ(WSMAN_OK, parse_fault_body("<s:Fault/>", &r));
	EXPECT_TRUE(r.is_fault);
	EXPECT_STREQ("", r.fault.reason);
}

TEST(enumeration_responses)
{
	const char *head =
		"<a:Envelope xmlns:a=\"http://www.w3.org/2003/05/soap-envelope\""
		" xmlns:e=\"http://schemas.xmlsoap.org/ws/2004/09/enumeration\""
		" xmlns:g=\"http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/"
		"CIM_SoftwareIdentity\"><a:Header/><a:Body>";
	char xml[2048];
	struct wsman_response r;

	snprintf(xml, sizeof(xml),
		 "%s<e:EnumerateResponse><e:EnumerationContext>BACF0000-0000"
		 "</e:EnumerationContext></e:EnumerateResponse></a:Body>"
		 "</a:Envelope>",
		 head);
	ASSERT_EQ(WSMAN_OK, parse_resp(xml, &r));
	EXPECT_STREQ("BACF0000-0000", r.enum_context);
	snprintf(xml, sizeof(xml),
		 "%s<e:PullResponse><e:Items><g:CIM_SoftwareIdentity>"
		 "<g:InstanceID>AMT</g:InstanceID><g:VersionString>16.1.25"
		 "</g:VersionString></g:CIM_SoftwareIdentity>"
		 "<g:CIM_SoftwareIdentity><g:InstanceID>Flash</g:InstanceID>"
		 "</g:CIM_SoftwareIdentity></e:Items><e:EndOfSequence/>"
		 "</e:PullResponse></a:Body></a:Envelope>",
		 head);
	ASSERT_EQ(WSMAN_OK, parse_resp(xml, &r));
	EXPECT_EQ(2u, r.items);
	EXPECT_TRUE(r.end_of_sequence);
	EXPECT_STREQ("16.1.25", wsman_response_get(&r, "VersionString"));
}

/* An EPR output lists the value of its Selector. */
TEST(response_epr_property)
{
	const char *xml =
		"<a:Envelope xmlns:a=\"http://www.w3.org/2003/05/soap-envelope\""
		" xmlns:b=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\""
		" xmlns:c=\"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd\""
		" xmlns:g=\"x\"><a:Header/><a:Body><g:GenerateKeyPair_OUTPUT>"
		"<g:KeyPair><b:Address>/wsman</b:Address><b:ReferenceParameters>"
		"<c:SelectorSet><c:Selector Name=\"InstanceID\">Intel(r) AMT Key:"
		" Handle: 0</c:Selector></c:SelectorSet></b:ReferenceParameters>"
		"</g:KeyPair><g:ReturnValue>0</g:ReturnValue>"
		"</g:GenerateKeyPair_OUTPUT></a:Body></a:Envelope>";
	struct wsman_response r;

	ASSERT_EQ(WSMAN_OK, parse_resp(xml, &r));
	EXPECT_TRUE(r.has_return_value);
	EXPECT_STREQ("Intel(r) AMT Key: Handle: 0",
		     wsman_response_get(&r, "KeyPair"));
}

TEST(request_errors)
{
	static const struct {
		const char *from, *to;
		int err;
	} cases[] = {
		{ "http://www.w3.org/2003/05/soap-envelope",
		  "http://schemas.xmlsoap.org/soap/envelope/",
		  WSMAN_ERR_ENVELOPE },
		{ "<a:MessageID>1</a:MessageID>", "", WSMAN_ERR_MISSING },
		{ "<a:To>/wsman</a:To>", "", WSMAN_ERR_MISSING },
		{ "<a:To>/wsman</a:To>", "<a:To>/other</a:To>", WSMAN_ERR_TO },
		{ "<a:To>/wsman</a:To>", "<a:To>http:///wsman</a:To>",
		  WSMAN_ERR_TO },
		{ "<a:To>/wsman</a:To>",
		  "<a:To>/wsman</a:To><a:To>/wsman</a:To>",
		  WSMAN_ERR_DUPLICATE },
		{ "role/anonymous", "role/none", WSMAN_ERR_REPLY_TO },
		{ "transfer/Get", "transfer/Frob", WSMAN_ERR_ACTION },
		{ "amt-schema/1/AMT_GeneralSettings</w:",
		  "amt-schema/1/XYZ_GeneralSettings</w:",
		  WSMAN_ERR_RESOURCE_URI },
		{ "amt-schema/1/AMT_GeneralSettings</w:",
		  "amt-schema/1/AMT_</w:", WSMAN_ERR_RESOURCE_URI },
		{ "<Body />", "<Body><x/></Body>", WSMAN_ERR_BODY },
		{ "<Body />", "", WSMAN_ERR_STRUCTURE },
		{ "<Body />", "<Body /><Body />", WSMAN_ERR_STRUCTURE },
		{ "<Body />", "<Body />text", WSMAN_ERR_STRUCTURE },
		{ "<Body />", "<Body /></Envelope><x/>", WSMAN_ERR_XML },
		{ "<Body />", "<Body>&foo;</Body>", WSMAN_ERR_XML },
		{ "<Body />", "<Body>", WSMAN_ERR_XML },
	};
	struct wsman_request r;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const char *xml = edit(cases[i].from, cases[i].to);
		int err = parse_req(xml, &r);

		if (err != cases[i].err)
			TH_LOG("case %zu: %s", i, wsman_strerror(err));
		EXPECT_EQ(cases[i].err, err);
	}
	/* The MessageID is known for the fault's RelatesTo. */
	EXPECT_EQ(WSMAN_ERR_ACTION,
		  parse_req(edit("transfer/Get", "transfer/Frob"), &r));
	EXPECT_STREQ("1", r.message_id);
	EXPECT_EQ(WSMAN_FAULT_ACTION_NOT_SUPPORTED,
		  wsman_fault_for_error(WSMAN_ERR_ACTION));
	EXPECT_EQ(WSMAN_FAULT_DESTINATION_UNREACHABLE,
		  wsman_fault_for_error(WSMAN_ERR_RESOURCE_URI));
	EXPECT_EQ(WSMAN_FAULT_SCHEMA_VALIDATION,
		  wsman_fault_for_error(WSMAN_ERR_MISSING));
}

TEST(invoke_errors)
{
	struct wsman_request r;

	/* Method_INPUT namespace must be the ResourceURI. */
	EXPECT_EQ(WSMAN_ERR_NAMESPACE,
		  parse_req(edit_invoke("xmlns:r=\"" IPS_HBS "\"",
					"xmlns:r=\"" IPS_HBS "X\""),
			    &r));
	EXPECT_EQ(WSMAN_ERR_BODY,
		  parse_req(edit_invoke("AdminSetup_INPUT", "Other_INPUT"),
			    &r));
	/* Action of another class. */
	EXPECT_EQ(WSMAN_ERR_ACTION,
		  parse_req(edit_invoke("IPS_HostBasedSetupService/AdminSetup",
					"IPS_Other/AdminSetup"),
			    &r));
	EXPECT_EQ(WSMAN_ERR_ACTION,
		  parse_req(edit_invoke("/AdminSetup</a:Action>",
					"/Admin/Setup</a:Action>"),
			    &r));
	/* Mixed content inside the input element. */
	EXPECT_EQ(WSMAN_ERR_BODY,
		  parse_req(edit_invoke("<r:McNonce>", "junk<r:McNonce>"), &r));
}

TEST(size_depth_and_dtd_caps)
{
	char *big = malloc(WSMAN_MAX_ENVELOPE + 2), *deep, *p;
	struct wsman_response resp;
	struct wsman_request r;
	int i;

	ASSERT_NE(NULL, big);
	memset(big, ' ', WSMAN_MAX_ENVELOPE + 1);
	memcpy(big, MESHCENTRAL_GET, strlen(MESHCENTRAL_GET));
	EXPECT_EQ(WSMAN_OK, wsman_parse_request(big, WSMAN_MAX_ENVELOPE, &r));
	EXPECT_EQ(WSMAN_ERR_TOO_LARGE,
		  wsman_parse_request(big, WSMAN_MAX_ENVELOPE + 1, &r));
	EXPECT_EQ(WSMAN_ERR_TOO_LARGE,
		  wsman_parse_response(big, WSMAN_MAX_ENVELOPE + 1, &resp));
	free(big);

	deep = malloc(64 * 1024);
	ASSERT_NE(NULL, deep);
	p = deep + sprintf(deep, "%s", edit("<Body />", "<Body>"));
	p = strstr(deep, "<Body>") + 6;
	for (i = 0; i < WSMAN_MAX_DEPTH; i++)
		p += sprintf(p, "<x>");
	for (i = 0; i < WSMAN_MAX_DEPTH; i++)
		p += sprintf(p, "</x>");
	sprintf(p, "</Body></Envelope>");
	EXPECT_EQ(WSMAN_ERR_DEPTH, parse_req(deep, &r));
	EXPECT_EQ(WSMAN_ERR_DEPTH, parse_resp(deep, &resp));
	free(deep);

	EXPECT_EQ(WSMAN_ERR_DTD,
		  parse_req("<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a "
			    "\"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]>"
			    "<Envelope>&b;</Envelope>",
			    &r));
	EXPECT_EQ(WSMAN_ERR_DTD,
		  parse_resp("<!DOCTYPE x SYSTEM \"http://198.18.0.1/x.dtd\">"
			     "<x/>",
			     &resp));
	EXPECT_EQ(WSMAN_ERR_XML, wsman_parse_request("", 0, &r));
	EXPECT_EQ(WSMAN_ERR_XML, parse_resp("not xml at all", &resp));
	EXPECT_EQ(WSMAN_ERR_ENVELOPE, parse_resp("<Envelope/>", &resp));
}

TEST(caps_on_pairs)
{
	char xml[WSMAN_MAX_ENVELOPE], body[WSMAN_MAX_ENVELOPE / 2];
	char value[WSMAN_VALUE_MAX + 1];
	struct wsman_request r;
	size_t n = 0;
	int i;

	n += sprintf(body + n, "<r:AdminSetup_INPUT xmlns:r=\"" IPS_HBS "\">");
	for (i = 0; i < WSMAN_MAX_PAIRS + 1; i++)
		n += sprintf(body + n, "<r:P%d>v</r:P%d>", i, i);
	sprintf(body + n, "</r:AdminSetup_INPUT>");
	snprintf(xml, sizeof(xml), "%.*s<Body>%s</Body></Envelope>",
		 (int)(strstr(MESHCENTRAL_ADMIN_SETUP, "<Body>") -
		       MESHCENTRAL_ADMIN_SETUP),
		 MESHCENTRAL_ADMIN_SETUP, body);
	EXPECT_EQ(WSMAN_ERR_TOO_MANY, parse_req(xml, &r));

	memset(value, 'v', WSMAN_VALUE_MAX);
	value[WSMAN_VALUE_MAX] = '\0';
	snprintf(xml, sizeof(xml), "%s", edit_invoke("c2lnbmF0dXJl", value));
	EXPECT_EQ(WSMAN_ERR_TOO_LONG, parse_req(xml, &r));
	value[WSMAN_VALUE_MAX - 1] = '\0';
	snprintf(xml, sizeof(xml), "%s", edit_invoke("c2lnbmF0dXJl", value));
	EXPECT_EQ(WSMAN_OK, parse_req(xml, &r));
}

TEST(builder_errors)
{
	struct wsman_pairs p = { 0 };
	struct wsman_request req;
	struct wsman_buf b;
	char uri[WSMAN_URI_MAX], cls[WSMAN_NAME_MAX];
	int i;

	wsman_buf_init(&b);
	EXPECT_EQ(WSMAN_ERR_RESOURCE_URI,
		  wsman_build_get(&b, "XYZ_A", "1", NULL));
	EXPECT_EQ(WSMAN_ERR_RESOURCE_URI,
		  wsman_build_get(&b, "AMT_<x>", "1", NULL));
	EXPECT_EQ(WSMAN_ERR_ARG, wsman_build_get(&b, "AMT_A", "", NULL));
	EXPECT_EQ(WSMAN_ERR_ARG, wsman_build_invoke(&b, "AMT_A", "Bad Method",
						    "1", NULL, NULL));
	wsman_pairs_add(&p, "Password", "a\001b");
	EXPECT_EQ(WSMAN_ERR_ARG,
		  wsman_build_invoke(&b, "AMT_A", "M", "1", NULL, &p));
	wsman_pairs_clear(&p);
	wsman_pairs_add(&p, "bad name", "v");
	EXPECT_EQ(WSMAN_ERR_ARG, wsman_build_put(&b, "AMT_A", "1", NULL, &p));
	EXPECT_EQ(WSMAN_ERR_ARG, wsman_build_pull(&b, "AMT_A", "1", ""));

	wsman_pairs_clear(&p);
	for (i = 0; i < WSMAN_MAX_PAIRS; i++)
		EXPECT_EQ(WSMAN_OK, wsman_pairs_add(&p, "N", "v"));
	EXPECT_EQ(WSMAN_ERR_TOO_MANY, wsman_pairs_add(&p, "N", "v"));
	EXPECT_EQ(WSMAN_OK, wsman_pairs_set(&p, "N", "w"));
	EXPECT_STREQ("w", wsman_pairs_get(&p, "N"));
	EXPECT_EQ(NULL, wsman_pairs_get(&p, "M"));

	EXPECT_EQ(WSMAN_OK, wsman_resource_uri("IPS_X", uri, sizeof(uri)));
	EXPECT_STREQ(WSMAN_URI_IPS "IPS_X", uri);
	EXPECT_EQ(WSMAN_ERR_TOO_LONG, wsman_resource_uri("IPS_X", uri, 10));
	EXPECT_EQ(WSMAN_OK, wsman_class_from_uri(uri, cls, sizeof(cls)));
	EXPECT_STREQ("IPS_X", cls);
	EXPECT_EQ(WSMAN_ERR_RESOURCE_URI,
		  wsman_class_from_uri(WSMAN_URI_AMT "CIM_X", cls,
				       sizeof(cls)));

	memset(&req, 0, sizeof(req));
	EXPECT_EQ(WSMAN_ERR_ARG, wsman_build_get_response(&b, &req, "x", NULL));
	EXPECT_EQ(WSMAN_ERR_ARG,
		  wsman_build_invoke_response(&b, &req, "x", 0, NULL));
	wsman_buf_free(&b);
}

TEST(error_and_status_names)
{
	int err;

	for (err = WSMAN_OK; err >= WSMAN_ERR_NOMEM; err--)
		EXPECT_EQ(0, strncmp("wsman: ", wsman_strerror(err), 7));
	EXPECT_STREQ("wsman: unknown error", wsman_strerror(-99));
	EXPECT_STREQ("INVALID_PASSWORD", amt_pt_status_name(0x806));
	EXPECT_STREQ("DATA_MISSING", amt_pt_status_name(2057));
	EXPECT_STREQ("UNKNOWN", amt_pt_status_name(12345));
}

TEST_HARNESS_MAIN
