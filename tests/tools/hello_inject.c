// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * vgw-hello-inject: sends one forged hello, for tests of what the daemon
 * refuses. It claims to be an AVG of priority 255 owning every vMAC.
 *   vgw-hello-inject IFACE GROUP ROUTER_ID TTL KEYFILE|- SEQ|now [garbage|listen]
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "hello.h"

static void load_key(const char *path, struct vgw_key *key)
{
	FILE *f;

	memset(key, 0, sizeof(*key));
	if (!strcmp(path, "-"))
		return;
	f = fopen(path, "r");
	if (!f) {
		perror(path);
		exit(1);
	}
	key->len = fread(key->bytes, 1, sizeof(key->bytes), f);
	fclose(f);
	while (key->len && key->bytes[key->len - 1] == '\n')
		key->len--;
}

int main(int argc, char **argv)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(7667) };
	uint8_t buf[VGW_HELLO_MAX];
	struct vgw_hello h = { 0 };
	struct vgw_key key;
	struct ip_mreqn mreq = { 0 };
	int fd, ttl, len, i;

	if (argc < 7) {
		fprintf(stderr,
			"usage: %s IFACE GROUP ROUTER_ID TTL KEYFILE|- SEQ|now [garbage|listen]\n",
			argv[0]);
		return 2;
	}
	load_key(argv[5], &key);
	h.group = atoi(argv[2]);
	inet_pton(AF_INET, argv[3], &h.router_id);
	if (!strcmp(argv[6], "now")) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		h.seq = (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	} else {
		h.seq = strtoull(argv[6], NULL, 10);
	}
	h.priority = 255;
	h.weight = 255;
	h.state = VGW_STATE_AVG;
	h.hello_ms = 100;
	h.hold_ms = 300;
	h.has_ownership = true;
	h.own.epoch = 0xffffffff;
	h.own.n_routers = 1;
	h.own.routers[0] = h.router_id;
	h.own.n_vmacs = 16;
	for (i = 1; i <= 16; i++)
		h.own.owner[i] = 0;
	if (argc > 7 && !strcmp(argv[7], "listen")) {
		h.priority = 1;
		h.state = VGW_STATE_LISTEN;
		h.has_ownership = false;
	}
	len = hello_encode(&h, &key, buf, sizeof(buf));
	if (argc > 7 && !strcmp(argv[7], "garbage"))
		for (i = 0; i < len; i++)
			buf[i] = (uint8_t)rand();

	ttl = atoi(argv[4]);
	inet_pton(AF_INET, "224.0.0.118", &to.sin_addr);
	mreq.imr_ifindex = if_nametoindex(argv[1]);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl)) ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mreq, sizeof(mreq)) ||
	    sendto(fd, buf, len, 0, (struct sockaddr *)&to, sizeof(to)) != len) {
		perror("vgw-hello-inject");
		return 1;
	}
	close(fd);
	return 0;
}
