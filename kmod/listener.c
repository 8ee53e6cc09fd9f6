// SPDX-License-Identifier: GPL-2.0-only
/*
 * The per-netns Hello listener: a kernel TCP socket (dual-stack IPv6, or
 * IPv4 where IPv6 is unavailable), a kthread blocked in accept, and one
 * work item per connection that reads one Hello within the configured
 * deadline and at most AMT_HELLO_MAX_LEN + 1 bytes, validates it with
 * amt_hello_validate(), applies the device table and the rate limit, and
 * multicasts the event.
 *
 * Stopping: shutting the listening socket down wakes the blocked accept
 * with an error, so kthread_stop() never waits on a sleeping accept; open
 * connections are shut down the same way and waited for.
 */
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/kthread.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "amtsca.h"

#define AMTSCA_BACKLOG 128
#define AMTSCA_READ_MAX (AMT_HELLO_MAX_LEN + 1)

struct amtsca_conn {
	struct work_struct work;
	struct list_head node;
	struct amtsca_net *an;
	struct socket *sock;
	struct amtsca_addr src, dst;
	u32 timeout_ms;
};

static void amtsca_addr_from(struct amtsca_addr *a,
			     const struct sockaddr_storage *ss)
{
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;

	memset(a, 0, sizeof(*a));
	if (ss->ss_family == AF_INET6 && !ipv6_addr_v4mapped(&s6->sin6_addr)) {
		a->family = AF_INET6;
		memcpy(a->addr, &s6->sin6_addr, 16);
		a->port = ntohs(s6->sin6_port);
	} else if (ss->ss_family == AF_INET6) {
		a->family = AF_INET;
		memcpy(a->addr, &s6->sin6_addr.s6_addr32[3], 4);
		a->port = ntohs(s6->sin6_port);
	} else {
		a->family = AF_INET;
		memcpy(a->addr, &s4->sin_addr, 4);
		a->port = ntohs(s4->sin_port);
	}
}

static bool amtsca_prefix_match(const struct amtsca_prefix *p,
				const struct amtsca_addr *a)
{
	unsigned int full = p->len / 8, rest = p->len % 8;

	if (p->family != a->family)
		return false;
	if (memcmp(p->addr, a->addr, full))
		return false;
	if (!rest)
		return true;
	return !((p->addr[full] ^ a->addr[full]) & (0xff << (8 - rest)));
}

static bool amtsca_source_allowed(struct amtsca_net *an,
				  const struct amtsca_addr *a)
{
	bool ok;
	u32 i;

	spin_lock_bh(&an->cfg_lock);
	ok = !an->cfg.n_prefixes;
	for (i = 0; !ok && i < an->cfg.n_prefixes; i++)
		ok = amtsca_prefix_match(&an->cfg.prefixes[i], a);
	spin_unlock_bh(&an->cfg_lock);
	return ok;
}

static bool amtsca_rate_ok(struct amtsca_net *an)
{
	unsigned long window = jiffies / HZ;
	bool ok;
	u32 limit;

	spin_lock_bh(&an->cfg_lock);
	limit = an->cfg.rate_per_sec;
	spin_unlock_bh(&an->cfg_lock);
	if (!limit)
		return true;

	spin_lock_bh(&an->rate_lock);
	if (an->rate_window != window) {
		an->rate_window = window;
		an->rate_count = 0;
	}
	ok = an->rate_count < limit;
	if (ok)
		an->rate_count++;
	spin_unlock_bh(&an->rate_lock);
	return ok;
}

/*
 * Read until EOF, the byte bound or the deadline. Returns the byte count,
 * -ETIMEDOUT when the deadline passed first, or another negative errno.
 */
static int amtsca_read_hello(struct socket *sock, u8 *buf, u32 timeout_ms)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(timeout_ms);
	struct msghdr msg = {};
	struct kvec iov;
	int len = 0, n;
	long left;

	while (len < AMTSCA_READ_MAX) {
		left = (long)(deadline - jiffies);
		if (left <= 0)
			return -ETIMEDOUT;
		lock_sock(sock->sk);
		sock->sk->sk_rcvtimeo = left;
		release_sock(sock->sk);

		iov.iov_base = buf + len;
		iov.iov_len = AMTSCA_READ_MAX - len;
		n = kernel_recvmsg(sock, &msg, &iov, 1, iov.iov_len, 0);
		if (n == -EAGAIN)
			return -ETIMEDOUT;
		if (n < 0)
			return n;
		if (!n)
			break;
		len += n;
	}
	return len;
}

