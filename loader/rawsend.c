// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <string.h>
#include <sys/socket.h>

#include "rawsend.h"

void ipv4_mcast_mac(uint32_t group, uint8_t mac[6])
{
	uint32_t g = ntohl(group);

	mac[0] = 0x01, mac[1] = 0x00, mac[2] = 0x5e;
	mac[3] = (g >> 16) & 0x7f;
	mac[4] = (g >> 8) & 0xff;
	mac[5] = g & 0xff;
}

/* RFC 1071 over data, starting from sum; folded, not inverted. */
static uint32_t csum_add(uint32_t sum, const uint8_t *data, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)data[i] << 8 | data[i + 1];
	if (len & 1)
		sum += (uint32_t)data[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

size_t hello_frame(uint8_t *buf, size_t cap, const uint8_t dst_mac[6], const uint8_t src_mac[6],
		   uint32_t src_ip, uint32_t dst_ip, uint16_t port, uint16_t ip_id,
		   const uint8_t *payload, size_t len)
{
	uint8_t *ip = buf + ETH_HLEN, *udp = ip + 20, pseudo[12];
	size_t total = VGW_FRAME_HDRS + len;
	uint16_t sum;

	if (total > cap || len > 65535 - 28)
		return 0;
	memcpy(buf, dst_mac, 6);
	memcpy(buf + 6, src_mac, 6);
	put16(buf + 12, ETH_P_IP);
	memset(ip, 0, 28);
	ip[0] = 0x45;
	ip[1] = 0xc0; /* CS6, as the UDP socket's IP_TOS set */
	put16(ip + 2, 28 + len);
	put16(ip + 4, ip_id);
	ip[8] = 255; /* receivers take hellos with TTL 255 only: sent from the link */
	ip[9] = IPPROTO_UDP;
	memcpy(ip + 12, &src_ip, 4);
	memcpy(ip + 16, &dst_ip, 4);
	put16(ip + 10, ~csum_add(0, ip, 20) & 0xffff);
	put16(udp, port);
	put16(udp + 2, port);
	put16(udp + 4, 8 + len);
	memcpy(udp + 8, payload, len);
	memcpy(pseudo, &src_ip, 4);
	memcpy(pseudo + 4, &dst_ip, 4);
	pseudo[8] = 0;
	pseudo[9] = IPPROTO_UDP;
	put16(pseudo + 10, 8 + len);
	sum = ~csum_add(csum_add(0, pseudo, sizeof(pseudo)), udp, 8 + len) & 0xffff;
	put16(udp + 6, sum ? sum : 0xffff); /* 0 would mean no checksum */
	return total;
}

int frame_send(int fd, int ifindex, const uint8_t *frame, size_t len)
{
	struct sockaddr_ll to = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_IP),
		.sll_ifindex = ifindex,
		.sll_halen = ETH_ALEN,
	};

	memcpy(to.sll_addr, frame, ETH_ALEN);
	if (sendto(fd, frame, len, 0, (struct sockaddr *)&to, sizeof(to)) != (ssize_t)len)
		return -errno;
	return 0;
}
