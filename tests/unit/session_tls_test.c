// SPDX-License-Identifier: GPL-2.0-only
/*
 * The daemon's TLS client contexts against an independent peer: openssl
 * s_server as the device, on a UNIX socket (no network needed). PSK with
 * the right and a wrong PPS; PKI with the server requiring a client
 * certificate from a trusted and from an untrusted root.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "../../userspace/amtscad/session_tls.h"

#define PID "ABCD1234"
#define PPS "0123-4567-89AB-CDEF-GHIJ-KLMN-OPQR-STUV"
/* Hex of the PPS's 32 ASCII characters without dashes. */
#define PPS_HEX \
	"303132333435363738394142434445464748494a4b4c4d4e4f50515253545556"
#define WRONG_PPS "0123-4567-89AB-CDEF-GHIJ-KLMN-OPQR-STUW"

static char dir[64];

static int sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

/* Start s_server with extra args on DIR/sock; returns its pid. */
static pid_t server_start(const char *args)
{
	char cmd[2048];
	pid_t pid;

	snprintf(cmd, sizeof(cmd),
		 "cd %s && exec timeout 20 openssl s_server -quiet -naccept 1 "
		 "-unix sock %s >/dev/null 2>&1",
		 dir, args);
	unlink(strcat(strcpy((char[128]){ 0 }, dir), "/sock"));
	pid = fork();
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* Connect to the server (bounded wait) and run the handshake plus one read. */
static int handshake(SSL_CTX *ctx, const char *pid, const char *pps)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = -1, i, ok = 0;
	char byte;
	SSL *ssl;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/sock", dir);
	for (i = 0; i < 100; i++) {
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
			break;
		close(fd);
		fd = -1;
		usleep(50000);
	}
	if (fd < 0)
		return -1;
	ssl = SSL_new(ctx);
	SSL_set_fd(ssl, fd);
	if (pid && session_tls_set_psk(ssl, pid, pps, 0))
		ok = -1;
	else if (SSL_connect(ssl) == 1 && SSL_write(ssl, "GET\n", 4) == 4)
		/* A rejected client cert may surface only here. */
		ok = SSL_read(ssl, &byte, 1) >= 0 ||
				     SSL_get_error(ssl, -1) ==
					     SSL_ERROR_ZERO_RETURN ?
			     1 :
			     0;
	SSL_free(ssl);
	close(fd);
	return ok;
}

static void server_stop(pid_t pid)
{
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
}

FIXTURE(tls)
{
	int unused;
};

FIXTURE_SETUP(tls)
{
	strcpy(dir, "/tmp/amtd-tls.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(dir));
	/* Two CAs; the device trusts ca1; client certs from each. */
	ASSERT_EQ(
		0,
		sh("cd %s && for c in ca1 ca2; do "
		   "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
		   "-keyout $c.key -out $c.pem -subj /CN=$c -days 2 2>/dev/null || exit 1; "
		   "openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
		   "-keyout cl_$c.key -out cl_$c.csr -subj /CN=prov.example.test 2>/dev/null || exit 1; "
		   "openssl x509 -req -in cl_$c.csr -CA $c.pem -CAkey $c.key -CAcreateserial "
		   "-out cl_$c.crt -days 2 2>/dev/null || exit 1; "
		   "cat cl_$c.crt $c.pem > chain_$c.pem; done; "
		   "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
		   "-keyout dev.key -out dev.pem -subj /CN=amt-device -days 2 2>/dev/null",
		   dir));
}

FIXTURE_TEARDOWN(tls)
{
	sh("rm -rf %s", dir);
}

/* Handshake with an s_server that holds the right PPS; 1 if it completes. */
static int psk_handshake_against_server(const char *pps)
{
	SSL_CTX *ctx =
		session_tls_ctx_psk("PSK", TLS1_2_VERSION, TLS1_2_VERSION);
	pid_t srv;
	int ok;

	if (!ctx)
		return -1;
	srv = server_start("-nocert -tls1_2 -cipher PSK -psk_identity " PID
			   " -psk " PPS_HEX);
	ok = handshake(ctx, PID, pps);
	server_stop(srv);
	SSL_CTX_free(ctx);
	return ok;
}

TEST_F(tls, psk_right_key)
{
	EXPECT_EQ(1, psk_handshake_against_server(PPS));
}

TEST_F(tls, psk_wrong_key)
{
	EXPECT_EQ(0, psk_handshake_against_server(WRONG_PPS));
}

TEST_F(tls, psk_malformed_pps_refused)
{
	SSL_CTX *ctx =
		session_tls_ctx_psk("PSK", TLS1_2_VERSION, TLS1_2_VERSION);
	SSL *ssl;

	ASSERT_NE(NULL, ctx);
	ssl = SSL_new(ctx);
	EXPECT_EQ(-1, session_tls_set_psk(ssl, PID, "0123-4567", 0));
	EXPECT_EQ(-1, session_tls_set_psk(ssl, "SHORT", PPS, 0));
	EXPECT_EQ(-1,
		  session_tls_set_psk(
			  ssl, PID, "0123-4567-89AB-CDEF-GHIJ-KLMN-OPQR-ST!V", 0));
	SSL_free(ssl);
	SSL_CTX_free(ctx);
}

static void pki_case(struct __test_metadata *_metadata, const char *ca,
		     int expect)
{
	char chain[128], key[128];
	SSL_CTX *ctx;
	pid_t srv;

	snprintf(chain, sizeof(chain), "%s/chain_%s.pem", dir, ca);
	snprintf(key, sizeof(key), "%s/cl_%s.key", dir, ca);
	ctx = session_tls_ctx_pki(chain, key, TLS1_2_VERSION, TLS1_2_VERSION);
	ASSERT_NE(NULL, ctx);
	srv = server_start("-tls1_2 -cert dev.pem -key dev.key -Verify 2 "
			   "-verify_return_error -CAfile ca1.pem");
	EXPECT_EQ(expect, handshake(ctx, NULL, NULL));
	server_stop(srv);
	SSL_CTX_free(ctx);
}

TEST_F(tls, pki_trusted_root)
{
	pki_case(_metadata, "ca1", 1);
}

TEST_F(tls, pki_untrusted_root)
{
	pki_case(_metadata, "ca2", 0);
}

TEST_HARNESS_MAIN
