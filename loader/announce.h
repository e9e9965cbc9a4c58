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

/* Send it once on ifindex. 0 or -errno. */
int vmac_announce(int ifindex, const uint8_t vmac[6], const uint8_t probe_ip[4]);

#endif
