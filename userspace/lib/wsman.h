/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * WS-Management over SOAP 1.2 (DSP0226 1.0 as Intel AMT speaks it), built
 * and parsed with libxml2, both directions:
 *
 *   client (the SCA): wsman_build_get/put/invoke/enumerate/pull make a
 *   request envelope; wsman_parse_response() reads the device's answer.
 *
 *   server (amtsim): wsman_parse_request() reads and checks a request;
 *   wsman_build_get_response/put_response/invoke_response/fault answer it.
 *
 * Parsing is namespace-aware (prefixes never matter), never touches the
 * network, loads no DTD, expands no entity, refuses any DOCTYPE, and caps
 * the input size (WSMAN_MAX_ENVELOPE) and element depth (WSMAN_MAX_DEPTH).
 * Names and values are kept in fixed-size arrays (struct wsman_pairs):
 * anything longer or more numerous is an error, never truncated.
 *
 * Class names map to resource URIs by prefix: AMT_ -> intel amt-schema,
 * CIM_ -> DMTF cim-schema, IPS_ -> intel ips-schema (amt-protocol.md 5.2).
 */
#ifndef AMTSCA_WSMAN_H
#define AMTSCA_WSMAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Namespaces and fixed URIs. */
#define WSMAN_NS_SOAP "http://www.w3.org/2003/05/soap-envelope"
#define WSMAN_NS_ADDRESSING "http://schemas.xmlsoap.org/ws/2004/08/addressing"
#define WSMAN_NS_WSMAN "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd"
#define WSMAN_NS_TRANSFER "http://schemas.xmlsoap.org/ws/2004/09/transfer"
#define WSMAN_NS_ENUMERATION "http://schemas.xmlsoap.org/ws/2004/09/enumeration"
#define WSMAN_NS_XSI "http://www.w3.org/2001/XMLSchema-instance"
#define WSMAN_NS_XSD "http://www.w3.org/2001/XMLSchema"
#define WSMAN_ANONYMOUS \
	"http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous"
#define WSMAN_TO "/wsman"

#define WSMAN_URI_AMT "http://intel.com/wbem/wscim/1/amt-schema/1/"
#define WSMAN_URI_CIM "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/"
#define WSMAN_URI_IPS "http://intel.com/wbem/wscim/1/ips-schema/1/"

#define WSMAN_ACTION_GET_URI WSMAN_NS_TRANSFER "/Get"
#define WSMAN_ACTION_PUT_URI WSMAN_NS_TRANSFER "/Put"
#define WSMAN_ACTION_GET_RESPONSE_URI WSMAN_NS_TRANSFER "/GetResponse"
#define WSMAN_ACTION_PUT_RESPONSE_URI WSMAN_NS_TRANSFER "/PutResponse"
#define WSMAN_ACTION_ENUMERATE_URI WSMAN_NS_ENUMERATION "/Enumerate"
#define WSMAN_ACTION_PULL_URI WSMAN_NS_ENUMERATION "/Pull"
#define WSMAN_ACTION_ENUMERATE_RESPONSE_URI \
	WSMAN_NS_ENUMERATION "/EnumerateResponse"
#define WSMAN_ACTION_PULL_RESPONSE_URI WSMAN_NS_ENUMERATION "/PullResponse"
#define WSMAN_ACTION_ADDRESSING_FAULT WSMAN_NS_ADDRESSING "/fault"
#define WSMAN_ACTION_WSMAN_FAULT \
	"http://schemas.dmtf.org/wbem/wsman/1/wsman/fault"

/* Limits. */
#define WSMAN_MAX_ENVELOPE (64 * 1024) /* bytes of one envelope */
#define WSMAN_MAX_DEPTH 16 /* element nesting */
#define WSMAN_MAX_PAIRS 40 /* selectors, params or properties */
#define WSMAN_NAME_MAX 64 /* element / class / method name, + NUL */
#define WSMAN_VALUE_MAX 512 /* one value, + NUL */
#define WSMAN_URI_MAX 256 /* Action, ResourceURI, namespaces, + NUL */
#define WSMAN_ID_MAX 128 /* MessageID, RelatesTo, enum context, + NUL */
#define WSMAN_TEXT_MAX 256 /* fault reason, + NUL */

