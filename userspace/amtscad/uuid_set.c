// SPDX-License-Identifier: GPL-2.0-only
#include <stdlib.h>
#include <string.h>

#include "uuid_set.h"

/* FNV-1a over the 16 bytes, top bit set so that no tag is 0 (empty). */
static __u32 uuid_tag(const __u8 uuid[16])
{
	__u32 h = 2166136261u;
	int i;

	for (i = 0; i < 16; i++)
		h = (h ^ uuid[i]) * 16777619u;
	return h | 0x80000000u;
}

int uuid_set_init(struct uuid_set *s, size_t cap)
{
	s->slots = calloc(cap, sizeof(*s->slots));
	s->cap = s->slots ? cap : 0;
	s->n = 0;
	return s->slots ? 0 : -1;
}

void uuid_set_free(struct uuid_set *s)
{
	free(s->slots);
	s->slots = NULL;
	s->cap = s->n = 0;
}

/* The slot holding uuid, or the empty slot that ends its probe. */
static struct uuid_slot *probe(const struct uuid_set *s, const __u8 uuid[16],
			       __u32 tag)
{
	size_t mask = s->cap - 1, i = tag & mask;

	while (s->slots[i].tag &&
	       (s->slots[i].tag != tag || memcmp(s->slots[i].uuid, uuid, 16)))
		i = (i + 1) & mask;
	return &s->slots[i];
}

bool uuid_set_has(const struct uuid_set *s, const __u8 uuid[16])
{
	return probe(s, uuid, uuid_tag(uuid))->tag != 0;
}

/* Move every entry into an array twice the size; -1 without memory. */
static int grow(struct uuid_set *s)
{
	struct uuid_set bigger;
	size_t i;

	if (uuid_set_init(&bigger, s->cap * 2))
		return -1;
	for (i = 0; i < s->cap; i++)
		if (s->slots[i].tag)
			*probe(&bigger, s->slots[i].uuid, s->slots[i].tag) =
				s->slots[i];
	bigger.n = s->n;
	free(s->slots);
	*s = bigger;
	return 0;
}

int uuid_set_add(struct uuid_set *s, const __u8 uuid[16])
{
	__u32 tag = uuid_tag(uuid);
	struct uuid_slot *slot;

	/* One slot stays empty whatever happens: every probe ends there. */
	if ((s->n + 1) * 2 > s->cap && grow(s) && s->n + 2 > s->cap)
		return -1;
	slot = probe(s, uuid, tag);
	slot->tag = tag;
	memcpy(slot->uuid, uuid, 16);
	s->n++;
	return 0;
}

bool uuid_set_remove(struct uuid_set *s, const __u8 uuid[16])
{
	size_t mask = s->cap - 1, hole, i, home;
	struct uuid_slot *slot = probe(s, uuid, uuid_tag(uuid));

	if (!slot->tag)
		return false;
	/*
	 * No tombstones: the entries after the hole whose probe passed it
	 * move back into it (Knuth, vol. 3, 6.4, Algorithm R), so every
	 * probe still finds its entry before an empty slot.
	 */
	hole = (size_t)(slot - s->slots);
	for (i = (hole + 1) & mask; s->slots[i].tag; i = (i + 1) & mask) {
		home = s->slots[i].tag & mask;
		/* Stays when its home lies cyclically in (hole, i]. */
		if (hole <= i ? (hole < home && home <= i) :
				(hole < home || home <= i))
			continue;
		s->slots[hole] = s->slots[i];
		hole = i;
	}
	s->slots[hole].tag = 0;
	s->n--;
	return true;
}
