// SPDX-License-Identifier: GPL-2.0-only
#include <arpa/inet.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "test_net.h"

long long test_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int test_tcp_socket(const char *addr, unsigned int port, bool listening)
{
	struct sockaddr_in6 sa6 = { .sin6_family = AF_INET6,
				    .sin6_port = htons(port) };
	struct sockaddr_in sa4 = { .sin_family = AF_INET,
				   .sin_port = htons(port) };
	struct sockaddr *sa = (struct sockaddr *)&sa6;
	socklen_t len = sizeof(sa6);
	int fd, one = 1, err;

	if (inet_pton(AF_INET, addr, &sa4.sin_addr) == 1) {
		sa = (struct sockaddr *)&sa4;
		len = sizeof(sa4);
	} else if (inet_pton(AF_INET6, addr, &sa6.sin6_addr) != 1) {
		return -1;
	}
	fd = socket(sa->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (listening)
		err = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
				 sizeof(one)) ||
		      bind(fd, sa, len) || listen(fd, 16);
	else
		err = connect(fd, sa, len);
	if (err) {
		close(fd);
		return -1;
	}
	return fd;
}