enum wsman_err {
	WSMAN_OK = 0,
	WSMAN_ERR_TOO_LARGE = -1, /* input over WSMAN_MAX_ENVELOPE */
	WSMAN_ERR_XML = -2, /* not well-formed XML */
	WSMAN_ERR_DTD = -3, /* a DOCTYPE / DTD / entity declaration */
	WSMAN_ERR_DEPTH = -4, /* elements nested over WSMAN_MAX_DEPTH */
	WSMAN_ERR_ENVELOPE = -5, /* root is not a SOAP 1.2 Envelope */
	WSMAN_ERR_STRUCTURE = -6, /* Header/Body missing, repeated, extra */
	WSMAN_ERR_MISSING = -7, /* a required header is absent */
	WSMAN_ERR_DUPLICATE = -8, /* a header given twice */
	WSMAN_ERR_TO = -9, /* wsa:To is not the /wsman endpoint */
	WSMAN_ERR_REPLY_TO = -10, /* ReplyTo/Address is not anonymous */
	WSMAN_ERR_ACTION = -11, /* unknown Action, or not the ResourceURI's */
	WSMAN_ERR_RESOURCE_URI = -12, /* no AMT_/CIM_/IPS_ class URI */
	WSMAN_ERR_BODY = -13, /* body element does not fit the Action */
	WSMAN_ERR_NAMESPACE = -14, /* body element in the wrong namespace */
	WSMAN_ERR_TOO_MANY = -15, /* more than WSMAN_MAX_PAIRS entries */
	WSMAN_ERR_TOO_LONG = -16, /* a name or value over its cap */
	WSMAN_ERR_VALUE = -17, /* a number or boolean that does not parse */
	WSMAN_ERR_ARG = -18, /* builder argument not usable (bad name) */
	WSMAN_ERR_NOMEM = -19,
};

/* One line describing err ("wsman: ..."). */
const char *wsman_strerror(int err);

/* A name/value pair; names are element local names (no prefix). */
struct wsman_pair {
	char name[WSMAN_NAME_MAX];
	char value[WSMAN_VALUE_MAX];
};

/* Ordered list; a name may repeat (array properties). */
struct wsman_pairs {
	size_t count;
	struct wsman_pair pair[WSMAN_MAX_PAIRS];
};

void wsman_pairs_clear(struct wsman_pairs *p);
/* Append; WSMAN_ERR_TOO_MANY / WSMAN_ERR_TOO_LONG / WSMAN_ERR_ARG. */
int wsman_pairs_add(struct wsman_pairs *p, const char *name, const char *value);
/* Replace the first pair called name, or append it. */
int wsman_pairs_set(struct wsman_pairs *p, const char *name, const char *value);
/* Value of the first pair called name, or NULL. */
const char *wsman_pairs_get(const struct wsman_pairs *p, const char *name);

/*
 * Growable output buffer; data is NUL-terminated after each builder. Its
 * bytes are wiped when it is reset, grown or freed (request bodies carry
 * passwords and PPSs).
 */
struct wsman_buf {
	char *data;
	size_t len;
	size_t cap;
};

void wsman_buf_init(struct wsman_buf *b);
void wsman_buf_reset(struct wsman_buf *b); /* wiped, len = 0, memory kept */
void wsman_buf_free(struct wsman_buf *b);

/*
 * Resource URI for a class name by its prefix (AMT_, CIM_, IPS_); the class
 * name must be [A-Za-z0-9_]. Returns WSMAN_OK, WSMAN_ERR_RESOURCE_URI or
 * WSMAN_ERR_TOO_LONG.
 */
int wsman_resource_uri(const char *class_name, char *out, size_t cap);

/*
 * Class name at the end of a resource URI with a known prefix, written into
 * out; WSMAN_ERR_RESOURCE_URI for any other URI.
 */
int wsman_class_from_uri(const char *resource_uri, char *out, size_t cap);

/*
 * Device-style MessageID "uuid:00000000-8086-8086-8086-<12 hex>" from a
 * counter (low 48 bits, uppercase hex, as AMT sends). out >= 48 bytes.
 */
void wsman_amt_message_id(uint64_t counter, char *out, size_t cap);

/* ---- client: requests ---------------------------------------------- */

/*
 * Every builder writes one complete envelope into out (replacing what was
 * there) with the header order MeshCentral and Open AMT use: Action, To
 * (/wsman), ResourceURI, MessageID, ReplyTo (anonymous), OperationTimeout
 * (PT60S), then SelectorSet when selectors is non-NULL and non-empty.
 * message_id is sent as given (MeshCentral: a plain counter "1", "2"...).
 * Names must be XML names without a prefix; values are escaped.
 */
