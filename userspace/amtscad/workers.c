// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "log.h"
#include "monotonic.h"
#include "store.h"
#include "workers.h"

struct worker {
	struct pool *pool;
	pthread_t thread;
	unsigned int id;
	int epfd, wakefd;
	struct store *st;
	struct session **sessions;
	unsigned int n, cap;
};

struct pool {
	const struct session_env *env;
	struct intake *in;
	struct worker *w;
	unsigned int nworkers, started; /* initialised, running */
	atomic_int stopping;
	atomic_ullong drain_deadline;
	atomic_ullong done, failed, parked;
	atomic_uint inflight;
};

void pool_wake(void *ctx)
{
	struct pool *p = ctx;
	uint64_t one = 1;
	unsigned int i;

	for (i = 0; i < p->nworkers; i++)
		if (p->w[i].wakefd >= 0 &&
		    write(p->w[i].wakefd, &one, sizeof(one)) < 0 &&
		    errno != EAGAIN)
			log_event(LOG_LVL_ERR, "wake_failed", "worker=%u", i);
}

static void reap(struct worker *w)
{
	struct pool *p = w->pool;
	unsigned int i = 0;

	while (i < w->n) {
		struct session *s = w->sessions[i];

		switch (session_outcome(s)) {
		case SESSION_RUNNING:
			i++;
			continue;
		case SESSION_DONE:
			p->done++;
			break;
		case SESSION_FAILED:
			p->failed++;
			break;
		case SESSION_PARKED:
			p->parked++;
			break;
		}
		intake_release(p->in, session_uuid(s));
		session_free(s);
		w->sessions[i] = w->sessions[--w->n];
		p->inflight--;
	}
}

static void take_work(struct worker *w)
{
	struct hello_event *ev = malloc(sizeof(*ev));
	struct session *s;

	if (!ev)
		return;
	while (w->n < w->cap && !w->pool->stopping &&
	       intake_pop(w->pool->in, ev)) {
		s = session_new(w->pool->env, w->st, w->epfd, ev);
		if (!s) {
			/* Out of memory: the device's next Hello retries. */
			intake_release(w->pool->in, ev->hello + 8);
			continue;
		}
		w->sessions[w->n++] = s;
		w->pool->inflight++;
	}
	free(ev);
}

/*
 * Group commit: the secrets every waiting session made in this round go to
 * disk in one durable batch (one sync instead of one per device), then
 * those sessions send the requests that carry them.
 */
static void commit_secrets(struct worker *w)
{
	bool open = false, committed;
	unsigned int i;

	for (i = 0; i < w->n; i++) {
		if (!session_secrets_waiting(w->sessions[i]))
			continue;
		if (!open && store_durable_batch_begin(w->st))
			break;
		open = true;
		session_save_secrets(w->sessions[i]);
	}
	committed = open && store_batch_end(w->st, 1) == 0;
	for (i = 0; i < w->n; i++)
		if (session_secrets_waiting(w->sessions[i]))
			session_secrets_committed(w->sessions[i], committed);
}

/* Shutdown: park what is waiting, and everything once the drain ends. */
static void drain(struct worker *w, uint64_t now)
{
	bool all = now >= w->pool->drain_deadline;
	unsigned int i;

	for (i = 0; i < w->n; i++)
		if (all || session_in_backoff(w->sessions[i]))
			session_park(w->sessions[i]);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct epoll_event evs[64];
	uint64_t now, next, t, junk;
	unsigned int i;
	int n, timeout;

	for (;;) {
		reap(w);
		take_work(w);
		now = monotonic_ms();
		if (w->pool->stopping) {
			drain(w, now);
			reap(w);
			if (!w->n)
				break;
		}
		next = UINT64_MAX;
		for (i = 0; i < w->n; i++) {
			t = session_tick(w->sessions[i], now);
			if (t < next)
				next = t;
		}
		reap(w);
		if (w->pool->stopping && w->pool->drain_deadline < next)
			next = w->pool->drain_deadline;
		timeout = next == UINT64_MAX ? -1 :
			  next <= now	     ? 0 :
			  next - now > 60000 ? 60000 :
					       (int)(next - now);
		n = epoll_wait(w->epfd, evs, 64, timeout);
		for (i = 0; i < (unsigned int)(n > 0 ? n : 0); i++) {
			if (!evs[i].data.ptr) {
				if (read(w->wakefd, &junk, sizeof(junk)) < 0)
					continue;
				continue;
			}
			session_io(evs[i].data.ptr);
		}
		commit_secrets(w);
	}
	return NULL;
}

