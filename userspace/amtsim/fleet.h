/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * amtsim's shared state: the devices, the connections the event loop
 * drives, and the failure reasons counted per device.
 */
#ifndef AMTSIM_FLEET_H
#define AMTSIM_FLEET_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include <openssl/ssl.h>

#include "creds.h"
#include "http_digest.h"
#include "http_msg.h"
#include "options.h"

struct amt_device_model;

/*
 * Why a device counted something as failed; the names are the keys of
 * "failures" in the state JSON.
 */
enum sim_failure {
	SIM_FAIL_HELLO_CONNECT, /* the SCA refused or never answered a Hello */
	SIM_FAIL_TLS_HANDSHAKE, /* a TLS handshake failed (wrong key, ...) */
	SIM_FAIL_PSK_IDENTITY, /* PSK identity is not the device's PID */
	SIM_FAIL_PKI_NO_CERT, /* the client sent no certificate chain */
	SIM_FAIL_PKI_ROOT, /* no certificate in the chain is a trusted root */
	SIM_FAIL_PKI_CHAIN, /* the chain does not verify up to that root */
	SIM_FAIL_PKI_USAGE, /* leaf lacks serverAuth, or both OID and OU */
	SIM_FAIL_PKI_DOMAIN, /* leaf CN is not in the device's domain */
	SIM_FAIL_HTTP, /* malformed HTTP request */
	SIM_FAIL_DIGEST_PASSWORD, /* Digest response wrong */
	SIM_FAIL_DIGEST_STALE, /* unknown or expired nonce */
	SIM_FAIL_DIGEST_REPLAY, /* nonce count not increasing */
	SIM_FAIL_WINDOW_CLOSED, /* provisioning window closed first */
	SIM_FAIL_INJECTED_REBOOT, /* --fault-reboot fired at CommitChanges */
	SIM_FAIL_COUNT,
};

const char *sim_failure_name(enum sim_failure f);

#define SIM_NONCES 4 /* Digest nonces remembered per device */

struct sim_nonce {
	char value[40]; /* 32 base64 characters as AMT sends */
	uint32_t last_nc;
	uint64_t issued_ms; /* 0: slot unused */
};

struct sim_device {
	uint32_t index;
	bool pki;
	struct sim_creds creds;
	struct amt_device_model
		*model; /* also counts Hellos, sessions, failures */
	/* Hellos */
	uint32_t hello_index; /* position in the schedule */
	uint64_t window_end_ms; /* 0 until the first Hello */
	uint64_t timer_ms; /* next Hello or give-up, UINT64_MAX: none */
	uint32_t heap_pos;
	bool gave_up;
	/* Sessions */
	struct sim_nonce nonces[SIM_NONCES];
	unsigned int next_nonce;
	X509 *cert; /* PKI: self-signed, made before the first Hello */
};

enum sim_conn_kind { SIM_LISTENER, SIM_HELLO, SIM_SERVER };

struct sim_conn {
	enum sim_conn_kind kind; /* first: epoll data points here */
	int fd;
	struct sim_device *dev;
	uint64_t deadline_ms;
	struct sim_conn *prev, *next;
	/* SIM_HELLO */
	uint8_t *hello;
	size_t hello_len;
	/* SIM_SERVER */
	SSL *ssl;
	bool handshake_done;
	bool stalled;
	bool failed; /* a TLS callback already counted the failure */
	bool close_after_write;
	bool reset_after_write; /* --fault-reset/--fault-reboot: RST */
	struct http_msg req;
	char *out;
	size_t out_len, out_off;
	uint32_t epoll_events;
};

struct sim_listener {
	enum sim_conn_kind kind; /* SIM_LISTENER */
	int fd;
};

/* One trusted root as the device knows it: its digests. */
struct sim_root_hash {
	uint8_t sha1[20], sha256[32], sha384[48];
};

