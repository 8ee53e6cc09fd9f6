// SPDX-License-Identifier: GPL-2.0-only
#include <arpa/inet.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include "hello_json.h"
#include "intake.h"
#include "log.h"
#include "session.h"
#include "store.h"

#define ACTIVE_BUCKETS 1024

struct queued_hello {
	STAILQ_ENTRY(queued_hello) link;
	struct hello_event ev;
};

/* A device with a session queued or running, keyed by its UUID. */
struct active_device {
	LIST_ENTRY(active_device) link;
	__u8 uuid[16];
};

struct intake {
	pthread_mutex_t lock;
	STAILQ_HEAD(, queued_hello) queue;
	LIST_HEAD(, active_device) active[ACTIVE_BUCKETS];
	struct intake_stats stats;
	struct store *st;
	const struct device_state_hook *hook;
	unsigned int expiry_s;
	void (*wake)(void *ctx);
	void *wake_ctx;
};

struct intake *intake_new(struct store *st,
			  const struct device_state_hook *hook,
			  unsigned int expiry_s)
{
	struct intake *in = calloc(1, sizeof(*in));
	int i;

	if (!in)
		return NULL;
	pthread_mutex_init(&in->lock, NULL);
	STAILQ_INIT(&in->queue);
	for (i = 0; i < ACTIVE_BUCKETS; i++)
		LIST_INIT(&in->active[i]);
	in->st = st;
	in->hook = hook;
	in->expiry_s = expiry_s;
	return in;
}

void intake_free(struct intake *in)
{
	struct queued_hello *q;
	struct active_device *a;
	int i;

	if (!in)
		return;
	while ((q = STAILQ_FIRST(&in->queue))) {
		STAILQ_REMOVE_HEAD(&in->queue, link);
		free(q);
	}
	for (i = 0; i < ACTIVE_BUCKETS; i++) {
		while ((a = LIST_FIRST(&in->active[i]))) {
			LIST_REMOVE(a, link);
			free(a);
		}
	}
	pthread_mutex_destroy(&in->lock);
	free(in);
}

void intake_set_wake(struct intake *in, void (*wake)(void *ctx), void *ctx)
{
	in->wake = wake;
	in->wake_ctx = ctx;
}

static unsigned int bucket(const __u8 uuid[16])
{
	unsigned int h = 2166136261u, i;

	for (i = 0; i < 16; i++)
		h = (h ^ uuid[i]) * 16777619u;
	return h % ACTIVE_BUCKETS;
}

static struct active_device *find_active(struct intake *in, const __u8 uuid[16])
{
	struct active_device *a;

	LIST_FOREACH(a, &in->active[bucket(uuid)], link)
	if (!memcmp(a->uuid, uuid, 16))
		return a;
	return NULL;
}

/* Mark uuid active and append ev (lock held); false when out of memory. */
static bool enqueue(struct intake *in, const struct hello_event *ev)
{
	struct queued_hello *q = malloc(sizeof(*q));
	struct active_device *a = malloc(sizeof(*a));

	if (!q || !a) {
		free(q);
		free(a);
		return false;
	}
	q->ev = *ev;
	memcpy(a->uuid, ev->hello + 8, 16);
	LIST_INSERT_HEAD(&in->active[bucket(a->uuid)], a, link);
	STAILQ_INSERT_TAIL(&in->queue, q, link);
	in->stats.queued++;
	in->stats.active++;
	return true;
}

/* Device row, raw Hello and state queued, before the Hello is queued. */
static int record(struct intake *in, const struct hello_event *ev,
		  const char *uuid, const char *addr, bool pki)
{
	int err;

	if (store_batch_begin(in->st))
		return -1;
	err = store_upsert_device(in->st, uuid, pki ? "pki" : "psk", addr) ||
	      store_save_hello(in->st, uuid, ev->hello, ev->len) ||
	      store_set_state(in->st, uuid, "queued", "hello", NULL);
	if (store_batch_end(in->st, !err))
		return -1;
	set_device_state(in->hook, ev->hello + 8, AMTSCA_DEV_QUEUED,
			 (session_now_ms() + in->expiry_s * 1000ULL) *
				 1000000ULL);
	return 0;
}

void intake_hello(const struct hello_event *ev, void *ctx)
{
	struct intake *in = ctx;
	char addr[INET6_ADDRSTRLEN] = "?", uuid[37];
	struct amt_hello_info info;
	int reason;
	bool dup;

	inet_ntop(ev->family, &ev->saddr, addr, sizeof(addr));
	reason = ev->len <= AMT_HELLO_MAX_LEN ?
			 amt_hello_validate(ev->hello, ev->len, 0, &info) :
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
	dup = find_active(in, ev->hello + 8) != NULL;
	if (dup)
		in->stats.duplicate++;
	pthread_mutex_unlock(&in->lock);
	if (dup) {
		log_event(LOG_LVL_DEBUG, "hello_duplicate", "uuid=%s device=%s",
			  uuid, addr);
		return;
	}
	/* Only this thread adds UUIDs, so none can appear in between. */
	if (record(in, ev, uuid, addr, info.version == AMT_HELLO_VERSION_PKI)) {
		/* Not accepted: the device's next Hello brings it back. */
		log_event(LOG_LVL_ERR, "hello_not_recorded",
			  "uuid=%s device=%s", uuid, addr);
		return;
	}
	pthread_mutex_lock(&in->lock);
	if (enqueue(in, ev))
		in->stats.accepted++;
	else
		log_event(LOG_LVL_ERR, "hello_nomem", "uuid=%s", uuid);
	pthread_mutex_unlock(&in->lock);
	log_event(
		LOG_LVL_INFO, "hello_queued",
		"uuid=%s device=%s version=%u admin_set=%u retry=%u hashes=%u",
		uuid, addr, info.version, info.admin_credentials_set,
		info.retry_count, info.hash_count);
	if (in->wake)
		in->wake(in->wake_ctx);
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
	    amt_hello_validate(hello, len, 0, &info) != AMT_HELLO_OK) {
		log_event(LOG_LVL_WARN, "resume_skipped", "uuid=%s", uuid);
		return;
	}
	memcpy(ev.hello, hello, len);
	ev.len = len;
	ev.timestamp_ns = session_now_ms() * 1000000ULL;
	if (find_active(in, ev.hello + 8))
		return;
	if (enqueue(in, &ev))
		in->stats.resumed++;
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
	*out = q->ev;
	free(q);
	return true;
}

void intake_release(struct intake *in, const __u8 uuid[16])
{
	struct active_device *a;

	pthread_mutex_lock(&in->lock);
	a = find_active(in, uuid);
	if (a) {
		LIST_REMOVE(a, link);
		free(a);
		in->stats.active--;
	}
	pthread_mutex_unlock(&in->lock);
}

void intake_get_stats(struct intake *in, struct intake_stats *st)
{
	pthread_mutex_lock(&in->lock);
	*st = in->stats;
	pthread_mutex_unlock(&in->lock);
}
