/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The XDP ring-buffer record (struct amtsca_hello_event, bpf_abi.h) as the
 * daemon's struct hello_event. Kept apart from xdp_backend.c so tests and
 * the fuzz target use it without libbpf.
 */
#ifndef AMTSCA_XDP_EVENT_H
#define AMTSCA_XDP_EVENT_H

#include <stddef.h>

#include "hello_event.h"

/*
 * Convert one record of size bytes. Returns 0, or -1 when it is not a
 * well-formed record (wrong size, IP version or Hello length). The Hello
 * itself is not validated here: the intake does that.
 */
int xdp_event_parse(const void *rec, size_t size, struct hello_event *ev);

#endif /* AMTSCA_XDP_EVENT_H */
