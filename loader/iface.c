// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <ifaddrs.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <string.h>

#include "iface.h"

uint64_t prefix_hosts(unsigned int prefix_len)
{
	if (prefix_len >= 31)
		return prefix_len == 31 ? 2 : 1;
	return (1ull << (32 - prefix_len)) - 2;
}

bool neigh_table_too_small(unsigned int prefix_len, int gc_thresh3)
{
	return gc_thresh3 > 0 && prefix_hosts(prefix_len) > (uint64_t)gc_thresh3;
}

int iface_info_get(const char *ifname, struct in_addr vip, struct iface_info *out)
{
	struct ifaddrs *ifa_list, *ifa;
	bool have_mac = false;

	memset(out, 0, sizeof(*out));
	out->ifindex = if_nametoindex(ifname);
	if (!out->ifindex)
		return -ENODEV;
	if (getifaddrs(&ifa_list))
		return -errno;
	for (ifa = ifa_list; ifa; ifa = ifa->ifa_next) {
		if (!ifa->ifa_addr || strcmp(ifa->ifa_name, ifname))
			continue;
		if (ifa->ifa_addr->sa_family == AF_PACKET) {
			const struct sockaddr_ll *ll = (const struct sockaddr_ll *)ifa->ifa_addr;

			if (ll->sll_halen == 6) {
				memcpy(out->mac, ll->sll_addr, 6);
				have_mac = true;
			}
		} else if (ifa->ifa_addr->sa_family == AF_INET) {
			struct in_addr a = ((const struct sockaddr_in *)ifa->ifa_addr)->sin_addr;

			if (a.s_addr == vip.s_addr)
				out->has_vip = true;
			else if (!out->router_id.s_addr) {
				out->router_id = a;
				out->prefix_len =
					ifa->ifa_netmask
						? __builtin_popcount(((const struct sockaddr_in *)
									      ifa->ifa_netmask)
									     ->sin_addr.s_addr)
						: 32;
			}
		}
	}
	freeifaddrs(ifa_list);
	return have_mac ? 0 : -EPROTONOSUPPORT;
}
