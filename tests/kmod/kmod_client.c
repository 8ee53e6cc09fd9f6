// SPDX-License-Identifier: GPL-2.0-only
/*
 * amtsca-kmodtest: the guest side of the QEMU test, linked statically.
 * It drives kmod/amtsca.ko through userspace/lib/kmod_backend.c and plays
 * the AMT device (a TCP client sending one Hello).
 *
 *   [--uid N] events DIR MAX_MS    subscribe; write DIR/<n>.bin and a line
 *                                  per event to DIR/log; DIR/ready once
 *                                  subscribed
 *   [--uid N] config [port=P] [prefix=ADDR/LEN]... [noprefix]
 *                    [timeout=MS] [maxconns=N] [rate=N]
 *   [--uid N] state FILE|UUIDHEX STATE TTL_MS
 *   [--uid N] stats                "name value" per counter and reason
 *   [--uid N] getconfig            "port P timeout T maxconns M rate R"
 *                                  then "prefix ADDR/LEN" lines
 *   version N                      open expecting genl version N
 *   send ADDR PORT FILE [SRC] [PAUSE_MS]
 *                                  send FILE (halfway pause if given), wait
 *                                  for the server to close
 *   hold ADDR PORT                 connect, send 4 bytes, sleep forever
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kmod_backend.h"

static char errbuf[256];

static int die(const char *what, int err)
{
	fprintf(stderr, "error: %s: %s\n", what, kmod_backend_strerror(err));
	return 1;
}

static struct kmod_backend *open_backend(kmod_hello_cb cb, void *arg)
{
	struct kmod_backend *kb;

	if (kmod_backend_open(&kb, cb, arg, errbuf, sizeof(errbuf))) {
		fprintf(stderr, "error: %s\n", errbuf);
		exit(1);
	}
	return kb;
}

struct events_ctx {
	const char *dir;
	int n;
	FILE *log;
};

static void write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "w");

	if (!f || fwrite(buf, 1, len, f) != len) {
		perror(path);
		exit(1);
	}
	fclose(f);
}

static void on_event(const struct hello_event *ev, void *arg)
{
	struct events_ctx *ctx = arg;
	char path[512], s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];

	snprintf(path, sizeof(path), "%s/%d.bin", ctx->dir, ctx->n);
	write_file(path, ev->hello, ev->len);
	inet_ntop(ev->family, &ev->saddr, s, sizeof(s));
	inet_ntop(ev->family, &ev->daddr, d, sizeof(d));
	fprintf(ctx->log,
		"%d family=%d saddr=%s daddr=%s sport=%u dport=%u ifindex=%u len=%u ts=%llu\n",
		ctx->n, ev->family, s, d, ev->sport, ev->dport, ev->ifindex,
		ev->len, (unsigned long long)ev->timestamp_ns);
	fflush(ctx->log);
	ctx->n++;
}

static int cmd_events(int argc, char **argv)
{
	struct events_ctx ctx = { 0 };
	struct kmod_backend *kb;
	struct timespec t0, t;
	char path[512];
	long max_ms;
	int err;

	if (argc != 3)
		return 2;
	ctx.dir = argv[1];
	max_ms = atol(argv[2]);
	kb = open_backend(on_event, &ctx);
	err = kmod_backend_subscribe(kb);
	if (err)
		return die("subscribe", err);
	snprintf(path, sizeof(path), "%s/log", ctx.dir);
	ctx.log = fopen(path, "w");
	if (!ctx.log)
		return 1;
	snprintf(path, sizeof(path), "%s/ready", ctx.dir);
	write_file(path, "", 0);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd p = { .fd = kmod_backend_fd(kb),
				    .events = POLLIN };
		long el;

		clock_gettime(CLOCK_MONOTONIC, &t);
		el = (t.tv_sec - t0.tv_sec) * 1000 +
		     (t.tv_nsec - t0.tv_nsec) / 1000000;
		if (el >= max_ms)
			break;
		if (poll(&p, 1, max_ms - el) > 0) {
			err = kmod_backend_receive(kb);
			if (err)
				return die("receive", err);
		}
	}
	kmod_backend_close(kb);
	return 0;
}

static int parse_prefix(const char *s, struct kmod_prefix *p)
{
	char addr[INET6_ADDRSTRLEN];
	const char *slash = strchr(s, '/');

	if (!slash || (size_t)(slash - s) >= sizeof(addr))
		return -1;
	memcpy(addr, s, slash - s);
	addr[slash - s] = 0;
	p->len = atoi(slash + 1);
	p->family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	return inet_pton(p->family, addr, p->addr) == 1 ? 0 : -1;
}

static int cmd_config(int argc, char **argv)
{
	struct kmod_config cfg;
	struct kmod_backend *kb;
	int i, err;

	kmod_config_init(&cfg);
	for (i = 1; i < argc; i++) {
		char *v = strchr(argv[i], '=');

		if (!strcmp(argv[i], "noprefix")) {
			cfg.n_prefixes = 0;
			continue;
		}
		if (!v)
			return 2;
		v++;
		if (!strncmp(argv[i], "port=", 5))
			cfg.port = atoi(v);
		else if (!strncmp(argv[i], "timeout=", 8))
			cfg.timeout_ms = atol(v);
		else if (!strncmp(argv[i], "maxconns=", 9))
			cfg.max_conns = atol(v);
		else if (!strncmp(argv[i], "rate=", 5))
			cfg.rate_per_sec = atol(v);
		else if (!strncmp(argv[i], "helloflags=", 11))
			cfg.hello_flags = strtol(v, NULL, 0);
		else if (!strncmp(argv[i], "prefix=", 7)) {
			if (cfg.n_prefixes < 0)
				cfg.n_prefixes = 0;
			if (cfg.n_prefixes == AMTSCA_MAX_PREFIXES ||
			    parse_prefix(v, &cfg.prefixes[cfg.n_prefixes++]))
				return 2;
		} else {
			return 2;
		}
	}
	kb = open_backend(NULL, NULL);
	err = kmod_backend_set_config(kb, &cfg);
	kmod_backend_close(kb);
	return err ? die("set config", err) : 0;
}

static int read_uuid(const char *arg, uint8_t uuid[16])
{
	uint8_t hdr[AMT_HELLO_HDR_LEN];
	int fd = open(arg, O_RDONLY), i;

	if (fd >= 0) {
		i = read(fd, hdr, sizeof(hdr));
		close(fd);
		if (i != sizeof(hdr))
			return -1;
		memcpy(uuid, hdr + 8, 16);
		return 0;
	}
	if (strlen(arg) != 32)
		return -1;
	for (i = 0; i < 16; i++)
		if (sscanf(arg + 2 * i, "%2hhx", &uuid[i]) != 1)
			return -1;
	return 0;
}

static int cmd_state(int argc, char **argv)
{
	struct kmod_backend *kb;
	uint8_t uuid[16];
	int err;

	if (argc != 4 || read_uuid(argv[1], uuid))
		return 2;
	kb = open_backend(NULL, NULL);
	err = kmod_backend_set_state(kb, uuid, atoi(argv[2]), atol(argv[3]));
	kmod_backend_close(kb);
	return err ? die("set state", err) : 0;
}

static int cmd_stats(void)
{
	struct kmod_backend *kb = open_backend(NULL, NULL);
	struct kmod_stats st;
	int i, err;

	err = kmod_backend_get_stats(kb, &st);
	kmod_backend_close(kb);
	if (err)
		return die("stats", err);
	for (i = 0; i < KMOD_STAT_COUNT; i++)
		printf("%s %llu\n", kmod_stat_name(i),
		       (unsigned long long)st.count[i]);
	for (i = 1; i < AMT_HELLO_REASON_COUNT; i++)
		printf("reason_%s %llu\n", amt_hello_reason_str(i),
		       (unsigned long long)st.reason[i]);
	return 0;
}

static int cmd_getconfig(void)
{
	struct kmod_backend *kb = open_backend(NULL, NULL);
	char addr[INET6_ADDRSTRLEN];
	struct kmod_config cfg;
	int i, err;

	err = kmod_backend_get_config(kb, &cfg);
	kmod_backend_close(kb);
	if (err)
		return die("get config", err);
	printf("port %d timeout %ld maxconns %ld rate %ld helloflags %ld\n",
	       cfg.port, cfg.timeout_ms, cfg.max_conns, cfg.rate_per_sec,
	       cfg.hello_flags);
	for (i = 0; i < cfg.n_prefixes; i++) {
		inet_ntop(cfg.prefixes[i].family, cfg.prefixes[i].addr, addr,
			  sizeof(addr));
		printf("prefix %s/%u\n", addr, cfg.prefixes[i].len);
	}
	return 0;
}

static int cmd_version(int argc, char **argv)
{
	struct kmod_backend *kb;

	if (argc != 2)
		return 2;
	if (kmod_backend_open_version(&kb, atoi(argv[1]), NULL, NULL, errbuf,
				      sizeof(errbuf))) {
		fprintf(stderr, "error: %s\n", errbuf);
		return 1;
	}
	kmod_backend_close(kb);
	return 0;
}

static int connect_to(const char *addr, const char *port, const char *src)
{
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in a4 = { .sin_family = AF_INET };
	struct timeval tv = { .tv_sec = 10 };
	int v6 = strchr(addr, ':') != NULL;
	int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (src) {
		if (v6 ? inet_pton(AF_INET6, src, &a6.sin6_addr) != 1 :
			 inet_pton(AF_INET, src, &a4.sin_addr) != 1)
			return -1;
		if (bind(fd,
			 v6 ? (struct sockaddr *)&a6 : (struct sockaddr *)&a4,
			 v6 ? sizeof(a6) : sizeof(a4)))
			return -1;
	}
	a6.sin6_port = a4.sin_port = htons(atoi(port));
	if (v6 ? inet_pton(AF_INET6, addr, &a6.sin6_addr) != 1 :
		 inet_pton(AF_INET, addr, &a4.sin_addr) != 1)
		return -1;
	if (connect(fd, v6 ? (struct sockaddr *)&a6 : (struct sockaddr *)&a4,
		    v6 ? sizeof(a6) : sizeof(a4))) {
		perror("connect");
		return -1;
	}
	return fd;
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
	ssize_t w;

	while (n) {
		w = write(fd, p, n);
		if (w < 0)
			return errno == EPIPE || errno == ECONNRESET ? 0 : -1;
		p += w;
		n -= w;
	}
	return 0;
}

static int cmd_send(int argc, char **argv)
{
	static uint8_t buf[1 << 16];
	int pause_ms = argc > 5 ? atoi(argv[5]) : 0;
	const char *src = argc > 4 && strcmp(argv[4], "-") ? argv[4] : NULL;
	size_t len, half;
	FILE *f;
	int fd;

	if (argc < 4)
		return 2;
	f = fopen(argv[3], "r");
	if (!f)
		return 1;
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	fd = connect_to(argv[1], argv[2], src);
	if (fd < 0)
		return 1;
	half = pause_ms ? len / 2 : len;
	if (write_all(fd, buf, half))
		return 1;
	if (pause_ms)
		usleep(pause_ms * 1000);
	if (write_all(fd, buf + half, len - half))
		return 1;
	shutdown(fd, SHUT_WR);
	/* The module closes after handling the Hello. */
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	close(fd);
	return 0;
}