static void amtsca_hello_done(struct amtsca_conn *c, const u8 *buf, int len)
{
	struct amtsca_net *an = c->an;
	struct amt_hello_info info;
	u64 now = ktime_get_ns();
	u32 flags;
	int reason;

	if (len > AMT_HELLO_MAX_LEN)
		amtsca_stat_inc(an, AMTSCA_STAT_OVERSIZE);
	spin_lock_bh(&an->cfg_lock);
	flags = an->cfg.hello_flags;
	spin_unlock_bh(&an->cfg_lock);
	reason = amt_hello_validate(buf, len, flags, &info);
	if (reason != AMT_HELLO_OK) {
		amtsca_stat_reason(an, reason);
		return;
	}
	amtsca_stat_inc(an, AMTSCA_STAT_VALID);

	if (amtsca_dev_suppressed(an,
				  buf + offsetof(struct amt_hello_hdr, uuid))) {
		amtsca_stat_inc(an, AMTSCA_STAT_SUPPRESSED);
		return;
	}
	if (!amtsca_rate_ok(an)) {
		amtsca_stat_inc(an, AMTSCA_STAT_RATE_LIMITED);
		return;
	}
	amtsca_event_send(an, &c->src, &c->dst,
			  READ_ONCE(c->sock->sk->sk_rx_dst_ifindex), now, buf,
			  info.len);
}

static void amtsca_conn_work(struct work_struct *work)
{
	struct amtsca_conn *c = container_of(work, struct amtsca_conn, work);
	struct amtsca_net *an = c->an;
	bool closing;
	u8 *buf;
	int len;

	buf = kmalloc(AMTSCA_READ_MAX, GFP_KERNEL);
	len = buf ? amtsca_read_hello(c->sock, buf, c->timeout_ms) : -ENOMEM;

	mutex_lock(&an->conn_lock);
	closing = an->closing;
	mutex_unlock(&an->conn_lock);

	/* A connection cut short by unload is not a Hello. */
	if (!closing) {
		if (len == -ETIMEDOUT)
			amtsca_stat_inc(an, AMTSCA_STAT_TIMEOUT);
		else if (len >= 0)
			amtsca_hello_done(c, buf, len);
	}
	kfree(buf);

	mutex_lock(&an->conn_lock);
	list_del(&c->node);
	mutex_unlock(&an->conn_lock);
	sock_release(c->sock);

	/*
	 * Last touch of an: once n_conns reaches 0 the netns exit path may
	 * free it, and it waits for this lock to be dropped first (a mutex
	 * would not do: mutex_unlock() may touch the mutex after release).
	 */
	spin_lock_irq(&an->conns_done.lock);
	if (atomic_dec_and_test(&an->n_conns))
		wake_up_locked(&an->conns_done);
	spin_unlock_irq(&an->conns_done.lock);
	kfree(c);
}

static void amtsca_conn_start(struct amtsca_net *an, struct socket *sock)
{
	struct sockaddr_storage ss;
	struct amtsca_conn *c;
	u32 max_conns;

	amtsca_stat_inc(an, AMTSCA_STAT_CONNS);
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		goto drop;
	c->an = an;
	c->sock = sock;
	INIT_WORK(&c->work, amtsca_conn_work);

	if (kernel_getpeername(sock, (struct sockaddr *)&ss) < 0)
		goto drop;
	amtsca_addr_from(&c->src, &ss);
	if (kernel_getsockname(sock, (struct sockaddr *)&ss) < 0)
		goto drop;
	amtsca_addr_from(&c->dst, &ss);

	if (!amtsca_source_allowed(an, &c->src)) {
		amtsca_stat_inc(an, AMTSCA_STAT_PREFIX_REFUSED);
		goto drop;
	}

	spin_lock_bh(&an->cfg_lock);
	c->timeout_ms = an->cfg.timeout_ms;
	max_conns = an->cfg.max_conns;
	spin_unlock_bh(&an->cfg_lock);

	mutex_lock(&an->conn_lock);
	if (an->closing || atomic_read(&an->n_conns) >= max_conns) {
		mutex_unlock(&an->conn_lock);
		amtsca_stat_inc(an, AMTSCA_STAT_CONN_LIMIT);
		goto drop;
	}
	list_add(&c->node, &an->conns);
	atomic_inc(&an->n_conns);
	mutex_unlock(&an->conn_lock);
	queue_work(amtsca_wq, &c->work);
	return;

drop:
	kfree(c);
	sock_release(sock);
}

