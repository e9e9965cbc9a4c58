/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef VGW_ANNOUNCE_H
#define VGW_ANNOUNCE_H

#include <stddef.h>
#include <stdint.h>

#define VGW_ANNOUNCE_LEN 60

/*
 * The frame that teaches switches where a vMAC lives: an RFC 5227 ARP probe
 * (sender IP 0.0.0.0) with the vMAC as Ethernet and ARP source. Hosts change
 * no neighbour entry for a probe, so the vIP keeps whatever vMAC each host has.
 * probe_ip is the address probed for: the router's own. Returns the length.
 */
size_t vmac_announce_frame(uint8_t buf[VGW_ANNOUNCE_LEN], const uint8_t vmac[6],
			   const uint8_t probe_ip[4]);

/*
 * A socket to send announces from. Keep it: closing a packet socket waits
 * for an RCU grace period (~10-20 ms), too long to pay per announce.
 * Returns the fd or -errno.
 */
int vmac_announce_socket(void);

/* Send the announce once on ifindex through fd. 0 or -errno. */
int vmac_announce(int fd, int ifindex, const uint8_t vmac[6], const uint8_t probe_ip[4]);

#endif