static int cmd_hold(int argc, char **argv)
{
	int fd;

	if (argc != 3)
		return 2;
	fd = connect_to(argv[1], argv[2], NULL);
	if (fd < 0 || write(fd, "\3\0\0\0", 4) != 4)
		return 1;
	printf("held\n");
	fflush(stdout);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	if (argc > 2 && !strcmp(argv[1], "--uid")) {
		if (setgid(atoi(argv[2])) || setuid(atoi(argv[2]))) {
			perror("setuid");
			return 1;
		}
		argc -= 2;
		argv += 2;
	}
	if (argc < 2)
		goto usage;
	argc--;
	argv++;
	if (!strcmp(argv[0], "events"))
		return cmd_events(argc, argv);
	if (!strcmp(argv[0], "config"))
		return cmd_config(argc, argv);
	if (!strcmp(argv[0], "state"))
		return cmd_state(argc, argv);
	if (!strcmp(argv[0], "stats"))
		return cmd_stats();
	if (!strcmp(argv[0], "getconfig"))
		return cmd_getconfig();
	if (!strcmp(argv[0], "version"))
		return cmd_version(argc, argv);
	if (!strcmp(argv[0], "send"))
		return cmd_send(argc, argv);
	if (!strcmp(argv[0], "hold"))
		return cmd_hold(argc, argv);
usage:
	fprintf(stderr, "usage: see tests/kmod/kmod_client.c\n");
	return 2;
}