struct sim_fleet {
	const struct sim_options *opt;
	struct sim_device *dev;
	struct amt_device_model *models; /* one block, dev[i].model points in */
	uint32_t n;
	uint32_t lo, hi; /* the devices this process simulates: [lo, hi) */
	uint32_t misrouted; /* connections for another worker's device */
	struct sockaddr_storage sca;
	socklen_t sca_len;
	int epfd;
	/* Hello timers: a min-heap of device pointers by timer_ms. */
	struct sim_device **heap;
	uint32_t heap_len;
	struct sim_conn *conns; /* every open connection */
	uint32_t n_conns;
	SSL_CTX *psk_ctx, *pki_ctx;
	EVP_PKEY *device_key; /* key of every PKI device certificate */
	struct sim_root_hash roots[SIM_MAX_TRUSTED_ROOTS];
	unsigned int n_roots;
	uint64_t rng; /* fault decisions, from --seed */
	uint32_t operational;
	uint32_t done; /* operational or gave up */
};

uint64_t sim_now_ms(void);
/*
 * Zeroed memory the workers of --workers share with their parent, which
 * writes the state JSON from it after they end; free with sim_shared_free.
 */
void *sim_shared_calloc(size_t n, size_t size);
void sim_shared_free(void *p, size_t n, size_t size);
/* Real milliseconds for sim seconds at the fleet's time scale. */
uint64_t sim_scaled_ms(const struct sim_fleet *f, double sim_seconds);
/* true with probability rate (deterministic from the seed). */
bool sim_chance(struct sim_fleet *f, double rate);
uint64_t sim_random(struct sim_fleet *f);
void sim_fail(struct sim_device *d, enum sim_failure why);
/* The device sent a Hello / began a TLS session. */
void sim_count_hello(struct sim_device *d);
void sim_count_session(struct sim_device *d);

/*
 * The device of this process a local address the SCA connected to
 * belongs to, or NULL (counted in misrouted if another worker's).
 */
struct sim_device *sim_device_by_addr(struct sim_fleet *f,
				      const struct sockaddr_storage *ss);
/* The low 64 bits of an IPv6 address as a number. */
uint64_t sim_in6_low64(const struct in6_addr *a);
/* The device's IPv4 or IPv6 address with port 0. */
socklen_t sim_device_addr(const struct sim_fleet *f, const struct sim_device *d,
			  int family, struct sockaddr_storage *out);

/* Timers (timers.c); a device starts with heap_pos = SIM_NOT_QUEUED. */
#define SIM_NOT_QUEUED UINT32_MAX
void sim_timer_set(struct sim_fleet *f, struct sim_device *d, uint64_t when);
struct sim_device *sim_timer_due(struct sim_fleet *f, uint64_t now);
/* ms until the next timer (-1: none), at most cap. */
int sim_timer_wait_ms(const struct sim_fleet *f, uint64_t now, int cap);

/* Connections (conn.c) */
struct sim_conn *sim_conn_new(struct sim_fleet *f, enum sim_conn_kind kind,
			      int fd, struct sim_device *d);
void sim_conn_close(struct sim_fleet *f, struct sim_conn *c, bool reset);
int sim_conn_watch(struct sim_fleet *f, struct sim_conn *c, uint32_t events);
void sim_conn_expire(struct sim_fleet *f, uint64_t now);

/* Hellos (hello_tx.c) */
void sim_hello_start(struct sim_fleet *f, struct sim_device *d, uint64_t now);
void sim_hello_timer(struct sim_fleet *f, struct sim_device *d, uint64_t now);
void sim_hello_event(struct sim_fleet *f, struct sim_conn *c, uint32_t events);
/* The device left Setup Mode for good: no more Hellos. */
void sim_device_done(struct sim_fleet *f, struct sim_device *d, bool ok);

/* TLS + HTTP server (tls_server.c, http_server.c) */
int sim_tls_init(struct sim_fleet *f);
/*
 * Each PKI device's certificate, made at start as a real device has its
 * own before provisioning (an RSA signature each: signing them during the
 * run cost a sixth of amtsim's CPU in a PKI fleet).
 */
int sim_tls_device_certs(struct sim_fleet *f);
void sim_tls_free(struct sim_fleet *f);
void sim_server_accept(struct sim_fleet *f, struct sim_listener *l);
void sim_server_event(struct sim_fleet *f, struct sim_conn *c, uint32_t events);
/*
 * Answer the request in c->req; status is what http_msg_feed returned
 * (HTTP_MSG_DONE or an error). Appends to c->out; returns -1 when it
 * closed c (c is gone), else 0.
 */
int sim_http_request(struct sim_fleet *f, struct sim_conn *c, int status);

#endif /* AMTSIM_FLEET_H */
