// SPDX-License-Identifier: GPL-2.0-only
/*
 * amtsca.ko: the in-kernel Hello path for routers without XDP ring buffers.
 * Module and per-netns lifetime; the concerns live in listener.c,
 * dedup.c, stats.c and genl.c.
 *
 * Load order: workqueue, per-netns state (listeners start), genl family.
 * Unload reverses it: events stop and the family goes first, so no command
 * can reach per-netns state that is being torn down; then every netns
 * stops its listener, shuts open connections and waits for their work.
 */
#include <linux/module.h>
#include <net/netns/generic.h>

#include "amtsca.h"

static unsigned short port = AMT_HELLO_PORT;
module_param(port, ushort, 0444);
MODULE_PARM_DESC(port, "TCP port each netns listens on at load (0: none)");

struct workqueue_struct *amtsca_wq;
static unsigned int amtsca_net_id __read_mostly;

struct amtsca_net *amtsca_net(struct net *net)
{
	return net_generic(net, amtsca_net_id);
}

static int __net_init amtsca_net_init(struct net *net)
{
	struct amtsca_net *an = amtsca_net(net);
	int err;

	an->net = net;
	spin_lock_init(&an->cfg_lock);
	mutex_init(&an->listen_lock);
	mutex_init(&an->conn_lock);
	INIT_LIST_HEAD(&an->conns);
	init_waitqueue_head(&an->conns_done);
	spin_lock_init(&an->rate_lock);
	amtsca_dev_init(an);
	an->cfg.timeout_ms = AMTSCA_DEFAULT_TIMEOUT_MS;
	an->cfg.max_conns = AMTSCA_DEFAULT_MAX_CONNS;

	mutex_lock(&an->listen_lock);
	err = amtsca_listener_start(an, port);
	mutex_unlock(&an->listen_lock);
	/* A busy port must not stop the netns from coming up. */
	if (err)
		pr_warn("amtsca: cannot listen on port %u: %d\n", port, err);
	return 0;
}

static void __net_exit amtsca_net_exit(struct net *net)
{
	struct amtsca_net *an = amtsca_net(net);

	amtsca_listener_stop(an);
	amtsca_conns_close(an);
	amtsca_dev_flush(an);
}

static struct pernet_operations amtsca_net_ops = {
	.init = amtsca_net_init,
	.exit = amtsca_net_exit,
	.id = &amtsca_net_id,
	.size = sizeof(struct amtsca_net),
};

static int __init amtsca_init(void)
{
	int err;

	amtsca_wq = alloc_workqueue("amtsca", WQ_UNBOUND, 0);
	if (!amtsca_wq)
		return -ENOMEM;
	err = register_pernet_subsys(&amtsca_net_ops);
	if (err)
		goto err_wq;
	err = amtsca_genl_register();
	if (err)
		goto err_pernet;
	return 0;

err_pernet:
	unregister_pernet_subsys(&amtsca_net_ops);
err_wq:
	destroy_workqueue(amtsca_wq);
	return err;
}

static void __exit amtsca_exit(void)
{
	amtsca_genl_unregister();
	unregister_pernet_subsys(&amtsca_net_ops);
	destroy_workqueue(amtsca_wq);
}

module_init(amtsca_init);
module_exit(amtsca_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION(
	"amtsca: Intel AMT Hello listener with generic netlink events");
MODULE_AUTHOR("amtsca project");