int wsman_build_get(struct wsman_buf *out, const char *class_name,
		    const char *message_id,
		    const struct wsman_pairs *selectors);

/*
 * Put: body <r:CLASS xmlns:r=URI> with one <r:NAME>VALUE</r:NAME> per pair
 * of props, in order (the full instance, as read by a Get and modified).
 */
int wsman_build_put(struct wsman_buf *out, const char *class_name,
		    const char *message_id, const struct wsman_pairs *selectors,
		    const struct wsman_pairs *props);

/*
 * Invoke: Action URI/METHOD, body <r:METHOD_INPUT xmlns:r=URI> with one
 * <r:NAME>VALUE</r:NAME> per pair of params (params may be NULL: empty
 * input, as CommitChanges).
 */
int wsman_build_invoke(struct wsman_buf *out, const char *class_name,
		       const char *method, const char *message_id,
		       const struct wsman_pairs *selectors,
		       const struct wsman_pairs *params);

/* Enumerate: body <Enumerate/> in the enumeration namespace. */
int wsman_build_enumerate(struct wsman_buf *out, const char *class_name,
			  const char *message_id);

/*
 * Pull with an enumeration context from an Enumerate/Pull response,
 * MaxElements 999 and MaxCharacters 99999 as MeshCentral sends.
 */
int wsman_build_pull(struct wsman_buf *out, const char *class_name,
		     const char *message_id, const char *context);

/* ---- client: responses --------------------------------------------- */

/* A SOAP fault, from a response or to be sent. */
struct wsman_fault {
	char code[WSMAN_NAME_MAX]; /* local name: "Sender" / "Receiver" */
	char subcode[WSMAN_NAME_MAX]; /* local name: "ActionNotSupported" */
	char subcode_ns[WSMAN_URI_MAX]; /* namespace of the subcode QName */
	/* Reason/Text and the text of Detail ("" when absent), both cut to
	 * WSMAN_TEXT_MAX - 1 bytes rather than refused. */
	char reason[WSMAN_TEXT_MAX];
	char detail[WSMAN_TEXT_MAX];
};

/* About 25 KiB (the props array): fine on a thread stack, not in bulk. */
struct wsman_response {
	char action[WSMAN_URI_MAX]; /* "" when absent */
	char message_id[WSMAN_ID_MAX];
	char relates_to[WSMAN_ID_MAX]; /* "" when absent */
	char resource_uri[WSMAN_URI_MAX]; /* "" when absent */
	/* First body element: "AMT_GeneralSettings", "CommitChanges_OUTPUT",
	 * "Fault", "EnumerateResponse", "PullResponse"; "" for an empty body. */
	char body_name[WSMAN_NAME_MAX];
	char body_ns[WSMAN_URI_MAX];
	bool is_fault;
	struct wsman_fault fault; /* when is_fault */
	bool has_return_value;
	uint32_t return_value; /* ReturnValue of a *_OUTPUT */
	/*
	 * Children of the body element that hold only text, by local name
	 * (for a PullResponse: of the first item in Items). Children with
	 * element content (EPRs) are listed with the text of their first
	 * Selector, or "" when they have none.
	 */
	struct wsman_pairs props;
	char enum_context[WSMAN_ID_MAX]; /* Enumerate/PullResponse, or "" */
	bool end_of_sequence; /* PullResponse EndOfSequence present */
	unsigned int items; /* PullResponse: number of items */
};

/*
 * Parse a device's answer (any HTTP status: faults come with 500). The
 * envelope must be SOAP 1.2 with a Header and a Body; header fields are
 * optional here (an SCA should not depend on them, amt-protocol.md 5.2).
 */
int wsman_parse_response(const char *xml, size_t len, struct wsman_response *r);

/* Property of r->props by local name, or NULL. */
const char *wsman_response_get(const struct wsman_response *r,
			       const char *name);

/* ---- server: requests ---------------------------------------------- */

enum wsman_action {
	WSMAN_ACTION_NONE = 0,
	WSMAN_ACTION_GET,
	WSMAN_ACTION_PUT,
	WSMAN_ACTION_INVOKE,
	WSMAN_ACTION_ENUMERATE,
	WSMAN_ACTION_PULL,
};

