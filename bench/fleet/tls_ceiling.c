// SPDX-License-Identifier: GPL-2.0-only
/*
 * tls_ceiling: the raw TLS handshake ceiling of this machine, for comparing
 * with provisioning throughput. Server and client processes on 127.0.0.1
 * (run it inside a network namespace) do nothing but handshakes, in three
 * phases of SECONDS each, taking turns a second at a time:
 *
 * - full: TCP connect, full handshake, close_notify, close. No session
 *   cache, no tickets. Prints "handshake_ceiling <mode> <handshakes/s>".
 * - pair: what a device needs at least, as AMT closes the connection after
 *   the 401: a full handshake, then on a new TCP connection a handshake
 *   resuming its session (server session cache by session id, no tickets,
 *   as amtsim does). Prints "handshake_pair_ceiling <mode> <pairs/s>",
 *   "handshake_pair_cpu_us <mode> <CPU per pair, us>" and
 *   "pair_vs_ceiling <mode> <pairs/s / handshakes/s>".
 * - floor: the pair with the fewest HTTP exchanges a setup session can
 *   have, as TLS records of FLOOR_MSG_BYTES each way and nothing parsed,
 *   built or stored: on the first connection the request the device
 *   answers with 401, on the resumed one the call that sets the admin
 *   credential and CommitChanges. Prints "protocol_floor <mode>
 *   <devices/s>", "protocol_floor_cpu_us <mode> <CPU per device, us>" and
 *   "floor_vs_ceiling <mode> <devices/s / handshakes/s>": the most any
 *   provisioning of this protocol reaches on this machine.
 *
 *   tls_ceiling psk SECONDS SERVERS CLIENTS
 *   tls_ceiling pki SECONDS SERVERS CLIENTS SERVER.pem SERVER.key \
 *               CHAIN.pem CHAIN.key ROOT.pem
 *
 * psk mirrors a PSK setup session (TLS 1.2 PSK-AES128-CBC-SHA, 32-byte
 * key); pki mirrors a PKI one (the device's self-signed RSA certificate,
 * a client certificate chain verified against the trusted root). Prints
 * "handshake_ceiling <mode> <handshakes per second>" and
 * "handshake_cpu_us <mode> <CPU (user + system) of servers and clients per
 * full handshake, us>": the machine's other load lowers the rate, much
 * less the CPU a handshake takes.
 *
 * --full-only: the full phase alone.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#define PSK_IDENTITY "BENCHPID"
#define PSK_CIPHERS "PSK-AES128-CBC-SHA:@SECLEVEL=0"

static const unsigned char psk_key[32] = "BENCHPPS0123456789ABCDEFGHIJKLMN";

/*
 * floor: each request and each response is one record of this many bytes
 * (AMT's 401 carries a 693-byte HTML body; a WS-Man request with its
 * headers and Digest is about 1 KB).
 */
#define FLOOR_MSG_BYTES 1024
/* floor: exchanges on the first connection (401) and the resumed one. */
#define FLOOR_FIRST_EXCHANGES 1
#define FLOOR_SECOND_EXCHANGES 2

enum phase { PHASE_FULL, PHASE_PAIR, PHASE_FLOOR };

struct pki_files {
	const char *server_cert, *server_key;
	const char *client_chain, *client_key, *root;
};

static void die(const char *what)
{
	fprintf(stderr, "tls_ceiling: %s: %s\n", what, strerror(errno));
	ERR_print_errors_fp(stderr);
	exit(1);
}

static unsigned int psk_server_cb(SSL *ssl, const char *identity,
				  unsigned char *psk, unsigned int max_len)
{
	(void)ssl;
	if (strcmp(identity, PSK_IDENTITY) || max_len < sizeof(psk_key))
		return 0;
	memcpy(psk, psk_key, sizeof(psk_key));
	return sizeof(psk_key);
}

static unsigned int psk_client_cb(SSL *ssl, const char *hint, char *identity,
				  unsigned int max_identity_len,
				  unsigned char *psk, unsigned int max_psk_len)
{
	(void)ssl, (void)hint;
	if (max_identity_len <= strlen(PSK_IDENTITY) ||
	    max_psk_len < sizeof(psk_key))
		return 0;
	strcpy(identity, PSK_IDENTITY);
	memcpy(psk, psk_key, sizeof(psk_key));
	return sizeof(psk_key);
}

