// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <ifaddrs.h>
#include <linux/ethtool.h>
#include <linux/if_packet.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

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

int iface_info_get6(const char *ifname, const struct in6_addr *vip6,
		    const struct in6_addr *vip6_global, struct iface_info *out)
{
	struct ifaddrs *ifa_list, *ifa;

	memset(&out->ll6, 0, sizeof(out->ll6));
	out->has_vip6 = out->has_vip6_global = false;
	if (getifaddrs(&ifa_list))
		return -errno;
	for (ifa = ifa_list; ifa; ifa = ifa->ifa_next) {
		const struct in6_addr *a;

		if (!ifa->ifa_addr || strcmp(ifa->ifa_name, ifname) ||
		    ifa->ifa_addr->sa_family != AF_INET6)
			continue;
		a = &((const struct sockaddr_in6 *)ifa->ifa_addr)->sin6_addr;
		if (!IN6_IS_ADDR_UNSPECIFIED(vip6) && IN6_ARE_ADDR_EQUAL(a, vip6))
			out->has_vip6 = true;
		else if (!IN6_IS_ADDR_UNSPECIFIED(vip6_global) &&
			 IN6_ARE_ADDR_EQUAL(a, vip6_global))
			out->has_vip6_global = true;
		else if (IN6_IS_ADDR_LINKLOCAL(a) && IN6_IS_ADDR_UNSPECIFIED(&out->ll6))
			out->ll6 = *a;
	}
	freeifaddrs(ifa_list);
	return 0;
}

bool iface_is_veth(const char *ifname)
{
	struct ethtool_drvinfo info = { .cmd = ETHTOOL_GDRVINFO };
	struct ifreq ifr = { .ifr_data = (void *)&info };
	bool veth;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return false;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	veth = !ioctl(fd, SIOCETHTOOL, &ifr) && !strcmp(info.driver, "veth");
	close(fd);
	return veth;
}
