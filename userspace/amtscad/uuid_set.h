/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A set of 16-byte UUIDs: open addressing with linear probing in one
 * array, at most half full, doubled as it fills. The intake keeps the
 * devices with a session queued or running in it: a fleet's Hellos arrive
 * far faster than sessions end, so it holds up to a whole fleet.
 */
#ifndef AMTSCAD_UUID_SET_H
#define AMTSCAD_UUID_SET_H

#include <stdbool.h>
#include <stddef.h>

#include <linux/types.h>

struct uuid_slot {
	__u32 tag; /* the UUID's hash with the top bit set; 0: empty */
	__u8 uuid[16];
};

struct uuid_set {
	struct uuid_slot *slots;
	size_t cap; /* a power of two */
	size_t n;
};

/* An empty set of cap slots (a power of two, >= 2); 0 or -1 (no memory). */
int uuid_set_init(struct uuid_set *s, size_t cap);
void uuid_set_free(struct uuid_set *s);
bool uuid_set_has(const struct uuid_set *s, const __u8 uuid[16]);
/*
 * Add uuid (not in the set): 0, or -1 when the set is full and could not
 * grow. Without memory to grow it fills beyond half, only slower.
 */
int uuid_set_add(struct uuid_set *s, const __u8 uuid[16]);
/* Remove uuid; false when it was not in the set. */
bool uuid_set_remove(struct uuid_set *s, const __u8 uuid[16]);

#endif /* AMTSCAD_UUID_SET_H */