static SSL_CTX *ctx_new(const SSL_METHOD *method)
{
	SSL_CTX *ctx = SSL_CTX_new(method);

	if (!ctx)
		die("SSL_CTX_new");
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
	return ctx;
}

/*
 * AMT's provisioning leaf carries EKU serverAuth, not clientAuth, yet is
 * sent as the client certificate: like the device, accept it for that
 * purpose (OpenSSL's "ssl_client" purpose check would refuse it).
 */
static int verify_cb(int ok, X509_STORE_CTX *x)
{
	if (!ok && X509_STORE_CTX_get_error(x) == X509_V_ERR_INVALID_PURPOSE &&
	    X509_STORE_CTX_get_error_depth(x) == 0)
		return 1;
	return ok;
}

static SSL_CTX *server_ctx(int pki, const struct pki_files *f, int resume)
{
	static const unsigned char sid_ctx[] = "tls_ceiling";
	SSL_CTX *ctx = ctx_new(TLS_server_method());

	if (resume) {
		SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_SERVER);
		SSL_CTX_set_session_id_context(ctx, sid_ctx, sizeof(sid_ctx));
	}

	if (!pki) {
		if (!SSL_CTX_set_cipher_list(ctx, PSK_CIPHERS))
			die("PSK cipher list");
		SSL_CTX_set_psk_server_callback(ctx, psk_server_cb);
		return ctx;
	}
	if (SSL_CTX_use_certificate_file(ctx, f->server_cert,
					 SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, f->server_key, SSL_FILETYPE_PEM) !=
		    1 ||
	    SSL_CTX_load_verify_locations(ctx, f->root, NULL) != 1)
		die("server certificate files");
	SSL_CTX_set_verify(ctx,
			   SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
			   verify_cb);
	return ctx;
}

static SSL_CTX *client_ctx(int pki, const struct pki_files *f)
{
	SSL_CTX *ctx = ctx_new(TLS_client_method());

	/* As the daemon: a device in Setup Mode is self-signed. */
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	if (!pki) {
		if (!SSL_CTX_set_cipher_list(ctx, PSK_CIPHERS))
			die("PSK cipher list");
		SSL_CTX_set_psk_client_callback(ctx, psk_client_cb);
		return ctx;
	}
	if (SSL_CTX_use_certificate_chain_file(ctx, f->client_chain) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, f->client_key, SSL_FILETYPE_PEM) !=
		    1)
		die("client certificate files");
	return ctx;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Read exactly len bytes; 1 on success, 0 on close or error. */
static int read_full(SSL *ssl, unsigned char *buf, int len)
{
	int got = 0, n;

	while (got < len) {
		n = SSL_read(ssl, buf + got, len - got);
		if (n <= 0)
			return 0;
		got += n;
	}
	return 1;
}

/*
 * Accept connections for ever. With answer set, answer every request of
 * FLOOR_MSG_BYTES with a response as long, until the client closes.
 */
static void serve(int lfd, SSL_CTX *ctx, int answer)
{
	unsigned char msg[FLOOR_MSG_BYTES];
	int one = 1;

	memset(msg, 'r', sizeof(msg));
	for (;;) {
		int fd = accept(lfd, NULL, NULL);
		SSL *ssl;

		if (fd < 0) {
			if (errno == EINTR)
				continue;
			die("accept");
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		ssl = SSL_new(ctx);
		SSL_set_fd(ssl, fd);
		if (SSL_accept(ssl) == 1) {
			while (answer && read_full(ssl, msg, sizeof(msg)) &&
			       SSL_write(ssl, msg, sizeof(msg)) == sizeof(msg))
				;
			SSL_shutdown(ssl);
		}
		SSL_free(ssl);
		close(fd);
	}
}

/* exchanges request/response round trips; 1 when all completed. */
static int exchange(SSL *ssl, int exchanges)
{
	unsigned char msg[FLOOR_MSG_BYTES];
	int i;

	memset(msg, 'q', sizeof(msg));
	for (i = 0; i < exchanges; i++)
		if (SSL_write(ssl, msg, sizeof(msg)) != sizeof(msg) ||
		    !read_full(ssl, msg, sizeof(msg)))
			return 0;
	return 1;
}

/*
 * One TCP connection with one handshake, resuming *sess when it is set,
 * and then exchanges round trips. Returns 1 when all completed (and, with
 * *sess, the handshake resumed it), leaving in *sess the connection's
 * session when sess is not NULL.
 */
static int handshake(const struct sockaddr_in *sa, SSL_CTX *ctx,
		     SSL_SESSION **sess, int exchanges)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1, ok;
	SSL *ssl;

	if (fd < 0)
		die("socket");
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (const struct sockaddr *)sa, sizeof(*sa)))
		die("connect");
	ssl = SSL_new(ctx);
	SSL_set_fd(ssl, fd);
	if (sess && *sess)
		SSL_set_session(ssl, *sess);
	ok = SSL_connect(ssl) == 1;
	if (ok && sess && *sess)
		ok = SSL_session_reused(ssl);
	if (ok && exchanges)
		ok = exchange(ssl, exchanges);
	if (ok) {
		SSL_shutdown(ssl);
		if (sess) {
			SSL_SESSION_free(*sess);
			*sess = SSL_get1_session(ssl);
		}
	}
	SSL_free(ssl);
	close(fd);
	return ok;
}

