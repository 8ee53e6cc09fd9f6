// SPDX-License-Identifier: GPL-2.0-only
/*
 * WS-Management envelopes, the writing half: error texts, name/value
 * pairs, the output buffer, resource URIs, and every request, response and
 * fault builder. They write text directly (exact bytes, every value
 * escaped); wsman_parse.c reads.
 */
#include "wsman.h"
#include "amt_wsman_names.h"
#include "wsman_text.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const error_text[] = {
	[-WSMAN_OK] = "wsman: ok",
	[-WSMAN_ERR_TOO_LARGE] = "wsman: envelope larger than the size cap",
	[-WSMAN_ERR_XML] = "wsman: not well-formed XML",
	[-WSMAN_ERR_DTD] = "wsman: DOCTYPE or entity declarations not allowed",
	[-WSMAN_ERR_DEPTH] = "wsman: elements nested deeper than the cap",
	[-WSMAN_ERR_ENVELOPE] =
		"wsman: root element is not a SOAP 1.2 Envelope",
	[-WSMAN_ERR_STRUCTURE] =
		"wsman: Header/Body missing, repeated or out of place",
	[-WSMAN_ERR_MISSING] = "wsman: a required header is missing",
	[-WSMAN_ERR_DUPLICATE] = "wsman: a header is given twice",
	[-WSMAN_ERR_TO] = "wsman: To is not the /wsman endpoint",
	[-WSMAN_ERR_REPLY_TO] = "wsman: ReplyTo Address is not anonymous",
	[-WSMAN_ERR_ACTION] =
		"wsman: unknown Action or not a method of the ResourceURI",
	[-WSMAN_ERR_RESOURCE_URI] =
		"wsman: ResourceURI is not an AMT_/CIM_/IPS_ class",
	[-WSMAN_ERR_BODY] = "wsman: Body element does not fit the Action",
	[-WSMAN_ERR_NAMESPACE] =
		"wsman: Body element is not in the ResourceURI namespace",
	[-WSMAN_ERR_TOO_MANY] = "wsman: too many selectors or properties",
	[-WSMAN_ERR_TOO_LONG] = "wsman: a name or value is too long",
	[-WSMAN_ERR_VALUE] = "wsman: a value does not parse",
	[-WSMAN_ERR_ARG] = "wsman: unusable name or value for an envelope",
	[-WSMAN_ERR_NOMEM] = "wsman: out of memory",
};

const char *wsman_strerror(int err)
{
	if (err > 0 || -err >= (int)(sizeof(error_text) / sizeof(*error_text)))
		return "wsman: unknown error";
	return error_text[-err];
}

/* ---- name/value pairs ----------------------------------------------- */

void wsman_pairs_clear(struct wsman_pairs *p)
{
	p->count = 0;
}

int wsman_copy_text(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);

	if (n >= cap)
		return WSMAN_ERR_TOO_LONG;
	memcpy(dst, src, n + 1);
	return WSMAN_OK;
}

static int set_pair(struct wsman_pair *p, const char *name, const char *value)
{
	if (!name || !*name || !value)
		return WSMAN_ERR_ARG;
	if (strlen(name) >= sizeof(p->name) ||
	    strlen(value) >= sizeof(p->value))
		return WSMAN_ERR_TOO_LONG;
	wsman_copy_text(p->name, sizeof(p->name), name);
	wsman_copy_text(p->value, sizeof(p->value), value);
	return WSMAN_OK;
}

int wsman_pairs_add(struct wsman_pairs *p, const char *name, const char *value)
{
	int err;

	if (p->count >= WSMAN_MAX_PAIRS)
		return WSMAN_ERR_TOO_MANY;
	err = set_pair(&p->pair[p->count], name, value);
	if (err == WSMAN_OK)
		p->count++;
	return err;
}

int wsman_pairs_set(struct wsman_pairs *p, const char *name, const char *value)
{
	size_t i;

	for (i = 0; i < p->count; i++)
		if (!strcmp(p->pair[i].name, name))
			return set_pair(&p->pair[i], name, value);
	return wsman_pairs_add(p, name, value);
}

const char *wsman_pairs_get(const struct wsman_pairs *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->count; i++)
		if (!strcmp(p->pair[i].name, name))
			return p->pair[i].value;
	return NULL;
}

/* ---- output buffer -------------------------------------------------- */

