/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * amtsca.ko internals shared between its files: the per-netns state and
 * the entry points of each concern (listener, device table, stats, genl).
 */
#ifndef AMTSCA_KMOD_H
#define AMTSCA_KMOD_H

#include <linux/hashtable.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/net.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>

#include <amtsca/device_state.h>
#include <amtsca/genl_abi.h>
#include <amtsca/hello.h>

/* Counters, in the order of their AMTSCA_ATTR_STAT_* attributes. */
enum amtsca_stat {
	AMTSCA_STAT_CONNS,
	AMTSCA_STAT_VALID,
	AMTSCA_STAT_EVENTS,
	AMTSCA_STAT_NO_LISTENER,
	AMTSCA_STAT_SUPPRESSED,
	AMTSCA_STAT_RATE_LIMITED,
	AMTSCA_STAT_PREFIX_REFUSED,
	AMTSCA_STAT_CONN_LIMIT,
	AMTSCA_STAT_TIMEOUT,
	AMTSCA_STAT_OVERSIZE,
	AMTSCA_STAT_INVALID,
	AMTSCA_STAT_COUNT,
};

struct amtsca_stats {
	atomic64_t count[AMTSCA_STAT_COUNT];
	atomic64_t reason[AMT_HELLO_REASON_COUNT];
};

struct amtsca_prefix {
	u16 family; /* AF_INET or AF_INET6 */
	u8 len; /* prefix length in bits */
	u8 addr[16]; /* network byte order; AF_INET uses the first 4 */
};

/* An address as the module carries it: AF_INET uses the first 4 bytes. */
struct amtsca_addr {
	u16 family;
	u8 addr[16];
	u16 port;
};

struct amtsca_cfg {
	u16 port; /* 0: no listener */
	u32 timeout_ms;
	u32 max_conns;
	u32 rate_per_sec; /* 0: unlimited */
	u32 hello_flags; /* amt_hello_validate() flags, AMT_HELLO_F_* */
	u32 n_prefixes; /* 0: every source allowed */
	struct amtsca_prefix prefixes[AMTSCA_MAX_PREFIXES];
};

#define AMTSCA_DEV_HASH_BITS 10

struct amtsca_net {
	struct net *net;

	spinlock_t cfg_lock; /* cfg */
	struct amtsca_cfg cfg;

	struct mutex listen_lock; /* lsock, accept_task; held across restart */
	struct socket *lsock;
	struct task_struct *accept_task;
	bool listen_stopping;

	struct mutex conn_lock; /* conns, closing */
	struct list_head conns;
	bool closing;
	/* Dropped under conns_done.lock, which the netns exit path takes last. */
	atomic_t n_conns;
	wait_queue_head_t conns_done;

	spinlock_t rate_lock;
	unsigned long rate_window; /* jiffies / HZ of the current window */
	u32 rate_count;

	spinlock_t dev_lock;
	DECLARE_HASHTABLE(devs, AMTSCA_DEV_HASH_BITS);
	u32 n_devs;

	struct amtsca_stats stats;
};

struct amtsca_net *amtsca_net(struct net *net);
extern struct workqueue_struct *amtsca_wq;

/* listener.c */
int amtsca_listener_start(struct amtsca_net *an, u16 port);
void amtsca_listener_stop(struct amtsca_net *an);
void amtsca_conns_close(struct amtsca_net *an);

/* dedup.c */
void amtsca_dev_init(struct amtsca_net *an);
bool amtsca_dev_suppressed(struct amtsca_net *an, const u8 *uuid);
int amtsca_dev_set(struct amtsca_net *an, const u8 *uuid, u32 state,
		   u32 ttl_ms);
void amtsca_dev_flush(struct amtsca_net *an);

/* stats.c */
static inline void amtsca_stat_inc(struct amtsca_net *an, enum amtsca_stat s)
{
	atomic64_inc(&an->stats.count[s]);
}

void amtsca_stat_reason(struct amtsca_net *an, int reason);
int amtsca_stats_fill(struct amtsca_net *an, struct sk_buff *skb);

/* genl.c */
int amtsca_genl_register(void);
void amtsca_genl_unregister(void);
void amtsca_event_send(struct amtsca_net *an, const struct amtsca_addr *src,
		       const struct amtsca_addr *dst, int ifindex,
		       u64 timestamp_ns, const u8 *hello, u32 len);

#endif /* AMTSCA_KMOD_H */