static const char *const phase_unit[] = {
	[PHASE_FULL] = "handshakes",
	[PHASE_PAIR] = "handshake pairs",
	[PHASE_FLOOR] = "floor exchanges",
};

/* Returns the handshakes (pairs, floors) completed before the deadline. */
static unsigned long connect_loop(const struct sockaddr_in *sa, SSL_CTX *ctx,
				  double deadline, enum phase phase)
{
	int first = phase == PHASE_FLOOR ? FLOOR_FIRST_EXCHANGES : 0;
	int second = phase == PHASE_FLOOR ? FLOOR_SECOND_EXCHANGES : 0;
	unsigned long done = 0, failed = 0;

	while (now_s() < deadline) {
		SSL_SESSION *sess = NULL;
		int ok;

		if (phase == PHASE_FULL) {
			ok = handshake(sa, ctx, NULL, 0);
		} else {
			ok = handshake(sa, ctx, &sess, first) &&
			     handshake(sa, ctx, &sess, second);
			SSL_SESSION_free(sess);
		}
		if (ok)
			done++;
		else
			failed++;
	}
	if (failed)
		fprintf(stderr, "tls_ceiling: %lu %s failed\n", failed,
			phase_unit[phase]);
	return done;
}

/* What the slices of one phase added up to. */
struct tally {
	unsigned long done;
	double seconds;
	double cpu_s; /* user + system of all the slices' processes */
};

/* CPU of the children waited for so far, in seconds. */
static double children_cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_CHILDREN, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/*
 * One slice of a phase: SERVERS server processes, CLIENTS client processes
 * for SECONDS. For pairs (and floors) each server has a listening socket
 * of its own and each client keeps to one server, whose session cache
 * (per process) resumes the client's sessions. Adds the handshakes (pairs,
 * floors), the time taken and the processes' CPU to *t.
 */
static void measure(int pki, const struct pki_files *files, int seconds,
		    int servers, int clients, enum phase phase, struct tally *t)
{
	double cpu0 = children_cpu_s();
	int pair = phase != PHASE_FULL, one = 1, i;
	int listeners = pair ? servers : 1;
	struct sockaddr_in *sa = calloc(listeners, sizeof(*sa));
	pid_t *kids = calloc(servers + clients, sizeof(*kids));
	int *lfd = calloc(listeners, sizeof(*lfd));
	unsigned long *counts, total = 0;
	double started, deadline;

	counts = mmap(NULL, clients * sizeof(*counts), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!sa || !kids || !lfd || counts == MAP_FAILED)
		die("memory");
	for (i = 0; i < listeners; i++) {
		socklen_t salen = sizeof(sa[i]);

		sa[i].sin_family = AF_INET;
		sa[i].sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		lfd[i] = socket(AF_INET, SOCK_STREAM, 0);
		if (lfd[i] < 0)
			die("socket");
		setsockopt(lfd[i], SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(lfd[i], (struct sockaddr *)&sa[i], sizeof(sa[i])) ||
		    listen(lfd[i], 4096) ||
		    getsockname(lfd[i], (struct sockaddr *)&sa[i], &salen))
			die("listen on 127.0.0.1");
	}
	for (i = 0; i < servers; i++) {
		kids[i] = fork();
		if (kids[i] < 0)
			die("fork");
		if (!kids[i])
			serve(lfd[i % listeners], server_ctx(pki, files, pair),
			      phase == PHASE_FLOOR);
	}
	started = now_s();
	deadline = started + seconds;
	for (i = 0; i < clients; i++) {
		kids[servers + i] = fork();
		if (kids[servers + i] < 0)
			die("fork");
		if (!kids[servers + i]) {
			counts[i] = connect_loop(&sa[i % listeners],
						 client_ctx(pki, files),
						 deadline, phase);
			_exit(0);
		}
	}
	for (i = 0; i < clients; i++) {
		int status;

		if (waitpid(kids[servers + i], &status, 0) < 0 ||
		    !WIFEXITED(status) || WEXITSTATUS(status))
			fprintf(stderr, "tls_ceiling: client %d failed\n", i);
		total += counts[i];
	}
	t->done += total;
	t->seconds += now_s() - started;
	for (i = 0; i < servers; i++) {
		kill(kids[i], SIGTERM);
		waitpid(kids[i], NULL, 0);
	}
	t->cpu_s += children_cpu_s() - cpu0;
	for (i = 0; i < listeners; i++)
		close(lfd[i]);
	munmap(counts, clients * sizeof(*counts));
	free(lfd);
	free(kids);
	free(sa);
}

