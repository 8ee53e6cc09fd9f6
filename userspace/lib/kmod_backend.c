// SPDX-License-Identifier: GPL-2.0-only
/*
 * libnl-genl client of kmod/amtsca.ko; see kmod_backend.h. Two sockets:
 * one for request/reply commands, one (non-blocking, no sequence checks)
 * for the Hello multicast group.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/family.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "kmod_backend.h"

struct kmod_backend {
	struct nl_sock *cmd;
	struct nl_sock *events;
	int family_id;
	int mcgrp_id;
	kmod_hello_cb cb;
	void *cb_arg;
};

static const char *const kmod_stat_names[KMOD_STAT_COUNT] = {
	"conns",      "valid",	      "events",		"no_listener",
	"suppressed", "rate_limited", "prefix_refused", "conn_limit",
	"timeout",    "oversize",     "invalid",
};

const char *kmod_stat_name(int i)
{
	return i >= 0 && i < KMOD_STAT_COUNT ? kmod_stat_names[i] : "unknown";
}

void kmod_config_init(struct kmod_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->port = -1;
	cfg->n_prefixes = -1;
	cfg->timeout_ms = -1;
	cfg->max_conns = -1;
	cfg->rate_per_sec = -1;
	cfg->hello_flags = -1;
}

const char *kmod_backend_strerror(int err)
{
	return nl_geterror(err < 0 ? -err : err);
}

static struct nla_policy kmod_event_policy[AMTSCA_ATTR_MAX + 1] = {
	[AMTSCA_ATTR_FAMILY] = { .type = NLA_U16 },
	[AMTSCA_ATTR_SADDR] = { .type = NLA_UNSPEC, .minlen = 4, .maxlen = 16 },
	[AMTSCA_ATTR_DADDR] = { .type = NLA_UNSPEC, .minlen = 4, .maxlen = 16 },
	[AMTSCA_ATTR_SPORT] = { .type = NLA_U16 },
	[AMTSCA_ATTR_DPORT] = { .type = NLA_U16 },
	[AMTSCA_ATTR_IFINDEX] = { .type = NLA_U32 },
	[AMTSCA_ATTR_TIMESTAMP_NS] = { .type = NLA_U64 },
	[AMTSCA_ATTR_HELLO] = { .type = NLA_UNSPEC,
				.maxlen = AMT_HELLO_MAX_LEN },
};

static int kmod_get_addr(struct nlattr *a, int family, void *dst)
{
	int want = family == AF_INET ? 4 : 16;

	if (nla_len(a) != want)
		return -1;
	memcpy(dst, nla_data(a), want);
	return 0;
}

int kmod_event_parse(const struct nlmsghdr *nlh, size_t len,
		     struct hello_event *ev)
{
	struct nlattr *tb[AMTSCA_ATTR_MAX + 1];
	struct amt_hello_info info;
	static const int required[] = {
		AMTSCA_ATTR_FAMILY,	  AMTSCA_ATTR_SADDR,
		AMTSCA_ATTR_DADDR,	  AMTSCA_ATTR_SPORT,
		AMTSCA_ATTR_DPORT,	  AMTSCA_ATTR_IFINDEX,
		AMTSCA_ATTR_TIMESTAMP_NS, AMTSCA_ATTR_HELLO,
	};
	size_t i;

	if (len < sizeof(*nlh) || nlh->nlmsg_len < sizeof(*nlh) ||
	    nlh->nlmsg_len > len)
		return -1;
	if (!genlmsg_valid_hdr((struct nlmsghdr *)nlh, 0))
		return -1;
	if (genlmsg_hdr((struct nlmsghdr *)nlh)->cmd != AMTSCA_CMD_HELLO_EVENT)
		return -1;
	if (genlmsg_parse((struct nlmsghdr *)nlh, 0, tb, AMTSCA_ATTR_MAX,
			  kmod_event_policy) < 0)
		return -1;
	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (!tb[required[i]])
			return -1;

	memset(ev, 0, offsetof(struct hello_event, hello));
	ev->family = nla_get_u16(tb[AMTSCA_ATTR_FAMILY]);
	if (ev->family != AF_INET && ev->family != AF_INET6)
		return -1;
	if (kmod_get_addr(tb[AMTSCA_ATTR_SADDR], ev->family, &ev->saddr) ||
	    kmod_get_addr(tb[AMTSCA_ATTR_DADDR], ev->family, &ev->daddr))
		return -1;
	ev->sport = nla_get_u16(tb[AMTSCA_ATTR_SPORT]);
	ev->dport = nla_get_u16(tb[AMTSCA_ATTR_DPORT]);
	ev->ifindex = nla_get_u32(tb[AMTSCA_ATTR_IFINDEX]);
	ev->timestamp_ns = nla_get_u64(tb[AMTSCA_ATTR_TIMESTAMP_NS]);
	ev->len = nla_len(tb[AMTSCA_ATTR_HELLO]);
	if (ev->len > AMT_HELLO_MAX_LEN)
		return -1;
	memcpy(ev->hello, nla_data(tb[AMTSCA_ATTR_HELLO]), ev->len);
	/*
	 * The module validated it already, under the HELLO_FLAGS it was
	 * given; the daemon trusts no one, so the Hello must at least be
	 * valid under the loosest rules (either hash type 3 reading, any
	 * printable PID). The intake applies the configured ones.
	 */
	if (amt_hello_validate(ev->hello, ev->len, AMT_HELLO_F_PID_PRINTABLE,
			       &info) != AMT_HELLO_OK &&
	    amt_hello_validate(ev->hello, ev->len,
			       AMT_HELLO_F_PID_PRINTABLE |
				       AMT_HELLO_F_TYPE3_SHA512,
			       &info) != AMT_HELLO_OK)
		return -1;
	return 0;
}