void wsman_buf_init(struct wsman_buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

/* Envelopes carry passwords and PPSs: no copy is left behind in freed
 * memory. */
void wsman_buf_reset(struct wsman_buf *b)
{
	if (b->data)
		explicit_bzero(b->data, b->len + 1);
	b->len = 0;
}

void wsman_buf_free(struct wsman_buf *b)
{
	if (b->data)
		explicit_bzero(b->data, b->cap);
	free(b->data);
	wsman_buf_init(b);
}

static int buf_put(struct wsman_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		char *p;

		while (cap < b->len + n + 1)
			cap *= 2;
		p = malloc(cap);
		if (!p)
			return WSMAN_ERR_NOMEM;
		if (b->data) {
			memcpy(p, b->data, b->len);
			explicit_bzero(b->data, b->cap);
			free(b->data);
		}
		b->data = p;
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
	return WSMAN_OK;
}

/* An envelope being written; after the first error nothing more is. */
struct writer {
	struct wsman_buf *b;
	int err;
};

static void put_raw(struct writer *w, const char *s, size_t n)
{
	if (!w->err)
		w->err = buf_put(w->b, s, n);
}

/*
 * Text escaped for element content and double-quoted attributes. Control
 * characters other than tab, LF and CR cannot appear in XML 1.0 at all.
 */
static void put_escaped(struct writer *w, const char *s)
{
	static const char *const entity[] = {
		['&'] = "&amp;",  ['<'] = "&lt;",  ['>'] = "&gt;",
		['"'] = "&quot;", ['\t'] = "&#9;", ['\n'] = "&#10;",
		['\r'] = "&#13;",
	};
	unsigned char c;

	for (; *s && !w->err; s++) {
		c = (unsigned char)*s;
		if (c < sizeof(entity) / sizeof(*entity) && entity[c])
			put_raw(w, entity[c], strlen(entity[c]));
		else if (c < 0x20)
			w->err = WSMAN_ERR_ARG;
		else
			put_raw(w, s, 1);
	}
}

/* printf-like with only %s (inserted as is) and %e (escaped) in fmt. */
static void emit(struct writer *w, const char *fmt, ...)
{
	const char *p, *arg;
	va_list ap;

	va_start(ap, fmt);
	while (*fmt && !w->err) {
		p = strchr(fmt, '%');
		if (!p) {
			put_raw(w, fmt, strlen(fmt));
			break;
		}
		put_raw(w, fmt, (size_t)(p - fmt));
		arg = va_arg(ap, const char *);
		if (p[1] == 'e')
			put_escaped(w, arg);
		else
			put_raw(w, arg, strlen(arg));
		fmt = p + 2;
	}
	va_end(ap);
}

/* An XML name without prefix, short enough for WSMAN_NAME_MAX. */
static bool is_plain_name(const char *s)
{
	size_t i;

	if (!s || !*s || strlen(s) >= WSMAN_NAME_MAX)
		return false;
	if (!(s[0] == '_' || (s[0] >= 'A' && s[0] <= 'Z') ||
	      (s[0] >= 'a' && s[0] <= 'z')))
		return false;
	for (i = 1; s[i]; i++)
		if (!(s[i] == '_' || s[i] == '-' || s[i] == '.' ||
		      (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9')))
			return false;
	return true;
}

static bool pairs_have_plain_names(const struct wsman_pairs *p)
{
	size_t i;

	for (i = 0; p && i < p->count; i++)
		if (!is_plain_name(p->pair[i].name))
			return false;
	return true;
}

/* <P:NAME>VALUE</P:NAME> for each pair. */
static void put_elements(struct writer *w, const char *prefix,
			 const struct wsman_pairs *p)
{
	size_t i;

	for (i = 0; p && i < p->count; i++)
		emit(w, "<%s:%s>%e</%s:%s>", prefix, p->pair[i].name,
		     p->pair[i].value, prefix, p->pair[i].name);
}

/* ---- resource URIs and message IDs --------------------------------- */

static const struct {
	const char *class_prefix;
	const char *uri_prefix;
} uri_prefixes[] = {
	{ "AMT_", WSMAN_URI_AMT },
	{ "CIM_", WSMAN_URI_CIM },
	{ "IPS_", WSMAN_URI_IPS },
};

bool wsman_is_class_name(const char *s)
{
	size_t i;

	if (!*s || strlen(s) >= WSMAN_NAME_MAX)
		return false;
	for (i = 0; s[i]; i++)
		if (!(s[i] == '_' || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9')))
			return false;
	return true;
}

int wsman_resource_uri(const char *class_name, char *out, size_t cap)
{
	size_t i;

	if (!class_name || !wsman_is_class_name(class_name))
		return WSMAN_ERR_RESOURCE_URI;
	for (i = 0; i < sizeof(uri_prefixes) / sizeof(*uri_prefixes); i++) {
		const char *cp = uri_prefixes[i].class_prefix;

		if (strncmp(class_name, cp, strlen(cp)) || !class_name[4])
			continue;
		if (strlen(uri_prefixes[i].uri_prefix) + strlen(class_name) >=
		    cap)
			return WSMAN_ERR_TOO_LONG;
		snprintf(out, cap, "%s%s", uri_prefixes[i].uri_prefix,
			 class_name);
		return WSMAN_OK;
	}
	return WSMAN_ERR_RESOURCE_URI;
}

int wsman_class_from_uri(const char *resource_uri, char *out, size_t cap)
{
	size_t i;

	for (i = 0; i < sizeof(uri_prefixes) / sizeof(*uri_prefixes); i++) {
		const char *up = uri_prefixes[i].uri_prefix;
		const char *cls = resource_uri + strlen(up);

		if (strncmp(resource_uri, up, strlen(up)))
			continue;
		if (strncmp(cls, uri_prefixes[i].class_prefix, 4) || !cls[4] ||
		    !wsman_is_class_name(cls))
			return WSMAN_ERR_RESOURCE_URI;
		return wsman_copy_text(out, cap, cls);
	}
	return WSMAN_ERR_RESOURCE_URI;
}

void wsman_amt_message_id(uint64_t counter, char *out, size_t cap)
{
	snprintf(out, cap, "uuid:00000000-8086-8086-8086-%012" PRIX64,
		 (uint64_t)(counter & 0xffffffffffffULL));
}

/* ---- client: requests ---------------------------------------------- */

/* Start a request: everything up to and including "</Header>". */
static void request_header(struct writer *w, const char *action,
			   const char *resource_uri, const char *message_id,
			   const struct wsman_pairs *selectors)
{
	size_t i;

	wsman_buf_reset(w->b);
	emit(w,
	     "<?xml version=\"1.0\" encoding=\"utf-8\"?><Envelope "
	     "xmlns:xsi=\"" WSMAN_NS_XSI "\" xmlns:xsd=\"" WSMAN_NS_XSD
	     "\" xmlns:a=\"" WSMAN_NS_ADDRESSING "\" xmlns:w=\"" WSMAN_NS_WSMAN
	     "\" xmlns=\"" WSMAN_NS_SOAP "\" ><Header><a:Action>%e</a:Action>"
	     "<a:To>" WSMAN_TO "</a:To><w:ResourceURI>%e</w:ResourceURI>"
	     "<a:MessageID>%e</a:MessageID><a:ReplyTo><a:Address>" WSMAN_ANONYMOUS
	     "</a:Address></a:ReplyTo>"
	     "<w:OperationTimeout>PT60S</w:OperationTimeout>",
	     action, resource_uri, message_id);
	if (selectors && selectors->count) {
		emit(w, "<w:SelectorSet>");
		for (i = 0; i < selectors->count; i++)
			emit(w, "<w:Selector Name=\"%e\">%e</w:Selector>",
			     selectors->pair[i].name, selectors->pair[i].value);
		emit(w, "</w:SelectorSet>");
	}
	emit(w, "</Header>");
}

/*
 * The checks every request builder makes; fills uri with the class's
 * resource URI.
 */
static int check_request(const char *class_name, const char *message_id,
			 const struct wsman_pairs *selectors, char *uri,
			 size_t cap)
{
	size_t i;
	int err;

	err = wsman_resource_uri(class_name, uri, cap);
	if (err)
		return err;
	if (!message_id || !*message_id || strlen(message_id) >= WSMAN_ID_MAX)
		return WSMAN_ERR_ARG;
	for (i = 0; selectors && i < selectors->count; i++)
		if (!selectors->pair[i].name[0])
			return WSMAN_ERR_ARG;
	return WSMAN_OK;
}

int wsman_build_get(struct wsman_buf *out, const char *class_name,
		    const char *message_id, const struct wsman_pairs *selectors)
{
	struct writer w = { out, 0 };
	char uri[WSMAN_URI_MAX];

	w.err = check_request(class_name, message_id, selectors, uri,
			      sizeof(uri));
	request_header(&w, WSMAN_ACTION_GET_URI, uri, message_id, selectors);
	emit(&w, "<Body /></Envelope>");
	return w.err;
}

/* Body <r:ELEMENT xmlns:r="URI">children</r:ELEMENT>, envelope end. */
static void class_body(struct writer *w, const char *element, const char *uri,
		       const struct wsman_pairs *children)
{
	emit(w, "<Body><r:%s xmlns:r=\"%e\">", element, uri);
	put_elements(w, "r", children);
	emit(w, "</r:%s></Body></Envelope>", element);
}

int wsman_build_put(struct wsman_buf *out, const char *class_name,
		    const char *message_id, const struct wsman_pairs *selectors,
		    const struct wsman_pairs *props)
{
	struct writer w = { out, 0 };
	char uri[WSMAN_URI_MAX];

	w.err = check_request(class_name, message_id, selectors, uri,
			      sizeof(uri));
	if (!w.err && !pairs_have_plain_names(props))
		w.err = WSMAN_ERR_ARG;
	request_header(&w, WSMAN_ACTION_PUT_URI, uri, message_id, selectors);
	class_body(&w, class_name, uri, props);
	return w.err;
}

int wsman_build_invoke(struct wsman_buf *out, const char *class_name,
		       const char *method, const char *message_id,
		       const struct wsman_pairs *selectors,
		       const struct wsman_pairs *params)
{
	char uri[WSMAN_URI_MAX], action[2 * WSMAN_URI_MAX];
	char input[WSMAN_NAME_MAX + 8];
	struct writer w = { out, 0 };

	w.err = check_request(class_name, message_id, selectors, uri,
			      sizeof(uri));
	if (!w.err && (!method || !wsman_is_class_name(method) ||
		       strlen(method) + sizeof("_OUTPUT") > WSMAN_NAME_MAX ||
		       !pairs_have_plain_names(params)))
		w.err = WSMAN_ERR_ARG;
	if (w.err)
		return w.err;
	snprintf(action, sizeof(action), "%s/%s", uri, method);
	snprintf(input, sizeof(input), "%s_INPUT", method);
	if (strlen(action) >= WSMAN_URI_MAX)
		return WSMAN_ERR_TOO_LONG;
	request_header(&w, action, uri, message_id, selectors);
	class_body(&w, input, uri, params);
	return w.err;
}

int wsman_build_enumerate(struct wsman_buf *out, const char *class_name,
			  const char *message_id)
{
	struct writer w = { out, 0 };
	char uri[WSMAN_URI_MAX];

	w.err = check_request(class_name, message_id, NULL, uri, sizeof(uri));
	request_header(&w, WSMAN_ACTION_ENUMERATE_URI, uri, message_id, NULL);
	emit(&w, "<Body><Enumerate xmlns=\"" WSMAN_NS_ENUMERATION
		 "\" /></Body></Envelope>");
	return w.err;
}

int wsman_build_pull(struct wsman_buf *out, const char *class_name,
		     const char *message_id, const char *context)
{
	struct writer w = { out, 0 };
	char uri[WSMAN_URI_MAX];

	w.err = check_request(class_name, message_id, NULL, uri, sizeof(uri));
	if (!w.err &&
	    (!context || !*context || strlen(context) >= WSMAN_ID_MAX))
		w.err = WSMAN_ERR_ARG;
	request_header(&w, WSMAN_ACTION_PULL_URI, uri, message_id, NULL);
	emit(&w,
	     "<Body><Pull xmlns=\"" WSMAN_NS_ENUMERATION "\">"
	     "<EnumerationContext>%e</EnumerationContext>"
	     "<MaxElements>999</MaxElements><MaxCharacters>99999"
	     "</MaxCharacters></Pull></Body></Envelope>",
	     context);
	return w.err;
}

/* ---- server: responses --------------------------------------------- */

#define RESPONSE_NAMESPACES                                                 \
	" xmlns:a=\"" WSMAN_NS_SOAP "\" xmlns:b=\"" WSMAN_NS_ADDRESSING     \
	"\" xmlns:c=\"" WSMAN_NS_WSMAN "\" xmlns:d=\"" WSMAN_NS_TRANSFER    \
	"\" xmlns:e=\"" WSMAN_NS_ENUMERATION "\" xmlns:xsi=\"" WSMAN_NS_XSI \
	"\""

/* Envelope start and Header; resource_uri NULL for a fault. */
static void response_header(struct writer *w, const char *action,
			    const char *relates_to, const char *message_id,
			    const char *resource_uri)
{
	wsman_buf_reset(w->b);
	emit(w,
	     "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a:Envelope" RESPONSE_NAMESPACES);
	if (resource_uri)
		emit(w, " xmlns:g=\"%e\"", resource_uri);
	emit(w, "><a:Header><b:To>" WSMAN_ANONYMOUS "</b:To>");
	if (relates_to && *relates_to)
		emit(w, "<b:RelatesTo>%e</b:RelatesTo>", relates_to);
	emit(w,
	     "<b:Action a:mustUnderstand=\"true\">%e</b:Action>"
	     "<b:MessageID>%e</b:MessageID>",
	     action, message_id);
	if (resource_uri)
		emit(w, "<c:ResourceURI>%e</c:ResourceURI>", resource_uri);
	emit(w, "</a:Header>");
}

/* Body <g:ELEMENT>[ReturnValue]props</g:ELEMENT>, then the envelope end. */
static void response_body(struct writer *w, const char *element,
			  const char *return_value,
			  const struct wsman_pairs *props)
{
	if (!w->err && !pairs_have_plain_names(props))
		w->err = WSMAN_ERR_ARG;
	emit(w, "<a:Body><g:%s>", element);
	if (return_value)
		emit(w, "<g:ReturnValue>%s</g:ReturnValue>", return_value);
	put_elements(w, "g", props);
	emit(w, "</g:%s></a:Body></a:Envelope>", element);
}

static int instance_response(struct wsman_buf *out, const char *action,
			     const struct wsman_request *req,
			     const char *message_id,
			     const struct wsman_pairs *props)
{
	struct writer w = { out, 0 };

	if (!wsman_is_class_name(req->class_name) || !message_id)
		return WSMAN_ERR_ARG;
	response_header(&w, action, req->message_id, message_id,
			req->resource_uri);
	response_body(&w, req->class_name, NULL, props);
	return w.err;
}

int wsman_build_get_response(struct wsman_buf *out,
			     const struct wsman_request *req,
			     const char *message_id,
			     const struct wsman_pairs *props)
{
	return instance_response(out, WSMAN_ACTION_GET_RESPONSE_URI, req,
				 message_id, props);
}

int wsman_build_put_response(struct wsman_buf *out,
			     const struct wsman_request *req,
			     const char *message_id,
			     const struct wsman_pairs *props)
{
	return instance_response(out, WSMAN_ACTION_PUT_RESPONSE_URI, req,
				 message_id, props);
}

int wsman_build_invoke_response(struct wsman_buf *out,
				const struct wsman_request *req,
				const char *message_id, uint32_t return_value,
				const struct wsman_pairs *outputs)
{
	char action[2 * WSMAN_URI_MAX], element[WSMAN_NAME_MAX + 8], rv[16];
	struct writer w = { out, 0 };

	if (!wsman_is_class_name(req->method) || !message_id)
		return WSMAN_ERR_ARG;
	snprintf(action, sizeof(action), "%s/%sResponse", req->resource_uri,
		 req->method);
	snprintf(element, sizeof(element), "%s_OUTPUT", req->method);
	snprintf(rv, sizeof(rv), "%" PRIu32, return_value);
	response_header(&w, action, req->message_id, message_id,
			req->resource_uri);
	response_body(&w, element, rv, outputs);
	return w.err;
}

static const struct {
	const char *code; /* a: SOAP */
	const char *subcode; /* prefixed QName */
	const char *action;
	const char *reason;
} fault_kinds[] = {
	[WSMAN_FAULT_ACTION_NOT_SUPPORTED] = { "a:Sender",
					       "b:ActionNotSupported",
					       WSMAN_ACTION_ADDRESSING_FAULT,
					       "The action is not supported by the service." },
	[WSMAN_FAULT_DESTINATION_UNREACHABLE] = { "a:Sender",
						  "b:DestinationUnreachable",
						  WSMAN_ACTION_ADDRESSING_FAULT,
						  "No route can be determined to reach the destination role "
						  "defined by the WS-Addressing To." },
	[WSMAN_FAULT_INVALID_SELECTORS] = { "a:Sender", "c:InvalidSelectors",
					    WSMAN_ACTION_WSMAN_FAULT,
					    "The Selectors for the resource were not valid." },
	[WSMAN_FAULT_SCHEMA_VALIDATION] = { "a:Sender",
					    "c:SchemaValidationError",
					    WSMAN_ACTION_WSMAN_FAULT,
					    "The supplied SOAP violates the corresponding XML Schema "
					    "definition." },
	[WSMAN_FAULT_INVALID_REPRESENTATION] = { "a:Sender",
						 "d:InvalidRepresentation",
						 WSMAN_ACTION_WSMAN_FAULT,
						 "The XML content is invalid." },
	[WSMAN_FAULT_ACCESS_DENIED] = { "a:Sender", "c:AccessDenied",
					WSMAN_ACTION_WSMAN_FAULT,
					"The sender was not authorized to access the resource." },
	[WSMAN_FAULT_INTERNAL_ERROR] = { "a:Receiver", "c:InternalError",
					 WSMAN_ACTION_WSMAN_FAULT,
					 "The service cannot comply with the request due to internal "
					 "processing errors." },
};

const char *wsman_fault_subcode(enum wsman_fault_kind kind)
{
	if ((size_t)kind >= sizeof(fault_kinds) / sizeof(*fault_kinds))
		return "";
	return strchr(fault_kinds[kind].subcode, ':') + 1;
}

int wsman_build_fault(struct wsman_buf *out, enum wsman_fault_kind kind,
		      const char *relates_to, const char *message_id,
		      const char *reason)
{
	struct writer w = { out, 0 };

	if ((size_t)kind >= sizeof(fault_kinds) / sizeof(*fault_kinds) ||
	    !message_id)
		return WSMAN_ERR_ARG;
	response_header(&w, fault_kinds[kind].action, relates_to, message_id,
			NULL);
	emit(&w,
	     "<a:Body><a:Fault><a:Code><a:Value>%s</a:Value><a:Subcode>"
	     "<a:Value>%s</a:Value></a:Subcode></a:Code><a:Reason>"
	     "<a:Text xml:lang=\"en-US\">%e</a:Text></a:Reason></a:Fault>"
	     "</a:Body></a:Envelope>",
	     fault_kinds[kind].code, fault_kinds[kind].subcode,
	     reason ? reason : fault_kinds[kind].reason);
	return w.err;
}

enum wsman_fault_kind wsman_fault_for_error(int err)
{
	switch (err) {
	case WSMAN_ERR_ACTION:
		return WSMAN_FAULT_ACTION_NOT_SUPPORTED;
	case WSMAN_ERR_RESOURCE_URI:
	case WSMAN_ERR_TO:
		return WSMAN_FAULT_DESTINATION_UNREACHABLE;
	case WSMAN_ERR_NOMEM:
		return WSMAN_FAULT_INTERNAL_ERROR;
	default:
		return WSMAN_FAULT_SCHEMA_VALIDATION;
	}
}

/* Here rather than in a file of its own: every user of the names links
 * wsman.o. */
const char *amt_pt_status_name(unsigned int status)
{
	static const struct {
		unsigned int code;
		const char *name;
	} names[] = {
		{ AMT_STATUS_SUCCESS, "SUCCESS" },
		{ AMT_STATUS_INTERNAL_ERROR, "INTERNAL_ERROR" },
		{ AMT_STATUS_NOT_PERMITTED, "NOT_PERMITTED" },
		{ AMT_STATUS_MAX_LIMIT_REACHED, "MAX_LIMIT_REACHED" },
		{ AMT_STATUS_AUTHENTICATION_FAILED, "AUTHENTICATION_FAILED" },
		{ AMT_STATUS_INVALID_PROVISIONING_STATE,
		  "INVALID_PROVISIONING_STATE" },
		{ AMT_STATUS_INVALID_PARAMETER, "INVALID_PARAMETER" },
		{ AMT_STATUS_FLASH_WRITE_LIMIT_EXCEEDED,
		  "FLASH_WRITE_LIMIT_EXCEEDED" },
		{ AMT_STATUS_INVALID_PID_FORMAT, "INVALID_PID_FORMAT" },
		{ AMT_STATUS_INVALID_PPS_FORMAT, "INVALID_PPS_FORMAT" },
		{ AMT_STATUS_INVALID_PASSWORD, "INVALID_PASSWORD" },
		{ AMT_STATUS_DATA_MISSING, "DATA_MISSING" },
		{ AMT_STATUS_DUPLICATE, "DUPLICATE" },
		{ AMT_STATUS_INVALID_KEY, "INVALID_KEY" },
		{ AMT_STATUS_INVALID_CERT, "INVALID_CERT" },
		{ AMT_STATUS_CERT_KEY_NOT_MATCH, "CERT_KEY_NOT_MATCH" },
		{ AMT_STATUS_BLOCKING_COMPONENT, "BLOCKING_COMPONENT" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (names[i].code == status)
			return names[i].name;
	return "UNKNOWN";
}
