// SPDX-License-Identifier: GPL-2.0-only
/*
 * A bounded burst of TCP garbage for the XDP end-to-end test: COUNT data
 * segments (ACK set, random sequence and acknowledgement numbers, so no
 * valid SYN cookie, 1-200 random payload bytes) from SRC to DST:PORT over
 * a raw socket, with correct TCP checksums so that they reach the cookie
 * check. Deterministic for a given SEED. Prints how many were sent.
 *
 * With a sixth argument "syn" the segments are bare SYNs instead (a SYN
 * flood: each would get a SYN cookie).
 *
 * The socket is bound to SRC: the IPv4 checksum is computed here over SRC,
 * and unbound the kernel would send from the route's source address
 * instead (an interface's first address), which made every segment from a
 * secondary address arrive with a bad checksum.
 *
 * usage: xdp_tcp_garbage SRC DST PORT COUNT SEED [syn]
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define TH_SYN 0x02
#define TH_ACK 0x10
#define MAX_PAYLOAD 200

struct tcp_seg {
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t doff, flags;
	uint16_t window, check, urg;
	uint8_t payload[MAX_PAYLOAD];
} __attribute__((packed));

static uint32_t sum16(const void *p, size_t len, uint32_t sum)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)b[i] << 8 | b[i + 1];
	if (len & 1)
		sum += (uint32_t)b[len - 1] << 8;
	return sum;
}

/* TCP checksum over the IPv4 pseudo-header and the segment. */
static uint16_t tcp4_csum(const struct in_addr *src, const struct in_addr *dst,
			  const void *seg, size_t len)
{
	uint32_t sum = sum16(src, 4, 0);

	sum = sum16(dst, 4, sum) + IPPROTO_TCP + len;
	sum = sum16(seg, len, sum);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons(~sum & 0xffff);
}

int main(int argc, char **argv)
{
	struct sockaddr_storage dst = { 0 }, src = { 0 };
	struct in_addr src4;
	struct tcp_seg seg;
	int fd, v6, i, count, sent = 0, off = 16, syn;
	size_t plen, len, j;
	socklen_t dlen;

	syn = argc == 7 && !strcmp(argv[6], "syn");
	if (argc != 6 && !syn) {
		fprintf(stderr,
			"usage: xdp_tcp_garbage SRC DST PORT COUNT SEED [syn]\n");
		return 2;
	}
	count = atoi(argv[4]);
	srandom(atoi(argv[5]));
	v6 = !!strchr(argv[2], ':');
	if (v6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&dst;

		s6->sin6_family = AF_INET6;
		if (inet_pton(AF_INET6, argv[2], &s6->sin6_addr) != 1)
			return 2;
		s6 = (struct sockaddr_in6 *)&src;
		s6->sin6_family = AF_INET6;
		if (inet_pton(AF_INET6, argv[1], &s6->sin6_addr) != 1)
			return 2;
		dlen = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&dst;

		s4->sin_family = AF_INET;
		if (inet_pton(AF_INET, argv[2], &s4->sin_addr) != 1 ||
		    inet_pton(AF_INET, argv[1], &src4) != 1)
			return 2;
		s4 = (struct sockaddr_in *)&src;
		s4->sin_family = AF_INET;
		s4->sin_addr = src4;
		dlen = sizeof(*s4);
	}
	fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_RAW, IPPROTO_TCP);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	if (bind(fd, (struct sockaddr *)&src, dlen)) {
		perror("bind");
		return 1;
	}
	/* IPv6: the kernel fills in the checksum at offset 16. */
	if (v6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_CHECKSUM, &off, sizeof(off))) {
		perror("IPV6_CHECKSUM");
		return 1;
	}
	for (i = 0; i < count && count <= 100000; i++) {
		memset(&seg, 0, sizeof(seg));
		seg.sport = htons(20000 + random() % 40000);
		seg.dport = htons(atoi(argv[3]));
		seg.seq = random();
		seg.ack = random();
		seg.doff = 5 << 4;
		seg.flags = syn ? TH_SYN : TH_ACK;
		seg.window = htons(1024);
		plen = syn ? 0 : 1 + random() % MAX_PAYLOAD;
		for (j = 0; j < plen; j++)
			seg.payload[j] = random();
		len = offsetof(struct tcp_seg, payload) + plen;
		if (!v6)
			seg.check = tcp4_csum(
				&src4, &((struct sockaddr_in *)&dst)->sin_addr,
				&seg, len);
		if (sendto(fd, &seg, len, 0, (struct sockaddr *)&dst, dlen) ==
		    (ssize_t)len)
			sent++;
	}
	close(fd);
	printf("sent %d\n", sent);
	return sent == count ? 0 : 1;
}
