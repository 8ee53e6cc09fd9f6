/* SPDX-License-Identifier: GPL-2.0-only */
/* Small socket and clock helpers shared by the test tools. */
#ifndef AMTSCA_TEST_NET_H
#define AMTSCA_TEST_NET_H

#include <stdbool.h>

/* CLOCK_MONOTONIC in milliseconds. */
long long test_now_ms(void);

/*
 * A TCP socket for the IPv4 or IPv6 literal addr: bound and listening when
 * listening, else connected (blocking). Returns the fd or -1.
 */
int test_tcp_socket(const char *addr, unsigned int port, bool listening);

#endif /* AMTSCA_TEST_NET_H */