static int kmod_event_valid(struct nl_msg *msg, void *arg)
{
	struct kmod_backend *kb = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct hello_event *ev;

	if (nlh->nlmsg_type != kb->family_id)
		return NL_SKIP;
	ev = malloc(sizeof(*ev));
	if (!ev)
		return NL_SKIP;
	if (!kmod_event_parse(nlh, nlh->nlmsg_len, ev))
		kb->cb(ev, kb->cb_arg);
	free(ev);
	return NL_OK;
}

static int kmod_connect(struct nl_sock **out)
{
	struct nl_sock *sk = nl_socket_alloc();
	int err;

	if (!sk)
		return -NLE_NOMEM;
	err = genl_connect(sk);
	if (err) {
		nl_socket_free(sk);
		return err;
	}
	*out = sk;
	return 0;
}

static int kmod_resolve(struct kmod_backend *kb, unsigned int version,
			char *errbuf, size_t errlen)
{
	struct nl_cache *cache;
	struct genl_family *fam;
	unsigned int have;
	int err;

	err = genl_ctrl_alloc_cache(kb->cmd, &cache);
	if (err) {
		snprintf(errbuf, errlen, "genl controller: %s",
			 nl_geterror(err));
		return err;
	}
	fam = genl_ctrl_search_by_name(cache, AMTSCA_GENL_NAME);
	nl_cache_free(cache);
	if (!fam) {
		snprintf(
			errbuf, errlen,
			"generic netlink family \"%s\" not found: is amtsca.ko loaded?",
			AMTSCA_GENL_NAME);
		return -NLE_OBJ_NOTFOUND;
	}
	kb->family_id = genl_family_get_id(fam);
	have = genl_family_get_version(fam);
	genl_family_put(fam);
	if (have != version) {
		snprintf(
			errbuf, errlen,
			"amtsca.ko speaks genl ABI version %u, this daemon needs version %u: install matching module and daemon",
			have, version);
		return -NLE_PROTO_MISMATCH;
	}
	err = genl_ctrl_resolve_grp(kb->cmd, AMTSCA_GENL_NAME,
				    AMTSCA_GENL_MCGRP_HELLO);
	if (err < 0) {
		snprintf(errbuf, errlen, "multicast group \"%s\": %s",
			 AMTSCA_GENL_MCGRP_HELLO, nl_geterror(err));
		return err;
	}
	kb->mcgrp_id = err;
	return 0;
}

int kmod_backend_open_version(struct kmod_backend **out, unsigned int version,
			      kmod_hello_cb cb, void *arg, char *errbuf,
			      size_t errlen)
{
	struct kmod_backend *kb = calloc(1, sizeof(*kb));
	int err;

	if (!kb) {
		snprintf(errbuf, errlen, "out of memory");
		return -NLE_NOMEM;
	}
	kb->cb = cb;
	kb->cb_arg = arg;
	err = kmod_connect(&kb->cmd);
	if (!err)
		err = kmod_connect(&kb->events);
	if (err) {
		snprintf(errbuf, errlen, "netlink socket: %s",
			 nl_geterror(err));
		goto fail;
	}
	err = kmod_resolve(kb, version, errbuf, errlen);
	if (err)
		goto fail;
	nl_socket_disable_seq_check(kb->events);
	nl_socket_modify_cb(kb->events, NL_CB_VALID, NL_CB_CUSTOM,
			    kmod_event_valid, kb);
	err = nl_socket_set_nonblocking(kb->events);
	if (err) {
		snprintf(errbuf, errlen, "non-blocking: %s", nl_geterror(err));
		goto fail;
	}
	*out = kb;
	return 0;
fail:
	kmod_backend_close(kb);
	return err;
}

