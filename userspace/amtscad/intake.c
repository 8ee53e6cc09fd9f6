// SPDX-License-Identifier: GPL-2.0-only
#include <arpa/inet.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include "hello_json.h"
#include "intake.h"
#include "log.h"
#include "monotonic.h"
#include "session.h"
#include "store.h"
#include "uuid_set.h"

/* Initial slots of the active-device set; it doubles as devices come. */
#define ACTIVE_SLOTS_MIN 2048
/*
 * Accepted Hellos are written to the store together, one transaction
 * when the oldest has waited this long or this many wait: a commit costs
 * about as much as the rows of a few Hellos (WAL frames of every touched
 * page, checkpoints), and the main loop alone woke up for one to three.
 */
#define COMMIT_DELAY_MS 10
#define COMMIT_MAX 1024

/*
 * Only the event's first len Hello bytes are kept (a PSK Hello is ~60);
 * the device's address and UUID as text, formatted once for the log line
 * and the store.
 */
struct queued_hello {
	STAILQ_ENTRY(queued_hello) link;
	bool pki;
	char addr[INET6_ADDRSTRLEN], uuid[37];
	struct hello_event ev;
};

STAILQ_HEAD(hello_list, queued_hello);

struct intake {
	pthread_mutex_t lock;
	struct hello_list queue;
	struct uuid_set active; /* devices with a session queued or running */
	struct intake_stats stats;
	struct store *st;
	const struct device_state_hook *hook;
	unsigned int expiry_s;
	void (*wake)(void *ctx);
	void *wake_ctx;
	/* Main thread only: accepted Hellos not yet in the store. */
	struct hello_list staged;
	size_t n_staged;
	unsigned long long commit_at_ms; /* when the staged must be written */
	bool in_batch;
	unsigned int hello_flags; /* amt_hello_validate() flags */
};

struct intake *intake_new(struct store *st,
			  const struct device_state_hook *hook,
			  unsigned int expiry_s, unsigned int hello_flags)
{
	struct intake *in = calloc(1, sizeof(*in));

	if (!in)
		return NULL;
	if (uuid_set_init(&in->active, ACTIVE_SLOTS_MIN)) {
		free(in);
		return NULL;
	}
	pthread_mutex_init(&in->lock, NULL);
	STAILQ_INIT(&in->queue);
	STAILQ_INIT(&in->staged);
	in->st = st;
	in->hook = hook;
	in->expiry_s = expiry_s;
	in->hello_flags = hello_flags;
	return in;
}

static void free_list(struct hello_list *l)
{
	struct queued_hello *q;

	while ((q = STAILQ_FIRST(l))) {
		STAILQ_REMOVE_HEAD(l, link);
		free(q);
	}
}

void intake_free(struct intake *in)
{
	if (!in)
		return;
	free_list(&in->queue);
	free_list(&in->staged);
	uuid_set_free(&in->active);
	pthread_mutex_destroy(&in->lock);
	free(in);
}

void intake_set_wake(struct intake *in, void (*wake)(void *ctx), void *ctx)
{
	in->wake = wake;
	in->wake_ctx = ctx;
}

/* A copy of ev holding only its len Hello bytes; NULL without memory. */
static struct queued_hello *hello_copy(const struct hello_event *ev)
{
	size_t head = offsetof(struct queued_hello, ev.hello);
	struct queued_hello *q = malloc(head + ev->len);

	if (q)
		memcpy(&q->ev, ev,
		       offsetof(struct hello_event, hello) + ev->len);
	return q;
}

/* Mark uuid active (lock held); false when out of memory. */
static bool add_active(struct intake *in, const __u8 uuid[16])
{
	if (uuid_set_add(&in->active, uuid))
		return false;
	in->stats.active = in->active.n;
	return true;
}

static void remove_active(struct intake *in, const __u8 uuid[16])
{
	uuid_set_remove(&in->active, uuid);
	in->stats.active = in->active.n;
}

