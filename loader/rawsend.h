/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Hellos as whole Ethernet frames, sent on vgw run's packet socket: past the
 * kernel's routing and neighbour code, so a neighbour table filled by an ARP
 * flood (or any other trouble there) cannot hold the group's hellos back.
 * The frame is what the kernel would have sent from the UDP socket: IPv4
 * with TTL 255 and TOS 0xc0 (CS6, network control), UDP with a checksum.
 */
#ifndef VGW_RAWSEND_H
#define VGW_RAWSEND_H

#include <stddef.h>
#include <stdint.h>

#define VGW_FRAME_HDRS (14 + 20 + 8)

/* The Ethernet address of IPv4 multicast group (network order): 01:00:5e + its low 23 bits. */
void ipv4_mcast_mac(uint32_t group, uint8_t mac[6]);

/*
 * Ethernet + IPv4 + UDP (src and dst port `port`) around payload[0..len) into
 * buf (VGW_FRAME_HDRS + len bytes). Addresses in network order; ip_id is the
 * IPv4 identification. Returns the frame's length, 0 if it does not fit cap.
 */
size_t hello_frame(uint8_t *buf, size_t cap, const uint8_t dst_mac[6], const uint8_t src_mac[6],
		   uint32_t src_ip, uint32_t dst_ip, uint16_t port, uint16_t ip_id,
		   const uint8_t *payload, size_t len);

/* Send frame on ifindex through packet socket fd. 0 or -errno. */
int frame_send(int fd, int ifindex, const uint8_t *frame, size_t len);

#endif
