// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the server request parser and the client response
 * parser on the same bytes. A request that parses must be answerable:
 * the response built for it parses back with RelatesTo = its MessageID,
 * the body element the action calls for and, for Get/Put, the same
 * properties. The simulated device must answer every input with 400 and
 * no body, or 200/500 and an envelope the client parser reads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../userspace/amtsim/device_model.h"
#include "wsman.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static bool props_equal(const struct wsman_pairs *a,
			const struct wsman_pairs *b)
{
	size_t i;

	if (a->count != b->count)
		return false;
	for (i = 0; i < a->count; i++)
		if (strcmp(a->pair[i].name, b->pair[i].name) ||
		    strcmp(a->pair[i].value, b->pair[i].value))
			return false;
	return true;
}

static void answer_round_trip(const struct wsman_request *req)
{
	static struct wsman_response resp;
	struct wsman_buf b;
	char want[WSMAN_NAME_MAX + 8];
	int err;

	wsman_buf_init(&b);
	switch (req->action) {
	case WSMAN_ACTION_GET:
	case WSMAN_ACTION_PUT:
		err = wsman_build_get_response(&b, req, "uuid:f", &req->params);
		snprintf(want, sizeof(want), "%s", req->class_name);
		break;
	case WSMAN_ACTION_INVOKE:
		err = wsman_build_invoke_response(&b, req, "uuid:f", 7,
						  &req->params);
		snprintf(want, sizeof(want), "%s_OUTPUT", req->method);
		break;
	default:
		err = wsman_build_fault(&b, WSMAN_FAULT_ACTION_NOT_SUPPORTED,
					req->message_id, "uuid:f", NULL);
		snprintf(want, sizeof(want), "Fault");
	}
	/* Parsed values can hold control characters the builder refuses. */
	if (err == WSMAN_ERR_ARG)
		goto out;
	if (err || wsman_parse_response(b.data, b.len, &resp) ||
	    strcmp(resp.relates_to, req->message_id) ||
	    strcmp(resp.body_name, want))
		abort();
	if (!strcmp(want, req->class_name) &&
	    !props_equal(&resp.props, &req->params))
		abort();
	if (req->action == WSMAN_ACTION_INVOKE &&
	    (!resp.has_return_value || resp.return_value != 7))
		abort();
out:
	wsman_buf_free(&b);
}

static void device_answers(const char *xml, size_t size)
{
	static const struct amt_device_identity id = {
		.uuid = "12345678-9abc-def0-1234-56789abcdef0",
		.mode = AMT_DEVICE_PSK,
		.realm = "Digest:2517B2332AFD88353D5F5FD352697901",
		.mebx_password = "Mebx-Pa55",
		.pid = "ABCD1234",
		.pps = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345",
	};
	static struct amt_device_model m;
	static struct wsman_response resp;
	struct wsman_buf reply;
	int status = 0;

	if (device_model_init(&m, &id))
		abort();
	wsman_buf_init(&reply);
	if (device_model_handle(&m, xml, size, 1795000000, &reply, &status))
		abort();
	if (status == 400 ? reply.len != 0 :
			    (status != 200 && status != 500) ||
				    wsman_parse_response(reply.data, reply.len,
							 &resp) ||
				    resp.is_fault != (status == 500))
		abort();
	wsman_buf_free(&reply);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static struct wsman_request req;
	static struct wsman_response resp;
	const char *xml = (const char *)data;

	if (wsman_parse_request(xml, size, &req) == WSMAN_OK)
		answer_round_trip(&req);
	wsman_parse_response(xml, size, &resp);
	device_answers(xml, size);
	return 0;
}
