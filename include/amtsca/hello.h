/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Intel AMT Setup-Mode "Hello": the wire format and its one validator.
 *
 * The device opens TCP to the SCA (port 9971), writes one Hello and closes.
 * All multi-byte integers are little-endian; the layout is packed:
 *
 *   off size  field
 *     0    2  admin credentials set (0 or 1)
 *     2    2  interface version (2 = PSK, 3 = PKI)
 *     4    4  retry count
 *     8   16  device UUID (SMBIOS order: first three groups little-endian)
 *   v2: 24    8  PID, 8 characters A-Z 0-9                 (total 32 bytes)
 *   v3: 24    1  number of hash entries N
 *       25  ...  N x { u8 type; u8 size; u8 hash[size]; }
 *
 * This header is included by the XDP program, the kernel module and
 * userspace. The validator below is the single definition of what a valid
 * Hello is: every parser runs it, so the three cannot disagree. It reads
 * bytes one at a time (no unaligned loads, no host-endian assumptions) and
 * every index is checked against both the buffer length and the constant
 * AMT_HELLO_MAX_LEN, which is what lets the BPF verifier bound the loads.
 */
#ifndef AMTSCA_HELLO_H
#define AMTSCA_HELLO_H

#if defined(__bpf__)
/* BPF objects get __u8 .. __u64 from vmlinux.h, included before this. */
#elif defined(__KERNEL__)
#include <linux/types.h>
#else
#include <linux/types.h>
#endif

#define AMT_HELLO_PORT 9971

#define AMT_HELLO_VERSION_PSK 2
#define AMT_HELLO_VERSION_PKI 3

#define AMT_HELLO_HDR_LEN 24 /* common header */
#define AMT_HELLO_PID_LEN 8
#define AMT_HELLO_PSK_LEN 32 /* header + PID */
#define AMT_HELLO_PKI_HDR_LEN 25 /* header + hash count */
#define AMT_HELLO_HASH_HDR_LEN 2 /* type + size */

#define AMT_HASH_SHA1 1
#define AMT_HASH_SHA256 2
#define AMT_HASH_SHA384 3 /* SHA-512 (64 bytes) with AMT_HELLO_F_TYPE3_SHA512 */

#define AMT_HASH_SHA1_LEN 20
#define AMT_HASH_SHA256_LEN 32
#define AMT_HASH_SHA384_LEN 48
#define AMT_HASH_SHA512_LEN 64
#define AMT_HASH_MAX_LEN AMT_HASH_SHA512_LEN

/*
 * The count field is one byte; real devices send 23-26 entries. 64 leaves
 * room for every OEM and user-added root on top of Intel's defaults, and
 * keeps the largest Hello (64 SHA-512 entries) under 4.3 KiB.
 */
#define AMT_HELLO_MAX_HASHES 64
#define AMT_HELLO_MAX_LEN        \
	(AMT_HELLO_PKI_HDR_LEN + \
	 AMT_HELLO_MAX_HASHES * (AMT_HELLO_HASH_HDR_LEN + AMT_HASH_MAX_LEN))

/* Validator flag: hash type 3 is SHA-512/64 rather than SHA-384/48. */
#define AMT_HELLO_F_TYPE3_SHA512 0x1
/*
 * Validator flag: a PSK Hello's PID may hold any printable ASCII character
 * ('!' to '~'), not only A-Z and 0-9 (the PID's encoding in the Hello is
 * unconfirmed: docs/protocol-choices.md).
 */
#define AMT_HELLO_F_PID_PRINTABLE 0x2

struct amt_hello_hdr {
	__u16 admin_credentials_set; /* little-endian on the wire */
	__u16 version; /* little-endian on the wire */
	__u32 retry_count; /* little-endian on the wire */
	__u8 uuid[16];
} __attribute__((packed));

struct amt_hello_psk {
	struct amt_hello_hdr hdr;
	__u8 pid[AMT_HELLO_PID_LEN];
} __attribute__((packed));

struct amt_hello_pki {
	struct amt_hello_hdr hdr;
	__u8 hash_count;
} __attribute__((packed));

