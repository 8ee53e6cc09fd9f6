// SPDX-License-Identifier: GPL-2.0-only
/*
 * hello_sink ADDR PORT DIR COUNT TIMEOUT_S: a stand-in SCA Hello port for
 * the amtsim tests. Accepts connections on ADDR:PORT, reads each until the
 * device closes, and stores it as DIR/N.bin with a line
 * "N MS_SINCE_START PEER_ADDR LEN" in DIR/log; exits after COUNT Hellos
 * (0) or TIMEOUT_S seconds (1).
 */
#include <arpa/inet.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_HELLO 17000

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int listen_on(const char *addr, int port)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	socklen_t len;
	int one = 1, fd;

	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		len = sizeof(*s4);
	} else if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		len = sizeof(*s6);
	} else {
		return -1;
	}
	fd = socket(ss.ss_family, SOCK_STREAM, 0);
	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&ss, len) || listen(fd, 1024))
		return -1;
	return fd;
}

int main(int argc, char **argv)
{
	static unsigned char buf[MAX_HELLO];
	long long start = now_ms(), deadline;
	int lfd, count, seen = 0;
	char path[4096], peer[INET6_ADDRSTRLEN];
	FILE *log;

	if (argc != 6) {
		fprintf(stderr,
			"usage: hello_sink ADDR PORT DIR COUNT TIMEOUT_S\n");
		return 2;
	}
	lfd = listen_on(argv[1], atoi(argv[2]));
	count = atoi(argv[4]);
	deadline = start + atoll(argv[5]) * 1000;
	snprintf(path, sizeof(path), "%s/log", argv[3]);
	log = fopen(path, "w");
	if (lfd < 0 || !log) {
		perror("hello_sink");
		return 2;
	}
	setvbuf(log, NULL, _IOLBF, 0);
	while (seen < count) {
		struct pollfd pfd = { .fd = lfd, .events = POLLIN };
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		size_t len = 0;
		ssize_t n;
		FILE *out;
		int fd;

		if (poll(&pfd, 1, (int)(deadline - now_ms())) <= 0)
			return 1;
		fd = accept(lfd, (struct sockaddr *)&ss, &sl);
		if (fd < 0)
			continue;
		while (len < sizeof(buf) &&
		       (n = read(fd, buf + len, sizeof(buf) - len)) > 0)
			len += (size_t)n;
		close(fd);
		if (ss.ss_family == AF_INET)
			inet_ntop(AF_INET,
				  &((struct sockaddr_in *)&ss)->sin_addr, peer,
				  sizeof(peer));
		else
			inet_ntop(AF_INET6,
				  &((struct sockaddr_in6 *)&ss)->sin6_addr,
				  peer, sizeof(peer));
		snprintf(path, sizeof(path), "%s/%d.bin", argv[3], seen);
		out = fopen(path, "w");
		if (!out || fwrite(buf, 1, len, out) != len || fclose(out))
			return 2;
		fprintf(log, "%d %lld %s %zu\n", seen, now_ms() - start, peer,
			len);
		seen++;
	}
	return 0;
}