int kmod_backend_open(struct kmod_backend **out, kmod_hello_cb cb, void *arg,
		      char *errbuf, size_t errlen)
{
	return kmod_backend_open_version(out, AMTSCA_GENL_VERSION, cb, arg,
					 errbuf, errlen);
}

void kmod_backend_close(struct kmod_backend *kb)
{
	if (!kb)
		return;
	nl_socket_free(kb->cmd);
	nl_socket_free(kb->events);
	free(kb);
}

int kmod_backend_subscribe(struct kmod_backend *kb)
{
	return nl_socket_add_membership(kb->events, kb->mcgrp_id);
}

int kmod_backend_fd(const struct kmod_backend *kb)
{
	return nl_socket_get_fd(kb->events);
}

int kmod_backend_receive(struct kmod_backend *kb)
{
	int err = nl_recvmsgs_default(kb->events);

	return err == -NLE_AGAIN ? 0 : err;
}

static struct nl_msg *kmod_msg(struct kmod_backend *kb, int cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, kb->family_id,
				0, 0, cmd, AMTSCA_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int kmod_put_prefixes(struct nl_msg *msg, const struct kmod_config *cfg)
{
	struct nlattr *list, *one;
	int i;

	/*
	 * libnl drops an empty nest, so put one by hand (the kernel wants
	 * NLA_F_NESTED); an empty list means "allow all".
	 */
	if (!cfg->n_prefixes)
		return nla_put(msg, AMTSCA_ATTR_PREFIXES | NLA_F_NESTED, 0,
			       NULL);
	list = nla_nest_start(msg, AMTSCA_ATTR_PREFIXES);
	if (!list)
		return -NLE_NOMEM;
	for (i = 0; i < cfg->n_prefixes && i < AMTSCA_MAX_PREFIXES; i++) {
		const struct kmod_prefix *p = &cfg->prefixes[i];

		one = nla_nest_start(msg, AMTSCA_ATTR_PREFIX);
		if (!one ||
		    nla_put(msg, AMTSCA_PREFIX_ATTR_ADDR,
			    p->family == AF_INET ? 4 : 16, p->addr) ||
		    nla_put_u8(msg, AMTSCA_PREFIX_ATTR_LEN, p->len))
			return -NLE_NOMEM;
		nla_nest_end(msg, one);
	}
	nla_nest_end(msg, list);
	return 0;
}

static int kmod_send_sync(struct kmod_backend *kb, struct nl_msg *msg, int err)
{
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return nl_send_sync(kb->cmd, msg); /* frees msg */
}

int kmod_backend_set_config(struct kmod_backend *kb,
			    const struct kmod_config *cfg)
{
	struct nl_msg *msg = kmod_msg(kb, AMTSCA_CMD_SET_CONFIG);
	int err = 0;

	if (!msg)
		return -NLE_NOMEM;
	if (cfg->port >= 0)
		err = err ?: nla_put_u16(msg, AMTSCA_ATTR_PORT, cfg->port);
	if (cfg->n_prefixes >= 0)
		err = err ?: kmod_put_prefixes(msg, cfg);
	if (cfg->timeout_ms >= 0)
		err = err   ?:
			      nla_put_u32(msg, AMTSCA_ATTR_TIMEOUT_MS,
					  cfg->timeout_ms);
	if (cfg->max_conns >= 0)
		err = err   ?:
			      nla_put_u32(msg, AMTSCA_ATTR_MAX_CONNS,
					  cfg->max_conns);
	if (cfg->rate_per_sec >= 0)
		err = err   ?:
			      nla_put_u32(msg, AMTSCA_ATTR_RATE_PER_SEC,
					  cfg->rate_per_sec);
	if (cfg->hello_flags >= 0)
		err = err   ?:
			      nla_put_u32(msg, AMTSCA_ATTR_HELLO_FLAGS,
					  cfg->hello_flags);
	return kmod_send_sync(kb, msg, err);
}

int kmod_backend_set_state(struct kmod_backend *kb, const uint8_t uuid[16],
			   uint32_t state, uint32_t ttl_ms)
{
	struct nl_msg *msg = kmod_msg(kb, AMTSCA_CMD_SET_DEV_STATE);
	int err;

	if (!msg)
		return -NLE_NOMEM;
	err = nla_put(msg, AMTSCA_ATTR_DEV_UUID, 16, uuid) ||
	      nla_put_u32(msg, AMTSCA_ATTR_DEV_STATE, state) ||
	      nla_put_u32(msg, AMTSCA_ATTR_DEV_TTL_MS, ttl_ms);
	return kmod_send_sync(kb, msg, err ? -NLE_NOMEM : 0);
}

static int kmod_stats_valid(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[AMTSCA_ATTR_MAX + 1], *pos;
	struct kmod_stats *st = arg;
	int i, rem;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, AMTSCA_ATTR_MAX, NULL) < 0)
		return NL_SKIP;
	for (i = 0; i < KMOD_STAT_COUNT; i++)
		if (tb[AMTSCA_ATTR_STAT_CONNS + i] &&
		    nla_len(tb[AMTSCA_ATTR_STAT_CONNS + i]) == 8)
			st->count[i] =
				nla_get_u64(tb[AMTSCA_ATTR_STAT_CONNS + i]);
	if (tb[AMTSCA_ATTR_STAT_REASONS])
		nla_for_each_nested(pos, tb[AMTSCA_ATTR_STAT_REASONS], rem) {
			int reason = nla_type(pos) - 1;

			if (reason > 0 && reason < AMT_HELLO_REASON_COUNT &&
			    nla_len(pos) == 8)
				st->reason[reason] = nla_get_u64(pos);
		}
	return NL_OK;
}

