/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef VGW_IFACE_H
#define VGW_IFACE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

struct iface_info {
	int ifindex;
	uint8_t mac[6];
	struct in_addr router_id; /* first IPv4 address on it that is not the vIP; 0 if none */
	bool has_vip;
};

/* Returns 0, or -ENODEV when there is no such interface. */
int iface_info_get(const char *ifname, struct in_addr vip, struct iface_info *out);

#endif
