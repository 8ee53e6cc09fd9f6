// SPDX-License-Identifier: GPL-2.0-only
/*
 * The "amtsca" generic netlink family (include/amtsca/genl_abi.h): config,
 * device state and stats commands, and the Hello event multicast.
 */
#include <linux/rwsem.h>
#include <net/genetlink.h>

#include "amtsca.h"

static const struct nla_policy
	amtsca_prefix_policy[AMTSCA_PREFIX_ATTR_MAX + 1] = {
		[AMTSCA_PREFIX_ATTR_ADDR] = NLA_POLICY_MIN_LEN(4),
		[AMTSCA_PREFIX_ATTR_LEN] = { .type = NLA_U8 },
	};

/* The policy's inline range is s16 in 6.1; 60000 needs a full range. */
static struct netlink_range_validation amtsca_timeout_range = {
	.min = AMTSCA_TIMEOUT_MS_MIN,
	.max = AMTSCA_TIMEOUT_MS_MAX,
};

static const struct nla_policy amtsca_policy[AMTSCA_ATTR_MAX + 1] = {
	[AMTSCA_ATTR_PORT] = { .type = NLA_U16 },
	[AMTSCA_ATTR_PREFIXES] = NLA_POLICY_NESTED_ARRAY(amtsca_prefix_policy),
	[AMTSCA_ATTR_TIMEOUT_MS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &amtsca_timeout_range),
	[AMTSCA_ATTR_MAX_CONNS] =
		NLA_POLICY_RANGE(NLA_U32, 1, AMTSCA_MAX_CONNS_MAX),
	[AMTSCA_ATTR_RATE_PER_SEC] = { .type = NLA_U32 },
	[AMTSCA_ATTR_HELLO_FLAGS] =
		NLA_POLICY_MASK(NLA_U32, AMTSCA_HELLO_FLAGS_MASK),
	[AMTSCA_ATTR_DEV_UUID] = NLA_POLICY_EXACT_LEN(16),
	[AMTSCA_ATTR_DEV_STATE] = NLA_POLICY_MAX(NLA_U32, AMTSCA_DEV_FAILED),
	[AMTSCA_ATTR_DEV_TTL_MS] = { .type = NLA_U32 },
};

static struct genl_family amtsca_family;

/* Events are only sent while the family is registered (see amtsca_main.c). */
static DECLARE_RWSEM(amtsca_events_rwsem);
static bool amtsca_events_on;

static int amtsca_parse_prefix(const struct nlattr *nest,
			       struct amtsca_prefix *p,
			       struct netlink_ext_ack *extack)
{
	struct nlattr *tb[AMTSCA_PREFIX_ATTR_MAX + 1];
	int err, alen;

	err = nla_parse_nested(tb, AMTSCA_PREFIX_ATTR_MAX, nest,
			       amtsca_prefix_policy, extack);
	if (err)
		return err;
	if (!tb[AMTSCA_PREFIX_ATTR_ADDR] || !tb[AMTSCA_PREFIX_ATTR_LEN]) {
		NL_SET_ERR_MSG(extack, "prefix needs an address and a length");
		return -EINVAL;
	}
	alen = nla_len(tb[AMTSCA_PREFIX_ATTR_ADDR]);
	if (alen != 4 && alen != 16) {
		NL_SET_ERR_MSG_ATTR(extack, tb[AMTSCA_PREFIX_ATTR_ADDR],
				    "prefix address must be 4 or 16 bytes");
		return -EINVAL;
	}
	memset(p, 0, sizeof(*p));
	p->family = alen == 4 ? AF_INET : AF_INET6;
	p->len = nla_get_u8(tb[AMTSCA_PREFIX_ATTR_LEN]);
	if (p->len > alen * 8) {
		NL_SET_ERR_MSG_ATTR(extack, tb[AMTSCA_PREFIX_ATTR_LEN],
				    "prefix length longer than the address");
		return -EINVAL;
	}
	nla_memcpy(p->addr, tb[AMTSCA_PREFIX_ATTR_ADDR], alen);
	return 0;
}

