// SPDX-License-Identifier: GPL-2.0-only
/*
 * hello_loadgen: many devices saying Hello at once, as fast as one process
 * can make them, for the ingest benchmark. Each exchange is what a device
 * does: connect from one of its source addresses to the SCA's port, write
 * one Hello, shut down its side, read until the SCA closes, close.
 *
 *   hello_loadgen --target ADDR [--port 9971] --src-base ADDR
 *                 [--src-count N] [--concurrency N] [--seconds S]
 *                 [--devices N] [--first N] [--pki]
 *
 * UUIDs are numbered first..first+devices-1 and reused round-robin, so
 * --devices smaller than the exchanges made is a duplicate storm.
 * Prints "hello_loadgen completed N reset N timeout N failed N seconds S
 * cpu_seconds C", C its own user+system CPU time (getrusage): near S, the
 * load generator is what limits the rate.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "hello_encode.h"

#define EXCHANGE_TIMEOUT_S 2.0
#define PKI_HASHES 24

struct exchange {
	int fd;
	double started;
};

struct loadgen {
	struct sockaddr_in target, src;
	unsigned int src_count, concurrency, seconds, devices, first;
	bool pki;
	int epfd;
	struct exchange *slots;
	unsigned long next_device, launched;
	unsigned long completed, reset, timeout, failed;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long build_hello(const struct loadgen *lg, unsigned long device,
			__u8 *out, size_t cap)
{
	struct amt_hello_fields f = { .admin_credentials_set = 1 };
	struct amt_hello_hash hashes[PKI_HASHES];
	unsigned int i;

	/* A fixed prefix, then the device number, big-endian. */
	memcpy(f.uuid, "amtsca-load", 11);
	for (i = 0; i < 4; i++)
		f.uuid[15 - i] = device >> (8 * i);
	if (!lg->pki)
		return amt_hello_encode_psk(&f, "LOADGEN0", out, cap);
	for (i = 0; i < PKI_HASHES; i++) {
		hashes[i].type = AMT_HASH_SHA256;
		hashes[i].size = 32;
		memset(hashes[i].hash, i + 1, sizeof(hashes[i].hash));
	}
	return amt_hello_encode_pki(&f, hashes, PKI_HASHES, out, cap);
}

static void slot_close(struct exchange *x)
{
	close(x->fd);
	x->fd = -1;
}

static int slot_start(struct loadgen *lg, unsigned int idx)
{
	struct exchange *x = &lg->slots[idx];
	struct epoll_event ev = { .events = EPOLLOUT, .data.u32 = idx };
	struct sockaddr_in src = lg->src;
	int fd;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	src.sin_addr.s_addr = htonl(ntohl(lg->src.sin_addr.s_addr) +
				    lg->launched % lg->src_count);
	if (bind(fd, (struct sockaddr *)&src, sizeof(src)) ||
	    (connect(fd, (struct sockaddr *)&lg->target, sizeof(lg->target)) &&
	     errno != EINPROGRESS) ||
	    epoll_ctl(lg->epfd, EPOLL_CTL_ADD, fd, &ev)) {
		close(fd);
		lg->failed++;
		return -1;
	}
	x->fd = fd;
	x->started = now_s();
	lg->launched++;
	return 0;
}

/* Connected: write the Hello, half-close, wait for the SCA's FIN. */
static void slot_send(struct loadgen *lg, struct exchange *x, unsigned int idx)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = idx };
	__u8 hello[AMT_HELLO_MAX_LEN];
	int err = 0;
	socklen_t len = sizeof(err);
	unsigned long device = lg->first + lg->next_device++ % lg->devices;
	long n = build_hello(lg, device, hello, sizeof(hello));

	getsockopt(x->fd, SOL_SOCKET, SO_ERROR, &err, &len);
	if (err || n < 0 || write(x->fd, hello, n) != n ||
	    shutdown(x->fd, SHUT_WR) ||
	    epoll_ctl(lg->epfd, EPOLL_CTL_MOD, x->fd, &ev)) {
		if (err == ECONNRESET || err == ECONNREFUSED)
			lg->reset++;
		else
			lg->failed++;
		slot_close(x);
	}
}