/* About 47 KiB (two pair arrays): fine on a thread stack, not in bulk. */
struct wsman_request {
	enum wsman_action action;
	char action_uri[WSMAN_URI_MAX];
	char resource_uri[WSMAN_URI_MAX];
	char class_name[WSMAN_NAME_MAX]; /* from resource_uri */
	char method[WSMAN_NAME_MAX]; /* Invoke only, else "" */
	char message_id[WSMAN_ID_MAX];
	struct wsman_pairs selectors; /* SelectorSet, by Name attribute */
	/* Invoke: children of METHOD_INPUT; Put: the instance properties. */
	struct wsman_pairs params;
	char enum_context[WSMAN_ID_MAX]; /* Pull only */
};

/*
 * Parse and check a request. Required headers: Action, To (exactly
 * "/wsman" or an http(s) URL whose path is /wsman), ResourceURI (a known
 * class prefix), MessageID, ReplyTo/Address (anonymous). Action must be
 * transfer Get/Put, enumeration Enumerate/Pull, or ResourceURI + "/" +
 * METHOD; an Invoke body must be one METHOD_INPUT element whose namespace
 * is the ResourceURI, a Put body one CLASS element in that namespace.
 * On error, req->message_id still holds the MessageID when it was read
 * (for the fault's RelatesTo).
 */
int wsman_parse_request(const char *xml, size_t len, struct wsman_request *req);

/* ---- server: responses --------------------------------------------- */

/*
 * Responses use the device's prefixes (a: SOAP, b: addressing, c: wsman,
 * d: transfer, e: enumeration, g: class namespace) and header order: To (anonymous), RelatesTo (the
 * request's MessageID), Action (mustUnderstand), MessageID (message_id,
 * see wsman_amt_message_id), ResourceURI.
 */

/* transfer/GetResponse with body <g:CLASS> holding props in order. */
int wsman_build_get_response(struct wsman_buf *out,
			     const struct wsman_request *req,
			     const char *message_id,
			     const struct wsman_pairs *props);

/* transfer/PutResponse with body <g:CLASS> holding props in order. */
int wsman_build_put_response(struct wsman_buf *out,
			     const struct wsman_request *req,
			     const char *message_id,
			     const struct wsman_pairs *props);

/*
 * Action URI/METHODResponse, body <g:METHOD_OUTPUT> with
 * <g:ReturnValue>return_value</g:ReturnValue> then outputs (may be NULL).
 */
int wsman_build_invoke_response(struct wsman_buf *out,
				const struct wsman_request *req,
				const char *message_id, uint32_t return_value,
				const struct wsman_pairs *outputs);

/* The faults a device sends (HTTP 500 with the SOAP Fault body). */
enum wsman_fault_kind {
	WSMAN_FAULT_ACTION_NOT_SUPPORTED, /* wsa, Sender */
	WSMAN_FAULT_DESTINATION_UNREACHABLE, /* wsa, Sender */
	WSMAN_FAULT_INVALID_SELECTORS, /* wsman, Sender */
	WSMAN_FAULT_SCHEMA_VALIDATION, /* wsman SchemaValidationError, Sender */
	WSMAN_FAULT_INVALID_REPRESENTATION, /* transfer, Sender */
	WSMAN_FAULT_ACCESS_DENIED, /* wsman, Sender */
	WSMAN_FAULT_INTERNAL_ERROR, /* wsman, Receiver */
};

/*
 * A SOAP 1.2 Fault of the given kind: header To (anonymous), RelatesTo
 * (relates_to, omitted when NULL or ""), Action (the addressing or wsman
 * fault action), MessageID. reason NULL uses the kind's standard text.
 */
int wsman_build_fault(struct wsman_buf *out, enum wsman_fault_kind kind,
		      const char *relates_to, const char *message_id,
		      const char *reason);

/* Subcode local name of a fault kind ("ActionNotSupported", ...). */
const char *wsman_fault_subcode(enum wsman_fault_kind kind);

/*
 * The fault a server answers a wsman_parse_request() error with:
 * ERR_ACTION -> ActionNotSupported, ERR_RESOURCE_URI and ERR_TO ->
 * DestinationUnreachable, anything else -> SchemaValidationError.
 */
enum wsman_fault_kind wsman_fault_for_error(int err);

#endif /* AMTSCA_WSMAN_H */
