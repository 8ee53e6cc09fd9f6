// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Hello emitter: on each scheduled Hello a device connects from its
 * own address to the SCA, writes one Hello and closes (amt-protocol.md
 * §1.1, §8), until it is Operational or its provisioning window closes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fleet.h"
#include "hello_encode.h"
#include "hello_schedule.h"

/* Hello connects that take longer than this count as failed. */
#define HELLO_CONNECT_TIMEOUT_MS 5000

/* The Hello bytes for device d now, in a new buffer; 0 on failure. */
static size_t build_hello(struct sim_fleet *f, struct sim_device *d,
			  uint8_t **out)
{
	struct amt_hello_fields fields = {
		.admin_credentials_set = f->opt->admin_flag,
		.retry_count =
			hello_retry_count(d->hello_index, f->opt->retry_max),
	};
	struct amt_hello_hash hashes[SIM_MAX_TRUSTED_ROOTS];
	uint8_t *buf = malloc(AMT_HELLO_MAX_LEN);
	unsigned int i;
	long len;

	if (!buf)
		return 0;
	memcpy(fields.uuid, d->creds.uuid, sizeof(fields.uuid));
	if (d->pki) {
		for (i = 0; i < f->n_roots; i++) {
			hashes[i].type = AMT_HASH_SHA256;
			hashes[i].size = AMT_HASH_SHA256_LEN;
			memcpy(hashes[i].hash, f->roots[i].sha256,
			       AMT_HASH_SHA256_LEN);
		}
		len = amt_hello_encode_pki(&fields, hashes, f->n_roots, buf,
					   AMT_HELLO_MAX_LEN);
	} else {
		len = amt_hello_encode_psk(&fields, d->creds.pid, buf,
					   AMT_HELLO_MAX_LEN);
	}
	if (len <= 0) {
		free(buf);
		return 0;
	}
	*out = buf;
	return (size_t)len;
}

/* --fault-garbage-hello: bytes that are no Hello at all. */
static size_t build_garbage(struct sim_fleet *f, uint8_t **out)
{
	size_t len = 8 + sim_random(f) % 56, i;
	uint8_t *buf = malloc(len);

	if (!buf)
		return 0;
	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)sim_random(f);
	/* Version 0x00ff: never a valid Hello. */
	buf[2] = 0xff;
	buf[3] = 0x00;
	*out = buf;
	return len;
}

/* Open one Hello connection carrying bytes (taken over). */
static void send_one(struct sim_fleet *f, struct sim_device *d, uint8_t *bytes,
		     size_t len, uint64_t now)
{
	struct sockaddr_storage src;
	socklen_t src_len = sim_device_addr(f, d, f->sca.ss_family, &src);
	int one = 1, fd;
	struct sim_conn *c;

	fd = socket(f->sca.ss_family,
		    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto fail;
	setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&src, src_len) ||
	    (connect(fd, (struct sockaddr *)&f->sca, f->sca_len) &&
	     errno != EINPROGRESS))
		goto fail;
	c = sim_conn_new(f, SIM_HELLO, fd, d);
	if (!c)
		goto fail;
	c->hello = bytes;
	c->hello_len = len;
	c->deadline_ms = now + HELLO_CONNECT_TIMEOUT_MS;
	if (sim_conn_watch(f, c, EPOLLOUT))
		sim_conn_close(f, c, false);
	return;
fail:
	if (fd >= 0)
		close(fd);
	free(bytes);
	sim_fail(d, SIM_FAIL_HELLO_CONNECT);
}

static void emit(struct sim_fleet *f, struct sim_device *d, uint64_t now)
{
	const struct sim_faults *fl = &f->opt->faults;
	uint8_t *bytes, *copy;
	size_t len;

	if (sim_chance(f, fl->drop))
		return;
	if (sim_chance(f, fl->garbage_hello))
		len = build_garbage(f, &bytes);
	else
		len = build_hello(f, d, &bytes);
	if (!len)
		return;
	if (sim_chance(f, fl->dup_hello)) {
		copy = malloc(len);
		if (copy) {
			memcpy(copy, bytes, len);
			send_one(f, d, copy, len, now);
		}
	}
	send_one(f, d, bytes, len, now);
}

void sim_hello_start(struct sim_fleet *f, struct sim_device *d, uint64_t now)
{
	d->hello_index = 0;
	d->window_end_ms = 0;
	d->gave_up = false;
	sim_timer_set(f, d, now);
}

void sim_hello_timer(struct sim_fleet *f, struct sim_device *d, uint64_t now)
{
	long delay;

	if (d->gave_up)
		return;
	if (d->window_end_ms && now >= d->window_end_ms) {
		sim_fail(d, SIM_FAIL_WINDOW_CLOSED);
		sim_device_done(f, d, false);
		return;
	}
	if (!d->window_end_ms)
		d->window_end_ms =
			now + sim_scaled_ms(f, f->opt->window_hours * 3600);
	emit(f, d, now);
	delay = hello_schedule_delay(&f->opt->schedule, d->hello_index);
	d->hello_index++;
	/* After the last Hello the device waits for its window to close. */
	if (delay < 0 || now + sim_scaled_ms(f, delay) > d->window_end_ms)
		sim_timer_set(f, d, d->window_end_ms);
	else
		sim_timer_set(f, d, now + sim_scaled_ms(f, delay));
}

void sim_hello_event(struct sim_fleet *f, struct sim_conn *c, uint32_t events)
{
	int err = 0;
	socklen_t len = sizeof(err);
	ssize_t n;

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) || err ||
	    (events & (EPOLLERR | EPOLLHUP))) {
		sim_fail(c->dev, SIM_FAIL_HELLO_CONNECT);
		sim_conn_close(f, c, false);
		return;
	}
	n = send(c->fd, c->hello, c->hello_len, MSG_NOSIGNAL);
	if (n < 0 && errno == EAGAIN)
		return;
	if (n == (ssize_t)c->hello_len)
		sim_count_hello(c->dev);
	else
		sim_fail(c->dev, SIM_FAIL_HELLO_CONNECT);
	/* One Hello per connection, then close: nothing is read back. */
	sim_conn_close(f, c, false);
}