struct amt_hello_hash_entry {
	__u8 type;
	__u8 size;
	__u8 hash[];
} __attribute__((packed));

_Static_assert(sizeof(struct amt_hello_hdr) == AMT_HELLO_HDR_LEN, "hdr");
_Static_assert(sizeof(struct amt_hello_psk) == AMT_HELLO_PSK_LEN, "psk");
_Static_assert(sizeof(struct amt_hello_pki) == AMT_HELLO_PKI_HDR_LEN, "pki");

/* Why a Hello was refused. Each value has exactly one meaning. */
enum amt_hello_reason {
	AMT_HELLO_OK = 0,
	AMT_HELLO_ERR_TRUNCATED_HEADER, /* fewer than 24 bytes */
	AMT_HELLO_ERR_ADMIN_FLAG, /* admin credentials set is not 0 or 1 */
	AMT_HELLO_ERR_VERSION, /* version is neither 2 nor 3 */
	AMT_HELLO_ERR_PSK_LENGTH, /* v2 shorter than 32 bytes */
	AMT_HELLO_ERR_PID_CHAR, /* v2 PID byte outside A-Z 0-9 */
	AMT_HELLO_ERR_TRUNCATED_COUNT, /* v3 without the hash count byte */
	AMT_HELLO_ERR_NO_HASHES, /* v3 with a hash count of 0 */
	AMT_HELLO_ERR_TOO_MANY_HASHES, /* v3 hash count > AMT_HELLO_MAX_HASHES */
	AMT_HELLO_ERR_TRUNCATED_ENTRY, /* buffer ends inside a type/size pair */
	AMT_HELLO_ERR_HASH_TYPE, /* hash type not 1, 2 or 3 */
	AMT_HELLO_ERR_HASH_SIZE, /* hash size does not match its type */
	AMT_HELLO_ERR_TRUNCATED_HASH, /* buffer ends inside a hash */
	AMT_HELLO_ERR_TRAILING, /* bytes after the last field */
	AMT_HELLO_REASON_COUNT,
};

/*
 * What the validator found. Offsets index the buffer that was validated;
 * err_off is the byte offset of the field that made it fail, or for the
 * truncation reasons the buffer length (where more bytes were expected).
 */
struct amt_hello_info {
	__u16 admin_credentials_set;
	__u16 version;
	__u32 retry_count;
	__u32 hash_count; /* v3 only */
	__u32 len; /* bytes the Hello occupies */
	__u32 err_off;
};

static inline const char *amt_hello_reason_str(int reason)
{
	switch (reason) {
	case AMT_HELLO_OK:
		return "ok";
	case AMT_HELLO_ERR_TRUNCATED_HEADER:
		return "truncated_header";
	case AMT_HELLO_ERR_ADMIN_FLAG:
		return "bad_admin_flag";
	case AMT_HELLO_ERR_VERSION:
		return "unknown_version";
	case AMT_HELLO_ERR_PSK_LENGTH:
		return "bad_psk_length";
	case AMT_HELLO_ERR_PID_CHAR:
		return "bad_pid_char";
	case AMT_HELLO_ERR_TRUNCATED_COUNT:
		return "truncated_hash_count";
	case AMT_HELLO_ERR_NO_HASHES:
		return "no_hashes";
	case AMT_HELLO_ERR_TOO_MANY_HASHES:
		return "too_many_hashes";
	case AMT_HELLO_ERR_TRUNCATED_ENTRY:
		return "truncated_hash_entry";
	case AMT_HELLO_ERR_HASH_TYPE:
		return "bad_hash_type";
	case AMT_HELLO_ERR_HASH_SIZE:
		return "bad_hash_size";
	case AMT_HELLO_ERR_TRUNCATED_HASH:
		return "truncated_hash";
	case AMT_HELLO_ERR_TRAILING:
		return "trailing_bytes";
	}
	return "unknown_reason";
}