/* src into dst (size bytes), cut to fit: snprintf's "%s" was 2-3 % here. */
static void copy_text(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Mark uuid active and append ev to list (lock held); false without memory. */
static bool enqueue(struct intake *in, struct hello_list *list,
		    const struct hello_event *ev, bool pki, const char *addr,
		    const char *uuid)
{
	struct queued_hello *q = hello_copy(ev);

	if (!q || !add_active(in, ev->hello + 8)) {
		free(q);
		return false;
	}
	q->pki = pki;
	copy_text(q->addr, sizeof(q->addr), addr);
	copy_text(q->uuid, sizeof(q->uuid), uuid);
	STAILQ_INSERT_TAIL(list, q, link);
	return true;
}

/*
 * The staged Hellos are in the store now: hand them to the workers, mark
 * them QUEUED for the Hello path, wake the workers once.
 */
static void publish_staged(struct intake *in)
{
	unsigned long long expires_ns = monotonic_expiry_ns(in->expiry_s);
	__u8(*uuids)[16] = malloc(in->n_staged * sizeof(*uuids));
	struct queued_hello *q;
	size_t n = 0;

	/* One bpf() call for the batch (one per Hello was ~2 us each). */
	STAILQ_FOREACH(q, &in->staged, link)
	{
		if (uuids)
			memcpy(uuids[n++], q->ev.hello + 8, 16);
		else
			set_device_state(in->hook, q->ev.hello + 8,
					 AMTSCA_DEV_QUEUED, expires_ns);
	}
	set_device_states(in->hook, (const __u8(*)[16])uuids, n,
			  AMTSCA_DEV_QUEUED, expires_ns);
	free(uuids);
	pthread_mutex_lock(&in->lock);
	STAILQ_CONCAT(&in->queue, &in->staged);
	in->stats.queued += in->n_staged;
	in->stats.accepted += in->n_staged;
	pthread_mutex_unlock(&in->lock);
	in->n_staged = 0;
	if (in->wake)
		in->wake(in->wake_ctx);
}

/* The staged Hellos could not be recorded: they are not accepted. */
static void drop_staged(struct intake *in)
{
	struct queued_hello *q;

	while ((q = STAILQ_FIRST(&in->staged))) {
		STAILQ_REMOVE_HEAD(&in->staged, link);
		/* The device's next Hello brings it back. */
		log_event(LOG_LVL_ERR, "hello_not_recorded",
			  "uuid=%s device=%s", q->uuid, q->addr);
		pthread_mutex_lock(&in->lock);
		remove_active(in, q->ev.hello + 8);
		pthread_mutex_unlock(&in->lock);
		free(q);
	}
	in->n_staged = 0;
}

/* The staged Hellos in one transaction (all or none); 0 when committed. */
static int record_staged(struct intake *in)
{
	struct store_hello *h = malloc(in->n_staged * sizeof(*h));
	struct queued_hello *q;
	size_t n = 0;
	int err;

	if (!h)
		return -1;
	STAILQ_FOREACH(q, &in->staged, link)
	h[n++] = (struct store_hello){ .uuid = q->uuid,
				       .mode = q->pki ? "pki" : "psk",
				       .address = q->addr,
				       .hello = q->ev.hello,
				       .len = q->ev.len };
	err = store_record_hellos(in->st, h, n);
	free(h);
	return err;
}

void intake_flush(struct intake *in)
{
	if (in->n_staged) {
		if (record_staged(in) == 0)
			publish_staged(in);
		else
			drop_staged(in);
	}
	log_flush();
}

void intake_batch_begin(struct intake *in)
{
	in->in_batch = true;
	log_hold();
}

void intake_batch_end(struct intake *in)
{
	in->in_batch = false;
	if (!in->n_staged || in->n_staged >= COMMIT_MAX ||
	    monotonic_ms() >= in->commit_at_ms)
		intake_flush(in);
}

int intake_timeout_ms(struct intake *in)
{
	unsigned long long now = monotonic_ms();

	if (!in->n_staged)
		return -1;
	return in->commit_at_ms > now ? (int)(in->commit_at_ms - now) : 0;
}

/*
 * The device's address as text ("?" if it has none); IPv4 by hand:
 * inet_ntop prints it with sprintf, 2-3 % of the CPU per XDP Hello.
 */
static void format_addr(const struct hello_event *ev,
			char out[INET6_ADDRSTRLEN])
{
	const __u8 *a = (const __u8 *)&ev->saddr.v4;
	char *p = out;
	int i;

	if (ev->family != AF_INET) {
		if (!inet_ntop(ev->family, &ev->saddr, out, INET6_ADDRSTRLEN))
			strcpy(out, "?");
		return;
	}
	for (i = 0; i < 4; i++) {
		if (a[i] >= 100)
			*p++ = '0' + a[i] / 100;
		if (a[i] >= 10)
			*p++ = '0' + a[i] / 10 % 10;
		*p++ = '0' + a[i] % 10;
		*p++ = i < 3 ? '.' : '\0';
	}
}

/* Append s at p; returns the end. */
static char *put_text(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return p + n;
}

/* Append v in decimal at p; returns the end. */
static char *put_uint(char *p, unsigned int v)
{
	char digits[10];
	int n = 0;

	do
		digits[n++] = '0' + v % 10;
	while (v /= 10);
	while (n)
		*p++ = digits[--n];
	return p;
}

/*
 * The hello_queued line, its fields put together by hand: through
 * vsnprintf it was 4-5 % of the CPU per XDP Hello.
 */
static void log_queued(const char *uuid, const char *addr,
		       const struct amt_hello_info *info)
{
	/* 36 + 45 characters of UUID and address, 4 numbers, the keys */
	char text[192], *p = text;

	p = put_text(p, "uuid=");
	p = put_text(p, uuid);
	p = put_text(p, " device=");
	p = put_text(p, addr);
	p = put_text(p, " version=");
	p = put_uint(p, info->version);
	p = put_text(p, " admin_set=");
	p = put_uint(p, info->admin_credentials_set);
	p = put_text(p, " retry=");
	p = put_uint(p, info->retry_count);
	p = put_text(p, " hashes=");
	p = put_uint(p, info->hash_count);
	*p = '\0';
	log_event_text(LOG_LVL_INFO, "hello_queued", text);
}

void intake_hello(const struct hello_event *ev, void *ctx)
{
	struct intake *in = ctx;
	char addr[INET6_ADDRSTRLEN], uuid[37];
	struct amt_hello_info info;
	int reason;
	bool dup, staged;

	format_addr(ev, addr);
	reason = ev->len <= AMT_HELLO_MAX_LEN ?
			 amt_hello_validate(ev->hello, ev->len, in->hello_flags,
					    &info) :
			 AMT_HELLO_ERR_TRAILING;
	if (reason != AMT_HELLO_OK) {
		pthread_mutex_lock(&in->lock);
		in->stats.invalid++;
		pthread_mutex_unlock(&in->lock);
		log_event(LOG_LVL_WARN, "hello_invalid", "device=%s reason=%s",
			  addr, amt_hello_reason_str(reason));
		return;
	}
	amt_uuid_format(ev->hello + 8, uuid);
	pthread_mutex_lock(&in->lock);
	dup = uuid_set_has(&in->active, ev->hello + 8);
	if (dup)
		in->stats.duplicate++;
	pthread_mutex_unlock(&in->lock);
	if (dup) {
		log_event(LOG_LVL_DEBUG, "hello_duplicate", "uuid=%s device=%s",
			  uuid, addr);
		return;
	}
	/* Only this thread adds UUIDs, so none can appear in between. */
	pthread_mutex_lock(&in->lock);
	staged = enqueue(in, &in->staged, ev,
			 info.version == AMT_HELLO_VERSION_PKI, addr, uuid);
	pthread_mutex_unlock(&in->lock);
	if (!staged) {
		log_event(LOG_LVL_ERR, "hello_nomem", "uuid=%s", uuid);
		return;
	}
	if (!in->n_staged++)
		in->commit_at_ms = monotonic_ms() + COMMIT_DELAY_MS;
	log_queued(uuid, addr, &info);
	if (!in->in_batch)
		intake_flush(in);
}

static void resume_one(void *ctx, const char *uuid, const char *address,
		       const void *hello, size_t len)
{
	struct intake *in = ctx;
	struct hello_event ev = { 0 };
	struct amt_hello_info info;

	if (inet_pton(AF_INET, address, &ev.saddr.v4) == 1)
		ev.family = AF_INET;
	else if (inet_pton(AF_INET6, address, &ev.saddr.v6) == 1)
		ev.family = AF_INET6;
	if (!ev.family || len > AMT_HELLO_MAX_LEN ||
	    amt_hello_validate(hello, len, in->hello_flags, &info) !=
		    AMT_HELLO_OK) {
		log_event(LOG_LVL_WARN, "resume_skipped", "uuid=%s", uuid);
		return;
	}
	memcpy(ev.hello, hello, len);
	ev.len = len;
	ev.timestamp_ns = monotonic_ms() * 1000000ULL;
	if (uuid_set_has(&in->active, ev.hello + 8))
		return;
	if (enqueue(in, &in->queue, &ev, info.version == AMT_HELLO_VERSION_PKI,
		    address, uuid)) {
		in->stats.queued++;
		in->stats.resumed++;
	}
}

int intake_resume(struct intake *in)
{
	int n;

	pthread_mutex_lock(&in->lock);
	n = store_for_each_resumable(in->st, resume_one, in);
	pthread_mutex_unlock(&in->lock);
	if (n > 0 && in->wake)
		in->wake(in->wake_ctx);
	return n;
}

bool intake_pop(struct intake *in, struct hello_event *out)
{
	struct queued_hello *q;

	pthread_mutex_lock(&in->lock);
	q = STAILQ_FIRST(&in->queue);
	if (q) {
		STAILQ_REMOVE_HEAD(&in->queue, link);
		in->stats.queued--;
	}
	pthread_mutex_unlock(&in->lock);
	if (!q)
		return false;
	memcpy(out, &q->ev, offsetof(struct hello_event, hello) + q->ev.len);
	free(q);
	return true;
}

void intake_release(struct intake *in, const __u8 uuid[16])
{
	pthread_mutex_lock(&in->lock);
	remove_active(in, uuid);
	pthread_mutex_unlock(&in->lock);
}

void intake_get_stats(struct intake *in, struct intake_stats *st)
{
	pthread_mutex_lock(&in->lock);
	*st = in->stats;
	pthread_mutex_unlock(&in->lock);
}
