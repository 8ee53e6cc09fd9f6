// SPDX-License-Identifier: GPL-2.0-only
#include <arpa/inet.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include "intake.h"
#include "log.h"

struct queued_hello {
	STAILQ_ENTRY(queued_hello) link;
	struct hello_event ev;
};

/* A device in the pipeline, keyed by its address (where we will connect). */
struct active_device {
	LIST_ENTRY(active_device) link;
	int family;
	__u8 addr[16];
};

struct intake {
	pthread_mutex_t lock;
	STAILQ_HEAD(, queued_hello) queue;
	LIST_HEAD(, active_device) active;
	struct intake_stats stats;
};

struct intake *intake_new(void)
{
	struct intake *in = calloc(1, sizeof(*in));

	if (!in)
		return NULL;
	pthread_mutex_init(&in->lock, NULL);
	STAILQ_INIT(&in->queue);
	LIST_INIT(&in->active);
	return in;
}

void intake_free(struct intake *in)
{
	struct queued_hello *q;
	struct active_device *a;

	if (!in)
		return;
	while ((q = STAILQ_FIRST(&in->queue))) {
		STAILQ_REMOVE_HEAD(&in->queue, link);
		free(q);
	}
	while ((a = LIST_FIRST(&in->active))) {
		LIST_REMOVE(a, link);
		free(a);
	}
	pthread_mutex_destroy(&in->lock);
	free(in);
}

static size_t addr_len(int family)
{
	return family == AF_INET6 ? 16 : 4;
}

static struct active_device *find_active(struct intake *in,
					 const struct hello_event *ev)
{
	struct active_device *a;

	LIST_FOREACH(a, &in->active, link)
	if (a->family == ev->family &&
	    !memcmp(a->addr, &ev->saddr, addr_len(ev->family)))
		return a;
	return NULL;
}

void intake_hello(const struct hello_event *ev, void *ctx)
{
	struct intake *in = ctx;
	char addr[INET6_ADDRSTRLEN] = "?";
	struct amt_hello_info info;
	struct queued_hello *q;
	struct active_device *a;
	int reason;

	inet_ntop(ev->family, &ev->saddr, addr, sizeof(addr));
	reason = ev->len <= AMT_HELLO_MAX_LEN ?
			 amt_hello_validate(ev->hello, ev->len, 0, &info) :
			 AMT_HELLO_ERR_TRAILING;
	pthread_mutex_lock(&in->lock);
	if (reason != AMT_HELLO_OK) {
		in->stats.invalid++;
		pthread_mutex_unlock(&in->lock);
		log_event(LOG_LVL_WARN, "hello_invalid", "device=%s reason=%s",
			  addr, amt_hello_reason_str(reason));
		return;
	}
	if (find_active(in, ev)) {
		in->stats.duplicate++;
		pthread_mutex_unlock(&in->lock);
		log_event(LOG_LVL_DEBUG, "hello_duplicate", "device=%s", addr);
		return;
	}
	q = malloc(sizeof(*q));
	a = calloc(1, sizeof(*a));
	if (!q || !a) {
		/* Not accepted: the device's retry brings it back. */
		pthread_mutex_unlock(&in->lock);
		free(q);
		free(a);
		log_event(LOG_LVL_ERR, "hello_nomem", "device=%s", addr);
		return;
	}
	q->ev = *ev;
	a->family = ev->family;
	memcpy(a->addr, &ev->saddr, addr_len(ev->family));
	LIST_INSERT_HEAD(&in->active, a, link);
	STAILQ_INSERT_TAIL(&in->queue, q, link);
	in->stats.accepted++;
	in->stats.queued++;
	pthread_mutex_unlock(&in->lock);
	log_event(LOG_LVL_INFO, "hello_queued",
		  "device=%s version=%u admin_set=%u retry=%u hashes=%u", addr,
		  info.version, info.admin_credentials_set, info.retry_count,
		  info.hash_count);
}

void intake_get_stats(struct intake *in, struct intake_stats *st)
{
	pthread_mutex_lock(&in->lock);
	*st = in->stats;
	pthread_mutex_unlock(&in->lock);
}
