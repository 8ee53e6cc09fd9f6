// SPDX-License-Identifier: GPL-2.0-only
/*
 * An ordinary kernel TCP client for the XDP end-to-end test: connect to
 * ADDR:PORT, send FILE and shut down the sending side (a device closes
 * after its Hello), then either expect a clean close (the server's FIN
 * arrives, our FIN is acknowledged, the socket reaches TCP_CLOSE, no RST)
 * or, with --expect-rst, expect the connection to be reset. Prints one
 * line; on failure it names the step and errno. Exit 0 on the expected
 * outcome.
 *
 * usage: xdp_hello_client [--expect-rst] [--timeout-ms N] ADDR PORT FILE
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int fail(const char *step, int err)
{
	printf("fail step=%s errno=%d (%s)\n", step, err, strerror(err));
	return 1;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int read_file(const char *path, char *buf, size_t cap, size_t *len)
{
	FILE *f = fopen(path, "rb");

	if (!f)
		return -1;
	*len = fread(buf, 1, cap, f);
	fclose(f);
	return 0;
}

/* Connect with SO_SNDTIMEO/SO_RCVTIMEO bounding every blocking call. */
static int connect_to(const char *addr, const char *port, long timeout_ms)
{
	struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t sl;
	int fd;

	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(atoi(port));
		sl = sizeof(*sin);
	} else if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(atoi(port));
		sl = sizeof(*sin6);
	} else {
		errno = EINVAL;
		return -1;
	}
	fd = socket(ss.ss_family, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    connect(fd, (struct sockaddr *)&ss, sl)) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

static int tcp_state(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len))
		return -1;
	return ti.tcpi_state;
}

int main(int argc, char **argv)
{
	long timeout_ms = 3000, deadline;
	int expect_rst = 0, fd, state;
	static char buf[65536];
	size_t len, off = 0;
	ssize_t n;
	int argi = 1;

	for (; argi < argc && argv[argi][0] == '-'; argi++) {
		if (!strcmp(argv[argi], "--expect-rst"))
			expect_rst = 1;
		else if (!strcmp(argv[argi], "--timeout-ms") && argi + 1 < argc)
			timeout_ms = atol(argv[++argi]);
		else
			break;
	}
	if (argc - argi != 3 || timeout_ms <= 0) {
		fprintf(stderr,
			"usage: xdp_hello_client [--expect-rst] [--timeout-ms N] ADDR PORT FILE\n");
		return 2;
	}
	if (read_file(argv[argi + 2], buf, sizeof(buf), &len))
		return fail("read_file", errno);
	fd = connect_to(argv[argi], argv[argi + 1], timeout_ms);
	if (fd < 0)
		return fail("connect", errno);
	while (off < len) {
		n = send(fd, buf + off, len - off, MSG_NOSIGNAL);
		if (n < 0)
			return fail("send", errno);
		off += n;
	}
	/*
	 * Like a device, close the sending side after the Hello: the SCA
	 * takes a Hello that is still incomplete at that point as final
	 * (before it, the rest may follow in later segments). A reset that
	 * came first fails the shutdown; the recv below reports it.
	 */
	shutdown(fd, SHUT_WR);
	/* The server's answer: FIN (valid Hello) or RST (invalid). */
	n = recv(fd, buf, sizeof(buf), 0);
	if (expect_rst) {
		if (n < 0 && errno == ECONNRESET) {
			printf("ok reset\n");
			return 0;
		}
		return fail(n == 0 ? "eof_instead_of_rst" : "recv",
			    n < 0 ? errno : EPROTO);
	}
	if (n < 0)
		return fail("recv", errno);
	if (n > 0)
		return fail("unexpected_data", EPROTO);
	/* Our FIN (sent above) must be acknowledged: -> CLOSE, no RST. */
	deadline = now_ms() + timeout_ms;
	while ((state = tcp_state(fd)) != TCP_CLOSE && now_ms() < deadline)
		usleep(10000);
	if (state != TCP_CLOSE) {
		printf("fail step=close tcp_state=%d\n", state);
		return 1;
	}
	if (close(fd))
		return fail("close", errno);
	printf("ok sent=%zu closed\n", len);
	return 0;
}
