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
	unsigned int prefix_len;  /* router_id's */
	bool has_vip;
	struct in6_addr ll6; /* its first link-local that is not a virtual one; :: if none */
	bool has_vip6, has_vip6_global;
};

/* Returns 0, or -ENODEV when there is no such interface. */
int iface_info_get(const char *ifname, struct in_addr vip, struct iface_info *out);
/* The IPv6 part of out: ll6 and whether the virtual addresses are there already. */
int iface_info_get6(const char *ifname, const struct in6_addr *vip6,
		    const struct in6_addr *vip6_global, struct iface_info *out);

/*
 * Whether the interface is a veth: in native XDP mode its frames keep the
 * PACKET_OTHERHOST mark after the vMAC rewrite (docs/design.md).
 */
bool iface_is_veth(const char *ifname);

/* Host addresses in an IPv4 prefix of that length (a /31 has 2, a /32 1). */
uint64_t prefix_hosts(unsigned int prefix_len);
/* Whether the LAN can hold more hosts than the kernel's neighbour table (gc_thresh3 <= 0: unknown).
 */
bool neigh_table_too_small(unsigned int prefix_len, int gc_thresh3);

#endif