/* Expected digest length for a hash type, 0 if the type is unknown. */
static inline __u32 amt_hash_len(__u8 type, __u32 flags)
{
	switch (type) {
	case AMT_HASH_SHA1:
		return AMT_HASH_SHA1_LEN;
	case AMT_HASH_SHA256:
		return AMT_HASH_SHA256_LEN;
	case AMT_HASH_SHA384:
		return (flags & AMT_HELLO_F_TYPE3_SHA512) ?
			       AMT_HASH_SHA512_LEN :
			       AMT_HASH_SHA384_LEN;
	}
	return 0;
}

/* May c stand in a PID (AMT_HELLO_F_PID_PRINTABLE in flags)? */
static inline int amt_pid_char_ok(__u8 c, __u32 flags)
{
	if (flags & AMT_HELLO_F_PID_PRINTABLE)
		return c >= '!' && c <= '~';
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static inline int amt_hello_fail(struct amt_hello_info *info, int reason,
				 __u32 off)
{
	info->err_off = off;
	return reason;
}

/* A hash entry's type and size bytes as one value, to compare both at once. */
static inline __u32 amt_hash_pair(__u8 type, __u8 size)
{
	return type | (__u32)size << 8;
}

/*
 * amt_hash_pair() of the entry at p. In BPF one 16-bit load (the target
 * is little-endian and the JITs' loads take any alignment), where clang
 * makes two byte loads, a shift and an or of any portable form: three
 * instructions of the ~16 an entry costs, on the validator's hottest
 * loop. Elsewhere the portable form, which compilers merge into one load
 * where the target allows (and which keeps UBSan's alignment check quiet).
 */
static inline __u32 amt_hash_pair_at(const __u8 *p)
{
#if defined(__bpf__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return *(const __u16 *)p;
#else
	return amt_hash_pair(p[0], p[1]);
#endif
}

/*
 * Name what is wrong with the hash entry at off, whose type/size pair
 * matched none of the valid pairs: its type, or else its size.
 */
static inline int amt_hello_entry_fail(struct amt_hello_info *info,
				       const __u8 *buf, __u32 off, __u32 flags)
{
	if (!amt_hash_len(buf[off], flags))
		return amt_hello_fail(info, AMT_HELLO_ERR_HASH_TYPE, off);
	return amt_hello_fail(info, AMT_HELLO_ERR_HASH_SIZE, off + 1);
}

/*
 * Validate the Hello in buf[0..len). Returns AMT_HELLO_OK or a reason;
 * fills info either way (err_off on failure). Never reads buf[len] or
 * beyond, and never reads beyond AMT_HELLO_MAX_LEN.
 */
static inline int amt_hello_validate(const __u8 *buf, __u32 len, __u32 flags,
				     struct amt_hello_info *info)
{
	__u32 off, i, n, pair, pair_type3, zero;
	__u32 step_sha1, step_sha256, step_type3;
	const __u8 *entry;
	__u8 c;

	info->admin_credentials_set = 0;
	info->version = 0;
	info->retry_count = 0;
	info->hash_count = 0;
	info->len = 0;
	info->err_off = 0;

	if (len < AMT_HELLO_HDR_LEN)
		return amt_hello_fail(info, AMT_HELLO_ERR_TRUNCATED_HEADER,
				      len);

	info->admin_credentials_set = buf[0] | (__u16)buf[1] << 8;
	info->version = buf[2] | (__u16)buf[3] << 8;
	info->retry_count = buf[4] | (__u32)buf[5] << 8 | (__u32)buf[6] << 16 |
			    (__u32)buf[7] << 24;

	if (info->admin_credentials_set > 1)
		return amt_hello_fail(info, AMT_HELLO_ERR_ADMIN_FLAG, 0);

	if (info->version == AMT_HELLO_VERSION_PSK) {
		if (len < AMT_HELLO_PSK_LEN)
			return amt_hello_fail(info, AMT_HELLO_ERR_PSK_LENGTH,
					      len);
		for (i = 0; i < AMT_HELLO_PID_LEN; i++) {
			c = buf[AMT_HELLO_HDR_LEN + i];
			if (!amt_pid_char_ok(c, flags))
				return amt_hello_fail(info,
						      AMT_HELLO_ERR_PID_CHAR,
						      AMT_HELLO_HDR_LEN + i);
		}
		if (len > AMT_HELLO_PSK_LEN)
			return amt_hello_fail(info, AMT_HELLO_ERR_TRAILING,
					      AMT_HELLO_PSK_LEN);
		info->len = AMT_HELLO_PSK_LEN;
		return AMT_HELLO_OK;
	}

	if (info->version != AMT_HELLO_VERSION_PKI)
		return amt_hello_fail(info, AMT_HELLO_ERR_VERSION, 2);

	if (len < AMT_HELLO_PKI_HDR_LEN)
		return amt_hello_fail(info, AMT_HELLO_ERR_TRUNCATED_COUNT, len);
	n = buf[AMT_HELLO_HDR_LEN];
	info->hash_count = n;
	if (n == 0)
		return amt_hello_fail(info, AMT_HELLO_ERR_NO_HASHES,
				      AMT_HELLO_HDR_LEN);
	if (n > AMT_HELLO_MAX_HASHES)
		return amt_hello_fail(info, AMT_HELLO_ERR_TOO_MANY_HASHES,
				      AMT_HELLO_HDR_LEN);

	/*
	 * The valid (type, size) pairs under these flags, and the bytes an
	 * entry of each takes. zero is the version's high byte, 0 here (the
	 * version is 3), read through volatile so that neither the compiler
	 * nor the BPF verifier knows it, and "^ zero" leaves each length as
	 * it is. For the CPU, an entry's offset is then the last one plus the
	 * length picked by the branch that matched its pair, and waits on no
	 * load (the branch is predicted), where adding the size byte read
	 * from the buffer chained one load latency per entry. For the
	 * verifier, the lengths are one range, 0-255, so the paths through
	 * the loop merge instead of multiplying per combination of types.
	 */
	zero = *(const volatile __u8 *)&buf[3];
	pair_type3 = amt_hash_pair(AMT_HASH_SHA384,
				   amt_hash_len(AMT_HASH_SHA384, flags));
	step_sha1 = (AMT_HELLO_HASH_HDR_LEN + AMT_HASH_SHA1_LEN) ^ zero;
	step_sha256 = (AMT_HELLO_HASH_HDR_LEN + AMT_HASH_SHA256_LEN) ^ zero;
	step_type3 = (AMT_HELLO_HASH_HDR_LEN +
		      amt_hash_len(AMT_HASH_SHA384, flags)) ^
		     zero;

	off = AMT_HELLO_PKI_HDR_LEN;
	for (i = 0; i < n; i++) {
		/*
		 * One bound check an entry: its type and size are there. It
		 * also finds a hash cut short, the last entry's, which took
		 * off past len. (len >= AMT_HELLO_PKI_HDR_LEN here.) off can
		 * never reach AMT_HELLO_MAX_LEN (n entries of at most 66 bytes
		 * fit by construction); the explicit bound is for the BPF
		 * verifier, which cannot infer it from the loop.
		 */
		if (off > AMT_HELLO_MAX_LEN - AMT_HELLO_HASH_HDR_LEN ||
		    off > len - AMT_HELLO_HASH_HDR_LEN)
			return amt_hello_fail(
				info,
				off > len ? AMT_HELLO_ERR_TRUNCATED_HASH :
					    AMT_HELLO_ERR_TRUNCATED_ENTRY,
				len);
		entry = buf + off;
		pair = amt_hash_pair_at(entry);
		if (pair == amt_hash_pair(AMT_HASH_SHA256, AMT_HASH_SHA256_LEN))
			off += step_sha256;
		else if (pair ==
			 amt_hash_pair(AMT_HASH_SHA1, AMT_HASH_SHA1_LEN))
			off += step_sha1;
		else if (pair == pair_type3)
			off += step_type3;
		else
			return amt_hello_entry_fail(info, buf, off, flags);
	}
	if (off > len)
		return amt_hello_fail(info, AMT_HELLO_ERR_TRUNCATED_HASH, len);
	if (off != len)
		return amt_hello_fail(info, AMT_HELLO_ERR_TRAILING, off);
	info->len = off;
	return AMT_HELLO_OK;
}

#endif /* AMTSCA_HELLO_H */