static int amtsca_cmd_set_config(struct sk_buff *skb, struct genl_info *info)
{
	struct amtsca_net *an = amtsca_net(genl_info_net(info));
	struct amtsca_prefix *prefixes = NULL;
	struct nlattr **a = info->attrs;
	struct nlattr *pos;
	int n = 0, rem, err = 0;

	if (a[AMTSCA_ATTR_PREFIXES]) {
		prefixes = kcalloc(AMTSCA_MAX_PREFIXES, sizeof(*prefixes),
				   GFP_KERNEL);
		if (!prefixes)
			return -ENOMEM;
		nla_for_each_nested(pos, a[AMTSCA_ATTR_PREFIXES], rem) {
			if (nla_type(pos) != AMTSCA_ATTR_PREFIX) {
				NL_SET_ERR_MSG_ATTR(
					info->extack, pos,
					"expected AMTSCA_ATTR_PREFIX");
				err = -EINVAL;
				goto out;
			}
			if (n == AMTSCA_MAX_PREFIXES) {
				NL_SET_ERR_MSG(info->extack,
					       "too many prefixes");
				err = -E2BIG;
				goto out;
			}
			err = amtsca_parse_prefix(pos, &prefixes[n++],
						  info->extack);
			if (err)
				goto out;
		}
	}

	if (a[AMTSCA_ATTR_PORT]) {
		mutex_lock(&an->listen_lock);
		err = amtsca_listener_start(an,
					    nla_get_u16(a[AMTSCA_ATTR_PORT]));
		mutex_unlock(&an->listen_lock);
		if (err) {
			NL_SET_ERR_MSG_ATTR(info->extack, a[AMTSCA_ATTR_PORT],
					    "cannot listen on this port");
			goto out;
		}
	}

	spin_lock_bh(&an->cfg_lock);
	if (prefixes) {
		memcpy(an->cfg.prefixes, prefixes, n * sizeof(*prefixes));
		an->cfg.n_prefixes = n;
	}
	if (a[AMTSCA_ATTR_TIMEOUT_MS])
		an->cfg.timeout_ms = nla_get_u32(a[AMTSCA_ATTR_TIMEOUT_MS]);
	if (a[AMTSCA_ATTR_MAX_CONNS])
		an->cfg.max_conns = nla_get_u32(a[AMTSCA_ATTR_MAX_CONNS]);
	if (a[AMTSCA_ATTR_RATE_PER_SEC])
		an->cfg.rate_per_sec = nla_get_u32(a[AMTSCA_ATTR_RATE_PER_SEC]);
	if (a[AMTSCA_ATTR_HELLO_FLAGS])
		an->cfg.hello_flags = nla_get_u32(a[AMTSCA_ATTR_HELLO_FLAGS]);
	spin_unlock_bh(&an->cfg_lock);
out:
	kfree(prefixes);
	return err;
}

static int amtsca_put_prefixes(struct sk_buff *skb,
			       const struct amtsca_cfg *cfg)
{
	struct nlattr *list, *one;
	u32 i;

	list = nla_nest_start(skb, AMTSCA_ATTR_PREFIXES);
	if (!list)
		return -EMSGSIZE;
	for (i = 0; i < cfg->n_prefixes; i++) {
		const struct amtsca_prefix *p = &cfg->prefixes[i];

		one = nla_nest_start(skb, AMTSCA_ATTR_PREFIX);
		if (!one ||
		    nla_put(skb, AMTSCA_PREFIX_ATTR_ADDR,
			    p->family == AF_INET ? 4 : 16, p->addr) ||
		    nla_put_u8(skb, AMTSCA_PREFIX_ATTR_LEN, p->len))
			return -EMSGSIZE;
		nla_nest_end(skb, one);
	}
	nla_nest_end(skb, list);
	return 0;
}

static int amtsca_cmd_get_config(struct sk_buff *skb, struct genl_info *info)
{
	struct amtsca_net *an = amtsca_net(genl_info_net(info));
	struct amtsca_cfg *cfg;
	struct sk_buff *msg;
	void *hdr;
	int err = -EMSGSIZE;

	cfg = kmalloc(sizeof(*cfg), GFP_KERNEL);
	msg = genlmsg_new(GENLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!cfg || !msg) {
		err = -ENOMEM;
		goto fail;
	}
	spin_lock_bh(&an->cfg_lock);
	*cfg = an->cfg;
	spin_unlock_bh(&an->cfg_lock);

	hdr = genlmsg_put_reply(msg, info, &amtsca_family, 0,
				AMTSCA_CMD_GET_CONFIG);
	if (!hdr || nla_put_u16(msg, AMTSCA_ATTR_PORT, cfg->port) ||
	    nla_put_u32(msg, AMTSCA_ATTR_TIMEOUT_MS, cfg->timeout_ms) ||
	    nla_put_u32(msg, AMTSCA_ATTR_MAX_CONNS, cfg->max_conns) ||
	    nla_put_u32(msg, AMTSCA_ATTR_RATE_PER_SEC, cfg->rate_per_sec) ||
	    nla_put_u32(msg, AMTSCA_ATTR_HELLO_FLAGS, cfg->hello_flags) ||
	    amtsca_put_prefixes(msg, cfg))
		goto fail;
	genlmsg_end(msg, hdr);
	kfree(cfg);
	return genlmsg_reply(msg, info);
fail:
	nlmsg_free(msg);
	kfree(cfg);
	return err;
}

