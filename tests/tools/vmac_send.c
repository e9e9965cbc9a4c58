// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * vgw-vmac-send: a host sending frames to every vMAC of a group, for tests
 * that need traffic on more vMACs than hosts: each round sends one 60-byte
 * frame (EtherType 0x88b5, local experimental, zero payload) to each vMAC
 * 1..N, ROUNDS_PER_S times a second, for SECONDS seconds. Not IPv4: a bridge
 * with br_netfilter drops malformed IPv4, and the owner's XDP counts any frame.
 *   vgw-vmac-send IFACE GROUP N SECONDS ROUNDS_PER_S
 */
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "vgw_common.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct sockaddr_ll to = { .sll_family = AF_PACKET,
				  .sll_protocol = htons(0x88b5),
				  .sll_halen = ETH_ALEN };
	struct ifreq ifr = { 0 };
	unsigned int n, i, rate;
	uint8_t frame[60] = { 0 };
	double end, next;
	uint16_t group;
	int fd;

	if (argc != 6) {
		fprintf(stderr, "usage: vgw-vmac-send IFACE GROUP N SECONDS ROUNDS_PER_S\n");
		return 2;
	}
	group = atoi(argv[2]);
	n = atoi(argv[3]);
	end = now_s() + atof(argv[4]);
	rate = atoi(argv[5]);
	if (n < 1 || n > VGW_MAX_VMACS || rate < 1 || rate > 1000) {
		fprintf(stderr, "vgw-vmac-send: N is 1..%d, ROUNDS_PER_S 1..1000\n", VGW_MAX_VMACS);
		return 2;
	}
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", argv[1]);
	if (fd < 0 || ioctl(fd, SIOCGIFHWADDR, &ifr)) {
		perror("vgw-vmac-send");
		return 1;
	}
	to.sll_ifindex = if_nametoindex(argv[1]);
	memcpy(frame + 6, ifr.ifr_hwaddr.sa_data, 6);
	frame[12] = 0x88; /* counted by the owner's XDP, then dropped by its stack */
	frame[13] = 0xb5;
	for (next = now_s(); now_s() < end; next += 1.0 / rate) {
		for (i = 1; i <= n; i++) {
			vgw_vmac_from_index(group, i, frame);
			memcpy(to.sll_addr, frame, 6);
			if (sendto(fd, frame, sizeof(frame), 0, (struct sockaddr *)&to,
				   sizeof(to)) < 0) {
				perror("vgw-vmac-send: sendto");
				return 1;
			}
		}
		while (now_s() < next)
			usleep(1000);
	}
	close(fd);
	return 0;
}
