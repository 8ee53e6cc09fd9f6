/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Socket backend: a plain TCP listener on the Hello port for hosts where
 * XDP cannot attach. It accepts, reads one Hello bounded by
 * AMT_HELLO_MAX_LEN within a deadline, validates it and hands a
 * struct hello_event to the same callback the XDP and kmod backends use.
 */
#ifndef AMTSCAD_BACKEND_SOCKET_H
#define AMTSCAD_BACKEND_SOCKET_H

#include <stdbool.h>

#include "hello_event.h"

typedef void (*hello_cb)(const struct hello_event *ev, void *ctx);

struct backend_socket;

/* hello_flags: amt_hello_validate() flags (config_hello_flags()). */
struct backend_socket *backend_socket_open(int epfd, const char *addr,
					   unsigned short port,
					   unsigned int timeout_ms,
					   unsigned int hello_flags, hello_cb cb,
					   void *ctx);
/* Handle readiness of fd (listener or connection); false if not ours. */
bool backend_socket_handle(struct backend_socket *bs, int fd);
/* Close connections whose deadline passed; returns ms to the next one. */
int backend_socket_expire(struct backend_socket *bs);
void backend_socket_close(struct backend_socket *bs);

#endif /* AMTSCAD_BACKEND_SOCKET_H */
