// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-netns counters and their netlink form (AMTSCA_CMD_GET_STATS reply).
 */
#include <net/netlink.h>

#include "amtsca.h"

void amtsca_stat_reason(struct amtsca_net *an, int reason)
{
	if (reason <= AMT_HELLO_OK || reason >= AMT_HELLO_REASON_COUNT)
		return;
	amtsca_stat_inc(an, AMTSCA_STAT_INVALID);
	atomic64_inc(&an->stats.reason[reason]);
}

int amtsca_stats_fill(struct amtsca_net *an, struct sk_buff *skb)
{
	struct nlattr *nest;
	int i;

	for (i = 0; i < AMTSCA_STAT_COUNT; i++)
		if (nla_put_u64_64bit(skb, AMTSCA_ATTR_STAT_CONNS + i,
				      atomic64_read(&an->stats.count[i]),
				      AMTSCA_ATTR_PAD))
			return -EMSGSIZE;

	nest = nla_nest_start(skb, AMTSCA_ATTR_STAT_REASONS);
	if (!nest)
		return -EMSGSIZE;
	for (i = AMT_HELLO_OK + 1; i < AMT_HELLO_REASON_COUNT; i++)
		if (nla_put_u64_64bit(skb, i + 1,
				      atomic64_read(&an->stats.reason[i]),
				      AMTSCA_ATTR_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}
