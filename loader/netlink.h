/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef VGW_NETLINK_H
#define VGW_NETLINK_H

#include <libmnl/libmnl.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * One request on a new netlink socket of bus (NETLINK_ROUTE, _GENERIC,
 * _NETFILTER) and its answers until the ack or the dump's end; cb (may be
 * NULL) sees every message. Returns 0 or -errno from the kernel.
 */
int nl_talk(int bus, struct nlmsghdr *req, mnl_cb_t cb, void *data);

/* Add or remove an IPv4 address; -EEXIST / -EADDRNOTAVAIL pass through. */
int nl_addr4(int ifindex, struct in_addr addr, int prefixlen, bool add);

/*
 * Add or remove a shared IPv6 address as a /128 without DAD and without a
 * prefix route: every router of the group holds it at once.
 */
int nl_addr6_shared(int ifindex, const struct in6_addr *addr, bool add);

/*
 * Add or remove a MAC in the device's unicast address filter (an NTF_SELF
 * fdb entry). A driver with no filter falls back to promiscuous mode.
 */
int nl_uc_filter(int ifindex, const uint8_t mac[6], bool add);

/* Number of tc filters under a clsact parent (TC_H_MIN_INGRESS/EGRESS), or -errno. */
int nl_tc_filter_count(int ifindex, unsigned int parent_min);

/*
 * The MAC of a neighbour on ifindex from the kernel's table, if it has a
 * usable one (reachable, stale, being probed, or permanent); else -ENOENT.
 */
int nl_neigh_mac(int ifindex, struct in_addr addr, uint8_t mac[6]);

#endif