static int amtsca_cmd_set_dev_state(struct sk_buff *skb, struct genl_info *info)
{
	struct amtsca_net *an = amtsca_net(genl_info_net(info));
	struct nlattr **a = info->attrs;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, AMTSCA_ATTR_DEV_UUID) ||
	    GENL_REQ_ATTR_CHECK(info, AMTSCA_ATTR_DEV_STATE))
		return -EINVAL;
	err = amtsca_dev_set(an, nla_data(a[AMTSCA_ATTR_DEV_UUID]),
			     nla_get_u32(a[AMTSCA_ATTR_DEV_STATE]),
			     a[AMTSCA_ATTR_DEV_TTL_MS] ?
				     nla_get_u32(a[AMTSCA_ATTR_DEV_TTL_MS]) :
				     0);
	if (err == -ENOSPC)
		NL_SET_ERR_MSG(info->extack, "device table full");
	return err;
}

static int amtsca_cmd_get_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct amtsca_net *an = amtsca_net(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(GENLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &amtsca_family, 0,
				AMTSCA_CMD_GET_STATS);
	if (!hdr || amtsca_stats_fill(an, msg)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static const struct genl_ops amtsca_ops[] = {
	{
		.cmd = AMTSCA_CMD_SET_CONFIG,
		.doit = amtsca_cmd_set_config,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = AMTSCA_CMD_GET_CONFIG,
		.doit = amtsca_cmd_get_config,
	},
	{
		.cmd = AMTSCA_CMD_SET_DEV_STATE,
		.doit = amtsca_cmd_set_dev_state,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = AMTSCA_CMD_GET_STATS,
		.doit = amtsca_cmd_get_stats,
	},
};

static const struct genl_multicast_group amtsca_mcgrps[] = {
	{ .name = AMTSCA_GENL_MCGRP_HELLO, .flags = GENL_MCAST_CAP_NET_ADMIN },
};

static struct genl_family amtsca_family __ro_after_init = {
	.name = AMTSCA_GENL_NAME,
	.version = AMTSCA_GENL_VERSION,
	.maxattr = AMTSCA_ATTR_MAX,
	.policy = amtsca_policy,
	.netnsok = true,
	.module = THIS_MODULE,
	.ops = amtsca_ops,
	.n_ops = ARRAY_SIZE(amtsca_ops),
	.resv_start_op = AMTSCA_CMD_GET_STATS + 1,
	.mcgrps = amtsca_mcgrps,
	.n_mcgrps = ARRAY_SIZE(amtsca_mcgrps),
};

static int amtsca_put_addr(struct sk_buff *skb, int attr,
			   const struct amtsca_addr *a)
{
	return nla_put(skb, attr, a->family == AF_INET ? 4 : 16, a->addr);
}

void amtsca_event_send(struct amtsca_net *an, const struct amtsca_addr *src,
		       const struct amtsca_addr *dst, int ifindex,
		       u64 timestamp_ns, const u8 *hello, u32 len)
{
	struct sk_buff *skb;
	void *hdr;
	int err;

	skb = genlmsg_new(nla_total_size(len) + 256, GFP_KERNEL);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &amtsca_family, 0, AMTSCA_CMD_HELLO_EVENT);
	if (!hdr || nla_put_u16(skb, AMTSCA_ATTR_FAMILY, src->family) ||
	    amtsca_put_addr(skb, AMTSCA_ATTR_SADDR, src) ||
	    amtsca_put_addr(skb, AMTSCA_ATTR_DADDR, dst) ||
	    nla_put_u16(skb, AMTSCA_ATTR_SPORT, src->port) ||
	    nla_put_u16(skb, AMTSCA_ATTR_DPORT, dst->port) ||
	    nla_put_u32(skb, AMTSCA_ATTR_IFINDEX, ifindex) ||
	    nla_put_u64_64bit(skb, AMTSCA_ATTR_TIMESTAMP_NS, timestamp_ns,
			      AMTSCA_ATTR_PAD) ||
	    nla_put(skb, AMTSCA_ATTR_HELLO, len, hello)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);

	down_read(&amtsca_events_rwsem);
	if (amtsca_events_on) {
		err = genlmsg_multicast_netns(&amtsca_family, an->net, skb, 0,
					      0, GFP_KERNEL);
		amtsca_stat_inc(an, err ? AMTSCA_STAT_NO_LISTENER :
					  AMTSCA_STAT_EVENTS);
	} else {
		nlmsg_free(skb);
	}
	up_read(&amtsca_events_rwsem);
}

int amtsca_genl_register(void)
{
	int err = genl_register_family(&amtsca_family);

	if (err)
		return err;
	down_write(&amtsca_events_rwsem);
	amtsca_events_on = true;
	up_write(&amtsca_events_rwsem);
	return 0;
}

void amtsca_genl_unregister(void)
{
	down_write(&amtsca_events_rwsem);
	amtsca_events_on = false;
	up_write(&amtsca_events_rwsem);
	genl_unregister_family(&amtsca_family);
}
