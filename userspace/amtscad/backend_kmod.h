/* SPDX-License-Identifier: GPL-2.0-only */
/* Kernel-module backend glue: kmod_backend (libnl-genl) into the epoll loop. */
#ifndef AMTSCAD_BACKEND_KMOD_H
#define AMTSCAD_BACKEND_KMOD_H

#include "backend_socket.h"
#include "kmod_backend.h"

/*
 * Opens the genl client; sets the Hello port, read timeout and the
 * validator's AMT_HELLO_F_* rules of the module's listener in this netns;
 * subscribes, adds fd to epfd.
 */
struct kmod_backend *backend_kmod_open(int epfd, unsigned short port,
				       unsigned int timeout_ms,
				       unsigned int hello_flags, hello_cb cb,
				       void *ctx);

#endif /* AMTSCAD_BACKEND_KMOD_H */