static int amtsca_accept_thread(void *arg)
{
	struct amtsca_net *an = arg;
	struct socket *sock = an->lsock;
	struct socket *conn;
	int err;

	while (!kthread_should_stop() && !READ_ONCE(an->listen_stopping)) {
		err = kernel_accept(sock, &conn, 0);
		if (!err) {
			amtsca_conn_start(an, conn);
			continue;
		}
		if (READ_ONCE(an->listen_stopping))
			break;
		/* Transient (ENOMEM, ECONNABORTED, a signal): retry shortly. */
		schedule_timeout_interruptible(HZ / 50);
	}
	return 0;
}

static int amtsca_listen_socket(struct net *net, u16 port, struct socket **out)
{
	struct sockaddr_in6 sin6 = {
		.sin6_family = AF_INET6,
		.sin6_port = htons(port),
		.sin6_addr = IN6ADDR_ANY_INIT,
	};
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(INADDR_ANY),
	};
	struct sockaddr *addr = (struct sockaddr *)&sin6;
	int addrlen = sizeof(sin6);
	struct socket *sock;
	int err;

	err = sock_create_kern(net, AF_INET6, SOCK_STREAM, IPPROTO_TCP, &sock);
	if (err == -EAFNOSUPPORT) {
		addr = (struct sockaddr *)&sin;
		addrlen = sizeof(sin);
		err = sock_create_kern(net, AF_INET, SOCK_STREAM, IPPROTO_TCP,
				       &sock);
	}
	if (err)
		return err;

	sock_set_reuseaddr(sock->sk);
	if (addr->sa_family == AF_INET6) {
		/* Dual-stack whatever net.ipv6.bindv6only says. */
		lock_sock(sock->sk);
		sock->sk->sk_ipv6only = false;
		release_sock(sock->sk);
	}
	err = kernel_bind(sock, addr, addrlen);
	if (!err)
		err = kernel_listen(sock, AMTSCA_BACKLOG);
	if (err) {
		sock_release(sock);
		return err;
	}
	*out = sock;
	return 0;
}

static void amtsca_listener_stop_locked(struct amtsca_net *an)
{
	if (!an->lsock)
		return;
	WRITE_ONCE(an->listen_stopping, true);
	kernel_sock_shutdown(an->lsock, SHUT_RDWR);
	kthread_stop(an->accept_task);
	put_task_struct(an->accept_task);
	sock_release(an->lsock);
	an->lsock = NULL;
	an->accept_task = NULL;
	spin_lock_bh(&an->cfg_lock);
	an->cfg.port = 0;
	spin_unlock_bh(&an->cfg_lock);
}

/* Called with listen_lock held. On failure the old listener keeps running. */
int amtsca_listener_start(struct amtsca_net *an, u16 port)
{
	struct task_struct *task;
	struct socket *sock;
	int err;

	lockdep_assert_held(&an->listen_lock);
	if (!port) {
		amtsca_listener_stop_locked(an);
		return 0;
	}
	if (an->lsock && an->cfg.port == port)
		return 0;

	/* Bind the new port before dropping the old one. */
	err = amtsca_listen_socket(an->net, port, &sock);
	if (err)
		return err;
	amtsca_listener_stop_locked(an);

	an->lsock = sock;
	WRITE_ONCE(an->listen_stopping, false);
	task = kthread_create(amtsca_accept_thread, an, "amtsca-accept/%u",
			      port);
	if (IS_ERR(task)) {
		an->lsock = NULL;
		sock_release(sock);
		return PTR_ERR(task);
	}
	get_task_struct(task);
	an->accept_task = task;
	spin_lock_bh(&an->cfg_lock);
	an->cfg.port = port;
	spin_unlock_bh(&an->cfg_lock);
	wake_up_process(task);
	return 0;
}

void amtsca_listener_stop(struct amtsca_net *an)
{
	mutex_lock(&an->listen_lock);
	amtsca_listener_stop_locked(an);
	mutex_unlock(&an->listen_lock);
}

/* Shut every open connection down and wait until their work is gone. */
void amtsca_conns_close(struct amtsca_net *an)
{
	struct amtsca_conn *c;

	mutex_lock(&an->conn_lock);
	an->closing = true;
	list_for_each_entry(c, &an->conns, node)
		kernel_sock_shutdown(c->sock, SHUT_RDWR);
	mutex_unlock(&an->conn_lock);
	wait_event(an->conns_done, !atomic_read(&an->n_conns));
	/* The last worker may still hold the lock it woke us under. */
	spin_lock_irq(&an->conns_done.lock);
	spin_unlock_irq(&an->conns_done.lock);
}