static double rate(const struct tally *t)
{
	return t->seconds > 0 ? t->done / t->seconds : 0;
}

/* CPU (user + system, both sides) per handshake (pair, floor), us. */
static double cpu_us(const struct tally *t)
{
	return t->done ? t->cpu_s * 1e6 / t->done : 0;
}

int main(int argc, char **argv)
{
	struct pki_files files = { 0 };
	int pki, seconds, servers, clients, full_only = 0;
	struct tally tally[3] = { 0 };
	double full, pair, floor;
	int slice, p;

	/* --full-only: the full handshakes alone (provision.sh, per fleet). */
	if (argc > 1 && !strcmp(argv[1], "--full-only")) {
		full_only = 1;
		argc--;
		argv++;
	}
	if (argc < 5 || (strcmp(argv[1], "psk") && strcmp(argv[1], "pki")) ||
	    (!strcmp(argv[1], "pki") && argc != 10)) {
		fprintf(stderr,
			"usage: tls_ceiling [--full-only] psk|pki SECONDS "
			"SERVERS CLIENTS [SERVER.pem SERVER.key CHAIN.pem CHAIN.key ROOT.pem]\n");
		return 64;
	}
	pki = !strcmp(argv[1], "pki");
	seconds = atoi(argv[2]);
	servers = atoi(argv[3]);
	clients = atoi(argv[4]);
	if (seconds < 1 || servers < 1 || clients < 1) {
		fprintf(stderr,
			"tls_ceiling: SECONDS, SERVERS, CLIENTS >= 1\n");
		return 64;
	}
	if (pki)
		files = (struct pki_files){ argv[5], argv[6], argv[7], argv[8],
					    argv[9] };
	/*
	 * The phases take turns a second at a time, so that load from
	 * elsewhere, which moves over seconds, weighs on each alike and the
	 * ratios compare like with like.
	 */
	for (slice = 0; slice < seconds; slice++)
		for (p = PHASE_FULL;
		     p <= (full_only ? PHASE_FULL : PHASE_FLOOR); p++)
			measure(pki, &files, 1, servers, clients, p, &tally[p]);
	full = rate(&tally[PHASE_FULL]);
	printf("handshake_ceiling %s %.0f\n", argv[1], full);
	printf("handshake_cpu_us %s %.0f\n", argv[1],
	       cpu_us(&tally[PHASE_FULL]));
	if (full_only)
		return full ? 0 : 1;
	pair = rate(&tally[PHASE_PAIR]);
	floor = rate(&tally[PHASE_FLOOR]);
	printf("handshake_pair_ceiling %s %.0f\n", argv[1], pair);
	printf("handshake_pair_cpu_us %s %.0f\n", argv[1],
	       cpu_us(&tally[PHASE_PAIR]));
	printf("pair_vs_ceiling %s %.2f\n", argv[1], full ? pair / full : 0);
	printf("protocol_floor %s %.0f\n", argv[1], floor);
	printf("protocol_floor_cpu_us %s %.0f\n", argv[1],
	       cpu_us(&tally[PHASE_FLOOR]));
	printf("floor_vs_ceiling %s %.2f\n", argv[1], full ? floor / full : 0);
	return full && pair && floor ? 0 : 1;
}
