// SPDX-License-Identifier: GPL-2.0-only
/*
 * WS-Management envelopes, the reading half: libxml2 parses into a tree
 * (no network, no DTD, no entity substitution, capped size and depth) and
 * the request and response parsers walk it by namespace URI and local
 * name, never by prefix.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "wsman.h"
#include "wsman_text.h"

/* Copy at most cap - 1 bytes of src. */
static void copy_cut(char *dst, size_t cap, const char *src)
{
	size_t n = strnlen(src, cap - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* ---- parsing: shared ------------------------------------------------ */

/*
 * Names a thread's parser context may have interned before it is replaced:
 * the dictionary lives as long as the context, and hostile envelopes could
 * otherwise grow it without end.
 */
#define XML_CTXT_MAX_NAMES 4096

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;
static pthread_key_t xml_ctxt_key;
static bool xml_ctxt_key_ok;

static void xml_ctxt_free(void *ctxt)
{
	xmlFreeParserCtxt(ctxt);
}

static void xml_init(void)
{
	xmlInitParser();
	xml_ctxt_key_ok = !pthread_key_create(&xml_ctxt_key, xml_ctxt_free);
}

/*
 * One parser context per thread, reused for every envelope (made on first
 * use, freed when the thread exits): with its dictionary kept and compact
 * text nodes, an envelope parses in about three quarters of the time.
 */
static xmlParserCtxt *thread_ctxt(void)
{
	xmlParserCtxt *c;

	if (!xml_ctxt_key_ok)
		return NULL;
	c = pthread_getspecific(xml_ctxt_key);
	if (c && xmlDictSize(c->dict) > XML_CTXT_MAX_NAMES) {
		pthread_setspecific(xml_ctxt_key, NULL);
		xmlFreeParserCtxt(c);
		c = NULL;
	}
	if (!c) {
		c = xmlNewParserCtxt();
		if (c && pthread_setspecific(xml_ctxt_key, c)) {
			xmlFreeParserCtxt(c);
			c = NULL;
		}
	}
	return c;
}

/* libxml2's own messages (encoding errors reach stderr despite NOERROR). */
static void xml_quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
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
	xmlParserCtxt *ctxt;
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
	/* Per thread in libxml2, so set on every call. */
	xmlSetGenericErrorFunc(NULL, xml_quiet);
	ctxt = thread_ctxt();
	if (!ctxt)
		return WSMAN_ERR_XML;
	/*
	 * No NOENT (no entity substitution), no DTDLOAD/DTDATTR. COMPACT:
	 * the tree is only read, never changed.
	 */
	*doc = xmlCtxtReadMemory(ctxt, xml, (int)len, NULL, NULL,
				 XML_PARSE_NONET | XML_PARSE_NOERROR |
					 XML_PARSE_NOWARNING |
					 XML_PARSE_NOCDATA | XML_PARSE_COMPACT);
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
		err = wsman_copy_text(p->name, sizeof(p->name),
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

/* The SOAP child element called name of n, or NULL. */
static xmlNode *soap_child(const xmlNode *n, const char *name)
{
	xmlNode *c;

	for (c = n ? first_child_elem(n) : NULL; c; c = next_elem(c->next))
		if (is_elem(c, WSMAN_NS_SOAP, name))
			return c;
	return NULL;
}

static void parse_fault(xmlDoc *doc, xmlNode *fault, struct wsman_fault *f)
{
	xmlNode *code = soap_child(fault, "Code"), *v;

	memset(f, 0, sizeof(*f));
	v = soap_child(code, "Value");
	if (v)
		read_qname(doc, v, f->code, sizeof(f->code), NULL, 0);
	v = soap_child(soap_child(code, "Subcode"), "Value");
	if (v)
		read_qname(doc, v, f->subcode, sizeof(f->subcode),
			   f->subcode_ns, sizeof(f->subcode_ns));
	v = soap_child(soap_child(fault, "Reason"), "Text");
	if (v)
		node_text_cut(v, f->reason, sizeof(f->reason));
	v = soap_child(fault, "Detail");
	if (v)
		node_text_cut(v, f->detail, sizeof(f->detail));
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
	err = wsman_copy_text(r->body_name, sizeof(r->body_name),
			      (const char *)first->name);
	if (!err)
		err = wsman_copy_text(r->body_ns, sizeof(r->body_ns),
				      elem_ns(first));
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
	    *method != '/' || !wsman_is_class_name(method + 1) ||
	    strlen(method + 1) + sizeof("_INPUT") > WSMAN_NAME_MAX)
		return WSMAN_ERR_ACTION;
	req->action = WSMAN_ACTION_INVOKE;
	return wsman_copy_text(req->method, sizeof(req->method), method + 1);
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
