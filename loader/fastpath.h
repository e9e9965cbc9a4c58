/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * --fast-path's user-space half: which egress interfaces the XDP program may
 * redirect to (map fwd_ports), and the netfilter hooks it bypasses.
 */
#ifndef VGW_FASTPATH_H
#define VGW_FASTPATH_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vgw_common.h"

/* An interface as the choice of egress ports sees it. */
struct fast_port {
	unsigned int ifindex;
	char name[IF_NAMESIZE];
	bool up;
	bool loopback;
	bool xdp_xmit; /* the kernel says it takes XDP frames (NETDEV_XDP_ACT_NDO_XMIT) */
};

/*
 * The ports that belong in fwd_ports: up, not loopback, not the LAN itself
 * (a frame routed back out of it needs the kernel's ICMP redirect), and able
 * to take XDP frames; a redirect to any other would drop the frame. Returns
 * how many ifindexes were written to out (at most max).
 */
size_t fast_ports_choose(const struct fast_port *ports, size_t n, unsigned int lan_ifindex,
			 unsigned int *out, size_t max);

/*
 * Read every interface with its XDP features (netdev generic netlink, Linux
 * 6.3+). -EOPNOTSUPP when the kernel does not report them.
 */
int fast_ports_read(struct fast_port *ports, size_t max, size_t *n);

/* The ifindexes in fwd_ports, at most max; how many. */
size_t fast_ports_in_map(int map_fd, __u32 *out, size_t max);
/* An interface's name for messages, "ifindex N" once it is gone; buf has IF_NAMESIZE. */
const char *fast_port_name(unsigned int ifindex, char *buf);

/*
 * Make fwd_ports hold what fast_ports_choose() picks now and log what
 * changed, prefixed with the LAN's name; initial logs the whole set (or its
 * absence) once. Returns the number of ports in the map, or -errno.
 */
int fast_ports_sync(int map_fd, const char *lan, unsigned int lan_ifindex, bool initial);

/*
 * A socket told of every change of a device's XDP features (the netdev
 * family's "mgmt" group): a veth stops taking XDP frames the moment its
 * peer's program goes, and each frame redirected to it after is lost, so
 * the sync must not wait for its next round. The fd, or -errno.
 */
int fast_ports_watch_open(void);
/* Read everything waiting on the watch socket; whether anything was. */
bool fast_ports_watch_drain(int fd);

/* A netfilter base chain, as the bypass warning sees it. */
struct nf_chain {
	uint8_t family; /* NFPROTO_* */
	char table[32];
	char name[32];
	int hook; /* NF_INET_*; -1: not a base chain */
	bool policy_drop;
	unsigned int rules;
};

/*
 * Whether forwarded packets would have met this chain in the kernel: an
 * ip, ip6 or inet base chain at prerouting, forward or postrouting that
 * does something (has rules or drops by policy).
 */
bool nf_chain_bypassed(const struct nf_chain *c);

/*
 * Warn, one line per chain, of the nftables chains (and legacy iptables
 * tables) that fast-pathed packets skip. Returns how many were named.
 */
int fast_netfilter_warn(const char *lan);

#endif