/* Send a request without attributes and hand its reply to parse. */
static int kmod_request(struct kmod_backend *kb, int cmd,
			nl_recvmsg_msg_cb_t parse, void *arg)
{
	struct nl_msg *msg = kmod_msg(kb, cmd);
	struct nl_cb *cb;
	int err;

	if (!msg)
		return -NLE_NOMEM;
	err = nl_send_auto(kb->cmd, msg);
	nlmsg_free(msg);
	if (err < 0)
		return err;
	cb = nl_cb_clone(nl_socket_get_cb(kb->cmd));
	if (!cb)
		return -NLE_NOMEM;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, parse, arg);
	err = nl_recvmsgs(kb->cmd, cb);
	nl_cb_put(cb);
	return err < 0 ? err : 0;
}

int kmod_backend_get_stats(struct kmod_backend *kb, struct kmod_stats *st)
{
	memset(st, 0, sizeof(*st));
	return kmod_request(kb, AMTSCA_CMD_GET_STATS, kmod_stats_valid, st);
}

static long kmod_get_u32_or(struct nlattr *a, long dflt)
{
	return a && nla_len(a) == 4 ? (long)nla_get_u32(a) : dflt;
}

static void kmod_parse_prefix(struct nlattr *nest, struct kmod_config *cfg)
{
	struct nlattr *tb[AMTSCA_PREFIX_ATTR_MAX + 1];
	struct kmod_prefix *p;
	int alen;

	if (cfg->n_prefixes >= AMTSCA_MAX_PREFIXES ||
	    nla_parse_nested(tb, AMTSCA_PREFIX_ATTR_MAX, nest, NULL) < 0 ||
	    !tb[AMTSCA_PREFIX_ATTR_ADDR] || !tb[AMTSCA_PREFIX_ATTR_LEN])
		return;
	alen = nla_len(tb[AMTSCA_PREFIX_ATTR_ADDR]);
	if (alen != 4 && alen != 16)
		return;
	p = &cfg->prefixes[cfg->n_prefixes++];
	p->family = alen == 4 ? AF_INET : AF_INET6;
	memcpy(p->addr, nla_data(tb[AMTSCA_PREFIX_ATTR_ADDR]), alen);
	p->len = nla_get_u8(tb[AMTSCA_PREFIX_ATTR_LEN]);
}

static int kmod_config_valid(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[AMTSCA_ATTR_MAX + 1], *pos;
	struct kmod_config *cfg = arg;
	int rem;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, AMTSCA_ATTR_MAX, NULL) < 0)
		return NL_SKIP;
	if (tb[AMTSCA_ATTR_PORT] && nla_len(tb[AMTSCA_ATTR_PORT]) == 2)
		cfg->port = nla_get_u16(tb[AMTSCA_ATTR_PORT]);
	cfg->timeout_ms = kmod_get_u32_or(tb[AMTSCA_ATTR_TIMEOUT_MS], -1);
	cfg->max_conns = kmod_get_u32_or(tb[AMTSCA_ATTR_MAX_CONNS], -1);
	cfg->rate_per_sec = kmod_get_u32_or(tb[AMTSCA_ATTR_RATE_PER_SEC], -1);
	cfg->hello_flags = kmod_get_u32_or(tb[AMTSCA_ATTR_HELLO_FLAGS], -1);
	cfg->n_prefixes = 0;
	if (tb[AMTSCA_ATTR_PREFIXES])
		nla_for_each_nested(pos, tb[AMTSCA_ATTR_PREFIXES], rem)
			if (nla_type(pos) == AMTSCA_ATTR_PREFIX)
				kmod_parse_prefix(pos, cfg);
	return NL_OK;
}

int kmod_backend_get_config(struct kmod_backend *kb, struct kmod_config *cfg)
{
	kmod_config_init(cfg);
	return kmod_request(kb, AMTSCA_CMD_GET_CONFIG, kmod_config_valid, cfg);
}
