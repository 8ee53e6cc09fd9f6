// SPDX-License-Identifier: GPL-2.0-only
/* Small shared helpers: time, fault dice, device addresses, completion. */
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "fleet.h"

static const char *const failure_names[SIM_FAIL_COUNT] = {
	[SIM_FAIL_HELLO_CONNECT] = "hello_connect",
	[SIM_FAIL_TLS_HANDSHAKE] = "tls_handshake",
	[SIM_FAIL_PSK_IDENTITY] = "psk_identity",
	[SIM_FAIL_PKI_NO_CERT] = "pki_no_cert",
	[SIM_FAIL_PKI_ROOT] = "pki_untrusted_root",
	[SIM_FAIL_PKI_CHAIN] = "pki_chain",
	[SIM_FAIL_PKI_USAGE] = "pki_usage",
	[SIM_FAIL_PKI_DOMAIN] = "pki_domain",
	[SIM_FAIL_HTTP] = "http_malformed",
	[SIM_FAIL_DIGEST_PASSWORD] = "digest_password",
	[SIM_FAIL_DIGEST_STALE] = "digest_stale",
	[SIM_FAIL_DIGEST_REPLAY] = "digest_replay",
	[SIM_FAIL_WINDOW_CLOSED] = "window_closed",
	[SIM_FAIL_INJECTED_REBOOT] = "injected_reboot",
};

const char *sim_failure_name(enum sim_failure f)
{
	return failure_names[f];
}

uint64_t sim_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void *sim_shared_calloc(size_t n, size_t size)
{
	void *p;

	if (!n || size > SIZE_MAX / n)
		return NULL;
	p = mmap(NULL, n * size, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

void sim_shared_free(void *p, size_t n, size_t size)
{
	if (p)
		munmap(p, n * size);
}

uint64_t sim_scaled_ms(const struct sim_fleet *f, double sim_seconds)
{
	return (uint64_t)(sim_seconds * 1000 / f->opt->time_scale);
}

/* xorshift64*: reproducible fault decisions for a given --seed. */
uint64_t sim_random(struct sim_fleet *f)
{
	f->rng ^= f->rng >> 12;
	f->rng ^= f->rng << 25;
	f->rng ^= f->rng >> 27;
	return f->rng * 0x2545f4914f6cdd1dULL;
}

bool sim_chance(struct sim_fleet *f, double rate)
{
	if (rate <= 0)
		return false;
	return (double)(sim_random(f) >> 11) * 0x1.0p-53 < rate;
}

uint64_t sim_in6_low64(const struct in6_addr *a)
{
	uint64_t v = 0;
	int i;

	for (i = 8; i < 16; i++)
		v = v << 8 | a->s6_addr[i];
	return v;
}

struct sim_device *sim_device_by_addr(struct sim_fleet *f,
				      const struct sockaddr_storage *ss)
{
	const struct sim_options *o = f->opt;
	uint64_t off;

	if (ss->ss_family == AF_INET) {
		off = (uint64_t)ntohl(((const struct sockaddr_in *)ss)
					      ->sin_addr.s_addr) -
		      ntohl(o->addr_base.s_addr);
	} else if (ss->ss_family == AF_INET6 && o->has_addr6) {
		const struct in6_addr *a =
			&((const struct sockaddr_in6 *)ss)->sin6_addr;

		if (memcmp(a, &o->addr6_base, 8))
			return NULL;
		off = sim_in6_low64(a) - sim_in6_low64(&o->addr6_base);
	} else {
		return NULL;
	}
	if (off >= f->lo && off < f->hi)
		return &f->dev[off];
	if (off < f->n)
		f->misrouted++;
	return NULL;
}

socklen_t sim_device_addr(const struct sim_fleet *f, const struct sim_device *d,
			  int family, struct sockaddr_storage *out)
{
	const struct sim_options *o = f->opt;

	memset(out, 0, sizeof(*out));
	if (family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)out;
		uint64_t v = sim_in6_low64(&o->addr6_base) + d->index;
		int i;

		s6->sin6_family = AF_INET6;
		s6->sin6_addr = o->addr6_base;
		for (i = 15; i >= 8; i--, v >>= 8)
			s6->sin6_addr.s6_addr[i] = (uint8_t)v;
		return sizeof(*s6);
	}
	((struct sockaddr_in *)out)->sin_family = AF_INET;
	((struct sockaddr_in *)out)->sin_addr.s_addr =
		htonl(ntohl(o->addr_base.s_addr) + d->index);
	return sizeof(struct sockaddr_in);
}

void sim_device_done(struct sim_fleet *f, struct sim_device *d, bool ok)
{
	sim_timer_set(f, d, UINT64_MAX);
	if (ok)
		f->operational++;
	else
		d->gave_up = true;
	f->done++;
}
