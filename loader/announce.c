// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "announce.h"

size_t vmac_announce_frame(uint8_t buf[VGW_ANNOUNCE_LEN], const uint8_t vmac[6],
			   const uint8_t probe_ip[4])
{
	uint8_t *arp = buf + ETH_HLEN;

	memset(buf, 0, VGW_ANNOUNCE_LEN);
	memset(buf, 0xff, ETH_ALEN);
	memcpy(buf + ETH_ALEN, vmac, ETH_ALEN);
	buf[12] = ETH_P_ARP >> 8;
	buf[13] = ETH_P_ARP & 0xff;
	arp[1] = 1;    /* hardware: Ethernet */
	arp[2] = 0x08; /* protocol: IPv4 */
	arp[4] = ETH_ALEN;
	arp[5] = 4;
	arp[7] = 1; /* request */
	memcpy(arp + 8, vmac, ETH_ALEN);
	/* sender IP stays 0.0.0.0: that makes it a probe */
	memcpy(arp + 24, probe_ip, 4);
	return VGW_ANNOUNCE_LEN;
}

int vmac_announce_socket(void)
{
	/* protocol 0: it sends only, no frame is ever queued to it */
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);

	return fd < 0 ? -errno : fd;
}

int vmac_announce(int fd, int ifindex, const uint8_t vmac[6], const uint8_t probe_ip[4])
{
	struct sockaddr_ll to = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ARP),
		.sll_ifindex = ifindex,
		.sll_halen = ETH_ALEN,
	};
	uint8_t frame[VGW_ANNOUNCE_LEN];
	size_t len = vmac_announce_frame(frame, vmac, probe_ip);

	memset(to.sll_addr, 0xff, ETH_ALEN);
	if (sendto(fd, frame, len, 0, (struct sockaddr *)&to, sizeof(to)) != (ssize_t)len)
		return -errno;
	return 0;
}