static int worker_init(struct pool *p, struct worker *w, unsigned int id,
		       unsigned int cap)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };
	const struct amtsca_config *cfg = p->env->cfg;
	char err[256];

	w->pool = p;
	w->id = id;
	w->cap = cap;
	w->sessions = calloc(cap, sizeof(*w->sessions));
	w->epfd = epoll_create1(EPOLL_CLOEXEC);
	w->wakefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	w->st = store_open(cfg->db_path, cfg->key_file, err, sizeof(err));
	if (!w->st)
		log_event(LOG_LVL_ERR, "worker_store_failed", "error=\"%s\"",
			  err);
	if (!w->sessions || w->epfd < 0 || w->wakefd < 0 || !w->st ||
	    epoll_ctl(w->epfd, EPOLL_CTL_ADD, w->wakefd, &ev))
		return -1;
	return 0;
}

static void worker_fini(struct worker *w)
{
	store_close(w->st);
	if (w->epfd >= 0)
		close(w->epfd);
	if (w->wakefd >= 0)
		close(w->wakefd);
	free(w->sessions);
}

struct pool *pool_new(const struct session_env *env, struct intake *in,
		      unsigned int workers, unsigned int max_inflight)
{
	struct pool *p = calloc(1, sizeof(*p));
	unsigned int i, cap;
	long cpus;

	if (!p)
		return NULL;
	if (!workers) {
		cpus = sysconf(_SC_NPROCESSORS_ONLN);
		workers = cpus > 0 ? (unsigned int)cpus : 1;
	}
	if (workers > max_inflight)
		workers = max_inflight;
	cap = (max_inflight + workers - 1) / workers;
	p->env = env;
	p->in = in;
	p->w = calloc(workers, sizeof(*p->w));
	if (!p->w)
		goto fail;
	p->nworkers = workers;
	for (i = 0; i < workers; i++)
		p->w[i].epfd = p->w[i].wakefd = -1;
	for (i = 0; i < workers; i++)
		if (worker_init(p, &p->w[i], i, cap))
			goto fail;
	return p;
fail:
	log_event(LOG_LVL_ERR, "workers_failed", "started=0");
	pool_stop(p, 0, NULL);
	return NULL;
}

int pool_run(struct pool *p)
{
	unsigned int i;

	for (i = 0; i < p->nworkers; i++, p->started++)
		if (pthread_create(&p->w[i].thread, NULL, worker_main,
				   &p->w[i])) {
			log_event(LOG_LVL_ERR, "workers_failed", "started=%u",
				  p->started);
			return -1;
		}
	log_event(LOG_LVL_INFO, "workers_started",
		  "workers=%u max_inflight=%u per_worker=%u", p->nworkers,
		  p->nworkers * p->w[0].cap, p->w[0].cap);
	return 0;
}

void pool_stop(struct pool *p, unsigned int drain_ms, struct pool_stats *final)
{
	unsigned int i;

	if (!p)
		return;
	p->drain_deadline = monotonic_ms() + drain_ms;
	p->stopping = 1;
	pool_wake(p);
	for (i = 0; i < p->started; i++)
		pthread_join(p->w[i].thread, NULL);
	if (final)
		pool_get_stats(p, final);
	for (i = 0; p->w && i < p->nworkers; i++)
		worker_fini(&p->w[i]);
	free(p->w);
	free(p);
}

void pool_get_stats(struct pool *p, struct pool_stats *st)
{
	st->done = p->done;
	st->failed = p->failed;
	st->parked = p->parked;
	st->inflight = p->inflight;
}
