// SPDX-License-Identifier: GPL-2.0-only
/*
 * WS-Management envelopes: the builders write text directly (exact bytes,
 * every value escaped), the parsers read with libxml2 into a tree and walk
 * it by namespace URI and local name.
 */
#include "wsman.h"
#include "amt_wsman_names.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

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

static int copy_text(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);

	if (n >= cap)
		return WSMAN_ERR_TOO_LONG;
	memcpy(dst, src, n + 1);
	return WSMAN_OK;
}

/* Copy at most cap - 1 bytes of src. */
static void copy_cut(char *dst, size_t cap, const char *src)
{
	size_t n = strnlen(src, cap - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static int set_pair(struct wsman_pair *p, const char *name, const char *value)
{
	if (!name || !*name || !value)
		return WSMAN_ERR_ARG;
	if (strlen(name) >= sizeof(p->name) ||
	    strlen(value) >= sizeof(p->value))
		return WSMAN_ERR_TOO_LONG;
	copy_text(p->name, sizeof(p->name), name);
	copy_text(p->value, sizeof(p->value), value);
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

void wsman_buf_reset(struct wsman_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void wsman_buf_free(struct wsman_buf *b)
{
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
		p = realloc(b->data, cap);
		if (!p)
			return WSMAN_ERR_NOMEM;
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
		else if (c < 0x20 || c == 0x7f)
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

static bool is_class_name(const char *s)
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

	if (!class_name || !is_class_name(class_name))
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
		    !is_class_name(cls))
			return WSMAN_ERR_RESOURCE_URI;
		return copy_text(out, cap, cls);
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
	if (!w.err && (!method || !is_class_name(method) ||
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

/* ---- parsing: shared ------------------------------------------------ */

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init(void)
{
	xmlInitParser();
}

static bool is_elem(const xmlNode *n, const char *ns, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
	       !strcmp((const char *)n->ns->href, ns) &&
	       !strcmp((const char *)n->name, name);
}

static const char *elem_ns(const xmlNode *n)
{
	return n->ns && n->ns->href ? (const char *)n->ns->href : "";
}

static xmlNode *next_elem(xmlNode *n)
{
	while (n && n->type != XML_ELEMENT_NODE)
		n = n->next;
	return n;
}

static xmlNode *first_child_elem(const xmlNode *n)
{
	return next_elem(n->children);
}

static bool is_blank_text(const xmlNode *n)
{
	const xmlChar *p;

	if (n->type == XML_COMMENT_NODE || n->type == XML_PI_NODE)
		return true;
	if (n->type != XML_TEXT_NODE && n->type != XML_CDATA_SECTION_NODE)
		return false;
	for (p = n->content; p && *p; p++)
		if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			return false;
	return true;
}

/* Only blank text, comments and PIs between the elements of n. */
static bool only_elements(const xmlNode *n)
{
	const xmlNode *c;

	for (c = n->children; c; c = c->next)
		if (c->type != XML_ELEMENT_NODE && !is_blank_text(c))
			return false;
	return true;
}

/*
 * Depth cap and no entity references anywhere (there is no DTD to declare
 * one, but an undeclared reference survives parsing as a node).
 */
static int check_tree(const xmlNode *n, int depth)
{
	int err;

	for (; n; n = n->next) {
		if (n->type == XML_ENTITY_REF_NODE ||
		    n->type == XML_ENTITY_DECL || n->type == XML_DTD_NODE)
			return WSMAN_ERR_DTD;
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (depth >= WSMAN_MAX_DEPTH)
			return WSMAN_ERR_DEPTH;
		err = check_tree(n->children, depth + 1);
		if (err)
			return err;
	}
	return WSMAN_OK;
}

/* Parse xml into *doc and find Header (may be NULL) and Body. */
static int read_envelope(const char *xml, size_t len, xmlDoc **doc,
			 xmlNode **header, xmlNode **body)
{
	xmlNode *root, *n;
	int err;

	*doc = NULL;
	if (len > WSMAN_MAX_ENVELOPE)
		return WSMAN_ERR_TOO_LARGE;
	if (!len)
		return WSMAN_ERR_XML;
	/* Refused before libxml2 sees them: no DTD, so no entity either. */
	if (memmem(xml, len, "<!DOCTYPE", 9) || memmem(xml, len, "<!ENTITY", 8))
		return WSMAN_ERR_DTD;
	pthread_once(&xml_once, xml_init);
	/* No NOENT (no entity substitution), no DTDLOAD/DTDATTR. */
	*doc = xmlReadMemory(xml, (int)len, NULL, NULL,
			     XML_PARSE_NONET | XML_PARSE_NOERROR |
				     XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
	if (!*doc)
		return WSMAN_ERR_XML;
	if ((*doc)->intSubset || (*doc)->extSubset)
		return WSMAN_ERR_DTD;
	root = xmlDocGetRootElement(*doc);
	err = check_tree(root, 0);
	if (err)
		return err;
	if (!is_elem(root, WSMAN_NS_SOAP, "Envelope"))
		return WSMAN_ERR_ENVELOPE;
	if (!only_elements(root))
		return WSMAN_ERR_STRUCTURE;
	*header = NULL;
	*body = NULL;
	n = first_child_elem(root);
	if (is_elem(n, WSMAN_NS_SOAP, "Header")) {
		*header = n;
		n = next_elem(n->next);
	}
	if (!is_elem(n, WSMAN_NS_SOAP, "Body") || next_elem(n->next))
		return WSMAN_ERR_STRUCTURE;
	*body = n;
	return WSMAN_OK;
}

/* Text content of n, trimmed of XML white space when trim, into out. */
static int node_text(const xmlNode *n, bool trim, char *out, size_t cap)
{
	xmlChar *content = xmlNodeGetContent(n);
	const char *s, *e;
	size_t len;

	if (!content)
		return WSMAN_ERR_NOMEM;
	s = (const char *)content;
	e = s + strlen(s);
	while (trim && s < e && strchr(" \t\r\n", *s))
		s++;
	while (trim && e > s && strchr(" \t\r\n", e[-1]))
		e--;
	len = (size_t)(e - s);
	if (len >= cap) {
		xmlFree(content);
		return WSMAN_ERR_TOO_LONG;
	}
	memcpy(out, s, len);
	out[len] = '\0';
	xmlFree(content);
	return WSMAN_OK;
}

/* Like node_text with trim, but cut to cap (fault texts). */
static void node_text_cut(const xmlNode *n, char *out, size_t cap)
{
	xmlChar *content = xmlNodeGetContent(n);
	const char *s = content ? (const char *)content : "";
	size_t len;

	while (*s && strchr(" \t\r\n", *s))
		s++;
	len = strlen(s);
	while (len && strchr(" \t\r\n", s[len - 1]))
		len--;
	if (len >= cap)
		len = cap - 1;
	memcpy(out, s, len);
	out[len] = '\0';
	xmlFree(content);
}

/* Read a header once: WSMAN_ERR_DUPLICATE when *seen already. */
static int header_text(const xmlNode *n, bool *seen, char *out, size_t cap)
{
	if (*seen)
		return WSMAN_ERR_DUPLICATE;
	*seen = true;
	return node_text(n, true, out, cap);
}

/* First descendant element called Selector (any namespace), or NULL. */
static const xmlNode *find_selector(const xmlNode *n)
{
	const xmlNode *c, *found;

	for (c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!strcmp((const char *)c->name, "Selector"))
			return c;
		found = find_selector(c);
		if (found)
			return found;
	}
	return NULL;
}

/*
 * One pair per child element of parent: the local name and its text, or
 * for element content (an EPR) the text of its first Selector.
 */
static int collect_props(const xmlNode *parent, struct wsman_pairs *out)
{
	const xmlNode *c, *sel;
	struct wsman_pair *p;
	int err;

	wsman_pairs_clear(out);
	if (!only_elements(parent) && first_child_elem(parent))
		return WSMAN_ERR_BODY;
	for (c = first_child_elem(parent); c; c = next_elem(c->next)) {
		if (out->count >= WSMAN_MAX_PAIRS)
			return WSMAN_ERR_TOO_MANY;
		p = &out->pair[out->count];
		err = copy_text(p->name, sizeof(p->name),
				(const char *)c->name);
		if (err)
			return err;
		if (first_child_elem(c)) {
			sel = find_selector(c);
			p->value[0] = '\0';
			err = sel ? node_text(sel, true, p->value,
					      sizeof(p->value)) :
				    WSMAN_OK;
		} else {
			err = node_text(c, false, p->value, sizeof(p->value));
		}
		if (err)
			return err;
		out->count++;
	}
	return WSMAN_OK;
}

/* ---- client: responses --------------------------------------------- */

/* Local part of the QName in n's text; namespace resolved at n. */
static void read_qname(xmlDoc *doc, xmlNode *n, char *local, size_t lcap,
		       char *ns, size_t nscap)
{
	char text[WSMAN_URI_MAX];
	const char *colon;
	xmlNs *xns;

	node_text_cut(n, text, sizeof(text));
	colon = strchr(text, ':');
	if (ns)
		ns[0] = '\0';
	if (colon) {
		text[colon - text] = '\0';
		xns = xmlSearchNs(doc, n, (const xmlChar *)text);
		if (ns && xns && xns->href)
			copy_cut(ns, nscap, (const char *)xns->href);
		copy_cut(local, lcap, colon + 1);
	} else {
		copy_cut(local, lcap, text);
	}
}

static void parse_fault(xmlDoc *doc, xmlNode *fault, struct wsman_fault *f)
{
	xmlNode *c, *v;

	memset(f, 0, sizeof(*f));
	for (c = first_child_elem(fault); c; c = next_elem(c->next)) {
		if (is_elem(c, WSMAN_NS_SOAP, "Code")) {
			for (v = first_child_elem(c); v; v = next_elem(v->next))
				if (is_elem(v, WSMAN_NS_SOAP, "Value"))
					read_qname(doc, v, f->code,
						   sizeof(f->code), NULL, 0);
				else if (is_elem(v, WSMAN_NS_SOAP, "Subcode") &&
					 (v = first_child_elem(v)) &&
					 is_elem(v, WSMAN_NS_SOAP, "Value"))
					read_qname(doc, v, f->subcode,
						   sizeof(f->subcode),
						   f->subcode_ns,
						   sizeof(f->subcode_ns));
		} else if (is_elem(c, WSMAN_NS_SOAP, "Reason")) {
			v = first_child_elem(c);
			if (v)
				node_text_cut(v, f->reason, sizeof(f->reason));
		} else if (is_elem(c, WSMAN_NS_SOAP, "Detail")) {
			node_text_cut(c, f->detail, sizeof(f->detail));
		}
	}
}

static int parse_uint32(const char *s, uint32_t *out)
{
	unsigned long long v;
	char *end;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	if (*s < '0' || *s > '9')
		return WSMAN_ERR_VALUE;
	errno = 0;
	v = strtoull(s, &end, 10);
	while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')
		end++;
	if (errno || *end || v > UINT32_MAX)
		return WSMAN_ERR_VALUE;
	*out = (uint32_t)v;
	return WSMAN_OK;
}

static int parse_response_header(xmlNode *header, struct wsman_response *r)
{
	bool seen_action = false, seen_id = false, seen_rel = false,
	     seen_uri = false;
	xmlNode *c;
	int err = WSMAN_OK;

	for (c = header ? first_child_elem(header) : NULL; c && !err;
	     c = next_elem(c->next)) {
		if (is_elem(c, WSMAN_NS_ADDRESSING, "Action"))
			err = header_text(c, &seen_action, r->action,
					  sizeof(r->action));
		else if (is_elem(c, WSMAN_NS_ADDRESSING, "MessageID"))
			err = header_text(c, &seen_id, r->message_id,
					  sizeof(r->message_id));
		else if (is_elem(c, WSMAN_NS_ADDRESSING, "RelatesTo"))
			err = header_text(c, &seen_rel, r->relates_to,
					  sizeof(r->relates_to));
		else if (is_elem(c, WSMAN_NS_WSMAN, "ResourceURI"))
			err = header_text(c, &seen_uri, r->resource_uri,
					  sizeof(r->resource_uri));
	}
	return err;
}

static int parse_pull_response(xmlNode *body_elem, struct wsman_response *r)
{
	xmlNode *c, *item;
	int err = WSMAN_OK;

	for (c = first_child_elem(body_elem); c && !err;
	     c = next_elem(c->next)) {
		if (is_elem(c, WSMAN_NS_ENUMERATION, "EnumerationContext")) {
			err = node_text(c, true, r->enum_context,
					sizeof(r->enum_context));
		} else if (is_elem(c, WSMAN_NS_ENUMERATION, "EndOfSequence")) {
			r->end_of_sequence = true;
		} else if (is_elem(c, WSMAN_NS_ENUMERATION, "Items")) {
			for (item = first_child_elem(c); item;
			     item = next_elem(item->next))
				if (r->items++ == 0)
					err = collect_props(item, &r->props);
		}
	}
	return err;
}

int wsman_parse_response(const char *xml, size_t len, struct wsman_response *r)
{
	xmlNode *header, *body, *first;
	xmlDoc *doc;
	const char *ret;
	int err;

	memset(r, 0, sizeof(*r));
	err = read_envelope(xml, len, &doc, &header, &body);
	if (err)
		goto out;
	err = parse_response_header(header, r);
	if (err)
		goto out;
	first = first_child_elem(body);
	if (!first)
		goto out;
	err = copy_text(r->body_name, sizeof(r->body_name),
			(const char *)first->name);
	if (!err)
		err = copy_text(r->body_ns, sizeof(r->body_ns), elem_ns(first));
	if (err)
		goto out;
	if (is_elem(first, WSMAN_NS_SOAP, "Fault")) {
		r->is_fault = true;
		parse_fault(doc, first, &r->fault);
	} else if (is_elem(first, WSMAN_NS_ENUMERATION, "EnumerateResponse")) {
		xmlNode *c = first_child_elem(first);

		if (is_elem(c, WSMAN_NS_ENUMERATION, "EnumerationContext"))
			err = node_text(c, true, r->enum_context,
					sizeof(r->enum_context));
	} else if (is_elem(first, WSMAN_NS_ENUMERATION, "PullResponse")) {
		err = parse_pull_response(first, r);
	} else {
		err = collect_props(first, &r->props);
		ret = wsman_pairs_get(&r->props, "ReturnValue");
		if (!err && ret) {
			err = parse_uint32(ret, &r->return_value);
			r->has_return_value = !err;
		}
	}
out:
	xmlFreeDoc(doc);
	return err;
}

const char *wsman_response_get(const struct wsman_response *r, const char *name)
{
	return wsman_pairs_get(&r->props, name);
}

/* ---- server: requests ---------------------------------------------- */

/* "/wsman", or http(s)://authority/wsman. */
static bool is_wsman_to(const char *to)
{
	const char *p;

	if (!strcmp(to, WSMAN_TO))
		return true;
	if (!strncmp(to, "http://", 7))
		p = to + 7;
	else if (!strncmp(to, "https://", 8))
		p = to + 8;
	else
		return false;
	p = strchr(p, '/');
	return p && !strcmp(p, WSMAN_TO) && p[-1] != '/';
}

struct request_headers {
	bool action, to, uri, id, reply_to, selectors;
	char to_text[WSMAN_URI_MAX];
	char reply_address[WSMAN_URI_MAX];
};

static int parse_selector_set(const xmlNode *set, struct wsman_pairs *out)
{
	const xmlNode *c;
	char value[WSMAN_VALUE_MAX];
	xmlChar *name;
	int err = WSMAN_OK;

	if (!only_elements(set))
		return WSMAN_ERR_STRUCTURE;
	for (c = first_child_elem(set); c && !err; c = next_elem(c->next)) {
		if (!is_elem(c, WSMAN_NS_WSMAN, "Selector") ||
		    first_child_elem(c))
			return WSMAN_ERR_STRUCTURE;
		name = xmlGetNoNsProp(c, (const xmlChar *)"Name");
		if (!name)
			return WSMAN_ERR_MISSING;
		err = node_text(c, true, value, sizeof(value));
		if (!err)
			err = *name ? wsman_pairs_add(out, (const char *)name,
						      value) :
				      WSMAN_ERR_MISSING;
		xmlFree(name);
	}
	return err;
}

static int parse_reply_to(const xmlNode *n, struct request_headers *h)
{
	const xmlNode *a = first_child_elem(n);

	if (h->reply_to)
		return WSMAN_ERR_DUPLICATE;
	h->reply_to = true;
	if (!is_elem(a, WSMAN_NS_ADDRESSING, "Address"))
		return WSMAN_ERR_REPLY_TO;
	return node_text(a, true, h->reply_address, sizeof(h->reply_address));
}

static int parse_request_header(xmlNode *header, struct wsman_request *req,
				struct request_headers *h)
{
	xmlNode *c;
	int err = WSMAN_OK;

	for (c = first_child_elem(header); c && !err; c = next_elem(c->next)) {
		if (is_elem(c, WSMAN_NS_ADDRESSING, "Action"))
			err = header_text(c, &h->action, req->action_uri,
					  sizeof(req->action_uri));
		else if (is_elem(c, WSMAN_NS_ADDRESSING, "To"))
			err = header_text(c, &h->to, h->to_text,
					  sizeof(h->to_text));
		else if (is_elem(c, WSMAN_NS_ADDRESSING, "MessageID"))
			err = header_text(c, &h->id, req->message_id,
					  sizeof(req->message_id));
		else if (is_elem(c, WSMAN_NS_ADDRESSING, "ReplyTo"))
			err = parse_reply_to(c, h);
		else if (is_elem(c, WSMAN_NS_WSMAN, "ResourceURI"))
			err = header_text(c, &h->uri, req->resource_uri,
					  sizeof(req->resource_uri));
		else if (is_elem(c, WSMAN_NS_WSMAN, "SelectorSet")) {
			if (h->selectors)
				return WSMAN_ERR_DUPLICATE;
			h->selectors = true;
			err = parse_selector_set(c, &req->selectors);
		}
	}
	return err;
}

/* Action -> req->action (and req->method for an Invoke). */
static int classify_action(struct wsman_request *req)
{
	static const struct {
		const char *uri;
		enum wsman_action action;
	} fixed[] = {
		{ WSMAN_ACTION_GET_URI, WSMAN_ACTION_GET },
		{ WSMAN_ACTION_PUT_URI, WSMAN_ACTION_PUT },
		{ WSMAN_ACTION_ENUMERATE_URI, WSMAN_ACTION_ENUMERATE },
		{ WSMAN_ACTION_PULL_URI, WSMAN_ACTION_PULL },
	};
	size_t i, ulen = strlen(req->resource_uri);
	const char *method;

	for (i = 0; i < sizeof(fixed) / sizeof(*fixed); i++) {
		if (!strcmp(req->action_uri, fixed[i].uri)) {
			req->action = fixed[i].action;
			return WSMAN_OK;
		}
	}
	method = req->action_uri + ulen;
	if (strncmp(req->action_uri, req->resource_uri, ulen) ||
	    *method != '/' || !is_class_name(method + 1) ||
	    strlen(method + 1) + sizeof("_INPUT") > WSMAN_NAME_MAX)
		return WSMAN_ERR_ACTION;
	req->action = WSMAN_ACTION_INVOKE;
	return copy_text(req->method, sizeof(req->method), method + 1);
}

/* The one element of an Invoke or Put body: NAME in the class namespace. */
static int class_body_element(xmlNode *body, const struct wsman_request *req,
			      const char *name, xmlNode **elem)
{
	xmlNode *e = first_child_elem(body);

	if (!e || next_elem(e->next) || strcmp((const char *)e->name, name))
		return WSMAN_ERR_BODY;
	if (strcmp(elem_ns(e), req->resource_uri))
		return WSMAN_ERR_NAMESPACE;
	*elem = e;
	return WSMAN_OK;
}

static int parse_request_body(xmlNode *body, struct wsman_request *req)
{
	char input[WSMAN_NAME_MAX + 8];
	xmlNode *e = first_child_elem(body), *c;
	int err;

	switch (req->action) {
	case WSMAN_ACTION_GET:
		return e ? WSMAN_ERR_BODY : WSMAN_OK;
	case WSMAN_ACTION_PUT:
		err = class_body_element(body, req, req->class_name, &e);
		return err ? err : collect_props(e, &req->params);
	case WSMAN_ACTION_INVOKE:
		snprintf(input, sizeof(input), "%s_INPUT", req->method);
		err = class_body_element(body, req, input, &e);
		return err ? err : collect_props(e, &req->params);
	case WSMAN_ACTION_ENUMERATE:
		return is_elem(e, WSMAN_NS_ENUMERATION, "Enumerate") &&
				       !next_elem(e->next) ?
			       WSMAN_OK :
			       WSMAN_ERR_BODY;
	case WSMAN_ACTION_PULL:
		if (!is_elem(e, WSMAN_NS_ENUMERATION, "Pull") ||
		    next_elem(e->next))
			return WSMAN_ERR_BODY;
		for (c = first_child_elem(e); c; c = next_elem(c->next))
			if (is_elem(c, WSMAN_NS_ENUMERATION,
				    "EnumerationContext"))
				return node_text(c, true, req->enum_context,
						 sizeof(req->enum_context));
		return WSMAN_ERR_MISSING;
	case WSMAN_ACTION_NONE:
		break;
	}
	return WSMAN_ERR_ACTION;
}

static int check_request_headers(struct wsman_request *req,
				 const struct request_headers *h)
{
	int err;

	if (!h->action || !h->to || !h->uri || !h->id || !h->reply_to)
		return WSMAN_ERR_MISSING;
	if (!is_wsman_to(h->to_text))
		return WSMAN_ERR_TO;
	if (strcmp(h->reply_address, WSMAN_ANONYMOUS))
		return WSMAN_ERR_REPLY_TO;
	err = wsman_class_from_uri(req->resource_uri, req->class_name,
				   sizeof(req->class_name));
	if (err)
		return err;
	return classify_action(req);
}

int wsman_parse_request(const char *xml, size_t len, struct wsman_request *req)
{
	struct request_headers h;
	xmlNode *header, *body;
	xmlDoc *doc;
	int err;

	memset(req, 0, sizeof(*req));
	memset(&h, 0, sizeof(h));
	err = read_envelope(xml, len, &doc, &header, &body);
	if (!err && !header)
		err = WSMAN_ERR_STRUCTURE;
	if (!err)
		err = parse_request_header(header, req, &h);
	if (!err)
		err = check_request_headers(req, &h);
	if (!err)
		err = parse_request_body(body, req);
	xmlFreeDoc(doc);
	return err;
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

	if (!is_class_name(req->class_name) || !message_id)
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

	if (!is_class_name(req->method) || !message_id)
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
