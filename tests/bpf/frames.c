// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <arpa/inet.h>
#include <string.h>

#include "frames.h"

static const uint8_t udp_payload[] = { 0x45, 0x00, 0x00, 0x20, 0x12, 0x34, 0x40, 0x00,
				       0x40, 0x11, 0x00, 0x00, 10,   77,   0,	 11,
				       10,   78,   0,	 100,  0x30, 0x39, 0x00, 0x35,
				       0x00, 0x0c, 0x00, 0x00, 'v',  'g',  'w',	 '!' };

size_t frame_build(const struct frame_spec *f, uint8_t *buf)
{
	uint16_t be;
	size_t len = 14;

	memset(buf, 0, FRAME_MAX);
	memcpy(buf, f->dst, 6);
	memcpy(buf + 6, f->src, 6);
	if (f->kind == FRAME_ARP) {
		uint8_t *a = buf + 14;

		be = htons(0x0806);
		memcpy(buf + 12, &be, 2);
		a[0] = 0, a[1] = 1;    /* Ethernet */
		a[2] = 0x08, a[3] = 0; /* IPv4 */
		a[4] = 6, a[5] = 4;
		be = htons(f->arp_op);
		memcpy(a + 6, &be, 2);
		memcpy(a + 8, f->sha, 6);
		memcpy(a + 14, f->spa, 4);
		memcpy(a + 18, f->tha, 6);
		memcpy(a + 24, f->tpa, 4);
		len += 28;
	} else {
		be = htons(0x0800);
		memcpy(buf + 12, &be, 2);
		memcpy(buf + 14, udp_payload, sizeof(udp_payload));
		len += sizeof(udp_payload);
	}
	/* pad to the Ethernet minimum, as a NIC delivers it */
	if (len < 60)
		len = 60;
	if (f->truncate && f->truncate < len)
		len = f->truncate;
	return len;
}
