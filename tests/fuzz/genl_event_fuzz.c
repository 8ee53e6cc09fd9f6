// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: raw netlink bytes (one or more messages, as a recv()
 * on the kmod backend's multicast socket returns them) through the Hello
 * event parser of userspace/lib/kmod_backend.c.
 */
#include <stdlib.h>
#include <string.h>

#include "kmod_backend.h"

int LLVMFuzzerTestOneInput(const __u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const __u8 *data, size_t size)
{
	const __u32 loose = AMT_HELLO_F_PID_PRINTABLE;
	static struct hello_event ev;
	struct amt_hello_info info;
	struct nlmsghdr *nlh;
	size_t off = 0;
	__u8 *buf;

	if (size > 65536)
		return -1;
	/* Aligned, exactly sized copy so ASan sees every overread. */
	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	while (off < size && size - off >= sizeof(*nlh)) {
		nlh = (struct nlmsghdr *)(buf + off);
		if (nlh->nlmsg_len < sizeof(*nlh) ||
		    nlh->nlmsg_len > size - off)
			break;
		/* Accepted: valid under the loosest [hello] rules. */
		if (!kmod_event_parse(nlh, size - off, &ev) &&
		    (ev.len > AMT_HELLO_MAX_LEN ||
		     (amt_hello_validate(ev.hello, ev.len, loose, &info) &&
		      amt_hello_validate(ev.hello, ev.len,
					 loose | AMT_HELLO_F_TYPE3_SHA512,
					 &info))))
			abort();
		off += NLMSG_ALIGN(nlh->nlmsg_len);
	}
	free(buf);
	return 0;
}