static void slot_read(struct loadgen *lg, struct exchange *x)
{
	char buf[256];
	ssize_t n;

	while ((n = read(x->fd, buf, sizeof(buf))) > 0)
		;
	if (n < 0 && errno == EAGAIN)
		return;
	if (n == 0)
		lg->completed++;
	else if (errno == ECONNRESET)
		lg->reset++;
	else
		lg->failed++;
	slot_close(x);
}

static void run(struct loadgen *lg)
{
	struct epoll_event evs[256];
	double deadline = now_s() + lg->seconds, t;
	unsigned int i, live;

	do {
		int n = epoll_wait(lg->epfd, evs, 256, 10);

		for (i = 0; n > 0 && i < (unsigned int)n; i++) {
			struct exchange *x = &lg->slots[evs[i].data.u32];

			if (x->fd < 0)
				continue;
			if (evs[i].events & EPOLLOUT)
				slot_send(lg, x, evs[i].data.u32);
			else
				slot_read(lg, x);
		}
		t = now_s();
		live = 0;
		for (i = 0; i < lg->concurrency; i++) {
			struct exchange *x = &lg->slots[i];

			if (x->fd >= 0 && t - x->started > EXCHANGE_TIMEOUT_S) {
				lg->timeout++;
				slot_close(x);
			}
			if (x->fd < 0 && t < deadline)
				slot_start(lg, i);
			live += x->fd >= 0;
		}
	} while (t < deadline || live);
}

static int parse_addr(const char *s, struct sockaddr_in *sa)
{
	sa->sin_family = AF_INET;
	return inet_pton(AF_INET, s, &sa->sin_addr) == 1 ? 0 : -1;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "target", required_argument, NULL, 't' },
		{ "port", required_argument, NULL, 'p' },
		{ "src-base", required_argument, NULL, 's' },
		{ "src-count", required_argument, NULL, 'n' },
		{ "concurrency", required_argument, NULL, 'c' },
		{ "seconds", required_argument, NULL, 'S' },
		{ "devices", required_argument, NULL, 'd' },
		{ "first", required_argument, NULL, 'f' },
		{ "pki", no_argument, NULL, 'k' },
		{}
	};
	struct loadgen lg = { .src_count = 1,
			      .concurrency = 128,
			      .seconds = 5,
			      .devices = 1000000 };
	unsigned int port = 9971, i;
	bool have_target = false, have_src = false;
	double started, elapsed;
	struct rusage ru;
	int opt;

	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (opt) {
		case 't':
			have_target = !parse_addr(optarg, &lg.target);
			break;
		case 's':
			have_src = !parse_addr(optarg, &lg.src);
			break;
		case 'p':
			port = strtoul(optarg, NULL, 10);
			break;
		case 'n':
			lg.src_count = strtoul(optarg, NULL, 10);
			break;
		case 'c':
			lg.concurrency = strtoul(optarg, NULL, 10);
			break;
		case 'S':
			lg.seconds = strtoul(optarg, NULL, 10);
			break;
		case 'd':
			lg.devices = strtoul(optarg, NULL, 10);
			break;
		case 'f':
			lg.first = strtoul(optarg, NULL, 10);
			break;
		case 'k':
			lg.pki = true;
			break;
		default:
			return 64;
		}
	}
	if (!have_target || !have_src || !port || port > 65535 ||
	    !lg.src_count || !lg.concurrency || !lg.seconds || !lg.devices) {
		fprintf(stderr,
			"usage: hello_loadgen --target ADDR --src-base ADDR "
			"[--port P] [--src-count N] [--concurrency N] "
			"[--seconds S] [--devices N] [--first N] [--pki]\n");
		return 64;
	}
	lg.target.sin_port = htons(port);
	lg.slots = calloc(lg.concurrency, sizeof(*lg.slots));
	lg.epfd = epoll_create1(EPOLL_CLOEXEC);
	if (!lg.slots || lg.epfd < 0) {
		perror("hello_loadgen");
		return 1;
	}
	for (i = 0; i < lg.concurrency; i++)
		lg.slots[i].fd = -1;
	started = now_s();
	run(&lg);
	elapsed = now_s() - started;
	getrusage(RUSAGE_SELF, &ru);
	printf("hello_loadgen completed %lu reset %lu timeout %lu failed %lu "
	       "seconds %.3f cpu_seconds %.3f\n",
	       lg.completed, lg.reset, lg.timeout, lg.failed, elapsed,
	       ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
		       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
	return 0;
}
