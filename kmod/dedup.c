// SPDX-License-Identifier: GPL-2.0-only
/*
 * The per-netns device table: UUID -> struct amtsca_dev_entry, written by
 * the daemon (AMTSCA_CMD_SET_DEV_STATE), read for every valid Hello through
 * amtsca_dev_suppresses(), the same rule the XDP path applies.
 */
#include <linux/jhash.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#include "amtsca.h"

struct amtsca_dev {
	struct hlist_node node;
	struct amtsca_dev_key key;
	struct amtsca_dev_entry entry;
};

static u32 amtsca_dev_hash(const u8 *uuid)
{
	return jhash(uuid, sizeof(struct amtsca_dev_key), 0);
}

static struct amtsca_dev *amtsca_dev_find(struct amtsca_net *an, const u8 *uuid)
{
	struct amtsca_dev *d;

	hash_for_each_possible(an->devs, d, node, amtsca_dev_hash(uuid))
		if (!memcmp(d->key.uuid, uuid, sizeof(d->key.uuid)))
			return d;
	return NULL;
}

void amtsca_dev_init(struct amtsca_net *an)
{
	spin_lock_init(&an->dev_lock);
	hash_init(an->devs);
	an->n_devs = 0;
}

bool amtsca_dev_suppressed(struct amtsca_net *an, const u8 *uuid)
{
	struct amtsca_dev *d;
	bool ret = false;

	spin_lock_bh(&an->dev_lock);
	d = amtsca_dev_find(an, uuid);
	if (d)
		ret = amtsca_dev_suppresses(&d->entry, ktime_get_ns());
	spin_unlock_bh(&an->dev_lock);
	return ret;
}

int amtsca_dev_set(struct amtsca_net *an, const u8 *uuid, u32 state, u32 ttl_ms)
{
	struct amtsca_dev *d, *fresh;

	fresh = kzalloc(sizeof(*fresh), GFP_KERNEL);
	if (!fresh)
		return -ENOMEM;

	spin_lock_bh(&an->dev_lock);
	d = amtsca_dev_find(an, uuid);
	if (state == AMTSCA_DEV_UNKNOWN) {
		if (d) {
			hash_del(&d->node);
			an->n_devs--;
			kfree(d);
		}
		spin_unlock_bh(&an->dev_lock);
		kfree(fresh);
		return 0;
	}
	if (!d) {
		if (an->n_devs >= AMTSCA_MAX_DEVICES) {
			spin_unlock_bh(&an->dev_lock);
			kfree(fresh);
			return -ENOSPC;
		}
		d = fresh;
		fresh = NULL;
		memcpy(d->key.uuid, uuid, sizeof(d->key.uuid));
		hash_add(an->devs, &d->node, amtsca_dev_hash(uuid));
		an->n_devs++;
	}
	d->entry.state = state;
	d->entry.flags = 0;
	d->entry.expires_ns =
		ttl_ms ? ktime_get_ns() + (u64)ttl_ms * NSEC_PER_MSEC : 0;
	spin_unlock_bh(&an->dev_lock);
	kfree(fresh);
	return 0;
}

void amtsca_dev_flush(struct amtsca_net *an)
{
	struct hlist_node *tmp;
	struct amtsca_dev *d;
	int bkt;

	spin_lock_bh(&an->dev_lock);
	hash_for_each_safe(an->devs, bkt, tmp, d, node) {
		hash_del(&d->node);
		kfree(d);
	}
	an->n_devs = 0;
	spin_unlock_bh(&an->dev_lock);
}
