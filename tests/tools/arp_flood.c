// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * vgw-arp-flood: COUNT hosts asking for the vIP at once, as after a LAN-wide
 * outage: broadcast ARP requests, each from its own MAC (02:fa + a counter)
 * and its own address (FIRST + i), spread evenly over SECONDS.
 *   vgw-arp-flood IFACE VIP FIRST COUNT SECONDS
 */
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct sockaddr_ll to = { .sll_family = AF_PACKET,
				  .sll_protocol = htons(ETH_P_ARP),
				  .sll_halen = ETH_ALEN };
	uint8_t f[60] = { 0 }, *arp = f + ETH_HLEN;
	uint32_t vip, first, ip;
	unsigned int count, i;
	double start, secs;
	int fd;

	if (argc != 6 || inet_pton(AF_INET, argv[2], &vip) != 1 ||
	    inet_pton(AF_INET, argv[3], &first) != 1) {
		fprintf(stderr, "usage: vgw-arp-flood IFACE VIP FIRST COUNT SECONDS\n");
		return 2;
	}
	count = atoi(argv[4]);
	secs = atof(argv[5]);
	if (count < 1 || count > 1u << 20 || secs <= 0 || secs > 60) {
		fprintf(stderr, "vgw-arp-flood: COUNT is 1..%u, SECONDS above 0 up to 60\n",
			1u << 20);
		return 2;
	}
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	to.sll_ifindex = if_nametoindex(argv[1]);
	if (fd < 0 || !to.sll_ifindex) {
		perror("vgw-arp-flood");
		return 1;
	}
	memset(to.sll_addr, 0xff, 6);
	memset(f, 0xff, 6);
	f[12] = ETH_P_ARP >> 8;
	f[13] = ETH_P_ARP & 0xff;
	arp[1] = 1, arp[2] = 0x08, arp[4] = 6, arp[5] = 4, arp[7] = 1; /* IPv4/Ethernet request */
	memcpy(arp + 24, &vip, 4);
	start = now_s();
	for (i = 0; i < count; i++) {
		uint8_t mac[6] = {
			0x02, 0xfa, 0, (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i
		};

		memcpy(f + 6, mac, 6);
		memcpy(arp + 8, mac, 6);
		ip = htonl(ntohl(first) + i);
		memcpy(arp + 14, &ip, 4);
		if (sendto(fd, f, sizeof(f), 0, (struct sockaddr *)&to, sizeof(to)) < 0) {
			perror("vgw-arp-flood: sendto");
			return 1;
		}
		while (now_s() < start + secs * (i + 1) / count)
			usleep(100);
	}
	close(fd);
	return 0;
}
