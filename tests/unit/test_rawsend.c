// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <string.h>

#include "rawsend.h"

/* The one's-complement sum of data, folded: 0xffff over a block that carries its own checksum. */
static uint16_t fold(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

Test(rawsend, multicast_groups_map_to_their_ethernet_address)
{
	uint8_t mac[6];
	uint32_t g;

	inet_pton(AF_INET, "224.0.0.102", &g);
	ipv4_mcast_mac(g, mac);
	cr_assert_arr_eq(mac, ((uint8_t[]){ 0x01, 0x00, 0x5e, 0x00, 0x00, 0x66 }), 6);
	inet_pton(AF_INET, "239.129.2.3", &g); /* the 24th bit is not carried */
	ipv4_mcast_mac(g, mac);
	cr_assert_arr_eq(mac, ((uint8_t[]){ 0x01, 0x00, 0x5e, 0x01, 0x02, 0x03 }), 6);
}

Test(rawsend, a_hello_frame_is_what_the_udp_socket_would_send)
{
	static const uint8_t dst[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x66 };
	static const uint8_t src[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	uint8_t payload[33], f[VGW_FRAME_HDRS + 64], pseudo[12];
	uint32_t from, to;
	size_t n, i;

	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 7 + 1);
	inet_pton(AF_INET, "10.77.0.2", &from);
	inet_pton(AF_INET, "224.0.0.102", &to);
	n = hello_frame(f, sizeof(f), dst, src, from, to, 7667, 0x1234, payload, sizeof(payload));
	cr_assert_eq(n, 14 + 20 + 8 + 33);
	cr_assert_arr_eq(f, dst, 6);
	cr_assert_arr_eq(f + 6, src, 6);
	cr_assert_eq(f[12], 0x08);
	cr_assert_eq(f[13], 0x00);
	/* IPv4: version 4, 20 bytes, CS6, length, id, no fragment, TTL 255, UDP */
	cr_assert_arr_eq(f + 14, ((uint8_t[]){ 0x45, 0xc0, 0x00, 61, 0x12, 0x34, 0, 0, 255, 17 }),
			 10);
	cr_assert_arr_eq(f + 26, &from, 4);
	cr_assert_arr_eq(f + 30, &to, 4);
	cr_assert_eq(fold(0, f + 14, 20), 0xffff, "IPv4 header checksum");
	/* UDP: both ports 7667, length, a checksum over the pseudo-header */
	cr_assert_arr_eq(f + 34, ((uint8_t[]){ 0x1d, 0xf3, 0x1d, 0xf3, 0x00, 41 }), 6);
	memcpy(pseudo, &from, 4);
	memcpy(pseudo + 4, &to, 4);
	pseudo[8] = 0, pseudo[9] = 17, pseudo[10] = 0, pseudo[11] = 41;
	cr_assert_neq(f[40] | f[41], 0, "a UDP checksum is present");
	cr_assert_eq(fold(fold(0, pseudo, 12), f + 34, 41), 0xffff, "UDP checksum");
	cr_assert_arr_eq(f + 42, payload, sizeof(payload));
	/* too small a buffer: nothing */
	cr_assert_eq(hello_frame(f, 50, dst, src, from, to, 7667, 1, payload, sizeof(payload)), 0);
}
